#include "core/schedule/api_query.hpp"

#include <algorithm>
#include <cstdio>

namespace paperbot {
namespace {

constexpr std::string_view kStep = "build arXiv API query";

// Letters, digits, '.' and '-' only ("cs.LG", "hep-th", "cond-mat.mes-hall"): nothing that
// needs escaping in a URL or that the API would read as query syntax.
bool is_plain_category(std::string_view category) {
  auto plain = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-';
  };
  return !category.empty() && std::all_of(category.begin(), category.end(), plain);
}

// YYYYMMDDHHMM in UTC, as submittedDate expects.
std::string api_minute(std::chrono::sys_seconds instant) {
  auto day = std::chrono::floor<std::chrono::days>(instant);
  std::chrono::year_month_day date{day};
  std::chrono::hh_mm_ss time{instant - day};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d%02u%02u%02d%02d", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()));
  return buffer;
}

}  // namespace

Result<std::string> submission_window_query(const std::vector<std::string>& categories,
                                            const SubmissionWindow& window, ApiPage page) {
  if (categories.empty()) return make_error(std::string(kStep), "no categories to search");
  for (const std::string& category : categories) {
    if (!is_plain_category(category))
      return make_error(std::string(kStep), "'" + category + "' is not an arXiv category");
  }
  if (page.start < 0 || page.max_results < 1 || page.max_results > kApiMaxPageSize ||
      page.start + page.max_results > kApiMaxTotalResults) {
    return make_error(std::string(kStep), "page start=" + std::to_string(page.start) +
                                              " max_results=" + std::to_string(page.max_results) +
                                              " is outside the API's limits (at most " +
                                              std::to_string(kApiMaxPageSize) + " a page, " +
                                              std::to_string(kApiMaxTotalResults) + " in all)");
  }

  // One category needs no grouping; several are ORed inside parentheses so that AND binds the
  // date range to all of them.
  std::string cats;
  for (const std::string& category : categories) {
    if (!cats.empty()) cats += "+OR+";
    cats += "cat:" + category;
  }
  if (categories.size() > 1) cats = "%28" + cats + "%29";

  return "search_query=" + cats + "+AND+submittedDate:[" + api_minute(window.from) + "+TO+" +
         api_minute(window.to) +
         "]&sortBy=submittedDate&sortOrder=ascending&start=" + std::to_string(page.start) +
         "&max_results=" + std::to_string(page.max_results);
}

}  // namespace paperbot
