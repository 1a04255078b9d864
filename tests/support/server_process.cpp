#include "server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace tokens::testing {

std::string serverBinaryPath() { return TOKENS_SERVER_BIN; }
std::string demoProvisioningPath() { return std::string(TOKENS_SOURCE_DIR) + "/provisioning/demo.toml"; }

std::string makeTempDir() {
  std::string pattern = "/tmp/tokens-test-XXXXXX";
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

pid_t spawnProcess(const std::vector<std::string>& args, const std::string& out, const std::string& err,
                   const std::string& in) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, args[0].c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("posix_spawn failed for " + args[0]);
  return pid;
}

ServerProcess::ServerProcess(ServerConfig config) : config_(std::move(config)), dir_(makeTempDir()) {
  if (config_.provision.empty()) config_.provision = demoProvisioningPath();
}

bool ServerProcess::alive() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) != pid_) return true;
  pid_ = -1;
  return false;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) stop();
}

void ServerProcess::start() {
  std::vector<std::string> args{serverBinaryPath(), "--listen", "127.0.0.1:0", "--store", config_.store,
                                "--provision", config_.provision, "--threads", std::to_string(config_.threads),
                                "--log-level", config_.logLevel};
  if (config_.emulator) args.emplace_back("--emulator");
  args.insert(args.end(), config_.extraArgs.begin(), config_.extraArgs.end());
  // Each start gets its own stderr file, so the "listening" line found is this run's.
  const auto err = dir_ + "/stderr." + std::to_string(++starts_);
  pid_ = spawnProcess(args, dir_ + "/stdout", err);

  static const std::regex listening(R"(listening on http://127\.0\.0\.1:(\d+))");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    std::smatch m;
    const auto text = readFile(err);
    if (std::regex_search(text, m, listening)) {
      port_ = static_cast<std::uint16_t>(std::stoi(m[1]));
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("tokens-server exited at start-up: " + text);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill9();
  throw std::runtime_error("tokens-server did not start within 30 s");
}

int ServerProcess::waitForExit() {
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return -SIGKILL;
}

int ServerProcess::stop() {
  if (pid_ <= 0) return 0;
  ::kill(pid_, SIGTERM);
  return waitForExit();
}

void ServerProcess::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  waitForExit();
}

std::string ServerProcess::stdoutText() const { return readFile(dir_ + "/stdout"); }
std::string ServerProcess::stderrText() const { return readFile(dir_ + "/stderr." + std::to_string(starts_)); }

std::pair<int, std::string> ServerProcess::runToCompletion(const std::vector<std::string>& args,
                                                           const std::string& stdinText) {
  const auto dir = makeTempDir();
  {
    std::ofstream in(dir + "/stdin");
    in << stdinText;
  }
  std::vector<std::string> full{serverBinaryPath()};
  full.insert(full.end(), args.begin(), args.end());
  const pid_t pid = spawnProcess(full, dir + "/stdout", dir + "/stderr", dir + "/stdin");
  int status = 0;
  waitpid(pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, readFile(dir + "/stderr") + readFile(dir + "/stdout")};
}

}  // namespace tokens::testing
