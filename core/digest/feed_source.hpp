// Where announcement feeds come from. adapters/arxiv fetches them over HTTP; a saved file serves
// `--feed FILE`; tests use a fake server behind the HTTP implementation.
#pragma once

#include "core/common/http.hpp"
#include "core/common/result.hpp"

#include <string>
#include <vector>

namespace paperbot {

struct FetchedFeed {
  std::string source;         // the URL or path, for messages
  std::string body;           // empty when not_modified
  bool not_modified = false;  // the server answered 304: nothing new since `validators` were seen
  HttpValidators validators;  // to send next time
};

class FeedSource {
 public:
  virtual ~FeedSource() = default;

  // The current day feed of these categories (joined with '+', one request). `previous` are the
  // validators of the last successful fetch of the same feed, for a conditional GET.
  virtual Result<FetchedFeed> fetch_day_feed(const std::vector<std::string>& categories,
                                             const HttpValidators& previous) = 0;
};

}  // namespace paperbot
