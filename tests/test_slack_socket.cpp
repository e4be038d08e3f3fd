// SlackSocketClient against the fake Socket Mode server and the fake Web API, both on loopback:
// Slack's own frames from the shared data travel over a real WebSocket, and the test checks
// what the client acked, handed off and logged. The io_context runs on the test's thread (see
// Harness::run_until), so handlers run there too and need no locks.
#include "adapters/slack/socket_client.hpp"
#include "adapters/slack/socket_mode.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/fake_socket_mode.hpp"
#include "tests/support/result_printing.hpp"
#include "tests/support/test_data.hpp"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace paperbot;
using namespace paperbot::slack;
using namespace std::chrono_literals;
using paperbot::testing::FakeResponse;
using paperbot::testing::FakeSlack;
using paperbot::testing::FakeSocketMode;
using paperbot::testing::read_file;
using Kind = paperbot::testing::FakeSocketEvent::Kind;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kAppToken = "xapp-1-A0PAPERBOT-must-never-be-logged";

constexpr const char* kMentionPysdk =
    "slack/socket_mode_envelope_events_api_app_mention_pysdk.json";
constexpr const char* kMentionSlackgo =
    "slack/socket_mode_envelope_events_api_app_mention_slackgo.json";
constexpr const char* kChannelMessage = "slack/socket_mode_envelope_events_api_message_pysdk.json";
constexpr const char* kSlashCommand = "slack/socket_mode_envelope_slash_commands_pysdk.json";
constexpr const char* kShortcut = "slack/socket_mode_envelope_interactive_shortcut_pysdk.json";

// Polls `done` without running the io_context, for checks made from inside a handler.
bool wait_for(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  while (!done()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

// The two fakes, a client on an io_context the test runs, and what handlers and log saw.
// Members are destroyed bottom-up: the client first, the fakes last.
struct Harness {
  Harness() {
    slack.set_socket_mode_url(socket_server.url());
    slack.set_app_token(kAppToken);
    logger->set_level(spdlog::level::trace);
    handlers.on_event = [this](EventCallback event) { events.push_back(std::move(event)); };
    handlers.on_command = [this](SlashCommand command) { commands.push_back(std::move(command)); };
    handlers.on_interactive = [this](RawPayload raw) { interactive.push_back(std::move(raw)); };

    options.app_token = kAppToken;
    options.api_url = slack.base_url();
    options.step_timeout = 2s;
    options.hello_timeout = 1s;
    options.idle_timeout = 5s;
    options.initial_backoff = 20ms;
    options.max_backoff = 80ms;
    options.backoff_jitter = false;
  }

  void start() {
    client = std::make_unique<SlackSocketClient>(io, options, handlers, logger);
    REQUIRE_OK(client->start());
  }

  void start_connected() {
    start();
    REQUIRE(run_until([this] { return client->connected(); }));
  }

  // Runs the io_context until `done` holds; false when `limit` passes first.
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 5s) {
    const auto deadline = Clock::now() + limit;
    while (!done()) {
      if (Clock::now() >= deadline) return false;
      io.run_one_for(5ms);
    }
    return true;
  }

  // The fake reads on its own thread: an ack sent is recorded a moment later.
  bool acks_arrive(std::size_t count) {
    return run_until([&] { return socket_server.received().size() >= count; });
  }

  // The envelope ids the fake received as acks, on `connection` or on any when it is 0.
  std::vector<std::string> acked(int connection = 0) const {
    std::vector<std::string> ids;
    for (const auto& frame : socket_server.received()) {
      if (connection != 0 && frame.connection != connection) continue;
      CHECK(frame.text == socket_ack(boost::json::parse(frame.text).at("envelope_id").as_string()));
      ids.emplace_back(boost::json::parse(frame.text).at("envelope_id").as_string());
    }
    return ids;
  }

  int open_calls() const {
    const auto requests = slack.http_requests();
    return static_cast<int>(std::count_if(requests.begin(), requests.end(), [](const auto& r) {
      return r.target == "/api/apps.connections.open";
    }));
  }

  std::string log_text() const { return log.str(); }
  int log_count(const std::string& text) const {
    const std::string all = log.str();
    int count = 0;
    for (auto at = all.find(text); at != std::string::npos; at = all.find(text, at + 1)) ++count;
    return count;
  }

  FakeSocketMode socket_server;
  FakeSlack slack;  // the Web API side: apps.connections.open
  boost::asio::io_context io;
  std::ostringstream log;
  std::shared_ptr<spdlog::logger> logger = std::make_shared<spdlog::logger>(
      "slack_socket_test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log));
  SocketClientOptions options;
  SocketClientHandlers handlers;
  std::vector<EventCallback> events;
  std::vector<SlashCommand> commands;
  std::vector<RawPayload> interactive;
  std::unique_ptr<SlackSocketClient> client;
};

// Where `kind` happened to `connection` in the fake's timeline; -1 when it did not.
long position(const std::vector<paperbot::testing::FakeSocketEvent>& timeline, Kind kind,
              int connection) {
  for (std::size_t i = 0; i < timeline.size(); ++i) {
    if (timeline[i].kind == kind && timeline[i].connection == connection) {
      return static_cast<long>(i);
    }
  }
  return -1;
}

bool ended(const std::vector<paperbot::testing::FakeSocketEvent>& timeline, int connection) {
  return std::any_of(timeline.begin(), timeline.end(), [connection](const auto& event) {
    return event.connection == connection && event.kind != Kind::kOpened;
  });
}

}  // namespace

TEST_CASE("start() refuses a missing token, a bad api_url and a second start", "[slack][socket]") {
  Harness harness;
  harness.options.app_token = "";
  SlackSocketClient no_token(harness.io, harness.options, {}, harness.logger);
  CHECK_FALSE(no_token.start());

  harness.options.app_token = kAppToken;
  harness.options.api_url = "ftp://slack.com/api";
  SlackSocketClient bad_url(harness.io, harness.options, {}, harness.logger);
  CHECK_FALSE(bad_url.start());

  harness.options.api_url = harness.slack.base_url();
  SlackSocketClient twice(harness.io, harness.options, {}, harness.logger);
  CHECK(twice.start());
  CHECK_FALSE(twice.start());
}

TEST_CASE("Slack's envelopes are acked and handed to the matching handler", "[slack][socket]") {
  PAPERBOT_SHARED_DATA_FILE(mention_pysdk, kMentionPysdk);
  PAPERBOT_SHARED_DATA_FILE(mention_slackgo, kMentionSlackgo);
  PAPERBOT_SHARED_DATA_FILE(channel_message, kChannelMessage);
  PAPERBOT_SHARED_DATA_FILE(slash_command, kSlashCommand);
  PAPERBOT_SHARED_DATA_FILE(shortcut, kShortcut);
  Harness harness;
  harness.start_connected();

  for (const auto& file :
       {mention_pysdk, mention_slackgo, channel_message, slash_command, shortcut}) {
    REQUIRE(harness.socket_server.send(read_file(file)));
  }
  // Frames are handled in order, so the last one handled means all were.
  REQUIRE(harness.run_until([&] { return harness.interactive.size() == 1; }));

  REQUIRE(harness.acks_arrive(5));
  CHECK(harness.acked() == std::vector<std::string>{"cda4159a-72a5-4744-aba3-4d66eb52682b",
                                                    "c67a03d0-4094-4744-90ca-d286e00a3ab1",
                                                    "ac2cfd40-6f8c-4d5e-a1ad-646e532baa19",
                                                    "1d3c79ab-0ffb-41f3-a080-d19e85f53649",
                                                    "57d6a792-4d35-4d0b-b6aa-3361493e1caf"});

  // The message in a channel is acked but not handed off: the bot reads DMs only.
  REQUIRE(harness.events.size() == 2);
  CHECK(harness.events[0].event_id == "Ev111");
  const auto& mention = std::get<MentionEvent>(harness.events[0].event);
  CHECK(mention.user == "U222");
  CHECK(mention.channel == "C111");
  CHECK(harness.events[1].event_id == "Ev01JZ2T7S3U");
  CHECK(std::get<MentionEvent>(harness.events[1].event).text == "test");

  REQUIRE(harness.commands.size() == 1);
  CHECK(harness.commands[0].command == "/hello-socket-mode");
  CHECK(harness.commands[0].channel_id == "C111");
  CHECK(harness.commands[0].response_url == "https://hooks.slack.com/commands/T111/111/xxx");
  CHECK(harness.interactive[0].type == "shortcut");

  const SocketClientStats stats = harness.client->stats();
  CHECK(stats.connections_opened == 1);
  CHECK(stats.envelopes_received == 5);
  CHECK(stats.acks_sent == 5);
}

TEST_CASE("apps.connections.open is called with the app token, and its URL is used",
          "[slack][socket]") {
  Harness harness;
  harness.start_connected();

  const auto requests = harness.slack.http_requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "POST");
  CHECK(requests[0].target == "/api/apps.connections.open");
  CHECK(requests[0].headers.at("authorization") == std::string("Bearer ") + kAppToken);
  REQUIRE(harness.socket_server.targets().size() == 1);
  CHECK(harness.socket_server.targets()[0] == "/link/?ticket=1&app_id=A0PAPERBOT");

  // Neither the token nor the URL's ticket reaches the log.
  CHECK(harness.log_text().find(kAppToken) == std::string::npos);
  CHECK(harness.log_text().find("ticket") == std::string::npos);
}

TEST_CASE("each ack is on the wire before its handler runs", "[slack][socket]") {
  PAPERBOT_SHARED_DATA_FILE(mention_pysdk, kMentionPysdk);
  PAPERBOT_SHARED_DATA_FILE(mention_slackgo, kMentionSlackgo);
  Harness harness;
  std::vector<std::uint64_t> acks_counted;
  std::vector<bool> ack_at_fake;
  harness.handlers.on_event = [&](EventCallback event) {
    acks_counted.push_back(harness.client->stats().acks_sent);
    // The handler holds the io thread, so an ack sent after it could not arrive meanwhile.
    const std::size_t expected = acks_counted.size();
    ack_at_fake.push_back(
        wait_for([&] { return harness.socket_server.received().size() >= expected; }, 2s));
    harness.events.push_back(std::move(event));
  };
  harness.start_connected();

  REQUIRE(harness.socket_server.send(read_file(mention_pysdk)));
  REQUIRE(harness.socket_server.send(read_file(mention_slackgo)));
  REQUIRE(harness.run_until([&] { return harness.events.size() == 2; }));
  CHECK(acks_counted == std::vector<std::uint64_t>{1, 2});
  CHECK(ack_at_fake == std::vector<bool>{true, true});
}

TEST_CASE("a redelivered envelope is acked and handed off again", "[slack][socket]") {
  PAPERBOT_SHARED_DATA_FILE(mention_pysdk, kMentionPysdk);
  Harness harness;
  harness.start_connected();

  boost::json::value redelivery = boost::json::parse(read_file(mention_pysdk));
  redelivery.as_object()["retry_attempt"] = 1;
  redelivery.as_object()["retry_reason"] = "timeout";
  REQUIRE(harness.socket_server.send(read_file(mention_pysdk)));
  REQUIRE(harness.socket_server.send(boost::json::serialize(redelivery)));

  REQUIRE(harness.run_until([&] { return harness.events.size() == 2; }));
  CHECK(harness.events[0].event_id == harness.events[1].event_id);
  REQUIRE(harness.acks_arrive(2));
  CHECK(harness.acked() == std::vector<std::string>(2, "cda4159a-72a5-4744-aba3-4d66eb52682b"));
}

TEST_CASE("a handler that throws is logged and the socket carries on", "[slack][socket]") {
  PAPERBOT_SHARED_DATA_FILE(slash_command, kSlashCommand);
  Harness harness;
  int calls = 0;
  harness.handlers.on_command = [&](SlashCommand) {
    ++calls;
    throw std::runtime_error("the handler broke");
  };
  harness.start_connected();

  REQUIRE(harness.socket_server.send(read_file(slash_command)));
  REQUIRE(harness.socket_server.send(read_file(slash_command)));
  REQUIRE(harness.run_until([&] { return calls == 2; }));
  REQUIRE(harness.acks_arrive(2));
  CHECK(harness.acked().size() == 2);
  CHECK(harness.log_count("the slash command handler threw: the handler broke") == 2);
  CHECK(harness.client->connected());
  CHECK(harness.client->stats().connections_opened == 1);
}

TEST_CASE("a disconnect opens the replacement before the old socket is closed", "[slack][socket]") {
  const std::string disconnect_file =
      GENERATE(as<std::string>{}, "slack/socket_mode_disconnect_refresh_requested_thirdparty.json",
               "slack/socket_mode_disconnect_warning_slackgo.json");
  PAPERBOT_SHARED_DATA_FILE(disconnect, disconnect_file);
  PAPERBOT_SHARED_DATA_FILE(mention_pysdk, kMentionPysdk);
  PAPERBOT_SHARED_DATA_FILE(slash_command, kSlashCommand);
  Harness harness;
  harness.start_connected();

  // The old socket is still read after the disconnect: an envelope sent on it is not lost.
  REQUIRE(harness.socket_server.send_to(1, read_file(disconnect)));
  REQUIRE(harness.socket_server.send_to(1, read_file(mention_pysdk)));
  REQUIRE(harness.run_until(
      [&] { return harness.socket_server.open_connections() == std::vector<int>{2}; }));

  const auto timeline = harness.socket_server.timeline();
  const long second_opened = position(timeline, Kind::kOpened, 2);
  const long first_closed = position(timeline, Kind::kClosed, 1);
  REQUIRE(second_opened >= 0);
  REQUIRE(first_closed >= 0);  // with a close frame, not dropped
  CHECK(second_opened < first_closed);

  REQUIRE(harness.socket_server.send(read_file(slash_command)));
  REQUIRE(harness.run_until([&] { return harness.commands.size() == 1; }));
  CHECK(harness.events.size() == 1);
  REQUIRE(harness.acks_arrive(2));
  CHECK(harness.acked(1) == std::vector<std::string>{"cda4159a-72a5-4744-aba3-4d66eb52682b"});
  CHECK(harness.acked(2) == std::vector<std::string>{"1d3c79ab-0ffb-41f3-a080-d19e85f53649"});
  CHECK(harness.client->connected());
  CHECK(harness.client->stats().connections_opened == 2);
  CHECK(harness.client->stats().failed_attempts == 0);
  CHECK(harness.open_calls() == 2);
}

TEST_CASE("too_many_websockets closes the socket before opening another", "[slack][socket]") {
  PAPERBOT_SHARED_DATA_FILE(too_many,
                            "slack/socket_mode_disconnect_too_many_websockets_pysdk.json");
  Harness harness;
  harness.start_connected();

  REQUIRE(harness.socket_server.send(read_file(too_many)));
  REQUIRE(harness.run_until([&] { return harness.socket_server.connections() == 2; }));
  REQUIRE(harness.run_until([&] { return harness.client->connected(); }));
  const auto timeline = harness.socket_server.timeline();
  const long first_lost = position(timeline, Kind::kLost, 1);
  REQUIRE(first_lost >= 0);
  CHECK(first_lost < position(timeline, Kind::kOpened, 2));
}

TEST_CASE("a dropped socket is noticed and replaced after the backoff", "[slack][socket]") {
  PAPERBOT_SHARED_DATA_FILE(slash_command, kSlashCommand);
  Harness harness;
  harness.options.initial_backoff = 300ms;
  harness.options.max_backoff = 1s;
  harness.start_connected();

  const auto dropped_at = Clock::now();
  REQUIRE(harness.socket_server.drop(1));
  REQUIRE(harness.run_until([&] { return !harness.client->connected(); }));
  REQUIRE(harness.run_until([&] { return harness.client->connected(); }));
  CHECK(Clock::now() - dropped_at >= 300ms);
  CHECK(harness.log_count("reconnecting to Slack in 300 ms") == 1);
  CHECK(harness.socket_server.connections() == 2);
  CHECK(harness.client->stats().connections_opened == 2);

  REQUIRE(harness.socket_server.send(read_file(slash_command)));
  REQUIRE(harness.run_until([&] { return harness.commands.size() == 1; }));
  REQUIRE(harness.acks_arrive(1));
  CHECK(harness.acked(2).size() == 1);
}

TEST_CASE("failed apps.connections.open calls are retried with doubling delays",
          "[slack][socket]") {
  Harness harness;
  harness.slack.fail_call(1, FakeSlack::server_error(500));
  harness.slack.fail_call(2, FakeSlack::server_error(503));
  harness.slack.fail_call(3, FakeSlack::error_body("internal_error"));
  harness.slack.fail_call(4, FakeSlack::server_error(500));
  harness.start_connected();

  CHECK(harness.slack.calls() == 5);
  CHECK(harness.client->stats().failed_attempts == 4);
  CHECK(harness.log_count("attempt 1 failed: call apps.connections.open: HTTP 500; retrying in "
                          "20 ms") == 1);
  CHECK(harness.log_count("HTTP 503; retrying in 40 ms") == 1);
  CHECK(harness.log_count("Slack answered internal_error; retrying in 80 ms") == 1);
  CHECK(harness.log_count("attempt 4 failed: call apps.connections.open: HTTP 500; retrying in "
                          "80 ms") == 1);
}

TEST_CASE("a refused app token is logged once with the fix and retried at the longest delay",
          "[slack][socket]") {
  Harness harness;
  for (int call = 1; call <= 3; ++call) {
    harness.slack.fail_call(call, FakeSlack::error_body("invalid_auth"));
  }
  const auto started = Clock::now();
  harness.start_connected();

  // Three waits of max_backoff (80 ms); doubling from 20 ms would take 140 ms only.
  CHECK(Clock::now() - started >= 240ms);
  CHECK(harness.client->stats().failed_attempts == 3);
  CHECK(harness.log_count("Slack refused the app-level token (invalid_auth)") == 1);
  CHECK(harness.log_count("set SLACK_APP_TOKEN to an app-level token") == 1);
  CHECK(harness.log_count("accepts the app-level token again") == 1);
  CHECK(harness.log_text().find(kAppToken) == std::string::npos);
}

TEST_CASE("a bot token given as the app token is named as the mistake", "[slack][socket]") {
  Harness harness;
  harness.options.app_token = "xoxb-test-token";  // FakeSlack's bot token
  harness.start();

  REQUIRE(harness.run_until([&] { return harness.client->stats().failed_attempts >= 3; }));
  CHECK_FALSE(harness.client->connected());
  CHECK(harness.log_count("(not_allowed_token_type)") == 1);
  CHECK(harness.log_count("SLACK_APP_TOKEN holds a bot or user token") == 1);
  CHECK(harness.log_text().find("xoxb-test-token") == std::string::npos);
}

TEST_CASE("a socket without hello is given up and replaced", "[slack][socket]") {
  Harness harness;
  harness.options.hello_timeout = 400ms;
  harness.socket_server.set_send_hello(false);
  harness.start();
  REQUIRE(harness.run_until([&] { return harness.socket_server.connections() == 1; }));
  harness.socket_server.set_send_hello(true);

  REQUIRE(harness.run_until([&] { return harness.client->connected(); }));
  CHECK(harness.socket_server.connections() == 2);
  CHECK(harness.client->stats().failed_attempts == 1);
  CHECK(harness.client->stats().connections_opened == 1);
  CHECK(harness.log_count("wait for Slack's hello: none within 400 ms") == 1);
  REQUIRE(harness.run_until([&] { return ended(harness.socket_server.timeline(), 1); }));
}

TEST_CASE("a socket that goes silent is dropped by the idle timeout", "[slack][socket]") {
  Harness harness;
  harness.options.hello_timeout = 300ms;  // also when the first idle check comes
  harness.options.idle_timeout = 200ms;
  harness.socket_server.set_silent(true);  // hello, then no reading and no pongs
  harness.start_connected();
  harness.socket_server.set_silent(false);

  REQUIRE(harness.run_until([&] { return harness.client->stats().connections_opened == 2; }));
  CHECK(harness.log_count("went silent for 200 ms") == 1);
  CHECK(harness.socket_server.connections() == 2);
  CHECK(harness.client->connected());
}

TEST_CASE("stop() closes everything and lets the io_context return", "[slack][socket]") {
  Harness harness;

  SECTION("while connected") {
    harness.start_connected();
    harness.client->stop();
    REQUIRE(harness.run_until([&] { return harness.io.stopped(); }, 1s));
    CHECK_FALSE(harness.client->connected());
    CHECK(harness.run_until([&] { return ended(harness.socket_server.timeline(), 1); }));
  }
  SECTION("while waiting out a backoff") {
    harness.options.initial_backoff = 60s;
    harness.options.max_backoff = 60s;
    harness.slack.fail_call(1, FakeSlack::server_error(500));
    harness.start();
    REQUIRE(harness.run_until([&] { return harness.client->stats().failed_attempts == 1; }));
    harness.client->stop();
    REQUIRE(harness.run_until([&] { return harness.io.stopped(); }, 1s));
  }
  SECTION("while waiting for hello") {
    harness.options.hello_timeout = 60s;
    harness.socket_server.set_send_hello(false);
    harness.start();
    REQUIRE(harness.run_until([&] { return harness.socket_server.connections() == 1; }));
    harness.client->stop();
    REQUIRE(harness.run_until([&] { return harness.io.stopped(); }, 1s));
    CHECK(harness.client->stats().connections_opened == 0);
  }
  SECTION("while apps.connections.open hangs") {
    FakeResponse hang;
    hang.delay = 60s;
    harness.slack.fail_call(1, hang);
    harness.start();
    REQUIRE(harness.run_until([&] { return harness.slack.calls() == 1; }));
    harness.client->stop();
    REQUIRE(harness.run_until([&] { return harness.io.stopped(); }, 1s));
  }
}
