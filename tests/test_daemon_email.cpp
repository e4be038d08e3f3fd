// `paperbot serve` with the e-mail newsletter, end to end: the real binary with a fake clock, a
// fake arXiv on loopback, a real SQLite file and a real SMTP server (aiosmtpd). Each reader gets
// their newsletter once, a refused address fails alone and counts against it, a deferred one
// waits and is sent after a restart without anyone getting a second copy; the links in the
// messages record a 👍 and unsubscribe through the daemon's own web server, and refuse what
// they did not sign.
#include "core/email/link_token.hpp"
#include "core/store/store.hpp"
#include "tests/support/daemon_checks.hpp"
#include "tests/support/daemon_process.hpp"
#include "tests/support/email_smtp_fixture.hpp"
#include "tests/support/fake_arxiv.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/result_printing.hpp"
#include "tests/support/test_data.hpp"

#include <sqlite3.h>
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <map>
#include <mutex>
#include <regex>
#include <thread>

using namespace paperbot;
using namespace paperbot::testing;
using namespace std::chrono_literals;

namespace {

constexpr const char* kLinkSecret = "test-link-secret-9c1f0a";
constexpr const char* kPublicUrl = "https://digest.example.org";
const std::vector<std::string> kReaders = {"alice@example.org", "bob@example.org",
                                           "carol@example.org"};
constexpr const char* kRejected = "gone@example.org";
constexpr const char* kDeferred = "busy@example.org";

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// One delivery's state, read straight from the store's table.
struct DeliveryRow {
  std::string status;
  int attempts = 0;
  std::string last_error;
};

class EmailDaemonFixture {
 public:
  EmailDaemonFixture(const std::filesystem::path& feed, std::vector<std::string> recipients)
      : arxiv_(feed), recipients_(std::move(recipients)) {
    std::filesystem::create_directories(dir_.path() / "config");
  }

  // Writes the config for an SMTP server at `smtp_url`.
  void configure(const std::string& smtp_url) {
    std::string list;
    for (const auto& address : recipients_) list += (list.empty() ? "" : ", ") + address;
    write_file(dir_.path() / "config" / "config.ini",
               "[FILTERING]\narxiv_category = cs.LG, cs.AI\nrelevance_cutoff = 1\n"
               "novelty_cutoff = 1\n[OUTPUT]\noutput_path = " +
                   (dir_.path() / "out").string() +
                   "\n[PAPERBOT]\nstore_path = " + store_path().string() +
                   "\nscorer = offline\narxiv_feed_url = " + arxiv_.base_url() +
                   "/rss/\narxiv_min_interval_seconds = 0\narxiv_retries = 0\n"
                   "[SERVER]\nport = 0\n"
                   "[EMAIL]\nsmtp_url = " +
                   smtp_url +
                   "\nsecurity = plain\nfrom = digest@paperbot.test\n"
                   "from_name = Paper Digest\npublic_url = " +
                   kPublicUrl +
                   "\nmax_failures = 1\n[EMAIL ml]\nname = ML digest\n"
                   "relevance_cutoff = 2\n" +
                   "recipients = " + list + "\n");
  }

  std::filesystem::path store_path() const { return dir_.path() / "store.db"; }
  const std::filesystem::path& folder() const { return dir_.path(); }
  FakeArxiv& arxiv() { return arxiv_; }
  const std::vector<std::string>& recipients() const { return recipients_; }

  std::unique_ptr<DaemonProcess> start(const std::string& now) {
    auto log = dir_.path() / ("daemon-" + std::to_string(++starts_) + ".log");
    return std::make_unique<DaemonProcess>(
        paperbot_binary(),
        std::vector<std::string>{"serve", "--config", (dir_.path() / "config").string(), "--now",
                                 now, "-v"},
        std::map<std::string, std::string>{{"PAPERBOT_LINK_SECRET", kLinkSecret},
                                           {"SLACK_BOT_TOKEN", ""},
                                           {"SMTP_USERNAME", ""},
                                           {"SMTP_PASSWORD", ""},
                                           {"OPENAI_API_KEY", ""},
                                           {"OAI_KEY", ""}},
        log);
  }

  static unsigned short port_of(DaemonProcess& daemon) { return server_port(daemon); }
  std::unique_ptr<Store> store() { return open_store(store_path()); }

  bool day_done(Date date) {
    auto day = store()->find_day(date);
    return day && *day && (*day)->status == "done";
  }

  // The newsletter delivery of `address` on `date`, if there is one.
  std::optional<DeliveryRow> delivery_of(const std::string& address, Date date) {
    // Not there until the daemon has created it.
    if (!std::filesystem::exists(store_path())) return std::nullopt;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(store_path().c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      sqlite3_close(db);
      return std::nullopt;
    }
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* statement = nullptr;
    const bool prepared =
        sqlite3_prepare_v2(db,
                           "SELECT status, attempts, coalesce(last_error, '') FROM deliveries "
                           "WHERE audience = ?1 AND announcement_date = ?2 AND kind = 'newsletter'",
                           -1, &statement, nullptr) == SQLITE_OK;
    if (!prepared) {  // the daemon is still creating its tables
      sqlite3_finalize(statement);
      sqlite3_close(db);
      return std::nullopt;
    }
    const std::string audience = "email:ml:" + address;
    const std::string day = format_iso_date(date);
    sqlite3_bind_text(statement, 1, audience.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(statement, 2, day.c_str(), -1, SQLITE_TRANSIENT);
    std::optional<DeliveryRow> row;
    if (sqlite3_step(statement) == SQLITE_ROW) {
      row = DeliveryRow{reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)),
                        sqlite3_column_int(statement, 1),
                        reinterpret_cast<const char*>(sqlite3_column_text(statement, 2))};
    }
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return row;
  }

 private:
  TempDir dir_;
  FakeArxiv arxiv_;
  std::vector<std::string> recipients_;
  int starts_ = 0;
};

const Date kJan28 = std::chrono::year{2025} / 1 / 28;
const Date kJan29 = std::chrono::year{2025} / 1 / 29;

// The messages each envelope recipient got.
std::map<std::string, std::vector<ReceivedMessage>> by_recipient(const SmtpTestServer& server) {
  std::map<std::string, std::vector<ReceivedMessage>> received;
  for (auto& message : server.messages()) {
    for (const auto& to : message.rcpt_tos) received[to].push_back(message);
  }
  return received;
}

// Every token in `text` after `path` + "?t=".
std::vector<std::string> tokens_after(const std::string& text, std::string_view path) {
  const std::regex pattern(std::string(path) + "\\?t=([A-Za-z0-9_.\\-]+)");
  std::vector<std::string> tokens;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern);
       it != std::sregex_iterator(); ++it)
    tokens.push_back((*it)[1]);
  return tokens;
}

}  // namespace

TEST_CASE("serve mails each reader once; a refused one fails alone, a deferred one waits",
          "[daemon][e2e][email]") {
  PAPERBOT_SHARED_DATA_FILE(feed, "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  PAPERBOT_REQUIRE_AIOSMTPD();
  std::vector<std::string> recipients = kReaders;
  recipients.insert(recipients.end(), {kRejected, kDeferred});
  EmailDaemonFixture fixture(feed, recipients);
  TempDir mail_dir;
  SmtpServerOptions failing;
  failing.reject = {kRejected};
  failing.defer = {kDeferred};
  auto first_server = std::make_unique<SmtpTestServer>(mail_dir.path(), failing);
  fixture.configure(first_server->url());

  auto daemon = fixture.start("2025-01-29T06:05:00Z");
  const bool settled = wait_until(
      [&] {
        auto received = by_recipient(*first_server);
        auto deferred = fixture.delivery_of(kDeferred, kJan29);
        auto rejected = fixture.delivery_of(kRejected, kJan29);
        return fixture.day_done(kJan29) && received.size() == kReaders.size() && deferred &&
               deferred->attempts == 1 && rejected && rejected->status == "failed";
      },
      60s);
  INFO(daemon->log());
  REQUIRE(settled);

  // The three readers: exactly one message each, addressed to them, with their links.
  auto received = by_recipient(*first_server);
  for (const auto& reader : kReaders) {
    INFO(reader);
    REQUIRE(received[reader].size() == 1);
    const auto summary = python_mime_summary(received[reader][0].bytes, mail_dir.path());
    const auto& headers = summary.at("headers").as_object();
    CHECK(std::string(headers.at("To").as_string()).find(reader) != std::string::npos);
    const std::string unsubscribe(headers.at("List-Unsubscribe").as_string());
    CHECK_THAT(unsubscribe,
               Catch::Contains(std::string(kPublicUrl) + std::string(email::kUnsubscribePath)));
    std::string text;
    for (const auto& part : summary.at("parts").as_array())
      text += std::string(part.at("content").as_string());
    CHECK_THAT(text, Catch::Contains("https://arxiv.org/abs/"));
    // The digest's papers, then three just below the bar (relevance 1 under the list's cutoff of
    // 2, with no top_n to cut the digest first), each with its 👍 link in the text and the HTML.
    CHECK_THAT(text, Catch::Contains("Just below the bar: 3 papers"));
    CHECK(tokens_after(text, email::kUpvotePath).size() >= 6 * 2);
  }

  // The refused address: its delivery failed with the server's words, and counted against it.
  auto rejected = fixture.delivery_of(kRejected, kJan29);
  CHECK_THAT(rejected->last_error, Catch::Contains("550"));
  auto subscribers = fixture.store()->subscribers("email:ml");
  REQUIRE_OK(subscribers);
  bool suspended = false;
  for (const auto& row : *subscribers) {
    if (row.address == kRejected) suspended = row.status == SubscriberStatus::kSuspended;
  }
  CHECK(suspended);  // max_failures = 1
  CHECK_THAT(daemon->log(), Catch::Contains("is suspended from email:ml"));

  // The deferred one waits out its backoff (a minute) instead of being tried again at once.
  std::this_thread::sleep_for(3s);
  auto deferred = fixture.delivery_of(kDeferred, kJan29);
  CHECK(deferred->status == "pending");
  CHECK(deferred->attempts == 1);
  CHECK_THAT(deferred->last_error, Catch::Contains("451"));

  // Restart against a server that accepts everyone: only the deferred reader gets mail now.
  daemon->signal(SIGTERM);
  CHECK(daemon->wait(20s) == 0);
  first_server.reset();
  SmtpTestServer second_server(mail_dir.path());
  fixture.configure(second_server.url());
  daemon = fixture.start("2025-01-29T06:10:00Z");
  REQUIRE(wait_until([&] { return by_recipient(second_server).count(kDeferred) == 1; }, 60s));
  std::this_thread::sleep_for(2s);  // time for a wrong second copy to arrive
  auto again = by_recipient(second_server);
  CHECK(again.size() == 1);
  CHECK(again[kDeferred].size() == 1);
  CHECK(fixture.delivery_of(kDeferred, kJan29)->status == "sent");
  daemon->signal(SIGTERM);
  CHECK(daemon->wait(20s) == 0);
  CHECK(daemon->log().find(kLinkSecret) == std::string::npos);
}

TEST_CASE("the links record a 👍 once, unsubscribe on POST only, and refuse forged tokens",
          "[daemon][e2e][email]") {
  PAPERBOT_SHARED_DATA_FILE(day_one, "arxiv/days/2025-01-28.cs.LG+cs.AI.rss.xml");
  PAPERBOT_SHARED_DATA_FILE(day_two, "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  PAPERBOT_REQUIRE_AIOSMTPD();
  EmailDaemonFixture fixture(day_one, kReaders);
  TempDir mail_dir;
  SmtpTestServer server(mail_dir.path());
  fixture.configure(server.url());

  auto daemon = fixture.start("2025-01-28T06:05:00Z");
  const unsigned short port = EmailDaemonFixture::port_of(*daemon);
  REQUIRE(wait_until([&] { return by_recipient(server).size() == kReaders.size(); }, 60s));
  INFO(daemon->log());

  const std::string carol = kReaders[2];
  const auto summary = python_mime_summary(by_recipient(server)[carol][0].bytes, mail_dir.path());
  std::string text;
  for (const auto& part : summary.at("parts").as_array())
    text += std::string(part.at("content").as_string());
  const auto upvotes = tokens_after(text, email::kUpvotePath);
  const auto unsubscribes = tokens_after(
      std::string(summary.at("headers").as_object().at("List-Unsubscribe").as_string()),
      email::kUnsubscribePath);
  REQUIRE_FALSE(upvotes.empty());
  REQUIRE(unsubscribes.size() == 1);

  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  HttpClient client;
  auto feedback = [&] {
    auto counts = fixture.store()->audience_feedback("email:ml");
    REQUIRE_OK(counts);
    return *counts;
  };

  // 👍: recorded once, whatever the replays.
  auto up = client.send("GET", base + std::string(email::kUpvotePath) + "?t=" + upvotes[0]);
  CHECK(up.status == 200);
  CHECK_THAT(up.body, Catch::Contains("recorded"));
  CHECK(up.body.find("<script") == std::string::npos);
  CHECK(feedback().up == 1);
  CHECK(client.send("GET", base + std::string(email::kUpvotePath) + "?t=" + upvotes[0]).status ==
        200);
  CHECK(feedback().up == 1);

  // A damaged token, one signed with another secret and an expired one: refused, nothing done.
  std::string damaged = upvotes[0];
  damaged.back() = damaged.back() == 'A' ? 'B' : 'A';
  auto refused = client.send("GET", base + std::string(email::kUpvotePath) + "?t=" + damaged);
  CHECK((refused.status == 400 || refused.status == 403));
  email::LinkClaim claim{email::LinkAction::kUpvote, "ml", kReaders[0], "2501.00001",
                         std::chrono::sys_days(kJan28) + std::chrono::days(30)};
  auto forged = client.send("GET", base + std::string(email::kUpvotePath) +
                                       "?t=" + email::sign_link_token(claim, "another-secret"));
  CHECK(forged.status == 403);
  claim.expires = std::chrono::sys_days(kJan28) - std::chrono::days(1);
  auto expired = client.send("GET", base + std::string(email::kUpvotePath) +
                                        "?t=" + email::sign_link_token(claim, kLinkSecret));
  CHECK(expired.status == 403);
  CHECK_THAT(expired.body, Catch::Contains("expired"));
  CHECK(feedback().up == 1);

  // Unsubscribe: the GET only shows a form; the one-click POST unsubscribes; a replay is fine.
  const std::string unsubscribe_url =
      base + std::string(email::kUnsubscribePath) + "?t=" + unsubscribes[0];
  auto still_there = [&] {
    auto recipients = fixture.store()->recipients("email:ml", kReaders);
    REQUIRE_OK(recipients);
    return std::find(recipients->begin(), recipients->end(), carol) != recipients->end();
  };
  auto confirm = client.send("GET", unsubscribe_url);
  CHECK(confirm.status == 200);
  CHECK_THAT(confirm.body, Catch::Contains("<form method=\"post\""));
  CHECK(still_there());
  auto forged_post = client.send("POST", base + std::string(email::kUnsubscribePath) + "?t=x.y",
                                 "List-Unsubscribe=One-Click",
                                 {"Content-Type: application/x-www-form-urlencoded"});
  CHECK(forged_post.status >= 400);
  CHECK(still_there());
  for (int time = 0; time < 2; ++time) {
    auto done = client.send("POST", unsubscribe_url, "List-Unsubscribe=One-Click",
                            {"Content-Type: application/x-www-form-urlencoded"});
    CHECK(done.status == 200);
    CHECK_THAT(done.body, Catch::Contains("You are unsubscribed"));
  }
  CHECK_FALSE(still_there());
  daemon->signal(SIGTERM);
  CHECK(daemon->wait(20s) == 0);

  // The next announcement goes to the other two only.
  fixture.arxiv().serve_feed(day_two);
  daemon = fixture.start("2025-01-29T06:05:00Z");
  REQUIRE(wait_until(
      [&] {
        return fixture.day_done(kJan29) && fixture.delivery_of(kReaders[0], kJan29) &&
               fixture.delivery_of(kReaders[0], kJan29)->status == "sent" &&
               fixture.delivery_of(kReaders[1], kJan29) &&
               fixture.delivery_of(kReaders[1], kJan29)->status == "sent";
      },
      60s));
  CHECK_FALSE(fixture.delivery_of(carol, kJan29).has_value());
  auto received = by_recipient(server);
  CHECK(received[kReaders[0]].size() == 2);
  CHECK(received[carol].size() == 1);
  daemon->signal(SIGTERM);
  CHECK(daemon->wait(20s) == 0);
}
