// The two bodies of the newsletter, before any MIME encoding: the HTML that mail clients show and
// the plain text that carries the same content for text-only readers.
//
// The HTML is built for mail clients rather than browsers: a table layout 600 px wide, centred,
// with every style inline (no <style>, no scripts, no forms, no images), so that Gmail, Outlook
// and phones show the same thing. Everything that comes from a paper, the digest or the caller
// is escaped. Gmail clips a message whose HTML passes about 100 KB, so when the whole page would
// pass `max_html_bytes` the abstracts are shortened evenly, at a word, until it fits; titles,
// authors, scores and links are never cut. The text part keeps the abstracts whole.
//
// Pure functions; any thread.
#pragma once

#include "core/common/digest.hpp"

#include <cstddef>
#include <functional>
#include <string>

namespace paperbot::email {

// The links a message carries. The caller makes them: they hold tokens signed for one recipient.
struct NewsletterLinks {
  // The 👍 link of a paper, by arXiv id. Empty function: the message has no 👍 links.
  std::function<std::string(const std::string& paper_id)> upvote;
  std::string unsubscribe;  // empty: no unsubscribe link in the bodies
};

struct NewsletterView {
  std::string title;      // the heading, e.g. the list's name; empty: "arXiv digest"
  std::string recipient;  // named in the footer: why the reader gets this message
  NewsletterLinks links;
  std::size_t max_html_bytes = 100'000;
};

// The text/html body: one complete HTML document, LF line ends.
std::string render_newsletter_html(const Digest& digest, const NewsletterView& view);

// The text/plain body: LF line ends, lines wrapped within 78 characters except where one word
// (a long link) is longer.
std::string render_newsletter_text(const Digest& digest, const NewsletterView& view);

// Shared by both bodies ----------------------------------------------------------------------

// The heading both bodies show: view.title, or "arXiv digest" when it is empty.
std::string newsletter_heading(const NewsletterView& view);

// "12 relevant papers of 125 scanned" (and "; 3 could not be scored" when some could not).
std::string newsletter_counts(const Digest& digest);

// "Relevance 9 · Novelty 7 · Score 16", or "Author match · Score 20".
std::string newsletter_scores(const DigestEntry& entry);

// The names to show, TeX accents as letters: all of them up to 25, else the first 20 and
// "and N more".
std::string newsletter_authors(const std::vector<std::string>& authors);

// The score comment worth showing: empty for an author match, whose comment repeats the badge.
std::string newsletter_comment(const DigestEntry& entry);

}  // namespace paperbot::email
