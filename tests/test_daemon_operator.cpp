// The real daemon, with neither Slack nor e-mail configured, still serves the operators' pages on
// its web server; and when arXiv fails it says so there and raises its alarms.
#include "core/store/store.hpp"
#include "tests/support/daemon_process.hpp"
#include "tests/support/fake_http_server.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/result_printing.hpp"
#include "tests/support/test_data.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <fstream>

using namespace paperbot;
using namespace paperbot::testing;
using namespace std::chrono_literals;

namespace {

Date day_of(int month, int day) {
  return Date{std::chrono::year(2025), std::chrono::month(month), std::chrono::day(day)};
}

// A config folder whose arXiv is a server that answers every request with a 500.
class OperatorDaemonFixture {
 public:
  OperatorDaemonFixture() {
    std::filesystem::create_directories(dir_.path() / "config");
    std::ofstream(dir_.path() / "config" / "config.ini")
        << "[FILTERING]\narxiv_category = cs.LG\n"
        << "[OUTPUT]\noutput_path = " << (dir_.path() / "out").string() << "\n"
        << "[PAPERBOT]\nstore_path = " << store_path().string() << "\nscorer = offline\n"
        << "arxiv_feed_url = " << arxiv_.base_url() << "/rss/\n"
        << "arxiv_api_url = " << arxiv_.base_url() << "/api/query\n"
        << "arxiv_min_interval_seconds = 0\narxiv_retries = 0\n"
        << "[SERVER]\nport = 0\n";
  }

  std::filesystem::path store_path() const { return dir_.path() / "store.db"; }

  std::unique_ptr<DaemonProcess> start(const std::string& now) {
    return std::make_unique<DaemonProcess>(
        paperbot_binary(),
        std::vector<std::string>{"serve", "--config", (dir_.path() / "config").string(), "--now",
                                 now},
        std::map<std::string, std::string>{{"SLACK_BOT_TOKEN", ""},
                                           {"OPENAI_API_KEY", ""},
                                           {"OAI_KEY", ""},
                                           {"PAPERBOT_LINK_SECRET", ""}},
        dir_.path() / "daemon.log");
  }

 private:
  TempDir dir_;
  FakeHttpServer arxiv_{[](const FakeRequest&) { return FakeResponse{500, {}, "down"}; }};
};

}  // namespace

TEST_CASE("the daemon serves /healthz, /metrics and / without Slack or e-mail",
          "[operator][daemon]") {
  OperatorDaemonFixture fixture;
  {
    // The store remembers Tuesday and Wednesday; Thursday's and Friday's never came.
    auto store = Store::open(fixture.store_path());
    REQUIRE_OK(store);
    for (Date day : {day_of(1, 28), day_of(1, 29)}) {
      REQUIRE_OK((*store)->save_day(DayRecord{day, "done", false, 0, ""}));
    }
  }
  // Friday 07:30 in New York: the run for Friday was due at 01:00.
  auto daemon = fixture.start("2025-01-31T12:30:00Z");
  const unsigned short port = logged_server_port(*daemon, 20s);
  REQUIRE(port != 0);
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  HttpClient client;

  auto health = client.send("GET", base + "/healthz");
  INFO(health.body);
  CHECK(health.status == 503);
  CHECK(health.content_type.starts_with("text/plain"));
  CHECK(health.body.find("2 announcement(s) in a row are missing") != std::string::npos);

  auto metrics = client.send("GET", base + "/metrics");
  CHECK(metrics.status == 200);
  CHECK(metrics.content_type.starts_with("text/plain; version=0.0.4"));
  CHECK(metrics.body.find("paperbot_healthy 0\n") != std::string::npos);

  auto page = client.send("GET", base + "/");
  CHECK(page.status == 200);
  CHECK(page.body.find("<svg class=\"cutoff-chart\"") != std::string::npos);
  CHECK(client.send("GET", base + "/email/upvote").status == 404);

  // The alarms: behind by two announcements, and the catch-up of Thursday failed.
  CHECK(wait_until(
      [&] {
        return daemon->log().find("could not process the announcement of 2025-01-30") !=
               std::string::npos;
      },
      20s));
  CHECK(daemon->log().find("paperbot is behind") != std::string::npos);
  daemon->signal(SIGTERM);
  CHECK(daemon->wait(30s) == 0);
}
