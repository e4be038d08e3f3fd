// An SMTP client over libcurl that sends one message to one recipient per call, many calls over
// one kept-alive connection.
//
// Security: `starttls` (the default) connects to smtp:// and requires STARTTLS; a server that does
// not offer it fails the send before MAIL FROM, so nothing is ever sent in clear text by
// accident. `tls` connects to smtps:// (TLS from the first byte). `plain` sends in clear text and
// is only used when the configuration says so; it refuses a username, so a password never
// crosses the network unencrypted. Certificates are always verified (ca_file replaces the system
// store, for tests and private CAs).
//
// Connection: the libcurl easy handle, and with it the open connection, is kept between sends;
// the next message starts at MAIL FROM with no new greeting. libcurl reconnects by itself when
// the server closed the connection, and after any failed send. Idle connections are dropped by
// libcurl after about two minutes; QUIT is sent by disconnect() and by the destructor.
//
// Results: a send is accepted (the server answered 250 after the data), or fails with a kind
// that says what to do next: a 4xx reply is kDeferred (try later), a 5xx reply kRejected (for
// good, the server's words in the message), a server that could not be reached is kUnreachable
// and a connection that broke or timed out kConnection (both: try later), a TLS or STARTTLS problem
// is kSecurity and a refused login (535, or 530 "authentication required") kLogin (both need a
// person). An address that fails address_problem is kInvalid and never reaches the server, so no CR
// or LF can be injected into an SMTP command.
//
// Logging: the dialogue goes to the logger at trace level with AUTH exchanges hidden; the
// password is never logged. Thread safety: one thread at a time per client.
#pragma once

#include "core/common/result.hpp"

#include <boost/system/result.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace spdlog {
class logger;
}

namespace paperbot {

enum class SmtpSecurity { kStartTls, kTls, kPlain };

// "starttls", "tls" or "plain"; empty for anything else.
std::optional<SmtpSecurity> parse_smtp_security(std::string_view text);
std::string_view to_string(SmtpSecurity security);

struct SmtpOptions {
  // smtp://host:port/EHLO-NAME (starttls, plain) or smtps://host:port/EHLO-NAME (tls). The path
  // is the name the client gives in EHLO: the sending domain.
  std::string url;
  SmtpSecurity security = SmtpSecurity::kStartTls;
  std::string username;  // empty: no AUTH
  std::string password;  // never logged
  std::string ca_file;   // PEM file of trusted certificates; empty: the system's
  std::chrono::milliseconds connect_timeout{15'000};
  std::chrono::milliseconds message_timeout{120'000};  // one whole send, connection included
  bool reuse_connection = true;  // false: a new connection per message (the benchmark's baseline)
};

enum class SmtpFailureKind {
  kDeferred,     // 4xx: the server asks to try again later
  kRejected,     // 5xx: this message will not be accepted
  kUnreachable,  // no connection could be made, or the server never answered a line
  kConnection,   // the connection broke or timed out during the exchange
  kSecurity,     // TLS handshake, certificate, or STARTTLS not offered
  kLogin,        // the server refused the login or wants one
  kInvalid,      // refused before talking to the server (a bad address)
};

std::string_view to_string(SmtpFailureKind kind);

struct SmtpFailure {
  SmtpFailureKind kind = SmtpFailureKind::kConnection;
  int reply_code = 0;   // the server's last reply code, 0 when it gave none
  std::string message;  // one line: the failed step and the server's reply text

  std::string to_string() const { return message; }
};

// Called by SmtpResult<T>::value() on an error: a programming error, since callers check first.
[[noreturn]] void throw_exception_from_error(const SmtpFailure& failure,
                                             const boost::source_location& location);

template <class T>
using SmtpResult = boost::system::result<T, SmtpFailure>;

struct SmtpAccepted {
  std::string reply;  // the server's final reply, e.g. "250 OK queued as 1A2B"
};

class SmtpClient {
 public:
  // Checks the options: the scheme must match the security (smtps:// for tls, smtp:// else), the
  // URL must name a host, and plain refuses a username. An Error (step "configure SMTP") says
  // which. `logger` must not be null.
  static Result<std::unique_ptr<SmtpClient>> create(SmtpOptions options,
                                                    std::shared_ptr<spdlog::logger> logger);
  ~SmtpClient();
  SmtpClient(const SmtpClient&) = delete;
  SmtpClient& operator=(const SmtpClient&) = delete;

  // Sends `message` (complete RFC 5322 bytes, CRLF line ends, not dot-stuffed) with envelope
  // sender `mail_from` to the one `recipient`.
  SmtpResult<SmtpAccepted> send(std::string_view mail_from, std::string_view recipient,
                                std::string_view message);

  // Ends the connection with QUIT; the next send opens a new one.
  void disconnect();

  // Connections opened so far (each counted once, however many messages it carried).
  std::int64_t connections_opened() const { return connections_opened_; }

 private:
  struct Session;  // the libcurl handle and the reply capture

  SmtpClient(SmtpOptions options, std::shared_ptr<spdlog::logger> logger);
  std::unique_ptr<Session> new_session() const;  // a configured handle, no connection yet

  SmtpOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
  std::unique_ptr<Session> session_;
  std::int64_t connections_opened_ = 0;
};

}  // namespace paperbot
