#include "adapters/http/polite_http_client.hpp"

#include <curl/curl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <mutex>
#include <optional>
#include <random>
#include <string_view>
#include <thread>
#include <utility>

namespace paperbot {
namespace {

constexpr long kMaxRedirects = 5;
constexpr std::chrono::milliseconds kMaxConnectTimeout{15'000};

// Bodies paperbot fetches are a few MB at most; anything far larger is not the service talking.
constexpr std::size_t kMaxBodyBytes = std::size_t{256} << 20;

using std::chrono::milliseconds;

// libcurl's global state is set up once per process and never torn down, since other adapters
// share it until exit.
CURLcode init_curl_once() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  return result;
}

const char* method_name(HttpRequest::Method method) {
  return method == HttpRequest::Method::kPost ? "POST" : "GET";
}

// What one request brought back: a transport error, or a status with its body and headers.
struct Attempt {
  CURLcode code = CURLE_OK;
  std::string curl_message;
  long status = 0;
  std::string body;
  HttpValidators validators;
  std::string retry_after;

  bool answered(long low, long high) const {
    return code == CURLE_OK && status >= low && status <= high;
  }
};

std::string describe_failure(const Attempt& attempt) {
  if (attempt.code != CURLE_OK) {
    return fmt::format("curl error {} ({})", static_cast<int>(attempt.code), attempt.curl_message);
  }
  return fmt::format("HTTP {}", attempt.status);
}

// Failures that another try may cure: the server or the network was briefly unwell.
bool is_transient(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM: return true;
    default: return false;
  }
}

bool is_transient(const Attempt& attempt) {
  if (attempt.code != CURLE_OK) return is_transient(attempt.code);
  return attempt.status == 429 || attempt.status >= 500;
}

// Retry-After is either delay-seconds or an HTTP-date (RFC 9110, 10.2.3).
std::optional<milliseconds> parse_retry_after(std::string_view value) {
  auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!value.empty() && is_space(value.back())) value.remove_suffix(1);
  while (!value.empty() && is_space(value.front())) value.remove_prefix(1);
  if (value.empty()) return std::nullopt;

  bool all_digits = std::all_of(value.begin(), value.end(),
                                [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  if (all_digits) {
    // Nine digits are 30 years; longer would only overflow.
    if (value.size() > 9) return milliseconds::max();
    return std::chrono::seconds(std::stol(std::string(value)));
  }

  std::time_t when = curl_getdate(std::string(value).c_str(), nullptr);
  if (when < 0) return std::nullopt;
  auto wait = std::chrono::seconds(when - std::time(nullptr));
  return std::max<milliseconds>(wait, milliseconds{0});
}

// libcurl's progress callback: a nonzero answer abandons the transfer.
int abandon_when_stopping(void* should_stop, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto& asked = *static_cast<const std::function<bool()>*>(should_stop);
  return asked && asked() ? 1 : 0;
}

size_t append_body(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  size_t bytes = size * count;
  if (body->size() + bytes > kMaxBodyBytes) return 0;  // curl reports a write error
  body->append(data, bytes);
  return bytes;
}

// The value of a header of the last response (after redirects), or empty.
std::string response_header(CURL* curl, const char* name) {
  curl_header* header = nullptr;
  if (curl_easy_header(curl, name, 0, CURLH_HEADER, -1, &header) != CURLHE_OK) return {};
  return header->value;
}

}  // namespace

struct PoliteHttpClient::Connection {
  CURL* curl = nullptr;

  ~Connection() {
    if (curl != nullptr) curl_easy_cleanup(curl);
  }

  Attempt perform(const HttpRequest& request, const PoliteHttpOptions& options) {
    Attempt attempt;
    char error_buffer[CURL_ERROR_SIZE] = {};

    // A failed append leaves the list as it was; the request then goes out without that header.
    curl_slist* header_list = nullptr;
    std::vector<std::string> headers = request.headers;
    // An empty Expect keeps curl from waiting for a "100 Continue" before sending a POST body.
    if (request.method == HttpRequest::Method::kPost) headers.push_back("Expect:");
    for (const std::string& header : headers) {
      if (curl_slist* grown = curl_slist_append(header_list, header.c_str())) header_list = grown;
    }
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_guard(header_list,
                                                                             &curl_slist_free_all);

    long timeout_ms = static_cast<long>(options.timeout.count());
    long connect_ms = static_cast<long>(std::min(options.timeout, kMaxConnectTimeout).count());
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    if (request.method == HttpRequest::Method::kPost) {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
    } else {
      curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    }
    curl_easy_setopt(curl, CURLOPT_USERAGENT, options.user_agent.c_str());
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // every encoding curl can decode
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_guard.get());
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, kMaxRedirects);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // signals are no timeout mechanism in threads
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &append_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &attempt.body);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
    if (options.should_stop) {
      curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
      curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &abandon_when_stopping);
      curl_easy_setopt(curl, CURLOPT_XFERINFODATA,
                       const_cast<std::function<bool()>*>(&options.should_stop));
    }

    attempt.code = curl_easy_perform(curl);
    if (attempt.code == CURLE_OK) {
      curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &attempt.status);
      attempt.validators.etag = response_header(curl, "ETag");
      attempt.validators.last_modified = response_header(curl, "Last-Modified");
      attempt.retry_after = response_header(curl, "Retry-After");
    } else {
      attempt.curl_message =
          error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(attempt.code);
    }

    // The handle outlives this call; leave it pointing at nothing of this stack frame.
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, nullptr);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 1L);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, nullptr);
    if (request.method == HttpRequest::Method::kPost) {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, nullptr);
    }
    return attempt;
  }
};

PoliteHttpClient::PoliteHttpClient(PoliteHttpOptions options, std::string step,
                                   std::shared_ptr<spdlog::logger> logger, Sleep sleep)
    : options_(std::move(options)),
      step_(std::move(step)),
      logger_(std::move(logger)),
      sleep_(std::move(sleep)) {
  if (options_.user_agent.empty()) options_.user_agent = kPaperbotUserAgent;
  if (!sleep_) sleep_ = [](milliseconds wait) { std::this_thread::sleep_for(wait); };
}

PoliteHttpClient::~PoliteHttpClient() = default;

Result<HttpResponse> PoliteHttpClient::send(const HttpRequest& request) {
  const std::string target = fmt::format("{} {}", method_name(request.method), request.url);
  if (CURLcode init = init_curl_once(); init != CURLE_OK) {
    return make_error(step_,
                      fmt::format("cannot initialise libcurl: {}", curl_easy_strerror(init)));
  }
  if (!connection_) {
    auto connection = std::make_unique<Connection>();
    connection->curl = curl_easy_init();
    if (connection->curl == nullptr) return make_error(step_, "cannot create a libcurl handle");
    connection_ = std::move(connection);
  }

  const int attempts_allowed = 1 + std::max(0, options_.max_retries);
  milliseconds retry_wait{0};
  std::string last_failure;
  const auto stopped = [&] {
    return make_error(step_, fmt::format("{}: given up, paperbot is stopping", target));
  };
  for (int attempt_number = 1; attempt_number <= attempts_allowed; ++attempt_number) {
    if (!wait_for_turn(retry_wait)) return stopped();
    logger_->debug("{} (attempt {} of {})", target, attempt_number, attempts_allowed);
    Attempt attempt = connection_->perform(request, options_);
    if (attempt.answered(200, 299) || attempt.answered(304, 304)) {
      return HttpResponse{attempt.status, std::move(attempt.body), std::move(attempt.validators)};
    }
    if (attempt.code == CURLE_ABORTED_BY_CALLBACK) return stopped();

    // Only failures a later try may cure are retried; the rest are ours to fix, not the server's.
    last_failure = describe_failure(attempt);
    if (!is_transient(attempt)) {
      return make_error(step_, fmt::format("{}: {} (not retried)", target, last_failure));
    }
    if (attempt_number == attempts_allowed) break;

    retry_wait = backoff_before_retry(attempt_number);
    if (attempt.status == 429 || attempt.status == 503) {
      if (auto asked = parse_retry_after(attempt.retry_after)) {
        if (*asked > options_.max_retry_after) {
          return make_error(step_, fmt::format("{}: {} with Retry-After \"{}\", longer than the "
                                               "{} s this client waits; try again later",
                                               target, last_failure, attempt.retry_after,
                                               options_.max_retry_after.count() / 1000));
        }
        retry_wait = *asked;
      }
    }
    logger_->warn("{}: {}; retrying in {} ms", target, last_failure, retry_wait.count());
  }
  return make_error(step_, fmt::format("{} failed after {} attempts; last: {}", target,
                                       attempts_allowed, last_failure));
}

bool PoliteHttpClient::wait_for_turn(milliseconds retry_wait) {
  milliseconds wait = retry_wait;
  if (any_request_) {
    auto since_last = std::chrono::steady_clock::now() - last_request_;
    wait = std::max(wait, std::chrono::ceil<milliseconds>(options_.min_interval - since_last));
  }
  if (stopping()) return false;
  if (!options_.should_stop) {
    if (wait.count() > 0) sleep_(wait);
  } else {
    // In slices, asking between them whether to stop.
    constexpr milliseconds kSlice{250};
    for (milliseconds left = wait; left.count() > 0; left -= kSlice) {
      sleep_(std::min(left, kSlice));
      if (stopping()) return false;
    }
  }
  last_request_ = std::chrono::steady_clock::now();
  any_request_ = true;
  return true;
}

milliseconds PoliteHttpClient::backoff_before_retry(int retry) const {
  milliseconds backoff = std::min(options_.initial_backoff, options_.max_backoff);
  for (int doubling = 1; doubling < retry && backoff < options_.max_backoff; ++doubling) {
    backoff = std::min(backoff * 2, options_.max_backoff);
  }

  // Jitter keeps clients that failed together from retrying together.
  thread_local std::mt19937 random{std::random_device{}()};
  std::uniform_int_distribution<milliseconds::rep> jitter(0, backoff.count() / 4);
  return backoff - milliseconds{jitter(random)};
}

}  // namespace paperbot
