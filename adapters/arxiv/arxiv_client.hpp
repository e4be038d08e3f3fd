// Fetches arXiv feeds and API pages over HTTPS with libcurl, politely: one request at a time, at
// most one every `min_interval` (arXiv asks for 3 s), a descriptive User-Agent, conditional GET,
// a timeout on every request, and retries with backoff on 5xx and 429 (honouring Retry-After).
//
// Thread safety: one ArxivClient is used from one thread at a time.
#pragma once

#include "core/digest/feed_source.hpp"

#include <chrono>
#include <functional>
#include <string>

namespace paperbot {

struct ArxivClientOptions {
  std::string feed_base_url = "https://rss.arxiv.org/rss/";  // + "cs.LG+cs.AI"
  std::string api_base_url = "https://export.arxiv.org/api/query";
  std::string user_agent;  // default: "paperbot/VERSION (+https://github.com/paperbot)"
  std::chrono::milliseconds timeout{60'000};
  std::chrono::milliseconds min_interval{3'000};
  int max_retries = 4;  // attempts after the first
  std::chrono::milliseconds initial_backoff{5'000};
  std::chrono::milliseconds max_backoff{120'000};
};

class ArxivClient final : public FeedSource {
 public:
  // `sleep` waits for the given time; tests pass one that records instead of sleeping.
  using Sleep = std::function<void(std::chrono::milliseconds)>;

  explicit ArxivClient(ArxivClientOptions options, Sleep sleep = {});
  ~ArxivClient() override;

  Result<FetchedFeed> fetch_day_feed(const std::vector<std::string>& categories,
                                     const HttpValidators& previous) override;

  // One page of the search API: `query` is the URL query string after '?'
  // ("search_query=cat:cs.LG&start=0&max_results=100").
  Result<FetchedFeed> fetch_api(const std::string& query);

 private:
  Result<FetchedFeed> get(const std::string& url, const HttpValidators& previous);

  ArxivClientOptions options_;
  Sleep sleep_;
  std::chrono::steady_clock::time_point last_request_{};
};

}  // namespace paperbot
