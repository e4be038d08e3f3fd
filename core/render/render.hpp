// Renderers: a Digest in, file contents out. No I/O.
#pragma once

#include "core/common/digest.hpp"

#include <string>

namespace paperbot {

// gpt_paper_assistant's Markdown digest, byte for byte: title with the US date, token and cost
// table, counts, contents, each paper, then the selection prompt.
std::string render_markdown(const Digest& digest);

// The reference's JSON: {id: {SCORE, ARXIVID, COMMENT, RELEVANCE, NOVELTY, authors, title,
// abstract, arxiv_id}} in rank order, indented by 4, non-ASCII escaped as \uXXXX.
std::string render_json(const Digest& digest);

// A self-contained HTML page (no scripts, no outside resources), readable on a phone, with TeX
// accents shown as letters.
std::string render_html(const Digest& digest);

// File names under the output folder, as the reference names them: "2025-01-29-output.md".
std::string output_file_name(Date date, const std::string& extension);

}  // namespace paperbot
