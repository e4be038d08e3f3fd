// The newsletter message as a whole: its headers, its MIME structure as Python's email package
// reads it, the HTML and text bodies, the size limit on a 50-paper digest of real papers, and
// injection attempts through every value that comes from outside.
#include "core/email/envelope.hpp"
#include "core/email/newsletter.hpp"
#include "core/feed/feed_parser.hpp"
#include "tests/support/email_checks.hpp"
#include "tests/support/result_printing.hpp"
#include "tests/support/test_data.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <string>

namespace paperbot::email {
namespace {

using testing::crlf_lines;
using testing::python_mime_summary;
using testing::sample_digest;
using testing::TempDir;

const std::chrono::sys_seconds kSendTime{std::chrono::seconds(1722841200)};  // 2024-08-05 07:00

NewsletterOptions newsletter_options() {
  NewsletterOptions options;
  options.from_address = "digest@digest.example.org";
  options.from_name = "Café Digest";
  options.to_address = "reader@example.net";
  options.list_id = "ml.digest.example.org";
  options.list_name = "ML reading group";
  options.subject = "Paper digest — cs.LG — 2025-01-29";
  options.links.upvote = [](const std::string& id) {
    return "https://digest.example.org/up/" + id + "?t=signed-token";
  };
  options.links.unsubscribe = "https://digest.example.org/u/opaque-token-123";
  options.unsubscribe_mailto = "mailto:unsubscribe@digest.example.org?subject=unsubscribe";
  options.time = kSendTime;
  options.message_id_domain = "digest.example.org";
  return options;
}

std::string header_block(const std::string& bytes) {
  return bytes.substr(0, bytes.find("\r\n\r\n") + 2);
}

std::string json_text(const boost::json::value& value, std::string_view key) {
  return std::string(value.at(key).as_string());
}

// The first 50 papers of a real announcement, scored as a digest would score them.
Digest real_digest(const std::filesystem::path& feed_path) {
  auto feed = parse_feed(testing::read_file(feed_path), feed_path.string());
  REQUIRE_OK(feed);
  REQUIRE(feed->papers.size() >= 50);
  Digest digest;
  digest.date = Date{std::chrono::year(2025), std::chrono::January, std::chrono::day(29)};
  digest.scanned = static_cast<int>(feed->papers.size());
  for (std::size_t i = 0; i < 50; ++i) {
    DigestEntry entry;
    entry.paper = feed->papers[i];
    entry.score = Score{8, 6, "Matches criterion 2: interpretability of models", "offline"};
    entry.rank_score = 14;
    digest.entries.push_back(std::move(entry));
  }
  return digest;
}

TEST_CASE("the newsletter has every header the issue asks for", "[email][newsletter]") {
  auto message = build_newsletter(sample_digest(3), newsletter_options());
  REQUIRE_OK(message);
  const std::string headers = header_block(message->bytes);

  CHECK(headers.starts_with("Date: Mon, 05 Aug 2024 07:00:00 +0000\r\n"));
  CHECK(headers.find("\r\nMessage-ID: <" + message->message_id + ">\r\n") != std::string::npos);
  CHECK(message->message_id.ends_with("@digest.example.org"));
  CHECK(headers.find("\r\nFrom: =?UTF-8?Q?Caf=C3=A9_Digest?= <digest@digest.example.org>\r\n") !=
        std::string::npos);
  CHECK(headers.find("\r\nTo: reader@example.net\r\n") != std::string::npos);
  CHECK(headers.find("\r\nList-Id: ML reading group <ml.digest.example.org>\r\n") !=
        std::string::npos);
  CHECK(headers.find("\r\nList-Unsubscribe: <https://digest.example.org/u/opaque-token-123>,\r\n"
                     " <mailto:unsubscribe@digest.example.org?subject=unsubscribe>\r\n") !=
        std::string::npos);
  CHECK(headers.find("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n") !=
        std::string::npos);
  CHECK(headers.find("\r\nMIME-Version: 1.0\r\n") != std::string::npos);
  CHECK(headers.find("\r\nContent-Type: multipart/alternative;\r\n boundary=\"=_paperbot_") !=
        std::string::npos);
  for (const std::string& line : crlf_lines(headers)) CHECK(line.size() <= 78);

  // A given Message-ID is kept, so a resent delivery carries the same one.
  NewsletterOptions fixed = newsletter_options();
  fixed.message_id = "20250129.fixed@digest.example.org";
  auto again = build_newsletter(sample_digest(3), fixed);
  REQUIRE_OK(again);
  CHECK(again->bytes.find("Message-ID: <20250129.fixed@digest.example.org>") != std::string::npos);
  auto envelope = read_envelope(again->bytes);
  REQUIRE_OK(envelope);
  CHECK(envelope->to == "reader@example.net");
  CHECK(envelope->from == "digest@digest.example.org");
  CHECK(envelope->message_id == "20250129.fixed@digest.example.org");
}

TEST_CASE("Python's email package reads the newsletter as valid multipart/alternative MIME",
          "[email][newsletter][python]") {
  TempDir dir;
  auto message = build_newsletter(sample_digest(12), newsletter_options());
  REQUIRE_OK(message);
  const auto summary = python_mime_summary(message->bytes, dir.path());

  CHECK(summary.at("defects").as_array().empty());
  CHECK(json_text(summary, "content_type") == "multipart/alternative");
  CHECK(summary.at("max_line").as_int64() <= 78);
  CHECK(summary.at("bare_line_feeds").as_int64() == 0);
  const auto& headers = summary.at("headers");
  CHECK(json_text(headers, "Subject") == "Paper digest — cs.LG — 2025-01-29");
  CHECK(json_text(summary, "from_name") == "Café Digest");
  CHECK(json_text(summary, "from_address") == "digest@digest.example.org");
  CHECK(json_text(headers, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click");

  const auto& parts = summary.at("parts").as_array();
  REQUIRE(parts.size() == 2);
  CHECK(json_text(parts[0], "content_type") == "text/plain");
  CHECK(json_text(parts[1], "content_type") == "text/html");
  for (const auto& part : parts) {
    CHECK(json_text(part, "charset") == "utf-8");
    CHECK(json_text(part, "transfer_encoding") == "quoted-printable");
  }
  CHECK(json_text(parts[0], "content") == message->text);
  CHECK(json_text(parts[1], "content") == message->html);
  CHECK(parts[1].at("html_problems").as_array().empty());
}

TEST_CASE("the bodies carry the digest: titles, links, authors as letters, scores, comments",
          "[email][newsletter]") {
  auto message = build_newsletter(sample_digest(3), newsletter_options());
  REQUIRE_OK(message);
  const std::string& html = message->html;
  const std::string& text = message->text;

  CHECK(html.find("width=\"600\"") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<style") == std::string::npos);
  CHECK(html.find("2025-01-29 &middot; 3 relevant papers of 12 scanned; 2 could not be scored") !=
        std::string::npos);
  for (const std::string& body : {html, text}) {
    CHECK(body.find("https://arxiv.org/abs/2501.16000") != std::string::npos);
    CHECK(body.find("https://digest.example.org/up/2501.16002?t=signed-token") !=
          std::string::npos);
    CHECK(body.find("https://digest.example.org/u/opaque-token-123") != std::string::npos);
    CHECK(body.find("Gonçalo Paulo, Ana Muñoz, José García, Zoë Müller") != std::string::npos);
    CHECK(body.find("Relevance 9 · Novelty 7 · Score 16") != std::string::npos);
    CHECK(body.find("Author match · Score 20") != std::string::npos);
    CHECK(body.find("Matches criterion 1: SAEs") != std::string::npos);
    CHECK(body.find("👍") != std::string::npos);
  }
  // Everything from a paper is escaped in the HTML and left as it is in the text.
  CHECK(html.find("&lt;i&gt;Interpretable&lt;/i&gt; features &amp; the &quot;Gonçalo&quot;") !=
        std::string::npos);
  CHECK(text.find("<i>Interpretable</i> features & the \"Gonçalo\" bound") != std::string::npos);
}

TEST_CASE("papers just below the bar get their own labelled section", "[email][newsletter]") {
  Digest digest = sample_digest(2);
  DigestEntry close = digest.entries.front();
  close.paper.id = "2501.19999";
  close.paper.title = "A paper one point short";
  digest.below_bar.push_back(close);
  auto message = build_newsletter(digest, newsletter_options());
  REQUIRE_OK(message);
  for (const std::string& body : {message->html, message->text}) {
    const auto label = body.find("Just below the bar: 1 paper");
    REQUIRE(label != std::string::npos);
    // After every paper of the digest, and with its own 👍 link.
    CHECK(body.find("https://arxiv.org/abs/2501.16001") < label);
    CHECK(body.find("https://arxiv.org/abs/2501.19999", label) != std::string::npos);
    CHECK(body.find("https://digest.example.org/up/2501.19999?t=signed-token") !=
          std::string::npos);
  }
}

TEST_CASE("the text part wraps within 78 characters", "[email][newsletter]") {
  auto message = build_newsletter(sample_digest(5, 1500), newsletter_options());
  REQUIRE_OK(message);
  std::size_t at = 0;
  while (at < message->text.size()) {
    std::size_t end = std::min(message->text.find('\n', at), message->text.size());
    std::string line = message->text.substr(at, end - at);
    at = end + 1;
    // Characters, not bytes: count the UTF-8 lead bytes.
    std::size_t characters = std::count_if(line.begin(), line.end(), [](char c) {
      return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    });
    INFO(line);
    if (line.find("https://") == std::string::npos) CHECK(characters <= 78);
  }
}

TEST_CASE("a 50-paper digest of real papers stays under 100 KB of HTML",
          "[email][newsletter][size]") {
  PAPERBOT_SHARED_DATA_FILE(feed_path, "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  const Digest digest = real_digest(feed_path);
  auto message = build_newsletter(digest, newsletter_options());
  REQUIRE_OK(message);
  INFO("HTML bytes: " << message->html.size());
  CHECK(message->html.size() < 100'000);
  for (const DigestEntry& entry : digest.entries)
    CHECK(message->html.find("https://arxiv.org/abs/" + entry.paper.id + "\"") !=
          std::string::npos);
  TempDir dir;
  const auto summary = python_mime_summary(message->bytes, dir.path());
  CHECK(summary.at("defects").as_array().empty());
  CHECK(summary.at("parts").as_array().at(1).at("html_problems").as_array().empty());

  // Real abstracts average 1,350 bytes here, so the longest lose their last sentences; none is
  // cut below 1,000 bytes.
  for (std::size_t at = message->html.find("…</p>"); at != std::string::npos;
       at = message->html.find("…</p>", at + 1))
    CHECK(at - message->html.rfind("<p style", at) > 1'000);
}

TEST_CASE("abstracts are shortened, and nothing else, when the HTML would pass the limit",
          "[email][newsletter][size]") {
  const Digest digest = sample_digest(50, 1920, 60);
  auto message = build_newsletter(digest, newsletter_options());
  REQUIRE_OK(message);
  CHECK(message->html.size() <= 100'000);
  CHECK(message->html.size() > 90'000);  // the budget is used, not wasted
  CHECK(message->html.find("…</p>") != std::string::npos);
  for (const DigestEntry& entry : digest.entries) {
    CHECK(message->html.find("https://arxiv.org/abs/" + entry.paper.id) != std::string::npos);
    CHECK(message->html.find("https://digest.example.org/up/" + entry.paper.id) !=
          std::string::npos);
  }
  CHECK(message->html.find("and 40 more") != std::string::npos);
  // The text part keeps every abstract whole: its last words are there once the wrapping is undone.
  std::string unwrapped = message->text;
  for (std::size_t at = unwrapped.find("\n   "); at != std::string::npos;
       at = unwrapped.find("\n   ", at))
    unwrapped.replace(at, 4, " ");
  std::string abstract = digest.entries[0].paper.abstract;
  CHECK(unwrapped.find(abstract.substr(abstract.rfind(' ', 1880) + 1)) != std::string::npos);
}

TEST_CASE("CR and LF from a subject, a name or a paper never reach a header line",
          "[email][newsletter][injection]") {
  NewsletterOptions options = newsletter_options();
  options.subject = "Digest\r\nBcc: victim@example.org";
  options.from_name = "Bot\nBcc: victim@example.org";
  options.list_name = "List\r\nX-Injected: yes";
  Digest digest = sample_digest(2);
  digest.entries[0].paper.title =
      "Title\r\nBcc: victim@example.org\r\n\r\n<script>alert(1)</script>";

  auto message = build_newsletter(digest, options);
  REQUIRE_OK(message);
  const std::string headers = header_block(message->bytes);
  for (const std::string& line : crlf_lines(headers)) {
    CHECK_FALSE(line.starts_with("Bcc"));
    CHECK_FALSE(line.starts_with("X-Injected"));
  }
  CHECK(headers.find("Subject: Digest Bcc: victim@example.org\r\n") != std::string::npos);
  CHECK(message->html.find("<script>") == std::string::npos);
  CHECK(message->html.find("Title Bcc: victim@example.org &lt;script&gt;") != std::string::npos);

  TempDir dir;
  const auto summary = python_mime_summary(message->bytes, dir.path());
  CHECK(summary.at("defects").as_array().empty());
  CHECK_FALSE(summary.at("headers").as_object().contains("Bcc"));
  CHECK(json_text(summary, "from_name") == "Bot Bcc: victim@example.org");
}

TEST_CASE("bad addresses, ids and links are refused with the reason",
          "[email][newsletter][injection]") {
  const auto refused = [](const std::function<void(NewsletterOptions&)>& change,
                          std::string_view reason) {
    NewsletterOptions options = newsletter_options();
    change(options);
    auto message = build_newsletter(sample_digest(2), options);
    REQUIRE_FALSE(message);
    INFO(message.error().to_string());
    CHECK(message.error().to_string().find(reason) != std::string::npos);
  };
  refused([](auto& o) { o.to_address = "reader@example.net\r\nBcc: victim@example.org"; },
          "To address");
  refused([](auto& o) { o.from_address = "digest@localhost"; }, "From address");
  refused([](auto& o) { o.list_id = "ml digest"; }, "list id");
  refused([](auto& o) { o.links.unsubscribe = "http://digest.example.org/u/x"; },
          "must start with https://");
  refused([](auto& o) { o.links.unsubscribe = "https://digest.example.org/u/x>\r\nBcc: v@x.org"; },
          "unsubscribe link");
  refused([](auto& o) { o.unsubscribe_mailto = "unsubscribe@example.org"; }, "mailto:");
  refused([](auto& o) { o.message_id = "no-at-sign"; }, "Message-ID");
  refused([](auto& o) { o.message_id_domain = "bad domain"; }, "Message-ID domain");
  refused(
      [](auto& o) {
        o.links.upvote = [](const std::string&) { return std::string("javascript:alert(1)"); };
      },
      "👍 link");
}

TEST_CASE("an empty digest still makes a message that says so", "[email][newsletter]") {
  Digest digest;
  digest.date = Date{std::chrono::year(2025), std::chrono::January, std::chrono::day(31)};
  auto message = build_newsletter(digest, newsletter_options());
  REQUIRE_OK(message);
  CHECK(message->html.find("No relevant papers in this announcement.") != std::string::npos);
  CHECK(message->text.find("No relevant papers in this announcement.") != std::string::npos);
}

}  // namespace
}  // namespace paperbot::email
