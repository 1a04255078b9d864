// SPEC §6: the provisioning file. The shipped demo loads; every mistake in a file is refused with
// "FILE:LINE: field: message"; secrets and passwords are kept only as slow hashes.

#include <algorithm>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "domain/password_hash.h"
#include "provision/provisioning.h"

#ifndef TOKENS_SOURCE_DIR
#error "TOKENS_SOURCE_DIR must name the project's source directory"
#endif

namespace {

using namespace tokens::domain;
using tokens::provision::loadProvisioningFile;
using tokens::provision::parseProvisioning;
using tokens::provision::Provisioning;
using tokens::provision::ProvisioningError;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// ---- the shipped demo file ---------------------------------------------------------------------------

class DemoProvisioning : public ::testing::Test {
 protected:
  // Hashing every demo secret takes a while: load the file once for the suite.
  static void SetUpTestSuite() {
    demo = new Provisioning(loadProvisioningFile(std::string(TOKENS_SOURCE_DIR) + "/provisioning/demo.toml"));
  }
  static void TearDownTestSuite() {
    delete demo;
    demo = nullptr;
  }
  static const Directory& dir() { return demo->directory; }
  static Provisioning* demo;
};
Provisioning* DemoProvisioning::demo = nullptr;

TEST_F(DemoProvisioning, HasItsOrganizations) {
  EXPECT_GE(dir().organizationCount(), 2u);
  const auto* acme = dir().organization("acme");
  const auto* mercy = dir().organization("mercy");
  ASSERT_NE(acme, nullptr);
  ASSERT_NE(mercy, nullptr);
  EXPECT_EQ(acme->name, "Acme Corp");
  EXPECT_FALSE(acme->hipaa);
  EXPECT_EQ(mercy->name, "Mercy Health");
  EXPECT_TRUE(mercy->hipaa);
}

TEST_F(DemoProvisioning, HasItsGroups) {
  ASSERT_NE(dir().group("acme-support"), nullptr);
  EXPECT_EQ(dir().group("acme-support")->organizationId, "acme");
  EXPECT_EQ(dir().group("acme-engineering")->name, "Engineering");
  ASSERT_NE(dir().group("mercy-nurses"), nullptr);
  EXPECT_EQ(dir().group("mercy-nurses")->organizationId, "mercy");
}

TEST_F(DemoProvisioning, HasItsUsers) {
  EXPECT_GE(dir().userCount(), 5u);
  const auto* admin = dir().user("acme-admin");
  ASSERT_NE(admin, nullptr);
  EXPECT_EQ(admin->organizationId, "acme");
  EXPECT_EQ(admin->email, "ada@acme.example");
  EXPECT_THAT(admin->groups, ElementsAre("acme-engineering"));
  EXPECT_THAT(admin->permissions, ElementsAre("oauth:token:delete", "directory:organization:admin"));
  EXPECT_TRUE(dir().user("acme-user")->permissions.empty());
  EXPECT_FALSE(admin->clonedFrom);

  const auto* clone = dir().user("acme-clone");
  ASSERT_NE(clone, nullptr);
  ASSERT_TRUE(clone->clonedFrom);
  EXPECT_EQ(clone->clonedFrom->userId, "mercy-nurse");
  EXPECT_EQ(clone->clonedFrom->organizationId, "mercy");
  EXPECT_TRUE(clone->groups.empty());

  EXPECT_THAT(dir().user("mercy-nurse")->groups, ElementsAre("mercy-nurses"));
}

TEST_F(DemoProvisioning, HasItsClients) {
  EXPECT_GE(dir().clientCount(), 9u);  // (the demo grows; these are the ones the docs rely on)
  const auto* service = dir().client("acme-admin-service");
  ASSERT_NE(service, nullptr);
  EXPECT_EQ(service->organizationId, "acme");
  EXPECT_EQ(service->grantType, GrantType::CLIENT_CREDENTIALS);
  EXPECT_THAT(service->scope, ElementsAre("oauth", "directory"));
  EXPECT_THAT(service->permissions, ElementsAre("oauth:token:delete", "directory:organization:admin"));
  EXPECT_EQ(service->accessTokenValiditySeconds, 86400);
  EXPECT_EQ(service->state, ClientState::active);

  EXPECT_EQ(dir().client("acme-desktop")->grantType, GrantType::PASSWORD);
  EXPECT_EQ(dir().client("acme-sso")->grantType, GrantType::SAML2_BEARER);
  const auto* web = dir().client("acme-web");
  EXPECT_EQ(web->grantType, GrantType::CODE);
  EXPECT_THAT(web->redirectUris, ElementsAre("http://127.0.0.1:8765/callback", "http://localhost:8765/callback"));
  const auto* spa = dir().client("acme-spa");
  EXPECT_EQ(spa->grantType, GrantType::TOKEN);
  EXPECT_TRUE(spa->secretHash.empty());  // a public client
  EXPECT_EQ(dir().client("acme-retired")->state, ClientState::disabled);
  EXPECT_EQ(dir().client("mercy-desktop")->accessTokenValiditySeconds, 3600);
  EXPECT_EQ(dir().client("mercy-desktop")->organizationId, "mercy");
}

TEST_F(DemoProvisioning, EmailsAreLookedUpCaseInsensitivelyWithinTheOrganization) {
  ASSERT_NE(dir().userByEmail("acme", "ada@acme.example"), nullptr);
  EXPECT_EQ(dir().userByEmail("acme", "ada@acme.example")->id, "acme-admin");
  EXPECT_EQ(dir().userByEmail("acme", "ADA@Acme.EXAMPLE")->id, "acme-admin");
  EXPECT_EQ(dir().userByEmail("mercy", "Nina@Mercy.Example")->id, "mercy-nurse");
  EXPECT_EQ(dir().userByEmail("mercy", "ada@acme.example"), nullptr);  // another organization's user
  EXPECT_EQ(dir().userByEmail("acme", "ada@acme.example "), nullptr);
  EXPECT_EQ(dir().userByEmail("acme", "nobody@acme.example"), nullptr);
}

TEST_F(DemoProvisioning, SecretsAndPasswordsAreStoredHashed) {
  const auto* service = dir().client("acme-admin-service");
  EXPECT_NE(service->secretHash, "acme-admin-secret");
  EXPECT_THAT(service->secretHash, Not(HasSubstr("acme-admin-secret")));
  EXPECT_TRUE(isSecretHash(service->secretHash));
  EXPECT_TRUE(verifySecret(service->secretHash, "acme-admin-secret"));
  EXPECT_FALSE(verifySecret(service->secretHash, "acme-admin-secreT"));
  EXPECT_FALSE(verifySecret(service->secretHash, "acme-reporting-secret"));

  const auto* ada = dir().user("acme-admin");
  EXPECT_NE(ada->passwordHash, "ada-password");
  EXPECT_TRUE(isSecretHash(ada->passwordHash));
  EXPECT_TRUE(verifySecret(ada->passwordHash, "ada-password"));
  EXPECT_FALSE(verifySecret(ada->passwordHash, "paul-password"));

  // Salted: two hashes of secrets never look alike.
  EXPECT_NE(dir().client("acme-reporting")->secretHash, service->secretHash);
}

TEST_F(DemoProvisioning, ClearSecretsAreListedForTheVerificationCache) {
  const auto& secrets = demo->clearSecrets;
  EXPECT_NE(std::find(secrets.begin(), secrets.end(), std::pair<std::string, std::string>{"acme-admin-service",
                                                                                          "acme-admin-secret"}),
            secrets.end());
  for (const auto& [id, secret] : secrets) {
    EXPECT_NE(id, "acme-spa");  // no secret at all
    const auto* client = dir().client(id);
    ASSERT_NE(client, nullptr) << id;
    EXPECT_TRUE(verifySecret(client->secretHash, secret)) << id;
  }
}

TEST(ProvisioningFile, AMissingFileNamesIt) {
  try {
    loadProvisioningFile("/nonexistent/dir/tokens.toml");
    FAIL() << "no error";
  } catch (const ProvisioningError& e) {
    EXPECT_THAT(e.what(), HasSubstr("/nonexistent/dir/tokens.toml"));
  }
}

// ---- mistakes ----------------------------------------------------------------------------------------

// A hash of "pw", made once: users in these tests use password_hash so that each test hashes nothing.
const std::string& pwHash() {
  static const std::string hash = hashSecret("pw");
  return hash;
}

// Replaces every "{HASH}" by pwHash().
std::string withHash(std::string text) {
  for (auto at = text.find("{HASH}"); at != std::string::npos; at = text.find("{HASH}"))
    text.replace(at, 6, pwHash());
  return text;
}

std::string errorOf(const std::string& toml) {
  try {
    parseProvisioning(withHash(toml), "test.toml");
  } catch (const ProvisioningError& e) {
    return e.what();
  }
  ADD_FAILURE() << "accepted:\n" << toml;
  return {};
}

Provisioning parse(const std::string& toml) { return parseProvisioning(withHash(toml), "test.toml"); }

const char* const kOrgs = R"(
[[organization]]
id = "org-a"
name = "Org A"

[[organization]]
id = "org-b"
name = "Org B"
hipaa = true
)";  // lines 1-9; the next line is 10

TEST(ProvisioningErrors, UnknownKeyNamesFileLineAndField) {
  EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[user]]
id = "u1"
organization = "org-a"
name = "U"
email = "u@a.example"
pasword = "pw"
)"),
              StartsWith("test.toml:16: user[0].pasword: unknown key"));
}

TEST(ProvisioningErrors, ARedirectUriMustBeAbsoluteWithoutAFragment) {
  for (const char* uri : {"/callback", "http://app.example/cb#frag", "not a uri"}) {
    EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[client]]
id = "c1"
organization = "org-a"
name = "C"
grant_type = "CODE"
redirect_uris = [")" + uri + R"("]
)"),
                StartsWith("test.toml:16: client[0].redirect_uris: '" + std::string(uri) + "' is not an absolute URI"))
        << uri;
  }
}

TEST(ProvisioningErrors, UnknownTopLevelKey) {
  EXPECT_THAT(errorOf(R"(
[[organisation]]
id = "org-a"
name = "Org A"
)"),
              StartsWith("test.toml:2: organisation: unknown key"));
}

TEST(ProvisioningErrors, UnknownKeyInsideClonedFrom) {
  EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[user]]
id = "u1"
organization = "org-a"
name = "U"
email = "u@a.example"
password_hash = "{HASH}"
cloned_from = { user = "x", org = "org-b" }
)"),
              StartsWith("test.toml:17: user[0].cloned_from.org: unknown key"));
}

TEST(ProvisioningErrors, MissingRequiredFieldNamesTheTable) {
  EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[user]]
id = "u1"
organization = "org-a"
email = "u@a.example"
password_hash = "{HASH}"
)"),
              StartsWith("test.toml:11: user[0].name: is required"));
  EXPECT_THAT(errorOf(R"(
[[organization]]
name = "Org A"
)"),
              StartsWith("test.toml:2: organization[0].id: is required"));
  EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[client]]
id = "c1"
organization = "org-a"
name = "C"
secret = "s"
)"),
              StartsWith("test.toml:11: client[0].grant_type: is required"));
}

TEST(ProvisioningErrors, EmptyRequiredStringIsMissing) {
  EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[group]]
id = ""
organization = "org-a"
name = "G"
)"),
              StartsWith("test.toml:11: group[0].id: is required"));
}

TEST(ProvisioningErrors, MissingPassword) {
  EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[user]]
id = "u1"
organization = "org-a"
name = "U"
email = "u@a.example"
)"),
              StartsWith("test.toml:11: user[0].password: is required"));
}

TEST(ProvisioningErrors, WrongTypes) {
  EXPECT_THAT(errorOf(R"(
[[organization]]
id = "org-a"
name = "Org A"
hipaa = "yes"
)"),
              StartsWith("test.toml:5: organization[0].hipaa: must be true or false"));
  EXPECT_THAT(errorOf(R"(
[[organization]]
id = 7
name = "Org A"
)"),
              StartsWith("test.toml:3: organization[0].id: must be a string"));
  EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[user]]
id = "u1"
organization = "org-a"
name = "U"
email = "u@a.example"
password_hash = "{HASH}"
permissions = "oauth:token:delete"
)"),
              StartsWith("test.toml:17: user[0].permissions: must be an array of strings"));
  EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[client]]
id = "c1"
organization = "org-a"
name = "C"
grant_type = "TOKEN"
scope = ["a",
  3]
)"),
              StartsWith("test.toml:17: client[0].scope: must be an array of strings"));
  EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[user]]
id = "u1"
organization = "org-a"
name = "U"
email = "u@a.example"
password_hash = "{HASH}"
cloned_from = "u2"
)"),
              StartsWith("test.toml:17: user[0].cloned_from: must be a table"));
}

TEST(ProvisioningErrors, SectionsMustBeArraysOfTables) {
  EXPECT_THAT(errorOf(R"(
[organization]
id = "org-a"
name = "Org A"
)"),
              StartsWith("test.toml:2: organization: must be an array of tables"));
}

TEST(ProvisioningErrors, UnknownOrganizationReference) {
  EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[group]]
id = "g1"
organization = "org-c"
name = "G"
)"),
              StartsWith("test.toml:13: group[0].organization: no [[organization]] has the id \"org-c\""));
  EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[client]]
id = "c1"
organization = "Org-A"
name = "C"
grant_type = "TOKEN"
)"),
              StartsWith("test.toml:13: client[0].organization:"));
}

TEST(ProvisioningErrors, DuplicateIds) {
  EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[organization]]
id = "org-a"
name = "Org A again"
)"),
              StartsWith("test.toml:12: organization[2].id: \"org-a\" is used twice"));
  EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[user]]
id = "u1"
organization = "org-a"
name = "U"
email = "u@a.example"
password_hash = "{HASH}"

[[user]]
id = "u1"
organization = "org-b"
name = "U in B"
email = "u@b.example"
password_hash = "{HASH}"
)"),
              StartsWith("test.toml:19: user[1].id: \"u1\" is used twice"));
  EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[client]]
id = "c1"
organization = "org-a"
name = "C"
grant_type = "TOKEN"

[[client]]
id = "c1"
organization = "org-b"
name = "C"
grant_type = "TOKEN"
)"),
              StartsWith("test.toml:18: client[1].id: \"c1\" is used twice"));
  EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[group]]
id = "g"
organization = "org-a"
name = "G"

[[group]]
id = "g"
organization = "org-b"
name = "G"
)"),
              StartsWith("test.toml:17: group[1].id: \"g\" is used twice"));
}

TEST(ProvisioningErrors, DuplicateEmailInAnOrganizationIgnoringCase) {
  EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[user]]
id = "u1"
organization = "org-a"
name = "U"
email = "same@a.example"
password_hash = "{HASH}"

[[user]]
id = "u2"
organization = "org-a"
name = "U2"
email = "Same@A.example"
password_hash = "{HASH}"
)"),
              StartsWith("test.toml:22: user[1].email:"));
  // The same email in two organizations is two people.
  const auto p = parse(std::string(kOrgs) + R"(
[[user]]
id = "u1"
organization = "org-a"
name = "U"
email = "same@example.com"
password_hash = "{HASH}"

[[user]]
id = "u2"
organization = "org-b"
name = "U2"
email = "same@example.com"
password_hash = "{HASH}"
)");
  EXPECT_EQ(p.directory.userByEmail("org-a", "SAME@example.com")->id, "u1");
  EXPECT_EQ(p.directory.userByEmail("org-b", "same@EXAMPLE.com")->id, "u2");
}

TEST(ProvisioningErrors, EmailMustLookLikeOne) {
  EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[user]]
id = "u1"
organization = "org-a"
name = "U"
email = "alice"
password_hash = "{HASH}"
)"),
              StartsWith("test.toml:15: user[0].email:"));
}

TEST(ProvisioningErrors, BadGrantType) {
  for (const char* grant : {"CLIENT_CREDENTIALS", "code", "DEVICE", "outdated_sdk_version"}) {
    EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[client]]
id = "c1"
organization = "org-a"
name = "C"
secret = "s"
grant_type = ")" + grant + "\"\n"),
                StartsWith("test.toml:16: client[0].grant_type: must be CODE, TOKEN, SAML2-BEARER, PASSWORD or "
                           "CLIENT-CREDENTIALS"))
        << grant;
  }
}

TEST(ProvisioningErrors, BadClientState) {
  EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[client]]
id = "c1"
organization = "org-a"
name = "C"
grant_type = "TOKEN"
state = "Active"
)"),
              StartsWith("test.toml:16: client[0].state: must be active, disabled or inactive"));
}

TEST(ProvisioningErrors, GroupOfAnotherOrganization) {
  EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[group]]
id = "g-b"
organization = "org-b"
name = "B's group"

[[user]]
id = "u1"
organization = "org-a"
name = "U"
email = "u@a.example"
password_hash = "{HASH}"
groups = ["g-b"]
)"),
              StartsWith("test.toml:22: user[0].groups: \"g-b\" is not a group of organization \"org-a\""));
  EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[user]]
id = "u1"
organization = "org-a"
name = "U"
email = "u@a.example"
password_hash = "{HASH}"
groups = ["g-nowhere"]
)"),
              StartsWith("test.toml:17: user[0].groups: \"g-nowhere\""));
}

TEST(ProvisioningErrors, ValidityOutOfRange) {
  for (const char* value : {"299", "172801", "0", "-86400", "\"3600\"", "3600.0"}) {
    EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[client]]
id = "c1"
organization = "org-a"
name = "C"
grant_type = "TOKEN"
access_token_validity_seconds = )" + value + "\n"),
                StartsWith("test.toml:16: client[0].access_token_validity_seconds: must be an integer from 300 to "
                           "172800"))
        << value;
  }
}

TEST(ProvisioningErrors, ValidityBoundsAreAccepted) {
  const auto p = parse(std::string(kOrgs) + R"(
[[client]]
id = "short"
organization = "org-a"
name = "C"
grant_type = "TOKEN"
access_token_validity_seconds = 300

[[client]]
id = "long"
organization = "org-a"
name = "C"
grant_type = "TOKEN"
access_token_validity_seconds = 172800
)");
  EXPECT_EQ(p.directory.client("short")->accessTokenValiditySeconds, 300);
  EXPECT_EQ(p.directory.client("long")->accessTokenValiditySeconds, 172800);
}

TEST(ProvisioningErrors, BothPasswordAndPasswordHash) {
  EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[user]]
id = "u1"
organization = "org-a"
name = "U"
email = "u@a.example"
password = "pw"
password_hash = "{HASH}"
)"),
              StartsWith("test.toml:11: user[0].password: give password or password_hash, not both"));
  EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[client]]
id = "c1"
organization = "org-a"
name = "C"
grant_type = "CLIENT-CREDENTIALS"
secret = "s"
secret_hash = "{HASH}"
)"),
              StartsWith("test.toml:11: client[0].secret: give secret or secret_hash, not both"));
}

TEST(ProvisioningErrors, PasswordHashMustBeAHash) {
  EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[user]]
id = "u1"
organization = "org-a"
name = "U"
email = "u@a.example"
password_hash = "pw"
)"),
              StartsWith("test.toml:16: user[0].password_hash:"));
  EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[user]]
id = "u1"
organization = "org-a"
name = "U"
email = "u@a.example"
password = ""
)"),
              StartsWith("test.toml:16: user[0].password: must not be empty"));
}

TEST(ProvisioningErrors, PasswordHashMustBeAWellFormedHash) {
  // A hash cut short by a bad copy and paste would lock its user out for good, silently.
  const auto truncated = pwHash().substr(0, pwHash().size() / 2);
  EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[user]]
id = "u1"
organization = "org-a"
name = "U"
email = "u@a.example"
password_hash = ")" + truncated + "\"\n"),
              StartsWith("test.toml:16: user[0].password_hash:"));
  EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[client]]
id = "c1"
organization = "org-a"
name = "C"
grant_type = "CLIENT-CREDENTIALS"
secret_hash = "$argon2id$garbage"
)"),
              StartsWith("test.toml:16: client[0].secret_hash:"));
}

TEST(ProvisioningErrors, SecretRequiredForConfidentialClients) {
  for (const char* grant : {"CLIENT-CREDENTIALS", "PASSWORD", "SAML2-BEARER"}) {
    EXPECT_THAT(errorOf(std::string(kOrgs) + R"(
[[client]]
id = "c1"
organization = "org-a"
name = "C"
grant_type = ")" + grant + "\"\n"),
                StartsWith(std::string("test.toml:11: client[0].secret: is required for ") + grant + " clients"))
        << grant;
  }
}

TEST(ProvisioningErrors, PublicClientsNeedNoSecret) {
  const auto p = parse(std::string(kOrgs) + R"(
[[client]]
id = "pkce"
organization = "org-a"
name = "PKCE app"
grant_type = "CODE"
redirect_uris = ["http://localhost/cb"]

[[client]]
id = "implicit"
organization = "org-a"
name = "SPA"
grant_type = "TOKEN"
)");
  EXPECT_TRUE(p.directory.client("pkce")->secretHash.empty());
  EXPECT_TRUE(p.directory.client("implicit")->secretHash.empty());
  EXPECT_TRUE(p.clearSecrets.empty());
}

TEST(ProvisioningErrors, TomlSyntaxErrorNamesFileAndLine) {
  EXPECT_THAT(errorOf(R"(
[[organization]]
id = "org-a"
name = "Org A
)"),
              StartsWith("test.toml:4: "));
  EXPECT_THAT(errorOf("[[organization]]\nid = \"a\"\nid = \"b\"\n"), StartsWith("test.toml:3: "));
}

TEST(ProvisioningErrors, SourceNameIsUsedVerbatim) {
  try {
    parseProvisioning("[[organization]]\nname = \"x\"\n", "/etc/tokens/provision.toml");
    FAIL() << "no error";
  } catch (const ProvisioningError& e) {
    EXPECT_THAT(e.what(), StartsWith("/etc/tokens/provision.toml:1: organization[0].id: is required"));
  }
}

// ---- what a good file gives --------------------------------------------------------------------------

TEST(ProvisioningContent, PasswordHashProducedByHashSecretIsAccepted) {
  const auto p = parse(std::string(kOrgs) + R"(
[[user]]
id = "u1"
organization = "org-a"
name = "U"
email = "U1@A.example"
password_hash = "{HASH}"
)");
  const auto* u = p.directory.user("u1");
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->passwordHash, pwHash());
  EXPECT_TRUE(verifySecret(u->passwordHash, "pw"));
  EXPECT_EQ(p.directory.userByEmail("org-a", "u1@a.example"), u);
}

TEST(ProvisioningContent, SecretHashProducedByHashSecretIsAccepted) {
  const auto p = parse(std::string(kOrgs) + R"(
[[client]]
id = "c1"
organization = "org-a"
name = "C"
grant_type = "CLIENT-CREDENTIALS"
secret_hash = "{HASH}"
)");
  EXPECT_TRUE(verifySecret(p.directory.client("c1")->secretHash, "pw"));
  EXPECT_TRUE(p.clearSecrets.empty());  // no clear secret was given
}

TEST(ProvisioningContent, ClearSecretIsHashedAndListed) {
  const auto p = parse(std::string(kOrgs) + R"(
[[client]]
id = "c1"
organization = "org-b"
name = "C"
grant_type = "PASSWORD"
secret = "open sesame"
state = "inactive"
)");
  const auto* c = p.directory.client("c1");
  EXPECT_NE(c->secretHash, "open sesame");
  EXPECT_TRUE(verifySecret(c->secretHash, "open sesame"));
  EXPECT_EQ(c->state, ClientState::inactive);
  EXPECT_EQ(c->accessTokenValiditySeconds, 86400);
  EXPECT_THAT(p.clearSecrets, ElementsAre(std::pair<std::string, std::string>{"c1", "open sesame"}));
}

TEST(ProvisioningContent, OrderOfSectionsDoesNotMatter) {
  // Users before the groups and organizations they name: references resolve all the same.
  const auto p = parse(R"(
[[user]]
id = "u1"
organization = "org-a"
name = "U"
email = "u@a.example"
password_hash = "{HASH}"
groups = ["g1"]

[[group]]
id = "g1"
organization = "org-a"
name = "G"

[[organization]]
id = "org-a"
name = "Org A"
)");
  EXPECT_THAT(p.directory.user("u1")->groups, ElementsAre("g1"));
}

TEST(ProvisioningContent, EmptyFileIsAnEmptyDirectory) {
  const auto p = parseProvisioning("", "empty.toml");
  EXPECT_EQ(p.directory.organizationCount(), 0u);
  EXPECT_EQ(p.directory.userCount(), 0u);
}

TEST(ProvisioningContent, LoadingTwiceGivesTheSameDirectory) {
  const std::string text = std::string(kOrgs) + R"(
[[group]]
id = "g1"
organization = "org-b"
name = "G"

[[user]]
id = "u1"
organization = "org-b"
name = "U"
email = "u@b.example"
password_hash = "{HASH}"
groups = ["g1"]
permissions = ["oauth:token:delete"]
)";
  const auto a = parse(text);
  const auto b = parse(text);
  EXPECT_EQ(a.directory.organizationCount(), b.directory.organizationCount());
  EXPECT_EQ(a.directory.userCount(), b.directory.userCount());
  const auto* ua = a.directory.user("u1");
  const auto* ub = b.directory.user("u1");
  EXPECT_EQ(ua->passwordHash, ub->passwordHash);
  EXPECT_EQ(ua->groups, ub->groups);
  EXPECT_EQ(ua->permissions, ub->permissions);
  EXPECT_TRUE(b.directory.organization("org-b")->hipaa);
}

}  // namespace
