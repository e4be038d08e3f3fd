#include "adapters/email/smtp_client.hpp"

#include "core/email/address.hpp"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>

namespace paperbot {
namespace {

constexpr std::string_view kConfigureStep = "configure SMTP";
constexpr std::size_t kMaxReplyText = 400;

void ensure_curl_global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string_view trim_line_end(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  return line;
}

// The commands whose text is safe to log; anything else the client sends (AUTH and the
// credentials that follow a 334 challenge) is logged as hidden.
bool is_loggable_command(std::string_view line) {
  for (std::string_view verb :
       {"EHLO", "HELO", "MAIL", "RCPT", "DATA", "QUIT", "RSET", "NOOP", "STARTTLS"}) {
    if (line.starts_with(verb)) return true;
  }
  return false;
}

bool is_security_error(CURLcode code) {
  switch (code) {
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS: return true;
    default: return false;
  }
}

SmtpFailureKind classify(CURLcode code, long reply_code, bool server_answered) {
  // 530 is "authentication required" (or, from some servers, "STARTTLS first"), 535 a refused
  // login, 538 "encryption required for this mechanism": all need the settings changed.
  if (code == CURLE_LOGIN_DENIED || reply_code == 530 || reply_code == 535 || reply_code == 538)
    return SmtpFailureKind::kLogin;
  if (is_security_error(code)) return SmtpFailureKind::kSecurity;
  if (reply_code >= 400 && reply_code < 500) return SmtpFailureKind::kDeferred;
  if (reply_code >= 500 && reply_code < 600) return SmtpFailureKind::kRejected;
  // A timeout with not a line from the server: it was never reached, or it does not answer.
  bool unreachable = code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_CONNECT ||
                     (code == CURLE_OPERATION_TIMEDOUT && !server_answered);
  return unreachable ? SmtpFailureKind::kUnreachable : SmtpFailureKind::kConnection;
}

}  // namespace

struct SmtpClient::Session {
  CURL* curl = nullptr;
  spdlog::logger* logger = nullptr;
  bool trace = false;

  std::string_view upload;  // the message being sent
  std::size_t uploaded = 0;

  std::string reply_so_far;      // the lines of a multi-line reply read so far
  std::string last_reply;        // the server's last complete reply
  std::string error_reply;       // its first 4xx or 5xx reply in this send: the one that failed it
  bool in_auth = false;          // between AUTH and its final reply: the client's lines are secret
  bool server_answered = false;  // a line came from the server during this send
  char error_buffer[CURL_ERROR_SIZE] = {};

  ~Session() {
    if (curl != nullptr) curl_easy_cleanup(curl);
  }

  void on_server_line(std::string_view line) {
    server_answered = true;
    if (trace) logger->trace("smtp < {}", line);
    // "250-..." continues a reply, "250 ..." ends it.
    bool continues = line.size() > 3 && line[3] == '-';
    if (!reply_so_far.empty()) reply_so_far += " ";
    reply_so_far += line;
    if (continues) return;
    // The "221" to a QUIT closing the connection is not the answer to the message.
    if (!line.starts_with("221")) last_reply = reply_so_far.substr(0, kMaxReplyText);
    reply_so_far.clear();
    // libcurl closes a failed connection with QUIT; its reply must not hide the refusal.
    if (error_reply.empty() && (line.starts_with('4') || line.starts_with('5')))
      error_reply = last_reply;
    in_auth = in_auth && line.starts_with("334");
  }

  void on_client_line(std::string_view line) {
    if (line.starts_with("AUTH")) in_auth = true;
    if (!trace) return;
    if (in_auth || !is_loggable_command(line)) {
      logger->trace("smtp > [hidden]");
    } else {
      logger->trace("smtp > {}", line);
    }
  }

  static int on_debug(CURL*, curl_infotype type, char* data, size_t size, void* user) {
    auto* session = static_cast<Session*>(user);
    if (type != CURLINFO_HEADER_IN && type != CURLINFO_HEADER_OUT && type != CURLINFO_TEXT)
      return 0;  // message bytes and TLS records are neither logged nor parsed
    std::string_view text(data, size);
    while (!text.empty()) {
      std::size_t end = std::min(text.find('\n'), text.size());
      std::string_view line = trim_line_end(text.substr(0, end));
      text.remove_prefix(std::min(end + 1, text.size()));
      if (type == CURLINFO_HEADER_IN) {
        session->on_server_line(line);
      } else if (type == CURLINFO_HEADER_OUT) {
        session->on_client_line(line);
      } else if (session->trace) {
        session->logger->trace("smtp * {}", line);
      }
    }
    return 0;
  }

  static size_t on_read(char* buffer, size_t size, size_t count, void* user) {
    auto* session = static_cast<Session*>(user);
    std::size_t room = size * count;
    std::size_t left = session->upload.size() - session->uploaded;
    std::size_t length = std::min(room, left);
    std::copy_n(session->upload.data() + session->uploaded, length, buffer);
    session->uploaded += length;
    return length;
  }
};

std::optional<SmtpSecurity> parse_smtp_security(std::string_view text) {
  if (text == "starttls") return SmtpSecurity::kStartTls;
  if (text == "tls") return SmtpSecurity::kTls;
  if (text == "plain") return SmtpSecurity::kPlain;
  return std::nullopt;
}

std::string_view to_string(SmtpSecurity security) {
  switch (security) {
    case SmtpSecurity::kStartTls: return "starttls";
    case SmtpSecurity::kTls: return "tls";
    case SmtpSecurity::kPlain: return "plain";
  }
  return "starttls";
}

std::string_view to_string(SmtpFailureKind kind) {
  switch (kind) {
    case SmtpFailureKind::kDeferred: return "deferred";
    case SmtpFailureKind::kRejected: return "rejected";
    case SmtpFailureKind::kUnreachable: return "unreachable";
    case SmtpFailureKind::kConnection: return "connection";
    case SmtpFailureKind::kSecurity: return "security";
    case SmtpFailureKind::kLogin: return "login";
    case SmtpFailureKind::kInvalid: return "invalid";
  }
  return "connection";
}

void throw_exception_from_error(const SmtpFailure& failure, const boost::source_location&) {
  throw std::logic_error("an SMTP result read without checking it: " + failure.message);
}

Result<std::unique_ptr<SmtpClient>> SmtpClient::create(SmtpOptions options,
                                                       std::shared_ptr<spdlog::logger> logger) {
  const std::string_view url = options.url;
  const bool implicit_tls = url.starts_with("smtps://");
  if (!implicit_tls && !url.starts_with("smtp://"))
    return make_error(std::string(kConfigureStep), "the URL must start with smtp:// or smtps://");
  std::string_view rest = url.substr(implicit_tls ? 8 : 7);
  if (rest.empty() || rest.front() == '/' || rest.front() == ':')
    return make_error(std::string(kConfigureStep), "the URL names no host");
  if (implicit_tls != (options.security == SmtpSecurity::kTls)) {
    return make_error(std::string(kConfigureStep), "security \"" +
                                                       std::string(to_string(options.security)) +
                                                       "\" needs a URL starting with " +
                                                       (implicit_tls ? "smtp://" : "smtps://"));
  }
  if (options.security == SmtpSecurity::kPlain && !options.username.empty()) {
    return make_error(std::string(kConfigureStep),
                      "a login is never sent over plain SMTP; use starttls or tls");
  }
  if (url.find_first_of("\r\n ") != std::string_view::npos)
    return make_error(std::string(kConfigureStep), "the URL holds a space or a line break");

  ensure_curl_global_init();
  auto client = std::unique_ptr<SmtpClient>(new SmtpClient(std::move(options), std::move(logger)));
  if (client->session_->curl == nullptr)
    return make_error(std::string(kConfigureStep), "libcurl could not make a handle");
  return client;
}

SmtpClient::SmtpClient(SmtpOptions options, std::shared_ptr<spdlog::logger> logger)
    : options_(std::move(options)), logger_(std::move(logger)), session_(new_session()) {}

std::unique_ptr<SmtpClient::Session> SmtpClient::new_session() const {
  auto owned = std::make_unique<Session>();
  Session& session = *owned;
  session.logger = logger_.get();
  session.curl = curl_easy_init();
  CURL* curl = session.curl;
  if (curl == nullptr) return owned;

  // Settings that hold for every message; send() sets the envelope and the data.
  curl_easy_setopt(curl, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(curl, CURLOPT_USE_SSL,
                   options_.security == SmtpSecurity::kPlain ? static_cast<long>(CURLUSESSL_NONE)
                                                             : static_cast<long>(CURLUSESSL_ALL));
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_file.c_str());
  if (!options_.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, options_.password.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.message_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (!options_.reuse_connection) curl_easy_setopt(curl, CURLOPT_FORBID_REUSE, 1L);

  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, &Session::on_read);
  curl_easy_setopt(curl, CURLOPT_READDATA, &session);
  // The debug callback is how the server's reply text is read, so it is always on; it logs only
  // when the logger wants trace.
  curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, &Session::on_debug);
  curl_easy_setopt(curl, CURLOPT_DEBUGDATA, &session);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, session.error_buffer);
  return owned;
}

SmtpClient::~SmtpClient() = default;  // curl_easy_cleanup sends QUIT on an open connection

void SmtpClient::disconnect() {
  // Closing the handle is what closes libcurl's cached connection; its cleanup sends QUIT.
  session_ = new_session();
}

SmtpResult<SmtpAccepted> SmtpClient::send(std::string_view mail_from, std::string_view recipient,
                                          std::string_view message) {
  // Checked addresses hold no CR, LF or space: nothing can be smuggled into MAIL or RCPT.
  if (auto problem = email::address_problem(mail_from))
    return SmtpFailure{SmtpFailureKind::kInvalid, 0, "sender address " + *problem};
  if (auto problem = email::address_problem(recipient))
    return SmtpFailure{SmtpFailureKind::kInvalid, 0, "recipient address " + *problem};

  Session& session = *session_;
  if (session.curl == nullptr)
    return SmtpFailure{SmtpFailureKind::kConnection, 0, "libcurl could not make a handle"};
  session.trace = logger_->should_log(spdlog::level::trace);
  session.upload = message;
  session.uploaded = 0;
  session.reply_so_far.clear();
  session.last_reply.clear();
  session.error_reply.clear();
  session.in_auth = false;
  session.server_answered = false;
  session.error_buffer[0] = '\0';

  // libcurl copies the sender string but keeps a pointer to the recipient list until done.
  const std::string from = "<" + std::string(mail_from) + ">";
  const std::string to = "<" + std::string(recipient) + ">";
  curl_slist* recipients = curl_slist_append(nullptr, to.c_str());
  CURL* curl = session.curl;
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));

  CURLcode code = curl_easy_perform(curl);

  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, nullptr);
  curl_slist_free_all(recipients);
  long reply_code = 0;
  long new_connections = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply_code);
  curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &new_connections);
  connections_opened_ += new_connections;
  session.upload = {};

  if (code == CURLE_OK) return SmtpAccepted{session.last_reply};

  // "RCPT failed: 550" from libcurl, then the server's own words when it gave a reply.
  std::string message_text =
      session.error_buffer[0] != '\0' ? session.error_buffer : curl_easy_strerror(code);
  if (!session.error_reply.empty()) message_text += "; the server said: " + session.error_reply;
  SmtpFailure failure{classify(code, reply_code, session.server_answered),
                      static_cast<int>(reply_code), message_text};
  logger_->debug("SMTP send to {} failed ({}): {}", recipient, to_string(failure.kind),
                 failure.message);
  return failure;
}

}  // namespace paperbot
