// Slack's Web API side: Block Kit rendering of a digest (escaping, TeX accents, limits) and the
// SlackWebApi client against a fake Slack on loopback (posting, threads, metadata, 429, pacing,
// errors a person must fix).
#include "adapters/slack/block_kit.hpp"
#include "adapters/slack/slack_deliveries.hpp"
#include "adapters/slack/slack_sink.hpp"
#include "adapters/slack/web_api.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/result_printing.hpp"
#include "tests/support/test_data.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

namespace json = boost::json;
using paperbot::testing::FakeSlack;
using std::chrono::milliseconds;

namespace paperbot {
namespace {

DigestEntry make_entry(std::string id, std::string title, int relevance = 8, int novelty = 7) {
  DigestEntry entry;
  entry.paper.id = std::move(id);
  entry.paper.title = std::move(title);
  entry.paper.authors = {"Ada Lovelace", "Alan Turing"};
  entry.paper.abstract = "We study things.";
  entry.paper.categories = {"cs.LG"};
  entry.score = Score{relevance, novelty, "Matches criterion 1.", "offline"};
  entry.rank_score = relevance + novelty;
  return entry;
}

Digest make_digest(int papers) {
  Digest digest;
  digest.date = std::chrono::year{2025} / 1 / 29;
  digest.scanned = papers * 3;
  digest.unscored = 2;
  digest.scorer = "offline";
  digest.notes = {"budget reached: the rest ranked offline"};
  for (int i = 0; i < papers; ++i) {
    std::string title =
        "A fairly long title about topographic representations in deep networks, "
        "number " +
        std::to_string(i);
    digest.entries.push_back(make_entry("2501." + std::to_string(10000 + i), title));
  }
  return digest;
}

// Every "text" string of a block: a section's, a header's, and a context's elements.
std::vector<std::pair<std::string, std::string>> block_texts(const std::string& blocks_json) {
  std::vector<std::pair<std::string, std::string>> texts;  // (block type, text)
  const json::value parsed = json::parse(blocks_json);
  for (const json::value& block : parsed.as_array()) {
    const json::object& object = block.as_object();
    std::string type(object.at("type").as_string());
    if (object.contains("text")) {
      texts.emplace_back(type, std::string(object.at("text").at("text").as_string()));
    }
    if (object.contains("elements")) {
      for (const json::value& element : object.at("elements").as_array()) {
        texts.emplace_back(type, std::string(element.at("text").as_string()));
      }
    }
  }
  return texts;
}

std::string all_text(const SlackMessage& message) {
  std::string out;
  for (const auto& [type, text] : block_texts(message.blocks_json)) out += text + "\n";
  return out;
}

std::size_t characters(const std::string& text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

bool valid_utf8(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = lead < 0x80    ? 1
                         : lead >= 0xF0 ? 4
                         : lead >= 0xE0 ? 3
                         : lead >= 0xC0 ? 2
                                        : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

void check_limits(const SlackMessage& message) {
  auto blocks = json::parse(message.blocks_json).as_array();
  CHECK(blocks.size() <= 50);
  std::size_t total = 0;
  for (const auto& [type, text] : block_texts(message.blocks_json)) {
    if (type == "section") CHECK(text.size() <= 3000);
    if (type == "header") CHECK(characters(text) <= 150);
    CHECK(valid_utf8(text));
    total += text.size();
  }
  CHECK(total <= 12'000);
}

// A client whose sleeps are recorded and advance a fake clock, so pacing is exact and instant.
struct ApiFixture {
  FakeSlack slack;
  std::vector<milliseconds> waits;
  std::chrono::steady_clock::time_point now{std::chrono::hours(1)};
  SlackWebApi api{options(), "xoxb-test-token", sleeper(), ticker()};

  SlackWebApiOptions options() {
    SlackWebApiOptions options;
    options.base_url = slack.base_url();
    options.timeout = milliseconds(5'000);
    options.initial_backoff = milliseconds(10);
    return options;
  }
  SlackWebApi::Sleep sleeper() {
    return [this](milliseconds wait) {
      waits.push_back(wait);
      now += wait;
    };
  }
  SlackWebApi::Clock ticker() {
    return [this] { return now; };
  }
  SlackMessage hello() const { return SlackMessage{"hello", ""}; }
};

}  // namespace

TEST_CASE("a digest becomes a header and one delivery per paper, threaded or not",
          "[slack][blocks][outbox]") {
  Digest digest = make_digest(3);
  digest.entries[2].author_match = true;
  digest.entries[2].rank_score = 20;

  auto deliveries = slack_digest_deliveries("slack:C1", digest, SlackDigestOptions{2, true, ""});
  REQUIRE(deliveries.size() == 1 + 3);
  const Delivery& header = deliveries[0];
  CHECK(header.kind == "header");
  CHECK(header.part == 0);
  CHECK_FALSE(header.paper_id.has_value());
  CHECK_FALSE(header.thread_key.has_value());
  auto header_message = parse_slack_payload(header.payload);
  REQUIRE(header_message.has_value());
  CHECK_THAT(header_message->blocks_json, Catch::Contains("number 1"));
  CHECK(header_message->blocks_json.find("number 2") == std::string::npos);  // two titles only

  for (std::size_t i = 1; i < deliveries.size(); ++i) {
    const Delivery& paper = deliveries[i];
    CHECK(paper.audience == "slack:C1");
    CHECK(paper.date == digest.date);
    CHECK(paper.kind == "paper");
    CHECK(paper.paper_id == digest.entries[i - 1].paper.id);
    CHECK(paper.thread_key == std::optional<std::string>("header"));
    CHECK(paper.rank_score == digest.entries[i - 1].rank_score);
  }
  // The scores the reader saw are kept, except for an author match, which has none.
  CHECK(deliveries[1].relevance == 8);
  CHECK(deliveries[1].novelty == 7);
  CHECK_FALSE(deliveries[3].relevance.has_value());

  auto unthreaded = slack_digest_deliveries("slack:C1", digest, SlackDigestOptions{0, false, ""});
  for (std::size_t i = 1; i < unthreaded.size(); ++i) {
    CHECK_FALSE(unthreaded[i].thread_key.has_value());
  }

  Delivery alert = slack_alert_delivery("slack:C9", digest.date, "alert:feed", "a <b> & c");
  CHECK(alert.kind == "alert:feed");
  auto alert_message = parse_slack_payload(alert.payload);
  REQUIRE(alert_message.has_value());
  CHECK(alert_message->text == "a &lt;b&gt; &amp; c");
}

TEST_CASE("papers just below the bar go in a labelled thread of their own", "[slack][blocks]") {
  Digest digest;
  digest.date = std::chrono::year{2025} / 1 / 29;
  digest.entries.push_back(make_entry("2501.00001", "Posted"));
  digest.below_bar.push_back(make_entry("2501.00002", "Close"));
  digest.below_bar.push_back(make_entry("2501.00003", "Closer"));
  SlackDigestOptions options;
  options.cutoffs = "relevance 7, novelty 6";

  auto deliveries = slack_digest_deliveries("slack:C1", digest, options);
  REQUIRE(deliveries.size() == 2 + 1 + 2);
  const Delivery& label = deliveries[2];
  CHECK(label.kind == "below_bar");
  CHECK_FALSE(label.paper_id.has_value());
  CHECK_FALSE(label.thread_key.has_value());
  auto label_message = parse_slack_payload(label.payload);
  REQUIRE(label_message.has_value());
  CHECK_THAT(label_message->text, Catch::StartsWith("Just below the bar: 2 papers") &&
                                      Catch::Contains("(relevance 7, novelty 6)") &&
                                      Catch::Contains("not part of the digest"));
  for (std::size_t i = 3; i < deliveries.size(); ++i) {
    CHECK(deliveries[i].kind == "below_paper");
    CHECK(deliveries[i].thread_key == std::optional<std::string>("below_bar"));
    CHECK(deliveries[i].paper_id == digest.below_bar[i - 3].paper.id);
    CHECK(deliveries[i].relevance == digest.below_bar[i - 3].score.relevance);
  }
  // Not threaded in the channel: the papers below the bar keep their own thread all the same.
  options.threaded = false;
  CHECK(slack_digest_deliveries("slack:C1", digest, options).back().thread_key ==
        std::optional<std::string>("below_bar"));
}

TEST_CASE("paper text is escaped for mrkdwn, exactly & < >", "[slack][blocks]") {
  DigestEntry entry = make_entry("2501.00001", "<script> & >alert('x') \"quoted\" a|b");
  entry.paper.authors = {"Eve <eve@example.org>"};
  entry.paper.abstract = "If a < b & b > c then 'a' < c.";
  entry.score.comment = "Matches <criterion> 2 & 3.";

  SlackMessage message = render_slack_paper(entry, 1);
  std::string text = all_text(message);
  CHECK(text.find("&lt;script&gt; &amp; &gt;alert('x') \"quoted\" a∣b") != std::string::npos);
  CHECK(text.find("<script>") == std::string::npos);
  CHECK(text.find("Eve &lt;eve@example.org&gt;") != std::string::npos);
  CHECK(text.find("If a &lt; b &amp; b &gt; c then 'a' &lt; c.") != std::string::npos);
  CHECK(text.find("Matches &lt;criterion&gt; 2 &amp; 3.") != std::string::npos);
  CHECK(text.find("&#39;") == std::string::npos);
  CHECK(text.find("&quot;") == std::string::npos);
  CHECK(text.find("<https://arxiv.org/abs/2501.00001|") != std::string::npos);
  CHECK(message.text.find("&lt;script&gt; &amp; &gt;") != std::string::npos);
}

TEST_CASE("a link label has no raw | or >", "[slack][blocks]") {
  CHECK(mrkdwn_link("https://arxiv.org/abs/1", "a|b > c & d") ==
        "<https://arxiv.org/abs/1|a∣b &gt; c &amp; d>");
}

TEST_CASE("TeX accents are shown as letters", "[slack][blocks]") {
  DigestEntry entry = make_entry("2501.00002", "Mu\\~noz's {\\\"o}ptimal method");
  entry.paper.authors = {"Gon\\c{c}alo Paulo", "Al\\'an Smith"};
  std::string text = all_text(render_slack_paper(entry, 3));
  CHECK(text.find("Muñoz's öptimal method") != std::string::npos);
  CHECK(text.find("Gonçalo Paulo, Alán Smith") != std::string::npos);
  CHECK(text.find('\\') == std::string::npos);
}

TEST_CASE("long text is cut at UTF-8 boundaries, never inside an escape", "[slack][blocks]") {
  std::string cut = escape_mrkdwn_within("ééééé&&&&", 12);
  CHECK(cut.size() <= 12);
  CHECK(valid_utf8(cut));
  CHECK(cut == "éééé…");
  CHECK(escape_mrkdwn_within("a & b", 100) == "a &amp; b");
  std::string amps = escape_mrkdwn_within("x&&&&&&&", 12);
  CHECK(amps == "x&amp;…");
  CHECK(cut_utf8("ééé", 5) == "é…");
  CHECK(cut_utf8("ééé", 4) == "…");
  CHECK(cut_utf8("abc", 3) == "abc");
}

TEST_CASE("a long abstract and a thousand authors fit in one message", "[slack][blocks]") {
  DigestEntry entry = make_entry("2501.00003", "Big collaboration");
  entry.paper.abstract.clear();
  for (int i = 0; i < 800; ++i) entry.paper.abstract += "Résumé & <data> ";
  for (int i = 0; i < 1000; ++i) entry.paper.authors.push_back("Author " + std::to_string(i));

  SlackMessage message = render_slack_paper(entry, 1);
  check_limits(message);
  std::string text = all_text(message);
  CHECK(text.find(" more") != std::string::npos);
  CHECK(text.find("…") != std::string::npos);
}

TEST_CASE("a 300-paper digest header splits into messages within the limits", "[slack][blocks]") {
  Digest digest = make_digest(300);
  std::vector<SlackMessage> messages = render_slack_header(digest);
  REQUIRE(messages.size() > 1);

  std::size_t links = 0;
  for (const SlackMessage& message : messages) {
    check_limits(message);
    std::string text = all_text(message);
    for (auto at = text.find("<https://arxiv.org/abs/"); at != std::string::npos;
         at = text.find("<https://arxiv.org/abs/", at + 1)) {
      ++links;
    }
  }
  CHECK(links == 300);

  std::string first = all_text(messages.front());
  CHECK(first.find("arXiv digest for 2025-01-29") != std::string::npos);
  CHECK(first.find("*300* relevant papers of *900* scanned") != std::string::npos);
  CHECK(first.find("*2* unscored") != std::string::npos);
  CHECK(first.find("offline") != std::string::npos);
  CHECK(first.find("budget reached") != std::string::npos);
  CHECK(messages.back().text.find("part " + std::to_string(messages.size()) + " of") !=
        std::string::npos);

  for (std::size_t i = 0; i < digest.entries.size(); ++i) {
    check_limits(render_slack_paper(digest.entries[i], i + 1));
  }
}

TEST_CASE("an empty day still has a header", "[slack][blocks]") {
  Digest digest = make_digest(0);
  digest.unscored = 0;
  std::vector<SlackMessage> messages = render_slack_header(digest);
  REQUIRE(messages.size() == 1);
  std::string text = all_text(messages.front());
  CHECK(text.find("No paper passed") != std::string::npos);
  CHECK(text.find("unscored") == std::string::npos);
}

TEST_CASE_METHOD(ApiFixture, "a post returns its ts and carries metadata", "[slack][web]") {
  SlackMetadata metadata{"paperbot_paper", {{"paper_id", "2501.16396"}, {"date", "2025-01-29"}}};
  auto posted = api.post_message("C0PAPERS", hello(), std::nullopt, metadata);
  REQUIRE(posted);
  CHECK(posted->channel == "C0PAPERS");
  CHECK_FALSE(posted->ts.empty());

  auto recorded = slack.messages("C0PAPERS");
  REQUIRE(recorded.size() == 1);
  CHECK(recorded[0].ts == posted->ts);
  CHECK(recorded[0].text == "hello");
  CHECK_FALSE(recorded[0].unfurl_links);
  json::value sent = json::parse(recorded[0].metadata_json);
  CHECK(sent.at("event_type") == "paperbot_paper");
  CHECK(sent.at("event_payload").at("paper_id") == "2501.16396");

  auto request = slack.http_requests().at(0);
  CHECK(request.headers.at("content-type") == "application/json; charset=utf-8");
  CHECK(request.headers.at("authorization") == "Bearer xoxb-test-token");
  CHECK(waits.empty());
}

TEST_CASE_METHOD(ApiFixture, "a thread reply carries thread_ts", "[slack][web]") {
  auto parent = api.post_message("C0PAPERS", hello());
  REQUIRE(parent);
  auto reply = api.post_message("C0PAPERS", SlackMessage{"paper", ""}, parent->ts);
  REQUIRE(reply);
  CHECK(reply->ts > parent->ts);
  auto recorded = slack.messages("C0PAPERS");
  REQUIRE(recorded.size() == 2);
  CHECK(recorded[0].thread_ts.empty());
  CHECK(recorded[1].thread_ts == parent->ts);
}

TEST_CASE_METHOD(ApiFixture, "a 429 waits exactly Retry-After, then succeeds", "[slack][web]") {
  slack.fail_call(1, FakeSlack::rate_limited(2));
  auto posted = api.post_message("C0PAPERS", hello());
  REQUIRE(posted);
  CHECK(waits == std::vector<milliseconds>{milliseconds(2'000)});
  CHECK(slack.calls() == 2);
  CHECK(slack.messages().size() == 1);
}

TEST_CASE_METHOD(ApiFixture, "posts are paced per channel, not across channels", "[slack][web]") {
  REQUIRE(api.post_message("C0PAPERS", hello()));
  REQUIRE(api.post_message("C0OTHER", hello()));
  CHECK(waits.empty());
  REQUIRE(api.post_message("C0PAPERS", hello()));
  CHECK(waits == std::vector<milliseconds>{milliseconds(1'000)});

  // Time that has passed counts toward the second.
  now += milliseconds(400);
  REQUIRE(api.post_message("C0PAPERS", hello()));
  CHECK(waits.back() == milliseconds(600));
  REQUIRE(api.post_message("C0OTHER", hello()));
  CHECK(waits.size() == 2);
}

TEST_CASE_METHOD(ApiFixture, "not_in_channel needs a person and says how to fix it",
                 "[slack][web]") {
  slack.fail_channel("C0PAPERS", "not_in_channel");
  auto posted = api.post_message("C0PAPERS", hello());
  REQUIRE_FALSE(posted);
  CHECK(posted.error().code == "not_in_channel");
  CHECK(posted.error().needs_person);
  CHECK_FALSE(posted.error().retryable);
  CHECK(posted.error().fix == "invite the bot to channel C0PAPERS with /invite @paperbot");
  CHECK(posted.error().error.to_string().find("/invite @paperbot") != std::string::npos);
}

TEST_CASE_METHOD(ApiFixture, "an unknown channel needs a person", "[slack][web]") {
  auto posted = api.post_message("C0NOWHERE", hello());
  REQUIRE_FALSE(posted);
  CHECK(posted.error().code == "channel_not_found");
  CHECK(posted.error().needs_person);
}

TEST_CASE_METHOD(ApiFixture, "ok:false with HTTP 200 is an error", "[slack][web]") {
  slack.fail_call(1, FakeSlack::error_body("internal_error"));
  auto posted = api.post_message("C0PAPERS", hello());
  REQUIRE_FALSE(posted);
  CHECK(posted.error().code == "internal_error");
  CHECK(posted.error().retryable);
  CHECK_FALSE(posted.error().needs_person);
  CHECK(slack.messages().empty());
}

TEST_CASE("a wrong token is invalid_auth, to be fixed by a person", "[slack][web]") {
  FakeSlack slack;
  SlackWebApiOptions options;
  options.base_url = slack.base_url();
  SlackWebApi api(options, "xoxb-wrong-secret", [](milliseconds) {});

  auto posted = api.post_message("C0PAPERS", SlackMessage{"hello", ""});
  REQUIRE_FALSE(posted);
  CHECK(posted.error().code == "invalid_auth");
  CHECK(posted.error().needs_person);
  CHECK(posted.error().fix.find("SLACK_BOT_TOKEN") != std::string::npos);
  CHECK(posted.error().error.to_string().find("xoxb-wrong-secret") == std::string::npos);
  CHECK_FALSE(api.auth_test());
}

TEST_CASE_METHOD(ApiFixture, "blocks Slack refuses are permanent for that message",
                 "[slack][web]") {
  json::array blocks;
  for (int i = 0; i < 51; ++i) {
    blocks.push_back({{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", "x"}}}});
  }
  auto posted = api.post_message("C0PAPERS", SlackMessage{"many", json::serialize(blocks)});
  REQUIRE_FALSE(posted);
  CHECK(posted.error().code == "invalid_blocks");
  CHECK_FALSE(posted.error().retryable);
  CHECK_FALSE(posted.error().needs_person);
  CHECK(posted.error().error.message.find("50 items") != std::string::npos);
}

TEST_CASE_METHOD(ApiFixture, "a 500 is retried after a backoff", "[slack][web]") {
  slack.fail_call(1, FakeSlack::server_error());
  REQUIRE(api.post_message("C0PAPERS", hello()));
  CHECK(waits.size() == 1);

  for (int call = 3; call <= 6; ++call) slack.fail_call(call, FakeSlack::server_error(503));
  auto posted = api.post_message("C0OTHER", hello());
  REQUIRE_FALSE(posted);
  CHECK(posted.error().retryable);
  CHECK_FALSE(posted.error().needs_person);
}

TEST_CASE_METHOD(ApiFixture, "auth.test names the bot user", "[slack][web]") {
  auto user = api.auth_test();
  REQUIRE(user);
  CHECK(*user == FakeSlack::kBotUserId);
}

TEST_CASE_METHOD(ApiFixture, "history shows the posts and their metadata", "[slack][web]") {
  auto header = api.post_message("C0PAPERS", hello(), std::nullopt,
                                 SlackMetadata{"paperbot_day", {{"date", "2025-01-29"}}});
  REQUIRE(header);
  for (const char* id : {"2501.00001", "2501.00002"}) {
    REQUIRE(api.post_message("C0PAPERS", SlackMessage{id, ""}, header->ts,
                             SlackMetadata{"paperbot_paper", {{"paper_id", id}}}));
  }
  auto later = api.post_message("C0PAPERS", SlackMessage{"later", ""});
  REQUIRE(later);

  auto history = api.conversations_history("C0PAPERS", "", 10);
  REQUIRE(history);
  REQUIRE(history->messages.size() == 2);       // replies live in their thread
  CHECK(history->messages[0].ts == later->ts);  // newest first
  REQUIRE(history->messages[1].metadata);
  CHECK(history->messages[1].metadata->event_type == "paperbot_day");
  CHECK(history->messages[1].metadata->payload.at("date") == "2025-01-29");

  auto newer = api.conversations_history("C0PAPERS", header->ts, 10);
  REQUIRE(newer);
  CHECK(newer->messages.size() == 1);

  auto thread = api.conversations_replies("C0PAPERS", header->ts);
  REQUIRE(thread);
  REQUIRE(thread->messages.size() == 3);
  REQUIRE(thread->messages[2].metadata);
  CHECK(thread->messages[2].metadata->payload.at("paper_id") == "2501.00002");
  CHECK(thread->messages[2].thread_ts == header->ts);
}

TEST_CASE_METHOD(ApiFixture, "the real 2025-01-29 digest posts as a header and a thread",
                 "[slack][web][data]") {
  PAPERBOT_SHARED_DATA_FILE(path, "gpa/2025-01-29/2025-01-29-output.json");
  Digest digest = make_digest(0);
  const json::value papers = json::parse(testing::read_file(path));
  for (const auto& [id, value] : papers.as_object()) {
    const json::object& paper = value.as_object();
    DigestEntry entry = make_entry(std::string(id), std::string(paper.at("title").as_string()),
                                   static_cast<int>(paper.at("RELEVANCE").to_number<double>()),
                                   static_cast<int>(paper.at("NOVELTY").to_number<double>()));
    entry.paper.abstract = std::string(paper.at("abstract").as_string());
    entry.score.comment = std::string(paper.at("COMMENT").as_string());
    entry.paper.authors.clear();
    for (const auto& author : paper.at("authors").as_array()) {
      entry.paper.authors.emplace_back(author.as_string());
    }
    digest.entries.push_back(std::move(entry));
  }
  REQUIRE(digest.entries.size() == 10);

  auto headers = render_slack_header(digest);
  REQUIRE(headers.size() == 1);
  auto parent = api.post_message("C0PAPERS", headers[0]);
  REQUIRE(parent);
  for (std::size_t i = 0; i < digest.entries.size(); ++i) {
    REQUIRE(api.post_message("C0PAPERS", render_slack_paper(digest.entries[i], i + 1), parent->ts));
  }
  CHECK(slack.messages("C0PAPERS").size() == 11);
  CHECK(all_text(headers[0]).find("<https://arxiv.org/abs/2501.16396|TopoNets") !=
        std::string::npos);
  CHECK(waits.size() == 10);  // one second between posts in one channel
}

}  // namespace paperbot
