// Renderers: a Digest in, file contents out. No I/O. Every function is pure and may be called
// from any thread.
#pragma once

#include "core/common/digest.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace paperbot {

// The comment the reference writes for a paper selected by a followed author instead of scored.
inline constexpr std::string_view kAuthorMatchComment = "Author match";

// gpt_paper_assistant's Markdown digest, byte for byte: title with the US date, token and cost
// table, counts, contents, each paper, then the selection prompt. An unscored count and notes,
// which the reference never has, appear under the counts only when present. A digest with no
// papers keeps the skeleton and says so in place of the contents.
std::string render_markdown(const Digest& digest);

// The reference's JSON: {id: {SCORE, ARXIVID, COMMENT, RELEVANCE, NOVELTY, authors, title,
// abstract, arxiv_id}} in rank order, indented by 4, non-ASCII escaped as \uXXXX. Author-matched
// papers have COMMENT "Author match" and no RELEVANCE or NOVELTY. A repeated id is written once,
// at its first (best) rank.
std::string render_json(const Digest& digest);

// A self-contained HTML page (no scripts, no outside resources), readable on a phone, with TeX
// accents shown as letters.
std::string render_html(const Digest& digest);

// File names under the output folder, as the reference names them: "2025-01-29-output.md".
std::string output_file_name(Date date, const std::string& extension);

// Dollars with two decimals as the reference prints them ("$0.84"), or "unknown".
std::string format_dollars(std::optional<double> dollars);

// Prompt plus completion cost; unknown when either part is.
std::optional<double> total_cost(const Usage& usage);

// A JSON string literal, quotes included, escaped as Python's json.dumps with ensure_ascii: '"',
// '\\' and control characters escaped, everything outside printable ASCII as \uXXXX (lower-case
// hex, surrogate pairs above U+FFFF). Bytes that are not valid UTF-8 become \ufffd.
std::string python_json_quote(std::string_view utf8);

// Text made safe for HTML element content and quoted attribute values: & < > " ' escaped.
std::string escape_html(std::string_view text);

}  // namespace paperbot
