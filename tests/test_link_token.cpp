// The newsletter's signed link tokens and the base64url and HMAC helpers they stand on.
#include "core/common/crypto.hpp"
#include "core/email/link_token.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace paperbot::email {
namespace {

using namespace std::chrono_literals;

const std::chrono::sys_seconds kNow{std::chrono::seconds(1738195200)};  // 2025-01-30 00:00 UTC
constexpr std::string_view kSecret = "link secret for tests";

LinkClaim upvote_claim() {
  return LinkClaim{LinkAction::kUpvote, "theory", "ada@example.org", "2501.16396", kNow + 24h};
}

std::string query_token(const std::string& link) {
  return link.substr(link.find("?t=") + 3);
}

TEST_CASE("base64url round-trips every length and refuses what no encoder writes",
          "[email][link]") {
  const std::string bytes = std::string("\x00\xff\xfe", 3) + "any bytes at all?>";
  for (std::size_t length = 0; length <= bytes.size(); ++length) {
    const std::string part = bytes.substr(0, length);
    const std::string encoded = base64url_encode(part);
    CHECK(encoded.find_first_of("+/=") == std::string::npos);
    CHECK(base64url_decode(encoded) == part);
  }
  CHECK(base64url_encode("\xfb\xff") == "-_8");  // the URL-safe letters, no padding
  CHECK(base64url_decode("-_8") == std::string("\xfb\xff"));
  CHECK_FALSE(base64url_decode("ab+c"));   // standard alphabet
  CHECK_FALSE(base64url_decode("YQ=="));   // padding
  CHECK_FALSE(base64url_decode("abcde"));  // no encoding has 5 characters
  CHECK_FALSE(base64url_decode("YR"));     // leftover bits that are not zero
}

TEST_CASE("HMAC-SHA256 matches RFC 4231 test case 2", "[email][link]") {
  const auto digest = hmac_sha256("Jefe", "what do ya want for nothing?");
  std::string hex;
  for (unsigned char byte : digest) {
    constexpr std::string_view kDigits = "0123456789abcdef";
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 15];
  }
  CHECK(hex == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(equal_in_constant_time("abc", "abc"));
  CHECK_FALSE(equal_in_constant_time("abc", "abd"));
  CHECK_FALSE(equal_in_constant_time("abc", "abcd"));
}

TEST_CASE("a signed token gives back its claim until it expires", "[email][link]") {
  const LinkClaim claim = upvote_claim();
  const std::string token = sign_link_token(claim, kSecret);
  CHECK(token.find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") ==
        std::string::npos);

  auto verified = verify_link_token(token, kSecret, kNow);
  REQUIRE(verified.has_value());
  CHECK(*verified == claim);

  auto expired = verify_link_token(token, kSecret, kNow + 24h);
  REQUIRE_FALSE(expired.has_value());
  CHECK(expired.error().message.find("expired on 2025-01-31") != std::string::npos);
}

TEST_CASE("a forged, altered or damaged token is refused", "[email][link]") {
  const std::string token = sign_link_token(upvote_claim(), kSecret);

  SECTION("another secret") {
    auto other =
        verify_link_token(sign_link_token(upvote_claim(), "another secret"), kSecret, kNow);
    REQUIRE_FALSE(other.has_value());
    CHECK(other.error().message.find("not made by this newsletter") != std::string::npos);
  }
  SECTION("the claim changed: another reader, same MAC") {
    LinkClaim changed = upvote_claim();
    changed.address = "eve@example.org";
    const std::string forged = sign_link_token(changed, kSecret).substr(0, token.find('.')) +
                               token.substr(token.find('.'));
    CHECK_FALSE(verify_link_token(forged, kSecret, kNow).has_value());
  }
  SECTION("a longer expiry, same MAC") {
    LinkClaim later = upvote_claim();
    later.expires += std::chrono::days(365);
    const std::string signed_later = sign_link_token(later, kSecret);
    const std::string forged =
        signed_later.substr(0, signed_later.find('.')) + token.substr(token.find('.'));
    CHECK_FALSE(verify_link_token(forged, kSecret, kNow).has_value());
  }
  SECTION("damaged") {
    CHECK_FALSE(verify_link_token("", kSecret, kNow).has_value());
    CHECK_FALSE(verify_link_token("no-dot-here", kSecret, kNow).has_value());
    CHECK_FALSE(verify_link_token(token + "!", kSecret, kNow).has_value());
    CHECK_FALSE(verify_link_token(token.substr(0, token.size() - 2), kSecret, kNow).has_value());
  }
  SECTION("an empty secret verifies nothing") {
    CHECK_FALSE(verify_link_token(sign_link_token(upvote_claim(), ""), "", kNow).has_value());
  }
}

TEST_CASE("a reader's links carry tokens for that reader, paper and action", "[email][link]") {
  NewsletterLinks links =
      reader_links("https://digest.example.org/", "theory", "ada@example.org", kSecret, kNow);

  REQUIRE(links.unsubscribe.starts_with("https://digest.example.org/email/unsubscribe?t="));
  auto unsubscribe = verify_link_token(query_token(links.unsubscribe), kSecret, kNow);
  REQUIRE(unsubscribe.has_value());
  CHECK(unsubscribe->action == LinkAction::kUnsubscribe);
  CHECK(unsubscribe->list == "theory");
  CHECK(unsubscribe->address == "ada@example.org");
  CHECK(unsubscribe->paper_id.empty());
  CHECK(unsubscribe->expires == kNow + kUnsubscribeLinkLifetime);

  REQUIRE(links.upvote);
  const std::string link = links.upvote("2501.16396");
  REQUIRE(link.starts_with("https://digest.example.org/email/upvote?t="));
  auto upvote = verify_link_token(query_token(link), kSecret, kNow);
  REQUIRE(upvote.has_value());
  CHECK(upvote->action == LinkAction::kUpvote);
  CHECK(upvote->paper_id == "2501.16396");
  CHECK(upvote->expires == kNow + kUpvoteLinkLifetime);
  CHECK(links.upvote("2501.00001") != link);
}

}  // namespace
}  // namespace paperbot::email
