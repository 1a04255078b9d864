// `gctokens profiles new|list`: the file's permissions, and that listing never shows a secret.

#include <sys/stat.h>

#include <yaml-cpp/yaml.h>

#include "cli_test_support.h"

namespace tokens::testing {
namespace {

using CliProfilesTest = CliTest;

mode_t permissions(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

const std::string kLongToken = "tok-abcdefghijklmnopqrstuvwxyz-0123456789-WXYZ";

TEST_F(CliProfilesTest, NewCreatesTheFileWithMode0600InADirectoryWithMode0700) {
  const auto r = gct({"profiles", "new", "local", "--base-url", "http://127.0.0.1:8080", "--client-id", "acme-admin-service",
                      "--client-secret", "acme-admin-secret"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(permissions(env.home + "/.gctokens"), 0700u);
  EXPECT_EQ(permissions(configPath()), 0600u);
  const auto text = configText();
  EXPECT_NE(text.find("[local]"), std::string::npos) << text;
  EXPECT_NE(text.find("base_url = 'http://127.0.0.1:8080'"), std::string::npos) << text;
  EXPECT_NE(text.find("client_secret = 'acme-admin-secret'"), std::string::npos) << text;

  // Rewriting keeps the mode, even when someone loosened it in between.
  ASSERT_EQ(::chmod(configPath().c_str(), 0644), 0);
  ASSERT_EQ(gct({"profiles", "new", "prod", "--region", "eu_west_1", "--access-token", kLongToken}).exitCode, 0);
  EXPECT_EQ(permissions(configPath()), 0600u);
}

TEST_F(CliProfilesTest, TheDefaultPathIsUnderHome) {
  env.vars["GCTOKENS_CONFIG"] = std::nullopt;
  ASSERT_EQ(gct({"profiles", "new", "default", "--region", "us_east_1"}).exitCode, 0);
  EXPECT_EQ(permissions(env.home + "/.gctokens/config.toml"), 0600u);
}

TEST_F(CliProfilesTest, ConfigFlagAndVariableChooseTheFile) {
  const std::string viaFlag = env.home + "/a/b/flag.toml";
  ASSERT_EQ(gct({"--config", viaFlag, "profiles", "new", "x", "--region", "us_east_1"}).exitCode, 0);
  EXPECT_EQ(permissions(viaFlag), 0600u);
  EXPECT_EQ(permissions(env.home + "/a"), 0700u);
  env.vars["GCTOKENS_CONFIG"] = viaFlag;
  const auto list = gct({"profiles", "list"});
  ASSERT_EQ(list.exitCode, 0) << list.err;
  EXPECT_EQ(parseJsonText(list.out).as_array().at(0).at("name"), "x");
}

TEST_F(CliProfilesTest, ListMasksSecretsAndTokensInEveryFormat) {
  ASSERT_EQ(gct({"profiles", "new", "local", "--base-url", "http://127.0.0.1:8080", "--client-id", "acme-admin-service",
                 "--client-secret", "acme-admin-secret"})
                .exitCode,
            0);
  ASSERT_EQ(gct({"profiles", "new", "prod", "--region", "eu_west_1", "--access-token", kLongToken}).exitCode, 0);
  ASSERT_EQ(gct({"profiles", "new", "short", "--client-id", "id", "--client-secret", "tiny"}).exitCode, 0);

  const auto json = gct({"profiles", "list"});
  ASSERT_EQ(json.exitCode, 0) << json.err;
  const auto rows = parseJsonText(json.out).as_array();
  ASSERT_EQ(rows.size(), 3u);
  const auto& local = rows.at(0).as_object();
  EXPECT_EQ(local.at("name"), "local");
  EXPECT_EQ(local.at("baseUrl"), "http://127.0.0.1:8080");
  EXPECT_EQ(local.at("clientId"), "acme-admin-service");
  EXPECT_EQ(local.at("clientSecret"), "****cret");
  EXPECT_EQ(rows.at(1).at("region"), "eu_west_1");
  EXPECT_EQ(rows.at(1).at("accessToken"), "****WXYZ");
  EXPECT_EQ(rows.at(2).at("clientSecret"), "****") << "a short secret shows nothing of itself";

  for (const char* format : {"json", "yaml", "table"}) {
    const auto r = gct({"profiles", "list", "--output", format});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out.find("acme-admin-secret"), std::string::npos) << format << ": " << r.out;
    EXPECT_EQ(r.out.find(kLongToken), std::string::npos) << format << ": " << r.out;
    EXPECT_EQ(r.out.find("tiny"), std::string::npos) << format << ": " << r.out;
    EXPECT_NE(r.out.find("local"), std::string::npos) << format;
    EXPECT_NE(r.out.find("****cret"), std::string::npos) << format;
  }
}

TEST_F(CliProfilesTest, ListMarksTheCurrentProfile) {
  ASSERT_EQ(gct({"profiles", "new", "default", "--region", "us_east_1"}).exitCode, 0);
  ASSERT_EQ(gct({"profiles", "new", "other", "--region", "eu_west_1"}).exitCode, 0);
  auto current = [&](const std::vector<std::string>& args) {
    const auto r = gct(args);
    const auto rows = parseJsonText(r.out);
    for (const auto& row : rows.as_array())
      if (row.at("current").as_bool()) return std::string(row.at("name").as_string());
    return std::string();
  };
  EXPECT_EQ(current({"profiles", "list"}), "default");
  EXPECT_EQ(current({"--profile", "other", "profiles", "list"}), "other");
  env.vars["GCTOKENS_PROFILE"] = "other";
  EXPECT_EQ(current({"profiles", "list"}), "other");
}

TEST_F(CliProfilesTest, NewRefusesToReplaceWithoutForce) {
  ASSERT_EQ(gct({"profiles", "new", "p", "--region", "us_east_1"}).exitCode, 0);
  const auto again = gct({"profiles", "new", "p", "--region", "eu_west_1"});
  EXPECT_EQ(again.exitCode, 2);
  EXPECT_NE(parseJsonText(again.err).at("message").as_string().find("--force"), std::string::npos);
  ASSERT_EQ(gct({"profiles", "new", "p", "--region", "eu_west_1", "--force"}).exitCode, 0);
  EXPECT_EQ(parseJsonText(gct({"profiles", "list"}).out).as_array().at(0).at("region"), "eu_west_1");
}

TEST_F(CliProfilesTest, NewValidatesWhatItWrites) {
  EXPECT_EQ(gct({"profiles", "new", "bad name", "--region", "us_east_1"}).exitCode, 2);
  EXPECT_EQ(gct({"profiles", "new", "p", "--region", "mars"}).exitCode, 2);
  EXPECT_EQ(gct({"profiles", "new", "p", "--client-id", "only-the-id"}).exitCode, 2);
  EXPECT_FALSE(std::filesystem::exists(configPath())) << "nothing written after errors";
}

TEST_F(CliProfilesTest, AnEmptyListIsEmpty) {
  const auto json = gct({"profiles", "list"});
  EXPECT_EQ(json.exitCode, 0);
  EXPECT_EQ(parseJsonText(json.out), boost::json::array());
  const auto table = gct({"profiles", "list", "-o", "table"});
  EXPECT_NE(table.out.find("no profiles"), std::string::npos) << table.out;
}

}  // namespace
}  // namespace tokens::testing
