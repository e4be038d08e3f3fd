#include "core/email/mime.hpp"

#include "core/email/utf8.hpp"

#include <algorithm>
#include <cstdio>
#include <random>

namespace paperbot::email {
namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";
constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::size_t kEncodedWordOverhead = 12;                    // "=?UTF-8?B?" and "?="
constexpr std::size_t kSmallestWordLimit = 24;  // room for one 4-byte character in Q form

void append_escape(std::string& out, unsigned char byte) {
  out += '=';
  out += kHexDigits[byte >> 4];
  out += kHexDigits[byte & 0x0F];
}

bool is_ascii_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// atext of RFC 5322: what an atom (an unquoted word of a display name) may hold.
bool is_atext(unsigned char c) {
  return is_ascii_alnum(c) || std::string_view("!#$%&'*+-/=?^_`{|}~").find(static_cast<char>(c)) !=
                                  std::string_view::npos;
}

// Splits UTF-8 text into characters; a byte that starts no valid sequence is a character alone.
std::vector<std::string_view> characters(std::string_view text) {
  std::vector<std::string_view> out;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t length = std::max<std::size_t>(utf8_sequence_length(text, at), 1);
    out.push_back(text.substr(at, length));
    at += length;
  }
  return out;
}

// One quoted-printable unit of a line: a literal character, or the escapes of one whole UTF-8
// sequence (at most 4 bytes, 12 characters). A soft break may only come between two units.
struct QuotedPrintableUnit {
  std::size_t source_length = 0;
  std::size_t size = 0;
  char text[12] = {};
};

QuotedPrintableUnit quoted_printable_unit(std::string_view line, std::size_t at) {
  QuotedPrintableUnit unit;
  unit.source_length = std::max<std::size_t>(utf8_sequence_length(line, at), 1);
  auto c = static_cast<unsigned char>(line[at]);
  bool last = at + unit.source_length == line.size();

  // A space or tab ending a line would be lost by transports that trim lines; a lone "." ends
  // SMTP data on some relays; "From " at a line start gets a ">" in mbox files.
  bool literal = unit.source_length == 1 &&
                 ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last));
  if (at == 0 && (line == "." || line.starts_with("From "))) literal = false;

  if (literal) {
    unit.text[unit.size++] = static_cast<char>(c);
    return unit;
  }
  for (std::size_t i = 0; i < unit.source_length; ++i) {
    auto byte = static_cast<unsigned char>(line[at + i]);
    unit.text[unit.size++] = '=';
    unit.text[unit.size++] = kHexDigits[byte >> 4];
    unit.text[unit.size++] = kHexDigits[byte & 0x0F];
  }
  return unit;
}

// Writes one line (no line break in it), breaking softly so that no output line passes 76
// characters. The first pass measures the line, so that the last piece needs no soft break.
void append_quoted_printable_line(std::string& out, std::string_view line) {
  std::size_t rest = 0;
  for (std::size_t at = 0; at < line.size();) {
    QuotedPrintableUnit unit = quoted_printable_unit(line, at);
    rest += unit.size;
    at += unit.source_length;
  }

  std::size_t column = 0;
  for (std::size_t at = 0; at < line.size();) {
    QuotedPrintableUnit unit = quoted_printable_unit(line, at);
    at += unit.source_length;
    // Unless what is left fits on this line, keep one column free for the soft break's "=".
    if (column + rest > kQuotedPrintableLimit && column > 0 &&
        column + unit.size > kQuotedPrintableLimit - 1) {
      out += "=\r\n";
      column = 0;
    }
    out.append(unit.text, unit.size);
    column += unit.size;
    rest -= unit.size;
  }
}

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t at = 0; at < bytes.size(); at += 3) {
    std::uint32_t group = static_cast<unsigned char>(bytes[at]) << 16;
    if (at + 1 < bytes.size()) group |= static_cast<unsigned char>(bytes[at + 1]) << 8;
    if (at + 2 < bytes.size()) group |= static_cast<unsigned char>(bytes[at + 2]);
    out += kAlphabet[(group >> 18) & 0x3F];
    out += kAlphabet[(group >> 12) & 0x3F];
    out += at + 1 < bytes.size() ? kAlphabet[(group >> 6) & 0x3F] : '=';
    out += at + 2 < bytes.size() ? kAlphabet[group & 0x3F] : '=';
  }
  return out;
}

std::size_t base64_length(std::size_t bytes) {
  return (bytes + 2) / 3 * 4;
}

// Letters, digits and "!*+-/" are the characters Q may leave as they are in any header context.
bool is_q_literal(unsigned char c) {
  return is_ascii_alnum(c) || c == '!' || c == '*' || c == '+' || c == '-' || c == '/';
}

std::size_t q_length(std::string_view character) {
  if (character.size() == 1) {
    auto c = static_cast<unsigned char>(character.front());
    if (is_q_literal(c) || c == ' ') return 1;
  }
  return 3 * character.size();
}

std::string q_encode(std::string_view bytes) {
  std::string out;
  for (char byte : bytes) {
    auto c = static_cast<unsigned char>(byte);
    if (c == ' ') {
      out += '_';
    } else if (is_q_literal(c)) {
      out += byte;
    } else {
      append_escape(out, c);
    }
  }
  return out;
}

std::string encoded_word(std::string_view bytes, WordEncoding encoding) {
  if (encoding == WordEncoding::kBase64) return "=?UTF-8?B?" + base64(bytes) + "?=";
  return "=?UTF-8?Q?" + q_encode(bytes) + "?=";
}

std::vector<std::string> split_on_spaces(std::string_view text) {
  std::vector<std::string> words;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = std::min(text.find(' ', at), text.size());
    if (end > at) words.emplace_back(text.substr(at, end - at));
    at = end + 1;
  }
  return words;
}

}  // namespace

std::string encode_quoted_printable(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (std::size_t at = 0; at < text.size();) {
    std::size_t newline = text.find('\n', at);
    bool last = newline == std::string_view::npos;
    std::size_t end = last ? text.size() : newline;
    std::size_t content_end = (!last && end > at && text[end - 1] == '\r') ? end - 1 : end;

    append_quoted_printable_line(out, text.substr(at, content_end - at));
    if (last) break;
    out += "\r\n";
    at = newline + 1;
  }
  return out;
}

std::vector<std::string> encode_words(std::string_view text, WordEncoding encoding,
                                      std::size_t first_limit, std::size_t limit) {
  first_limit = std::clamp(first_limit, kSmallestWordLimit, kEncodedWordLimit);
  limit = std::clamp(limit, kSmallestWordLimit, kEncodedWordLimit);
  std::vector<std::string_view> chars = characters(text);

  if (encoding == WordEncoding::kShorter) {
    std::size_t q_total = 0;
    for (std::string_view character : chars) q_total += q_length(character);
    encoding = q_total <= base64_length(text.size()) ? WordEncoding::kQuotedPrintable
                                                     : WordEncoding::kBase64;
  }

  // Greedy: each word takes characters while its encoded form stays within its limit.
  std::vector<std::string> words;
  std::string pending;
  std::size_t pending_q = 0;
  for (std::string_view character : chars) {
    std::size_t word_limit = words.empty() ? first_limit : limit;
    std::size_t encoded = encoding == WordEncoding::kBase64
                              ? base64_length(pending.size() + character.size())
                              : pending_q + q_length(character);
    if (!pending.empty() && kEncodedWordOverhead + encoded > word_limit) {
      words.push_back(encoded_word(pending, encoding));
      pending.clear();
      pending_q = 0;
    }
    pending += character;
    pending_q += q_length(character);
  }
  if (!pending.empty()) words.push_back(encoded_word(pending, encoding));
  return words;
}

std::string header_safe_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space_pending = false;
  const auto append = [&](std::string_view piece) {
    if (space_pending && !out.empty()) out += ' ';
    space_pending = false;
    out += piece;
  };

  for (std::size_t at = 0; at < text.size();) {
    std::size_t length = utf8_sequence_length(text, at);
    if (length == 0) {
      append(kReplacementCharacter);
      ++at;
      continue;
    }
    std::string_view character = text.substr(at, length);
    at += length;

    auto lead = static_cast<unsigned char>(character.front());
    bool c0_or_space = length == 1 && (lead <= 0x20 || lead == 0x7F);
    bool c1 = length == 2 && lead == 0xC2 && static_cast<unsigned char>(character[1]) <= 0x9F;
    bool line_separator = character == "\xE2\x80\xA8" || character == "\xE2\x80\xA9";
    if (c0_or_space || c1 || line_separator) {
      space_pending = true;
    } else {
      append(character);
    }
  }
  return out;
}

bool needs_encoded_words(std::string_view text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7E) return true;
  }
  return text.find("=?") != std::string_view::npos;
}

std::string unstructured_header(std::string_view name, std::string_view text) {
  const std::string safe = header_safe_text(text);
  const std::size_t first_room = kFoldedLineLimit - std::min(name.size() + 2, kFoldedLineLimit);

  // Plain ASCII words are kept as they are, unless one is too long to fit any folded line.
  bool encode = needs_encoded_words(safe);
  std::vector<std::string> words;
  if (!encode) {
    words = split_on_spaces(safe);
    for (std::size_t i = 0; i < words.size() && !encode; ++i)
      encode = words[i].size() > (i == 0 ? first_room : kFoldedLineLimit - 1);
  }
  if (encode) words = encode_words(safe, WordEncoding::kShorter, first_room);
  return fold_header(name, words);
}

std::vector<std::string> phrase_words(std::string_view display_name, std::size_t first_limit) {
  const std::string safe = header_safe_text(display_name);
  if (safe.empty()) return {};
  if (needs_encoded_words(safe)) return encode_words(safe, WordEncoding::kShorter, first_limit);

  bool atoms_only = std::all_of(safe.begin(), safe.end(), [](char c) {
    return c == ' ' || is_atext(static_cast<unsigned char>(c));
  });
  if (atoms_only) return split_on_spaces(safe);

  // Specials such as "," or "." are fine inside a quoted string, with " and \ escaped.
  std::string quoted = "\"";
  for (char c : safe) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  quoted += '"';
  return {quoted};
}

std::string fold_header(std::string_view name, const std::vector<std::string>& words) {
  std::string out(name);
  out += ':';
  std::size_t column = out.size();
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0 && column + 1 + words[i].size() > kFoldedLineLimit) {
      out += "\r\n";
      column = 0;
    }
    out += ' ';
    out += words[i];
    column += 1 + words[i].size();
  }
  out += "\r\n";
  return out;
}

std::string format_rfc5322_date(std::chrono::sys_seconds time) {
  static constexpr const char* kWeekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = std::chrono::floor<std::chrono::days>(time);
  const std::chrono::year_month_day date{day};
  const std::chrono::weekday weekday{day};
  const std::chrono::hh_mm_ss clock{time - day};

  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%s, %02u %s %04d %02d:%02d:%02d +0000",
                kWeekdays[weekday.c_encoding()], static_cast<unsigned>(date.day()),
                kMonths[static_cast<unsigned>(date.month()) - 1], static_cast<int>(date.year()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return buffer;
}

std::string make_message_id(std::chrono::sys_seconds time, std::string_view domain,
                            std::uint64_t random_bits) {
  const auto day = std::chrono::floor<std::chrono::days>(time);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss clock{time - day};

  char buffer[48];
  std::snprintf(
      buffer, sizeof buffer, "%04d%02u%02u%02d%02d%02d.%016llx@", static_cast<int>(date.year()),
      static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
      static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
      static_cast<int>(clock.seconds().count()), static_cast<unsigned long long>(random_bits));
  return buffer + std::string(domain);
}

std::string make_message_id(std::chrono::sys_seconds time, std::string_view domain) {
  std::random_device device;
  std::uint64_t bits = (static_cast<std::uint64_t>(device()) << 32) ^ device();
  return make_message_id(time, domain, bits);
}

}  // namespace paperbot::email
