// Text helpers shared by parsing, matching and rendering. All operate on UTF-8.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace paperbot {

// Collapses every run of ASCII whitespace (space, tab, CR, LF) to one space and trims both ends.
std::string collapse_whitespace(std::string_view text);

// Replaces TeX accent commands with the accented letter: "Gon\c{c}alo" -> "Gonçalo",
// "Mu\~noz" -> "Muñoz", "Al\'an" -> "Alán", "{\"o}" -> "ö", "\ss" -> "ß". Unknown commands are
// left as they are.
std::string tex_accents_to_utf8(std::string_view text);

// A folded form of a person's name for comparison: TeX accents decoded, accents removed, case
// folded, punctuation dropped, whitespace collapsed. "Gon\c{c}alo Paulo" and "GONÇALO PAULO"
// fold to the same string.
std::string fold_name(std::string_view name);

// Lower-cases ASCII letters; other bytes are left unchanged.
std::string ascii_lower(std::string_view text);

// Splits on a single-character separator, trimming whitespace around each part and dropping
// empty parts.
std::vector<std::string> split_trimmed(std::string_view text, char separator);

std::string_view trim(std::string_view text);

// The parts joined with `separator` between them.
std::string join(const std::vector<std::string>& parts, std::string_view separator);

// Escapes & < > as entities (Slack's mrkdwn needs exactly these), and with `quotes` also " and '
// (what HTML attributes need).
std::string escape_markup(std::string_view text, bool quotes);

// Appends the UTF-8 encoding of a code point.
void append_utf8(std::string& out, char32_t code_point);

// Hex-encoded SHA-256 of the bytes.
std::string sha256_hex(std::string_view bytes);

// Why `address` is not a usable e-mail address ("needs exactly one @"), or empty when it is. A
// plain shape check (one @, a dotted domain, nothing that would break a header or a list); it
// does not ask whether the mailbox exists.
std::string email_address_problem(std::string_view address);

}  // namespace paperbot
