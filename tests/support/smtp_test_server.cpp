#include "tests/support/smtp_test_server.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace paperbot::testing {
namespace {

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace

bool aiosmtpd_available() {
  static const bool available = [] {
    if (!std::filesystem::exists(kSystemPython)) return false;
    std::string command = std::string(kSystemPython) + " -c 'import aiosmtpd' >/dev/null 2>&1";
    return std::system(command.c_str()) == 0;
  }();
  return available;
}

SmtpTestServer::SmtpTestServer(const std::filesystem::path& dir, SmtpServerOptions options) {
  std::random_device random;
  folder_ = dir / ("smtp-" + std::to_string(random()));
  std::filesystem::create_directories(folder_ / "mail");
  const auto port_file = folder_ / "port";

  std::vector<std::string> arguments{PAPERBOT_SMTP_TEST_SERVER_SCRIPT, "--folder",
                                     (folder_ / "mail").string(), "--port-file",
                                     port_file.string()};
  const auto add_each = [&](const char* flag, const std::vector<std::string>& values) {
    for (const std::string& value : values) arguments.insert(arguments.end(), {flag, value});
  };
  add_each("--reject", options.reject);
  add_each("--defer", options.defer);
  add_each("--drop", options.drop);
  if (!options.tls_cert.empty()) {
    arguments.insert(arguments.end(), {"--tls-cert", options.tls_cert.string(), "--tls-key",
                                       options.tls_key.string()});
  }
  if (options.smtps) arguments.push_back("--smtps");
  if (!options.auth.empty()) arguments.insert(arguments.end(), {"--auth", options.auth});
  if (options.discard) arguments.push_back("--discard");

  process_ = std::make_unique<DaemonProcess>(
      kSystemPython, arguments, std::map<std::string, std::string>{}, folder_ / "server.log");
  bool listening =
      wait_until([&] { return std::filesystem::exists(port_file) || !process_->running(); },
                 std::chrono::seconds(15));
  if (!listening || !std::filesystem::exists(port_file))
    throw std::runtime_error("the SMTP test server did not start: " + process_->log());
  port_ = std::stoi(read_all(port_file));
}

SmtpTestServer::~SmtpTestServer() {
  process_->signal(SIGTERM);
  if (process_->wait(std::chrono::seconds(5)) == -1) process_->kill_now();
}

std::string SmtpTestServer::url(std::string_view scheme) const {
  return std::string(scheme) + "://127.0.0.1:" + std::to_string(port_) + "/paperbot.test";
}

std::vector<ReceivedMessage> SmtpTestServer::messages() const {
  // A message is complete once its .json exists: the server writes it after the .eml.
  std::vector<std::filesystem::path> envelopes;
  for (const auto& entry : std::filesystem::directory_iterator(folder_ / "mail")) {
    if (entry.path().extension() == ".json") envelopes.push_back(entry.path());
  }
  std::sort(envelopes.begin(), envelopes.end());

  std::vector<ReceivedMessage> messages;
  for (const auto& path : envelopes) {
    const boost::json::value details = boost::json::parse(read_all(path));
    ReceivedMessage message;
    message.bytes = read_all(std::filesystem::path(path).replace_extension(".eml"));
    message.peer = std::string(details.at("peer").as_string());
    message.mail_from = std::string(details.at("mail_from").as_string());
    for (const auto& recipient : details.at("rcpt_tos").as_array())
      message.rcpt_tos.emplace_back(recipient.as_string());
    messages.push_back(std::move(message));
  }
  return messages;
}

}  // namespace paperbot::testing
