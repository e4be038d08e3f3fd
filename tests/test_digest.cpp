// The digest run end to end: real day feeds and config, a real SQLite file, real files out; and
// the command line itself, fetching through a fake arXiv on loopback and previewing the
// newsletter as an .eml file that Python's email package reads.
#include "core/config/config.hpp"
#include "core/digest/digest_run.hpp"
#include "core/store/store.hpp"
#include "tests/support/email_checks.hpp"
#include "tests/support/fake_http_server.hpp"
#include "tests/support/fake_openai.hpp"
#include "tests/support/process_runner.hpp"
#include "tests/support/result_printing.hpp"
#include "tests/support/test_data.hpp"

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <cstdlib>
#include <fstream>

using namespace paperbot;
using paperbot::testing::read_file;
using paperbot::testing::TempDir;

namespace {

std::shared_ptr<spdlog::logger> quiet_logger() {
  return std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
}

FetchedFeed feed_from(const std::filesystem::path& path) {
  return FetchedFeed{path.string(), read_file(path), false, {}};
}

struct Fixture {
  TempDir dir;
  Config config;
  std::unique_ptr<Store> store;

  explicit Fixture(const std::filesystem::path& config_dir) {
    auto loaded = load_config(config_dir);
    REQUIRE(loaded);
    config = *loaded;
    auto opened = Store::open(dir.path() / "paperbot.db");
    REQUIRE(opened);
    store = std::move(*opened);
  }

  boost::system::result<DigestReport, RunError> run(const FetchedFeed& feed, bool force = false) {
    DigestRun digest_run(config, *store, nullptr, quiet_logger());
    DigestOptions options;
    options.out_dir = dir.path() / "out";
    options.force = force;
    return digest_run.run(feed, options);
  }
};

// Runs the paperbot binary with `arguments` and returns its exit code.
int run_paperbot(const std::string& arguments) {
  const char* binary = std::getenv("PAPERBOT_BIN");
  REQUIRE(binary != nullptr);
  std::string command = std::string(binary) + " " + arguments + " >/dev/null 2>&1";
  int status = std::system(command.c_str());
  REQUIRE(WIFEXITED(status));
  return WEXITSTATUS(status);
}

// The arXiv ids of the papers a run selected, from its JSON digest (keyed by id).
std::vector<std::string> selected_ids(const std::filesystem::path& json_file) {
  std::vector<std::string> ids;
  const boost::json::value digest = boost::json::parse(read_file(json_file));
  for (const auto& paper : digest.as_object()) {
    ids.emplace_back(paper.key());
  }
  return ids;
}

std::string header_of(const boost::json::value& summary, std::string_view name) {
  const auto& headers = summary.at("headers").as_object();
  auto found = headers.find(name);
  return found == headers.end() ? std::string() : std::string(found->value().as_string());
}

// A copy of the shared config folder that the test may append to.
std::filesystem::path writable_config_copy(const std::filesystem::path& from,
                                           const std::filesystem::path& to) {
  std::filesystem::copy(from, to);
  std::filesystem::permissions(to, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::add);
  std::filesystem::permissions(to / "config.ini", std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::add);
  return to;
}

}  // namespace

TEST_CASE("the 2025-01-29 day becomes Markdown, JSON and HTML digests", "[digest][real]") {
  PAPERBOT_SHARED_DATA_FILE(config_dir, "gpa/config-2025-01-29");
  PAPERBOT_SHARED_DATA_FILE(feed_path, "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  Fixture fixture(config_dir);

  auto report = fixture.run(feed_from(feed_path));
  REQUIRE(report);
  CHECK(report->outcome == RunOutcome::kPublished);
  CHECK(report->counts.unique == 125);
  CHECK(report->counts.kept == 125);
  CHECK(report->counts.scored == 125);
  REQUIRE(report->files.size() == 3);
  REQUIRE_FALSE(report->digest.entries.empty());

  auto out = fixture.dir.path() / "out";
  auto markdown = read_file(out / "2025-01-29-output.md");
  CHECK(markdown.rfind("# Personalized Daily Arxiv Papers 01/29/2025\n\n", 0) == 0);
  CHECK(markdown.find("Total relevant papers: " + std::to_string(report->digest.entries.size())) !=
        std::string::npos);
  auto first_id = report->digest.entries.front().paper.id;
  CHECK(read_file(out / "2025-01-29-output.json").find("\"" + first_id + "\": {") !=
        std::string::npos);
  CHECK(read_file(out / "2025-01-29-output.html").find(first_id) != std::string::npos);

  // Every selected paper passed the cutoffs of that day's config.
  for (const auto& entry : report->digest.entries) {
    if (entry.author_match) continue;
    CHECK(entry.score.relevance >= 7);
    CHECK(entry.score.novelty >= 6);
  }
}

TEST_CASE("an announcement is processed once unless forced", "[digest][real]") {
  PAPERBOT_SHARED_DATA_FILE(config_dir, "gpa/config-2025-01-29");
  PAPERBOT_SHARED_DATA_FILE(feed_path, "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  Fixture fixture(config_dir);
  auto first = fixture.run(feed_from(feed_path));
  REQUIRE(first);

  auto again = fixture.run(feed_from(feed_path));
  REQUIRE(again);
  CHECK(again->outcome == RunOutcome::kAlreadyProcessed);

  // Forced, the same day costs no scoring: every score comes from the cache.
  auto forced = fixture.run(feed_from(feed_path), true);
  REQUIRE(forced);
  CHECK(forced->outcome == RunOutcome::kPublished);
  CHECK(forced->counts.cached == forced->counts.scored);
  CHECK(forced->digest.entries.size() == first->digest.entries.size());
}

TEST_CASE("changed criteria score the day again; the same criteria come from the cache",
          "[digest][real]") {
  PAPERBOT_SHARED_DATA_FILE(config_dir, "gpa/config-2025-01-29");
  PAPERBOT_SHARED_DATA_FILE(feed_path, "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  Fixture fixture(config_dir);
  REQUIRE(fixture.run(feed_from(feed_path)));

  fixture.config.criteria.topics += "\n7. Graph neural networks\n   - Relevant: message passing.";
  auto changed = fixture.run(feed_from(feed_path), true);
  REQUIRE(changed);
  CHECK(changed->counts.cached == 0);
  CHECK(changed->counts.scored == 125);

  auto again = fixture.run(feed_from(feed_path), true);
  REQUIRE(again);
  CHECK(again->counts.cached == 125);
}

TEST_CASE("papers scored on an earlier day are not scored again", "[digest][real]") {
  PAPERBOT_SHARED_DATA_FILE(config_dir, "gpa/config-2025-01-29");
  PAPERBOT_SHARED_DATA_FILE(cv_path, "arxiv/days/2026-04-21.cs.CV.rss.xml");
  Fixture fixture(config_dir);
  fixture.config.filtering.categories = {"cs.CV"};
  fixture.config.filtering.announce_types = {AnnounceType::kNew, AnnounceType::kCross,
                                             AnnounceType::kReplace, AnnounceType::kReplaceCross};
  auto report = fixture.run(feed_from(cv_path));
  REQUIRE(report);
  CHECK(report->counts.unique == 501);
  CHECK(report->counts.kept == 501);

  // Only the announce types asked for are kept, and the drop is counted with its reason.
  fixture.config.filtering.announce_types = {AnnounceType::kNew};
  auto forced = fixture.run(feed_from(cv_path), true);
  REQUIRE(forced);
  CHECK(forced->counts.kept == 276);
  CHECK(forced->counts.dropped.at("announce type cross") == 48);
  CHECK(forced->counts.dropped.at("announce type replace") == 138);
}

TEST_CASE("an empty feed is no announcement, and writes nothing", "[digest][real]") {
  PAPERBOT_SHARED_DATA_FILE(config_dir, "gpa/config-2025-01-29");
  PAPERBOT_SHARED_DATA_FILE(empty_path, "arxiv/rss2/real-empty-holiday-2025-12-31.xml");
  Fixture fixture(config_dir);
  auto report = fixture.run(feed_from(empty_path));
  REQUIRE(report);
  CHECK(report->outcome == RunOutcome::kNoAnnouncement);
  CHECK(report->message.find("no announcement for 2025-12-31") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(fixture.dir.path() / "out"));
}

TEST_CASE("a malformed feed is an error that leaves the store untouched", "[digest][real]") {
  PAPERBOT_SHARED_DATA_FILE(config_dir, "gpa/config-2025-01-29");
  PAPERBOT_SHARED_DATA_FILE(feed_path, "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  Fixture fixture(config_dir);
  auto bytes = read_file(feed_path);
  bytes.resize(bytes.size() / 2);  // a download cut in the middle

  auto report = fixture.run(FetchedFeed{"cut.xml", bytes, false, {}});
  REQUIRE_FALSE(report);
  CHECK(report.error().failure == RunFailure::kMalformedFeed);
  CHECK(report.error().error.message.find("cut.xml") != std::string::npos);
  auto recent = fixture.store->recent_papers(*parse_iso_date("2025-02-01"), 30, 1000);
  REQUIRE(recent);
  CHECK(recent->empty());
  auto run = fixture.store->find_run(*parse_iso_date("2025-01-29"), "files");
  REQUIRE(run);
  CHECK_FALSE(run->has_value());
}

TEST_CASE("a feed of another day than expected is refused", "[digest][real]") {
  PAPERBOT_SHARED_DATA_FILE(config_dir, "gpa/config-2025-01-29");
  PAPERBOT_SHARED_DATA_FILE(feed_path, "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  Fixture fixture(config_dir);
  DigestRun digest_run(fixture.config, *fixture.store, nullptr, quiet_logger());
  DigestOptions options;
  options.out_dir = fixture.dir.path() / "out";
  options.expected_date = parse_iso_date("2025-01-30");
  auto report = digest_run.run(feed_from(feed_path), options);
  REQUIRE_FALSE(report);
  CHECK(report.error().failure == RunFailure::kWrongDay);
}

TEST_CASE("filters count what they drop and why", "[digest]") {
  FilteringConfig filtering;
  filtering.categories = {"cs.LG"};
  filtering.announce_types = {AnnounceType::kNew, AnnounceType::kCross};
  filtering.force_primary = true;

  auto paper = [](std::string id, std::vector<std::string> categories, AnnounceType type) {
    Paper made;
    made.id = std::move(id);
    made.categories = std::move(categories);
    made.announce_type = type;
    return made;
  };
  Paper listed = paper("1", {"cs.LG", "cs.AI"}, AnnounceType::kNew);
  Paper cross = paper("2", {"cs.CV", "cs.LG"}, AnnounceType::kCross);
  Paper other = paper("3", {"math.AG"}, AnnounceType::kNew);
  Paper replaced = paper("4", {"cs.LG"}, AnnounceType::kReplace);
  auto result = filter_papers({listed, cross, other, replaced}, filtering, {"cs.LG"});

  REQUIRE(result.kept.size() == 1);
  CHECK(result.kept[0].id == "1");
  CHECK(result.counts.per_category.at("cs.LG") == 3);
  CHECK(result.counts.fetched == 3);  // a paper in no followed category was never in their feeds
  CHECK(result.counts.dropped.at("primary category not followed") == 1);
  CHECK(result.counts.dropped.at("not in a followed category") == 1);
  CHECK(result.counts.dropped.at("announce type replace") == 1);
}

TEST_CASE("the command line digests a saved feed and documents its exit codes", "[cli][real]") {
  PAPERBOT_SHARED_DATA_FILE(config_dir, "gpa/config-2025-01-29");
  PAPERBOT_SHARED_DATA_FILE(feed_path, "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  TempDir dir;
  auto common = "--config " + config_dir.string() + " --store " + (dir.path() / "p.db").string() +
                " --out " + (dir.path() / "out").string();

  CHECK(run_paperbot("digest " + common + " --feed " + feed_path.string()) == 0);
  CHECK(std::filesystem::exists(dir.path() / "out" / "2025-01-29-output.md"));
  CHECK(std::filesystem::exists(dir.path() / "out" / "2025-01-29-output.html"));
  CHECK(run_paperbot("digest " + common + " --feed " + feed_path.string()) == 0);

  std::ofstream(dir.path() / "bad.xml") << "<rss><channel><item></channel></rss>";
  CHECK(run_paperbot("digest " + common + " --feed " + (dir.path() / "bad.xml").string()) == 5);
  CHECK(run_paperbot("digest " + common + " --feed " + feed_path.string() + " --date 2025-01-30") ==
        5);
  CHECK(run_paperbot("digest --date yesterday " + common) == 2);
  CHECK(run_paperbot("digest --bogus") == 2);
  CHECK(run_paperbot("--version") == 0);
}

TEST_CASE("the command line fetches the day feed from the configured arXiv", "[cli][real]") {
  PAPERBOT_SHARED_DATA_FILE(feed_path, "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  auto body = read_file(feed_path);
  paperbot::testing::FakeHttpServer arxiv([&](const paperbot::testing::FakeRequest& request) {
    paperbot::testing::FakeResponse response;
    if (request.target != "/rss/cs.LG+cs.AI") {
      response.status = 404;
      return response;
    }
    if (request.headers.count("if-none-match") && request.headers.at("if-none-match") == "\"d1\"") {
      response.status = 304;
      return response;
    }
    response.headers = {{"Content-Type", "application/rss+xml"}, {"ETag", "\"d1\""}};
    response.body = body;
    return response;
  });

  TempDir dir;
  auto config = dir.path() / "config";
  std::filesystem::create_directories(config);
  std::ofstream(config / "config.ini")
      << "[FILTERING]\narxiv_category = cs.LG,cs.AI\n\n[PAPERBOT]\narxiv_feed_url = "
      << arxiv.base_url() << "/rss/\narxiv_min_interval_seconds = 0\n";
  auto common = "--config " + config.string() + " --store " + (dir.path() / "p.db").string() +
                " --out " + (dir.path() / "out").string();

  CHECK(run_paperbot("digest " + common) == 0);
  CHECK(std::filesystem::exists(dir.path() / "out" / "2025-01-29-output.json"));
  // The second run asks whether the feed changed, and the answer is no.
  CHECK(run_paperbot("digest " + common) == 0);
  auto requests = arxiv.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[1].headers.at("if-none-match") == "\"d1\"");
  CHECK(requests[0].headers.at("user-agent").find("paperbot/") == 0);
}

TEST_CASE("the LLM scorer scores a real day through the endpoint, once", "[cli][llm][real]") {
  PAPERBOT_SHARED_DATA_FILE(config_dir, "gpa/config-2025-01-29");
  PAPERBOT_SHARED_DATA_FILE(feed_path, "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  paperbot::testing::FakeOpenAi llm;

  // The real config folder, with [LLM] pointed at the fake endpoint.
  TempDir dir;
  auto config = dir.path() / "config";
  std::filesystem::copy(config_dir, config);
  std::filesystem::permissions(config, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::add);
  std::filesystem::permissions(config / "config.ini", std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::add);
  std::ofstream(config / "config.ini", std::ios::app)
      << "\n\n[LLM]\nbase_url = " << llm.base_url() << "\nmax_retries = 1\n";
  auto common = "--config " + config.string() + " --store " + (dir.path() / "p.db").string() +
                " --out " + (dir.path() / "out").string() + " --feed " + feed_path.string() +
                " --scorer llm";
  ::setenv("OPENAI_API_KEY", "sk-test-not-a-real-key", 1);
  int first = run_paperbot("digest " + common);
  ::unsetenv("OPENAI_API_KEY");
  REQUIRE(first == 0);

  // The run record bills exactly what the server billed, and the digest's table says so.
  auto store = Store::open(dir.path() / "p.db");
  REQUIRE(store);
  auto run = (*store)->find_run(*parse_iso_date("2025-01-29"), "files");
  REQUIRE(run);
  REQUIRE(run->has_value());
  CHECK((*run)->prompt_tokens == llm.billed_prompt_tokens());
  CHECK((*run)->completion_tokens == llm.billed_completion_tokens());
  CHECK((*run)->scorer == "llm:gpt-4o/p1");
  CHECK((*run)->counts.scored == 125);
  auto markdown = read_file(dir.path() / "out" / "2025-01-29-output.md");
  CHECK(markdown.find("| **Token** | " + std::to_string(llm.billed_prompt_tokens())) !=
        std::string::npos);

  // Forced again, the day costs nothing: every score comes from the cache.
  int requests = llm.requests();
  ::setenv("OPENAI_API_KEY", "sk-test-not-a-real-key", 1);
  int second = run_paperbot("digest --force " + common);
  ::unsetenv("OPENAI_API_KEY");
  REQUIRE(second == 0);
  CHECK(llm.requests() == requests);
  auto again = (*store)->find_run(*parse_iso_date("2025-01-29"), "files");
  REQUIRE(again);
  CHECK((*again)->prompt_tokens == 0);
  CHECK((*again)->counts.cached == 125);
}

TEST_CASE("the command line previews the day's newsletter as an .eml file", "[cli][email][real]") {
  PAPERBOT_SHARED_DATA_FILE(config_dir, "gpa/config-2025-01-29");
  PAPERBOT_SHARED_DATA_FILE(feed_path, "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  TempDir dir;
  const auto eml = dir.path() / "preview.eml";
  auto common = "--config " + config_dir.string() + " --store " + (dir.path() / "p.db").string() +
                " --out " + (dir.path() / "out").string() + " --feed " + feed_path.string();

  // A config without [EMAIL] still previews, with stand-ins for the sender and the links.
  ::unsetenv("PAPERBOT_LINK_SECRET");
  REQUIRE(run_paperbot("digest " + common + " --email-preview " + eml.string()) == 0);
  const std::string bytes = read_file(eml);
  CHECK(bytes.find("\r\n\r\n") != std::string::npos);
  CHECK(bytes.find("\n") == bytes.find("\r\n") + 1);

  std::filesystem::create_directory(dir.path() / "python");
  const auto summary = paperbot::testing::python_mime_summary(bytes, dir.path() / "python");
  CHECK(summary.at("defects").as_array().empty());
  CHECK(summary.at("content_type").as_string() == "multipart/alternative");
  CHECK(header_of(summary, "To") == "reader@example.org");
  CHECK(header_of(summary, "List-Unsubscribe").starts_with("<https://paperbot.invalid/"));
  CHECK(header_of(summary, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click");
  const auto& parts = summary.at("parts").as_array();
  REQUIRE(parts.size() == 2);
  CHECK(parts[0].at("content_type").as_string() == "text/plain");
  CHECK(parts[1].at("content_type").as_string() == "text/html");

  const std::string html(parts[1].at("content").as_string());
  const auto ids = selected_ids(dir.path() / "out" / "2025-01-29-output.json");
  REQUIRE_FALSE(ids.empty());
  for (const std::string& id : ids) {
    INFO(id);
    CHECK(html.find("https://arxiv.org/abs/" + id + "\"") != std::string::npos);
  }
}

TEST_CASE("the e-mail preview is for the named list and its first reader", "[cli][email][real]") {
  PAPERBOT_SHARED_DATA_FILE(config_dir, "gpa/config-2025-01-29");
  PAPERBOT_SHARED_DATA_FILE(feed_path, "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  TempDir dir;
  auto config = writable_config_copy(config_dir, dir.path() / "config");
  std::ofstream(config / "config.ini", std::ios::app)
      << "\n\n[EMAIL]\nfrom = digest@lab.example.org\npublic_url = https://digest.example.org\n"
      << "\n[EMAIL theory]\nrecipients = ada@example.net\n"
      << "\n[EMAIL ml]\nname = ML group\nrecipients = bob@example.net, eve@example.net\n";
  auto common = "--config " + config.string() + " --store " + (dir.path() / "p.db").string() +
                " --out " + (dir.path() / "out").string() + " --feed " + feed_path.string();
  const auto eml = dir.path() / "ml.eml";

  REQUIRE(run_paperbot("digest " + common + " --email-list ml --email-preview " + eml.string()) ==
          0);
  std::filesystem::create_directory(dir.path() / "python");
  const auto summary =
      paperbot::testing::python_mime_summary(read_file(eml), dir.path() / "python");
  CHECK(summary.at("defects").as_array().empty());
  CHECK(header_of(summary, "To") == "bob@example.net");
  CHECK(header_of(summary, "List-Id") == "ML group <ml.lab.example.org>");
  CHECK(header_of(summary, "List-Unsubscribe").starts_with("<https://digest.example.org/"));

  // Without --email-list the first list is previewed; an already processed day needs --force.
  REQUIRE(run_paperbot("digest --force " + common + " --email-preview " + eml.string()) == 0);
  CHECK(read_file(eml).find("\r\nTo: ada@example.net\r\n") != std::string::npos);

  // An unknown list is refused before anything runs; --email-list needs --email-preview.
  CHECK(run_paperbot("digest --force " + common + " --email-list nope --email-preview " +
                     eml.string()) == 2);
  CHECK(run_paperbot("digest --force " + common + " --email-list ml") == 2);
}

TEST_CASE("an e-mail preview that cannot be written is an error naming the file",
          "[cli][email][real]") {
  PAPERBOT_SHARED_DATA_FILE(config_dir, "gpa/config-2025-01-29");
  PAPERBOT_SHARED_DATA_FILE(feed_path, "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  TempDir dir;
  const auto eml = dir.path() / "no-such-folder" / "preview.eml";
  const char* binary = std::getenv("PAPERBOT_BIN");
  REQUIRE(binary != nullptr);

  auto ran = paperbot::testing::run_process(
      binary,
      {"digest", "--config", config_dir.string(), "--store", (dir.path() / "p.db").string(),
       "--out", (dir.path() / "out").string(), "--feed", feed_path.string(), "--email-preview",
       eml.string()},
      dir.path(), std::chrono::seconds(300));
  INFO(ran.error << ran.err);
  REQUIRE(ran.started);
  CHECK(ran.exit_code == 8);
  CHECK(ran.err.find(eml.string()) != std::string::npos);
}
