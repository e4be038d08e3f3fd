#include "tests/support/fake_slack.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <utility>

namespace paperbot::testing {
namespace json = boost::json;
namespace {

constexpr std::size_t kMaxBlocks = 50;
constexpr std::size_t kMaxSectionChars = 3000;
constexpr std::size_t kMaxHeaderChars = 150;
constexpr std::size_t kMaxMessageChars = 12'000;
// Recorded posts get ts values one second apart from when the first fake started, as Slack's ts
// are times: the daemon's history lookups only read messages newer than a delivery's creation.
long long first_ts_second() {
  static const long long first = static_cast<long long>(std::time(nullptr));
  return first;
}
// The app the Socket Mode URLs name, as Slack's do.
constexpr const char* kAppId = "A0PAPERBOT";

FakeResponse json_response(int status, const json::object& body) {
  return FakeResponse{
      status, {{"Content-Type", "application/json; charset=utf-8"}}, json::serialize(body)};
}

FakeResponse slack_error(const std::string& error, const std::vector<std::string>& details = {}) {
  json::object body{{"ok", false}, {"error", error}};
  if (!details.empty()) {
    json::array errors;
    for (const auto& detail : details) errors.push_back(json::string(detail));
    body["errors"] = std::move(errors);
  }
  return json_response(200, body);
}

// Slack counts characters, not bytes.
std::size_t characters(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::map<std::string, std::string> parse_query(std::string_view query) {
  std::map<std::string, std::string> args;
  while (!query.empty()) {
    std::size_t end = std::min(query.find('&'), query.size());
    std::string_view pair = query.substr(0, end);
    std::size_t equals = pair.find('=');
    if (equals != std::string_view::npos) {
      args[percent_decode(pair.substr(0, equals))] = percent_decode(pair.substr(equals + 1));
    }
    query.remove_prefix(std::min(end + 1, query.size()));
  }
  return args;
}

// A ts as (seconds, micro-seconds), so that ts values compare as times.
std::pair<long long, long long> ts_key(const std::string& ts) {
  std::size_t dot = ts.find('.');
  if (ts.empty()) return {0, 0};
  long long seconds = std::stoll(ts.substr(0, dot));
  long long micros = dot == std::string::npos ? 0 : std::stoll(ts.substr(dot + 1));
  return {seconds, micros};
}

std::string text_of(const json::value& object) {
  if (!object.is_object()) return {};
  const json::value* text = object.get_object().if_contains("text");
  return text && text->is_string() ? std::string(text->get_string()) : std::string();
}

// Checks a blocks array as Slack does; the error response when it breaks a limit.
std::optional<FakeResponse> check_blocks(const json::value& blocks) {
  if (!blocks.is_array()) return slack_error("invalid_blocks_format");
  const json::array& list = blocks.get_array();
  if (list.size() > kMaxBlocks) {
    return slack_error("invalid_blocks", {"no more than 50 items allowed [json-pointer:/blocks]"});
  }
  std::size_t total = 0;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_object()) return slack_error("invalid_blocks_format");
    const json::object& block = list[i].get_object();
    const std::string pointer = "/blocks/" + std::to_string(i);
    const json::value* type = block.if_contains("type");
    std::string kind = type && type->is_string() ? std::string(type->get_string()) : "";
    std::size_t length = block.contains("text") ? characters(text_of(block.at("text"))) : 0;
    if (kind == "section" && length > kMaxSectionChars) {
      return slack_error(
          "invalid_blocks",
          {"must be less than 3001 characters [json-pointer:" + pointer + "/text/text]"});
    }
    if (kind == "header" && length > kMaxHeaderChars) {
      return slack_error(
          "invalid_blocks",
          {"must be less than 151 characters [json-pointer:" + pointer + "/text/text]"});
    }
    total += length;
    if (const json::value* elements = block.if_contains("elements");
        elements && elements->is_array()) {
      for (const json::value& element : elements->get_array())
        total += characters(text_of(element));
    }
  }
  if (total > kMaxMessageChars) return slack_error("msg_blocks_too_long");
  return std::nullopt;
}

json::object message_json(const FakeSlackMessage& message, bool with_metadata) {
  json::object out{{"type", "message"},
                   {"ts", message.ts},
                   {"text", message.text},
                   {"user", FakeSlack::kBotUserId},
                   {"bot_id", FakeSlack::kBotId}};
  if (!message.thread_ts.empty()) out["thread_ts"] = message.thread_ts;
  if (with_metadata && !message.metadata_json.empty()) {
    out["metadata"] = json::parse(message.metadata_json);
  }
  return out;
}

}  // namespace

FakeSlack::FakeSlack(std::string token, std::vector<std::string> channels)
    : token_(std::move(token)) {
  for (const auto& channel : channels) posts_by_channel_[channel] = 0;
  server_ = std::make_unique<FakeHttpServer>(
      [this](const FakeRequest& request) { return handle(request); });
}

FakeSlack::~FakeSlack() {
  server_.reset();
}

std::string FakeSlack::base_url() const {
  return server_->base_url() + "/api";
}

void FakeSlack::set_app_token(std::string app_token) {
  std::lock_guard lock(mutex_);
  app_token_ = std::move(app_token);
}

void FakeSlack::set_socket_mode_url(std::string url) {
  std::lock_guard lock(mutex_);
  socket_mode_url_ = std::move(url);
}

void FakeSlack::fail_call(int number, FakeResponse response) {
  std::lock_guard lock(mutex_);
  call_faults_[number] = std::move(response);
}

void FakeSlack::fail_channel(const std::string& channel, const std::string& error) {
  std::lock_guard lock(mutex_);
  channel_errors_[channel] = error;
}

FakeResponse FakeSlack::rate_limited(int retry_after_seconds) {
  FakeResponse response = json_response(429, {{"ok", false}, {"error", "ratelimited"}});
  response.headers.emplace_back("Retry-After", std::to_string(retry_after_seconds));
  return response;
}

FakeResponse FakeSlack::server_error(int status) {
  return FakeResponse{status, {{"Content-Type", "text/html"}}, "<html>Internal Error</html>"};
}

FakeResponse FakeSlack::error_body(const std::string& error) {
  return slack_error(error);
}

int FakeSlack::calls() const {
  std::lock_guard lock(mutex_);
  return calls_;
}

std::vector<FakeSlackMessage> FakeSlack::messages(const std::string& channel) const {
  std::lock_guard lock(mutex_);
  std::vector<FakeSlackMessage> out;
  for (const auto& message : messages_) {
    if (channel.empty() || message.channel == channel) out.push_back(message);
  }
  return out;
}

std::vector<FakeRequest> FakeSlack::http_requests() const {
  return server_->requests();
}

FakeResponse FakeSlack::handle(const FakeRequest& request) {
  std::lock_guard lock(mutex_);
  int number = ++calls_;
  if (auto fault = call_faults_.find(number); fault != call_faults_.end()) return fault->second;

  std::string path = request.target.substr(0, request.target.find('?'));
  if (path.rfind("/api/", 0) != 0) return slack_error("unknown_method");
  std::string method = path.substr(5);
  if (method == "apps.connections.open") return open_connection(request);

  auto auth = request.headers.find("authorization");
  if (auth == request.headers.end()) return slack_error("not_authed");
  if (auth->second != "Bearer " + token_) return slack_error("invalid_auth");

  if (method == "auth.test") {
    return json_response(200, {{"ok", true},
                               {"url", "https://fake.slack.com/"},
                               {"team", "Fake"},
                               {"user", "paperbot"},
                               {"team_id", "T0FAKE"},
                               {"user_id", kBotUserId},
                               {"bot_id", kBotId}});
  }
  if (method == "chat.postMessage") return post_message(request);
  if (method == "conversations.history" || method == "conversations.replies") {
    std::size_t question = request.target.find('?');
    auto args = parse_query(question == std::string::npos ? std::string_view()
                                                          : request.target.substr(question + 1));
    return read_messages(method, args);
  }
  FakeResponse unknown = slack_error("unknown_method");
  unknown.status = 404;
  return unknown;
}

FakeResponse FakeSlack::post_message(const FakeRequest& request) {
  auto type = request.headers.find("content-type");
  if (type == request.headers.end() || type->second.rfind("application/json", 0) != 0) {
    return slack_error("invalid_form_data");
  }
  boost::system::error_code ec;
  json::value parsed = json::parse(request.body, ec);
  if (ec || !parsed.is_object()) return slack_error("invalid_json");
  const json::object& body = parsed.get_object();

  const json::value* channel_value = body.if_contains("channel");
  if (channel_value == nullptr || !channel_value->is_string()) {
    return slack_error("channel_not_found");
  }
  std::string channel(channel_value->get_string());
  if (auto error = channel_errors_.find(channel); error != channel_errors_.end()) {
    return slack_error(error->second);
  }
  if (!posts_by_channel_.contains(channel)) return slack_error("channel_not_found");

  FakeSlackMessage message;
  message.channel = channel;
  message.text = text_of(parsed);
  if (const json::value* blocks = body.if_contains("blocks")) {
    if (auto refused = check_blocks(*blocks)) return *refused;
    message.blocks_json = json::serialize(*blocks);
  }
  if (message.text.empty() && message.blocks_json.empty()) return slack_error("no_text");
  if (const json::value* thread = body.if_contains("thread_ts"); thread && thread->is_string()) {
    message.thread_ts = std::string(thread->get_string());
  }
  if (const json::value* metadata = body.if_contains("metadata")) {
    message.metadata_json = json::serialize(*metadata);
  }
  if (const json::value* unfurl = body.if_contains("unfurl_links"); unfurl && unfurl->is_bool()) {
    message.unfurl_links = unfurl->get_bool();
  }

  int number = ++posts_by_channel_[channel];
  char ts[32];
  std::snprintf(ts, sizeof ts, "%lld.%06d", first_ts_second() + number, number);
  message.ts = ts;
  messages_.push_back(message);

  json::object answer{{"ok", true},
                      {"channel", channel},
                      {"ts", message.ts},
                      {"message", message_json(message, false)}};
  // Slack warns, and still posts, when the JSON body names no charset.
  if (type->second.find("charset") == std::string::npos) answer["warning"] = "missing_charset";
  return json_response(200, answer);
}

FakeResponse FakeSlack::open_connection(const FakeRequest& request) {
  // Slack takes the token from the header only, and tells a bot token apart from a wrong one.
  auto auth = request.headers.find("authorization");
  if (auth == request.headers.end()) return slack_error("not_authed");
  if (auth->second == "Bearer " + token_) return slack_error("not_allowed_token_type");
  if (auth->second != "Bearer " + app_token_) return slack_error("invalid_auth");
  if (request.method != "POST") return slack_error("invalid_request");
  if (socket_mode_url_.empty()) return slack_error("fake_socket_mode_url_not_set");

  // Each URL is good for one connection at Slack; a new ticket per call shows which call a
  // connection used.
  const std::string separator = socket_mode_url_.find('?') == std::string::npos ? "?" : "&";
  const std::string url =
      socket_mode_url_ + separator + "ticket=" + std::to_string(++tickets_) + "&app_id=" + kAppId;
  return json_response(200, {{"ok", true}, {"url", url}});
}

FakeResponse FakeSlack::read_messages(const std::string& method,
                                      const std::map<std::string, std::string>& args) const {
  auto arg = [&args](const std::string& name) {
    auto found = args.find(name);
    return found == args.end() ? std::string() : found->second;
  };
  const std::string channel = arg("channel");
  if (auto error = channel_errors_.find(channel); error != channel_errors_.end()) {
    return slack_error(error->second);
  }
  if (!posts_by_channel_.contains(channel)) return slack_error("channel_not_found");

  const bool with_metadata = arg("include_all_metadata") == "true";
  const bool inclusive = arg("inclusive") == "true" || arg("inclusive") == "1";
  const std::string oldest = arg("oldest");
  const std::size_t limit = arg("limit").empty() ? 100 : std::stoul(arg("limit"));
  auto newer = [&](const FakeSlackMessage& message) {
    if (oldest.empty()) return true;
    return inclusive ? ts_key(message.ts) >= ts_key(oldest) : ts_key(message.ts) > ts_key(oldest);
  };

  std::vector<const FakeSlackMessage*> found;
  if (method == "conversations.history") {
    for (auto it = messages_.rbegin(); it != messages_.rend(); ++it) {
      bool top_level = it->thread_ts.empty() || it->thread_ts == it->ts;
      if (it->channel == channel && top_level && newer(*it)) found.push_back(&*it);
    }
  } else {
    const std::string parent = arg("ts");
    auto is_parent = [&](const FakeSlackMessage& m) {
      return m.channel == channel && m.ts == parent;
    };
    auto head = std::find_if(messages_.begin(), messages_.end(), is_parent);
    if (head == messages_.end()) return slack_error("thread_not_found");
    found.push_back(&*head);
    for (const auto& message : messages_) {
      if (message.channel == channel && message.thread_ts == parent && message.ts != parent &&
          newer(message)) {
        found.push_back(&message);
      }
    }
  }

  json::array listed;
  for (std::size_t i = 0; i < found.size() && i < limit; ++i) {
    listed.push_back(message_json(*found[i], with_metadata));
  }
  return json_response(
      200, {{"ok", true}, {"messages", std::move(listed)}, {"has_more", found.size() > limit}});
}

}  // namespace paperbot::testing
