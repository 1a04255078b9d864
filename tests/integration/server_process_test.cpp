// The executable itself: its flags, its config file, its refusals at start-up.

#include <fstream>

#include "api_test_support.h"

namespace tokens::testing {
namespace {

TEST(ServerProcessTest, HelpDocumentsEveryFlagOfTheContract) {
  const auto [code, text] = ServerProcess::runToCompletion({"--help"});
  EXPECT_EQ(code, 0);
  for (const auto* flag : {"--listen", "--threads", "--provision", "--store", "--config", "--emulator", "--log-level",
                           "--rate-limit-per-token", "--rate-limit-grants-per-client"})
    EXPECT_NE(text.find(flag), std::string::npos) << flag;
}

TEST(ServerProcessTest, ABadProvisioningFileStopsStartUpNamingFileLineAndField) {
  const auto dir = makeTempDir();
  const auto path = dir + "/bad.toml";
  std::ofstream(path) << "[[organization]]\nid = \"a\"\nname = \"A\"\n\n[[user]]\nid = \"u\"\norganization = \"a\"\n"
                         "name = \"U\"\nemail = \"u@a.example\"\npassword = \"p\"\ncolour = \"blue\"\n";
  const auto [code, text] = ServerProcess::runToCompletion({"--provision", path, "--store", "memory:", "--listen", "127.0.0.1:0"});
  EXPECT_EQ(code, 2);
  EXPECT_NE(text.find(path + ":11: user[0].colour: unknown key"), std::string::npos) << text;

  std::ofstream(path) << "[[client]]\nid = \"c\"\norganization = \"nowhere\"\nname = \"C\"\ngrant_type = \"TOKEN\"\n";
  const auto [code2, text2] = ServerProcess::runToCompletion({"--provision", path, "--store", "memory:"});
  EXPECT_EQ(code2, 2);
  EXPECT_NE(text2.find(path + ":3: client[0].organization"), std::string::npos) << text2;
}

TEST(ServerProcessTest, HashSecretGivesAHashThatProvisioningAccepts) {
  const auto [code, hash] = ServerProcess::runToCompletion({"--hash-secret"}, "s3cret-value\n");
  ASSERT_EQ(code, 0);
  const auto line = hash.substr(0, hash.find('\n'));
  EXPECT_EQ(line.rfind("$argon2id$", 0), 0U) << line;
  EXPECT_EQ(line.find("s3cret-value"), std::string::npos);

  const auto dir = makeTempDir();
  std::ofstream(dir + "/p.toml") << "[[organization]]\nid = \"o\"\nname = \"O\"\n\n[[client]]\nid = \"svc\"\norganization = \"o\"\n"
                                    "name = \"Service\"\ngrant_type = \"CLIENT-CREDENTIALS\"\nsecret_hash = \"" << line << "\"\n";
  auto server = startServer({.provision = dir + "/p.toml"});
  HttpClient http(server->baseUrl());
  EXPECT_EQ(http.postForm("/oauth/token", "grant_type=client_credentials", "svc", "s3cret-value").status, 200);
  EXPECT_EQ(http.postForm("/oauth/token", "grant_type=client_credentials", "svc", "wrong").status, 401);
}

TEST(ServerProcessTest, HashSecretReadsALineEndingInCrLfAsTheSecretWithoutThem) {
  // A secret kept in a file edited on Windows: "x\r\n" is the secret "x", not "x\r".
  for (const std::string input : {"s3cret-value\r\n", "s3cret-value\n", "s3cret-value"}) {
    const auto [code, out] = ServerProcess::runToCompletion({"--hash-secret"}, input);
    ASSERT_EQ(code, 0);
    const auto hash = out.substr(0, out.find('\n'));
    const auto dir = makeTempDir();
    std::ofstream(dir + "/p.toml") << "[[organization]]\nid = \"o\"\nname = \"O\"\n\n[[client]]\nid = \"svc\"\n"
                                      "organization = \"o\"\nname = \"Service\"\ngrant_type = \"CLIENT-CREDENTIALS\"\n"
                                      "secret_hash = \"" << hash << "\"\n";
    auto server = startServer({.provision = dir + "/p.toml"});
    HttpClient http(server->baseUrl());
    EXPECT_EQ(http.postForm("/oauth/token", "grant_type=client_credentials", "svc", "s3cret-value").status, 200)
        << "input ending " << (input.ends_with("\r\n") ? "CR LF" : input.ends_with("\n") ? "LF" : "nothing");
  }
  EXPECT_EQ(ServerProcess::runToCompletion({"--hash-secret"}, "\r\n").first, 2) << "an empty secret is refused";
}

TEST(ServerProcessTest, AConfigFileSetsTheSameKeysAsTheFlags) {
  const auto dir = makeTempDir();
  std::ofstream(dir + "/server.toml") << "rate-limit-per-token = 2\nemulator = true\nlog-level = \"warn\"\n";
  auto server = startServer({.emulator = false, .extraArgs = {"--config", dir + "/server.toml"}});
  HttpClient http(server->baseUrl());
  EXPECT_EQ(http.get("/_emulator/clock").status, 200) << "emulator = true came from the file";
  const auto token = acmeAdminToken(http);
  EXPECT_EQ(http.head("/api/v2/tokens/me", token).status, 200);
  EXPECT_EQ(http.head("/api/v2/tokens/me", token).status, 200);
  EXPECT_EQ(http.head("/api/v2/tokens/me", token).status, 429);
}

TEST(ServerProcessTest, ASecondServerCannotTakeAPortInUse) {
  auto first = startServer();
  const auto [code, text] = ServerProcess::runToCompletion(
      {"--listen", "127.0.0.1:" + std::to_string(first->port()), "--store", "memory:"});
  EXPECT_EQ(code, 2);
  EXPECT_NE(text.find("cannot listen"), std::string::npos) << text;
  HttpClient http(first->baseUrl());
  EXPECT_EQ(http.get("/healthz").status, 200);
}

TEST(ServerProcessTest, AnUnknownStoreIsRefused) {
  const auto [code, text] = ServerProcess::runToCompletion({"--store", "postgres://x", "--listen", "127.0.0.1:0"});
  EXPECT_EQ(code, 2);
  EXPECT_NE(text.find("unknown store"), std::string::npos) << text;
}

}  // namespace
}  // namespace tokens::testing
