// The outbox's sink for e-mail audiences: sends a delivery's message through SmtpClient to the
// one recipient it is for.
//
// Deliveries: one per recipient and announcement, audience "email:<list>:<address>" (one outbox
// audience per reader, see core/email/envelope.hpp), kind "newsletter", no paper, part 0.
// newsletter_delivery() makes them.
//
// Payload format: the complete message exactly as build_newsletter wrote it (RFC 5322 headers
// and the MIME body, CRLF line ends, not dot-stuffed): the bytes the server receives after DATA,
// and a valid .eml file as it is. The envelope comes from the message itself: the recipient is
// its To address, which must be the address of the delivery's audience; the sender is the
// configured bounce address, else the From address. Message-ID is fixed when the message is
// built, so every attempt at a delivery sends the same bytes with the same Message-ID.
//
// Sent: channel is the recipient, external_id the Message-ID.
//
// Crash recovery: SMTP cannot be asked whether a server already accepted a message, so
// find_already_sent always answers "not sent", and a delivery whose send started and was never
// recorded is sent again. This sink chooses a possible duplicate over a possible loss, as SMTP
// relays do (RFC 5321 section 6.1): treating an unrecorded send as done would skip a reader
// without a trace whenever the process died before the server's final 250. The duplicate is
// bounded: messages go one at a time and each is recorded as soon as the server accepts it, so a
// crash or a connection lost after the data can repeat at most the one message in flight, and
// it repeats byte for byte with the same Message-ID, which mailbox providers such as Gmail use
// to show it once. Nobody is skipped; nobody gets a second copy of anything else.
//
// Failures: 4xx, a dropped connection or an unreachable server are kTransient (the outbox
// retries later); 5xx, an invalid address, a payload that is not a message or names another
// recipient are kPermanent, with the server's words; a TLS, STARTTLS or login problem is
// kNeedsPerson, with the fix. After a failure that concerns the server rather than one message
// (unreachable, TLS, login), sends in the next `server_failure_hold` fail at once with the same
// error instead of contacting the server again, so a pass over a thousand readers does not open
// a thousand connections to a server that is down. A 4xx, 5xx or a dropped connection is about
// one message and never holds the others.
//
// Thread safety: as SmtpClient, one thread; `client` must outlive the sink.
#pragma once

#include "adapters/email/smtp_client.hpp"
#include "core/common/date.hpp"
#include "core/common/result.hpp"
#include "core/delivery/message_sink.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace paperbot {

// The delivery of one built message (see the payload format above) to its To address, for
// `list`. An error when the message's envelope cannot be read.
Result<Delivery> newsletter_delivery(std::string_view list, Date date, std::string message);

struct EmailSinkOptions {
  std::string bounce_address;  // the envelope sender (MAIL FROM); empty: the From address
  std::chrono::seconds server_failure_hold{60};
};

class EmailMessageSink : public MessageSink {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `clock` is for tests; empty means std::chrono::steady_clock.
  EmailMessageSink(SmtpClient& client, EmailSinkOptions options, Clock clock = {});

  // Sends the delivery's message. `thread_parent` is ignored: e-mails are not threaded.
  SendResult<Sent> send(const Delivery& delivery,
                        const std::optional<std::string>& thread_parent) override;

  // Always "not sent" (see the crash recovery note above).
  SendResult<std::optional<Sent>> find_already_sent(
      const Delivery& delivery, const std::optional<std::string>& thread_parent) override;

 private:
  std::chrono::steady_clock::time_point now() const;

  SmtpClient& client_;
  EmailSinkOptions options_;
  Clock clock_;
  std::optional<SendError> server_failure_;  // the last failure that concerned the server
  std::chrono::steady_clock::time_point server_failure_until_{};
};

}  // namespace paperbot
