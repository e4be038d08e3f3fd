#include "tests/support/daemon_process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace paperbot::testing {

bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout,
                std::chrono::milliseconds poll) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return done();
    std::this_thread::sleep_for(poll);
  }
  return true;
}

DaemonProcess::DaemonProcess(const std::filesystem::path& binary,
                             const std::vector<std::string>& arguments,
                             const std::map<std::string, std::string>& environment,
                             std::filesystem::path log_file)
    : log_file_(std::move(log_file)) {
  std::map<std::string, std::string> merged;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string text(*entry);
    auto equals = text.find('=');
    if (equals != std::string::npos) merged[text.substr(0, equals)] = text.substr(equals + 1);
  }
  for (const auto& [name, value] : environment) {
    if (value.empty()) {
      merged.erase(name);
    } else {
      merged[name] = value;
    }
  }
  std::vector<std::string> env_texts;
  for (const auto& [name, value] : merged) env_texts.push_back(name + "=" + value);
  std::vector<char*> env_pointers = spawn_pointers(env_texts);

  std::vector<std::string> argv_texts{binary.string()};
  argv_texts.insert(argv_texts.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv_pointers = spawn_pointers(argv_texts);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log_file_.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
  int failed = posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv_pointers.data(),
                           env_pointers.data());
  posix_spawn_file_actions_destroy(&actions);
  if (failed != 0) throw std::runtime_error("cannot start " + binary.string());
}

DaemonProcess::~DaemonProcess() {
  if (running()) kill_now();
}

std::string DaemonProcess::log() const {
  std::ifstream in(log_file_);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool DaemonProcess::running() {
  if (reaped_) return false;
  int status = 0;
  pid_t done = waitpid(pid_, &status, WNOHANG);
  if (done == pid_) {
    reaped_ = true;
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
  }
  return true;
}

void DaemonProcess::signal(int number) {
  if (!reaped_) ::kill(pid_, number);
}

void DaemonProcess::kill_now() {
  signal(SIGKILL);
  wait(std::chrono::seconds(10));
}

int DaemonProcess::wait(std::chrono::milliseconds timeout) {
  wait_until([this] { return !running(); }, timeout, std::chrono::milliseconds(10));
  return reaped_ ? status_ : -1;
}

long DaemonProcess::rss_kilobytes() const {
  std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

std::filesystem::path paperbot_binary() {
  const char* binary = std::getenv("PAPERBOT_BIN");
  return binary == nullptr ? std::filesystem::path() : std::filesystem::path(binary);
}

std::vector<char*> spawn_pointers(std::vector<std::string>& texts) {
  std::vector<char*> pointers;
  for (auto& text : texts) pointers.push_back(text.data());
  pointers.push_back(nullptr);
  return pointers;
}

unsigned short logged_server_port(const DaemonProcess& daemon, std::chrono::milliseconds timeout) {
  static const std::regex kListening("web server listening on 127\\.0\\.0\\.1:(\\d+)");
  std::smatch match;
  std::string log;
  bool found = wait_until(
      [&] {
        log = daemon.log();
        return std::regex_search(log, match, kListening);
      },
      timeout);
  return found ? static_cast<unsigned short>(std::stoi(match[1])) : 0;
}

}  // namespace paperbot::testing
