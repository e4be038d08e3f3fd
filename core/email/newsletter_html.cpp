// The newsletter's HTML body: nested presentation tables (the outer one paints the background,
// the inner one is the 600 px column), inline styles only, and padding on cells rather than
// margins, which is what Outlook's Word engine and Gmail's style stripping both keep.
#include "core/email/newsletter_body.hpp"

#include "core/common/text.hpp"
#include "core/email/utf8.hpp"
#include "core/render/render.hpp"

#include <algorithm>
#include <limits>

namespace paperbot::email {
namespace {

constexpr std::size_t kWhole = std::numeric_limits<std::size_t>::max();
constexpr std::string_view kEllipsis = "…";

// Styles, inline on every element: Gmail drops <style> blocks in several of its views. A paper's
// cell sets the font once and its lines inherit it; the markup per paper stays near 500 bytes,
// so that the 100 KB budget goes to the abstracts. Outlook does not pass a table's font on to
// its cells, hence the family on every cell.
constexpr std::string_view kCellStyle =
    "padding:14px 24px;border-top:1px solid #e4e7eb;font-family:Arial,sans-serif;"
    "font-size:14px;line-height:20px;color:#1f2328";
constexpr std::string_view kHeadingStyle = "margin:0;font-size:22px;line-height:28px";
constexpr std::string_view kMutedStyle = "margin:4px 0 0;color:#59636e";
constexpr std::string_view kSmallStyle = "color:#59636e;font-size:13px";
constexpr std::string_view kGapStyle = "margin:8px 0 0";
constexpr std::string_view kTitleLinkStyle = "color:#0b57d0;text-decoration:none";
constexpr std::string_view kLinkStyle = "color:#0b57d0";
constexpr std::string_view kFooterLinkStyle = "color:#59636e";
constexpr std::string_view kRowEnd = "</td></tr>\n";

void open_row(std::string& out, std::string_view extra_style = {}) {
  out += "<tr><td style=\"";
  out += kCellStyle;
  out += extra_style;
  out += "\">\n";
}

void paragraph(std::string& out, std::string_view style, std::string_view inner_html) {
  out += "<p style=\"";
  out += style;
  out += "\">";
  out += inner_html;
  out += "</p>\n";
}

std::string link(std::string_view url, std::string_view style, std::string_view inner_html) {
  return "<a href=\"" + escape_html(url) + "\" style=\"" + std::string(style) + "\">" +
         std::string(inner_html) + "</a>";
}

// At most `limit` bytes of `text`, ending at a space when there is one and never inside a UTF-8
// sequence, with an ellipsis when anything was cut.
std::string shortened(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return std::string(text);
  std::size_t end = 0;
  std::size_t last_space = 0;
  while (end < text.size()) {
    std::size_t length = std::max<std::size_t>(utf8_sequence_length(text, end), 1);
    if (end + length > limit) break;
    if (text[end] == ' ') last_space = end;
    end += length;
  }
  if (last_space > 0) end = last_space;
  return std::string(text.substr(0, end)) + std::string(kEllipsis);
}

void append_header(std::string& out, const Digest& digest, const NewsletterView& view) {
  open_row(out, ";border-top:0;padding-top:20px");
  paragraph(out, kHeadingStyle, "<b>" + escape_html(newsletter_heading(view)) + "</b>");
  paragraph(out, kMutedStyle,
            escape_html(format_iso_date(digest.date)) + " &middot; " +
                escape_html(newsletter_counts(digest)));
  for (const std::string& note : digest.notes)
    paragraph(out, kMutedStyle, escape_html(collapse_whitespace(note)));
  out += kRowEnd;
}

void append_paper(std::string& out, const DigestEntry& entry, std::size_t number,
                  const NewsletterView& view, std::size_t abstract_limit) {
  const Paper& paper = entry.paper;
  open_row(out);

  // Number and linked title, then authors and scores in a smaller grey, one line each.
  std::string title = escape_html(collapse_whitespace(tex_accents_to_utf8(paper.title)));
  out += "<b style=\"font-size:16px\">" + std::to_string(number) + ". " +
         link("https://arxiv.org/abs/" + paper.id, kTitleLinkStyle, title) + "</b><br>\n";
  out += "<span style=\"";
  out += kSmallStyle;
  out += "\">";
  if (!paper.authors.empty()) out += escape_html(newsletter_authors(paper.authors)) + "<br>";
  out += escape_html(newsletter_scores(entry)) + " &middot; arXiv:" + escape_html(paper.id);
  out += "</span>\n";

  if (std::string comment = newsletter_comment(entry); !comment.empty())
    paragraph(out, kGapStyle, "<i>" + escape_html(comment) + "</i>");

  // Abstracts keep their TeX: decoding accents inside $...$ would change the mathematics.
  std::string abstract = collapse_whitespace(paper.abstract);
  if (!abstract.empty() && abstract_limit > 0)
    paragraph(out, kGapStyle, escape_html(shortened(abstract, abstract_limit)));

  if (view.links.upvote)
    paragraph(out, kGapStyle, link(view.links.upvote(paper.id), kLinkStyle, "👍 More like this"));
  out += kRowEnd;
}

void append_footer(std::string& out, const NewsletterView& view) {
  open_row(out, ";font-size:12px;line-height:18px;color:#59636e");
  std::string why = "You get this digest";
  if (!view.recipient.empty()) why += " because " + view.recipient + " is subscribed";
  out += escape_html(why + " to " + newsletter_heading(view) + ".");
  if (!view.links.unsubscribe.empty())
    out += " " + link(view.links.unsubscribe, kFooterLinkStyle, "Unsubscribe");
  out += "\n";
  out += kRowEnd;
}

std::string render(const Digest& digest, const NewsletterView& view, std::size_t abstract_limit) {
  const std::string heading = escape_html(newsletter_heading(view));
  std::string out;
  out.reserve(64 * 1024);
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n";
  out += "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + heading + " " + escape_html(format_iso_date(digest.date)) + "</title>\n";
  out += "</head>\n<body style=\"margin:0;padding:0;background-color:#f2f4f7\">\n";
  out += "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" ";
  out += "border=\"0\" style=\"background-color:#f2f4f7\">\n";
  out += "<tr><td align=\"center\" style=\"padding:16px 8px\">\n";
  out += "<table role=\"presentation\" width=\"600\" cellpadding=\"0\" cellspacing=\"0\" ";
  out += "border=\"0\" style=\"width:600px;max-width:100%;background-color:#ffffff;";
  out += "border:1px solid #d9dde3\">\n";

  append_header(out, digest, view);
  if (digest.entries.empty()) {
    open_row(out);
    out += "No relevant papers in this announcement.\n";
    out += kRowEnd;
  }
  for (std::size_t i = 0; i < digest.entries.size(); ++i)
    append_paper(out, digest.entries[i], i + 1, view, abstract_limit);
  if (!digest.below_bar.empty()) {
    open_row(out, ";background-color:#f6f8fa");
    paragraph(out, kMutedStyle,
              "<b>" + escape_html(below_bar_label(digest.below_bar.size(), "")) + "</b>");
    out += kRowEnd;
  }
  for (std::size_t i = 0; i < digest.below_bar.size(); ++i)
    append_paper(out, digest.below_bar[i], i + 1, view, abstract_limit);
  append_footer(out, view);

  out += "</table>\n</td></tr>\n</table>\n</body>\n</html>\n";
  return out;
}

}  // namespace

std::string render_newsletter_html(const Digest& digest, const NewsletterView& view) {
  std::string whole = render(digest, view, kWhole);
  if (whole.size() <= view.max_html_bytes) return whole;

  // Too long for Gmail: find the largest abstract length that fits. 0 leaves the abstracts out,
  // the most that can be done without cutting titles, authors or links.
  std::size_t longest = 0;
  for (const auto* entries : {&digest.entries, &digest.below_bar}) {
    for (const DigestEntry& entry : *entries)
      longest = std::max(longest, entry.paper.abstract.size());
  }
  std::size_t low = 0;
  std::size_t high = longest;
  while (low < high) {
    std::size_t middle = low + (high - low + 1) / 2;
    if (render(digest, view, middle).size() <= view.max_html_bytes) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return render(digest, view, low);
}

}  // namespace paperbot::email
