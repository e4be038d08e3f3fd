// One HTTP client over libcurl for the services paperbot must be polite to (arXiv, Semantic
// Scholar): one request at a time, at most one start every `min_interval`, a User-Agent, a timeout
// on every request, and retries with backoff and jitter on 429, 5xx and transient network errors,
// honouring Retry-After. The adapters add what their service needs on top (URLs, conditional GET,
// response formats).
//
// The client keeps its libcurl handle, and with it the open connection, between requests.
// Request headers may carry secrets (an API key): they are sent, never logged. Logs name the
// method and URL only.
//
// Failures are values: after the retries, or at once for a 4xx other than 429, the Error (step as
// given to the constructor) names the method, the URL, the last HTTP status or curl error and the
// number of attempts.
//
// Thread safety: one PoliteHttpClient is used from one thread at a time.
#pragma once

#include "core/common/http.hpp"
#include "core/common/result.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace spdlog {
class logger;
}

namespace paperbot {

// Who is asking, and where to find out more, as the services' terms ask.
inline constexpr const char* kPaperbotUserAgent =
    "paperbot/" PAPERBOT_VERSION " (arXiv digest bot; +https://github.com/paperbot/paperbot)";

// The defaults are arXiv's, the strictest service paperbot talks to.
struct PoliteHttpOptions {
  std::string user_agent = kPaperbotUserAgent;    // empty also means kPaperbotUserAgent
  std::chrono::milliseconds timeout{60'000};      // whole request; connecting gets at most 15 s
  std::chrono::milliseconds min_interval{3'000};  // between request starts, retries included
  int max_retries = 4;                            // attempts after the first
  // Before retry n (from 1): initial_backoff * 2^(n-1), at most max_backoff, less up to a quarter
  // of random jitter. A 429 or 503 with Retry-After waits exactly what the server asks instead.
  std::chrono::milliseconds initial_backoff{5'000};
  std::chrono::milliseconds max_backoff{120'000};
  // A Retry-After longer than this ends the request with an error rather than stalling the daemon.
  std::chrono::milliseconds max_retry_after{600'000};
  // Asked while waiting (every quarter second) and during a transfer: once it says true, the
  // request ends at once with an error, so that a stopping daemon need not wait out the retries.
  std::function<bool()> should_stop;
};

struct HttpRequest {
  enum class Method { kGet, kPost };
  Method method = Method::kGet;
  std::string url;
  std::vector<std::string> headers;  // "Name: value"; never logged
  std::string body;                  // sent with kPost
};

struct HttpResponse {
  long status = 0;  // 2xx or 304
  std::string body;
  HttpValidators validators;  // ETag and Last-Modified of the response, empty when absent
};

class PoliteHttpClient {
 public:
  // `sleep` waits for the given time; tests pass one that records instead of sleeping. Empty
  // means std::this_thread::sleep_for. `step` names the failures ("fetch arXiv feed"). `logger`
  // must not be null.
  using Sleep = std::function<void(std::chrono::milliseconds)>;

  PoliteHttpClient(PoliteHttpOptions options, std::string step,
                   std::shared_ptr<spdlog::logger> logger, Sleep sleep = {});
  ~PoliteHttpClient();
  PoliteHttpClient(const PoliteHttpClient&) = delete;
  PoliteHttpClient& operator=(const PoliteHttpClient&) = delete;

  // Sends `request`, retrying as the options say. A 2xx or a 304 is a response; anything else
  // is an error. Redirects (up to 5, http and https only) are followed.
  Result<HttpResponse> send(const HttpRequest& request);

  const PoliteHttpOptions& options() const { return options_; }

 private:
  struct Connection;  // the libcurl easy handle, reused so that its connection is kept alive

  // Sleeps until `retry_wait` has passed and `min_interval` since the last request start; false
  // when should_stop cut the wait short.
  bool wait_for_turn(std::chrono::milliseconds retry_wait);
  bool stopping() const { return options_.should_stop && options_.should_stop(); }
  std::chrono::milliseconds backoff_before_retry(int retry) const;

  PoliteHttpOptions options_;
  std::string step_;
  std::shared_ptr<spdlog::logger> logger_;
  Sleep sleep_;
  std::unique_ptr<Connection> connection_;
  std::chrono::steady_clock::time_point last_request_{};
  bool any_request_ = false;
};

}  // namespace paperbot
