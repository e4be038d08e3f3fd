// The newsletter's HTML as a browser shows it: the real 2025-01-29 digest rendered by headless
// Chromium, its screenshot kept as a build artifact for a person to look at, and its DOM read
// back to check that the heading, the count and every paper's link survived the parser.
#include "core/config/config.hpp"
#include "core/digest/digest_run.hpp"
#include "core/email/newsletter.hpp"
#include "core/store/store.hpp"
#include "tests/support/chromium.hpp"
#include "tests/support/result_printing.hpp"
#include "tests/support/test_data.hpp"

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <string>

namespace paperbot {
namespace {

using testing::chromium_available;
using testing::is_png;
using testing::read_file;
using testing::run_chromium;
using testing::TempDir;

const std::string kListName = "ML reading group";

// The digest the files audience got on 2025-01-29: the real config, feed and offline scorer.
Digest real_digest(const std::filesystem::path& config_dir, const std::filesystem::path& feed_path,
                   const std::filesystem::path& work_dir) {
  auto config = load_config(config_dir);
  REQUIRE_OK(config);
  auto store = Store::open(work_dir / "paperbot.db");
  REQUIRE_OK(store);
  auto logger =
      std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
  DigestRun run(*config, **store, nullptr, logger);
  DigestOptions options;
  options.write_files = false;
  auto report = run.run(FetchedFeed{feed_path.string(), read_file(feed_path), false, {}}, options);
  REQUIRE(report);
  REQUIRE(report->outcome == RunOutcome::kPublished);
  return report->digest;
}

email::NewsletterOptions newsletter_options() {
  email::NewsletterOptions options;
  options.from_address = "digest@digest.example.org";
  options.to_address = "reader@example.net";
  options.list_id = "ml.digest.example.org";
  options.list_name = kListName;
  options.subject = kListName + ": arXiv digest for 2025-01-29";
  options.links.upvote = [](const std::string& id) {
    return "https://digest.example.org/up/" + id + "?t=signed-token";
  };
  options.links.unsubscribe = "https://digest.example.org/u/opaque-token";
  options.time = std::chrono::sys_seconds{std::chrono::seconds(1738134000)};
  options.message_id_domain = "digest.example.org";
  return options;
}

}  // namespace

TEST_CASE("Chromium renders the real day's newsletter with its heading, count and links",
          "[email][render][real]") {
  PAPERBOT_SHARED_DATA_FILE(config_dir, "gpa/config-2025-01-29");
  PAPERBOT_SHARED_DATA_FILE(feed_path, "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  if (!chromium_available()) return;
  TempDir dir;
  const Digest digest = real_digest(config_dir, feed_path, dir.path());
  REQUIRE_FALSE(digest.entries.empty());
  auto message = email::build_newsletter(digest, newsletter_options());
  REQUIRE_OK(message);
  const auto page = dir.path() / "newsletter.html";
  std::ofstream(page, std::ios::binary) << message->html;

  // The screenshot stays in the build tree after the test, for a person to look at.
  const std::filesystem::path screenshot = PAPERBOT_RENDER_ARTIFACT;
  std::filesystem::create_directories(screenshot.parent_path());
  std::filesystem::remove(screenshot);
  run_chromium(page, {"--window-size=700,2000", "--screenshot=" + screenshot.string()}, dir.path());
  INFO("screenshot: " << screenshot.string());
  CHECK(is_png(screenshot));

  // The DOM after parsing: text as the reader sees it (entities decoded), links as clicked.
  const std::string dom = run_chromium(page, {"--dump-dom"}, dir.path());
  REQUIRE_FALSE(dom.empty());
  CHECK(dom.find("<title>" + kListName + " 2025-01-29</title>") != std::string::npos);
  CHECK(dom.find("<b>" + kListName + "</b>") != std::string::npos);
  CHECK(dom.find(email::newsletter_counts(digest)) != std::string::npos);
  CHECK(dom.find(std::to_string(digest.entries.size()) + " relevant papers") != std::string::npos);
  for (const DigestEntry& entry : digest.entries) {
    INFO(entry.paper.id);
    CHECK(dom.find("href=\"https://arxiv.org/abs/" + entry.paper.id + "\"") != std::string::npos);
  }
}

}  // namespace paperbot
