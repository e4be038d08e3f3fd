// The arXiv search-API query that fetches a missed announcement: the papers of some categories
// submitted within the announcement's submission window (ArxivCalendar::submission_window).
// Pure text building; ArxivClient::fetch_api sends the result.
#pragma once

#include "core/common/result.hpp"
#include "core/schedule/arxiv_calendar.hpp"

#include <string>
#include <vector>

namespace paperbot {

// One page of results: `start` is the index of the first result, `max_results` the page size.
struct ApiPage {
  int start = 0;
  int max_results = 1000;
};

// arXiv's API returns at most this many results per call and this many in total.
inline constexpr int kApiMaxPageSize = 2000;
inline constexpr int kApiMaxTotalResults = 30000;

// The query string after '?', for example
//   search_query=%28cat:cs.LG+OR+cat:cs.AI%29+AND+submittedDate:[202501271900+TO+202501281900]
//   &sortBy=submittedDate&sortOrder=ascending&start=0&max_results=1000
// (one line). Times are UTC to the minute, both ends included, as the API reads them.
// Parentheses are written %28 and %29, as arXiv's API manual writes them. Errors: no categories,
// a category that is not spelled like one (it would change the query), or a page outside the
// API's limits.
Result<std::string> submission_window_query(const std::vector<std::string>& categories,
                                            const SubmissionWindow& window, ApiPage page);

}  // namespace paperbot
