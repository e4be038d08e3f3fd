// Looks up the authors' h-indices of arXiv papers on Semantic Scholar, for the optional h-index
// filter: POST {base_url}/paper/batch?fields=authors.hIndex with the body
// {"ids": ["arXiv:2501.16396", ...]}, up to 500 ids a request. The answer is a JSON array aligned
// with the ids: null for a paper Semantic Scholar does not know, else the paper with its authors
// and their hIndex (or null).
//
// Politely, through PoliteHttpClient: one request at a time and at most one a second, with or
// without an API key (a key's default limit is also one a second), retries with backoff on 429
// and 5xx honouring Retry-After, and a timeout on every request. The API key comes from the
// environment (S2_API_KEY); it is sent as the x-api-key header and never logged.
//
// Thread safety: one ScholarClient is used from one thread at a time.
#pragma once

#include "adapters/http/polite_http_client.hpp"
#include "core/digest/author_index_source.hpp"

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace paperbot {

struct ScholarClientOptions {
  std::string base_url = "https://api.semanticscholar.org/graph/v1";
  std::string api_key;           // empty: no key is sent
  std::size_t batch_size = 500;  // ids a request; 500 is the batch endpoint's limit
  PoliteHttpOptions http{.user_agent = kPaperbotUserAgent,
                         .timeout = std::chrono::milliseconds{30'000},
                         .min_interval = std::chrono::milliseconds{1'000},
                         .max_retries = 4,
                         .initial_backoff = std::chrono::milliseconds{2'000},
                         .max_backoff = std::chrono::milliseconds{60'000},
                         .max_retry_after = std::chrono::milliseconds{600'000},
                         .should_stop = {}};
};

class ScholarClient final : public AuthorIndexSource {
 public:
  using Sleep = PoliteHttpClient::Sleep;

  // `sleep` as for PoliteHttpClient: tests pass one that records instead of sleeping.
  explicit ScholarClient(ScholarClientOptions options, Sleep sleep = {});

  // Asks in batches of `batch_size`. A batch that fails leaves its ids out of the answer (with a
  // warning); when every batch fails, the answer is the first batch's error.
  Result<std::map<std::string, std::optional<int>>> best_h_index(
      const std::vector<std::string>& arxiv_ids) override;

 private:
  Result<std::map<std::string, std::optional<int>>> look_up_batch(
      const std::vector<std::string>& arxiv_ids);

  ScholarClientOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
  PoliteHttpClient http_;
};

// Reads a batch answer for `arxiv_ids` (in the order they were asked): each id's best author
// h-index, nullopt when unknown. An answer that is not an array of one entry per id is an error.
// Exposed for tests.
Result<std::map<std::string, std::optional<int>>> parse_batch_answer(
    std::string_view body, const std::vector<std::string>& arxiv_ids);

}  // namespace paperbot
