#include "adapters/slack/web_api.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <utility>

namespace paperbot {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;

constexpr const char* kDefaultUserAgent =
    "paperbot/" PAPERBOT_VERSION " (arXiv digest bot; +https://github.com/paperbot/paperbot)";
constexpr const char* kJsonContentType = "Content-Type: application/json; charset=utf-8";
constexpr const char* kTokenFix =
    "check SLACK_BOT_TOKEN: it must be the current bot token (xoxb-...) of the installed app";

// Errors Slack may clear by itself: the same call can succeed later.
constexpr std::array<std::string_view, 6> kTransientCodes = {
    "ratelimited", "rate_limited",        "internal_error",
    "fatal_error", "service_unavailable", "request_timeout"};

// Errors of the token: no call can succeed until a person replaces it.
constexpr std::array<std::string_view, 6> kTokenCodes = {"invalid_auth",     "not_authed",
                                                         "account_inactive", "token_revoked",
                                                         "token_expired",    "no_permission"};

std::shared_ptr<spdlog::logger> make_logger() {
  if (auto registered = spdlog::get("slack")) return registered;
  return spdlog::default_logger()->clone("slack");
}

PoliteHttpOptions http_options(const SlackWebApiOptions& options) {
  PoliteHttpOptions http;
  http.user_agent = options.user_agent.empty() ? kDefaultUserAgent : options.user_agent;
  http.timeout = options.timeout;
  // Pacing is per channel and done here; the shared client must not space unrelated calls.
  http.min_interval = milliseconds{0};
  http.max_retries = options.max_retries;
  http.initial_backoff = options.initial_backoff;
  http.max_backoff = options.max_backoff;
  http.max_retry_after = options.max_retry_after;
  return http;
}

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& codes, std::string_view code) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

std::string string_at(const json::object& object, std::string_view key) {
  if (const json::value* value = object.if_contains(key)) {
    if (const json::string* text = value->if_string()) return std::string(*text);
  }
  return {};
}

// RFC 3986 unreserved characters pass; everything else is %XX.
std::string percent_encode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    bool unreserved = std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~';
    out += unreserved ? std::string(1, static_cast<char>(c)) : fmt::format("%{:02X}", c);
  }
  return out;
}

// What Slack added to an error: the failing block paths of invalid_blocks, the needed scope.
std::string error_detail(const json::object& body) {
  std::string detail;
  if (const json::value* errors = body.if_contains("errors"); errors && errors->is_array()) {
    for (const json::value& item : errors->get_array()) {
      if (const json::string* text = item.if_string()) {
        detail += (detail.empty() ? "" : "; ") + std::string(*text);
      }
    }
  }
  std::string needed = string_at(body, "needed");
  if (!needed.empty()) detail += (detail.empty() ? "needed: " : "; needed: ") + needed;
  return detail;
}

// A failure of the HTTP exchange itself: PoliteHttpClient has already retried the transient ones,
// and marks the rest "(not retried)".
SlackError transport_error(const std::string& step, const Error& error) {
  SlackError failure;
  failure.error = make_error(step, error.message);
  failure.code = error.message.find("HTTP 429") != std::string::npos ? "ratelimited" : "http";
  failure.retryable = error.message.find("(not retried)") == std::string::npos;
  return failure;
}

SlackError invalid_response(const std::string& step, const std::string& what) {
  SlackError failure;
  failure.error = make_error(step, "Slack answered with " + what);
  failure.code = "invalid_response";
  failure.retryable = true;
  return failure;
}

std::optional<SlackMetadata> read_metadata(const json::object& message) {
  const json::value* metadata = message.if_contains("metadata");
  if (metadata == nullptr || !metadata->is_object()) return std::nullopt;
  SlackMetadata out;
  out.event_type = string_at(metadata->get_object(), "event_type");
  if (const json::value* payload = metadata->get_object().if_contains("event_payload")) {
    if (payload->is_object()) out.payload = payload->get_object();
  }
  return out;
}

}  // namespace

void throw_exception_from_error(const SlackError& error, const boost::source_location&) {
  throw std::logic_error("unchecked Slack error: " + error.error.to_string());
}

SlackError classify_slack_error(const std::string& step, const std::string& code,
                                const std::string& channel, const std::string& detail) {
  SlackError failure;
  failure.code = code;
  std::string where = channel.empty() ? "" : " (channel " + channel + ")";
  std::string message = code + where + (detail.empty() ? "" : ": " + detail);

  if (contains(kTransientCodes, code)) {
    failure.retryable = true;
  } else if (contains(kTokenCodes, code)) {
    failure.needs_person = true;
    failure.fix = kTokenFix;
  } else if (code == "not_in_channel") {
    failure.needs_person = true;
    failure.fix = "invite the bot to channel " + channel + " with /invite @paperbot";
  } else if (code == "channel_not_found") {
    failure.needs_person = true;
    failure.fix = "check the channel id " + channel +
                  " in the config; a private channel must first invite the bot (/invite @paperbot)";
  } else if (code == "is_archived") {
    failure.needs_person = true;
    failure.fix = "channel " + channel + " is archived: unarchive it or remove it from the config";
  } else if (code == "missing_scope") {
    failure.needs_person = true;
    failure.fix = "add the missing scope to the Slack app and reinstall it" +
                  (detail.empty() ? std::string() : " (" + detail + ")");
  } else if (code == "restricted_action" || code == "ekm_access_denied") {
    failure.needs_person = true;
    failure.fix =
        "a workspace setting stops the bot posting in channel " + channel + ": ask a Slack admin";
  }
  // Everything else (invalid_blocks, msg_blocks_too_long, no_text, ...) is permanent for this
  // message: the same payload will be refused again.

  if (failure.needs_person) message += "; to fix: " + failure.fix;
  failure.error = make_error(step, message);
  return failure;
}

SlackWebApi::SlackWebApi(SlackWebApiOptions options, std::string bot_token, Sleep sleep,
                         Clock clock)
    : options_(std::move(options)),
      bot_token_(std::move(bot_token)),
      sleep_(sleep ? std::move(sleep)
                   : Sleep([](milliseconds wait) { std::this_thread::sleep_for(wait); })),
      clock_(clock ? std::move(clock) : Clock([] { return std::chrono::steady_clock::now(); })),
      logger_(make_logger()),
      http_(http_options(options_), "call Slack Web API", logger_, sleep_) {
  while (!options_.base_url.empty() && options_.base_url.back() == '/')
    options_.base_url.pop_back();
}

SlackWebApi::~SlackWebApi() = default;

SlackResult<SlackPosted> SlackWebApi::post_message(const std::string& channel,
                                                   const SlackMessage& message,
                                                   const std::optional<std::string>& thread_ts,
                                                   const std::optional<SlackMetadata>& metadata) {
  const std::string step = "post to Slack";
  json::object body{{"channel", channel},
                    {"text", message.text},
                    {"unfurl_links", false},  // a digest is many links; previews would drown it
                    {"unfurl_media", false}};
  if (!message.blocks_json.empty()) {
    boost::system::error_code ec;
    json::value blocks = json::parse(message.blocks_json, ec);
    if (ec || !blocks.is_array()) {
      return classify_slack_error(step, "invalid_blocks_format", channel,
                                  "blocks are not an array");
    }
    body["blocks"] = std::move(blocks);
  }
  if (thread_ts) body["thread_ts"] = *thread_ts;
  if (metadata) {
    body["metadata"] =
        json::object{{"event_type", metadata->event_type}, {"event_payload", metadata->payload}};
  }

  HttpRequest request;
  request.method = HttpRequest::Method::kPost;
  request.url = options_.base_url + "/chat.postMessage";
  request.headers.push_back(kJsonContentType);
  request.body = json::serialize(body);

  wait_for_channel(channel);
  auto answer = call(step, channel, std::move(request));
  if (!answer) return answer.error();

  SlackPosted posted{string_at(*answer, "channel"), string_at(*answer, "ts")};
  if (posted.ts.empty()) return invalid_response(step, "no ts for a posted message");
  if (posted.channel.empty()) posted.channel = channel;
  logger_->debug("posted message {} to {}", posted.ts, posted.channel);
  return posted;
}

SlackResult<void> SlackWebApi::post_response(const std::string& response_url,
                                             const std::string& text, bool in_channel) {
  const std::string step = "answer a slash command";
  if (!response_url.starts_with("https://") && !response_url.starts_with("http://")) {
    return invalid_response(step, "a response_url that is not a web address");
  }
  json::object body{{"text", text},
                    {"response_type", in_channel ? "in_channel" : "ephemeral"},
                    {"unfurl_links", false}};
  HttpRequest request;
  request.method = HttpRequest::Method::kPost;
  request.url = response_url;
  request.headers.push_back(kJsonContentType);
  request.body = json::serialize(body);
  // A response_url carries its own authority; the bot token is not sent to it. Slack answers
  // "ok" or {"ok":true}: the status says enough.
  auto response = http_.send(request);
  if (!response) return transport_error(step, response.error());
  return {};
}

SlackResult<std::string> SlackWebApi::auth_test() {
  const std::string step = "check Slack token";
  HttpRequest request;
  request.url = options_.base_url + "/auth.test";
  auto answer = call(step, "", std::move(request));
  if (!answer) return answer.error();

  std::string user_id = string_at(*answer, "user_id");
  if (user_id.empty()) return invalid_response(step, "no user_id");
  return user_id;
}

SlackResult<SlackHistoryPage> SlackWebApi::conversations_history(const std::string& channel,
                                                                 const std::string& oldest_ts,
                                                                 std::size_t limit) {
  std::string query = "channel=" + percent_encode(channel) + "&limit=" + std::to_string(limit) +
                      "&include_all_metadata=true";
  if (!oldest_ts.empty()) query += "&oldest=" + percent_encode(oldest_ts);
  return read_messages("read Slack channel history", "conversations.history", channel, query);
}

SlackResult<SlackHistoryPage> SlackWebApi::conversations_replies(const std::string& channel,
                                                                 const std::string& thread_ts,
                                                                 const std::string& oldest_ts,
                                                                 std::size_t limit) {
  std::string query = "channel=" + percent_encode(channel) + "&ts=" + percent_encode(thread_ts) +
                      "&limit=" + std::to_string(limit) + "&include_all_metadata=true";
  if (!oldest_ts.empty()) query += "&oldest=" + percent_encode(oldest_ts);
  return read_messages("read Slack thread", "conversations.replies", channel, query);
}

SlackResult<SlackHistoryPage> SlackWebApi::read_messages(const std::string& step,
                                                         const std::string& method,
                                                         const std::string& channel,
                                                         const std::string& query) {
  // Reading methods take form arguments, not JSON, so they go as a GET query.
  HttpRequest request;
  request.url = options_.base_url + "/" + method + "?" + query;
  auto answer = call(step, channel, std::move(request));
  if (!answer) return answer.error();

  SlackHistoryPage page;
  const json::value* messages = answer->if_contains("messages");
  if (messages == nullptr || !messages->is_array()) return invalid_response(step, "no messages");
  for (const json::value& item : messages->get_array()) {
    if (!item.is_object()) continue;
    const json::object& message = item.get_object();
    page.messages.push_back(SlackHistoryMessage{
        string_at(message, "ts"), string_at(message, "thread_ts"), string_at(message, "text"),
        string_at(message, "user"), string_at(message, "bot_id"), read_metadata(message)});
  }
  if (const json::value* more = answer->if_contains("has_more"); more && more->is_bool()) {
    page.has_more = more->get_bool();
  }
  return page;
}

SlackResult<json::object> SlackWebApi::call(const std::string& step, const std::string& channel,
                                            HttpRequest request) {
  // The token is only ever in this header, which PoliteHttpClient never logs.
  request.headers.push_back("Authorization: Bearer " + bot_token_);
  auto response = http_.send(request);
  if (!response) return transport_error(step, response.error());

  boost::system::error_code ec;
  json::value parsed = json::parse(response->body, ec);
  if (ec || !parsed.is_object()) return invalid_response(step, "a body that is not a JSON object");
  json::object& body = parsed.get_object();

  // Slack answers logical errors with HTTP 200; only "ok" tells success.
  const json::value* ok = body.if_contains("ok");
  if (ok == nullptr || !ok->is_bool()) return invalid_response(step, "no \"ok\" field");
  if (!ok->get_bool()) {
    std::string code = string_at(body, "error");
    if (code.empty()) code = "unknown_error";
    // The caller logs the failure (once, for errors a person must fix); detail only here.
    SlackError failure = classify_slack_error(step, code, channel, error_detail(body));
    logger_->debug("{}", failure.error.to_string());
    return failure;
  }
  if (std::string warning = string_at(body, "warning"); !warning.empty()) {
    logger_->debug("{}: Slack warns: {}", step, warning);
  }
  return std::move(body);
}

void SlackWebApi::wait_for_channel(const std::string& channel) {
  auto now = clock_();
  if (auto last = last_post_.find(channel); last != last_post_.end()) {
    auto wait = std::chrono::ceil<milliseconds>(last->second + options_.channel_interval - now);
    if (wait.count() > 0) {
      sleep_(wait);
      now = clock_();
    }
  }
  last_post_[channel] = now;
}

}  // namespace paperbot
