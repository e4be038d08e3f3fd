// The reference's JSON file, as Python's json.dumps(d, indent=4) writes it. Boost.JSON's
// serializer neither indents nor escapes non-ASCII, so this file writes the text itself.
#include "core/render/render.hpp"

#include <cstdint>
#include <cstdio>
#include <set>

namespace paperbot {
namespace {

constexpr char32_t kReplacementCharacter = 0xFFFD;
constexpr int kIndentWidth = 4;

struct Decoded {
  char32_t code_point;
  std::size_t length;  // bytes consumed, at least 1
};

bool is_continuation(unsigned char byte) {
  return (byte & 0xC0) == 0x80;
}

// Decodes one UTF-8 sequence at `at`. Overlong forms, surrogates and truncated sequences are
// invalid; an invalid lead byte is consumed alone so the rest of the text still decodes.
Decoded decode_utf8(std::string_view text, std::size_t at) {
  const auto byte = [&text](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  if (lead < 0x80) return {lead, 1};

  std::size_t length = 0;
  char32_t code_point = 0;
  unsigned char low = 0x80;  // the second byte's range, narrowed to rule out invalid forms
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0F;
    low = lead == 0xE0 ? 0xA0 : low;
    high = lead == 0xED ? 0x9F : high;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07;
    low = lead == 0xF0 ? 0x90 : low;
    high = lead == 0xF4 ? 0x8F : high;
  } else {
    return {kReplacementCharacter, 1};
  }

  if (at + length > text.size()) return {kReplacementCharacter, 1};
  if (byte(at + 1) < low || byte(at + 1) > high) return {kReplacementCharacter, 1};
  for (std::size_t i = 1; i < length; ++i) {
    if (!is_continuation(byte(at + i))) return {kReplacementCharacter, 1};
    code_point = (code_point << 6) | (byte(at + i) & 0x3F);
  }
  return {code_point, length};
}

void append_u_escape(std::string& out, std::uint32_t unit) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(unit));
  out += buffer;
}

void append_newline(std::string& out, int depth) {
  out += '\n';
  out.append(static_cast<std::size_t>(depth * kIndentWidth), ' ');
}

// Writes `"key": ` on a new line, preceded by a comma unless it is the object's first member.
void append_key(std::string& out, int depth, std::string_view key, bool& first) {
  if (!first) out += ',';
  first = false;
  append_newline(out, depth);
  out += python_json_quote(key);
  out += ": ";
}

void append_string_array(std::string& out, int depth, const std::vector<std::string>& items) {
  // Python writes an empty list as "[]" even when indenting.
  if (items.empty()) {
    out += "[]";
    return;
  }
  out += '[';
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    append_newline(out, depth + 1);
    out += python_json_quote(items[i]);
  }
  append_newline(out, depth);
  out += ']';
}

// One paper's object. The key order is the reference's: the model's answer first (SCORE,
// ARXIVID, COMMENT, RELEVANCE, NOVELTY), then the paper's own fields.
void append_entry(std::string& out, int depth, const DigestEntry& entry) {
  bool first = true;
  out += '{';
  append_key(out, depth + 1, "SCORE", first);
  out += std::to_string(entry.rank_score);
  append_key(out, depth + 1, "ARXIVID", first);
  out += python_json_quote(entry.paper.id);
  append_key(out, depth + 1, "COMMENT", first);
  out += python_json_quote(entry.author_match ? kAuthorMatchComment : entry.score.comment);
  if (!entry.author_match) {
    append_key(out, depth + 1, "RELEVANCE", first);
    out += std::to_string(entry.score.relevance);
    append_key(out, depth + 1, "NOVELTY", first);
    out += std::to_string(entry.score.novelty);
  }
  append_key(out, depth + 1, "authors", first);
  append_string_array(out, depth + 1, entry.paper.authors);
  append_key(out, depth + 1, "title", first);
  out += python_json_quote(entry.paper.title);
  append_key(out, depth + 1, "abstract", first);
  out += python_json_quote(entry.paper.abstract);
  append_key(out, depth + 1, "arxiv_id", first);
  out += python_json_quote(entry.paper.id);
  append_newline(out, depth);
  out += '}';
}

}  // namespace

std::string python_json_quote(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size() + 2);
  out += '"';
  std::size_t at = 0;
  while (at < utf8.size()) {
    const Decoded decoded = decode_utf8(utf8, at);
    at += decoded.length;
    const char32_t c = decoded.code_point;
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      case '\b': out += "\\b"; continue;
      case '\f': out += "\\f"; continue;
      default: break;
    }
    // Python keeps only printable ASCII (space to '~') as it is; DEL is escaped too.
    if (c >= 0x20 && c <= 0x7E) {
      out += static_cast<char>(c);
    } else if (c <= 0xFFFF) {
      append_u_escape(out, c);
    } else {
      const std::uint32_t offset = c - 0x10000;
      append_u_escape(out, 0xD800 + (offset >> 10));
      append_u_escape(out, 0xDC00 + (offset & 0x3FF));
    }
  }
  out += '"';
  return out;
}

std::string render_json(const Digest& digest) {
  // A Python dict holds each key once; keep the first, best-ranked occurrence.
  std::set<std::string_view> written;
  std::string out = "{";
  bool first = true;
  for (const DigestEntry& entry : digest.entries) {
    if (!written.insert(entry.paper.id).second) continue;
    append_key(out, 1, entry.paper.id, first);
    append_entry(out, 1, entry);
  }
  if (!first) append_newline(out, 0);
  out += '}';
  return out;
}

}  // namespace paperbot
