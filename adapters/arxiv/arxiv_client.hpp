// Fetches arXiv feeds and API pages over HTTPS, politely (through PoliteHttpClient): one request
// at a time, at most one every `min_interval` (arXiv asks for 3 s), a descriptive User-Agent,
// conditional GET, a timeout on every request, and retries with backoff on 5xx and 429 (honouring
// Retry-After).
//
// Politeness covers the requests of one client: the daemon keeps a single ArxivClient for every
// arXiv request (feeds and API pages), so that the 3-second spacing holds across them. The client
// keeps its libcurl handle, and with it the open connection, between requests.
//
// Failures are values: after the retries, or at once for a 4xx other than 429, the Error names the
// URL, the last HTTP status or curl error, and the number of attempts.
//
// Thread safety: one ArxivClient is used from one thread at a time.
#pragma once

#include "adapters/http/polite_http_client.hpp"
#include "core/digest/feed_source.hpp"

#include <memory>
#include <string>
#include <vector>

namespace paperbot {

// The politeness settings are PoliteHttpOptions, whose defaults are arXiv's.
struct ArxivClientOptions : PoliteHttpOptions {
  std::string feed_base_url = "https://rss.arxiv.org/rss/";  // + "cs.LG+cs.AI"
  std::string api_base_url = "https://export.arxiv.org/api/query";
};

class ArxivClient final : public FeedSource {
 public:
  // `sleep` waits for the given time; tests pass one that records instead of sleeping. Empty
  // means std::this_thread::sleep_for.
  using Sleep = PoliteHttpClient::Sleep;

  explicit ArxivClient(ArxivClientOptions options, Sleep sleep = {});

  Result<FetchedFeed> fetch_day_feed(const std::vector<std::string>& categories,
                                     const HttpValidators& previous) override;

  // One page of the search API: `query` is the URL query string after '?'
  // ("search_query=cat:cs.LG&start=0&max_results=100").
  Result<FetchedFeed> fetch_api(const std::string& query);

 private:
  Result<FetchedFeed> get(const std::string& url, const HttpValidators& previous);

  ArxivClientOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
  PoliteHttpClient http_;
};

}  // namespace paperbot
