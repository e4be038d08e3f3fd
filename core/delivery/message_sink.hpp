// Where the outbox sends its deliveries: Slack's Web API in the daemon (adapters/slack), a fake
// channel in the tests. The outbox owns the policy (when to send, retry, give up); a sink only
// posts one message and looks one up, and says how a failure should be treated.
//
// Contract: a sink attaches the delivery's identity (Delivery::id, or its audience, date, kind,
// paper and part) to every message it posts, so that find_already_sent can recognise the message
// later, after a crash between posting and recording. Calls come from the outbox's thread only.
#pragma once

#include "core/store/outbox_records.hpp"

#include <boost/system/result.hpp>

#include <optional>
#include <string>

namespace paperbot {

// Where a message went: Slack's channel id and its ts.
struct Sent {
  std::string channel;
  std::string external_id;
};

enum class SendFailure {
  kTransient,    // try again later: a timeout, a 5xx, a rate limit that outlasted its retries
  kPermanent,    // this message will never be accepted (invalid_blocks, msg_too_long)
  kNeedsPerson,  // nothing goes to this audience until a person acts (not_in_channel)
};

struct SendError {
  SendFailure kind = SendFailure::kTransient;
  std::string message;  // one line for the log and the delivery's last_error
  std::string fix;      // for kNeedsPerson: what the person should do, in one plain line
};

template <class T>
using SendResult = boost::system::result<T, SendError>;

// Called by SendResult<T>::value() on an error: a programming error, since callers check first.
[[noreturn]] void throw_exception_from_error(const SendError& error,
                                             const boost::source_location& location);

class MessageSink {
 public:
  virtual ~MessageSink() = default;

  // Posts `delivery` (its payload) to its audience, as a reply under `thread_parent` when given.
  virtual SendResult<Sent> send(const Delivery& delivery,
                                const std::optional<std::string>& thread_parent) = 0;

  // The message earlier posted for `delivery`, if the audience's recent history (the thread of
  // `thread_parent` when given) holds one with its identity. Empty: it was never posted.
  virtual SendResult<std::optional<Sent>> find_already_sent(
      const Delivery& delivery, const std::optional<std::string>& thread_parent) = 0;
};

}  // namespace paperbot
