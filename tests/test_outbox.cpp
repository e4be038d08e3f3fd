// The outbox: the store's deliveries and feedback tables, and the dispatcher that sends each
// message exactly once through a fake channel that fails and "crashes" on demand.
#include "core/delivery/outbox.hpp"
#include "core/delivery/routing_sink.hpp"
#include "core/store/store.hpp"

#include "tests/support/result_printing.hpp"
#include "tests/support/test_data.hpp"

#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

using namespace paperbot;
using paperbot::testing::TempDir;

namespace {

constexpr Date kJan29{std::chrono::year(2025), std::chrono::January, std::chrono::day(29)};
constexpr int kPapers = 10;
const std::chrono::sys_seconds kNow{std::chrono::seconds(1738195200)};  // 2025-01-30 00:00 UTC

// Thrown by the fake sink to stand for the process dying at that point.
struct Crash {};

// The channels' history, shared by every sink of a test as Slack outlives the process.
struct FakeChannels {
  struct Message {
    std::int64_t delivery_id = 0;  // the metadata the sink attaches
    std::string channel;
    std::string ts;
    std::optional<std::string> thread_ts;
  };
  std::vector<Message> history;
  int next_ts = 1;
};

// A MessageSink over FakeChannels whose n-th call (send or lookup) can crash before or after it
// does its work, and whose n-th send can fail in any way.
class FakeSink : public MessageSink {
 public:
  enum class CrashPoint { kBeforeCall, kAfterCall };
  enum class Failure { kTransient, kTransientAfterPosting, kPermanent, kNeedsPerson };

  explicit FakeSink(FakeChannels& channels) : channels_(channels) {}

  void crash_at(int call, CrashPoint point) { crash_ = {call, point}; }
  void fail_send(int send, Failure failure) { failures_[send] = failure; }
  void fail_audience(const std::string& audience, Failure failure) {
    audience_failures_[audience] = failure;
  }

  int calls() const { return calls_; }
  int sends() const { return sends_; }
  int lookups() const { return lookups_; }
  bool crashed() const { return crashed_; }

  SendResult<Sent> send(const Delivery& delivery,
                        const std::optional<std::string>& thread_parent) override {
    maybe_crash(++calls_, CrashPoint::kBeforeCall);
    ++sends_;

    std::optional<Failure> failure;
    if (auto found = failures_.find(sends_); found != failures_.end()) failure = found->second;
    if (auto found = audience_failures_.find(delivery.audience); found != audience_failures_.end())
      failure = found->second;
    if (failure && *failure != Failure::kTransientAfterPosting) return error_for(*failure);

    FakeChannels::Message message{delivery.id, channel_of(delivery),
                                  std::to_string(channels_.next_ts++) + ".000100", thread_parent};
    channels_.history.push_back(message);
    if (failure) return error_for(*failure);  // it reached the channel, the answer did not

    maybe_crash(calls_, CrashPoint::kAfterCall);
    return Sent{message.channel, message.ts};
  }

  SendResult<std::optional<Sent>> find_already_sent(
      const Delivery& delivery, const std::optional<std::string>& thread_parent) override {
    maybe_crash(++calls_, CrashPoint::kBeforeCall);
    ++lookups_;
    std::optional<Sent> found;
    for (const auto& message : channels_.history) {
      if (message.delivery_id == delivery.id && message.thread_ts == thread_parent)
        found = Sent{message.channel, message.ts};
    }
    maybe_crash(calls_, CrashPoint::kAfterCall);
    return found;
  }

 private:
  static std::string channel_of(const Delivery& delivery) {
    return delivery.audience.substr(delivery.audience.find(':') + 1);
  }

  static SendError error_for(Failure failure) {
    switch (failure) {
      case Failure::kTransient:
      case Failure::kTransientAfterPosting: return {SendFailure::kTransient, "timed out", ""};
      case Failure::kPermanent: return {SendFailure::kPermanent, "invalid_blocks", ""};
      case Failure::kNeedsPerson:
        return {SendFailure::kNeedsPerson, "not_in_channel", "invite the bot to the channel"};
    }
    return {};
  }

  void maybe_crash(int call, CrashPoint point) {
    if (crash_ && crash_->first == call && crash_->second == point) {
      crashed_ = true;
      throw Crash{};
    }
  }

  FakeChannels& channels_;
  std::optional<std::pair<int, CrashPoint>> crash_;
  std::map<int, Failure> failures_;
  std::map<std::string, Failure> audience_failures_;
  int calls_ = 0;
  int sends_ = 0;
  int lookups_ = 0;
  bool crashed_ = false;
};

std::shared_ptr<spdlog::logger> quiet_logger() {
  return std::make_shared<spdlog::logger>("outbox",
                                          std::make_shared<spdlog::sinks::null_sink_mt>());
}

std::unique_ptr<Store> open_store(const std::filesystem::path& path) {
  auto store = Store::open(path);
  REQUIRE_OK(store);
  return std::move(*store);
}

std::string paper_id(int index) {
  return "2501.1" + std::to_string(6400 + index);
}

// A day's digest for `audience`: one header, then one reply per paper.
std::vector<Delivery> digest_deliveries(const std::string& audience) {
  std::vector<Delivery> deliveries;
  Delivery header;
  header.audience = audience;
  header.date = kJan29;
  header.kind = "header";
  header.payload = R"({"text":"Papers of 2025-01-29"})";
  deliveries.push_back(header);

  for (int index = 0; index < kPapers; ++index) {
    Delivery paper;
    paper.audience = audience;
    paper.date = kJan29;
    paper.kind = "paper";
    paper.paper_id = paper_id(index);
    paper.payload = R"({"text":"paper )" + std::to_string(index) + "\"}";
    paper.thread_key = "header";
    paper.relevance = 10 - index / 2;
    paper.novelty = 9 - index / 3;
    paper.rank_score = *paper.relevance + *paper.novelty;
    deliveries.push_back(paper);
  }
  return deliveries;
}

// The outboxes' clock: each make_outbox sets it back to kNow; tests move it past backoffs.
std::chrono::sys_seconds test_now = kNow;

Outbox make_outbox(Store& store, MessageSink& sink, OutboxOptions options = {},
                   std::shared_ptr<spdlog::logger> logger = quiet_logger()) {
  test_now = kNow;
  return Outbox(store, sink, std::move(options), std::move(logger), [] { return test_now; });
}

// Runs passes until nothing is pending (or a pass does nothing more), an hour apart so that
// every backoff has passed.
void run_to_completion(Outbox& outbox, Store& store) {
  for (int pass = 0; pass < 20; ++pass) {
    if (pass > 0) test_now += std::chrono::hours(1);
    auto done = outbox.run_once();
    REQUIRE_OK(done);
    auto pending = store.pending_deliveries(std::nullopt, 1000);
    REQUIRE_OK(pending);
    if (pending->empty()) return;
  }
  FAIL("deliveries still pending after 20 passes");
}

// Every delivery of `audience` is in the channel exactly once, the header at the top level and
// every paper in its thread.
void check_posted_once(const FakeChannels& channels, Store& store, const std::string& channel) {
  REQUIRE(channels.history.size() == 1 + kPapers);
  std::map<std::int64_t, int> copies;
  for (const auto& message : channels.history) ++copies[message.delivery_id];
  REQUIRE(copies.size() == 1 + kPapers);
  for (const auto& [id, count] : copies) CHECK(count == 1);

  const auto& header = channels.history.front();
  CHECK_FALSE(header.thread_ts.has_value());
  for (std::size_t index = 1; index < channels.history.size(); ++index)
    CHECK(channels.history[index].thread_ts == header.ts);

  // The store agrees with the channel about every message.
  auto parent = store.thread_parent("slack:" + channel, kJan29);
  REQUIRE_OK(parent);
  CHECK(*parent == header.ts);
  for (std::size_t index = 1; index < channels.history.size(); ++index) {
    auto posted = store.find_posted(channel, channels.history[index].ts);
    REQUIRE_OK(posted);
    CHECK(posted->has_value());
  }
}

}  // namespace

TEST_CASE("enqueueing a day twice adds nothing", "[outbox][store]") {
  TempDir dir;
  auto store = open_store(dir.path() / "paperbot.db");

  auto first = store->enqueue_deliveries(digest_deliveries("slack:C1"));
  REQUIRE_OK(first);
  CHECK(*first == 1 + kPapers);
  auto again = store->enqueue_deliveries(digest_deliveries("slack:C1"));
  REQUIRE_OK(again);
  CHECK(*again == 0);

  auto pending = store->pending_deliveries(std::nullopt, 100);
  REQUIRE_OK(pending);
  REQUIRE(pending->size() == 1 + kPapers);
  CHECK(pending->front().kind == "header");
  CHECK_FALSE(pending->front().paper_id.has_value());
  CHECK((*pending)[1].paper_id == paper_id(0));
  CHECK((*pending)[1].thread_key == "header");
  CHECK(std::is_sorted(pending->begin(), pending->end(),
                       [](const auto& a, const auto& b) { return a.id < b.id; }));
}

TEST_CASE("pending deliveries are read per audience, oldest first, up to a limit",
          "[outbox][store]") {
  TempDir dir;
  auto store = open_store(dir.path() / "paperbot.db");
  REQUIRE_OK(store->enqueue_deliveries(digest_deliveries("slack:C1")));
  REQUIRE_OK(store->enqueue_deliveries(digest_deliveries("slack:C2")));

  auto second = store->pending_deliveries("slack:C2", 3);
  REQUIRE_OK(second);
  REQUIRE(second->size() == 3);
  for (const auto& delivery : *second) CHECK(delivery.audience == "slack:C2");
  CHECK(second->front().kind == "header");

  auto all = store->pending_deliveries(std::nullopt, 1000);
  REQUIRE_OK(all);
  CHECK(all->size() == 2 * (1 + kPapers));
}

TEST_CASE("failures count attempts, and a permanent one ends the delivery", "[outbox][store]") {
  TempDir dir;
  auto store = open_store(dir.path() / "paperbot.db");
  REQUIRE_OK(store->enqueue_deliveries(digest_deliveries("slack:C1")));
  auto pending = store->pending_deliveries(std::nullopt, 2);
  REQUIRE_OK(pending);
  const std::int64_t header = (*pending)[0].id;
  const std::int64_t paper = (*pending)[1].id;

  REQUIRE_OK(store->mark_sending(header, kNow));
  REQUIRE_OK(store->mark_failed(header, "send: timed out", false));
  REQUIRE_OK(store->mark_failed(paper, "send: invalid_blocks", true));
  CHECK_FALSE(store->mark_sending(paper, kNow).has_value());  // failed is final

  auto after = store->pending_deliveries(std::nullopt, 100);
  REQUIRE_OK(after);
  REQUIRE(after->front().id == header);
  CHECK(after->front().attempts == 1);
  CHECK_FALSE(after->front().sending);
  CHECK(after->front().last_error == "send: timed out");
  CHECK(after->size() == kPapers);  // the failed paper is no longer pending
}

TEST_CASE("a send in flight is remembered across reopening the store", "[outbox][store]") {
  TempDir dir;
  const auto path = dir.path() / "paperbot.db";
  {
    auto store = open_store(path);
    REQUIRE_OK(store->enqueue_deliveries(digest_deliveries("slack:C1")));
    auto pending = store->pending_deliveries(std::nullopt, 1);
    REQUIRE_OK(pending);
    REQUIRE_OK(store->mark_sending(pending->front().id, kNow));
  }
  auto store = open_store(path);
  auto pending = store->pending_deliveries(std::nullopt, 1);
  REQUIRE_OK(pending);
  CHECK(pending->front().sending);
  CHECK(pending->front().attempts == 0);
}

TEST_CASE("find_posted maps a message to its paper and its scores when posted", "[outbox][store]") {
  TempDir dir;
  auto store = open_store(dir.path() / "paperbot.db");
  REQUIRE_OK(store->enqueue_deliveries(digest_deliveries("slack:C1")));
  auto pending = store->pending_deliveries(std::nullopt, 100);
  REQUIRE_OK(pending);

  auto parent = store->thread_parent("slack:C1", kJan29);
  REQUIRE_OK(parent);
  CHECK_FALSE(parent->has_value());  // the header is not sent yet

  REQUIRE_OK(store->mark_sent((*pending)[0].id, "C1", "100.000001", kNow));
  REQUIRE_OK(store->mark_sent((*pending)[3].id, "C1", "100.000002", kNow));

  parent = store->thread_parent("slack:C1", kJan29);
  REQUIRE_OK(parent);
  CHECK(*parent == "100.000001");

  auto posted = store->find_posted("C1", "100.000002");
  REQUIRE_OK(posted);
  REQUIRE(posted->has_value());
  CHECK((*posted)->audience == "slack:C1");
  CHECK((*posted)->paper_id == paper_id(2));
  CHECK((*posted)->date == kJan29);
  CHECK((*posted)->relevance == 9);
  CHECK((*posted)->novelty == 9);
  CHECK((*posted)->rank_score == 18);

  // A reaction on the header, on another channel or on an unknown message names no paper.
  for (const auto& [channel, ts] : {std::pair{"C1", "100.000001"}, std::pair{"C2", "100.000002"},
                                    std::pair{"C1", "999.000000"}}) {
    auto none = store->find_posted(channel, ts);
    REQUIRE_OK(none);
    CHECK_FALSE(none->has_value());
  }
}

TEST_CASE("feedback is recorded once, removed once and counted per vote", "[outbox][store]") {
  TempDir dir;
  auto store = open_store(dir.path() / "paperbot.db");
  Feedback up{"slack:C1", paper_id(0), kJan29, "U1", 1, "slack"};
  Feedback other_up{"slack:C1", paper_id(0), kJan29, "U2", 1, "slack"};
  Feedback down{"slack:C1", paper_id(0), kJan29, "U3", -1, "slack"};
  Feedback elsewhere{"slack:C2", paper_id(0), kJan29, "U1", 1, "slack"};

  auto added = store->record_feedback(up, kNow);
  REQUIRE_OK(added);
  CHECK(*added);
  added = store->record_feedback(up, kNow);
  REQUIRE_OK(added);
  CHECK_FALSE(*added);
  REQUIRE_OK(store->record_feedback(other_up, kNow));
  REQUIRE_OK(store->record_feedback(down, kNow));
  REQUIRE_OK(store->record_feedback(elsewhere, kNow));

  auto counts = store->feedback_counts("slack:C1", paper_id(0));
  REQUIRE_OK(counts);
  CHECK(counts->up == 2);
  CHECK(counts->down == 1);

  auto removed = store->remove_feedback("slack:C1", paper_id(0), "U1", 1);
  REQUIRE_OK(removed);
  CHECK(*removed);
  removed = store->remove_feedback("slack:C1", paper_id(0), "U1", 1);
  REQUIRE_OK(removed);
  CHECK_FALSE(*removed);
  removed = store->remove_feedback("slack:C1", paper_id(0), "U3", 1);  // U3 voted -1
  REQUIRE_OK(removed);
  CHECK_FALSE(*removed);

  counts = store->feedback_counts("slack:C1", paper_id(0));
  REQUIRE_OK(counts);
  CHECK(counts->up == 1);
  CHECK(counts->down == 1);
  counts = store->feedback_counts("slack:C2", paper_id(0));
  REQUIRE_OK(counts);
  CHECK(counts->up == 1);
}

TEST_CASE("the dispatcher posts a digest once, papers in the header's thread", "[outbox]") {
  TempDir dir;
  auto store = open_store(dir.path() / "paperbot.db");
  REQUIRE_OK(store->enqueue_deliveries(digest_deliveries("slack:C1")));
  FakeChannels channels;
  FakeSink sink(channels);
  auto outbox = make_outbox(*store, sink);

  auto pass = outbox.run_once();
  REQUIRE_OK(pass);
  CHECK(pass->sent == 1 + kPapers);
  CHECK(sink.lookups() == 0);  // nothing was in doubt
  check_posted_once(channels, *store, "C1");

  // Enqueueing the day again after it went out sends nothing more.
  REQUIRE_OK(store->enqueue_deliveries(digest_deliveries("slack:C1")));
  pass = outbox.run_once();
  REQUIRE_OK(pass);
  CHECK(pass->idle());
  CHECK(channels.history.size() == 1 + kPapers);
}

TEST_CASE("a stop finishes the message in flight and leaves the rest pending", "[outbox]") {
  TempDir dir;
  auto store = open_store(dir.path() / "paperbot.db");
  REQUIRE_OK(store->enqueue_deliveries(digest_deliveries("slack:C1")));
  FakeChannels channels;
  FakeSink sink(channels);
  OutboxOptions options;
  int asked = 0;
  options.should_stop = [&asked] { return ++asked > 2; };  // stop after two messages
  auto outbox = make_outbox(*store, sink, options);

  auto pass = outbox.run_once();
  REQUIRE_OK(pass);
  CHECK(pass->sent == 2);
  CHECK(channels.history.size() == 2);
  auto pending = store->pending_deliveries(std::nullopt, 100);
  REQUIRE_OK(pending);
  CHECK(pending->size() == 1 + kPapers - 2);
  for (const Delivery& delivery : *pending) CHECK_FALSE(delivery.sending);
}

// The key property: a crash at any point of a run, then a restart on the same file, posts every
// message exactly once.
TEST_CASE("a crash at any point followed by a restart posts every message exactly once",
          "[outbox][crash]") {
  for (auto point : {FakeSink::CrashPoint::kBeforeCall, FakeSink::CrashPoint::kAfterCall}) {
    for (int call = 1;; ++call) {
      INFO("crash " << (point == FakeSink::CrashPoint::kBeforeCall ? "before" : "after")
                    << " sink call " << call);
      TempDir dir;
      const auto path = dir.path() / "paperbot.db";
      FakeChannels channels;

      bool crashed = false;
      {
        auto store = open_store(path);
        REQUIRE_OK(store->enqueue_deliveries(digest_deliveries("slack:C1")));
        FakeSink sink(channels);
        sink.crash_at(call, point);
        auto outbox = make_outbox(*store, sink);
        try {
          run_to_completion(outbox, *store);
        } catch (const Crash&) {
          crashed = true;
        }
      }
      if (!crashed) {
        // Every call of a whole run (11 posts, nothing in doubt) has been a crash point.
        CHECK(call == 2 + kPapers);
        break;
      }

      // The restarted process enqueues the day again, as the daemon's catch-up would.
      auto store = open_store(path);
      REQUIRE_OK(store->enqueue_deliveries(digest_deliveries("slack:C1")));
      FakeSink sink(channels);
      auto outbox = make_outbox(*store, sink);
      run_to_completion(outbox, *store);
      check_posted_once(channels, *store, "C1");
      REQUIRE(call < 100);
    }
  }
}

TEST_CASE("a transient failure is retried after checking the channel", "[outbox]") {
  TempDir dir;
  auto store = open_store(dir.path() / "paperbot.db");
  REQUIRE_OK(store->enqueue_deliveries(digest_deliveries("slack:C1")));
  FakeChannels channels;
  FakeSink sink(channels);
  sink.fail_send(1, FakeSink::Failure::kTransient);              // the header never got there
  sink.fail_send(4, FakeSink::Failure::kTransientAfterPosting);  // a paper got there
  auto outbox = make_outbox(*store, sink);

  // The audience stops at the failed header, so no paper goes out before it.
  auto pass = outbox.run_once();
  REQUIRE_OK(pass);
  CHECK(pass->retry_later == 1);
  CHECK(pass->sent == 0);
  CHECK(channels.history.empty());

  run_to_completion(outbox, *store);
  check_posted_once(channels, *store, "C1");
  CHECK(sink.lookups() == 2);
}

TEST_CASE("a permanent failure gives the delivery up and the audience carries on", "[outbox]") {
  TempDir dir;
  auto store = open_store(dir.path() / "paperbot.db");
  REQUIRE_OK(store->enqueue_deliveries(digest_deliveries("slack:C1")));
  FakeChannels channels;
  FakeSink sink(channels);
  sink.fail_send(1, FakeSink::Failure::kPermanent);  // the header
  auto outbox = make_outbox(*store, sink);

  auto pass = outbox.run_once();
  REQUIRE_OK(pass);
  CHECK(pass->failed == 1);
  CHECK(pass->sent == kPapers);

  // Without their header the papers are still posted, at the top level.
  REQUIRE(channels.history.size() == kPapers);
  for (const auto& message : channels.history) CHECK_FALSE(message.thread_ts.has_value());
  auto parent = store->thread_parent("slack:C1", kJan29);
  REQUIRE_OK(parent);
  CHECK_FALSE(parent->has_value());
}

TEST_CASE("transient failures become permanent after max_attempts", "[outbox]") {
  TempDir dir;
  auto store = open_store(dir.path() / "paperbot.db");
  REQUIRE_OK(store->enqueue_deliveries(digest_deliveries("slack:C1")));
  FakeChannels channels;
  FakeSink sink(channels);
  for (int send = 1; send <= 3; ++send) sink.fail_send(send, FakeSink::Failure::kTransient);
  OutboxOptions options;
  options.max_attempts = 3;
  auto outbox = make_outbox(*store, sink, options);

  for (int pass = 1; pass <= 2; ++pass) {
    auto retried = outbox.run_once();
    REQUIRE_OK(retried);
    CHECK(retried->retry_later == 1);
    test_now += std::chrono::hours(1);
  }
  auto last = outbox.run_once();
  REQUIRE_OK(last);
  CHECK(last->failed == 1);
  CHECK(last->sent == kPapers);
}

TEST_CASE("an error a person must fix stops only that audience and is logged once", "[outbox]") {
  TempDir dir;
  auto store = open_store(dir.path() / "paperbot.db");
  REQUIRE_OK(store->enqueue_deliveries(digest_deliveries("slack:C1")));
  REQUIRE_OK(store->enqueue_deliveries(digest_deliveries("slack:C2")));
  FakeChannels channels;
  FakeSink sink(channels);
  sink.fail_audience("slack:C1", FakeSink::Failure::kNeedsPerson);

  std::ostringstream log;
  auto logger = std::make_shared<spdlog::logger>(
      "outbox", std::make_shared<spdlog::sinks::ostream_sink_st>(log));
  auto outbox = make_outbox(*store, sink, {}, logger);

  for (int pass = 0; pass < 3; ++pass) {
    auto done = outbox.run_once();
    REQUIRE_OK(done);
    CHECK(done->blocked == std::vector<std::string>{"slack:C1"});
  }
  CHECK(channels.history.size() == 1 + kPapers);  // C2 got its digest
  CHECK(sink.sends() == 1 + kPapers + 3);         // C1 tried once a pass, its header only

  const std::string text = log.str();
  std::size_t mentions = 0;
  for (auto at = text.find("until a person acts"); at != std::string::npos;
       at = text.find("until a person acts", at + 1))
    ++mentions;
  CHECK(mentions == 1);
  CHECK(text.find("invite the bot to the channel") != std::string::npos);

  // The day is not lost: the header waits with no attempt counted.
  auto pending = store->pending_deliveries("slack:C1", 100);
  REQUIRE_OK(pending);
  CHECK(pending->size() == 1 + kPapers);
  CHECK(pending->front().attempts == 0);
  CHECK(pending->front().last_error == "send: not_in_channel");
}

TEST_CASE("an unthreaded audience gets its papers at the top level", "[outbox]") {
  TempDir dir;
  auto store = open_store(dir.path() / "paperbot.db");
  REQUIRE_OK(store->enqueue_deliveries(digest_deliveries("slack:C1")));
  FakeChannels channels;
  FakeSink sink(channels);
  OutboxOptions options;
  options.unthreaded_audiences = {"slack:C1"};
  auto outbox = make_outbox(*store, sink, options);

  REQUIRE_OK(outbox.run_once());
  REQUIRE(channels.history.size() == 1 + kPapers);
  for (const auto& message : channels.history) CHECK_FALSE(message.thread_ts.has_value());
}

TEST_CASE("a transient failure waits out a doubling backoff, capped at an hour", "[outbox]") {
  TempDir dir;
  auto store = open_store(dir.path() / "paperbot.db");
  REQUIRE_OK(store->enqueue_deliveries(digest_deliveries("slack:C1")));
  FakeChannels channels;
  FakeSink sink(channels);
  for (int send = 1; send <= 8; ++send) sink.fail_send(send, FakeSink::Failure::kTransient);
  OutboxOptions options;
  options.max_attempts = 20;
  auto outbox = make_outbox(*store, sink, options);

  // After the n-th failure the header is not tried for 1 min × 2^(n-1), at most an hour.
  const int expected_minutes[] = {1, 2, 4, 8, 16, 32, 60, 60};
  for (int minutes : expected_minutes) {
    const int sends = sink.sends();
    auto failed = outbox.run_once();
    REQUIRE_OK(failed);
    REQUIRE(failed->retry_later == 1);
    REQUIRE(sink.sends() == sends + 1);

    INFO("backoff of " << minutes << " min");
    test_now += std::chrono::minutes(minutes) - std::chrono::seconds(1);
    auto early = outbox.run_once();
    REQUIRE_OK(early);
    CHECK(early->waiting == 1);
    CHECK(early->sent == 0);
    CHECK(sink.sends() == sends + 1);  // neither the header nor a paper behind it
    test_now += std::chrono::seconds(1);
  }

  auto pass = outbox.run_once();
  REQUIRE_OK(pass);
  CHECK(pass->sent == 1 + kPapers);
  check_posted_once(channels, *store, "C1");
}

TEST_CASE("on_given_up hears of each delivery given up, with the failure", "[outbox]") {
  TempDir dir;
  auto store = open_store(dir.path() / "paperbot.db");
  REQUIRE_OK(store->enqueue_deliveries(digest_deliveries("slack:C1")));
  FakeChannels channels;
  FakeSink sink(channels);
  sink.fail_send(1, FakeSink::Failure::kPermanent);  // the header
  sink.fail_send(2, FakeSink::Failure::kTransient);  // the first paper, until max_attempts
  sink.fail_send(3, FakeSink::Failure::kTransient);
  OutboxOptions options;
  options.max_attempts = 2;
  std::vector<std::pair<Delivery, SendError>> given_up;
  options.on_given_up = [&](const Delivery& delivery, const SendError& error) {
    given_up.emplace_back(delivery, error);
  };
  auto outbox = make_outbox(*store, sink, options);

  run_to_completion(outbox, *store);
  REQUIRE(given_up.size() == 2);
  CHECK(given_up[0].first.kind == "header");
  CHECK(given_up[0].second.kind == SendFailure::kPermanent);
  CHECK(given_up[0].second.message == "invalid_blocks");
  CHECK(given_up[1].first.paper_id == paper_id(0));
  CHECK(given_up[1].second.kind == SendFailure::kTransient);
  // The store recorded the failure before the hook ran, and the rest went out.
  auto pending = store->pending_deliveries(std::nullopt, 100);
  REQUIRE_OK(pending);
  CHECK(pending->empty());
  CHECK(channels.history.size() == kPapers - 1);
}

TEST_CASE("the routing sink sends each audience through the sink of its kind", "[outbox]") {
  TempDir dir;
  auto store = open_store(dir.path() / "paperbot.db");
  REQUIRE_OK(store->enqueue_deliveries(digest_deliveries("slack:C1")));
  REQUIRE_OK(store->enqueue_deliveries(digest_deliveries("email:list:reader@example.org")));
  REQUIRE_OK(store->enqueue_deliveries(digest_deliveries("pager:P1")));
  FakeChannels slack_channels;
  FakeChannels email_channels;
  FakeSink slack(slack_channels);
  FakeSink email(email_channels);
  RoutingMessageSink routes;
  routes.route("slack:", slack);
  routes.route("email:", email);
  auto outbox = make_outbox(*store, routes);

  auto pass = outbox.run_once();
  REQUIRE_OK(pass);
  CHECK(pass->sent == 2 * (1 + kPapers));
  CHECK(slack.sends() == 1 + kPapers);
  CHECK(email.sends() == 1 + kPapers);
  for (const auto& message : slack_channels.history) CHECK(message.channel == "C1");
  for (const auto& message : email_channels.history)
    CHECK(message.channel == "list:reader@example.org");

  // No route: the audience waits for a person, nothing is lost and no attempt is counted.
  CHECK(pass->blocked == std::vector<std::string>{"pager:P1"});
  auto waiting = store->pending_deliveries("pager:P1", 100);
  REQUIRE_OK(waiting);
  REQUIRE(waiting->size() == 1 + kPapers);
  CHECK(waiting->front().attempts == 0);
  CHECK_THAT(waiting->front().last_error, Catch::Contains("nothing sends to pager"));
}
