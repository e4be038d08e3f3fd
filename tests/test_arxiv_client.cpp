// ArxivClient against the fake HTTP server: real sockets on 127.0.0.1, faults on demand, and a
// recording sleep so that backoff and politeness are checked without waiting for them.
#include "adapters/arxiv/arxiv_client.hpp"
#include "tests/support/fake_http_server.hpp"
#include "tests/support/test_data.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <ctime>
#include <thread>

using paperbot::ArxivClient;
using paperbot::ArxivClientOptions;
using paperbot::HttpValidators;
using paperbot::testing::FakeHttpServer;
using paperbot::testing::FakeRequest;
using paperbot::testing::FakeResponse;
using std::chrono::milliseconds;

namespace {

const std::vector<std::string> kCategories{"cs.LG", "cs.AI"};
const char* const kSmallFeed = "<?xml version='1.0'?><rss version=\"2.0\"><channel/></rss>";

// Waits the client asked for, instead of waiting them.
struct RecordedSleeps {
  std::vector<milliseconds> waits;
  ArxivClient::Sleep function() {
    return [this](milliseconds wait) { waits.push_back(wait); };
  }
};

// Short everything, and no spacing unless a test asks for it, so that the recorded waits are
// exactly the backoffs.
ArxivClientOptions options_for(const FakeHttpServer& server) {
  ArxivClientOptions options;
  options.feed_base_url = server.base_url() + "/rss/";
  options.api_base_url = server.base_url() + "/api/query";
  options.timeout = milliseconds{5'000};
  options.min_interval = milliseconds{0};
  options.max_retries = 3;
  options.initial_backoff = milliseconds{100};
  options.max_backoff = milliseconds{1'000};
  return options;
}

FakeResponse ok(std::string body = kSmallFeed) {
  FakeResponse response;
  response.body = std::move(body);
  response.headers = {{"Content-Type", "application/rss+xml"}};
  return response;
}

FakeResponse status(int code, std::vector<std::pair<std::string, std::string>> headers = {}) {
  FakeResponse response;
  response.status = code;
  response.headers = std::move(headers);
  return response;
}

// Answers with `first` for the first `times` requests, then with 200.
FakeHttpServer::Handler fail_then_ok(FakeResponse first, int times) {
  auto seen = std::make_shared<int>(0);
  return [=](const FakeRequest&) { return ++*seen <= times ? first : ok(); };
}

std::string http_date(std::time_t when) {
  std::tm utc{};
  gmtime_r(&when, &utc);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  return text;
}

}  // namespace

TEST_CASE("fetches the day feed of several categories politely", "[arxiv]") {
  PAPERBOT_SHARED_DATA_FILE(path, "arxiv/rss2/real-2026-09-24-4-items.xml");
  std::string feed_bytes = paperbot::testing::read_file(path);
  FakeHttpServer server([&](const FakeRequest&) { return ok(feed_bytes); });
  ArxivClient client(options_for(server));

  auto feed = client.fetch_day_feed(kCategories, {});

  REQUIRE(feed.has_value());
  CHECK(feed->body == feed_bytes);
  CHECK_FALSE(feed->not_modified);
  CHECK(feed->source == server.base_url() + "/rss/cs.LG+cs.AI");
  auto requests = server.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "GET");
  CHECK(requests[0].target == "/rss/cs.LG+cs.AI");
  CHECK(requests[0].headers["user-agent"] ==
        "paperbot/" PAPERBOT_VERSION " (arXiv digest bot; +https://github.com/paperbot/paperbot)");
  CHECK_THAT(requests[0].headers["accept-encoding"], Catch::Contains("gzip"));
  CHECK(requests[0].headers.count("if-none-match") == 0);
}

TEST_CASE("a configured User-Agent replaces the default", "[arxiv]") {
  FakeHttpServer server([](const FakeRequest&) { return ok(); });
  auto options = options_for(server);
  options.user_agent = "lab-digest/2 (mailto:lab@example.org)";
  ArxivClient client(options);

  REQUIRE(client.fetch_day_feed({"cs.CV"}, {}).has_value());
  CHECK(server.requests().at(0).headers["user-agent"] == options.user_agent);
}

TEST_CASE("API pages are fetched with the query as given", "[arxiv]") {
  FakeHttpServer server([](const FakeRequest&) { return ok("<feed/>"); });
  ArxivClient client(options_for(server));

  auto page = client.fetch_api("search_query=cat:cs.LG&start=0&max_results=100");

  REQUIRE(page.has_value());
  CHECK(page->body == "<feed/>");
  CHECK(server.requests().at(0).target ==
        "/api/query?search_query=cat:cs.LG&start=0&max_results=100");
}

TEST_CASE("bad categories are refused before any request", "[arxiv]") {
  FakeHttpServer server([](const FakeRequest&) { return ok(); });
  ArxivClient client(options_for(server));

  CHECK_FALSE(client.fetch_day_feed({}, {}).has_value());
  CHECK_FALSE(client.fetch_day_feed({"cs.LG", "../admin?x="}, {}).has_value());
  CHECK(server.requests().empty());
}

TEST_CASE("conditional GET round-trips validators and maps 304 to not_modified", "[arxiv]") {
  const std::string etag = "\"feed-v1\"";
  const std::string modified = "Thu, 24 Sep 2026 08:58:05 GMT";
  FakeHttpServer server([&](const FakeRequest& request) {
    auto sent = request.headers.find("if-none-match");
    if (sent != request.headers.end() && sent->second == etag) {
      return status(304, {{"ETag", etag}});
    }
    auto response = ok();
    response.headers.push_back({"ETag", etag});
    response.headers.push_back({"Last-Modified", modified});
    return response;
  });
  ArxivClient client(options_for(server));

  auto first = client.fetch_day_feed(kCategories, {});
  REQUIRE(first.has_value());
  CHECK(first->validators.etag == etag);
  CHECK(first->validators.last_modified == modified);

  auto second = client.fetch_day_feed(kCategories, first->validators);
  REQUIRE(second.has_value());
  CHECK(second->not_modified);
  CHECK(second->body.empty());
  CHECK(second->validators.etag == etag);
  CHECK(second->validators.last_modified == modified);  // kept: the 304 did not repeat it
  auto requests = server.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[1].headers["if-none-match"] == etag);
  CHECK(requests[1].headers["if-modified-since"] == modified);
}

TEST_CASE("redirects are followed", "[arxiv]") {
  FakeHttpServer server([](const FakeRequest& request) {
    if (request.target == "/rss/cs.LG") {
      return status(301, {{"Location", "/rss-moved/cs.LG"}});
    }
    return ok("moved");
  });
  ArxivClient client(options_for(server));

  auto feed = client.fetch_day_feed({"cs.LG"}, {});
  REQUIRE(feed.has_value());
  CHECK(feed->body == "moved");
  CHECK(server.requests().size() == 2);
}

TEST_CASE("5xx is retried with doubling, jittered backoff", "[arxiv][retry]") {
  FakeHttpServer server(fail_then_ok(status(500), 2));
  RecordedSleeps sleeps;
  ArxivClient client(options_for(server), sleeps.function());

  auto feed = client.fetch_day_feed(kCategories, {});

  REQUIRE(feed.has_value());
  CHECK(server.requests().size() == 3);
  REQUIRE(sleeps.waits.size() == 2);
  CHECK(sleeps.waits[0] >= milliseconds{75});
  CHECK(sleeps.waits[0] <= milliseconds{100});
  CHECK(sleeps.waits[1] >= milliseconds{150});
  CHECK(sleeps.waits[1] <= milliseconds{200});
}

TEST_CASE("should_stop ends a request in its backoff, asking between slices of the wait",
          "[arxiv][retry]") {
  FakeHttpServer server([](const FakeRequest&) { return status(500); });
  RecordedSleeps sleeps;
  ArxivClientOptions options = options_for(server);
  options.initial_backoff = milliseconds{1'000};
  // Stop once the client has slept twice in its first backoff.
  options.should_stop = [&] { return sleeps.waits.size() >= 2; };
  ArxivClient client(options, sleeps.function());

  auto feed = client.fetch_day_feed(kCategories, {});

  REQUIRE_FALSE(feed.has_value());
  CHECK_THAT(feed.error().message, Catch::Contains("paperbot is stopping"));
  CHECK(server.requests().size() == 1);
  CHECK(sleeps.waits == std::vector<milliseconds>{milliseconds{250}, milliseconds{250}});

  // Stopping before the first request sends nothing.
  FakeHttpServer untouched([](const FakeRequest&) { return ok(); });
  ArxivClientOptions stopped = options_for(untouched);
  stopped.should_stop = [] { return true; };
  ArxivClient never(stopped, sleeps.function());
  REQUIRE_FALSE(never.fetch_day_feed(kCategories, {}).has_value());
  CHECK(untouched.requests().empty());
}

TEST_CASE("backoff stops growing at max_backoff", "[arxiv][retry]") {
  FakeHttpServer server([](const FakeRequest&) { return status(502); });
  RecordedSleeps sleeps;
  auto options = options_for(server);
  options.max_retries = 5;
  options.max_backoff = milliseconds{250};
  ArxivClient client(options, sleeps.function());

  CHECK_FALSE(client.fetch_day_feed(kCategories, {}).has_value());
  REQUIRE(sleeps.waits.size() == 5);
  for (auto wait : sleeps.waits) {
    CHECK(wait <= milliseconds{250});
  }
  CHECK(sleeps.waits.back() >= milliseconds{187});
}

TEST_CASE("429 waits exactly the seconds of Retry-After", "[arxiv][retry]") {
  FakeHttpServer server(fail_then_ok(status(429, {{"Retry-After", "7"}}), 1));
  RecordedSleeps sleeps;
  ArxivClient client(options_for(server), sleeps.function());

  REQUIRE(client.fetch_day_feed(kCategories, {}).has_value());
  CHECK(server.requests().size() == 2);
  CHECK(sleeps.waits == std::vector<milliseconds>{milliseconds{7'000}});
}

TEST_CASE("503 honours a Retry-After given as an HTTP-date", "[arxiv][retry]") {
  std::string when = http_date(std::time(nullptr) + 30);
  FakeHttpServer server(fail_then_ok(status(503, {{"Retry-After", when}}), 1));
  RecordedSleeps sleeps;
  ArxivClient client(options_for(server), sleeps.function());

  REQUIRE(client.fetch_day_feed(kCategories, {}).has_value());
  REQUIRE(sleeps.waits.size() == 1);
  CHECK(sleeps.waits[0] >= milliseconds{28'000});
  CHECK(sleeps.waits[0] <= milliseconds{30'000});
}

TEST_CASE("a Retry-After beyond max_retry_after is an error, not a stall", "[arxiv][retry]") {
  FakeHttpServer server([](const FakeRequest&) { return status(429, {{"Retry-After", "86400"}}); });
  RecordedSleeps sleeps;
  ArxivClient client(options_for(server), sleeps.function());

  auto feed = client.fetch_day_feed(kCategories, {});
  REQUIRE_FALSE(feed.has_value());
  CHECK_THAT(feed.error().message, Catch::Contains("86400"));
  CHECK(sleeps.waits.empty());
  CHECK(server.requests().size() == 1);
}

TEST_CASE("404 is an error at once", "[arxiv][retry]") {
  FakeHttpServer server([](const FakeRequest&) { return status(404); });
  RecordedSleeps sleeps;
  ArxivClient client(options_for(server), sleeps.function());

  auto feed = client.fetch_day_feed({"cs.XX"}, {});

  REQUIRE_FALSE(feed.has_value());
  CHECK(feed.error().step == "fetch arXiv feed");
  CHECK_THAT(feed.error().message, Catch::Contains("HTTP 404"));
  CHECK_THAT(feed.error().message, Catch::Contains(server.base_url() + "/rss/cs.XX"));
  CHECK(server.requests().size() == 1);
  CHECK(sleeps.waits.empty());
}

TEST_CASE("a server that keeps failing ends in an error naming status and attempts",
          "[arxiv][retry]") {
  FakeHttpServer server([](const FakeRequest&) { return status(500); });
  RecordedSleeps sleeps;
  ArxivClient client(options_for(server), sleeps.function());

  auto feed = client.fetch_day_feed(kCategories, {});

  REQUIRE_FALSE(feed.has_value());
  CHECK_THAT(feed.error().message, Catch::Contains("HTTP 500"));
  CHECK_THAT(feed.error().message, Catch::Contains("4 attempts"));
  CHECK_THAT(feed.error().message, Catch::Contains("/rss/cs.LG+cs.AI"));
  CHECK(server.requests().size() == 4);
  CHECK(sleeps.waits.size() == 3);
}

TEST_CASE("a hanging response times out and is retried", "[arxiv][retry]") {
  FakeHttpServer server([](const FakeRequest&) {
    auto response = ok();
    response.delay = milliseconds{5'000};
    return response;
  });
  RecordedSleeps sleeps;
  auto options = options_for(server);
  options.timeout = milliseconds{200};
  options.max_retries = 1;
  ArxivClient client(options, sleeps.function());

  auto started = std::chrono::steady_clock::now();
  auto feed = client.fetch_day_feed(kCategories, {});

  REQUIRE_FALSE(feed.has_value());
  CHECK_THAT(feed.error().message, Catch::Contains("timed out"));
  CHECK_THAT(feed.error().message, Catch::Contains("2 attempts"));
  CHECK(server.requests().size() == 2);
  CHECK(std::chrono::steady_clock::now() - started < milliseconds{4'000});
}

TEST_CASE("a dropped connection is retried", "[arxiv][retry]") {
  FakeResponse dropped;
  dropped.drop_connection = true;
  FakeHttpServer server(fail_then_ok(dropped, 1));
  RecordedSleeps sleeps;
  ArxivClient client(options_for(server), sleeps.function());

  REQUIRE(client.fetch_day_feed(kCategories, {}).has_value());
  CHECK(server.requests().size() == 2);
  CHECK(sleeps.waits.size() == 1);
}

TEST_CASE("a refused connection is retried, then reported", "[arxiv][retry]") {
  auto server = std::make_unique<FakeHttpServer>([](const FakeRequest&) { return ok(); });
  auto options = options_for(*server);
  server.reset();  // nothing listens on the port any more
  RecordedSleeps sleeps;
  options.max_retries = 2;
  ArxivClient client(options, sleeps.function());

  auto feed = client.fetch_day_feed(kCategories, {});

  REQUIRE_FALSE(feed.has_value());
  CHECK_THAT(feed.error().message, Catch::Contains("curl error"));
  CHECK_THAT(feed.error().message, Catch::Contains("3 attempts"));
  CHECK(sleeps.waits.size() == 2);
}

TEST_CASE("min_interval spaces request starts, across calls and before retries", "[arxiv]") {
  FakeHttpServer server(fail_then_ok(status(500), 1));
  RecordedSleeps sleeps;
  auto options = options_for(server);
  options.min_interval = milliseconds{3'000};
  ArxivClient client(options, sleeps.function());

  // The retry's 100 ms backoff is shorter than the spacing, so the spacing wins.
  REQUIRE(client.fetch_day_feed(kCategories, {}).has_value());
  REQUIRE(sleeps.waits.size() == 1);
  CHECK(sleeps.waits[0] > milliseconds{2'000});
  CHECK(sleeps.waits[0] <= milliseconds{3'000});

  REQUIRE(client.fetch_api("id_list=2609.26811").has_value());
  REQUIRE(sleeps.waits.size() == 2);
  CHECK(sleeps.waits[1] > milliseconds{2'000});
  CHECK(sleeps.waits[1] <= milliseconds{3'000});
}

TEST_CASE("fake server records requests and keeps connections alive", "[fake_http_server]") {
  FakeHttpServer server([](const FakeRequest&) { return ok("hello"); });
  ArxivClient client(options_for(server));

  REQUIRE(client.fetch_api("a=1").has_value());
  REQUIRE(client.fetch_api("b=2").has_value());

  auto requests = server.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].target == "/api/query?a=1");
  CHECK(requests[1].target == "/api/query?b=2");
  CHECK(requests[0].headers.count("host") == 1);
  CHECK(requests[0].body.empty());
  CHECK(requests[0].connection == requests[1].connection);
}

TEST_CASE("fake server answers 500 when the handler throws", "[fake_http_server]") {
  FakeHttpServer server([](const FakeRequest&) -> FakeResponse { throw std::runtime_error("x"); });
  auto options = options_for(server);
  options.max_retries = 0;
  ArxivClient client(options);

  auto feed = client.fetch_api("");
  REQUIRE_FALSE(feed.has_value());
  CHECK_THAT(feed.error().message, Catch::Contains("HTTP 500"));
}

namespace {

// Counts handlers running at once; each waits (up to a bound) for a partner to overlap with.
struct OverlapProbe {
  std::mutex mutex;
  std::condition_variable changed;
  int running = 0;
  int most_running = 0;

  FakeResponse handle(milliseconds patience) {
    std::unique_lock lock(mutex);
    most_running = std::max(most_running, ++running);
    changed.notify_all();
    changed.wait_for(lock, patience, [this] { return most_running >= 2; });
    --running;
    return ok();
  }
};

int run_two_clients(const FakeHttpServer& server) {
  auto fetch = [&server](std::atomic<int>& successes) {
    ArxivClient client(options_for(server));
    if (client.fetch_api("slow").has_value()) {
      ++successes;
    }
  };
  std::atomic<int> successes{0};
  std::thread first(fetch, std::ref(successes));
  std::thread second(fetch, std::ref(successes));
  first.join();
  second.join();
  return successes;
}

}  // namespace

TEST_CASE("fake server in concurrent mode runs two slow handlers in parallel",
          "[fake_http_server]") {
  OverlapProbe probe;
  FakeHttpServer server([&](const FakeRequest&) { return probe.handle(milliseconds{3'000}); },
                        /*concurrent=*/true);

  CHECK(run_two_clients(server) == 2);
  CHECK(probe.most_running == 2);
}

TEST_CASE("fake server runs handlers one at a time by default", "[fake_http_server]") {
  OverlapProbe probe;
  FakeHttpServer server([&](const FakeRequest&) { return probe.handle(milliseconds{200}); });

  CHECK(run_two_clients(server) == 2);
  CHECK(probe.most_running == 1);
}

TEST_CASE("fake server stops promptly with a hanging request in flight", "[fake_http_server]") {
  bool concurrent = GENERATE(false, true);
  auto server = std::make_unique<FakeHttpServer>(
      [](const FakeRequest&) {
        auto response = ok();
        response.delay = milliseconds{60'000};
        return response;
      },
      concurrent);
  auto options = options_for(*server);
  options.max_retries = 0;
  options.timeout = milliseconds{30'000};
  ArxivClient client(options);

  auto started = std::chrono::steady_clock::now();
  bool fetched = true;  // Catch2 asserts only on the test's thread
  std::thread fetcher([&] { fetched = client.fetch_api("hang").has_value(); });
  while (server->requests().empty()) {
    std::this_thread::sleep_for(milliseconds{10});
  }
  server.reset();
  fetcher.join();
  CHECK_FALSE(fetched);
  CHECK(std::chrono::steady_clock::now() - started < milliseconds{10'000});
}
