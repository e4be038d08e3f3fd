// The newsletter's plain-text body: the same content as the HTML, each paper a numbered block
// indented under its number, wrapped for an 80-column terminal.
#include "core/email/newsletter_body.hpp"

#include "core/common/text.hpp"
#include "core/email/utf8.hpp"
#include "core/render/render.hpp"

namespace paperbot::email {
namespace {

constexpr std::size_t kWidth = 78;
constexpr std::size_t kIndent = 3;  // under "1. "; numbers past 99 push only their first line

// Appends `text` wrapped at spaces within kWidth characters: the first line after `first`
// (already counted as `first_width` characters), the others indented by `indent` spaces. A word
// longer than a line (a long link) gets a line of its own.
void append_wrapped(std::string& out, std::string_view first, std::size_t first_width,
                    std::string_view text, std::size_t indent) {
  out += first;
  std::size_t column = first_width;
  bool line_empty = true;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = std::min(text.find(' ', at), text.size());
    std::string_view word = text.substr(at, end - at);
    at = end + 1;
    if (word.empty()) continue;

    std::size_t width = utf8_length(word);
    if (!line_empty && column + 1 + width > kWidth) {
      out += '\n';
      out.append(indent, ' ');
      column = indent;
      line_empty = true;
    }
    if (!line_empty) {
      out += ' ';
      ++column;
    }
    out += word;
    column += width;
    line_empty = false;
  }
  out += '\n';
}

void append_indented(std::string& out, std::string_view text) {
  const std::string indent(kIndent, ' ');
  append_wrapped(out, indent, kIndent, text, kIndent);
}

void append_paper(std::string& out, const DigestEntry& entry, std::size_t number,
                  const NewsletterView& view) {
  const Paper& paper = entry.paper;
  const std::string label = std::to_string(number) + ". ";
  append_wrapped(out, label, label.size(), collapse_whitespace(tex_accents_to_utf8(paper.title)),
                 kIndent);
  append_indented(out, "https://arxiv.org/abs/" + paper.id);
  if (!paper.authors.empty()) append_indented(out, newsletter_authors(paper.authors));
  append_indented(out, newsletter_scores(entry));
  if (std::string comment = newsletter_comment(entry); !comment.empty())
    append_indented(out, "Why: " + comment);

  if (std::string abstract = collapse_whitespace(paper.abstract); !abstract.empty()) {
    out += '\n';
    append_indented(out, abstract);
  }
  if (view.links.upvote) {
    out += '\n';
    append_indented(out, "👍 More like this: " + view.links.upvote(paper.id));
  }
  out += '\n';
}

}  // namespace

std::string render_newsletter_text(const Digest& digest, const NewsletterView& view) {
  std::string out;
  const std::string heading = newsletter_heading(view) + " — " + format_iso_date(digest.date);
  append_wrapped(out, "", 0, heading, 0);
  append_wrapped(out, "", 0, newsletter_counts(digest), 0);
  for (const std::string& note : digest.notes)
    append_wrapped(out, "* ", 2, collapse_whitespace(note), 2);
  out += '\n';

  if (digest.entries.empty()) out += "No relevant papers in this announcement.\n\n";
  for (std::size_t i = 0; i < digest.entries.size(); ++i)
    append_paper(out, digest.entries[i], i + 1, view);
  if (!digest.below_bar.empty()) {
    append_wrapped(out, "", 0, below_bar_label(digest.below_bar.size(), ""), 0);
    out += '\n';
  }
  for (std::size_t i = 0; i < digest.below_bar.size(); ++i)
    append_paper(out, digest.below_bar[i], i + 1, view);

  // "-- " is the signature separator mail readers recognise and fold away.
  out += "-- \n";
  std::string why = "You get this digest";
  if (!view.recipient.empty()) why += " because " + view.recipient + " is subscribed";
  append_wrapped(out, "", 0, why + " to " + newsletter_heading(view) + ".", 0);
  if (!view.links.unsubscribe.empty())
    append_wrapped(out, "", 0, "Unsubscribe: " + view.links.unsubscribe, 0);
  return out;
}

}  // namespace paperbot::email
