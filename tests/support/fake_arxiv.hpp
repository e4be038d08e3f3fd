// A fake arXiv on loopback for the daemon's tests: the day feed (the same file for any category
// list, switchable while the daemon runs) and the search API's answer.
#pragma once

#include "tests/support/fake_http_server.hpp"
#include "tests/support/test_data.hpp"

#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

namespace paperbot::testing {

// arXiv's side: the day feed for any category list, and the search API.
class FakeArxiv {
 public:
  explicit FakeArxiv(std::filesystem::path feed) : feed_(std::move(feed)) {}

  void serve_feed(std::filesystem::path feed) {
    std::lock_guard lock(mutex_);
    feed_ = std::move(feed);
  }
  void serve_api(std::string body) {
    std::lock_guard lock(mutex_);
    api_ = std::move(body);
  }
  // Every request answered with `status` (0: serve again), as an arXiv that is down.
  void fail_with(int status) {
    std::lock_guard lock(mutex_);
    failing_ = status;
  }
  std::string base_url() const { return server_.base_url(); }
  std::vector<FakeRequest> requests() const { return server_.requests(); }

 private:
  FakeResponse handle(const FakeRequest& request) {
    std::lock_guard lock(mutex_);
    if (failing_ != 0) return FakeResponse{failing_, {{"Content-Type", "text/plain"}}, "down"};
    if (request.target.rfind("/api/query", 0) == 0) {
      return FakeResponse{200, {{"Content-Type", "application/atom+xml"}}, api_};
    }
    return FakeResponse{200, {{"Content-Type", "application/rss+xml"}}, read_file(feed_)};
  }

  std::mutex mutex_;
  std::filesystem::path feed_;
  std::string api_;
  int failing_ = 0;
  FakeHttpServer server_{[this](const FakeRequest& request) { return handle(request); }};
};

}  // namespace paperbot::testing
