#include "adapters/scholar/scholar_client.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include <algorithm>
#include <utility>

namespace paperbot {
namespace {

constexpr const char* kStep = "look up h-indices";
constexpr std::size_t kMaxBatch = 500;  // the batch endpoint refuses more ids

using BestHIndex = std::map<std::string, std::optional<int>>;

std::shared_ptr<spdlog::logger> make_logger() {
  if (auto registered = spdlog::get("scholar")) return registered;
  return spdlog::default_logger()->clone("scholar");
}

// The highest hIndex of a paper's authors; nullopt when none is given.
std::optional<int> best_of(const boost::json::object& paper) {
  const auto* authors = paper.if_contains("authors");
  if (authors == nullptr || !authors->is_array()) return std::nullopt;
  std::optional<int> best;
  for (const auto& author : authors->get_array()) {
    const auto* h_index = author.is_object() ? author.get_object().if_contains("hIndex") : nullptr;
    if (h_index == nullptr || !h_index->is_int64()) continue;
    int value = static_cast<int>(std::clamp<std::int64_t>(h_index->get_int64(), 0, 1'000'000));
    best = std::max(best.value_or(value), value);
  }
  return best;
}

}  // namespace

Result<BestHIndex> parse_batch_answer(std::string_view body,
                                      const std::vector<std::string>& arxiv_ids) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(body, ec);
  if (ec) return make_error(kStep, "the answer is not JSON: " + ec.message());
  if (!value.is_array() || value.get_array().size() != arxiv_ids.size()) {
    return make_error(kStep, fmt::format("expected a JSON array of {} entries, one per id asked",
                                         arxiv_ids.size()));
  }

  BestHIndex best;
  const boost::json::array& papers = value.get_array();
  for (std::size_t i = 0; i < papers.size(); ++i) {
    const boost::json::value& paper = papers[i];
    if (paper.is_null()) {
      best[arxiv_ids[i]] = std::nullopt;  // Semantic Scholar does not know the paper
    } else if (paper.is_object()) {
      best[arxiv_ids[i]] = best_of(paper.get_object());
    } else {
      return make_error(kStep, fmt::format("entry {} of the answer (for {}) is neither a paper "
                                           "nor null",
                                           i, arxiv_ids[i]));
    }
  }
  return best;
}

ScholarClient::ScholarClient(ScholarClientOptions options, Sleep sleep)
    : options_(std::move(options)),
      logger_(make_logger()),
      http_(options_.http, kStep, logger_, std::move(sleep)) {
  options_.batch_size = std::clamp<std::size_t>(options_.batch_size, 1, kMaxBatch);
  while (options_.base_url.ends_with('/')) options_.base_url.pop_back();
}

Result<BestHIndex> ScholarClient::best_h_index(const std::vector<std::string>& arxiv_ids) {
  BestHIndex best;
  std::optional<Error> first_failure;
  std::size_t failed = 0;
  for (std::size_t start = 0; start < arxiv_ids.size(); start += options_.batch_size) {
    std::size_t end = std::min(arxiv_ids.size(), start + options_.batch_size);
    std::vector<std::string> batch(arxiv_ids.begin() + static_cast<std::ptrdiff_t>(start),
                                   arxiv_ids.begin() + static_cast<std::ptrdiff_t>(end));
    auto answer = look_up_batch(batch);
    if (!answer) {
      if (!first_failure) first_failure = answer.error();
      failed += batch.size();
      continue;
    }
    best.merge(*answer);
  }

  if (first_failure && best.empty()) return *first_failure;
  if (first_failure) {
    logger_->warn("no h-indices for {} of {} papers: {}", failed, arxiv_ids.size(),
                  first_failure->to_string());
  }
  logger_->info("looked up the authors' h-indices of {} papers on Semantic Scholar", best.size());
  return best;
}

Result<BestHIndex> ScholarClient::look_up_batch(const std::vector<std::string>& arxiv_ids) {
  boost::json::array ids;
  for (const std::string& id : arxiv_ids) ids.emplace_back("arXiv:" + id);

  HttpRequest request;
  request.method = HttpRequest::Method::kPost;
  request.url = options_.base_url + "/paper/batch?fields=authors.hIndex";
  request.headers = {"Content-Type: application/json", "Accept: application/json"};
  if (!options_.api_key.empty()) request.headers.push_back("x-api-key: " + options_.api_key);
  request.body = boost::json::serialize(boost::json::object{{"ids", std::move(ids)}});

  auto response = http_.send(request);
  if (!response) return response.error();
  return parse_batch_answer(response->body, arxiv_ids);
}

}  // namespace paperbot
