#include "adapters/arxiv/arxiv_client.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <utility>

namespace paperbot {

namespace {

constexpr const char* kStep = "fetch arXiv feed";

std::shared_ptr<spdlog::logger> make_logger() {
  if (auto registered = spdlog::get("arxiv")) return registered;
  return spdlog::default_logger()->clone("arxiv");
}

}  // namespace

ArxivClient::ArxivClient(ArxivClientOptions options, Sleep sleep)
    : options_(std::move(options)),
      logger_(make_logger()),
      http_(options_, kStep, logger_, std::move(sleep)) {}

Result<FetchedFeed> ArxivClient::fetch_day_feed(const std::vector<std::string>& categories,
                                                const HttpValidators& previous) {
  if (categories.empty()) return make_error(kStep, "no categories to fetch");

  // Categories come from the config; refuse anything that would change the URL's meaning.
  std::string joined;
  for (const auto& category : categories) {
    bool plain = !category.empty() && std::all_of(category.begin(), category.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
    });
    if (!plain) return make_error(kStep, fmt::format("invalid arXiv category \"{}\"", category));
    joined += (joined.empty() ? "" : "+") + category;
  }
  return get(options_.feed_base_url + joined, previous);
}

Result<FetchedFeed> ArxivClient::fetch_api(const std::string& query) {
  std::string url = options_.api_base_url;
  if (!query.empty()) url += "?" + query;
  return get(url, HttpValidators{});
}

Result<FetchedFeed> ArxivClient::get(const std::string& url, const HttpValidators& previous) {
  HttpRequest request;
  request.url = url;
  if (!previous.etag.empty()) request.headers.push_back("If-None-Match: " + previous.etag);
  if (!previous.last_modified.empty()) {
    request.headers.push_back("If-Modified-Since: " + previous.last_modified);
  }
  auto response = http_.send(request);
  if (!response) return response.error();

  FetchedFeed feed;
  feed.source = url;
  feed.validators = std::move(response->validators);
  if (response->status == 304) {
    // A 304 may omit a validator that still holds; keep the one the caller sent then.
    if (feed.validators.etag.empty()) feed.validators.etag = previous.etag;
    if (feed.validators.last_modified.empty()) {
      feed.validators.last_modified = previous.last_modified;
    }
    feed.not_modified = true;
    logger_->info("{} not modified since the last fetch", url);
    return feed;
  }
  logger_->info("fetched {} ({} bytes)", url, response->body.size());
  feed.body = std::move(response->body);
  return feed;
}

}  // namespace paperbot
