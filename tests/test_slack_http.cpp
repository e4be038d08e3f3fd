// SlackHttpListener over real HTTP on loopback: libcurl sends what Slack would (the signing
// vectors' own bodies and signatures, and bodies signed here), and recording handlers show what
// was handed off.
#include "adapters/slack/http_listener.hpp"
#include "adapters/slack/request_signing.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/result_printing.hpp"
#include "tests/support/slack_vectors.hpp"
#include "tests/support/test_data.hpp"

#include <curl/curl.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace paperbot;
using namespace paperbot::slack;
using namespace std::chrono_literals;
using paperbot::testing::read_file;

namespace {

using Reply = paperbot::testing::HttpReply;
using Client = paperbot::testing::HttpClient;
using paperbot::testing::signed_headers;

// What the handlers were given, waited for across threads.
struct Recorder {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<EventCallback> events;
  std::vector<SlashCommand> commands;

  template <class Predicate>
  bool wait_until(Predicate predicate, std::chrono::milliseconds timeout = 3s) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, timeout, [&] { return predicate(); });
  }
  std::size_t event_count() {
    std::lock_guard lock(mutex);
    return events.size();
  }
  std::size_t command_count() {
    std::lock_guard lock(mutex);
    return commands.size();
  }
};

// A listener on 127.0.0.1:0 whose clock stands at `unix_seconds`, with recording handlers.
struct Harness {
  Harness(const std::string& secret, std::int64_t unix_seconds,
          std::chrono::milliseconds event_delay = 0ms,
          std::chrono::milliseconds command_delay = 0ms,
          std::shared_ptr<spdlog::logger> logger = nullptr) {
    static const bool curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    REQUIRE(curl_ready);

    HttpListenerOptions options;
    options.signing_secret = secret;
    options.bot_user_id = "EEEEEEEEE";
    options.clock = [unix_seconds] {
      return std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds));
    };
    options.command_budget = 500ms;

    HttpListenerHandlers handlers;
    handlers.on_event = [this, event_delay](EventCallback event) {
      std::this_thread::sleep_for(event_delay);
      std::lock_guard lock(recorder.mutex);
      recorder.events.push_back(std::move(event));
      recorder.changed.notify_all();
    };
    handlers.on_command = [this, command_delay](const SlashCommand& command) {
      std::this_thread::sleep_for(command_delay);
      std::lock_guard lock(recorder.mutex);
      recorder.commands.push_back(command);
      recorder.changed.notify_all();
      return std::optional<std::string>("Collecting \"" + command.command + "\" <now>");
    };
    listener = std::make_unique<SlackHttpListener>(std::move(options), std::move(handlers),
                                                   std::move(logger));
    REQUIRE(listener->start());
  }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(listener->port()) + path;
  }

  // POSTs `body` signed with the harness's secret at `timestamp`.
  Reply post_signed(const std::string& path, const std::string& secret, std::int64_t timestamp,
                    const std::string& body, const std::string& content_type = "application/json",
                    std::vector<std::string> extra = {}) {
    const std::string stamp = std::to_string(timestamp);
    auto headers = signed_headers(stamp, compute_signature(secret, stamp, body), content_type);
    headers.insert(headers.end(), extra.begin(), extra.end());
    return client.send("POST", url(path), body, headers);
  }

  Recorder recorder;
  Client client;
  std::unique_ptr<SlackHttpListener> listener;  // last: stopped before the recorder dies
};

const char* kVectorsFile = "slack/signature_test_vectors.json";
constexpr const char* kSecret = "8f742231b10e8888abcd99yyyzzz85a5";
constexpr std::int64_t kNow = 1531420618;

std::string mention_body(const std::string& event_id) {
  return R"({"type":"event_callback","team_id":"T1","event_id":")" + event_id +
         R"(","event_time":1531420618,"event":{"type":"app_mention","user":"U1",)"
         R"("text":"<@EEEEEEEEE> top 5","channel":"C1","ts":"1.2","event_ts":"1.2"}})";
}

}  // namespace

TEST_CASE("vector 1: the slash command is handed off and answered ephemerally", "[slack][http]") {
  PAPERBOT_SHARED_DATA_FILE(file, kVectorsFile);
  const paperbot::testing::SigningVector vector = paperbot::testing::signing_vectors(file).at(0);
  Harness harness(vector.secret, std::stoll(vector.timestamp));

  const Reply reply = harness.client.send(
      "POST", harness.url("/slack/commands"), vector.body,
      signed_headers(vector.timestamp, vector.signature, "application/x-www-form-urlencoded"));
  CHECK(reply.status == 200);
  CHECK(reply.content_type == "application/json");
  const auto answer = boost::json::parse(reply.body);
  CHECK(answer.at("response_type") == "ephemeral");
  CHECK(answer.at("text") == "Collecting \"/webhook-collect\" <now>");
  REQUIRE(harness.recorder.command_count() == 1);
  CHECK(harness.recorder.commands[0].command == "/webhook-collect");
  CHECK(harness.recorder.commands[0].user_id == "U2CERLKJA");
}

TEST_CASE("vector 2: the app_mention reaches the event handler", "[slack][http]") {
  PAPERBOT_SHARED_DATA_FILE(file, kVectorsFile);
  const paperbot::testing::SigningVector vector = paperbot::testing::signing_vectors(file).at(1);
  Harness harness(vector.secret, std::stoll(vector.timestamp));

  // Lower-case header names: HTTP field names are case-insensitive.
  const Reply reply = harness.client.send(
      "POST", harness.url("/slack/events"), vector.body,
      {"x-slack-request-timestamp: " + vector.timestamp, "x-slack-signature: " + vector.signature});
  CHECK(reply.status == 200);
  REQUIRE(harness.recorder.wait_until([&] { return harness.recorder.events.size() == 1; }));
  const EventCallback& event = harness.recorder.events[0];
  CHECK(event.event_id == "TvBP7LRED7");
  const auto* mention = std::get_if<MentionEvent>(&event.event);
  REQUIRE(mention != nullptr);
  CHECK(mention->text == "hello world");
}

TEST_CASE("bad, missing and stale signatures get 401 and reach no handler", "[slack][http]") {
  PAPERBOT_SHARED_DATA_FILE(file, kVectorsFile);
  const paperbot::testing::SigningVector vector = paperbot::testing::signing_vectors(file).at(0);
  Harness harness(vector.secret, std::stoll(vector.timestamp));
  const auto form = "application/x-www-form-urlencoded";

  SECTION("a body changed after signing") {
    auto reply = harness.client.send("POST", harness.url("/slack/commands"), vector.body + "------",
                                     signed_headers(vector.timestamp, vector.signature, form));
    CHECK(reply.status == 401);
  }
  SECTION("no signature headers") {
    auto reply = harness.client.send("POST", harness.url("/slack/events"), mention_body("Ev1"));
    CHECK(reply.status == 401);
  }
  SECTION("signed more than five minutes before the listener's clock") {
    CHECK(harness.post_signed("/slack/events", vector.secret, kNow - 301, mention_body("Ev1"))
              .status == 401);
    CHECK(harness.post_signed("/slack/commands", vector.secret, kNow - 301, vector.body, form)
              .status == 401);
  }
  SECTION("another app's secret") {
    auto reply =
        harness.post_signed("/slack/interactivity", "not-the-secret", kNow, "payload=%7B%7D", form);
    CHECK(reply.status == 401);
  }
  std::this_thread::sleep_for(100ms);
  CHECK(harness.recorder.event_count() == 0);
  CHECK(harness.recorder.command_count() == 0);
}

TEST_CASE("url_verification is answered with its challenge", "[slack][http]") {
  Harness harness(kSecret, kNow);
  const std::string body = R"({"token":"t","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALW",)"
                           R"("type":"url_verification"})";
  const Reply reply = harness.post_signed("/slack/events", kSecret, kNow, body);
  CHECK(reply.status == 200);
  CHECK(reply.body == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALW");
  CHECK(reply.content_type == "text/plain");
}

TEST_CASE("a retried event_id is acknowledged but handed off once", "[slack][http]") {
  Harness harness(kSecret, kNow);
  CHECK(harness.post_signed("/slack/events", kSecret, kNow, mention_body("Ev42")).status == 200);
  CHECK(harness
            .post_signed("/slack/events", kSecret, kNow, mention_body("Ev42"), "application/json",
                         {"X-Slack-Retry-Num: 1", "X-Slack-Retry-Reason: http_timeout"})
            .status == 200);
  CHECK(harness.post_signed("/slack/events", kSecret, kNow, mention_body("Ev43")).status == 200);

  REQUIRE(harness.recorder.wait_until([&] { return harness.recorder.events.size() == 2; }));
  std::this_thread::sleep_for(100ms);
  CHECK(harness.recorder.event_count() == 2);
  CHECK(harness.recorder.events[0].event_id == "Ev42");
  CHECK(harness.recorder.events[1].event_id == "Ev43");
}

TEST_CASE("the bot's own events are acknowledged and not handed off", "[slack][http]") {
  Harness harness(kSecret, kNow);
  const std::string own = R"({"type":"event_callback","event_id":"Ev9","team_id":"T1",)"
                          R"("event":{"type":"reaction_added","user":"EEEEEEEEE","reaction":"+1",)"
                          R"("item":{"type":"message","channel":"C1","ts":"1.2"},"event_ts":"1"}})";
  CHECK(harness.post_signed("/slack/events", kSecret, kNow, own).status == 200);
  std::this_thread::sleep_for(100ms);
  CHECK(harness.recorder.event_count() == 0);
}

TEST_CASE("malformed bodies get 400 with a reason", "[slack][http]") {
  Harness harness(kSecret, kNow);
  const auto form = "application/x-www-form-urlencoded";

  auto event = harness.post_signed("/slack/events", kSecret, kNow, R"({"type":"event_callback",)");
  CHECK(event.status == 400);
  CHECK(event.body == "malformed event body");
  CHECK(harness.post_signed("/slack/commands", kSecret, kNow, "command=%2&text=x", form).status ==
        400);
  CHECK(harness.post_signed("/slack/interactivity", kSecret, kNow, "payload=%7Bnot", form).status ==
        400);

  // The connection and the listener are still fine afterwards.
  CHECK(harness.client.send("GET", harness.url("/healthz")).status == 200);
}

TEST_CASE("health, unknown routes, interactivity and keep-alive", "[slack][http]") {
  Harness harness(kSecret, kNow);

  const Reply health = harness.client.send("GET", harness.url("/healthz"));
  CHECK(health.status == 200);
  CHECK(health.body == "ok");
  CHECK(harness.client.send("GET", harness.url("/slack/events")).status == 404);
  CHECK(harness.client.send("POST", harness.url("/elsewhere"), "x").status == 404);

  const std::string payload = "payload=%7B%22type%22%3A%22block_actions%22%7D";
  const Reply interactivity = harness.post_signed("/slack/interactivity", kSecret, kNow, payload,
                                                  "application/x-www-form-urlencoded");
  CHECK(interactivity.status == 200);
  CHECK(interactivity.new_connections == 0);  // the first request's connection was reused
}

TEST_CASE("a body over 1 MB is refused with 413", "[slack][http]") {
  Harness harness(kSecret, kNow);
  const std::string huge(std::size_t{1} << 21, 'x');
  CHECK(harness.post_signed("/slack/events", kSecret, kNow, huge).status == 413);
}

TEST_CASE("a slow event handler does not delay the acknowledgement", "[slack][http]") {
  Harness harness(kSecret, kNow, /*event_delay=*/2s);

  const auto started = std::chrono::steady_clock::now();
  CHECK(harness.post_signed("/slack/events", kSecret, kNow, mention_body("EvSlow")).status == 200);
  CHECK(std::chrono::steady_clock::now() - started < 1s);

  // A command is not held up behind the slow event either.
  const auto command_started = std::chrono::steady_clock::now();
  const Reply command = harness.post_signed("/slack/commands", kSecret, kNow,
                                            "command=%2Fpapers&text=today&user_id=U1",
                                            "application/x-www-form-urlencoded");
  CHECK(command.status == 200);
  CHECK(command.content_type == "application/json");
  CHECK(std::chrono::steady_clock::now() - command_started < 1s);
  CHECK(harness.recorder.wait_until([&] { return harness.recorder.events.size() == 1; }, 5s));
}

TEST_CASE("a slow command handler gets an empty acknowledgement in budget", "[slack][http]") {
  Harness harness(kSecret, kNow, 0ms, /*command_delay=*/1500ms);

  const auto started = std::chrono::steady_clock::now();
  const Reply reply = harness.post_signed("/slack/commands", kSecret, kNow,
                                          "command=%2Fpapers&text=rescore&user_id=U1",
                                          "application/x-www-form-urlencoded");
  CHECK(std::chrono::steady_clock::now() - started < 1s);  // the budget is 500 ms here
  CHECK(reply.status == 200);
  CHECK(reply.body.empty());
  CHECK(harness.recorder.wait_until([&] { return harness.recorder.commands.size() == 1; }));
}

TEST_CASE("neither the secret nor a body is logged", "[slack][http]") {
  auto log = std::make_shared<std::ostringstream>();
  auto logger = std::make_shared<spdlog::logger>(
      "slack_http_test", std::make_shared<spdlog::sinks::ostream_sink_mt>(*log));
  logger->set_level(spdlog::level::trace);
  {
    Harness harness(kSecret, kNow, 0ms, 0ms, logger);
    harness.post_signed("/slack/events", kSecret, kNow, mention_body("EvLog"));
    harness.post_signed("/slack/events", "wrong", kNow, mention_body("EvLog2"));
    harness.post_signed("/slack/events", kSecret, kNow, "{\"secretive\":");
    harness.recorder.wait_until([&] { return harness.recorder.events.size() == 1; });
  }
  CHECK(log->str().find("refused") != std::string::npos);
  CHECK(log->str().find(kSecret) == std::string::npos);
  CHECK(log->str().find("top 5") == std::string::npos);
  CHECK(log->str().find("secretive") == std::string::npos);
}
