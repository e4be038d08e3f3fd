// A client of Slack's Web API over libcurl (through PoliteHttpClient): chat.postMessage,
// auth.test, conversations.history and conversations.replies.
//
// Every call sends `Authorization: Bearer <bot token>`; the token is given by the caller (it
// comes from the environment) and is never logged. Posts go out as JSON
// (`Content-Type: application/json; charset=utf-8`) with link unfurling off, and at most one a
// second to one channel (posts to different channels are not held back by each other). An HTTP
// 429 is retried after exactly its Retry-After, up to `max_retries` times.
//
// A call succeeds only on a 2xx whose body says "ok": true. Failures are SlackError values that
// say what to do next: `needs_person` (a person must fix something, `fix` says what in one line),
// `retryable` (try the same call later), or neither (this message will never be accepted).
//
// Thread safety: one SlackWebApi is used from one thread at a time.
#pragma once

#include "adapters/http/polite_http_client.hpp"
#include "adapters/slack/block_kit.hpp"
#include "core/common/result.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace paperbot {

struct SlackWebApiOptions {
  std::string base_url = "https://slack.com/api";  // + "/chat.postMessage"
  std::string user_agent;  // empty: "paperbot/VERSION (arXiv digest bot; +URL)"
  std::chrono::milliseconds timeout{30'000};
  std::chrono::milliseconds channel_interval{1'000};  // between post starts in one channel
  // Retries of 429 (after exactly Retry-After), 5xx and network errors.
  int max_retries = 3;
  std::chrono::milliseconds initial_backoff{2'000};
  std::chrono::milliseconds max_backoff{60'000};
  std::chrono::milliseconds max_retry_after{300'000};  // a longer one fails as retryable
};

// Message metadata (Slack's `metadata`): lets the daemon recognise its own posts in the history.
struct SlackMetadata {
  std::string event_type;       // "paperbot_paper"
  boost::json::object payload;  // Slack's event_payload: {"paper_id": ..., "date": ...}
};

struct SlackPosted {
  std::string channel;  // the channel id Slack answers with
  std::string ts;       // the message's id in that channel
};

struct SlackHistoryMessage {
  std::string ts;
  std::string thread_ts;  // empty for a message outside any thread
  std::string text;
  std::string user;
  std::string bot_id;
  std::optional<SlackMetadata> metadata;
};

struct SlackHistoryPage {
  std::vector<SlackHistoryMessage> messages;  // as Slack orders them
  bool has_more = false;  // TODO: follow next_cursor when a caller needs more than one page
};

struct SlackError {
  Error error;       // step and a one-line description
  std::string code;  // Slack's error ("not_in_channel"), or "http" / "invalid_response"
  bool needs_person = false;
  bool retryable = false;
  std::string fix;  // when needs_person: what to do, in one plain line
};

template <class T>
using SlackResult = boost::system::result<T, SlackError>;

[[noreturn]] void throw_exception_from_error(const SlackError& error,
                                             const boost::source_location& location);

// How an "ok": false answer is to be handled. `channel` names the channel in the fix text.
SlackError classify_slack_error(const std::string& step, const std::string& code,
                                const std::string& channel, const std::string& detail = {});

class SlackWebApi {
 public:
  using Sleep = PoliteHttpClient::Sleep;
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `sleep` and `clock` are for tests (a recording sleep that advances a fake clock); empty means
  // std::this_thread::sleep_for and std::chrono::steady_clock::now.
  SlackWebApi(SlackWebApiOptions options, std::string bot_token, Sleep sleep = {},
              Clock clock = {});
  ~SlackWebApi();
  SlackWebApi(const SlackWebApi&) = delete;
  SlackWebApi& operator=(const SlackWebApi&) = delete;

  // Posts `message` to `channel` (an id), as a reply in the thread of `thread_ts` when given.
  // TODO: the shared HTTP client also retries a 5xx or a timeout, and a post that reached Slack
  // before timing out is then sent twice; the outbox must check the channel's history (by the
  // metadata) before a retry, or PoliteHttpClient must learn to retry only 429 for posts.
  SlackResult<SlackPosted> post_message(const std::string& channel, const SlackMessage& message,
                                        const std::optional<std::string>& thread_ts = {},
                                        const std::optional<SlackMetadata>& metadata = {});

  // Answers a slash command through its response_url (valid for 30 minutes, 5 uses), visible to
  // the person who asked only, unless `in_channel`.
  SlackResult<void> post_response(const std::string& response_url, const std::string& text,
                                  bool in_channel = false);

  // The bot's own user id, which also proves the token works.
  SlackResult<std::string> auth_test();

  // Top-level messages of `channel` newer than `oldest_ts` ("" for all), newest first, with
  // their metadata. Thread replies are not in it: see conversations_replies.
  SlackResult<SlackHistoryPage> conversations_history(const std::string& channel,
                                                      const std::string& oldest_ts,
                                                      std::size_t limit = 100);

  // The parent `thread_ts` and its replies newer than `oldest_ts`, oldest first.
  SlackResult<SlackHistoryPage> conversations_replies(const std::string& channel,
                                                      const std::string& thread_ts,
                                                      const std::string& oldest_ts = {},
                                                      std::size_t limit = 200);

 private:
  // Sends one call and returns its parsed "ok" body, or the classified failure.
  SlackResult<boost::json::object> call(const std::string& step, const std::string& channel,
                                        HttpRequest request);
  SlackResult<SlackHistoryPage> read_messages(const std::string& step, const std::string& method,
                                              const std::string& channel, const std::string& query);
  void wait_for_channel(const std::string& channel);

  SlackWebApiOptions options_;
  std::string bot_token_;
  Sleep sleep_;
  Clock clock_;
  std::shared_ptr<spdlog::logger> logger_;
  PoliteHttpClient http_;
  std::map<std::string, std::chrono::steady_clock::time_point> last_post_;  // by channel
};

}  // namespace paperbot
