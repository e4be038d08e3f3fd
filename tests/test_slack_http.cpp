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
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <stdexcept>
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

const char* kVectorsFile = "slack/signature_test_vectors.json";
constexpr const char* kSecret = "8f742231b10e8888abcd99yyyzzz85a5";
constexpr std::int64_t kNow = 1531420618;

// What the handlers were given, waited for across threads.
struct Recorder {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<EventCallback> events;
  std::vector<SlashCommand> commands;
  int commands_begun = 0;                // counted as the command handler starts, before its delay
  std::vector<WebRequest> web_requests;  // recorded as the web handler starts, before its delay

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
  std::size_t web_count() {
    std::lock_guard lock(mutex);
    return web_requests.size();
  }
};

// A web page's answer with its raw header block, which HttpReply does not keep.
struct WebReply {
  long status = 0;  // 0 when the request failed below HTTP
  std::string headers;
  std::string body;

  bool has_header(const std::string& line) const {
    return headers.find(line + "\r\n") != std::string::npos;
  }
};

// The raw bytes of the answer to `method` `target`, on a connection of its own that the request
// closes: an HTTP client would swallow a stray body after a HEAD's headers unseen.
std::string exchange_raw(unsigned short port, const std::string& method,
                         const std::string& target) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  const std::string request =
      method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  boost::asio::write(socket, boost::asio::buffer(request));

  // Read until the listener closes the connection, or give up after a while.
  std::string answer;
  boost::asio::async_read(socket, boost::asio::dynamic_buffer(answer),
                          [](boost::system::error_code, std::size_t) {});
  io.run_for(5s);
  return answer;
}

// A libcurl client for the web route that shows an answer's headers.
class WebClient {
 public:
  WebClient() : curl_(curl_easy_init()) {}
  ~WebClient() { curl_easy_cleanup(curl_); }
  WebClient(const WebClient&) = delete;
  WebClient& operator=(const WebClient&) = delete;

  WebReply send(const std::string& method, const std::string& url, const std::string& body = "",
                const std::vector<std::string>& headers = {}) {
    WebReply reply;
    curl_slist* list = nullptr;
    for (const auto& header : headers) list = curl_slist_append(list, header.c_str());
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, 10'000L);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, append);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &reply.body);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, append);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &reply.headers);
    if (method == "POST") {
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.data());
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    } else {
      curl_easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
    }
    // Without NOBODY, curl would wait for the Content-Length bytes a HEAD never gets.
    curl_easy_setopt(curl_, CURLOPT_NOBODY, method == "HEAD" ? 1L : 0L);
    curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method.c_str());
    const CURLcode code = curl_easy_perform(curl_);
    curl_slist_free_all(list);
    if (code == CURLE_OK) curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &reply.status);
    return reply;
  }

 private:
  static size_t append(char* data, size_t size, size_t count, void* target) {
    static_cast<std::string*>(target)->append(data, size * count);
    return size * count;
  }

  CURL* curl_;
};

// The caller's io_context for the listener's second constructor, run on a thread of its own as
// the daemon runs its io_context on the main thread.
struct IoThread {
  boost::asio::io_context io{1};
  std::thread thread;
  std::mutex mutex;
  std::condition_variable changed;
  bool returned = false;

  void start() {
    returned = false;
    thread = std::thread([this] {
      io.run();
      std::lock_guard lock(mutex);
      returned = true;
      changed.notify_all();
    });
  }
  // True when io.run() returns within `timeout`, by running out of work.
  bool wait_for_return(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex);
    if (!changed.wait_for(lock, timeout, [&] { return returned; })) return false;
    lock.unlock();
    thread.join();
    return true;
  }
  // Stops the io_context wherever it is, suspended work and all.
  void halt() {
    io.stop();
    if (thread.joinable()) thread.join();
  }
  ~IoThread() { halt(); }
};

struct HarnessSetup {
  std::chrono::milliseconds event_delay = 0ms;
  std::chrono::milliseconds command_delay = 0ms;
  std::chrono::milliseconds command_budget = 500ms;
  std::shared_ptr<spdlog::logger> logger = nullptr;
  // The second constructor: the listener serves on `Harness::io_thread`'s io_context.
  bool callers_io = false;
  // With `serve_web`, a web handler that records each request, waits `web_delay`, throws for
  // the path /throw and otherwise answers "<p>" + path + "</p>".
  bool serve_web = false;
  std::chrono::milliseconds web_delay = 0ms;
  std::chrono::milliseconds web_budget = 5s;
};

// A listener on 127.0.0.1:0 whose clock stands at `unix_seconds`, with recording handlers.
struct Harness {
  Harness(const std::string& secret, std::int64_t unix_seconds,
          std::chrono::milliseconds event_delay = 0ms,
          std::chrono::milliseconds command_delay = 0ms,
          std::shared_ptr<spdlog::logger> logger = nullptr)
      : Harness(secret, unix_seconds,
                HarnessSetup{event_delay, command_delay, 500ms, std::move(logger), false}) {}

  Harness(const std::string& secret, std::int64_t unix_seconds, HarnessSetup setup) {
    static const bool curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    REQUIRE(curl_ready);

    HttpListenerOptions options;
    options.signing_secret = secret;
    options.bot_user_id = "EEEEEEEEE";
    options.clock = [unix_seconds] {
      return std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds));
    };
    options.command_budget = setup.command_budget;
    options.web_budget = setup.web_budget;

    HttpListenerHandlers handlers;
    handlers.on_event = [this, delay = setup.event_delay](EventCallback event) {
      std::this_thread::sleep_for(delay);
      std::lock_guard lock(recorder.mutex);
      recorder.events.push_back(std::move(event));
      recorder.changed.notify_all();
    };
    handlers.on_command = [this, delay = setup.command_delay](const SlashCommand& command) {
      {
        std::lock_guard lock(recorder.mutex);
        ++recorder.commands_begun;
        recorder.changed.notify_all();
      }
      std::this_thread::sleep_for(delay);
      std::lock_guard lock(recorder.mutex);
      recorder.commands.push_back(command);
      recorder.changed.notify_all();
      return std::optional<std::string>("Collecting \"" + command.command + "\" <now>");
    };
    if (setup.serve_web) {
      handlers.on_web = [this, delay = setup.web_delay](const WebRequest& request) {
        {
          std::lock_guard lock(recorder.mutex);
          recorder.web_requests.push_back(request);
          recorder.changed.notify_all();
        }
        std::this_thread::sleep_for(delay);
        if (request.path == "/throw") throw std::runtime_error("the page broke");
        return WebResponse{200, "text/html; charset=utf-8", "<p>" + request.path + "</p>"};
      };
    }
    if (setup.callers_io) {
      io_thread = std::make_unique<IoThread>();
      listener = std::make_unique<SlackHttpListener>(io_thread->io, std::move(options),
                                                     std::move(handlers), std::move(setup.logger));
    } else {
      listener = std::make_unique<SlackHttpListener>(std::move(options), std::move(handlers),
                                                     std::move(setup.logger));
    }
    REQUIRE(listener->start());
    if (io_thread) io_thread->start();
  }

  // The listener may only be stopped on its io_context's thread, or while that does not run.
  ~Harness() {
    if (io_thread) io_thread->halt();
  }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(listener->port()) + path;
  }

  // POSTs `body` signed with the harness's secret at `timestamp`.
  Reply post_signed(const std::string& path, const std::string& secret, std::int64_t timestamp,
                    const std::string& body, const std::string& content_type = "application/json",
                    std::vector<std::string> extra = {}) {
    return post_signed_with(client, path, secret, timestamp, body, content_type, std::move(extra));
  }

  // The same through another client, for a request sent from another thread.
  Reply post_signed_with(Client& sender, const std::string& path, const std::string& secret,
                         std::int64_t timestamp, const std::string& body,
                         const std::string& content_type = "application/json",
                         std::vector<std::string> extra = {}) {
    const std::string stamp = std::to_string(timestamp);
    auto headers = signed_headers(stamp, compute_signature(secret, stamp, body), content_type);
    headers.insert(headers.end(), extra.begin(), extra.end());
    return sender.send("POST", url(path), body, headers);
  }

  // Sends a slash command signed with kSecret at kNow from another thread, through a client of
  // its own; `reply` is set once the thread is joined.
  std::thread send_command_in_background(Reply& reply) {
    return std::thread([this, &reply] {
      Client sender;
      reply = post_signed_with(sender, "/slack/commands", kSecret, kNow,
                               "command=%2Fpapers&text=today&user_id=U1",
                               "application/x-www-form-urlencoded");
    });
  }

  // Stops the listener the way the daemon does, from a handler on its io_context's thread.
  void stop_on_io_thread() {
    boost::asio::post(io_thread->io, [this] { listener->stop(); });
  }

  std::unique_ptr<IoThread> io_thread;  // first: the io_context outlives the listener
  Recorder recorder;
  Client client;
  std::unique_ptr<SlackHttpListener> listener;  // last: stopped before the recorder dies
};

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

TEST_CASE("on the caller's io_context, signed requests are served", "[slack][http][io]") {
  PAPERBOT_SHARED_DATA_FILE(file, kVectorsFile);
  const paperbot::testing::SigningVector vector = paperbot::testing::signing_vectors(file).at(0);
  const std::int64_t now = std::stoll(vector.timestamp);
  Harness harness(vector.secret, now, HarnessSetup{.callers_io = true});

  const Reply command = harness.client.send(
      "POST", harness.url("/slack/commands"), vector.body,
      signed_headers(vector.timestamp, vector.signature, "application/x-www-form-urlencoded"));
  CHECK(command.status == 200);
  CHECK(boost::json::parse(command.body).at("text") == "Collecting \"/webhook-collect\" <now>");

  CHECK(harness.post_signed("/slack/events", vector.secret, now, mention_body("EvIo")).status ==
        200);
  CHECK(harness.post_signed("/slack/events", "not-the-secret", now, mention_body("EvNo")).status ==
        401);
  REQUIRE(harness.recorder.wait_until([&] { return harness.recorder.events.size() == 1; }));
  CHECK(harness.recorder.events[0].event_id == "EvIo");

  harness.stop_on_io_thread();
  CHECK(harness.io_thread->wait_for_return(2s));
}

TEST_CASE("stop() on the io thread ends connections and timers, so io.run() returns",
          "[slack][http][io]") {
  // Neither the idle connection (60 s) nor a command's budget (10 s) may hold the io_context.
  Harness harness(kSecret, kNow,
                  HarnessSetup{.command_delay = 1s, .command_budget = 10s, .callers_io = true});
  REQUIRE(harness.client.send("GET", harness.url("/healthz")).status == 200);

  // The first command's handler is running; the second waits behind it, on its budget only.
  Reply running_reply;
  Reply queued_reply;
  std::thread running = harness.send_command_in_background(running_reply);
  REQUIRE(harness.recorder.wait_until([&] { return harness.recorder.commands_begun == 1; }));
  std::thread queued = harness.send_command_in_background(queued_reply);
  std::this_thread::sleep_for(200ms);

  const auto stopping = std::chrono::steady_clock::now();
  harness.stop_on_io_thread();
  CHECK(harness.io_thread->wait_for_return(3s));
  CHECK(std::chrono::steady_clock::now() - stopping < 3s);
  running.join();
  queued.join();

  // Both connections were closed unanswered; the running handler finished, the queued one was
  // dropped, and nothing listens any more.
  CHECK(running_reply.status == 0);
  CHECK(queued_reply.status == 0);
  CHECK(harness.recorder.command_count() == 1);
  CHECK(harness.client.send("GET", harness.url("/healthz")).status == 0);
}

TEST_CASE("the listener may be destroyed before an io_context holding its coroutines",
          "[slack][http][io]") {
  Harness harness(kSecret, kNow,
                  HarnessSetup{.command_delay = 500ms, .command_budget = 10s, .callers_io = true});

  // A kept-alive connection waits for its next request, and two commands wait for their replies:
  // one whose handler is running, one queued behind it.
  REQUIRE(harness.client.send("GET", harness.url("/healthz")).status == 200);
  Reply running_reply;
  Reply queued_reply;
  std::thread running = harness.send_command_in_background(running_reply);
  REQUIRE(harness.recorder.wait_until([&] { return harness.recorder.commands_begun == 1; }));
  std::thread queued = harness.send_command_in_background(queued_reply);
  std::this_thread::sleep_for(200ms);

  // The io_context stops with those coroutines suspended; the listener goes while it does not
  // run, and its running handler posts its wake-up to the stopped io_context.
  harness.io_thread->halt();
  harness.listener.reset();
  running.join();
  queued.join();
  CHECK(running_reply.status == 0);
  CHECK(queued_reply.status == 0);
  CHECK(harness.recorder.command_count() == 1);

  SECTION("then the io_context is destroyed with the frames in it") {
    harness.io_thread.reset();
  }
  SECTION("then the io_context runs again and runs out of the listener's work") {
    harness.io_thread->io.restart();
    harness.io_thread->start();
    CHECK(harness.io_thread->wait_for_return(3s));
  }
}

TEST_CASE("on the caller's io_context, a slow command handler is acknowledged in budget",
          "[slack][http][io]") {
  Harness harness(kSecret, kNow, HarnessSetup{.command_delay = 1500ms, .callers_io = true});

  const auto started = std::chrono::steady_clock::now();
  const Reply reply = harness.post_signed("/slack/commands", kSecret, kNow,
                                          "command=%2Fpapers&text=rescore&user_id=U1",
                                          "application/x-www-form-urlencoded");
  CHECK(std::chrono::steady_clock::now() - started < 1s);  // the budget is 500 ms here
  CHECK(reply.status == 200);
  CHECK(reply.body.empty());
  CHECK(harness.recorder.wait_until([&] { return harness.recorder.commands.size() == 1; }));
}

TEST_CASE("a GET with a query reaches the web handler", "[slack][http][web]") {
  Harness harness(kSecret, kNow, HarnessSetup{.serve_web = true});
  WebClient client;

  const WebReply reply = client.send("GET", harness.url("/email/upvote?t=abc%2Fdef&p=2401.1"));
  CHECK(reply.status == 200);
  CHECK(reply.body == "<p>/email/upvote</p>");
  CHECK(reply.has_header("Content-Type: text/html; charset=utf-8"));
  CHECK(reply.has_header("Cache-Control: no-store"));
  CHECK(reply.has_header("X-Content-Type-Options: nosniff"));
  REQUIRE(harness.recorder.web_count() == 1);
  const WebRequest& request = harness.recorder.web_requests[0];
  CHECK(request.method == "GET");
  CHECK(request.path == "/email/upvote");
  CHECK(request.query == "t=abc%2Fdef&p=2401.1");
  CHECK(request.content_type.empty());
  CHECK(request.body.empty());
}

TEST_CASE("a POSTed form reaches the web handler unsigned", "[slack][http][web]") {
  Harness harness(kSecret, kNow, HarnessSetup{.serve_web = true});
  WebClient client;

  const WebReply reply =
      client.send("POST", harness.url("/email/unsubscribe"), "token=abc&confirm=yes",
                  {"Content-Type: application/x-www-form-urlencoded"});
  CHECK(reply.status == 200);
  REQUIRE(harness.recorder.web_count() == 1);
  const WebRequest& request = harness.recorder.web_requests[0];
  CHECK(request.method == "POST");
  CHECK(request.path == "/email/unsubscribe");
  CHECK(request.query.empty());
  CHECK(request.content_type == "application/x-www-form-urlencoded");
  CHECK(request.body == "token=abc&confirm=yes");
}

TEST_CASE("a HEAD gets the GET's headers and no body", "[slack][http][web]") {
  Harness harness(kSecret, kNow, HarnessSetup{.serve_web = true});

  const std::string answer = exchange_raw(harness.listener->port(), "HEAD", "/email/upvote?t=1");
  CHECK(answer.starts_with("HTTP/1.1 200 OK\r\n"));
  CHECK(answer.find("Content-Length: 20\r\n") != std::string::npos);  // "<p>/email/upvote</p>"
  CHECK(answer.find("Cache-Control: no-store\r\n") != std::string::npos);
  CHECK(answer.ends_with("\r\n\r\n"));
  REQUIRE(harness.recorder.web_count() == 1);
  CHECK(harness.recorder.web_requests[0].method == "HEAD");

  // Not on the web route either.
  const std::string not_found = exchange_raw(harness.listener->port(), "HEAD", "/slack/events");
  CHECK(not_found.starts_with("HTTP/1.1 404 Not Found\r\n"));
  CHECK(not_found.ends_with("\r\n\r\n"));
}

TEST_CASE("other methods to a web path get 405 with Allow", "[slack][http][web]") {
  Harness harness(kSecret, kNow, HarnessSetup{.serve_web = true});
  WebClient client;

  for (const char* method : {"PUT", "DELETE", "OPTIONS"}) {
    const WebReply reply = client.send(method, harness.url("/email/upvote"));
    CHECK(reply.status == 405);
    CHECK(reply.has_header("Allow: GET, HEAD, POST"));
    CHECK(reply.has_header("Cache-Control: no-store"));
  }
  CHECK(harness.recorder.web_count() == 0);
}

TEST_CASE("without a web handler every web path is 404", "[slack][http][web]") {
  Harness harness(kSecret, kNow);
  WebClient client;

  CHECK(client.send("GET", harness.url("/email/upvote?t=1")).status == 404);
  CHECK(client.send("POST", harness.url("/email/unsubscribe"), "token=abc").status == 404);
  CHECK(client.send("PUT", harness.url("/email/upvote")).status == 404);
}

TEST_CASE("Slack's paths and /healthz never reach the web handler", "[slack][http][web]") {
  Harness harness(kSecret, kNow, HarnessSetup{.serve_web = true});
  WebClient client;

  CHECK(client.send("GET", harness.url("/slack/events")).status == 404);
  CHECK(client.send("HEAD", harness.url("/slack/commands")).status == 404);
  CHECK(client.send("POST", harness.url("/slack/commands"), "command=%2Fpapers").status == 401);
  CHECK(client.send("PUT", harness.url("/healthz")).status == 404);
  const WebReply health = client.send("GET", harness.url("/healthz"));
  CHECK(health.status == 200);
  CHECK_FALSE(health.has_header("Cache-Control: no-store"));
  CHECK(harness.recorder.web_count() == 0);
}

TEST_CASE("a web handler that throws gets a 500 and the next request is served",
          "[slack][http][web]") {
  Harness harness(kSecret, kNow, HarnessSetup{.serve_web = true});
  WebClient client;

  const WebReply broken = client.send("GET", harness.url("/throw"));
  CHECK(broken.status == 500);
  CHECK(broken.has_header("Content-Type: text/plain; charset=utf-8"));
  CHECK(broken.body == "internal error");

  const WebReply next = client.send("GET", harness.url("/email/upvote"));
  CHECK(next.status == 200);
  CHECK(next.body == "<p>/email/upvote</p>");
}

TEST_CASE("a slow web page does not delay a slash command's reply", "[slack][http][web]") {
  Harness harness(kSecret, kNow, HarnessSetup{.serve_web = true, .web_delay = 1s});

  WebReply page;
  std::thread reader([&] { page = WebClient().send("GET", harness.url("/email/upvote")); });
  REQUIRE(harness.recorder.wait_until([&] { return harness.recorder.web_requests.size() == 1; }));

  // The command's budget is 500 ms: queued behind the page, it would get an empty ack instead.
  const auto started = std::chrono::steady_clock::now();
  const Reply command = harness.post_signed("/slack/commands", kSecret, kNow,
                                            "command=%2Fpapers&text=today&user_id=U1",
                                            "application/x-www-form-urlencoded");
  const auto elapsed = std::chrono::steady_clock::now() - started;
  reader.join();
  CHECK(command.status == 200);
  CHECK(command.content_type == "application/json");
  CHECK(elapsed < 500ms);
  CHECK(page.status == 200);
}

TEST_CASE("a web page past its budget gets 503, and one queued meanwhile never runs",
          "[slack][http][web]") {
  Harness harness(kSecret, kNow,
                  HarnessSetup{.serve_web = true, .web_delay = 1s, .web_budget = 300ms});
  WebClient client;

  const auto started = std::chrono::steady_clock::now();
  const WebReply slow = client.send("GET", harness.url("/email/upvote"));
  CHECK(slow.status == 503);
  CHECK(slow.has_header("Cache-Control: no-store"));
  CHECK(std::chrono::steady_clock::now() - started < 800ms);

  // The first handler still runs; this one waits behind it past its own budget.
  CHECK(client.send("GET", harness.url("/email/second")).status == 503);
  std::this_thread::sleep_for(1s);
  CHECK(harness.recorder.web_count() == 1);
  CHECK(client.send("GET", harness.url("/healthz")).status == 200);
}

TEST_CASE("a web request's query is not logged", "[slack][http][web]") {
  auto log = std::make_shared<std::ostringstream>();
  auto logger = std::make_shared<spdlog::logger>(
      "slack_http_web_test", std::make_shared<spdlog::sinks::ostream_sink_mt>(*log));
  logger->set_level(spdlog::level::trace);
  {
    Harness harness(kSecret, kNow, HarnessSetup{.logger = logger, .serve_web = true});
    CHECK(WebClient().send("GET", harness.url("/email/upvote?t=secret-token")).status == 200);
  }
  CHECK(log->str().find("/email/upvote") != std::string::npos);
  CHECK(log->str().find("secret-token") == std::string::npos);
}
