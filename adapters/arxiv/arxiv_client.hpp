// Fetches arXiv feeds and API pages over HTTPS with libcurl, politely: one request at a time, at
// most one every `min_interval` (arXiv asks for 3 s), a descriptive User-Agent, conditional GET,
// a timeout on every request, and retries with backoff on 5xx and 429 (honouring Retry-After).
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

#include "core/digest/feed_source.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace paperbot {

struct ArxivClientOptions {
  std::string feed_base_url = "https://rss.arxiv.org/rss/";  // + "cs.LG+cs.AI"
  std::string api_base_url = "https://export.arxiv.org/api/query";
  // Default: "paperbot/VERSION (arXiv digest bot; +https://github.com/paperbot/paperbot)".
  std::string user_agent;
  std::chrono::milliseconds timeout{60'000};      // whole request; connecting gets at most 15 s
  std::chrono::milliseconds min_interval{3'000};  // between request starts, retries included
  int max_retries = 4;                            // attempts after the first
  // Before retry n (from 1): initial_backoff * 2^(n-1), at most max_backoff, less up to a quarter
  // of random jitter. A 429 or 503 with Retry-After waits exactly what the server asks instead.
  std::chrono::milliseconds initial_backoff{5'000};
  std::chrono::milliseconds max_backoff{120'000};
  // A Retry-After longer than this ends the fetch with an error rather than stalling the daemon.
  std::chrono::milliseconds max_retry_after{600'000};
};

class ArxivClient final : public FeedSource {
 public:
  // `sleep` waits for the given time; tests pass one that records instead of sleeping. Empty
  // means std::this_thread::sleep_for.
  using Sleep = std::function<void(std::chrono::milliseconds)>;

  explicit ArxivClient(ArxivClientOptions options, Sleep sleep = {});
  ~ArxivClient() override;

  Result<FetchedFeed> fetch_day_feed(const std::vector<std::string>& categories,
                                     const HttpValidators& previous) override;

  // One page of the search API: `query` is the URL query string after '?'
  // ("search_query=cat:cs.LG&start=0&max_results=100").
  Result<FetchedFeed> fetch_api(const std::string& query);

 private:
  struct Connection;  // the libcurl easy handle, reused so that its connection is kept alive

  Result<FetchedFeed> get(const std::string& url, const HttpValidators& previous);

  // Sleeps until `retry_wait` has passed and `min_interval` since the last request start.
  void wait_for_turn(std::chrono::milliseconds retry_wait);
  std::chrono::milliseconds backoff_before_retry(int retry) const;

  ArxivClientOptions options_;
  Sleep sleep_;
  std::unique_ptr<Connection> connection_;
  std::chrono::steady_clock::time_point last_request_{};
  bool any_request_ = false;
};

}  // namespace paperbot
