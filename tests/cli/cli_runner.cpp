#include "cli_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace tokens::testing {

std::string gctokensBinaryPath() { return GCTOKENS_BIN; }

namespace {

std::vector<std::string> childEnvironment(const CliEnvironment& env) {
  std::map<std::string, std::string> vars;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    const auto eq = entry.find('=');
    if (eq == std::string::npos) continue;
    const std::string name = entry.substr(0, eq);
    if (name.rfind("GENESYSCLOUD_", 0) == 0 || name.rfind("GCTOKENS_", 0) == 0) continue;
    vars[name] = entry.substr(eq + 1);
  }
  vars["HOME"] = env.home;
  vars["GCTOKENS_CONFIG"] = env.home + "/.gctokens/config.toml";
  for (const auto& [name, value] : env.vars) {
    if (value) vars[name] = *value;
    else vars.erase(name);
  }
  std::vector<std::string> out;
  for (const auto& [name, value] : vars) out.push_back(name + "=" + value);
  return out;
}

}  // namespace

CliProcess::CliProcess(const std::vector<std::string>& args, const CliEnvironment& env, const std::string& stdinText) {
  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe failed");

  std::vector<std::string> argvText{gctokensBinaryPath()};
  argvText.insert(argvText.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argvText) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> envText = childEnvironment(env);
  std::vector<char*> envp;
  for (auto& e : envText) envp.push_back(e.data());
  envp.push_back(nullptr);

  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  fds_[0] = out[0];
  fds_[1] = err[0];

  // Standard input first (small texts: a password, a JSON body), then closed so the child sees EOF.
  ::signal(SIGPIPE, SIG_IGN);
  std::size_t written = 0;
  while (written < stdinText.size()) {
    const ssize_t n = ::write(in[1], stdinText.data() + written, stdinText.size() - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  ::close(in[1]);
}

CliProcess::~CliProcess() {
  if (pid_ > 0) finish(std::chrono::seconds(0));
}

bool CliProcess::pump(std::chrono::steady_clock::time_point deadline, const std::function<bool()>& done) {
  std::string* sinks[2] = {&result_.out, &result_.err};
  while ((fds_[0] >= 0 || fds_[1] >= 0) && !done()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd fds[2] = {{fds_[0], POLLIN, 0}, {fds_[1], POLLIN, 0}};
    if (::poll(fds, 2, static_cast<int>(left.count())) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      char buffer[4096];
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      } else {
        ::close(fds_[i]);
        fds_[i] = -1;
      }
    }
  }
  return true;
}

std::string CliProcess::waitForStderrLine(const std::string& prefix, std::chrono::seconds limit) {
  std::string line;
  auto found = [&] {
    for (std::size_t start = 0, end; (end = result_.err.find('\n', start)) != std::string::npos; start = end + 1) {
      if (result_.err.compare(start, prefix.size(), prefix) == 0) {
        line = result_.err.substr(start, end - start);
        return true;
      }
    }
    return false;
  };
  pump(std::chrono::steady_clock::now() + limit, found);
  return line;
}

CliResult CliProcess::finish(std::chrono::seconds limit) {
  const bool inTime = pump(std::chrono::steady_clock::now() + limit, [] { return false; });
  if (!inTime) ::kill(pid_, SIGKILL);
  for (int& fd : fds_) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  result_.exitCode = inTime && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result_;
}

CliResult runCli(const std::vector<std::string>& args, const CliEnvironment& env, const std::string& stdinText,
                 std::chrono::seconds limit) {
  return CliProcess(args, env, stdinText).finish(limit);
}

}  // namespace tokens::testing
