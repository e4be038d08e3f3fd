// The daemon with Slack, end to end: a config folder with two channel audiences and an admin
// channel, a real SQLite store, a fake arXiv and a fake Slack on loopback, the real binary
// started with a fake clock, and the signed requests Slack would send it.
#pragma once

#include "core/store/store.hpp"
#include "tests/support/daemon_checks.hpp"
#include "tests/support/daemon_process.hpp"
#include "tests/support/fake_arxiv.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/result_printing.hpp"
#include "tests/support/test_data.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace paperbot::testing {

using namespace std::chrono_literals;
namespace json = boost::json;

inline constexpr const char* kBotToken = "xoxb-test-token";
inline constexpr const char* kSigningSecret = "8f742231b10e8888abcd99yyyzzz85a5";
inline constexpr const char* kAdmin = "U0ADMIN";
inline constexpr const char* kStart = "2025-01-29T06:05:00Z";  // 01:05 in New York: the run is due

inline const Date kDay = std::chrono::year{2025} / 1 / 29;

inline void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

struct Setup {
  std::string extra_schedule;  // lines added to [SCHEDULE]
  int arxiv_retries = 0;       // [PAPERBOT] arxiv_retries
  std::string mode = "http";   // [SLACK] mode
  int papers_top = 5;
  int other_top = 2;
  std::string extra_sections;  // appended to config.ini
};

// A config folder, a store, the fakes and the daemon's command line.
class DaemonFixture {
 public:
  DaemonFixture(const std::filesystem::path& feed, const Setup& setup = {})
      : arxiv_(feed), slack_(kBotToken, {"C0PAPERS", "C0OTHER", "C0ADMINS"}) {
    std::filesystem::create_directories(dir_.path() / "config");
    write_file(dir_.path() / "config" / "config.ini",
               "[FILTERING]\n"
               "arxiv_category = cs.LG, cs.AI\n"
               "relevance_cutoff = 1\n"
               "novelty_cutoff = 1\n"
               "[OUTPUT]\n"
               "output_path = " +
                   (dir_.path() / "out").string() +
                   "\n"
                   "[PAPERBOT]\n"
                   "store_path = " +
                   store_path().string() +
                   "\n"
                   "scorer = offline\n"
                   "arxiv_feed_url = " +
                   arxiv_.base_url() +
                   "/rss/\n"
                   "arxiv_api_url = " +
                   arxiv_.base_url() +
                   "/api/query\n"
                   "arxiv_min_interval_seconds = 0\n"
                   "arxiv_retries = " +
                   std::to_string(setup.arxiv_retries) +
                   "\n"
                   "[SCHEDULE]\n" +
                   setup.extra_schedule +
                   "[SERVER]\n"
                   "port = 0\n"
                   "[SLACK]\n"
                   "mode = " +
                   setup.mode +
                   "\n"
                   "api_url = " +
                   slack_.base_url() +
                   "\n"
                   "admins = " +
                   kAdmin +
                   "\n"
                   "admin_channel = C0ADMINS\n"
                   "[SLACK C0PAPERS]\n"
                   "name = papers\n"
                   "top_n = " +
                   std::to_string(setup.papers_top) +
                   "\n"
                   "[SLACK C0OTHER]\n"
                   "name = other\n"
                   "relevance_cutoff = 2\n"
                   "top_n = " +
                   std::to_string(setup.other_top) + "\n" + setup.extra_sections);
  }

  std::filesystem::path store_path() const { return dir_.path() / "store.db"; }
  const std::filesystem::path& folder() const { return dir_.path(); }
  FakeSlack& slack() { return slack_; }
  FakeArxiv& arxiv() { return arxiv_; }

  std::unique_ptr<DaemonProcess> start(const std::string& now = kStart) {
    auto log = dir_.path() / ("daemon-" + std::to_string(++starts_) + ".log");
    return std::make_unique<DaemonProcess>(
        paperbot_binary(),
        std::vector<std::string>{"serve", "--config", (dir_.path() / "config").string(), "--now",
                                 now, "-v"},
        std::map<std::string, std::string>{{"SLACK_BOT_TOKEN", kBotToken},
                                           {"SLACK_SIGNING_SECRET", kSigningSecret},
                                           {"SLACK_APP_TOKEN", FakeSlack::kAppToken},
                                           {"OPENAI_API_KEY", ""},
                                           {"OAI_KEY", ""}},
        log);
  }

  static unsigned short port_of(DaemonProcess& daemon) { return server_port(daemon); }
  std::unique_ptr<Store> store() { return open_store(store_path()); }

  // True once the day is processed and nothing waits in the outbox.
  bool day_posted() {
    auto opened = store();
    auto day = opened->find_day(kDay);
    auto pending = opened->pending_deliveries(std::nullopt, 1000);
    return day && *day && (*day)->status == "done" && pending && pending->empty();
  }

 private:
  TempDir dir_;
  FakeArxiv arxiv_;
  FakeSlack slack_;
  int starts_ = 0;
};

struct Identity {
  std::string audience, kind, paper_id;
  std::int64_t part = 0;
  auto operator<=>(const Identity&) const = default;
};

inline Identity identity_of(const FakeSlackMessage& message) {
  json::object metadata = json::parse(message.metadata_json).as_object();
  const json::object& payload = metadata.at("event_payload").as_object();
  Identity identity;
  identity.audience = std::string(payload.at("audience").as_string());
  identity.kind = std::string(payload.at("kind").as_string());
  if (const auto* paper = payload.if_contains("paper_id")) {
    identity.paper_id = std::string(paper->as_string());
  }
  identity.part = payload.at("part").to_number<std::int64_t>();
  return identity;
}

inline std::string slash_body(const std::string& text, const std::string& user,
                              const std::string& channel) {
  std::string encoded;
  for (char c : text) encoded += c == ' ' ? std::string("+") : std::string(1, c);
  return "token=x&team_id=T0TEAM&channel_id=" + channel + "&user_id=" + user +
         "&command=%2Fpapers&text=" + encoded +
         "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT0%2F1%2Fx&trigger_id=1.2.3";
}

inline std::string reaction_body(const std::string& event_id, const std::string& user,
                                 const std::string& reaction, const std::string& channel,
                                 const std::string& ts, bool added = true) {
  json::object event{{"type", added ? "reaction_added" : "reaction_removed"},
                     {"user", user},
                     {"reaction", reaction},
                     {"item_user", FakeSlack::kBotUserId},
                     {"item", json::object{{"type", "message"}, {"channel", channel}, {"ts", ts}}},
                     {"event_ts", "1738130000.000100"}};
  json::object body{{"token", "x"},          {"team_id", "T0TEAM"},
                    {"api_app_id", "A0APP"}, {"type", "event_callback"},
                    {"event_id", event_id},  {"event_time", 1738130000},
                    {"event", event}};
  return json::serialize(body);
}

inline HttpReply post_signed(HttpClient& client, unsigned short port, const std::string& path,
                             const std::string& body, const std::string& content_type,
                             long age = 0) {
  return client.send("POST", "http://127.0.0.1:" + std::to_string(port) + path, body,
                     slack_signed_headers(kSigningSecret, body, content_type, age));
}

inline constexpr const char* kForm = "application/x-www-form-urlencoded";
inline constexpr const char* kJson = "application/json";

}  // namespace paperbot::testing
