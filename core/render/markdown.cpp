// gpt_paper_assistant's Markdown digest. The reference builds the file from parts joined by a
// blank line, with no newline at the end; the order of the parts below is the reference's, so a
// reference day renders byte for byte.
#include "core/render/render.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace paperbot {
namespace {

constexpr std::string_view kPartSeparator = "\n\n";
constexpr std::string_view kPaperSeparator = "\n\n---\n\n";

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

// The reference prints its table with tabulate's "github" format, every cell a string and left
// aligned. Tabulate pads a header by two, so a column is never narrower than its header plus two.
// Widths count bytes: the cells are ASCII, where bytes and Python's code points agree.
std::string github_table(const std::vector<std::string>& header,
                         const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const std::string& cell : header) widths.push_back(cell.size() + 2);
  for (const auto& row : rows) {
    for (std::size_t column = 0; column < row.size() && column < widths.size(); ++column)
      widths[column] = std::max(widths[column], row[column].size());
  }

  auto format_row = [&widths](const std::vector<std::string>& cells) {
    std::string line = "|";
    for (std::size_t column = 0; column < widths.size(); ++column) {
      const std::string cell = column < cells.size() ? cells[column] : std::string();
      line += ' ';
      line += cell;
      line.append(widths[column] - std::min(widths[column], cell.size()), ' ');
      line += " |";
    }
    return line;
  };

  std::vector<std::string> lines;
  lines.push_back(format_row(header));
  std::string separator = "|";
  for (std::size_t width : widths) {
    separator.append(width + 2, '-');
    separator += '|';
  }
  lines.push_back(separator);
  for (const auto& row : rows) lines.push_back(format_row(row));
  return join(lines, "\n");
}

std::string usage_table(const Usage& usage) {
  const std::int64_t total_tokens = usage.prompt_tokens + usage.completion_tokens;
  const std::vector<std::string> tokens = {"**Token**", std::to_string(usage.prompt_tokens),
                                           std::to_string(usage.completion_tokens),
                                           std::to_string(total_tokens)};
  const std::vector<std::string> costs = {"**Cost**", format_dollars(usage.prompt_cost),
                                          format_dollars(usage.completion_cost),
                                          format_dollars(total_cost(usage))};
  return github_table({"", "Prompt", "Completion", "Total"}, {tokens, costs});
}

std::string join_authors(const Paper& paper) {
  std::string out;
  for (std::size_t i = 0; i < paper.authors.size(); ++i) {
    if (i > 0) out += ", ";
    out += paper.authors[i];
  }
  return out;
}

std::string contents_entry(const DigestEntry& entry, std::size_t number) {
  const std::string n = std::to_string(number);
  return n + ". [" + entry.paper.title + "](#user-content-link" + n + ")\n**Authors:** " +
         join_authors(entry.paper);
}

std::string paper_section(const DigestEntry& entry, std::size_t number) {
  const std::string n = std::to_string(number);
  const Paper& paper = entry.paper;
  std::string out = "## " + n + ". [" + paper.title + "](https://arxiv.org/abs/" + paper.id +
                    ") <a id=\"link" + n + "\"></a>";
  out += "\n\n**ArXiv ID:** " + paper.id;
  out += "\n\n**Authors:** " + join_authors(paper);
  out += "\n\n**Abstract:** " + paper.abstract;

  // An author match was never shown to the model, so the reference has no scores to print.
  if (entry.author_match) {
    out += "\n\n**Comment:** ";
    out += kAuthorMatchComment;
    return out;
  }
  out += "\n\n**Comment:** " + entry.score.comment;
  out += "\n\n**Relevance:** " + std::to_string(entry.score.relevance);
  out += "\n**Novelty:** " + std::to_string(entry.score.novelty);
  return out;
}

// The prompt as the reference shows it: the model's prompt with a placeholder for the papers.
std::string selection_prompt(const Criteria& criteria) {
  std::string out = criteria.base_prompt;
  out += kPartSeparator;
  out += criteria.topics;
  out += kPartSeparator;
  if (!criteria.score_criteria.empty()) {
    out += criteria.score_criteria;
    out += kPartSeparator;
  }
  out += "## Papers\n\n[PAPER LIST HERE]\n\n";
  out += criteria.postfix;
  return out;
}

}  // namespace

std::string format_dollars(std::optional<double> dollars) {
  if (!dollars) return "unknown";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "$%.2f", *dollars);
  return buffer;
}

std::optional<double> total_cost(const Usage& usage) {
  if (!usage.prompt_cost || !usage.completion_cost) return std::nullopt;
  return *usage.prompt_cost + *usage.completion_cost;
}

std::string output_file_name(Date date, const std::string& extension) {
  return format_iso_date(date) + "-output." + extension;
}

std::string render_markdown(const Digest& digest) {
  std::vector<std::string> parts;
  parts.push_back("# Personalized Daily Arxiv Papers " + format_us_date(digest.date));
  parts.push_back(usage_table(digest.usage));
  parts.push_back("Total scanned papers: " + std::to_string(digest.scanned));
  parts.push_back("Total relevant papers: " + std::to_string(digest.entries.size()));

  // The reference has neither line; they appear only when there is something to say, so a
  // day without them stays identical to the reference.
  if (digest.unscored > 0)
    parts.push_back("Total unscored papers: " + std::to_string(digest.unscored));
  for (const std::string& note : digest.notes) parts.push_back("**Note:** " + note);

  parts.push_back("**Table of contents with paper titles:**");
  if (digest.entries.empty()) {
    parts.push_back("No relevant papers in this announcement.");
    parts.push_back("---");
  } else {
    std::vector<std::string> contents;
    std::vector<std::string> papers;
    for (std::size_t i = 0; i < digest.entries.size(); ++i) {
      contents.push_back(contents_entry(digest.entries[i], i + 1));
      papers.push_back(paper_section(digest.entries[i], i + 1));
    }
    parts.push_back(join(contents, kPartSeparator));
    parts.push_back("---");
    parts.push_back(join(papers, kPaperSeparator));
    parts.push_back("---");
  }

  parts.push_back("# Paper Selection Prompt");
  parts.push_back(selection_prompt(digest.criteria));
  return join(parts, kPartSeparator);
}

}  // namespace paperbot
