// Turns the bytes of an arXiv feed or API response into papers. No I/O: bytes in, papers out.
//
// Formats, detected from the document itself:
//   - RSS 2.0, arXiv's current day feed (one category, or several joined by '+');
//   - RSS 1.0/RDF, arXiv's feed format before 2024;
//   - Atom 1.0 responses of the arXiv API (export.arxiv.org/api/query); the API's error feed is
//     an error, not a paper;
//   - OAI-PMH ListRecords pages in the `arXiv` metadata format (bulk harvesting).
#pragma once

#include "core/common/date.hpp"
#include "core/common/paper.hpp"
#include "core/common/result.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace paperbot {

enum class FeedFormat { kRss2, kRss1, kAtomApi, kOaiPmh };

// "RSS 2.0", "RSS 1.0", "arXiv API (Atom)", "OAI-PMH": for messages and logs.
std::string_view to_string(FeedFormat format);

struct Feed {
  FeedFormat format = FeedFormat::kRss2;
  std::string title;  // channel title, e.g. "cs.LG updates on arXiv.org"
  // Categories the feed is for: from the channel link ("http://rss.arxiv.org/rss/cs.LG+cs.AI" ->
  // {"cs.LG","cs.AI"}) or title in RSS, the harvested set in OAI-PMH; empty for the API.
  std::vector<std::string> channels;
  // The announcement date: RSS 2.0 channel pubDate, RSS 1.0 dc:date; none for API and OAI-PMH.
  std::optional<Date> announced;
  std::vector<Paper> papers;  // in feed order; a paper may appear once only per feed
};

// Parses `bytes`. `source` names where they came from (a path or a URL) and appears in every
// error, together with the line and column where the document went wrong.
// An empty but well-formed feed (a weekend or holiday) is a Feed with no papers, not an error.
//
// Papers: the id without version ("2501.16396", "hep-ex/0601001") and the version written with
// it (OAI-PMH: the number of <version> elements; 1 when nothing says); whitespace collapsed and XML
// entities decoded everywhere; TeX left as written. Authors are split at top-level commas and
// "and"; a parenthesised affiliation after a name is dropped ("A (Univ. X, Y)" -> "A"). A paper
// listed more than once (combined feeds) is kept at its first listing, with the categories of every
// listing. Announce types: RSS 2.0 says; RSS 1.0 title marks "CROSS LISTED" -> cross, "UPDATED" ->
// replace; API and OAI-PMH: new.
//
// Errors (step "parse feed"), as the message reads:
//   "SOURCE:LINE:COL: malformed XML: end tag does not match start tag" (and other XML faults);
//   "SOURCE: not an arXiv feed, API response or OAI-PMH page: root element is <html>";
//   "SOURCE: arXiv API error: incorrect id format for abc" (the API's error feed);
//   "SOURCE: OAI-PMH error badResumptionToken: ..." (noRecordsMatch is an empty feed);
//   "SOURCE:LINE:COL: <item> without an arXiv id", or with an unknown announce type.
// Thread-safe: no shared state.
Result<Feed> parse_feed(std::string_view bytes, std::string_view source);

}  // namespace paperbot
