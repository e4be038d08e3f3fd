// The chat commands end to end below Slack: a config with two channel audiences, a real SQLite
// file filled through the Store API, and the executor's replies read as a person would.
#include "core/chat/audience.hpp"
#include "core/chat/executor.hpp"
#include "core/chat/topic_items.hpp"
#include "core/config/config.hpp"
#include "core/store/store.hpp"

#include "tests/support/result_printing.hpp"
#include "tests/support/test_data.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace paperbot;
using namespace paperbot::chat;
using Catch::Contains;
using paperbot::testing::TempDir;

namespace {

constexpr Date kJan28{std::chrono::year(2025), std::chrono::January, std::chrono::day(28)};
constexpr Date kJan29{std::chrono::year(2025), std::chrono::January, std::chrono::day(29)};
const std::chrono::sys_seconds kNow{std::chrono::seconds(1738238400)};  // 2025-01-30 12:00 UTC

const std::string kAdmin = "UADMIN";
const std::string kReader = "UREADER";
const std::string kMl = "C0ML";          // audience with its own relevance cutoff and top N
const std::string kTheory = "C0THEORY";  // audience with its own topics
const std::string kTopics =
    "Topics:\n\n1. Sparse models\n   - Relevant: pruning.\n\n2. Optimizers\n   - Relevant: "
    "Adam.\n\n**Keywords:** sparsity\n";

SlackAudienceConfig channel(const std::string& id, const std::string& name) {
  SlackAudienceConfig audience;
  audience.channel = id;
  audience.name = name;
  return audience;
}

Config make_config() {
  Config config = default_config();
  config.filtering.categories = {"cs.LG"};
  config.filtering.relevance_cutoff = 7;
  config.filtering.novelty_cutoff = 6;
  config.criteria.topics = kTopics;
  config.authors = {FollowedAuthor{"Grace Hopper", "42"}};
  config.slack.admins = {kAdmin};

  SlackAudienceConfig ml = channel(kMl, "ml-papers");
  ml.relevance_cutoff = 8;
  ml.top_n = 2;
  SlackAudienceConfig theory = channel(kTheory, kTheory);
  theory.topics = "1. Learning theory\n";
  config.slack.audiences = {ml, theory};
  return config;
}

Paper make_paper(const std::string& id, const std::string& title,
                 std::vector<std::string> categories) {
  Paper paper;
  paper.id = id;
  paper.title = title;
  paper.authors = {"Ada Lovelace", "Alan Turing", "Emmy Noether", "Kurt G\\\"odel"};
  paper.abstract = "We study " + title + " in depth.";
  paper.categories = std::move(categories);
  return paper;
}

// The store as the daemon leaves it after the 2025-01-29 run for #ml-papers: four papers, three
// scored, two selected, one of them posted with a 👍.
struct Fixture {
  TempDir dir;
  Config config = make_config();
  std::unique_ptr<Store> store = std::move(Store::open(dir.path() / "paperbot.db").value());
  DaemonFacts facts;
  std::chrono::sys_seconds now = kNow;
  CommandExecutor executor{config, *store, [this] { return facts; }, [this] { return now; }};
  std::int64_t ml_criteria = 0;

  Fixture() {
    std::vector<Paper> papers = {
        make_paper("2501.00001", "Sparse <Mixture> & Experts", {"cs.LG"}),
        make_paper("2501.00002", "Yet another benchmark", {"cs.LG"}),
        make_paper("2501.00003", "Segmenting cats", {"cs.CV"}),
        make_paper("2501.00004", "Adam revisited", {"cs.LG", "stat.ML"}),
    };
    REQUIRE_OK(store->record_announcement(kJan29, "feed", papers));
    ml_criteria = resolve_audience(config, "slack:" + kMl, *store).value().criteria_id;

    std::vector<StoredScore> scores = {
        {"2501.00001", 1, ml_criteria, Score{9, 8, "Matches criterion 1", "offline"}},
        {"2501.00002", 1, ml_criteria, Score{5, 7, "Benchmarks only", "offline"}},
        {"2501.00004", 1, ml_criteria, Score{8, 6, "Criterion 2", "offline"}},
    };
    REQUIRE_OK(store->save_scores(scores));

    RunRecord run;
    run.date = kJan29;
    run.audience = "slack:" + kMl;
    run.status = "done";
    run.scorer = "offline";
    run.criteria_id = ml_criteria;
    run.counts.fetched = 4;
    run.counts.kept = 3;
    run.counts.scored = 3;
    run.counts.selected = 2;
    run.finished_at = "2025-01-30T06:05:00Z";
    run.selected_ids = {"2501.00001", "2501.00004"};
    REQUIRE_OK(store->save_run(run));

    Delivery delivery;
    delivery.audience = "slack:" + kMl;
    delivery.date = kJan29;
    delivery.kind = "paper";
    delivery.paper_id = "2501.00001";
    delivery.payload = "{}";
    delivery.relevance = 9;
    delivery.novelty = 8;
    Delivery second = delivery;
    second.paper_id = "2501.00004";
    REQUIRE(store->enqueue_deliveries({delivery, second}).value() == 2);
    auto pending = store->pending_deliveries("slack:" + kMl, 10).value();
    REQUIRE_OK(store->mark_sent(pending.at(0).id, kMl, "1738212300.000100", kNow));
    REQUIRE_OK(store->record_feedback(
        Feedback{"slack:" + kMl, "2501.00001", kJan29, "U1", 1, "slack"}, kNow));
  }

  Reply in_ml(const std::string& text, const std::string& user = kAdmin) {
    return executor.execute(text, Asker{user, kMl});
  }
  Reply in_dm(const std::string& text, const std::string& user = kAdmin) {
    return executor.execute(text, Asker{user, "D0DIRECT"});
  }
  ResolvedAudience audience(const std::string& id) {
    auto resolved = resolve_audience(config, id, *store);
    REQUIRE_OK(resolved);
    return *resolved;
  }
};

}  // namespace

TEST_CASE("settings are layered: config, global chat, channel section, channel chat",
          "[chat][audience]") {
  Fixture f;
  CHECK(audience_ids(f.config) ==
        std::vector<std::string>{"files", "slack:" + kMl, "slack:" + kTheory});
  CHECK(f.audience("files").config.filtering.relevance_cutoff == 7);
  CHECK(f.audience("slack:" + kMl).config.filtering.relevance_cutoff == 8);
  CHECK(f.audience("slack:" + kMl).config.paperbot.top_n == 2);
  CHECK(f.audience("slack:" + kMl).name == "ml-papers");

  // A global chat setting moves "files" and the channel without its own cutoff, not #ml-papers.
  ScopeSettings global;
  global.relevance_cutoff = 5;
  global.novelty_cutoff = 3;
  REQUIRE_OK(
      f.store->change_settings(std::string(kGlobalScope), global, "cutoffs", "", kAdmin, kNow));
  CHECK(f.audience("files").config.filtering.relevance_cutoff == 5);
  CHECK(f.audience("slack:" + kTheory).config.filtering.relevance_cutoff == 5);
  CHECK(f.audience("slack:" + kTheory).sources.relevance_cutoff == SettingSource::kGlobalChat);
  ResolvedAudience ml = f.audience("slack:" + kMl);
  CHECK(ml.config.filtering.relevance_cutoff == 8);
  CHECK(ml.sources.relevance_cutoff == SettingSource::kChannelConfig);
  CHECK(ml.config.filtering.novelty_cutoff == 3);
  CHECK(ml.sources.novelty_cutoff == SettingSource::kGlobalChat);

  // The channel's own chat setting wins over its config section.
  ScopeSettings own;
  own.relevance_cutoff = 9;
  REQUIRE_OK(f.store->change_settings("slack:" + kMl, own, "cutoffs", "", kAdmin, kNow));
  ml = f.audience("slack:" + kMl);
  CHECK(ml.config.filtering.relevance_cutoff == 9);
  CHECK(ml.sources.relevance_cutoff == SettingSource::kChannelChat);
  CHECK(f.audience("files").config.filtering.relevance_cutoff == 5);

  REQUIRE_FAILS(resolve_audience(f.config, "slack:C0NOPE", *f.store));
}

TEST_CASE("a channel's topics replace the global topics and make their own version",
          "[chat][audience]") {
  Fixture f;
  ResolvedAudience files = f.audience("files");
  ResolvedAudience theory = f.audience("slack:" + kTheory);
  CHECK(theory.config.criteria.topics == "1. Learning theory\n");
  CHECK(theory.config.criteria.base_prompt == files.config.criteria.base_prompt);
  CHECK(theory.sources.criteria == SettingSource::kChannelConfig);
  CHECK(theory.criteria_id != files.criteria_id);
  CHECK(f.audience("slack:" + kMl).criteria_id == files.criteria_id);
  CHECK(f.store->find_criteria(theory.criteria_id).value()->author == "config");

  // Pausing globally pauses everyone; a channel's own pause only itself.
  REQUIRE_OK(f.store->set_paused("slack:" + kTheory, true));
  CHECK(f.audience("slack:" + kTheory).paused);
  CHECK_FALSE(f.audience("slack:" + kMl).paused);
  REQUIRE_OK(f.store->set_paused(std::string(kGlobalScope), true));
  CHECK(f.audience("slack:" + kMl).paused);
  CHECK(f.audience("slack:" + kMl).paused_globally);
}

TEST_CASE("today lists the channel's latest digest with links and scores", "[chat][digest]") {
  Fixture f;
  Reply reply = f.in_ml("today", kReader);
  CHECK_FALSE(reply.rescore);
  CHECK_THAT(reply.text, Contains("Digest of 2025-01-29 for #ml-papers"));
  CHECK_THAT(reply.text, Contains("1. <https://arxiv.org/abs/2501.00001|Sparse &lt;Mixture&gt; "
                                  "&amp; Experts>"));
  CHECK_THAT(reply.text, Contains("Ada Lovelace, Alan Turing, Emmy Noether et al."));
  CHECK_THAT(reply.text, Contains("relevance 9, novelty 8"));
  CHECK_THAT(reply.text, Contains("2. <https://arxiv.org/abs/2501.00004|Adam revisited>"));
  CHECK_THAT(reply.text, !Contains("Yet another benchmark"));

  Reply top = f.in_ml("top 1 2025-01-29", kReader);
  CHECK_THAT(top.text, Contains("the first 1 of 2 papers"));
  CHECK_THAT(top.text, !Contains("Adam revisited"));

  CHECK_THAT(f.in_ml("top 3 2025-01-28").text, Contains("No digest for 2025-01-28"));
  // A direct message reads the output folder's digests, of which there are none.
  CHECK_THAT(f.in_dm("today").text, Contains("No digest was made for the output folder yet"));
}

TEST_CASE("why explains a posted paper from the store", "[chat][why]") {
  Fixture f;
  Reply reply = f.in_ml("why 2501.00001", kReader);
  CHECK_THAT(reply.text, Contains("(2501.00001v1)"));
  CHECK_THAT(reply.text, Contains("relevance 9, novelty 8"));
  CHECK_THAT(reply.text, Contains("Matches criterion 1"));
  CHECK_THAT(reply.text,
             Contains("Criteria: v" + std::to_string(f.ml_criteria) + ", made by the config"));
  CHECK_THAT(reply.text, Contains("Posted to #ml-papers with the digest of 2025-01-29"));
  CHECK_THAT(reply.text, Contains("👍 1 · 👎 0"));

  Reply queued = f.in_ml("why arXiv:2501.00004v1");
  CHECK_THAT(queued.text, Contains("Queued for #ml-papers with the digest of 2025-01-29"));
}

TEST_CASE("why says why a paper was not posted", "[chat][why]") {
  Fixture f;
  CHECK_THAT(f.in_ml("why 2501.00002").text,
             Contains("relevance 5 is below the relevance cutoff 8"));
  CHECK_THAT(f.in_ml("why 2501.00003").text,
             Contains("filtered out, since its categories (cs.CV) are none of those followed"));
  CHECK_THAT(f.in_ml("why 2501.99999").text, Contains("has not seen 2501.99999"));

  // Under a lower cutoff the benchmark would pass, but the top 2 were full.
  REQUIRE(f.in_ml("cutoffs relevance 5").text.find("Cutoffs of #ml-papers now") !=
          std::string::npos);
  CHECK_THAT(f.in_ml("why 2501.00002").text, Contains("not in the top 2"));

  // New criteria: the scores shown are older ones, and the reply says so.
  f.in_ml("criteria add Benchmarks");
  Reply reply = f.in_ml("why 2501.00002");
  CHECK_THAT(reply.text, Contains("not the current criteria here"));
  CHECK_THAT(reply.text, Contains("not scored yet under the current criteria"));
}

TEST_CASE("search finds recent papers by every word", "[chat][search]") {
  Fixture f;
  Reply reply = f.in_dm("search adam REVISITED", kReader);
  CHECK_THAT(reply.text, Contains("1 paper of the last 14 days matches"));
  CHECK_THAT(reply.text, Contains("<https://arxiv.org/abs/2501.00004|Adam revisited>"));
  CHECK_THAT(f.in_dm("search in depth").text, Contains("4 papers"));
  CHECK_THAT(f.in_dm("search adam cats").text, Contains("No paper of the last 14 days"));
}

TEST_CASE("changes are for admins only", "[chat][permissions]") {
  Fixture f;
  for (const char* command : {"cutoffs relevance 9", "criteria add X", "authors add Y", "undo",
                              "rescore", "pause", "global resume"}) {
    INFO(command);
    Reply reply = f.in_ml(command, kReader);
    CHECK_THAT(reply.text, Contains("only the admins may use it: <@UADMIN>"));
    CHECK_FALSE(reply.rescore);
  }
  CHECK(f.store->scope_settings("slack:" + kMl).value() == ScopeSettings{});
  CHECK(f.store->scope_settings(std::string(kGlobalScope)).value() == ScopeSettings{});

  // Reading is for everyone.
  CHECK_THAT(f.in_ml("cutoffs", kReader).text, Contains("relevance ≥ 8"));
}

TEST_CASE("changes apply to the channel, the global scope, or globally from elsewhere",
          "[chat][scope]") {
  Fixture f;
  Reply here = f.in_ml("cutoffs novelty 4");
  CHECK_THAT(here.text, Contains("Cutoffs of #ml-papers now: relevance ≥ 8, novelty ≥ 4, top 2"));
  CHECK_THAT(here.text, Contains("novelty 6 → 4"));
  CHECK(f.store->scope_settings("slack:" + kMl).value().novelty_cutoff == 4);

  Reply global = f.in_ml("cutoffs global relevance 3");
  CHECK_THAT(global.text, Contains("Cutoffs of the global settings now: relevance ≥ 3"));
  CHECK_THAT(global.text, Contains("keeps its own relevance cutoff 8"));
  CHECK(f.store->scope_settings(std::string(kGlobalScope)).value().relevance_cutoff == 3);

  Reply elsewhere = f.in_dm("cutoffs top 20");
  CHECK_THAT(elsewhere.text, Contains("This channel gets no digest, so the change went to the "
                                      "global settings"));
  CHECK(f.store->scope_settings(std::string(kGlobalScope)).value().top_n == 20);
  CHECK(f.audience("slack:" + kMl).config.paperbot.top_n == 2);

  Reply shown = f.in_ml("cutoffs");
  CHECK_THAT(shown.text, Contains("relevance ≥ 8 (from the channel's config section)"));
  CHECK_THAT(shown.text, Contains("novelty ≥ 4 (from a chat setting of this channel)"));
  CHECK_THAT(f.in_dm("cutoffs").text, Contains("relevance ≥ 3 (from a global chat setting)"));

  CHECK_THAT(f.in_ml("cutoffs novelty 4").text, Contains("already novelty 4; nothing changed"));
}

TEST_CASE("criteria add and remove keep the items numbered", "[chat][criteria]") {
  Fixture f;
  const auto before = f.audience("slack:" + kMl).criteria_id;
  Reply added = f.in_ml("criteria add Efficient attention\n- Relevant: linear attention");
  CHECK_THAT(added.text, Contains("Added item 3"));
  const ResolvedAudience ml = f.audience("slack:" + kMl);
  CHECK(ml.criteria_id != before);
  CHECK_THAT(added.text, Contains("are now v" + std::to_string(ml.criteria_id) + " (were v" +
                                  std::to_string(before) + ")"));
  CHECK(ml.config.criteria.topics ==
        "Topics:\n\n1. Sparse models\n   - Relevant: pruning.\n\n2. Optimizers\n   - Relevant: "
        "Adam.\n\n3. Efficient attention\n   - Relevant: linear attention\n\n**Keywords:** "
        "sparsity\n");
  auto version = f.store->find_criteria(ml.criteria_id).value();
  CHECK(version->author == kAdmin);
  CHECK_THAT(version->reason, Contains("criteria add Efficient attention"));
  // Only this channel changed.
  CHECK(f.audience("files").config.criteria.topics == kTopics);

  Reply removed = f.in_ml("criteria remove 1");
  CHECK_THAT(removed.text, Contains("Removed item 1 (“1. Sparse models"));
  CHECK(f.audience("slack:" + kMl).config.criteria.topics ==
        "Topics:\n\n1. Optimizers\n   - Relevant: Adam.\n\n2. Efficient attention\n   - "
        "Relevant: linear attention\n\n**Keywords:** sparsity\n");
  CHECK_THAT(f.in_ml("criteria remove 7").text, Contains("there is no item 7; nothing changed"));

  Reply shown = f.in_ml("criteria", kReader);
  CHECK_THAT(shown.text, Contains("*Criteria of #ml-papers*: v"));
  CHECK_THAT(shown.text, Contains("made by <@UADMIN>"));
  CHECK_THAT(shown.text, Contains("2 numbered items"));
  CHECK_THAT(shown.text, Contains("```\nTopics:"));

  f.in_ml("criteria set 1. Only this");
  CHECK(f.audience("slack:" + kMl).config.criteria.topics == "1. Only this\n");
}

TEST_CASE("text typed in Slack is kept as typed, and shown escaped", "[chat][criteria]") {
  Fixture f;
  // Slack delivers "Theory & <practice>" as below.
  Reply reply = f.in_ml("criteria add Theory &amp; &lt;practice&gt;");
  CHECK_THAT(reply.text, Contains("“Theory &amp; &lt;practice&gt;”"));
  CHECK_THAT(f.audience("slack:" + kMl).config.criteria.topics,
             Contains("\n3. Theory & <practice>\n"));
  CHECK_THAT(f.in_ml("criteria").text, Contains("3. Theory &amp; &lt;practice&gt;"));
}

TEST_CASE("authors are added and removed by folded name", "[chat][authors]") {
  Fixture f;
  CHECK_THAT(f.in_ml("authors", kReader).text, Contains("Grace Hopper (42)"));
  CHECK_THAT(f.in_ml("authors add Kurt G\\\"odel, 1234").text,
             Contains("Now following Kurt Gödel in #ml-papers. 2 authors"));
  auto authors = f.audience("slack:" + kMl).config.authors;
  REQUIRE(authors.size() == 2);
  CHECK(authors[1].semantic_scholar_id == "1234");
  CHECK_THAT(f.in_ml("authors add KURT GÖDEL").text, Contains("already followed"));

  CHECK_THAT(f.in_ml("authors remove grace hopper").text,
             Contains("No longer following Grace Hopper"));
  CHECK(f.audience("slack:" + kMl).config.authors.size() == 1);
  CHECK_THAT(f.in_ml("authors remove Nobody Known").text,
             Contains("Nobody Known is not followed in #ml-papers; nothing changed"));
  CHECK(f.store->settings_history("slack:" + kMl, 10).value().size() == 2);
}

TEST_CASE("history lists the changes and undo restores the one before", "[chat][history]") {
  Fixture f;
  CHECK_THAT(f.in_ml("history").text, Contains("No settings of #ml-papers were changed in chat"));
  CHECK_THAT(f.in_ml("undo").text, Contains("Nothing to undo in #ml-papers"));

  const auto original = f.audience("slack:" + kMl).criteria_id;
  f.in_ml("cutoffs relevance 9 top 5");
  f.in_ml("criteria add Robustness");

  Reply history = f.in_ml("history", kReader);
  CHECK_THAT(history.text, Contains("2025-01-30 12:00 UTC · <@UADMIN> · criteria: added item 3: "
                                    "Robustness"));
  CHECK_THAT(history.text, Contains("cutoffs: relevance 8 → 9, top 2 → 5"));
  CHECK(history.text.find("criteria:") < history.text.find("cutoffs:"));  // newest first

  Reply undone = f.in_ml("undo");
  CHECK_THAT(undone.text, Contains("criteria: added item 3"));
  CHECK_THAT(undone.text, Contains("The criteria are back to v" + std::to_string(original)));
  CHECK(f.audience("slack:" + kMl).criteria_id == original);

  undone = f.in_ml("undo");
  CHECK_THAT(undone.text, Contains("The cutoffs are back to relevance ≥ 8, novelty ≥ 6, top 2"));
  CHECK_THAT(f.in_ml("history").text, Contains("_(undone)_"));
}

TEST_CASE("rescore hands the day to the daemon", "[chat][rescore]") {
  Fixture f;
  Reply reply = f.in_ml("rescore");
  REQUIRE(reply.rescore);
  CHECK(reply.rescore->audience == "slack:" + kMl);
  CHECK(reply.rescore->date == kJan29);
  CHECK(reply.rescore->user == kAdmin);
  CHECK_THAT(reply.text, Contains("Re-scoring 2025-01-29 for #ml-papers under criteria v" +
                                  std::to_string(f.ml_criteria)));
  CHECK_THAT(reply.text, Contains("the result follows in this channel"));

  CHECK(f.in_ml("rescore 2025-01-29").rescore);
  Reply unknown_day = f.in_ml("rescore 2025-01-28");
  CHECK_FALSE(unknown_day.rescore);
  CHECK_THAT(unknown_day.text, Contains("no papers of 2025-01-28"));
  Reply no_run = f.in_dm("rescore");
  CHECK_FALSE(no_run.rescore);
  CHECK_THAT(no_run.text, Contains("no digest of the output folder to re-score"));
}

TEST_CASE("status reports runs, the schedule, messages, feedback and spending", "[chat][status]") {
  Fixture f;
  Usage usage;
  usage.prompt_tokens = 1200;
  usage.completion_tokens = 300;
  usage.prompt_cost = 0.25;
  usage.completion_cost = 0.5;
  REQUIRE_OK(f.store->record_spending(kJan29, "llm:test", usage));
  f.facts.next_run = kNow + std::chrono::hours(13);
  f.facts.next_announcement =
      Date{std::chrono::year(2025), std::chrono::January, std::chrono::day(31)};
  f.facts.last_error = "feed <not> updated";

  Reply reply = f.in_ml("status", kReader);
  CHECK_THAT(reply.text, Contains("Last run: 2025-01-29, done; 4 listed, 3 considered, 3 scored, "
                                  "2 selected; finished 2025-01-30 06:05 UTC."));
  CHECK_THAT(reply.text, Contains("Next run: 2025-01-31 01:00 UTC, for the announcement of "
                                  "2025-01-31."));
  CHECK_THAT(reply.text, Contains("Last error: feed &lt;not&gt; updated"));
  CHECK_THAT(reply.text, Contains("Pending messages: 1."));
  CHECK_THAT(reply.text, Contains("Feedback: 👍 1 · 👎 0."));
  CHECK_THAT(reply.text, Contains("Daily digest: running."));

  // Spending rows carry the store's own clock, so "this month" is the real one here.
  f.now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  CHECK_THAT(f.in_ml("status").text,
             Contains("Spent this month (UTC, all channels): 1500 tokens, $0.75."));
  f.now += std::chrono::days(62);
  CHECK_THAT(f.in_ml("status").text,
             Contains("Spent this month (UTC, all channels): 0 tokens, $0.00."));
}

TEST_CASE("pause and resume the channel's digest", "[chat][pause]") {
  Fixture f;
  Reply paused = f.in_ml("pause");
  CHECK_THAT(paused.text, Contains("Paused: the daily digest for this channel (#ml-papers) stops"));
  CHECK(f.audience("slack:" + kMl).paused);
  CHECK_FALSE(f.audience("slack:" + kTheory).paused);
  CHECK_THAT(f.in_ml("status").text, Contains("Daily digest: paused (`resume` restarts it)."));
  CHECK(f.store->settings_history("slack:" + kMl, 10).value().empty());

  CHECK_THAT(f.in_ml("resume").text, Contains("Resumed: the daily digest for this channel"));
  CHECK_FALSE(f.audience("slack:" + kMl).paused);

  CHECK_THAT(f.in_ml("pause global").text, Contains("every channel stops until an admin says "
                                                    "`resume global`"));
  CHECK(f.audience("slack:" + kTheory).paused);
  CHECK_THAT(f.in_ml("resume").text, Contains("every channel is paused globally"));
}

TEST_CASE("malformed commands get their usage line, never a crash", "[chat][errors]") {
  Fixture f;
  Reply top = f.in_ml("top lots");
  CHECK_THAT(top.text, Contains("Usage: top N [YYYY-MM-DD]"));
  CHECK_THAT(f.in_ml("criteria remove first").text, Contains("Usage: criteria"));
  CHECK_THAT(f.in_ml("frobnicate now").text, Contains("help"));

  // Odd input of every kind still gets an answer.
  const std::vector<std::string> odd = {"",
                                        "   ",
                                        "why",
                                        "why <@U123>",
                                        std::string(5000, 'x'),
                                        "\xff\xfe",
                                        "search \xe2\x82",
                                        "top 0",
                                        "cutoffs relevance 11",
                                        "rescore 2025-02-30",
                                        "criteria add",
                                        "global today",
                                        "authors remove",
                                        "undo global global"};
  for (const std::string& text : odd) {
    INFO(text.substr(0, 40));
    Reply reply = f.in_ml(text);
    CHECK_FALSE(reply.text.empty());
    CHECK(reply.text.size() <= 3000);
  }
}

TEST_CASE("help lists the commands and explains one", "[chat][help]") {
  Fixture f;
  CHECK_THAT(f.in_dm("help", kReader).text, Contains("Commands (* only for admins)"));
  CHECK_THAT(f.in_dm("", kReader).text, Contains("Commands (* only for admins)"));
  CHECK_THAT(f.in_dm("help cutoffs", kReader).text, Contains("Usage:\ncutoffs"));
}

TEST_CASE("topic items: added after the list, removed and renumbered", "[chat][topics]") {
  CHECK(topic_items(kTopics).size() == 2);
  CHECK(topic_items(kTopics)[0] == "1. Sparse models\n   - Relevant: pruning.");
  CHECK(add_topic_item("", "First") == "1. First\n");
  CHECK(add_topic_item("Intro text", "First") == "Intro text\n\n1. First\n");
  CHECK(add_topic_item("1. A\n2. B\n", "C\nmore") == "1. A\n2. B\n3. C\n   more\n");
  CHECK(remove_topic_item("1. A\n2. B\n3. C\n", 2) == "1. A\n2. C\n");
  CHECK(remove_topic_item(kTopics, 2) ==
        "Topics:\n\n1. Sparse models\n   - Relevant: pruning.\n\n**Keywords:** sparsity\n");
  CHECK(remove_topic_item("1. A\n\n2. B", 2) == "1. A");
  CHECK_FALSE(remove_topic_item(kTopics, 0));
  CHECK_FALSE(remove_topic_item(kTopics, 3));
}

TEST_CASE("topic items of the reference paper_topics.txt", "[chat][topics][data]") {
  PAPERBOT_SHARED_DATA_FILE(path, "gpa/config-2025-01-29/paper_topics.txt");
  const std::string topics = paperbot::testing::read_file(path);
  auto items = topic_items(topics);
  REQUIRE(items.size() == 6);
  CHECK(items[5].rfind("6. Emerging Trends\n   - Relevant:", 0) == 0);

  // A new item lands after item 6 and before the keyword paragraphs, which stay as they were.
  const std::string added = add_topic_item(topics, "Reinforcement learning theory");
  CHECK(topic_items(added).size() == 7);
  const auto at = added.find("\n\n7. Reinforcement learning theory\n\n**Keywords for Relevant");
  CHECK(at != std::string::npos);
  CHECK(added.substr(added.find("**Keywords")) == topics.substr(topics.find("**Keywords")));

  const std::string removed = remove_topic_item(topics, 1).value();
  CHECK(topic_items(removed).size() == 5);
  CHECK(topic_items(removed)[0].rfind("1. Model Architecture", 0) == 0);
  CHECK(remove_topic_item(added, 7).value() == topics);
}

namespace {

// The fixture with two e-mail lists: "theory" with two config recipients, "ml" with none.
Config with_email_lists(Config config) {
  EmailAudienceConfig theory;
  theory.list = "theory";
  theory.recipients = {"grace@navy.mil", "emmy@goettingen.de"};
  EmailAudienceConfig ml;
  ml.list = "ml";
  config.email.audiences = {theory, ml};
  return config;
}

struct EmailFixture : Fixture {
  Config mail_config = with_email_lists(config);
  CommandExecutor mail{mail_config, *store, [this] { return facts; }, [this] { return now; }};

  Reply in_dm_mail(const std::string& text, const std::string& user = kAdmin) {
    return mail.execute(text, Asker{user, "D0DIRECT"});
  }
  std::vector<std::string> theory_recipients() {
    return store->recipients("email:theory", mail_config.email.audiences.front().recipients)
        .value();
  }
};

}  // namespace

TEST_CASE("subscribe adds an address to a named list", "[chat][subscribers]") {
  EmailFixture f;
  Reply reply = f.in_dm_mail("subscribe Ada@Example.ORG theory");
  CHECK_THAT(reply.text, Contains("Subscribed: Ada@example.org gets the e-mail list `theory`"));
  CHECK(f.theory_recipients() ==
        std::vector<std::string>{"grace@navy.mil", "emmy@goettingen.de", "Ada@example.org"});
  CHECK(f.store->subscribers("email:theory").value().front().who == kAdmin);

  CHECK_THAT(f.in_dm_mail("subscribe ada@example.org theory").text,
             Contains("already gets the e-mail list `theory`. Nothing changed."));
  CHECK_THAT(f.in_dm_mail("subscribe grace@navy.mil theory").text, Contains("already gets"));
  CHECK(f.store->subscribers("email:theory").value().size() == 1);
}

TEST_CASE("the list must be named when there are several, and must exist", "[chat][subscribers]") {
  EmailFixture f;
  Reply which = f.in_dm_mail("subscribe ada@example.org");
  CHECK_THAT(which.text, Contains("Which e-mail list?"));
  CHECK_THAT(which.text, Contains("`theory`, `ml`"));
  CHECK_THAT(f.in_dm_mail("subscribers physics").text,
             Contains("There is no e-mail list `physics`. The lists: `theory`, `ml`."));
  CHECK(f.store->subscribers("").value().empty());

  // With one list, it is the default; with none, the reply says so.
  f.mail_config.email.audiences.pop_back();
  CommandExecutor one{f.mail_config, *f.store, {}, [&] { return f.now; }};
  CHECK_THAT(one.execute("subscribe ada@example.org", Asker{kAdmin, "D0"}).text,
             Contains("Subscribed: ada@example.org"));
  CHECK_THAT(f.in_ml("subscribers").text, Contains("There are no e-mail lists"));
}

TEST_CASE("unsubscribe takes a config recipient or a subscriber off a list",
          "[chat][subscribers]") {
  EmailFixture f;
  REQUIRE_OK(f.store->subscribe("email:theory", "ada@example.org", kAdmin, f.now));

  Reply config_one = f.in_dm_mail("unsubscribe Grace@NAVY.mil theory");
  CHECK_THAT(config_one.text, Contains("Unsubscribed: Grace@navy.mil no longer gets"));
  CHECK_THAT(config_one.text, Contains("The config still lists it"));
  CHECK_THAT(f.in_dm_mail("unsubscribe ada@example.org theory").text,
             Contains("Unsubscribed: ada@example.org"));
  CHECK(f.theory_recipients() == std::vector<std::string>{"emmy@goettingen.de"});

  CHECK_THAT(f.in_dm_mail("unsubscribe ada@example.org theory").text,
             Contains("was already unsubscribed"));
  CHECK_THAT(f.in_dm_mail("unsubscribe nobody@example.org theory").text,
             Contains("nobody@example.org is not on the e-mail list `theory`. Nothing changed."));

  // Subscribing again undoes it.
  CHECK_THAT(f.in_dm_mail("subscribe grace@navy.mil theory").text,
             Contains("Subscribed again: grace@navy.mil"));
}

TEST_CASE("subscribers lists each address with its status and origin", "[chat][subscribers]") {
  EmailFixture f;
  REQUIRE_OK(f.store->subscribe("email:theory", "ada@example.org", "U1", f.now));
  REQUIRE_OK(f.store->subscribe("email:theory", "kurt@ias.edu", "U1", f.now));
  REQUIRE_OK(f.store->unsubscribe("email:theory", "emmy@goettingen.de", "link", f.now));
  REQUIRE(f.store->record_permanent_failure("email:theory", "kurt@ias.edu", 1, f.now).value());

  const std::string text = f.in_dm_mail("subscribers theory").text;
  CHECK_THAT(text, Contains("*Subscribers of the e-mail list `theory`*: 2 get the digest."));
  CHECK_THAT(text, Contains("• grace@navy.mil: subscribed (from the config)"));
  CHECK_THAT(text, Contains("• emmy@goettingen.de: unsubscribed (from the config), since "
                            "2025-01-30 12:00 UTC"));
  CHECK_THAT(text, Contains("• ada@example.org: subscribed (by <@U1>)"));
  CHECK_THAT(text, Contains("• kurt@ias.edu: suspended after 1 permanent failures (by <@U1>)"));
  CHECK(text.find("grace@") < text.find("emmy@"));
  CHECK(text.find("emmy@") < text.find("ada@"));

  CHECK_THAT(f.in_dm_mail("subscribers ml").text, Contains("Nobody yet"));
}

TEST_CASE("subscriber commands are for admins only", "[chat][subscribers][permissions]") {
  EmailFixture f;
  for (const char* command : {"subscribe ada@example.org theory", "unsubscribe grace@navy.mil ml",
                              "subscribers theory"}) {
    INFO(command);
    CHECK_THAT(f.in_dm_mail(command, kReader).text,
               Contains("only the admins may use it: <@UADMIN>"));
  }
  CHECK_THAT(f.in_dm_mail("subscribers", kReader).text, Contains("shows people's e-mail"));
  CHECK(f.store->subscribers("").value().empty());
  CHECK_THAT(f.in_dm_mail("subscribe ada@", kReader).text, Contains("needs a domain"));
}

TEST_CASE("status counts each list's recipients and names the suspended to admins",
          "[chat][subscribers][status]") {
  EmailFixture f;
  REQUIRE_OK(f.store->subscribe("email:theory", "ada@example.org", "U1", f.now));
  REQUIRE(f.store->record_permanent_failure("email:theory", "grace@navy.mil", 1, f.now).value());

  const std::string admin = f.in_dm_mail("status").text;
  CHECK_THAT(admin, Contains("E-mail list `theory`: 2 recipients; suspended after permanent "
                             "failures: grace@navy.mil."));
  CHECK_THAT(admin, Contains("E-mail list `ml`: 0 recipients."));
  const std::string reader = f.in_dm_mail("status", kReader).text;
  CHECK_THAT(reader, Contains("E-mail list `theory`: 2 recipients; suspended after permanent "
                              "failures: 1."));
  CHECK(reader.find("grace@") == std::string::npos);

  // A Slack channel's status is about the channel, not the lists.
  CHECK(f.mail.execute("status", Asker{kAdmin, kMl}).text.find("E-mail list") == std::string::npos);
}
