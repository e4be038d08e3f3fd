// SlackMessageSink: the outbox posting a day's header and papers to a fake Slack through a real
// store, exactly once, also after a crash between the post and its record, and waiting for a
// person when the bot is not in the channel.
#include "adapters/slack/slack_sink.hpp"
#include "core/delivery/outbox.hpp"
#include "core/store/store.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/result_printing.hpp"
#include "tests/support/test_data.hpp"

#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace json = boost::json;
using paperbot::testing::FakeSlack;
using paperbot::testing::FakeSlackMessage;
using paperbot::testing::TempDir;
using std::chrono::milliseconds;

namespace paperbot {
namespace {

constexpr Date kJan29{std::chrono::year(2025), std::chrono::January, std::chrono::day(29)};
constexpr int kPapers = 5;
const std::chrono::sys_seconds kNow{std::chrono::seconds(1738195200)};  // 2025-01-30 00:00 UTC

std::string paper_id(int index) {
  return "2501.1" + std::to_string(6400 + index);
}

// A day's digest for "slack:C1": one header with blocks, then one reply per paper.
std::vector<Delivery> digest_deliveries() {
  std::vector<Delivery> deliveries;
  Delivery header;
  header.audience = "slack:C1";
  header.date = kJan29;
  header.kind = "header";
  header.payload = slack_payload(SlackMessage{
      "Papers of 2025-01-29",
      R"([{"type":"header","text":{"type":"plain_text","text":"Papers of 2025-01-29"}}])"});
  deliveries.push_back(header);

  for (int index = 0; index < kPapers; ++index) {
    Delivery paper;
    paper.audience = "slack:C1";
    paper.date = kJan29;
    paper.kind = "paper";
    paper.paper_id = paper_id(index);
    paper.payload = slack_payload(SlackMessage{"paper " + std::to_string(index), ""});
    paper.thread_key = "header";
    deliveries.push_back(paper);
  }
  return deliveries;
}

// The event_payload a posted message carries, after checking its event_type.
json::object delivery_payload(const FakeSlackMessage& message) {
  REQUIRE_FALSE(message.metadata_json.empty());
  json::value metadata = json::parse(message.metadata_json);
  CHECK(metadata.at("event_type").as_string() == "paperbot_delivery");
  return metadata.at("event_payload").as_object();
}

// A store, a fake Slack with channel C1, and the sink and outbox between them.
struct SinkFixture {
  TempDir dir;
  std::unique_ptr<Store> store = open_store();
  FakeSlack slack{"xoxb-test-token", {"C1"}};
  SlackWebApi api{api_options(), "xoxb-test-token", [](milliseconds) {}};
  SlackMessageSink sink{api, sink_options()};
  std::ostringstream log;
  Outbox outbox{*store, sink, OutboxOptions{}, logger(), [] { return kNow; }};

  std::unique_ptr<Store> open_store() {
    auto opened = Store::open(dir.path() / "paperbot.db");
    REQUIRE_OK(opened);
    return std::move(*opened);
  }
  SlackWebApiOptions api_options() const {
    SlackWebApiOptions options;
    options.base_url = slack.base_url();
    options.timeout = milliseconds(5'000);
    options.channel_interval = milliseconds(0);
    options.initial_backoff = milliseconds(10);
    return options;
  }
  static SlackSinkOptions sink_options() {
    SlackSinkOptions options;
    return options;  // the default margin: the fake's ts are real times, as Slack's
  }
  std::shared_ptr<spdlog::logger> logger() {
    return std::make_shared<spdlog::logger>("outbox",
                                            std::make_shared<spdlog::sinks::ostream_sink_st>(log));
  }

  std::vector<Delivery> enqueue() {
    REQUIRE_OK(store->enqueue_deliveries(digest_deliveries()));
    auto pending = store->pending_deliveries(std::nullopt, 100);
    REQUIRE_OK(pending);
    REQUIRE(pending->size() == 1 + kPapers);
    return *pending;
  }

  OutboxPass run() {
    auto pass = outbox.run_once();
    REQUIRE_OK(pass);
    return *pass;
  }

  // The channel holds the header once at the top level and every paper once in its thread.
  void check_posted_once() {
    auto messages = slack.messages("C1");
    REQUIRE(messages.size() == 1 + kPapers);
    const FakeSlackMessage& header = messages.front();
    CHECK(header.thread_ts.empty());
    CHECK(delivery_payload(header).at("kind").as_string() == "header");
    CHECK_FALSE(header.blocks_json.empty());

    std::map<std::string, int> copies;
    for (std::size_t index = 1; index < messages.size(); ++index) {
      CHECK(messages[index].thread_ts == header.ts);
      json::object payload = delivery_payload(messages[index]);
      CHECK(payload.at("kind").as_string() == "paper");
      ++copies[std::string(payload.at("paper_id").as_string())];
    }
    REQUIRE(copies.size() == kPapers);
    for (const auto& [id, count] : copies) CHECK(count == 1);

    auto pending = store->pending_deliveries(std::nullopt, 100);
    REQUIRE_OK(pending);
    CHECK(pending->empty());
    auto parent = store->thread_parent("slack:C1", kJan29);
    REQUIRE_OK(parent);
    CHECK(*parent == header.ts);
  }
};

}  // namespace

TEST_CASE("a Slack payload keeps a message's text and blocks", "[slack][sink]") {
  SlackMessage message{"hello & <you>", R"([{"type":"divider"}])"};
  const std::string payload = slack_payload(message);
  CHECK(json::parse(payload).at("blocks").is_array());

  auto read = parse_slack_payload(payload);
  REQUIRE_OK(read);
  CHECK(read->text == message.text);
  CHECK(read->blocks_json == message.blocks_json);

  auto text_only = parse_slack_payload(slack_payload(SlackMessage{"plain", ""}));
  REQUIRE_OK(text_only);
  CHECK(text_only->blocks_json.empty());

  REQUIRE_FAILS(parse_slack_payload("not json"));
  REQUIRE_FAILS(parse_slack_payload(R"({"text":""})"));
  REQUIRE_FAILS(parse_slack_payload(R"({"text":"x","blocks":{}})"));
}

TEST_CASE("a Slack audience names its channel", "[slack][sink]") {
  CHECK(slack_channel_of("slack:C123") == "C123");
  CHECK_FALSE(slack_channel_of("email:reader@example.org"));
  CHECK_FALSE(slack_channel_of("slack:"));
}

TEST_CASE("delivery metadata names exactly one delivery", "[slack][sink]") {
  std::vector<Delivery> deliveries = digest_deliveries();
  SlackMetadata metadata{"paperbot_delivery", delivery_metadata(deliveries[1])};
  CHECK(names_delivery(metadata, deliveries[1]));
  CHECK_FALSE(names_delivery(metadata, deliveries[0]));  // the header: no paper
  CHECK_FALSE(names_delivery(metadata, deliveries[2]));  // another paper

  Delivery second_part = deliveries[1];
  second_part.part = 1;
  CHECK_FALSE(names_delivery(metadata, second_part));

  SlackMetadata other_app{"paperbot_paper", delivery_metadata(deliveries[1])};
  CHECK_FALSE(names_delivery(other_app, deliveries[1]));
}

TEST_CASE("the outbox posts a day to Slack once, papers threaded under the header",
          "[slack][sink][outbox]") {
  SinkFixture fixture;
  fixture.enqueue();

  OutboxPass first = fixture.run();
  CHECK(first.sent == 1 + kPapers);
  fixture.check_posted_once();

  OutboxPass again = fixture.run();
  CHECK(again.idle());
  CHECK(fixture.slack.messages("C1").size() == 1 + kPapers);

  // Enqueueing the same day again adds nothing to send.
  REQUIRE_OK(fixture.store->enqueue_deliveries(digest_deliveries()));
  CHECK(fixture.run().idle());
  CHECK(fixture.slack.messages("C1").size() == 1 + kPapers);
}

TEST_CASE("a post whose record was lost is found in the channel, not posted again",
          "[slack][sink][outbox]") {
  SinkFixture fixture;
  std::vector<Delivery> pending = fixture.enqueue();
  const Delivery& header = pending[0];
  const Delivery& paper = pending[3];

  // The process "dies" after each of these posts and before mark_sent: the header (found in the
  // channel's history) and one paper in its thread (found among the replies).
  REQUIRE_OK(fixture.store->mark_sending(header.id, kNow));
  auto header_sent = fixture.sink.send(header, std::nullopt);
  INFO((header_sent ? std::string() : header_sent.error().message));
  REQUIRE(header_sent.has_value());
  REQUIRE_OK(fixture.store->mark_sending(paper.id, kNow));
  auto paper_sent = fixture.sink.send(paper, header_sent->external_id);
  INFO((paper_sent ? std::string() : paper_sent.error().message));
  REQUIRE(paper_sent.has_value());
  REQUIRE(fixture.slack.messages("C1").size() == 2);

  OutboxPass pass = fixture.run();
  CHECK(pass.recovered == 2);
  CHECK(pass.sent == kPapers - 1);
  fixture.check_posted_once();

  auto posted = fixture.store->find_posted("C1", paper_sent->external_id);
  REQUIRE_OK(posted);
  REQUIRE(posted->has_value());
  CHECK((*posted)->paper_id == paper.paper_id);

  CHECK(fixture.run().idle());
  CHECK(fixture.slack.messages("C1").size() == 1 + kPapers);
}

TEST_CASE("a delivery whose lookup finds nothing is posted", "[slack][sink]") {
  SinkFixture fixture;
  std::vector<Delivery> pending = fixture.enqueue();

  auto found = fixture.sink.find_already_sent(pending[0], std::nullopt);
  REQUIRE(found.has_value());
  CHECK_FALSE(found->has_value());

  // A send recorded as started whose post never reached Slack.
  REQUIRE_OK(fixture.store->mark_sending(pending[0].id, kNow));
  OutboxPass pass = fixture.run();
  CHECK(pass.recovered == 0);
  CHECK(pass.sent == 1 + kPapers);
  fixture.check_posted_once();
}

TEST_CASE("a channel without the bot keeps its deliveries pending and logs the fix",
          "[slack][sink][outbox]") {
  SinkFixture fixture;
  fixture.enqueue();
  fixture.slack.fail_channel("C1", "not_in_channel");

  OutboxPass pass = fixture.run();
  CHECK(pass.sent == 0);
  CHECK(pass.failed == 0);
  REQUIRE(pass.blocked == std::vector<std::string>{"slack:C1"});
  CHECK(fixture.slack.messages("C1").empty());

  auto pending = fixture.store->pending_deliveries(std::nullopt, 100);
  REQUIRE_OK(pending);
  REQUIRE(pending->size() == 1 + kPapers);
  for (const Delivery& delivery : *pending) CHECK(delivery.attempts == 0);
  CHECK(pending->front().last_error.find("not_in_channel") != std::string::npos);

  const std::string log = fixture.log.str();
  CHECK(log.find("nothing goes to slack:C1 until a person acts") != std::string::npos);
  CHECK(log.find("invite the bot to channel C1") != std::string::npos);
}

TEST_CASE("a history lookup in a channel without the bot waits for a person", "[slack][sink]") {
  SinkFixture fixture;
  std::vector<Delivery> pending = fixture.enqueue();
  fixture.slack.fail_channel("C1", "not_in_channel");

  auto found = fixture.sink.find_already_sent(pending[0], std::nullopt);
  REQUIRE_FALSE(found.has_value());
  CHECK(found.error().kind == SendFailure::kNeedsPerson);
  CHECK(found.error().fix.find("/invite") != std::string::npos);
}

TEST_CASE("a payload Slack cannot take fails for good", "[slack][sink]") {
  SinkFixture fixture;
  std::vector<Delivery> pending = fixture.enqueue();

  Delivery broken = pending[0];
  broken.payload = "not json";
  auto sent = fixture.sink.send(broken, std::nullopt);
  REQUIRE_FALSE(sent.has_value());
  CHECK(sent.error().kind == SendFailure::kPermanent);

  Delivery email = pending[0];
  email.audience = "email:reader@example.org";
  auto wrong = fixture.sink.send(email, std::nullopt);
  REQUIRE_FALSE(wrong.has_value());
  CHECK(wrong.error().kind == SendFailure::kPermanent);
  CHECK(fixture.slack.messages().empty());
}

}  // namespace paperbot
