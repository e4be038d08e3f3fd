#include "adapters/email/email_sink.hpp"

#include "core/email/address.hpp"
#include "core/email/envelope.hpp"

#include <utility>

namespace paperbot {
namespace {

SendError permanent(std::string message) {
  return SendError{SendFailure::kPermanent, std::move(message), {}};
}

// How the outbox should treat an SMTP failure, with what a person should do when one must.
SendError to_send_error(const SmtpFailure& failure) {
  switch (failure.kind) {
    case SmtpFailureKind::kDeferred:
    case SmtpFailureKind::kUnreachable:
    case SmtpFailureKind::kConnection:
      return SendError{SendFailure::kTransient, failure.message, {}};
    case SmtpFailureKind::kRejected:
    case SmtpFailureKind::kInvalid: return permanent(failure.message);
    case SmtpFailureKind::kSecurity:
      return SendError{SendFailure::kNeedsPerson, failure.message,
                       "check the SMTP server's TLS: its certificate, or whether it offers "
                       "STARTTLS (never switched off silently; set security to tls or plain "
                       "only if that is really how the server works)"};
    case SmtpFailureKind::kLogin:
      return SendError{SendFailure::kNeedsPerson, failure.message,
                       "check the SMTP user and password in the environment"};
  }
  return SendError{SendFailure::kTransient, failure.message, {}};
}

// Failures that say the server cannot be used at all, not that one message was refused.
bool concerns_server(SmtpFailureKind kind) {
  return kind == SmtpFailureKind::kUnreachable || kind == SmtpFailureKind::kSecurity ||
         kind == SmtpFailureKind::kLogin;
}

}  // namespace

Result<Delivery> newsletter_delivery(std::string_view list, Date date, std::string message) {
  if (list.empty() || list.find_first_of("\r\n\t ") != std::string_view::npos)
    return make_error("enqueue e-mail", "a list name must be one word");
  auto envelope = email::read_envelope(message);
  if (!envelope) return envelope.error();

  Delivery delivery;
  delivery.audience = email::email_audience(list, envelope->to);
  delivery.date = date;
  delivery.kind = std::string(email::kNewsletterKind);
  delivery.payload = std::move(message);
  return delivery;
}

EmailMessageSink::EmailMessageSink(SmtpClient& client, EmailSinkOptions options, Clock clock)
    : client_(client), options_(std::move(options)), clock_(std::move(clock)) {}

std::chrono::steady_clock::time_point EmailMessageSink::now() const {
  return clock_ ? clock_() : std::chrono::steady_clock::now();
}

SendResult<Sent> EmailMessageSink::send(const Delivery& delivery,
                                        const std::optional<std::string>&) {
  // What is wrong with the delivery itself never gets better by retrying.
  auto audience = email::parse_email_audience(delivery.audience);
  if (!audience) return permanent("\"" + delivery.audience + "\" is not an e-mail audience");
  auto envelope = email::read_envelope(delivery.payload);
  if (!envelope) return permanent(envelope.error().to_string());
  if (email::normalize_address(envelope->to) != email::normalize_address(audience->address)) {
    return permanent("the message is addressed to " + envelope->to + ", not to " +
                     audience->address);
  }

  // A server found unusable a moment ago is not asked again for every reader.
  if (server_failure_ && now() < server_failure_until_) {
    SendError held = *server_failure_;
    held.message = "not tried, the server failed just before: " + held.message;
    return held;
  }

  const std::string& sender =
      options_.bounce_address.empty() ? envelope->from : options_.bounce_address;
  auto accepted = client_.send(sender, envelope->to, delivery.payload);
  if (!accepted) {
    SendError error = to_send_error(accepted.error());
    if (concerns_server(accepted.error().kind)) {
      server_failure_ = error;
      server_failure_until_ = now() + options_.server_failure_hold;
    }
    return error;
  }
  server_failure_.reset();
  return Sent{envelope->to, envelope->message_id};
}

SendResult<std::optional<Sent>> EmailMessageSink::find_already_sent(
    const Delivery&, const std::optional<std::string>&) {
  return std::optional<Sent>();
}

}  // namespace paperbot
