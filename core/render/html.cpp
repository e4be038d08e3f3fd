// A self-contained HTML page of a digest: inline CSS, no scripts, nothing fetched from elsewhere,
// so the file reads the same when mailed, opened from disk or served. One column that narrows to
// a phone's width, and colours that follow the reader's light or dark preference.
#include "core/render/render.hpp"

#include "core/common/text.hpp"

namespace paperbot {
namespace {

constexpr std::string_view kStyle = R"css(
:root {
  color-scheme: light dark;
  --text: #1f2328; --muted: #59636e; --page: #ffffff; --card: #f6f8fa;
  --border: #d1d9e0; --link: #0a58ca; --badge: #dbe9ff;
}
@media (prefers-color-scheme: dark) {
  :root {
    --text: #e6edf3; --muted: #9198a1; --page: #0d1117; --card: #161b22;
    --border: #30363d; --link: #6cb6ff; --badge: #1f3a5f;
  }
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--page); color: var(--text);
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  -webkit-text-size-adjust: 100%;
}
main { max-width: 48rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; line-height: 1.25; margin: 0.5rem 0 0.25rem; }
.date { color: var(--muted); margin: 0 0 1rem; }
.counts { display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; padding: 0; margin: 0 0 1rem; }
.counts li { list-style: none; }
.notes { border-left: 3px solid var(--border); margin: 0 0 1rem; padding: 0.25rem 1rem; }
article {
  background: var(--card); border: 1px solid var(--border); border-radius: 0.5rem;
  padding: 0.75rem 1rem; margin: 1rem 0; overflow-wrap: anywhere;
}
article h2 { font-size: 1.15rem; line-height: 1.3; margin: 0 0 0.5rem; }
a { color: var(--link); }
.rank { color: var(--muted); }
.authors, .scores { color: var(--muted); margin: 0.25rem 0; }
.badge { background: var(--badge); border-radius: 0.25rem; padding: 0 0.4rem; }
.comment { font-style: italic; }
.empty { color: var(--muted); }
)css";

void append_escaped(std::string& out, std::string_view text) {
  out += escape_html(text);
}

// Feeds write accents the TeX way ("Gon\c{c}alo"); a reader should see the letter.
void append_display_text(std::string& out, std::string_view text) {
  out += escape_html(tex_accents_to_utf8(text));
}

void append_counts(std::string& out, const Digest& digest) {
  const auto item = [&out](std::string_view label, const std::string& value) {
    out += "<li>";
    out += label;
    out += ": <strong>";
    append_escaped(out, value);
    out += "</strong></li>\n";
  };

  out += "<ul class=\"counts\">\n";
  item("Scanned", std::to_string(digest.scanned));
  item("Relevant", std::to_string(digest.entries.size()));
  if (digest.unscored > 0) item("Unscored", std::to_string(digest.unscored));
  const Usage& usage = digest.usage;
  item("Tokens", std::to_string(usage.prompt_tokens) + " prompt + " +
                     std::to_string(usage.completion_tokens) + " completion");
  item("Cost", format_dollars(total_cost(usage)));
  if (!digest.scorer.empty()) item("Scorer", digest.scorer);
  out += "</ul>\n";
}

void append_notes(std::string& out, const std::vector<std::string>& notes) {
  if (notes.empty()) return;
  out += "<ul class=\"notes\">\n";
  for (const std::string& note : notes) {
    out += "<li>";
    append_escaped(out, note);
    out += "</li>\n";
  }
  out += "</ul>\n";
}

void append_scores(std::string& out, const DigestEntry& entry) {
  out += "<p class=\"scores\">";
  if (entry.author_match) {
    out += "<span class=\"badge\">author match</span> &middot; Score <strong>";
    out += std::to_string(entry.rank_score);
    out += "</strong></p>\n";
    return;
  }
  out += "Relevance <strong>" + std::to_string(entry.score.relevance) + "</strong>";
  out += " &middot; Novelty <strong>" + std::to_string(entry.score.novelty) + "</strong>";
  out += " &middot; Score <strong>" + std::to_string(entry.rank_score) + "</strong></p>\n";
}

void append_paper(std::string& out, const DigestEntry& entry, std::size_t number) {
  const Paper& paper = entry.paper;
  out += "<article id=\"paper-" + std::to_string(number) + "\">\n<h2><span class=\"rank\">";
  out += std::to_string(number);
  out += ".</span> <a href=\"https://arxiv.org/abs/";
  append_escaped(out, paper.id);
  out += "\">";
  append_display_text(out, paper.title);
  out += "</a></h2>\n";

  out += "<p class=\"authors\">";
  for (std::size_t i = 0; i < paper.authors.size(); ++i) {
    if (i > 0) out += ", ";
    append_display_text(out, paper.authors[i]);
  }
  out += "</p>\n";

  append_scores(out, entry);

  // An author match's comment only repeats the badge; any other comment explains the score.
  const std::string& comment = entry.score.comment;
  if (!comment.empty() && comment != kAuthorMatchComment) {
    out += "<p class=\"comment\">";
    append_escaped(out, comment);
    out += "</p>\n";
  }

  // Abstracts keep their TeX: decoding accents inside $...$ math would change its meaning.
  out += "<p class=\"abstract\">";
  append_escaped(out, paper.abstract);
  out += "</p>\n</article>\n";
}

}  // namespace

std::string escape_html(std::string_view text) {
  return escape_markup(text, true);
}

std::string render_html(const Digest& digest) {
  const std::string date = format_iso_date(digest.date);
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"color-scheme\" content=\"light dark\">\n";
  out += "<title>arXiv digest " + date + "</title>\n<style>";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n<main>\n";

  out += "<header>\n<h1>Personalized Daily arXiv Papers</h1>\n<p class=\"date\">" + date + "</p>\n";
  append_counts(out, digest);
  append_notes(out, digest.notes);
  out += "</header>\n";

  if (digest.entries.empty())
    out += "<p class=\"empty\">No relevant papers in this announcement.</p>\n";
  for (std::size_t i = 0; i < digest.entries.size(); ++i)
    append_paper(out, digest.entries[i], i + 1);

  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace paperbot
