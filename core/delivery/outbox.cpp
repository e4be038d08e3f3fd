#include "core/delivery/outbox.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

namespace paperbot {
namespace {

// "slack:C123 2025-01-29 paper 2501.16396 #0": how the log names a delivery.
std::string describe(const Delivery& delivery) {
  std::string text = delivery.audience + " " + format_iso_date(delivery.date) + " " + delivery.kind;
  if (delivery.paper_id) text += " " + *delivery.paper_id;
  if (delivery.part > 0) text += " part " + std::to_string(delivery.part + 1);
  return text;
}

}  // namespace

Outbox::Outbox(Store& store, MessageSink& sink, OutboxOptions options,
               std::shared_ptr<spdlog::logger> logger, Clock clock)
    : store_(store),
      sink_(sink),
      options_(std::move(options)),
      logger_(std::move(logger)),
      clock_(std::move(clock)) {}

std::chrono::sys_seconds Outbox::now() const {
  if (clock_) return clock_();
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

Result<OutboxPass> Outbox::run_once(const std::optional<std::string>& audience) {
  auto pending = store_.pending_deliveries(audience, options_.batch_size);
  if (!pending) return pending.error();

  OutboxPass pass;
  std::set<std::string> stopped;  // audiences that wait for the next pass, to keep their order
  for (const Delivery& delivery : *pending) {
    // Stopping: the message in flight was finished; the rest waits for the next start.
    if (options_.should_stop && options_.should_stop()) break;
    if (stopped.contains(delivery.audience)) continue;

    // Still backing off from a transient failure: the audience keeps its order and waits.
    if (auto due = retry_at_.find(delivery.id); due != retry_at_.end()) {
      if (now() < due->second) {
        ++pass.waiting;
        stopped.insert(delivery.audience);
        continue;
      }
      retry_at_.erase(due);
    }

    auto outcome = deliver(delivery);
    if (!outcome) return outcome.error();

    switch (*outcome) {
      case Outcome::kSent: ++pass.sent; break;
      case Outcome::kRecovered: ++pass.recovered; break;
      case Outcome::kFailed: ++pass.failed; break;
      case Outcome::kRetryLater:
        ++pass.retry_later;
        stopped.insert(delivery.audience);
        break;
      case Outcome::kBlocked:
        pass.blocked.push_back(delivery.audience);
        stopped.insert(delivery.audience);
        break;
    }

    // An audience that accepts messages again is logged again when it next gets stuck.
    if (*outcome == Outcome::kSent || *outcome == Outcome::kRecovered) {
      if (blocked_logged_.erase(delivery.audience) > 0)
        logger_->info("{} accepts messages again", delivery.audience);
    }
  }

  if (pass.sent > 0 || pass.recovered > 0) {
    logger_->info("outbox: {} sent, {} found already sent, {} failed, {} to retry", pass.sent,
                  pass.recovered, pass.failed, pass.retry_later);
  }
  return pass;
}

Result<std::optional<std::string>> Outbox::parent_of(const Delivery& delivery) {
  using Parent = std::optional<std::string>;
  if (!delivery.thread_key || options_.unthreaded_audiences.contains(delivery.audience))
    return Parent();

  // The audience stops at a parent that is still pending, and the parent was enqueued first, so
  // no parent here means it failed for good or was never enqueued.
  auto parent = store_.thread_parent(delivery.audience, delivery.date, *delivery.thread_key);
  if (!parent) return parent.error();
  if (!*parent) {
    logger_->warn("{}: its {} message was not posted; posting it at the top level",
                  describe(delivery), *delivery.thread_key);
  }
  return *parent;
}

Result<Outbox::Outcome> Outbox::deliver(const Delivery& delivery) {
  auto parent = parent_of(delivery);
  if (!parent) return parent.error();

  // A send that was started and never recorded, or an attempt that failed after perhaps
  // reaching the channel: the channel's history says whether it went out.
  if (delivery.sending || delivery.attempts > 0) {
    auto found = sink_.find_already_sent(delivery, *parent);
    if (!found) return on_failure(delivery, "check history", found.error());
    if (*found) {
      auto marked = store_.mark_sent(delivery.id, (*found)->channel, (*found)->external_id, now());
      if (!marked) return marked.error();
      logger_->info("{} was already posted ({}); recorded it", describe(delivery),
                    (*found)->external_id);
      return Outcome::kRecovered;
    }
  }

  // Recorded before the send, so that a crash during it is recognised on restart.
  if (auto sending = store_.mark_sending(delivery.id, now()); !sending) return sending.error();

  auto sent = sink_.send(delivery, *parent);
  if (!sent) return on_failure(delivery, "send", sent.error());

  auto marked = store_.mark_sent(delivery.id, sent->channel, sent->external_id, now());
  if (!marked) return marked.error();
  logger_->debug("{} posted as {}", describe(delivery), sent->external_id);
  return Outcome::kSent;
}

Result<Outbox::Outcome> Outbox::on_failure(const Delivery& delivery, const std::string& step,
                                           const SendError& error) {
  const std::string message = step + ": " + error.message;

  if (error.kind == SendFailure::kNeedsPerson) {
    if (auto blocked = store_.mark_blocked(delivery.id, message); !blocked) return blocked.error();
    note_blocked(delivery.audience, error);
    return Outcome::kBlocked;
  }

  const bool give_up =
      error.kind == SendFailure::kPermanent || delivery.attempts + 1 >= options_.max_attempts;
  if (auto failed = store_.mark_failed(delivery.id, message, give_up); !failed)
    return failed.error();

  if (give_up) {
    logger_->error("{} given up after {} attempt(s): {}", describe(delivery), delivery.attempts + 1,
                   message);
    if (options_.on_given_up) options_.on_given_up(delivery, error);
    return Outcome::kFailed;
  }
  const auto delay = backoff(delivery.attempts + 1);
  retry_at_[delivery.id] = now() + delay;
  logger_->warn("{} will be retried in {} s (attempt {} of {}): {}", describe(delivery),
                delay.count(), delivery.attempts + 1, options_.max_attempts, message);
  return Outcome::kRetryLater;
}

std::chrono::seconds Outbox::backoff(int attempts) const {
  // Doubling from retry_delay, computed in a way that cannot overflow however many attempts.
  std::chrono::seconds delay = options_.retry_delay;
  for (int attempt = 1; attempt < attempts && delay < options_.max_retry_delay; ++attempt)
    delay *= 2;
  return std::min(delay, options_.max_retry_delay);
}

void Outbox::note_blocked(const std::string& audience, const SendError& error) {
  // Every pass meets the same error until someone acts; the journal needs it once.
  auto [entry, inserted] = blocked_logged_.try_emplace(audience, error.message);
  if (!inserted && entry->second == error.message) return;
  entry->second = error.message;

  if (error.fix.empty()) {
    logger_->error("nothing goes to {} until a person acts: {}", audience, error.message);
  } else {
    logger_->error("nothing goes to {} until a person acts: {}. Fix: {}", audience, error.message,
                   error.fix);
  }
}

}  // namespace paperbot
