// The outbox dispatcher: sends the store's pending deliveries through a MessageSink so that each
// message reaches its audience exactly once, whenever the process is killed and restarted.
//
// The protocol, per delivery, in creation order:
//   1. A delivery that may already have gone out (a send was started and never recorded, or an
//      earlier attempt failed, possibly after reaching the channel) is first looked up with
//      MessageSink::find_already_sent; when found it is marked sent without sending.
//   2. Otherwise the store records that the send starts (mark_sending), then the sink posts it,
//      then the store records the message's channel and id (mark_sent).
// A crash before step 2's mark_sending leaves nothing to recover; between mark_sending and
// mark_sent, step 1 decides on restart. So the only window for a duplicate is a sink whose
// history lookup misses a message it posted.
//
// Replies (a delivery with a thread_key) go under their parent's message once the parent is
// sent. An audience stops at the first delivery that cannot go out in this pass, so a reply is
// never sent before its parent nor a paper before the day's header. A reply whose parent failed
// for good, or was never enqueued, is posted at the top level instead of being lost; audiences
// listed in OutboxOptions::unthreaded_audiences always post replies at the top level.
//
// Failures: kNeedsPerson leaves the delivery pending with no attempt counted, stops its audience
// for this pass and is logged once until it changes or the audience recovers. kTransient counts
// an attempt and stops the audience for this pass; after max_attempts it becomes permanent.
// kPermanent marks the delivery failed and the audience carries on. A delivery given up for
// good (either way) is handed to OutboxOptions::on_given_up, so that the caller can act on it
// (e-mail counts the failure against the address) without the outbox knowing about e-mail.
//
// Backoff: a delivery that failed transiently is not tried again before retry_delay ×
// 2^(attempts - 1), at most max_retry_delay, after the failure; until then its audience waits
// (counted in OutboxPass::waiting). The times are kept in memory only: a restarted process tries
// pending deliveries at once, which costs at most one early attempt each. A store error ends the
// pass with that error; what was recorded stays recorded, and the next pass resumes from it.
//
// Thread safety: an Outbox and its store and sink are used from one thread. `store`, `sink` and
// `logger` must outlive the Outbox.
#pragma once

#include "core/common/result.hpp"
#include "core/delivery/message_sink.hpp"
#include "core/store/store.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace spdlog {
class logger;
}

namespace paperbot {

struct OutboxOptions {
  std::set<std::string> unthreaded_audiences;  // post papers in the channel, not in a thread
  int max_attempts = 5;                        // transient failures before a delivery is failed
  int batch_size = 200;                        // deliveries read from the store per pass
  std::function<bool()> should_stop;  // asked before each delivery; true ends the pass there
  // Backoff after a transient failure (see the top of the file).
  std::chrono::seconds retry_delay{60};
  std::chrono::seconds max_retry_delay{3600};
  // Called once a delivery is given up for good, after the store recorded it, with the failure
  // that ended it. Runs on the outbox's thread, within run_once.
  std::function<void(const Delivery&, const SendError&)> on_given_up;
};

// What one pass did.
struct OutboxPass {
  int sent = 0;         // posted now
  int recovered = 0;    // found already posted (after a crash) and recorded without posting
  int failed = 0;       // given up for good
  int retry_later = 0;  // transient failures, still pending
  int waiting = 0;      // deliveries not tried because their backoff has not passed
  std::vector<std::string> blocked;  // audiences waiting for a person, in the order met
  bool idle() const { return sent == 0 && recovered == 0 && failed == 0; }
};

class Outbox {
 public:
  using Clock = std::function<std::chrono::sys_seconds()>;

  // `clock` is for tests; empty means the system clock.
  Outbox(Store& store, MessageSink& sink, OutboxOptions options,
         std::shared_ptr<spdlog::logger> logger, Clock clock = {});

  // Sends what is pending, up to options.batch_size deliveries, of `audience` or of all.
  Result<OutboxPass> run_once(const std::optional<std::string>& audience = {});

 private:
  enum class Outcome { kSent, kRecovered, kFailed, kRetryLater, kBlocked };

  Result<Outcome> deliver(const Delivery& delivery);
  Result<std::optional<std::string>> parent_of(const Delivery& delivery);
  Result<Outcome> on_failure(const Delivery& delivery, const std::string& step,
                             const SendError& error);
  void note_blocked(const std::string& audience, const SendError& error);
  std::chrono::seconds backoff(int attempts) const;
  std::chrono::sys_seconds now() const;

  Store& store_;
  MessageSink& sink_;
  OutboxOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
  Clock clock_;
  std::map<std::string, std::string> blocked_logged_;          // audience -> the error last logged
  std::map<std::int64_t, std::chrono::sys_seconds> retry_at_;  // delivery id -> not before
};

}  // namespace paperbot
