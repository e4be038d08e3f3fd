#include "core/store/store.hpp"

#include "tests/support/result_printing.hpp"
#include "tests/support/test_data.hpp"

#include <sqlite3.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

using namespace paperbot;
using paperbot::testing::TempDir;

namespace {

constexpr Date kJan28{std::chrono::year(2025), std::chrono::January, std::chrono::day(28)};
constexpr Date kJan29{std::chrono::year(2025), std::chrono::January, std::chrono::day(29)};
constexpr Date kJan30{std::chrono::year(2025), std::chrono::January, std::chrono::day(30)};

Paper make_paper(const std::string& id, int version = 1, AnnounceType type = AnnounceType::kNew) {
  Paper paper;
  paper.id = id;
  paper.version = version;
  paper.title = "Title of " + id + " v" + std::to_string(version);
  paper.authors = {"Ada Lovelace", "Gon\\c{c}alo, Jr."};
  paper.abstract = "Abstract of " + id;
  paper.categories = {"cs.LG", "cs.AI"};
  paper.announce_type = type;
  if (version > 1) paper.doi = "10.1000/" + id;  // published by the time of the replacement
  return paper;
}

Criteria make_criteria(const std::string& topics) {
  return Criteria{"You are a helpful assistant.", topics, "Score 1-10.", "Answer in JSON."};
}

std::unique_ptr<Store> open_store(const std::filesystem::path& path) {
  auto store = Store::open(path);
  REQUIRE_OK(store);
  return std::move(*store);
}

// A second, raw connection: what is really in the file, not what the Store says.
class RawDb {
 public:
  explicit RawDb(const std::filesystem::path& path) {
    REQUIRE(sqlite3_open(path.string().c_str(), &db_) == SQLITE_OK);
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  std::string text(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
    const unsigned char* value = sqlite3_column_text(statement, 0);
    std::string result = value != nullptr ? reinterpret_cast<const char*>(value) : "";
    sqlite3_finalize(statement);
    return result;
  }
  long count(const std::string& table) { return std::stol(text("SELECT count(*) FROM " + table)); }
  void execute(const std::string& sql) {
    char* message = nullptr;
    int code = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    INFO((message != nullptr ? message : ""));
    sqlite3_free(message);
    REQUIRE(code == SQLITE_OK);
  }

 private:
  sqlite3* db_ = nullptr;
};

struct StoreFixture {
  TempDir dir;
  std::filesystem::path path = dir.path() / "paperbot.db";
  std::unique_ptr<Store> store = open_store(path);
  std::int64_t criteria_id = store->criteria_version(make_criteria("topics"), "test", "").value();

  void score(const std::string& id, int version, const std::string& scorer = "offline") {
    REQUIRE_OK(
        store->save_scores({StoredScore{id, version, criteria_id, Score{7, 5, "ok", scorer}}}));
  }
};

}  // namespace

TEST_CASE("opening creates the file at the latest schema version", "[store]") {
  TempDir dir;
  auto path = dir.path() / "sub" / "paperbot.db";
  auto store = open_store(path);
  CHECK(std::filesystem::exists(path));
  CHECK(store->schema_version() == Store::latest_schema_version());
  CHECK(store->schema_version() >= 1);
  RawDb raw(path);
  CHECK(raw.text("PRAGMA user_version") == std::to_string(Store::latest_schema_version()));
}

TEST_CASE("the file is in WAL mode with foreign keys enforced", "[store]") {
  StoreFixture f;
  RawDb raw(f.path);
  CHECK(raw.text("PRAGMA journal_mode") == "wal");

  // A score for a paper never recorded breaks a foreign key, so the pragma is on.
  auto saved = f.store->save_scores({StoredScore{"2501.00001", 1, f.criteria_id, Score{}}});
  REQUIRE_FAILS(saved);
  CHECK(saved.error().step == "store");
  CHECK_THAT(saved.error().message, Catch::Contains("save scores: 2501.00001v1"));
  CHECK_THAT(saved.error().message, Catch::Contains("FOREIGN KEY"));
}

TEST_CASE("an in-memory store works without a file", "[store]") {
  auto store = Store::open(":memory:");
  REQUIRE_OK(store);
  REQUIRE_OK((*store)->record_announcement(kJan29, "feed", {make_paper("2501.00001")}));
  auto listed = (*store)->announced_papers(kJan29);
  REQUIRE_OK(listed);
  CHECK(listed->size() == 1);
}

TEST_CASE("reopening the file keeps what was recorded", "[store]") {
  TempDir dir;
  auto path = dir.path() / "paperbot.db";
  open_store(path)->record_announcement(kJan29, "feed", {make_paper("2501.00001")}).value();

  auto store = open_store(path);
  auto listed = store->announced_papers(kJan29);
  REQUIRE_OK(listed);
  REQUIRE(listed->size() == 1);
  const Paper& paper = listed->front();
  CHECK(paper.id == "2501.00001");
  CHECK(paper.title == "Title of 2501.00001 v1");
  CHECK(paper.authors == std::vector<std::string>{"Ada Lovelace", "Gon\\c{c}alo, Jr."});
  CHECK(paper.categories == std::vector<std::string>{"cs.LG", "cs.AI"});
}

TEST_CASE("criteria versions: same text same id, new text new id", "[store]") {
  StoreFixture f;
  auto first = f.store->criteria_version(make_criteria("diffusion"), "alice", "initial");
  auto again = f.store->criteria_version(make_criteria("diffusion"), "bob", "no change");
  auto changed = f.store->criteria_version(make_criteria("diffusion, RL"), "bob", "add RL");
  REQUIRE((first && again && changed));
  CHECK(*first == *again);
  CHECK(*changed != *first);

  auto original = f.store->find_criteria(*first);
  REQUIRE_OK(original);
  REQUIRE(*original);
  CHECK((*original)->author == "alice");
  CHECK((*original)->reason == "initial");
  CHECK((*original)->criteria == make_criteria("diffusion"));

  auto newer = f.store->find_criteria(*changed);
  REQUIRE((newer && *newer));
  CHECK((*newer)->author == "bob");
  CHECK((*newer)->reason == "add RL");
  CHECK_FALSE((*newer)->created_at.empty());

  auto missing = f.store->find_criteria(9999);
  REQUIRE_OK(missing);
  CHECK_FALSE(*missing);
}

TEST_CASE("recording the same announcement twice adds no rows", "[store]") {
  StoreFixture f;
  std::vector<Paper> papers = {make_paper("2501.00001"), make_paper("2501.00002"),
                               make_paper("2501.00001", 1, AnnounceType::kCross)};
  REQUIRE_OK(f.store->record_announcement(kJan29, "feed", papers));
  REQUIRE_OK(f.store->record_announcement(kJan29, "feed", papers));

  RawDb raw(f.path);
  CHECK(raw.count("announcements") == 1);
  CHECK(raw.count("papers") == 2);
  CHECK(raw.count("paper_versions") == 2);
  CHECK(raw.count("announcement_papers") == 2);
}

TEST_CASE("a new version of a paper adds a version row and updates the paper", "[store]") {
  StoreFixture f;
  REQUIRE_OK(f.store->record_announcement(kJan28, "feed", {make_paper("2501.00001")}));
  REQUIRE_OK(f.store->record_announcement(kJan29, "feed",
                                          {make_paper("2501.00001", 2, AnnounceType::kReplace)}));

  RawDb raw(f.path);
  CHECK(raw.count("papers") == 1);
  CHECK(raw.count("paper_versions") == 2);
  CHECK(raw.text("SELECT version FROM papers") == "2");
  CHECK(raw.text("SELECT doi FROM papers") == "10.1000/2501.00001");
  CHECK(raw.text("SELECT first_announced FROM papers") == "2025-01-28");
  CHECK(raw.text("SELECT announced FROM paper_versions WHERE version = 2") == "2025-01-29");

  // A late catch-up of an older day must not bring back the old metadata.
  REQUIRE_OK(f.store->record_announcement(kJan28, "api", {make_paper("2501.00001")}));
  CHECK(raw.text("SELECT version FROM papers") == "2");
  CHECK(raw.text("SELECT doi FROM papers") == "10.1000/2501.00001");
  CHECK(raw.count("announcements") == 3);  // each (date, source) recorded once
}

TEST_CASE("scored_before counts only versions announced on an earlier day", "[store]") {
  StoreFixture f;
  REQUIRE_OK(f.store->record_announcement(kJan28, "feed", {make_paper("2501.00001")}));
  REQUIRE_OK(f.store->record_announcement(
      kJan29, "feed",
      {make_paper("2501.00001", 2, AnnounceType::kReplace), make_paper("2501.00002")}));
  f.score("2501.00001", 1);
  f.score("2501.00002", 1);

  std::vector<std::string> ids = {"2501.00001", "2501.00002", "2501.00003"};
  auto on_29 = f.store->scored_before(ids, kJan29);
  REQUIRE_OK(on_29);
  CHECK(*on_29 == std::vector<std::string>{"2501.00001"});

  auto on_28 = f.store->scored_before(ids, kJan28);
  REQUIRE_OK(on_28);
  CHECK(on_28->empty());

  auto on_30 = f.store->scored_before(ids, kJan30);
  REQUIRE_OK(on_30);
  CHECK(*on_30 == std::vector<std::string>{"2501.00001", "2501.00002"});
}

TEST_CASE("cached_scores hits only the exact version, criteria and scorer", "[store]") {
  StoreFixture f;
  REQUIRE_OK(f.store->record_announcement(kJan29, "feed", {make_paper("2501.00001")}));
  f.score("2501.00001", 1, "llm:gpt-4o");
  auto other_criteria = f.store->criteria_version(make_criteria("other"), "test", "");
  REQUIRE_OK(other_criteria);

  auto hit = f.store->cached_scores({make_paper("2501.00001")}, f.criteria_id, "llm:gpt-4o");
  REQUIRE_OK(hit);
  REQUIRE(hit->count("2501.00001v1") == 1);
  CHECK(hit->at("2501.00001v1").relevance == 7);
  CHECK(hit->at("2501.00001v1").novelty == 5);
  CHECK(hit->at("2501.00001v1").comment == "ok");
  CHECK(hit->at("2501.00001v1").scorer == "llm:gpt-4o");

  auto other_version =
      f.store->cached_scores({make_paper("2501.00001", 2)}, f.criteria_id, "llm:gpt-4o");
  auto other_scorer = f.store->cached_scores({make_paper("2501.00001")}, f.criteria_id, "offline");
  auto changed = f.store->cached_scores({make_paper("2501.00001")}, *other_criteria, "llm:gpt-4o");
  REQUIRE((other_version && other_scorer && changed));
  CHECK(other_version->empty());
  CHECK(other_scorer->empty());
  CHECK(changed->empty());
}

TEST_CASE("recent_papers lists the days before the date, newest first", "[store]") {
  StoreFixture f;
  REQUIRE_OK(f.store->record_announcement(kJan28, "feed",
                                          {make_paper("2501.00001"), make_paper("2501.00004")}));
  REQUIRE_OK(f.store->record_announcement(kJan29, "feed",
                                          {make_paper("2501.00002"), make_paper("2501.00001", 2)}));
  REQUIRE_OK(f.store->record_announcement(kJan30, "feed", {make_paper("2501.00003")}));

  auto recent = f.store->recent_papers(kJan30, 7, 100);
  REQUIRE_OK(recent);
  REQUIRE(recent->size() == 3);
  CHECK((*recent)[0].versioned_id() == "2501.00002v1");
  CHECK((*recent)[1].versioned_id() == "2501.00001v2");  // once, as of its latest day
  CHECK((*recent)[2].versioned_id() == "2501.00004v1");

  auto one_day = f.store->recent_papers(kJan29, 1, 100);
  REQUIRE_OK(one_day);
  REQUIRE(one_day->size() == 2);
  CHECK(one_day->front().versioned_id() == "2501.00004v1");
  CHECK(one_day->back().title == "Title of 2501.00001 v1");  // the text of that day's version

  auto limited = f.store->recent_papers(kJan30, 7, 1);
  REQUIRE_OK(limited);
  CHECK(limited->size() == 1);
}

TEST_CASE("save_run replaces the run of the same date and audience", "[store]") {
  StoreFixture f;
  RunRecord run;
  run.date = kJan29;
  run.status = "failed";
  run.scorer = "offline";
  run.criteria_id = f.criteria_id;
  run.started_at = "2025-01-30T01:00:00Z";
  run.finished_at = "2025-01-30T01:00:05Z";
  run.selected_ids = {"2501.00009"};
  auto first_id = f.store->save_run(run);
  REQUIRE_OK(first_id);

  run.status = "done";
  run.counts.fetched = 150;
  run.counts.selected = 2;
  run.counts.per_category = {{"cs.LG", 100}, {"cs.AI", 50}};
  run.counts.dropped = {{"not primary", 25}};
  run.prompt_tokens = 33605;
  run.completion_tokens = 2684;
  run.cached_prompt_tokens = 1024;
  run.cost = 0.1109;
  run.late = true;
  run.selected_ids = {"2501.00002", "2501.00001"};
  auto second_id = f.store->save_run(run);
  REQUIRE_OK(second_id);
  CHECK(*second_id == *first_id);

  auto found = f.store->find_run(kJan29, "files");
  REQUIRE_OK(found);
  REQUIRE(*found);
  const RunRecord& stored = **found;
  CHECK(stored.id == *first_id);
  CHECK(stored.status == "done");
  CHECK(stored.criteria_id == f.criteria_id);
  CHECK(stored.counts.fetched == 150);
  CHECK(stored.counts.selected == 2);
  CHECK(stored.counts.per_category == run.counts.per_category);
  CHECK(stored.counts.dropped == run.counts.dropped);
  CHECK(stored.prompt_tokens == 33605);
  CHECK(stored.completion_tokens == 2684);
  CHECK(stored.cached_prompt_tokens == 1024);
  REQUIRE(stored.cost);
  CHECK(*stored.cost == Approx(0.1109));
  CHECK(stored.late);
  CHECK(stored.started_at == "2025-01-30T01:00:00Z");
  CHECK(stored.selected_ids == run.selected_ids);
  RawDb raw(f.path);
  CHECK(raw.count("runs") == 1);
  CHECK(raw.count("run_papers") == 2);
}

TEST_CASE("a run with unknown cost and no criteria reads back empty", "[store]") {
  StoreFixture f;
  RunRecord run;
  run.date = kJan29;
  run.audience = "#papers";
  run.status = "empty";
  REQUIRE_OK(f.store->save_run(run));

  auto found = f.store->find_run(kJan29, "#papers");
  REQUIRE((found && *found));
  CHECK_FALSE((*found)->cost);
  CHECK((*found)->criteria_id == 0);
  CHECK((*found)->selected_ids.empty());

  auto other_audience = f.store->find_run(kJan29, "files");
  REQUIRE_OK(other_audience);
  CHECK_FALSE(*other_audience);
}

TEST_CASE("HTTP validators round trip, without credentials", "[store]") {
  StoreFixture f;
  const std::string url = "https://rss.arxiv.org/rss/cs.LG";
  auto never = f.store->http_validators(url);
  REQUIRE_OK(never);
  CHECK(never->empty());

  REQUIRE_OK(f.store->save_http_validators(url, {"\"abc\"", "Wed, 29 Jan 2025 05:00:00 GMT"}));
  REQUIRE_OK(f.store->save_http_validators(url, {"\"def\"", "Thu, 30 Jan 2025 05:00:00 GMT"}));
  auto seen = f.store->http_validators(url);
  REQUIRE_OK(seen);
  CHECK(seen->etag == "\"def\"");
  CHECK(seen->last_modified == "Thu, 30 Jan 2025 05:00:00 GMT");

  REQUIRE_OK(f.store->save_http_validators("https://user:secret@example.org/feed", {"e", ""}));
  RawDb raw(f.path);
  CHECK(raw.text("SELECT count(*) FROM http_validators WHERE url LIKE '%secret%'") == "0");
  CHECK(f.store->http_validators("https://example.org/feed")->etag == "e");
}

TEST_CASE("a write that fails halfway leaves the store as it was", "[store]") {
  StoreFixture f;
  REQUIRE_OK(f.store->record_announcement(kJan28, "feed", {make_paper("2501.00001")}));

  SECTION("record_announcement") {
    // Fault injection from outside: the third paper of the day cannot be written.
    RawDb raw(f.path);
    raw.execute(
        "CREATE TRIGGER fail_poison BEFORE INSERT ON paper_versions WHEN NEW.paper_id = 'poison' "
        "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
    auto recorded = f.store->record_announcement(
        kJan29, "feed",
        {make_paper("2501.00002"), make_paper("2501.00001", 2), make_paper("poison")});
    REQUIRE_FAILS(recorded);
    CHECK_THAT(recorded.error().message,
               Catch::Contains("record announcement 2025-01-29: poisonv1: injected failure"));

    CHECK(raw.count("announcements") == 1);
    CHECK(raw.count("papers") == 1);
    CHECK(raw.count("paper_versions") == 1);
    CHECK(raw.text("SELECT version FROM papers") == "1");
  }

  SECTION("save_scores") {
    f.score("2501.00001", 1);
    auto saved = f.store->save_scores(
        {StoredScore{"2501.00001", 1, f.criteria_id, Score{1, 1, "changed", "offline"}},
         StoredScore{"2501.00001", 1, f.criteria_id + 100, Score{1, 1, "bad", "offline"}}});
    REQUIRE_FAILS(saved);
    auto cached = f.store->cached_scores({make_paper("2501.00001")}, f.criteria_id, "offline");
    REQUIRE_OK(cached);
    CHECK(cached->at("2501.00001v1").comment == "ok");
  }

  // The store is still usable after the failure.
  REQUIRE_OK(f.store->record_announcement(kJan30, "feed", {make_paper("2501.00005")}));
}

TEST_CASE("a store from a newer paperbot is refused untouched", "[store]") {
  TempDir dir;
  auto path = dir.path() / "paperbot.db";
  open_store(path).reset();
  const int future = Store::latest_schema_version() + 1;
  RawDb(path).execute("PRAGMA user_version = " + std::to_string(future));

  auto refused = Store::open(path);
  REQUIRE_FAILS(refused);
  CHECK(refused.error().step == "store");
  CHECK_THAT(refused.error().message, Catch::Contains("schema version " + std::to_string(future)) &&
                                          Catch::Contains("newer than this paperbot knows"));
  CHECK(RawDb(path).text("PRAGMA user_version") == std::to_string(future));
}

TEST_CASE("ten thousand papers and their scores are recorded in one go", "[store][bench]") {
  StoreFixture f;
  std::vector<Paper> papers;
  std::vector<StoredScore> scores;
  for (int i = 0; i < 10000; ++i) {
    papers.push_back(make_paper("2501." + std::to_string(10000 + i)));
    scores.push_back(StoredScore{papers.back().id, 1, f.criteria_id, Score{5, 5, "c", "offline"}});
  }
  REQUIRE_OK(f.store->record_announcement(kJan29, "oai-pmh", papers));
  REQUIRE_OK(f.store->save_scores(scores));

  RawDb raw(f.path);
  CHECK(raw.count("papers") == 10000);
  CHECK(raw.count("scores") == 10000);
  auto recent = f.store->recent_papers(kJan30, 3, 5000);
  REQUIRE_OK(recent);
  CHECK(recent->size() == 5000);
}
