// The MIME building blocks of the newsletter: quoted-printable and RFC 2047 against the shared
// vectors and a decoder written in the tests, header folding, addresses, and header injection.
// The whole message is in test_email_newsletter.cpp.
#include "core/email/address.hpp"
#include "core/email/envelope.hpp"
#include "core/email/mime.hpp"
#include "tests/support/email_checks.hpp"
#include "tests/support/result_printing.hpp"
#include "tests/support/test_data.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace paperbot::email {
namespace {

using testing::crlf_lines;
using testing::decode_header_value;
using testing::decode_quoted_printable;

std::string text_of(const boost::json::value& value) {
  return std::string(value.as_string());
}

std::string with_crlf(std::string_view text) {
  std::string out;
  for (char c : text) out += c == '\n' ? std::string("\r\n") : std::string(1, c);
  return out;
}

void check_quoted_printable_lines(const std::string& encoded) {
  for (const std::string& line : crlf_lines(encoded)) {
    INFO(line);
    CHECK(line.size() <= kQuotedPrintableLimit);
    CHECK_FALSE(line.ends_with(" "));
    CHECK(line.find('\n') == std::string::npos);
  }
  CHECK(testing::every_line_decodes_to_utf8(encoded));
}

TEST_CASE("quoted-printable matches the shared vectors", "[email][mime]") {
  PAPERBOT_SHARED_DATA_FILE(vectors_path, "email/email_test_vectors.json");
  const auto vectors = boost::json::parse(testing::read_file(vectors_path));
  const auto& cases = vectors.at("quoted_printable_body").as_array();
  REQUIRE(cases.size() >= 4);
  for (const auto& vector : cases) {
    std::string input = text_of(vector.at("input"));
    INFO(input);
    CHECK(encode_quoted_printable(input) == text_of(vector.at("encoded")));
  }
}

TEST_CASE("quoted-printable round-trips long UTF-8 lines without cutting a character",
          "[email][mime]") {
  const std::vector<std::string> texts = {
      std::string(200, 'a') + "\n",
      [] {
        std::string s;
        for (int i = 0; i < 60; ++i) s += "é日👍=";
        return s + "\n";
      }(),
      "trailing space \nand tab\t\n.\nFrom here on\n" + std::string(75, 'x') + "=\n",
      "no final line break " + std::string(100, 'z'),
      "bare\rcarriage return and CRLF\r\nmixed\n",
  };
  for (const std::string& text : texts) {
    INFO(text);
    std::string encoded = encode_quoted_printable(text);
    check_quoted_printable_lines(encoded);

    // The decoder gives LF line ends; CRLF in the input is the same line break.
    std::string expected = text;
    for (std::size_t at = expected.find("\r\n"); at != std::string::npos;
         at = expected.find("\r\n", at))
      expected.erase(at, 1);
    CHECK(decode_quoted_printable(encoded) == expected);
  }
}

TEST_CASE("encoded words match the shared vectors and stay within 75 characters", "[email][mime]") {
  PAPERBOT_SHARED_DATA_FILE(vectors_path, "email/email_test_vectors.json");
  const auto vectors = boost::json::parse(testing::read_file(vectors_path));
  for (const auto& vector : vectors.at("rfc2047").as_array()) {
    const auto& fields = vector.as_object();
    std::string decoded = text_of(fields.at("decoded"));
    INFO(decoded);

    std::vector<std::string> b_words = encode_words(decoded, WordEncoding::kBase64);
    if (fields.contains("B_word_length") && fields.at("B_word_length").as_int64() <= 75) {
      REQUIRE(b_words.size() == 1);
      CHECK(b_words[0] == text_of(fields.at("single_B_encoded_word")));
    }
    if (fields.contains("python_Q_encoded")) {
      std::vector<std::string> q_words = encode_words(decoded, WordEncoding::kQuotedPrintable);
      REQUIRE(q_words.size() == 1);
      // Python writes "utf-8?q"; the charset and the letter are case-insensitive.
      std::string expected = text_of(fields.at("python_Q_encoded"));
      CHECK(q_words[0].substr(10) == expected.substr(10));
      CHECK(q_words[0].starts_with("=?UTF-8?Q?"));
    }

    // Every encoding, and the 80-character negative vector, splits within the limit.
    for (auto encoding :
         {WordEncoding::kBase64, WordEncoding::kQuotedPrintable, WordEncoding::kShorter}) {
      std::vector<std::string> words = encode_words(decoded, encoding);
      std::string joined;
      for (const std::string& word : words) {
        CHECK(word.size() <= kEncodedWordLimit);
        joined += (joined.empty() ? "" : " ") + word;
      }
      CHECK(decode_header_value(joined) == decoded);
    }
  }
}

TEST_CASE("a long non-ASCII subject is split into several words at character boundaries",
          "[email][mime]") {
  std::string subject;
  for (int i = 0; i < 12; ++i) subject += "日本語のダイジェスト 👍 café ";
  subject = header_safe_text(subject);
  std::string line = unstructured_header("Subject", subject);
  REQUIRE(line.ends_with("\r\n"));
  auto lines = crlf_lines(line.substr(0, line.size() - 2));
  CHECK(lines.size() > 5);
  for (const std::string& physical : lines) CHECK(physical.size() <= kFoldedLineLimit);
  CHECK(decode_header_value(line.substr(9, line.size() - 11)) == subject);
}

TEST_CASE("an ASCII subject is folded at spaces and unfolds to the same text", "[email][mime]") {
  std::string subject;
  for (int i = 0; i < 20; ++i) subject += "word" + std::to_string(i) + " ";
  subject = header_safe_text(subject);
  std::string line = unstructured_header("Subject", subject);
  for (const std::string& physical : crlf_lines(line.substr(0, line.size() - 2)))
    CHECK(physical.size() <= kFoldedLineLimit);
  CHECK(decode_header_value(line.substr(9, line.size() - 11)) == subject);
  CHECK(line.find("=?") == std::string::npos);

  // A word too long for any folded line is encoded, so that it can be split.
  std::string long_word = "see:" + std::string(100, 'x');
  std::string encoded = unstructured_header("Subject", long_word);
  for (const std::string& physical : crlf_lines(encoded.substr(0, encoded.size() - 2)))
    CHECK(physical.size() <= kFoldedLineLimit);
  CHECK(decode_header_value(encoded.substr(9, encoded.size() - 11)) == long_word);

  // Text that looks like an encoded word is encoded, so a reader cannot be fooled by it.
  std::string tricky = unstructured_header("Subject", "=?UTF-8?B?SGk=?= hello");
  CHECK(tricky.starts_with("Subject: =?UTF-8?"));
  CHECK(decode_header_value(tricky.substr(9, tricky.size() - 11)) == "=?UTF-8?B?SGk=?= hello");
}

TEST_CASE("CR and LF in header text are folded to a space, never written raw", "[email][mime]") {
  CHECK(header_safe_text("Daily digest\r\nBcc: victim@example.org") ==
        "Daily digest Bcc: victim@example.org");
  CHECK(header_safe_text("a\nb\rc\td\x01"
                         "e\x7f"
                         "f") == "a b c d e f");
  CHECK(header_safe_text("  line\xE2\x80\xA8sep  ") == "line sep");
  CHECK(header_safe_text("bad \xC3 byte") == "bad \xEF\xBF\xBD byte");

  std::string subject = unstructured_header("Subject", "Hi\r\nBcc: victim@example.org\r\n\r\nbody");
  CHECK(subject == "Subject: Hi Bcc: victim@example.org body\r\n");

  std::vector<std::string> name = phrase_words("Bot\r\nBcc: victim@example.org");
  for (const std::string& word : name) CHECK(word.find_first_of("\r\n") == std::string::npos);
  CHECK(decode_header_value(fold_header("From", name).substr(5)) ==
        " \"Bot Bcc: victim@example.org\"");
}

TEST_CASE("display names are atoms, a quoted string or encoded words", "[email][mime]") {
  CHECK(phrase_words("Paper Digest") == std::vector<std::string>{"Paper", "Digest"});
  CHECK(phrase_words("Doe, Jane \"JD\"") == std::vector<std::string>{"\"Doe, Jane \\\"JD\\\"\""});
  std::vector<std::string> encoded = phrase_words("Café Digest");
  REQUIRE(encoded.size() == 1);
  CHECK(encoded[0] == "=?UTF-8?Q?Caf=C3=A9_Digest?=");
  CHECK(phrase_words("  ").empty());
}

TEST_CASE("dates and message ids have the RFC 5322 form", "[email][mime]") {
  using namespace std::chrono;
  const sys_seconds time = sys_days{year(2024) / August / day(5)} + hours(7);
  CHECK(format_rfc5322_date(time) == "Mon, 05 Aug 2024 07:00:00 +0000");
  CHECK(format_rfc5322_date(sys_days{year(2025) / January / day(29)} + hours(23) + minutes(59) +
                            seconds(58)) == "Wed, 29 Jan 2025 23:59:58 +0000");

  CHECK(make_message_id(time, "digest.example.org", 0x3f9a1c2bULL) ==
        "20240805070000.000000003f9a1c2b@digest.example.org");
  std::string first = make_message_id(time, "digest.example.org");
  std::string second = make_message_id(time, "digest.example.org");
  CHECK(first != second);
  CHECK_FALSE(address_problem(first));
}

TEST_CASE("addresses are checked and the reason is given", "[email][address]") {
  for (const char* good : {"reader@example.org", "first.last+tag@mail.example.co.uk",
                           "o'brien@example.org", "x_y-z@sub-domain.example.io"}) {
    INFO(good);
    CHECK_FALSE(address_problem(good));
  }

  const std::vector<std::pair<std::string, std::string>> bad = {
      {"", "empty"},
      {"reader.example.org", "no @"},
      {"a@b@example.org", "more than one @"},
      {"reader @example.org", "space"},
      {"reader@example.org\r\nRCPT TO:<x@y.org>", "line break"},
      {"reader@example.org\n", "line break"},
      {std::string("read\x01"
                   "er@example.org"),
       "control character"},
      {"rëader@example.org", "non-ASCII"},
      {"reader@localhost", "no dot"},
      {"@example.org", "nothing before the @"},
      {"reader@", "no domain"},
      {".reader@example.org", "dot"},
      {"re..ader@example.org", "dot"},
      {"\"quoted\"@example.org", "quoted"},
      {"a<b@example.org", "'<'"},
      {"reader@exa_mple.org", "contains"},
      {"reader@-example.org", "hyphen"},
      {"reader@example..org", "empty label"},
      {"reader@[127.0.0.1]", "bracketed"},
      {"reader@127.0.0.1", "IP address"},
      {std::string(65, 'a') + "@example.org", "longer than 64"},
  };
  for (const auto& [address, reason] : bad) {
    INFO(address);
    auto problem = address_problem(address);
    REQUIRE(problem);
    CHECK(problem->find(reason) != std::string::npos);
    // The message never carries the raw line break or control character.
    CHECK(problem->find_first_of("\r\n\x01") == std::string::npos);
  }
}

TEST_CASE("a mailbox refuses a bad address and encodes a non-ASCII name", "[email][address]") {
  auto from = mailbox_words("From", "Café Digest", "digest@example.org");
  REQUIRE(from);
  CHECK(fold_header("From", *from) ==
        "From: =?UTF-8?Q?Caf=C3=A9_Digest?= <digest@example.org>\r\n");

  auto injected = mailbox_words("To", "", "reader@example.org\r\nBcc: victim@example.org");
  REQUIRE_FALSE(injected);
  CHECK(injected.error().message.find("To address") != std::string::npos);
  CHECK(injected.error().message.find("line break") != std::string::npos);
}

TEST_CASE("e-mail audiences name the list and the recipient", "[email][envelope]") {
  std::string audience = email_audience("ml-weekly", "reader@example.org");
  CHECK(audience == "email:ml-weekly:reader@example.org");
  auto parsed = parse_email_audience(audience);
  REQUIRE(parsed);
  CHECK(parsed->list == "ml-weekly");
  CHECK(parsed->address == "reader@example.org");
  CHECK_FALSE(parse_email_audience("slack:C123"));
  CHECK_FALSE(parse_email_audience("email:reader@example.org"));
  CHECK_FALSE(parse_email_audience("email:list:not an address"));
}

TEST_CASE("the envelope is read from the message's own headers", "[email][envelope]") {
  std::string message = with_crlf(
      "Date: Mon, 05 Aug 2024 07:00:00 +0000\nMessage-ID: <a.b@example.org>\n"
      "From: \"Digest <Bot>\" <digest@example.org>\nTo:\n reader@example.org\n"
      "Subject: hi\n\nTo: body@example.org\n");
  auto envelope = read_envelope(message);
  REQUIRE(envelope);
  CHECK(envelope->from == "digest@example.org");
  CHECK(envelope->to == "reader@example.org");
  CHECK(envelope->message_id == "a.b@example.org");

  CHECK_FALSE(
      read_envelope(with_crlf("From: a@example.org\nTo: b@example.org, c@example.org\n"
                              "Message-ID: <x@example.org>\n\n")));
  CHECK_FALSE(
      read_envelope(with_crlf("From: a@example.org\nTo: b@example.org\nTo: c@ex.org\n"
                              "Message-ID: <x@example.org>\n\n")));
  CHECK_FALSE(read_envelope(with_crlf("From: a@example.org\nTo: b@example.org\n\n")));
}

}  // namespace
}  // namespace paperbot::email
