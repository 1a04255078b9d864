// openInSystemBrowser (declared in LoopbackLogin.h): the desktop's own opener, started without a shell.

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>

#include "PureCloudPlatformClientV2/LoopbackLogin.h"

extern char** environ;

namespace PureCloudPlatformClientV2 {

namespace {

#if defined(__APPLE__)
constexpr const char* kOpener = "open";
#else
constexpr const char* kOpener = "xdg-open";
#endif

// How long the opener may take to tell a failure by its exit status. Openers normally hand the URL to
// the browser and exit at once; some (xdg-open's generic fallback) stay until the browser is closed.
constexpr std::chrono::seconds kOpenerGrace{3};

// The child's standard streams on /dev/null: a browser may print to stdout ("Opening in existing browser
// session."), which is the application's output, not the opener's.
struct SilentStreams {
  posix_spawn_file_actions_t actions;
  SilentStreams() {
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  }
  ~SilentStreams() { posix_spawn_file_actions_destroy(&actions); }
  SilentStreams(const SilentStreams&) = delete;
  SilentStreams& operator=(const SilentStreams&) = delete;
};

}  // namespace

void openInSystemBrowser(const std::string& url) {
#if !defined(__linux__) && !defined(__APPLE__) && !defined(__FreeBSD__)
  throw std::runtime_error("no system browser opener on this system: set LoopbackLoginOptions::openUrl");
#endif
  std::string program = kOpener, argument = url;
  char* argv[] = {program.data(), argument.data(), nullptr};
  SilentStreams streams;
  pid_t pid = 0;
  if (const int error = posix_spawnp(&pid, kOpener, &streams.actions, nullptr, argv, environ); error != 0)
    throw std::runtime_error(std::string("cannot start ") + kOpener + " to open the browser: " + std::strerror(error));

  const auto giveUp = std::chrono::steady_clock::now() + kOpenerGrace;
  int status = 0;
  for (;;) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0) return;  // reaped by someone else (a SIGCHLD handler): its outcome is unknown
    if (std::chrono::steady_clock::now() >= giveUp) {
      // Still running: it has most likely started the browser. A thread reaps it so that no zombie stays.
      std::thread([pid] { waitpid(pid, nullptr, 0); }).detach();
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error(std::string(kOpener) + " could not open the browser (exit status " +
                             std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")");
}

}  // namespace PureCloudPlatformClientV2
