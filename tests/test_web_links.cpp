// The newsletter's link pages (bot/web_links.hpp) on a real SQLite store, called directly: what
// each method and token does, and that nothing changes for what should change nothing.
#include "bot/web_links.hpp"
#include "core/email/link_token.hpp"
#include "core/store/store.hpp"

#include "tests/support/result_printing.hpp"
#include "tests/support/test_data.hpp"

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <catch2/catch.hpp>

using namespace paperbot;
using paperbot::testing::TempDir;

namespace {

constexpr const char* kSecret = "web-links-secret";
const std::chrono::sys_seconds kNow{std::chrono::seconds(1738195200)};  // 2025-01-30 00:00 UTC

struct Links {
  TempDir dir;
  std::unique_ptr<Store> reader;  // a second connection, as the tests' eyes
  std::unique_ptr<WebLinks> links;

  Links() {
    auto store = Store::open(dir.path() / "paperbot.db");
    REQUIRE_OK(store);
    auto other = Store::open(dir.path() / "paperbot.db");
    REQUIRE_OK(other);
    reader = std::move(*other);
    auto logger =
        std::make_shared<spdlog::logger>("web", std::make_shared<spdlog::sinks::null_sink_mt>());
    links = std::make_unique<WebLinks>(
        std::move(*store), kSecret, [] { return kNow; }, logger);
  }

  slack::WebResponse call(const std::string& method, std::string_view path,
                          const std::string& query, const std::string& body = "") {
    return links->handle(slack::WebRequest{method, std::string(path), query,
                                           "application/x-www-form-urlencoded", body});
  }

  int upvotes() {
    auto counts = reader->audience_feedback("email:ml");
    REQUIRE_OK(counts);
    return counts->up;
  }

  bool subscribed(const std::string& address) {
    auto recipients = reader->recipients("email:ml", {address});
    REQUIRE_OK(recipients);
    return !recipients->empty();
  }
};

std::string token(email::LinkAction action, std::string paper = "2501.16396",
                  std::string_view secret = kSecret) {
  email::LinkClaim claim{action, "ml", "reader@example.org",
                         action == email::LinkAction::kUpvote ? std::move(paper) : "",
                         kNow + std::chrono::days(10)};
  return email::sign_link_token(claim, secret);
}

}  // namespace

TEST_CASE("a 👍 link records feedback once; HEAD and bad tokens record nothing", "[web]") {
  Links links;
  const std::string query = "t=" + token(email::LinkAction::kUpvote);

  CHECK(links.call("HEAD", email::kUpvotePath, query).status == 200);
  CHECK(links.upvotes() == 0);

  auto page = links.call("GET", email::kUpvotePath, query);
  CHECK(page.status == 200);
  CHECK_THAT(page.body, Catch::Contains("2501.16396"));
  CHECK(links.upvotes() == 1);
  CHECK(links.call("GET", email::kUpvotePath, query).status == 200);
  CHECK(links.upvotes() == 1);

  auto forged = links.call("GET", email::kUpvotePath,
                           "t=" + token(email::LinkAction::kUpvote, "2501.00001", "other"));
  CHECK(forged.status == 403);
  CHECK(links.call("GET", email::kUpvotePath, "t=not-a-token").status == 400);
  CHECK(links.call("GET", email::kUpvotePath, "").status == 400);
  // An unsubscribe token is no 👍, and the other way round.
  CHECK(
      links.call("GET", email::kUpvotePath, "t=" + token(email::LinkAction::kUnsubscribe)).status ==
      400);
  CHECK(links.call("POST", email::kUnsubscribePath, query).status == 400);
  CHECK(links.upvotes() == 1);
  CHECK(links.subscribed("reader@example.org"));
  CHECK(links.call("GET", "/email/other", query).status == 404);
}

TEST_CASE("unsubscribing: GET asks, POST (one-click or the form) does it", "[web]") {
  Links links;
  const std::string unsubscribe = token(email::LinkAction::kUnsubscribe);

  auto ask = links.call("GET", email::kUnsubscribePath, "t=" + unsubscribe);
  CHECK(ask.status == 200);
  CHECK_THAT(ask.body, Catch::Contains("<form method=\"post\""));
  CHECK_THAT(ask.body, Catch::Contains("reader@example.org"));
  CHECK(ask.body.find("<script") == std::string::npos);
  CHECK(links.call("HEAD", email::kUnsubscribePath, "t=" + unsubscribe).status == 200);
  CHECK(links.subscribed("reader@example.org"));

  SECTION("one click, twice") {
    for (int time = 0; time < 2; ++time) {
      auto done = links.call("POST", email::kUnsubscribePath, "t=" + unsubscribe,
                             "List-Unsubscribe=One-Click");
      CHECK(done.status == 200);
      CHECK_THAT(done.body, Catch::Contains("You are unsubscribed"));
    }
    CHECK_FALSE(links.subscribed("reader@example.org"));
  }
  SECTION("the token in a form body") {
    CHECK(links.call("POST", email::kUnsubscribePath, "", "t=" + unsubscribe).status == 200);
    CHECK_FALSE(links.subscribed("reader@example.org"));
  }
}
