#include "adapters/llm/openai_transport.hpp"

#include <curl/curl.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>
#include <random>

namespace paperbot {
namespace json = boost::json;
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::string_view kStep = "call the LLM endpoint";

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool is_retryable_status(long status) {
  return status == 408 || status == 409 || status == 429 || status >= 500;
}

bool is_retryable_transport(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM: return true;
    default: return false;
  }
}

// The "error.message" of an error body, or the start of the body.
std::string error_text(std::string_view body) {
  boost::system::error_code ec;
  auto value = json::parse(body, ec);
  if (!ec && value.is_object()) {
    if (auto* error = value.as_object().if_contains("error")) {
      if (error->is_object()) {
        if (auto* message = error->as_object().if_contains("message");
            message && message->is_string()) {
          return std::string(message->as_string());
        }
      }
      if (error->is_string()) return std::string(error->as_string());
    }
  }
  return std::string(body.substr(0, 200));
}

std::int64_t read_count(const json::object& object, std::string_view key) {
  auto* value = object.if_contains(key);
  if (value == nullptr) return 0;
  if (value->is_int64()) return value->as_int64();
  if (value->is_uint64()) return static_cast<std::int64_t>(value->as_uint64());
  if (value->is_double()) return static_cast<std::int64_t>(value->as_double());
  return 0;
}

// One request on the wire: its curl handle, what was sent and what came back.
struct Active {
  ChatRequest request;
  int attempt = 0;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  std::string body;
  std::string response;
  std::optional<milliseconds> retry_after;
  char error[CURL_ERROR_SIZE] = {};

  ~Active() {
    if (easy != nullptr) curl_easy_cleanup(easy);
    if (headers != nullptr) curl_slist_free_all(headers);
  }
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<Active*>(user)->response.append(data, size * count);
  return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* active = static_cast<Active*>(user);
  std::string_view line(data, size * count);
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return size * count;
  std::string name(line.substr(0, colon));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string value(line.substr(colon + 1));
  if (name == "retry-after-ms") {
    active->retry_after = milliseconds(std::atoll(value.c_str()));
  } else if (name == "retry-after" && !active->retry_after) {
    long long seconds = std::atoll(value.c_str());
    if (seconds == 0 && value.find_first_of("123456789") == std::string::npos) {
      // An HTTP-date: the wait is until then.
      time_t when = curl_getdate(value.c_str(), nullptr);
      if (when > 0) seconds = std::max<long long>(0, when - time(nullptr));
    }
    active->retry_after = milliseconds(seconds * 1000);
  }
  return size * count;
}

struct Pending {
  ChatRequest request;
  int attempt = 0;
  Clock::time_point not_before{};
};

}  // namespace

ChatReply parse_chat_response(std::string_view body) {
  ChatReply reply;
  boost::system::error_code ec;
  auto value = json::parse(body, ec);
  if (ec || !value.is_object()) {
    reply.content = make_error(std::string(kStep),
                               "the response is not JSON: " + std::string(body.substr(0, 120)));
    return reply;
  }
  const auto& object = value.as_object();
  if (auto* usage = object.if_contains("usage"); usage && usage->is_object()) {
    const auto& counts = usage->as_object();
    reply.usage.reported = true;
    reply.usage.prompt_tokens = read_count(counts, "prompt_tokens");
    reply.usage.completion_tokens = read_count(counts, "completion_tokens");
    if (auto* details = counts.if_contains("prompt_tokens_details");
        details && details->is_object()) {
      reply.usage.cached_prompt_tokens = read_count(details->as_object(), "cached_tokens");
    }
  }
  const json::value* content = nullptr;
  if (auto* choices = object.if_contains("choices");
      choices && choices->is_array() && !choices->as_array().empty()) {
    const auto& first = choices->as_array().front();
    if (first.is_object()) {
      if (auto* message = first.as_object().if_contains("message");
          message && message->is_object()) {
        content = message->as_object().if_contains("content");
      }
    }
  }
  if (content == nullptr || !content->is_string()) {
    reply.content = make_error(std::string(kStep), "the response has no message content");
    return reply;
  }
  reply.content = std::string(content->as_string());
  return reply;
}

// The event loop of one run(): a queue of requests waiting for their turn, and the ones on the
// wire.
struct OpenAiTransport::Loop {
  const OpenAiTransport& owner;
  const std::function<std::vector<ChatRequest>(ChatReply)>& on_reply;
  const std::function<bool(const ChatRequest&)>& may_send;
  CURLM* multi = curl_multi_init();
  std::deque<Pending> waiting;
  std::map<CURL*, std::unique_ptr<Active>> active;
  std::deque<std::pair<Clock::time_point, std::int64_t>> sent;  // the last minute's requests
  std::mt19937 random{std::random_device{}()};

  Loop(const OpenAiTransport& transport,
       const std::function<std::vector<ChatRequest>(ChatReply)>& reply_handler,
       const std::function<bool(const ChatRequest&)>& send_check)
      : owner(transport), on_reply(reply_handler), may_send(send_check) {}
  ~Loop() { curl_multi_cleanup(multi); }
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  const OpenAiTransportOptions& options() const { return owner.options_; }

  void reply(ChatReply answer) {
    for (auto& next : on_reply(std::move(answer)))
      waiting.push_back(Pending{std::move(next), 0, {}});
  }

  // When the per-minute limits allow a request of `tokens` to start; now when they do.
  Clock::time_point rate_slot(Clock::time_point now, std::int64_t tokens) {
    while (!sent.empty() && now - sent.front().first >= std::chrono::minutes(1)) sent.pop_front();
    std::int64_t used = 0;
    for (const auto& [when, count] : sent) used += count;
    bool too_many = options().requests_per_minute > 0 &&
                    static_cast<int>(sent.size()) >= options().requests_per_minute;
    bool too_large = options().tokens_per_minute > 0 && !sent.empty() &&
                     used + tokens > options().tokens_per_minute;
    if (!too_many && !too_large) return now;
    return sent.front().first + std::chrono::minutes(1);
  }

  void start(Pending pending) {
    auto item = std::make_unique<Active>();
    item->request = std::move(pending.request);
    item->attempt = pending.attempt + 1;
    item->body = owner.request_body(item->request);
    item->easy = curl_easy_init();

    std::string url = options().base_url + "/chat/completions";
    if (!options().api_version.empty()) url += "?api-version=" + options().api_version;
    item->headers = curl_slist_append(item->headers, "Content-Type: application/json");
    std::string auth = options().api_style == "azure"
                           ? "api-key: " + options().api_key
                           : "Authorization: Bearer " + options().api_key;
    if (!options().api_key.empty()) item->headers = curl_slist_append(item->headers, auth.c_str());
    item->headers = curl_slist_append(item->headers, "Expect:");

    CURL* easy = item->easy;
    curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, item->headers);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, item->body.c_str());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(item->body.size()));
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(options().timeout.count()));
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, 30'000L);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(easy, CURLOPT_USERAGENT, "paperbot/" PAPERBOT_VERSION);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, item.get());
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, item.get());
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, item->error);

    sent.emplace_back(Clock::now(), item->request.estimated_tokens);
    curl_multi_add_handle(multi, easy);
    active.emplace(easy, std::move(item));
  }

  milliseconds backoff(int attempt) {
    auto base = options().initial_backoff * (1LL << std::min(attempt - 1, 20));
    auto capped = std::min<milliseconds>(base, options().max_backoff);
    std::uniform_real_distribution<double> jitter(0.75, 1.25);
    return milliseconds(
        static_cast<long long>(static_cast<double>(capped.count()) * jitter(random)));
  }

  void finish(CURL* easy, CURLcode code) {
    auto node = active.extract(easy);
    curl_multi_remove_handle(multi, easy);
    Active& item = *node.mapped();
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);

    if (code == CURLE_OK && status == 200) {
      ChatReply answer = parse_chat_response(item.response);
      answer.tag = item.request.tag;
      reply(std::move(answer));
      return;
    }

    std::string what = code != CURLE_OK
                           ? std::string(curl_easy_strerror(code)) +
                                 (item.error[0] ? std::string(": ") + item.error : "")
                           : "HTTP " + std::to_string(status) + ": " + error_text(item.response);
    bool retryable = code != CURLE_OK ? is_retryable_transport(code) : is_retryable_status(status);
    bool waits_too_long = item.retry_after && *item.retry_after > options().max_retry_after;
    if (retryable && !waits_too_long && item.attempt <= options().max_retries) {
      milliseconds wait = item.retry_after.value_or(backoff(item.attempt));
      owner.logger_->warn("LLM request failed ({}); retry {} of {} in {} ms", what, item.attempt,
                          options().max_retries, wait.count());
      waiting.push_front(Pending{std::move(item.request), item.attempt, Clock::now() + wait});
      return;
    }

    ChatReply answer;
    answer.tag = item.request.tag;
    answer.content =
        make_error(std::string(kStep), what + " (after " + std::to_string(item.attempt) +
                                           (item.attempt == 1 ? " attempt)" : " attempts)"));
    answer.permanent_failure = code == CURLE_OK && !retryable;
    reply(std::move(answer));
  }

  void run() {
    while (!waiting.empty() || !active.empty()) {
      // Start what the concurrency and rate limits allow, in queue order.
      auto now = Clock::now();
      Clock::time_point wake = now + milliseconds(200);
      for (auto it = waiting.begin(); it != waiting.end();) {
        if (static_cast<int>(active.size()) >= options().max_in_flight) break;
        if (it->not_before > now) {
          wake = std::min(wake, it->not_before);
          ++it;
          continue;
        }
        if (it->attempt == 0 && !may_send(it->request)) {
          ChatReply refused;
          refused.tag = it->request.tag;
          refused.not_sent = true;
          refused.content = make_error(std::string(kStep), "not sent: over the spending cap");
          it = waiting.erase(it);
          reply(std::move(refused));
          it = waiting.begin();
          continue;
        }
        auto slot = rate_slot(now, it->request.estimated_tokens);
        if (slot > now) {
          wake = std::min(wake, slot);
          break;
        }
        Pending pending = std::move(*it);
        it = waiting.erase(it);
        start(std::move(pending));
      }

      int running = 0;
      curl_multi_perform(multi, &running);
      int queued = 0;
      bool finished_any = false;
      while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
        if (message->msg != CURLMSG_DONE) continue;
        finish(message->easy_handle, message->data.result);
        finished_any = true;
      }
      if (waiting.empty() && active.empty()) break;
      // A reply may have queued follow-ups or freed a slot: start them before waiting again.
      if (finished_any) continue;

      auto timeout = std::chrono::duration_cast<milliseconds>(wake - Clock::now());
      int timeout_ms = static_cast<int>(std::clamp<long long>(timeout.count(), 1, 200));
      curl_multi_poll(multi, nullptr, 0, timeout_ms, nullptr);
    }
  }
};

OpenAiTransport::OpenAiTransport(OpenAiTransportOptions options,
                                 std::shared_ptr<spdlog::logger> logger)
    : options_(std::move(options)), logger_(std::move(logger)) {
  init_curl_once();
}

OpenAiTransport::~OpenAiTransport() = default;

std::string OpenAiTransport::request_body(const ChatRequest& request) const {
  json::object body;
  body["model"] = options_.model;
  json::array messages;
  for (const auto& message : request.messages) {
    messages.push_back(json::object{{"role", message.role}, {"content", message.content}});
  }
  body["messages"] = std::move(messages);
  body["temperature"] = options_.temperature;
  if (options_.seed) body["seed"] = *options_.seed;
  return json::serialize(body);
}

void OpenAiTransport::run(std::vector<ChatRequest> first,
                          const std::function<std::vector<ChatRequest>(ChatReply)>& on_reply,
                          const std::function<bool(const ChatRequest&)>& may_send) {
  Loop loop{*this, on_reply, may_send};
  for (auto& request : first) loop.waiting.push_back(Pending{std::move(request), 0, {}});
  loop.run();
}

}  // namespace paperbot
