// The MIME and RFC 5322 pieces a newsletter is made of: quoted-printable bodies, RFC 2047
// encoded words for non-ASCII header text, header lines folded within 78 columns, header text
// made safe from injection, and the Date and Message-ID values.
//
// Header safety: every function that writes a header value first passes it through
// header_safe_text, so a CR or LF that came from the config, a chat command or a paper becomes a
// space and can never start a header line of its own. Addresses are not folded this way: they are
// checked by address_problem (address.hpp) and refused when they hold anything unexpected.
//
// All functions are pure, take and return UTF-8 (bytes that are not valid UTF-8 are replaced in
// headers and escaped one by one in bodies) and may be called from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace paperbot::email {

inline constexpr std::size_t kFoldedLineLimit = 78;  // a header line SHOULD stay within this
inline constexpr std::size_t kLineLimit = 998;       // and MUST stay within this (CRLF excluded)
inline constexpr std::size_t kEncodedWordLimit = 75;
inline constexpr std::size_t kQuotedPrintableLimit = 76;

// Quoted-printable (RFC 2045 section 6.7) of a body part. Line breaks (CRLF, or a lone LF) become
// CRLF; '=', bytes outside printable ASCII, a space or tab at the end of a line, a line that is a
// lone "." and the "F" of a line starting with "From " are escaped. A line longer than 76
// characters gets soft breaks ("=" CRLF) that never fall inside an escape or a UTF-8 sequence.
std::string encode_quoted_printable(std::string_view text);

enum class WordEncoding {
  kBase64,           // "B": compact for mostly non-ASCII text
  kQuotedPrintable,  // "Q": readable for mostly ASCII text
  kShorter,          // whichever of the two is shorter for this text
};

// `text` as RFC 2047 encoded words ("=?UTF-8?B?...?="), split between whole UTF-8 characters so
// that the first word has at most `first_limit` characters and the others at most `limit` (both
// capped at 75). Decoding the words and joining them gives `text` back. The Q form escapes every
// character but letters, digits and "!*+-/", so the words are also valid in a display name.
std::vector<std::string> encode_words(std::string_view text, WordEncoding encoding,
                                      std::size_t first_limit = kEncodedWordLimit,
                                      std::size_t limit = kEncodedWordLimit);

// Text that is safe in a header: CR, LF, tab and every other control character (C0, DEL, C1,
// U+2028 and U+2029) become a space, runs of spaces collapse to one, both ends are trimmed, and
// bytes that are not valid UTF-8 become U+FFFD.
std::string header_safe_text(std::string_view text);

// Whether header text must be written as encoded words: it has a byte outside printable ASCII,
// or a "=?" that a mail reader would take for the start of an encoded word.
bool needs_encoded_words(std::string_view text);

// The complete line of an unstructured header ("Subject: ...\r\n"): the text made safe, written
// as it is when it is printable ASCII, otherwise as encoded words, and folded within 78 columns.
std::string unstructured_header(std::string_view name, std::string_view text);

// A display name as the words of an RFC 5322 phrase: atoms as they are, other ASCII as one quoted
// string, anything non-ASCII as encoded words. The name is made safe first; an empty (or blank)
// name gives no words. `first_limit` bounds the first encoded word (see encode_words).
std::vector<std::string> phrase_words(std::string_view display_name,
                                      std::size_t first_limit = kEncodedWordLimit);

// "Name: w1 w2 ...\r\n", folded at the spaces between the words so that every line stays within
// 78 columns unless a single word is longer. The words must not contain CR or LF; the first word
// always shares the header's line.
std::string fold_header(std::string_view name, const std::vector<std::string>& words);

// RFC 5322 date-time in UTC: "Mon, 05 Aug 2024 07:00:00 +0000".
std::string format_rfc5322_date(std::chrono::sys_seconds time);

// A Message-ID value without its angle brackets, "20240805070000.3f9a1c2b5d6e7f80@example.org":
// the time, 64 random bits and `domain`, which the caller has checked (domain_problem).
std::string make_message_id(std::chrono::sys_seconds time, std::string_view domain,
                            std::uint64_t random_bits);

// As above, with the random bits drawn from std::random_device.
std::string make_message_id(std::chrono::sys_seconds time, std::string_view domain);

}  // namespace paperbot::email
