// What both bodies of the newsletter say the same way: the heading, the counts, a paper's scores,
// authors and comment.
#include "core/email/newsletter_body.hpp"

#include "core/common/text.hpp"
#include "core/render/render.hpp"

namespace paperbot::email {
namespace {

constexpr std::size_t kAllAuthorsUpTo = 25;
constexpr std::size_t kAuthorsShownOfMany = 20;

std::string plural(std::size_t count, std::string_view one, std::string_view many) {
  return std::to_string(count) + " " + std::string(count == 1 ? one : many);
}

}  // namespace

std::string newsletter_heading(const NewsletterView& view) {
  std::string heading = collapse_whitespace(view.title);
  return heading.empty() ? "arXiv digest" : heading;
}

std::string newsletter_counts(const Digest& digest) {
  std::string counts = plural(digest.entries.size(), "relevant paper", "relevant papers") + " of " +
                       std::to_string(digest.scanned) + " scanned";
  if (digest.unscored > 0)
    counts += "; " + std::to_string(digest.unscored) + " could not be scored";
  return counts;
}

std::string newsletter_scores(const DigestEntry& entry) {
  const std::string score = "Score " + std::to_string(entry.rank_score);
  if (entry.author_match) return "Author match · " + score;
  return "Relevance " + std::to_string(entry.score.relevance) + " · Novelty " +
         std::to_string(entry.score.novelty) + " · " + score;
}

std::string newsletter_authors(const std::vector<std::string>& authors) {
  // A collaboration paper may list a thousand names; the reader needs the first few.
  std::size_t shown = authors.size() <= kAllAuthorsUpTo ? authors.size() : kAuthorsShownOfMany;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < shown; ++i)
    names.push_back(collapse_whitespace(tex_accents_to_utf8(authors[i])));
  std::string text = join(names, ", ");
  if (shown < authors.size()) text += " and " + std::to_string(authors.size() - shown) + " more";
  return text;
}

std::string newsletter_comment(const DigestEntry& entry) {
  if (entry.author_match || entry.score.comment == kAuthorMatchComment) return {};
  return collapse_whitespace(entry.score.comment);
}

}  // namespace paperbot::email
