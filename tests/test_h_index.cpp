// The optional author h-index filter: the Semantic Scholar client against a fake batch endpoint
// on loopback, the store's 30-day cache, the filter's direction inside a digest run, its config
// keys, and the command line wiring (the API key sent, never logged).
#include "adapters/scholar/scholar_client.hpp"
#include "core/config/config.hpp"
#include "core/digest/digest_run.hpp"
#include "core/store/store.hpp"
#include "tests/support/fake_http_server.hpp"
#include "tests/support/fake_scholar.hpp"
#include "tests/support/result_printing.hpp"
#include "tests/support/test_data.hpp"

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <cstdlib>
#include <fstream>
#include <set>

using namespace paperbot;
using paperbot::testing::asked_scholar_ids;
using paperbot::testing::FakeHttpServer;
using paperbot::testing::FakeRequest;
using paperbot::testing::FakeResponse;
using paperbot::testing::FakeScholar;
using paperbot::testing::TempDir;
using std::chrono::milliseconds;

namespace {

constexpr Date kDay{std::chrono::year(2025), std::chrono::January, std::chrono::day(29)};
const std::string kDropReason = "authors' h-index below 20";

// Waits the client asked for, instead of waiting them.
struct RecordedSleeps {
  std::vector<milliseconds> waits;
  ScholarClient::Sleep function() {
    return [this](milliseconds wait) { waits.push_back(wait); };
  }
};

ScholarClientOptions options_for(const FakeHttpServer& server) {
  ScholarClientOptions options;
  options.base_url = server.base_url();
  options.http.timeout = milliseconds{5'000};
  options.http.max_retries = 2;
  options.http.initial_backoff = milliseconds{100};
  return options;
}

std::shared_ptr<spdlog::logger> quiet_logger() {
  return std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
}

Paper make_paper(const std::string& id, const std::string& author) {
  Paper paper;
  paper.id = id;
  paper.title = "Learning to rank papers, part " + id;
  paper.authors = {author, "Second Author"};
  paper.abstract = "We study ranking of research papers by relevance and novelty (" + id + ").";
  paper.categories = {"cs.LG"};
  return paper;
}

// A digest run on a small day, with every scored paper above the score cutoffs, so that the
// digest holds exactly the papers the h-index filter kept.
struct DigestFixture {
  TempDir dir;
  Config config = default_config();
  std::unique_ptr<Store> store;
  Feed feed;

  DigestFixture() {
    config.paperbot.h_index_filter = true;
    config.filtering.h_cutoff = 20;
    config.filtering.relevance_cutoff = 1;
    config.filtering.novelty_cutoff = 1;
    config.authors = {FollowedAuthor{"Ada Lovelace", ""}};
    auto opened = Store::open(dir.path() / "paperbot.db");
    REQUIRE(opened);
    store = std::move(*opened);
    feed.channels = {"cs.LG"};
    feed.announced = kDay;
    feed.papers = {make_paper("2501.00001", "Famous Author"),   // best h 25: kept
                   make_paper("2501.00002", "New Author"),      // best h 5: dropped
                   make_paper("2501.00003", "Unknown Author"),  // unknown to Semantic Scholar
                   make_paper("2501.00004", "Ada Lovelace"),    // followed author, best h 1
                   make_paper("2501.00005", "Steady Author")};  // best h 20, the cutoff: kept
  }

  boost::system::result<DigestReport, RunError> run(AuthorIndexSource* source) {
    DigestRun digest_run(config, *store, nullptr, quiet_logger());
    digest_run.set_author_index(source);
    DigestOptions options;
    options.out_dir = dir.path() / "out";
    options.force = true;
    return digest_run.run_parsed(feed, "test feed", options);
  }
};

std::set<std::string> digest_ids(const DigestReport& report) {
  std::set<std::string> ids;
  for (const auto& entry : report.digest.entries) ids.insert(entry.paper.id);
  return ids;
}

void add_known_papers(FakeScholar& scholar) {
  scholar.papers["arXiv:2501.00001"] = {3, 25, std::nullopt};
  scholar.papers["arXiv:2501.00002"] = {5, std::nullopt};
  scholar.papers["arXiv:2501.00004"] = {1};
  scholar.papers["arXiv:2501.00005"] = {20, 19};
}

std::chrono::sys_seconds now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace

TEST_CASE("the client asks the batch endpoint, with the key only when there is one", "[scholar]") {
  FakeScholar scholar;
  scholar.papers["arXiv:2501.16396"] = {12, 40};
  FakeHttpServer server(scholar.handler());
  RecordedSleeps sleeps;
  ScholarClient anonymous(options_for(server), sleeps.function());

  auto best = anonymous.best_h_index({"2501.16396", "hep-th/9901001"});

  REQUIRE(best);
  CHECK(*best == std::map<std::string, std::optional<int>>{{"2501.16396", 40},
                                                           {"hep-th/9901001", std::nullopt}});
  auto requests = server.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "POST");
  CHECK(requests[0].target == "/paper/batch?fields=authors.hIndex");
  CHECK(requests[0].headers["content-type"] == "application/json");
  CHECK(asked_scholar_ids(requests[0]) ==
        std::vector<std::string>{"arXiv:2501.16396", "arXiv:hep-th/9901001"});
  CHECK(requests[0].headers.count("x-api-key") == 0);

  auto options = options_for(server);
  options.api_key = "s2-test-key";
  ScholarClient keyed(options, sleeps.function());
  REQUIRE(keyed.best_h_index({"2501.16396"}));
  CHECK(server.requests().at(1).headers["x-api-key"] == "s2-test-key");
}

TEST_CASE("null papers, null h-indices and authorless papers are unknown", "[scholar]") {
  const std::vector<std::string> ids{"2501.00001", "2501.00002", "2501.00003", "2501.00004"};
  auto best = parse_batch_answer(R"([
    null,
    {"paperId": "a1", "authors": [{"authorId": "1", "hIndex": null},
                                  {"authorId": "2", "hIndex": 12}, {"authorId": "3"}]},
    {"paperId": "b2", "authors": [{"authorId": "4", "hIndex": null}]},
    {"paperId": "c3", "authors": []}
  ])",
                                 ids);
  REQUIRE(best);
  CHECK(*best == std::map<std::string, std::optional<int>>{{"2501.00001", std::nullopt},
                                                           {"2501.00002", 12},
                                                           {"2501.00003", std::nullopt},
                                                           {"2501.00004", std::nullopt}});

  CHECK_FALSE(parse_batch_answer("[null]", ids));  // not one entry per id
  CHECK_FALSE(parse_batch_answer(R"({"error": "Unrecognized field"})", {"2501.00001"}));
  CHECK_FALSE(parse_batch_answer("[3]", {"2501.00001"}));
}

TEST_CASE("a 429 with Retry-After is waited out, then asked again", "[scholar][retry]") {
  FakeScholar scholar;
  scholar.failures = 1;
  scholar.failure = FakeResponse{429, {{"Retry-After", "7"}}, "{\"message\": \"Too Many\"}"};
  FakeHttpServer server(scholar.handler());
  RecordedSleeps sleeps;
  ScholarClient client(options_for(server), sleeps.function());

  REQUIRE(client.best_h_index({"2501.00001"}));
  CHECK(server.requests().size() == 2);
  CHECK(sleeps.waits == std::vector<milliseconds>{milliseconds{7'000}});
}

TEST_CASE("requests start at most one a second, in batches of batch_size", "[scholar]") {
  FakeScholar scholar;
  FakeHttpServer server(scholar.handler());
  RecordedSleeps sleeps;
  auto options = options_for(server);
  options.batch_size = 2;
  ScholarClient client(options, sleeps.function());

  auto best =
      client.best_h_index({"2501.00001", "2501.00002", "2501.00003", "2501.00004", "2501.00005"});

  REQUIRE(best);
  CHECK(best->size() == 5);
  auto requests = server.requests();
  REQUIRE(requests.size() == 3);
  CHECK(asked_scholar_ids(requests[2]) == std::vector<std::string>{"arXiv:2501.00005"});
  REQUIRE(sleeps.waits.size() == 2);  // none before the first request
  for (milliseconds wait : sleeps.waits) {
    CHECK(wait > milliseconds{500});
    CHECK(wait <= milliseconds{1'000});
  }
}

TEST_CASE("a server that keeps failing is an error after the retries", "[scholar][retry]") {
  FakeScholar scholar;
  scholar.failures = 100;
  FakeHttpServer server(scholar.handler());
  RecordedSleeps sleeps;
  ScholarClient client(options_for(server), sleeps.function());

  auto best = client.best_h_index({"2501.00001"});

  REQUIRE_FALSE(best);
  CHECK(best.error().step == "look up h-indices");
  CHECK_THAT(best.error().message, Catch::Contains("HTTP 500"));
  CHECK_THAT(best.error().message, Catch::Contains("3 attempts"));
}

TEST_CASE("the store keeps h-indices for 30 days", "[store][h-index]") {
  TempDir dir;
  auto store = Store::open(dir.path() / "paperbot.db");
  REQUIRE(store);
  auto today = now();
  REQUIRE((*store)->save_h_indices({{"2501.00001", 25}, {"2501.00002", std::nullopt}},
                                   today - std::chrono::days(29)));
  REQUIRE((*store)->save_h_indices({{"2501.00003", 7}}, today - std::chrono::days(31)));

  auto cached =
      (*store)->cached_h_indices({"2501.00001", "2501.00002", "2501.00003", "2501.09999"}, today);
  REQUIRE(cached);
  CHECK(*cached == std::map<std::string, std::optional<int>>{{"2501.00001", 25},
                                                             {"2501.00002", std::nullopt}});

  // A new lookup replaces the old one and is fresh again.
  REQUIRE((*store)->save_h_indices({{"2501.00003", 9}}, today));
  auto again = (*store)->cached_h_indices({"2501.00003"}, today);
  REQUIRE(again);
  CHECK(again->at("2501.00003") == 9);
}

TEST_CASE("papers whose best author reaches h_cutoff are kept, the others dropped",
          "[digest][h-index]") {
  FakeScholar scholar;
  add_known_papers(scholar);
  FakeHttpServer server(scholar.handler());
  RecordedSleeps sleeps;
  ScholarClient client(options_for(server), sleeps.function());
  DigestFixture fixture;

  auto report = fixture.run(&client);

  REQUIRE(report);
  // h 25 and h 20 reach the cutoff 20; h 5 does not; unknown and followed authors are kept.
  CHECK(digest_ids(*report) ==
        std::set<std::string>{"2501.00001", "2501.00003", "2501.00004", "2501.00005"});
  CHECK(report->counts.dropped.at(kDropReason) == 1);
  CHECK(report->counts.kept == 4);
  REQUIRE(server.requests().size() == 1);
  // Followed authors are not even looked up.
  CHECK(asked_scholar_ids(server.requests()[0]) ==
        std::vector<std::string>{"arXiv:2501.00001", "arXiv:2501.00002", "arXiv:2501.00003",
                                 "arXiv:2501.00005"});
}

TEST_CASE("a failing Semantic Scholar keeps every paper and caches nothing", "[digest][h-index]") {
  FakeScholar scholar;
  add_known_papers(scholar);
  scholar.failures = 100;
  FakeHttpServer server(scholar.handler());
  RecordedSleeps sleeps;
  ScholarClient client(options_for(server), sleeps.function());
  DigestFixture fixture;

  auto report = fixture.run(&client);

  REQUIRE(report);
  CHECK(digest_ids(*report).size() == 5);
  CHECK(report->counts.dropped.count(kDropReason) == 0);
  CHECK(server.requests().size() == 3);  // the first try and two retries
  auto cached = fixture.store->cached_h_indices({"2501.00001", "2501.00002", "2501.00003"}, now());
  REQUIRE(cached);
  CHECK(cached->empty());
}

TEST_CASE("a run within 30 days asks nothing again; an older lookup is asked again",
          "[digest][h-index]") {
  FakeScholar scholar;
  add_known_papers(scholar);
  FakeHttpServer server(scholar.handler());
  RecordedSleeps sleeps;
  ScholarClient client(options_for(server), sleeps.function());
  DigestFixture fixture;

  REQUIRE(fixture.run(&client));
  REQUIRE(server.requests().size() == 1);

  auto second = fixture.run(&client);
  REQUIRE(second);
  CHECK(server.requests().size() == 1);
  CHECK(second->counts.dropped.at(kDropReason) == 1);  // the cached h 5 still drops the paper

  REQUIRE(fixture.store->save_h_indices({{"2501.00002", 5}}, now() - std::chrono::days(31)));
  auto third = fixture.run(&client);
  REQUIRE(third);
  REQUIRE(server.requests().size() == 2);
  CHECK(asked_scholar_ids(server.requests()[1]) == std::vector<std::string>{"arXiv:2501.00002"});
  CHECK(third->counts.dropped.at(kDropReason) == 1);
}

TEST_CASE("the filter is off by default: nothing is asked, nothing dropped", "[digest][h-index]") {
  FakeScholar scholar;
  add_known_papers(scholar);
  FakeHttpServer server(scholar.handler());
  ScholarClient client(options_for(server));
  DigestFixture fixture;
  fixture.config.paperbot.h_index_filter = default_config().paperbot.h_index_filter;
  REQUIRE_FALSE(fixture.config.paperbot.h_index_filter);

  auto report = fixture.run(&client);

  REQUIRE(report);
  CHECK(server.requests().empty());
  CHECK(digest_ids(*report).size() == 5);
  CHECK(report->counts.dropped.count(kDropReason) == 0);
}

TEST_CASE("h_cutoff is reported as unused unless h_index_filter is on", "[config][h-index]") {
  auto load = [](const std::string& ini) {
    TempDir dir;
    std::ofstream(dir.path() / "config.ini") << ini;
    auto config = load_config(dir.path());
    REQUIRE(config);
    return *config;
  };
  // The notice about h_cutoff, or an empty text when there is none.
  auto h_cutoff_notice = [](const Config& config) {
    for (const ConfigNotice& notice : config.notices) {
      if (notice.message.find("cutoff") != std::string::npos) return notice.message;
    }
    return std::string();
  };

  Config off = load("[FILTERING]\nh_cutoff = 20\n");
  CHECK_FALSE(off.paperbot.h_index_filter);
  CHECK_THAT(h_cutoff_notice(off), Catch::Contains("set [PAPERBOT] h_index_filter = true"));

  // Either order of the sections.
  Config after = load("[FILTERING]\nh_cutoff = 20\n[PAPERBOT]\nh_index_filter = true\n");
  Config before = load("[PAPERBOT]\nh_index_filter = yes\n[FILTERING]\nhcutoff = 20\n");
  for (const Config& on : {after, before}) {
    CHECK(on.paperbot.h_index_filter);
    CHECK(on.filtering.h_cutoff == 20);
    CHECK(h_cutoff_notice(on).empty());
  }

  Config url = load("[PAPERBOT]\nsemantic_scholar_url = http://127.0.0.1:8080/graph/v1\n");
  CHECK(url.paperbot.semantic_scholar_url == "http://127.0.0.1:8080/graph/v1");
  CHECK(default_config().paperbot.semantic_scholar_url ==
        "https://api.semanticscholar.org/graph/v1");
}

TEST_CASE("the command line sends S2_API_KEY to Semantic Scholar and never logs it",
          "[cli][h-index][real]") {
  PAPERBOT_SHARED_DATA_FILE(feed_path, "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  const char* binary = std::getenv("PAPERBOT_BIN");
  REQUIRE(binary != nullptr);
  // Every paper's authors have h-index 1, so every paper is dropped.
  FakeScholar scholar;
  scholar.other_papers = {1};
  FakeHttpServer server(scholar.handler());
  TempDir dir;
  std::ofstream(dir.path() / "config.ini")
      << "[FILTERING]\narxiv_category = cs.LG, cs.AI\nh_cutoff = 20\n"
      << "[PAPERBOT]\nh_index_filter = true\nsemantic_scholar_url = " << server.base_url() << "\n";
  const std::string secret = "s2-secret-do-not-log";
  const auto log = dir.path() / "log.txt";
  std::string command = "S2_API_KEY=" + secret + " " + binary + " -v digest --config " +
                        dir.path().string() + " --feed " + feed_path.string() + " --store " +
                        (dir.path() / "p.db").string() + " --out " + (dir.path() / "out").string() +
                        " >" + log.string() + " 2>&1";

  int status = std::system(command.c_str());

  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  auto requests = server.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].headers["x-api-key"] == secret);
  std::string output = paperbot::testing::read_file(log);
  CHECK_THAT(output, Catch::Contains(kDropReason));
  CHECK(output.find(secret) == std::string::npos);
}
