#include "core/common/criteria.hpp"
#include "core/common/date.hpp"
#include "core/common/paper.hpp"
#include "core/common/text.hpp"

#include <catch2/catch.hpp>

using namespace paperbot;

TEST_CASE("TeX accents become letters", "[text]") {
  CHECK(tex_accents_to_utf8("Gon\\c{c}alo Paulo") == "Gonçalo Paulo");
  CHECK(tex_accents_to_utf8("J. Pablo Mu\\~noz") == "J. Pablo Muñoz");
  CHECK(tex_accents_to_utf8("Al\\'an Aspuru-Guzik") == "Alán Aspuru-Guzik");
  CHECK(tex_accents_to_utf8("Schr{\\\"o}dinger") == "Schrödinger");
  CHECK(tex_accents_to_utf8("Erd\\H{o}s") == "Erdős");
  CHECK(tex_accents_to_utf8("Ke\\v{c}ki\\'c") == "Kečkić");
  CHECK(tex_accents_to_utf8("Stra\\ss e") == "Straße");
  CHECK(tex_accents_to_utf8("{\\o}ystein and \\'{\\i}") == "øystein and í");
}

TEST_CASE("unknown TeX commands and math stay as written", "[text]") {
  CHECK(tex_accents_to_utf8("$x(t) \\in [0,1]$") == "$x(t) \\in [0,1]$");
  CHECK(tex_accents_to_utf8("a \\emph{b}") == "a \\emph{b}");
  CHECK(tex_accents_to_utf8("trailing \\") == "trailing \\");
  CHECK(tex_accents_to_utf8("\\c") == "\\c");
}

TEST_CASE("an accent on a letter without a precomposed form uses a combining mark", "[text]") {
  CHECK(tex_accents_to_utf8("\\'x") == "x\xCC\x81");
}

TEST_CASE("folded names compare across case, accents and TeX", "[text]") {
  CHECK(fold_name("Gon\\c{c}alo Paulo") == fold_name("Gonçalo Paulo"));
  CHECK(fold_name("GONÇALO  PAULO") == "goncalo paulo");
  CHECK(fold_name("J. Pablo Mu\\~noz") == "j pablo munoz");
  CHECK(fold_name("Jean-Pierre Straß") == "jean pierre strass");
  CHECK(fold_name("Yann LeCun") != fold_name("Yann Le Cun"));
}

TEST_CASE("whitespace collapses and lists split", "[text]") {
  CHECK(collapse_whitespace("  a\n\tb   c \r\n") == "a b c");
  CHECK(collapse_whitespace("") == "");
  CHECK(split_trimmed(" cs.LG, cs.AI ,,", ',') == std::vector<std::string>{"cs.LG", "cs.AI"});
  CHECK(ascii_lower("MoE Ü") == "moe Ü");
}

TEST_CASE("sha256 matches a known digest", "[text]") {
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("dates parse and format", "[date]") {
  auto date = parse_rfc822_date("Wed, 29 Jan 2025 00:00:00 -0500");
  REQUIRE(date);
  CHECK(format_iso_date(*date) == "2025-01-29");
  CHECK(format_us_date(*date) == "01/29/2025");
  CHECK(parse_iso_date("2025-01-29") == date);
  CHECK(parse_iso_timestamp_date("2025-01-29T18:59:59Z") == date);
  const auto evening = std::chrono::sys_days(*date) + std::chrono::hours(18) +
                       std::chrono::minutes(59) + std::chrono::seconds(59);
  CHECK(format_iso_timestamp(evening) == "2025-01-29T18:59:59Z");
  CHECK_FALSE(parse_iso_date("2025-02-30"));
  CHECK_FALSE(parse_iso_date("29.01.2025"));
  CHECK_FALSE(parse_rfc822_date("Wed, 29 Foo 2025 00:00:00 -0500"));
  CHECK(parse_rfc822_date("3 Jun 2025 00:00:00 -0400") == parse_iso_date("2025-06-03"));
}

TEST_CASE("announce types round trip", "[paper]") {
  for (auto type : {AnnounceType::kNew, AnnounceType::kCross, AnnounceType::kReplace,
                    AnnounceType::kReplaceCross}) {
    CHECK(parse_announce_type(to_string(type)) == type);
  }
  CHECK_FALSE(parse_announce_type("updated"));
}

TEST_CASE("criteria hash changes with any part", "[criteria]") {
  Criteria a{"base", "topics", "scores", "postfix"};
  Criteria b = a;
  CHECK(a.hash() == b.hash());
  b.postfix += " ";
  CHECK(a.hash() != b.hash());
  // Moving text across the boundary between two parts is a different criteria.
  Criteria c{"bas", "etopics", "scores", "postfix"};
  CHECK(a.hash() != c.hash());
}
