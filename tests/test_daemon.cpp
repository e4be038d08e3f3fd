// `paperbot serve` end to end: the real binary, started with a fake clock on the 2025-01-29 day
// feed, against a fake arXiv and a fake Slack on loopback, with a real SQLite file. It posts the
// day to two channels with different cutoffs (with papers just below the bar in a thread of
// their own), answers slash commands, records 👍, rejects unsigned requests, survives kills in
// mid-post without posting twice, and does the same over Socket Mode.
#include "tests/support/fake_socket_mode.hpp"
#include "tests/support/slack_daemon_fixture.hpp"

#include <atomic>
#include <csignal>
#include <map>
#include <set>

using namespace paperbot;
using namespace paperbot::testing;

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
  // Nothing is below a cutoff of 1, and top N cut the other channel's digest: the bar that
  // decided there is top N, so no paper just below the cutoffs is worth showing.
  CHECK(below["C0PAPERS"].empty());
  CHECK(below["C0OTHER"].empty());
  auto shown = fixture.store()->exposure_outcomes("slack:C0OTHER", kDay, kDay);
  REQUIRE_OK(shown);
  CHECK(shown->size() == 2);
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
