// A real SMTP server on 127.0.0.1 for the e-mail tests and the benchmark: Debian's aiosmtpd run by
// /usr/bin/python3 (tests/support/smtp_test_server.py), which stores what it accepts as files and
// fails on demand: a 550 or a 451 for chosen recipients, or a connection dropped when one is
// named. Plain SMTP, STARTTLS (required) or SMTPS, with or without a required login.
#pragma once

#include "tests/support/daemon_process.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace paperbot::testing {

// The interpreter Debian's python3-aiosmtpd is installed for. The python3 first on PATH may be
// another one (pyenv, a venv) that does not see it.
inline constexpr const char* kSystemPython = "/usr/bin/python3";

// Whether kSystemPython can import aiosmtpd (asked once per process).
bool aiosmtpd_available();

struct SmtpServerOptions {
  std::vector<std::string> reject;  // recipients answered 550 at RCPT TO
  std::vector<std::string> defer;   // recipients answered 451 at RCPT TO
  std::vector<std::string> drop;    // recipients whose RCPT TO closes the connection, unanswered
  std::filesystem::path tls_cert;   // with tls_key: STARTTLS offered and required
  std::filesystem::path tls_key;
  bool smtps = false;    // with the certificate: TLS from the first byte instead of STARTTLS
  std::string auth;      // "user:password": AUTH required (after TLS)
  bool discard = false;  // count messages but write no files (the benchmark)
};

struct ReceivedMessage {
  std::string bytes;  // as the server received them, CRLF line ends
  std::string peer;   // the client's "127.0.0.1:PORT": one per connection
  std::string mail_from;
  std::vector<std::string> rcpt_tos;
};

class SmtpTestServer {
 public:
  // Starts the server with its files under `dir` and waits until it listens. Throws
  // std::runtime_error, with the server's output, when it does not start within 15 s.
  explicit SmtpTestServer(const std::filesystem::path& dir, SmtpServerOptions options = {});
  ~SmtpTestServer();  // SIGTERM, then SIGKILL if it lingers
  SmtpTestServer(const SmtpTestServer&) = delete;
  SmtpTestServer& operator=(const SmtpTestServer&) = delete;

  int port() const { return port_; }

  // "smtp://127.0.0.1:PORT/paperbot.test" (or smtps://): the path is the EHLO name.
  std::string url(std::string_view scheme = "smtp") const;

  // The complete messages received so far, in the order the server accepted them.
  std::vector<ReceivedMessage> messages() const;

  std::string log() const { return process_->log(); }

 private:
  std::filesystem::path folder_;
  std::unique_ptr<DaemonProcess> process_;
  int port_ = 0;
};

// A self-signed certificate (EC P-256, valid for a day) for "localhost" and 127.0.0.1, trusted
// as its own CA, written with its key as PEM files into `dir`.
struct TestCertificate {
  std::filesystem::path cert;
  std::filesystem::path key;
};
TestCertificate make_test_certificate(const std::filesystem::path& dir);

}  // namespace paperbot::testing
