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

std::string_view to_string(FeedFormat format);

struct Feed {
  FeedFormat format = FeedFormat::kRss2;
  std::string title;  // channel title, e.g. "cs.LG updates on arXiv.org"
  std::vector<std::string>
      channels;                   // categories the feed is for, from its link: {"cs.LG","cs.AI"}
  std::optional<Date> announced;  // the announcement date (RSS pubDate), when the feed has one
  std::vector<Paper> papers;      // in feed order; a paper may appear once only per feed
};

// Parses `bytes`. `source` names where they came from (a path or a URL) and appears in every
// error, together with the line and column where the document went wrong.
// An empty but well-formed feed (a weekend or holiday) is a Feed with no papers, not an error.
Result<Feed> parse_feed(std::string_view bytes, std::string_view source);

}  // namespace paperbot
