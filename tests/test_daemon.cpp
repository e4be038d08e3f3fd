// `paperbot serve` end to end: the real binary, started with a fake clock on the 2025-01-29 day
// feed, against a fake arXiv and a fake Slack on loopback, with a real SQLite file. It posts the
// day to two channels with different cutoffs, answers slash commands, records 👍, rejects
// unsigned requests, survives kills in mid-post without posting twice, catches up a missed day
// through the API and alerts the admins about a feed that never changes.
#include "core/store/store.hpp"
#include "tests/support/daemon_process.hpp"
#include "tests/support/fake_http_server.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/fake_socket_mode.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/result_printing.hpp"
#include "tests/support/test_data.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <atomic>
#include <csignal>
#include <fstream>
#include <map>
#include <set>
#include <thread>

using namespace paperbot;
using namespace paperbot::testing;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

constexpr const char* kBotToken = "xoxb-test-token";
constexpr const char* kSigningSecret = "8f742231b10e8888abcd99yyyzzz85a5";
constexpr const char* kAdmin = "U0ADMIN";
constexpr const char* kStart = "2025-01-29T06:05:00Z";  // 01:05 in New York: the run is due

const Date kDay = std::chrono::year{2025} / 1 / 29;

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// arXiv's side: the day feed for any category list, and the search API.
class FakeArxiv {
 public:
  explicit FakeArxiv(std::filesystem::path feed) : feed_(std::move(feed)) {}

  void serve_feed(std::filesystem::path feed) {
    std::lock_guard lock(mutex_);
    feed_ = std::move(feed);
  }
  void serve_api(std::string body) {
    std::lock_guard lock(mutex_);
    api_ = std::move(body);
  }
  std::string base_url() const { return server_.base_url(); }
  std::vector<FakeRequest> requests() const { return server_.requests(); }

 private:
  FakeResponse handle(const FakeRequest& request) {
    std::lock_guard lock(mutex_);
    if (request.target.rfind("/api/query", 0) == 0) {
      return FakeResponse{200, {{"Content-Type", "application/atom+xml"}}, api_};
    }
    return FakeResponse{200, {{"Content-Type", "application/rss+xml"}}, read_file(feed_)};
  }

  std::mutex mutex_;
  std::filesystem::path feed_;
  std::string api_;
  FakeHttpServer server_{[this](const FakeRequest& request) { return handle(request); }};
};

struct Setup {
  std::string extra_schedule;  // lines added to [SCHEDULE]
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
                   "arxiv_retries = 0\n"
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

  // The listener's port, once the daemon has logged it.
  static unsigned short port_of(DaemonProcess& daemon) {
    const unsigned short port = logged_server_port(daemon, 20s);
    INFO(daemon.log());
    REQUIRE(port != 0);
    return port;
  }

  // Opens the daemon's store (WAL: it can be read while the daemon writes).
  std::unique_ptr<Store> store() {
    auto store = Store::open(store_path());
    REQUIRE_OK(store);
    return std::move(*store);
  }

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

Identity identity_of(const FakeSlackMessage& message) {
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

std::string slash_body(const std::string& text, const std::string& user,
                       const std::string& channel) {
  std::string encoded;
  for (char c : text) encoded += c == ' ' ? std::string("+") : std::string(1, c);
  return "token=x&team_id=T0TEAM&channel_id=" + channel + "&user_id=" + user +
         "&command=%2Fpapers&text=" + encoded +
         "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT0%2F1%2Fx&trigger_id=1.2.3";
}

std::string reaction_body(const std::string& event_id, const std::string& user,
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

HttpReply post_signed(HttpClient& client, unsigned short port, const std::string& path,
                      const std::string& body, const std::string& content_type, long age = 0) {
  return client.send("POST", "http://127.0.0.1:" + std::to_string(port) + path, body,
                     slack_signed_headers(kSigningSecret, body, content_type, age));
}

constexpr const char* kForm = "application/x-www-form-urlencoded";
constexpr const char* kJson = "application/json";

}  // namespace

TEST_CASE("serve posts the day to two channels, answers commands and records 👍", "[daemon][e2e]") {
  PAPERBOT_SHARED_DATA_FILE(feed, "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  DaemonFixture fixture(feed);
  auto daemon = fixture.start();
  unsigned short port = DaemonFixture::port_of(*daemon);

  REQUIRE(wait_until([&] { return fixture.day_posted(); }, 60s));
  INFO(daemon->log());

  // Each channel: one header at the top level, then its papers as replies in the header's thread;
  // papers just below the bar, if any, in a labelled thread of their own after them.
  std::map<std::string, std::vector<FakeSlackMessage>> replies;
  std::map<std::string, std::vector<FakeSlackMessage>> below;
  for (const std::string channel : {"C0PAPERS", "C0OTHER"}) {
    auto messages = fixture.slack().messages(channel);
    REQUIRE_FALSE(messages.empty());
    const FakeSlackMessage& header = messages.front();
    CHECK(header.thread_ts.empty());
    CHECK(identity_of(header).kind == "header");
    std::string label_ts;
    for (std::size_t i = 1; i < messages.size(); ++i) {
      const std::string kind = identity_of(messages[i]).kind;
      if (kind == "below_bar") {
        CHECK(messages[i].thread_ts.empty());
        CHECK_THAT(messages[i].text, Catch::StartsWith("Just below the bar"));
        label_ts = messages[i].ts;
      } else if (kind == "below_paper") {
        CHECK(messages[i].thread_ts == label_ts);
        below[channel].push_back(messages[i]);
      } else {
        CHECK(kind == "paper");
        CHECK(messages[i].thread_ts == header.ts);
        CHECK(label_ts.empty());  // the digest comes first
        replies[channel].push_back(messages[i]);
      }
    }
  }
  // Different cutoffs and top N: five papers in one channel, two in the other.
  CHECK(replies["C0PAPERS"].size() == 5);
  CHECK(replies["C0OTHER"].size() == 2);
  // Nothing is below a cutoff of 1; the other channel's bar of 2 has papers a point under it.
  CHECK(below["C0PAPERS"].empty());
  CHECK(below["C0OTHER"].size() == 3);
  auto shown = fixture.store()->exposure_outcomes("slack:C0OTHER", kDay, kDay);
  REQUIRE_OK(shown);
  CHECK(shown->size() == 2 + 3);
  // The output folder got its files too.
  CHECK(std::filesystem::exists(fixture.folder() / "out" / "2025-01-29-output.md"));

  HttpClient client;
  SECTION("why explains a paper's scores") {
    auto reply = post_signed(client, port, "/slack/commands",
                             slash_body("why 2501.16396", "U0READER", "C0PAPERS"), kForm);
    REQUIRE(reply.status == 200);
    CHECK_THAT(reply.body, Catch::Contains("2501.16396"));
    CHECK_THAT(reply.body, Catch::Contains("elevance", Catch::CaseSensitive::No));
  }

  SECTION("a 👍 on a paper's message is feedback; taking it back removes it") {
    const FakeSlackMessage& first = replies["C0PAPERS"].front();
    std::string paper_id = identity_of(first).paper_id;
    auto reply = post_signed(
        client, port, "/slack/events",
        reaction_body("Ev01", "U0READER", "+1::skin-tone-3", "C0PAPERS", first.ts), kJson);
    REQUIRE(reply.status == 200);
    auto counts = [&] {
      auto result = fixture.store()->feedback_counts("slack:C0PAPERS", paper_id);
      return result ? *result : FeedbackCounts{-1, -1};
    };
    REQUIRE(wait_until([&] { return counts().up == 1; }, 10s));

    // Slack's retry of the same event changes nothing; another reaction is ignored.
    post_signed(client, port, "/slack/events",
                reaction_body("Ev01", "U0READER", "+1", "C0PAPERS", first.ts), kJson);
    post_signed(client, port, "/slack/events",
                reaction_body("Ev02", "U0READER", "tada", "C0PAPERS", first.ts), kJson);
    auto why = post_signed(client, port, "/slack/commands",
                           slash_body("why " + paper_id, "U0READER", "C0PAPERS"), kForm);
    CHECK_THAT(why.body, Catch::Contains("👍 1"));
    CHECK(counts().up == 1);

    post_signed(client, port, "/slack/events",
                reaction_body("Ev03", "U0READER", "+1::skin-tone-3", "C0PAPERS", first.ts, false),
                kJson);
    CHECK(wait_until([&] { return counts().up == 0; }, 10s));
  }

  SECTION("changes are for admins; a malformed command gets its usage") {
    auto refused = post_signed(client, port, "/slack/commands",
                               slash_body("cutoffs relevance 9", "U0READER", "C0PAPERS"), kForm);
    CHECK(refused.status == 200);
    CHECK_THAT(refused.body, Catch::Contains(kAdmin));
    auto usage = post_signed(client, port, "/slack/commands",
                             slash_body("top many", kAdmin, "C0PAPERS"), kForm);
    CHECK_THAT(usage.body, Catch::Contains("Usage:"));
    auto changed = post_signed(client, port, "/slack/commands",
                               slash_body("cutoffs relevance 9", kAdmin, "C0PAPERS"), kForm);
    CHECK(changed.status == 200);
    auto settings = fixture.store()->scope_settings("slack:C0PAPERS");
    REQUIRE_OK(settings);
    CHECK(settings->relevance_cutoff == 9);
  }

  SECTION("bad and stale signatures are refused with 401") {
    std::string body = slash_body("today", kAdmin, "C0PAPERS");
    auto forged =
        client.send("POST", "http://127.0.0.1:" + std::to_string(port) + "/slack/commands", body,
                    slack_signed_headers("not-the-secret", body, kForm));
    CHECK(forged.status == 401);
    auto stale = post_signed(client, port, "/slack/commands", body, kForm, 6 * 60);
    CHECK(stale.status == 401);
  }

  // SIGTERM stops it cleanly.
  daemon->signal(SIGTERM);
  CHECK(daemon->wait(20s) == 0);
  CHECK_THAT(daemon->log(), Catch::Contains("stopped"));
  CHECK(daemon->log().find(kBotToken) == std::string::npos);
  CHECK(daemon->log().find(kSigningSecret) == std::string::npos);
}

TEST_CASE("feedback moves a channel's bar before the day and the channel hears why",
          "[daemon][e2e][feedback]") {
  PAPERBOT_SHARED_DATA_FILE(feed, "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  DaemonFixture fixture(feed);
  {
    // The day before, #other was shown papers of every relevance and liked those from 5 up.
    auto store = fixture.store();
    const Date before{std::chrono::sys_days(kDay) - std::chrono::days(1)};
    std::vector<Exposure> shown;
    for (int relevance = 2; relevance <= 10; ++relevance) {
      for (int i = 0; i < 4; ++i) {
        const std::string id = "2501.0" + std::to_string(relevance) + std::to_string(i) + "00";
        shown.push_back(Exposure{"slack:C0OTHER", before, id, relevance, 5, relevance + 5, false});
        if (relevance >= 5 && i % 2 == 0) {
          REQUIRE_OK(store->record_feedback(
              Feedback{"slack:C0OTHER", id, before, "U0READER", 1, "slack"}, {}));
        }
      }
    }
    REQUIRE_OK(store->record_exposures(shown));
  }
  auto daemon = fixture.start();
  REQUIRE(wait_until([&] { return fixture.day_posted(); }, 60s));
  INFO(daemon->log());

  auto messages = fixture.slack().messages("C0OTHER");
  REQUIRE(messages.size() >= 2);
  CHECK(identity_of(messages[0]).kind == "cutoffs");
  CHECK_THAT(messages[0].text, Catch::StartsWith("Cutoffs moved by feedback: relevance cutoff 2 "
                                                 "→ 3: 0 of 4 papers posted at relevance 2 got "
                                                 "👍"));
  CHECK(identity_of(messages[1]).kind == "header");
  auto settings = fixture.store()->scope_settings("slack:C0OTHER");
  REQUIRE_OK(settings);
  CHECK(settings->relevance_cutoff == 3);
  // The day's papers were chosen with the new bar.
  auto shown = fixture.store()->exposure_outcomes("slack:C0OTHER", kDay, kDay);
  REQUIRE_OK(shown);
  for (const auto& outcome : *shown) {
    CHECK(outcome.exposure.relevance >= (outcome.exposure.below_bar ? 1 : 3));
  }
  daemon->signal(SIGTERM);
  CHECK(daemon->wait(20s) == 0);
}

TEST_CASE("a daemon killed in mid-post posts every message exactly once", "[daemon][e2e]") {
  PAPERBOT_SHARED_DATA_FILE(feed, "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  Setup setup;
  setup.papers_top = 4;
  setup.other_top = 3;
  setup.extra_sections = "[FEEDBACK]\nexplore = 0\n";  // the digests alone, counted below
  DaemonFixture fixture(feed, setup);

  // Kill the daemon as soon as Slack has accepted the k-th message: usually before the daemon
  // could record it, sometimes after. Each restart resumes the day.
  for (std::size_t k : {1u, 2u, 4u, 7u}) {
    auto daemon = fixture.start();
    bool reached = wait_until([&] { return fixture.slack().messages().size() >= k; }, 60s, 1ms);
    daemon->kill_now();
    INFO("killed after " << k << " messages\n" << daemon->log());
    REQUIRE(reached);
  }
  auto daemon = fixture.start();
  REQUIRE(wait_until([&] { return fixture.day_posted(); }, 60s));
  daemon->signal(SIGTERM);
  CHECK(daemon->wait(20s) == 0);

  auto messages = fixture.slack().messages();
  std::set<Identity> seen;
  for (const auto& message : messages) {
    Identity identity = identity_of(message);
    INFO(identity.audience << " " << identity.kind << " " << identity.paper_id << " "
                           << identity.part);
    CHECK(seen.insert(identity).second);  // never twice
  }
  // Two headers, four and three papers: everything, once.
  CHECK(messages.size() == 2 + 4 + 3);
  // Replies went under the header of their own channel.
  for (const std::string channel : {"C0PAPERS", "C0OTHER"}) {
    auto posted = fixture.slack().messages(channel);
    REQUIRE_FALSE(posted.empty());
    for (std::size_t i = 1; i < posted.size(); ++i) CHECK(posted[i].thread_ts == posted[0].ts);
  }
}

TEST_CASE("a catch-up that fails waits before it tries again, and the due day is still read",
          "[daemon][e2e]") {
  PAPERBOT_SHARED_DATA_FILE(feed, "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  DaemonFixture fixture(feed);
  fixture.arxiv().serve_api("<not an Atom feed");
  {
    // 2025-01-27 was processed; the 28th was missed, and the API cannot give it today.
    auto store = fixture.store();
    DayRecord day;
    day.date = std::chrono::year{2025} / 1 / 27;
    day.status = "done";
    REQUIRE_OK(store->save_day(day));
  }
  auto daemon = fixture.start();
  REQUIRE(wait_until([&] { return fixture.day_posted(); }, 60s));
  std::this_thread::sleep_for(2s);
  INFO(daemon->log());
  int api_reads = 0;
  for (const auto& request : fixture.arxiv().requests()) {
    if (request.target.rfind("/api/query", 0) == 0) ++api_reads;
  }
  CHECK(api_reads == 1);  // the next try is ten minutes away
  auto missed = fixture.store()->find_day(std::chrono::year{2025} / 1 / 28);
  REQUIRE_OK(missed);
  CHECK_FALSE(missed->has_value());
  daemon->signal(SIGTERM);
  CHECK(daemon->wait(20s) == 0);
}

TEST_CASE("a missed day is caught up through the API, late; a stale feed alerts the admins",
          "[daemon][e2e]") {
  PAPERBOT_SHARED_DATA_FILE(old_feed, "arxiv/days/2025-01-28.cs.LG+cs.AI.rss.xml");
  PAPERBOT_SHARED_DATA_FILE(api_page, "arxiv/atom/api_query_response_user_manual.xml");
  // No retries: the first stale read alerts.
  Setup setup;
  setup.extra_schedule = "max_retries = 0\n";
  DaemonFixture fixture(old_feed, setup);
  fixture.arxiv().serve_api(read_file(api_page));
  {
    // The store processed 2025-01-27, then the daemon was down through the 28th.
    auto store = fixture.store();
    DayRecord day;
    day.date = std::chrono::year{2025} / 1 / 27;
    day.status = "done";
    REQUIRE_OK(store->save_day(day));
  }

  auto daemon = fixture.start();
  const Date missed = std::chrono::year{2025} / 1 / 28;
  REQUIRE(wait_until(
      [&] {
        auto day = fixture.store()->find_day(missed);
        return day && *day && (*day)->status == "done";
      },
      60s));
  auto day = fixture.store()->find_day(missed);
  CHECK((*day)->late);

  // The API was asked for the submissions Tuesday the 28th announced: Friday 14:00 to Monday 14:00
  // in New York.
  bool asked = false;
  for (const auto& request : fixture.arxiv().requests()) {
    UNSCOPED_INFO(request.target);
    if (request.target.find("submittedDate:[202501241900+TO+202501271900]") != std::string::npos) {
      asked = true;
    }
  }
  CHECK(asked);

  // The feed still shows the 28th when the 29th is due: the admins hear of it once.
  REQUIRE(wait_until(
      [&] {
        auto today = fixture.store()->find_day(kDay);
        return today && *today && (*today)->status == "given_up" &&
               !fixture.slack().messages("C0ADMINS").empty();
      },
      60s));
  INFO(daemon->log());
  auto alerts = fixture.slack().messages("C0ADMINS");
  REQUIRE(alerts.size() == 1);
  CHECK_THAT(alerts[0].text, Catch::Contains("older announcement"));
  // The late day's header says it is late.
  auto headers = fixture.slack().messages("C0PAPERS");
  REQUIRE_FALSE(headers.empty());
  CHECK_THAT(headers.front().text + headers.front().blocks_json, Catch::Contains("late"));
  daemon->signal(SIGTERM);
  CHECK(daemon->wait(20s) == 0);
}

TEST_CASE("in Socket Mode the daemon acks envelopes, answers through response_url, records 👍",
          "[daemon][e2e][socket]") {
  PAPERBOT_SHARED_DATA_FILE(feed, "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  Setup setup;
  setup.mode = "socket";
  DaemonFixture fixture(feed, setup);
  FakeSocketMode socket;
  fixture.slack().set_socket_mode_url(socket.url());
  FakeHttpServer responses([](const FakeRequest&) { return FakeResponse{200, {}, "ok"}; });

  auto daemon = fixture.start();
  REQUIRE(wait_until([&] { return fixture.day_posted() && socket.connections() == 1; }, 60s));
  INFO(daemon->log());

  auto acked = [&](const std::string& envelope_id) {
    for (const auto& frame : socket.received()) {
      if (frame.text.find(envelope_id) != std::string::npos) return true;
    }
    return false;
  };
  json::object command{{"token", "x"},
                       {"team_id", "T0TEAM"},
                       {"channel_id", "C0PAPERS"},
                       {"user_id", "U0READER"},
                       {"command", "/papers"},
                       {"text", "why 2501.16396"},
                       {"response_url", responses.base_url() + "/commands/T0/1/x"},
                       {"trigger_id", "1.2.3"}};
  REQUIRE(socket.send(json::serialize(json::object{{"envelope_id", "env-command"},
                                                   {"type", "slash_commands"},
                                                   {"accepts_response_payload", true},
                                                   {"payload", command}})));
  REQUIRE(wait_until([&] { return acked("env-command"); }, 3s));
  REQUIRE(wait_until([&] { return !responses.requests().empty(); }, 10s));
  const FakeRequest answer = responses.requests().front();
  CHECK(answer.method == "POST");
  CHECK(answer.target == "/commands/T0/1/x");
  CHECK_THAT(answer.body, Catch::Contains("2501.16396"));
  CHECK(answer.headers.count("authorization") == 0);  // the bot token stays with Slack's API

  const FakeSlackMessage paper = fixture.slack().messages("C0PAPERS").at(1);
  json::value event =
      json::parse(reaction_body("Ev77", "U0READER", "thumbsup", "C0PAPERS", paper.ts));
  REQUIRE(socket.send(json::serialize(json::object{{"envelope_id", "env-event"},
                                                   {"type", "events_api"},
                                                   {"accepts_response_payload", false},
                                                   {"retry_attempt", 0},
                                                   {"retry_reason", ""},
                                                   {"payload", event}})));
  REQUIRE(wait_until([&] { return acked("env-event"); }, 3s));
  std::string paper_id = identity_of(paper).paper_id;
  CHECK(wait_until(
      [&] {
        auto counts = fixture.store()->feedback_counts("slack:C0PAPERS", paper_id);
        return counts && counts->up == 1;
      },
      10s));

  daemon->signal(SIGTERM);
  CHECK(daemon->wait(20s) == 0);
  CHECK(daemon->log().find(FakeSlack::kAppToken) == std::string::npos);
}
