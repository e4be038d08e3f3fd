// A fake Slack Web API on 127.0.0.1, for tests: chat.postMessage, auth.test,
// conversations.history, conversations.replies and apps.connections.open, under base_url()
// ("http://127.0.0.1:PORT/api").
//
// It checks what Slack checks: the bearer token (not_authed, invalid_auth), a JSON body, a known
// channel (channel_not_found), text or blocks (no_text) and the Block Kit limits (more than 50
// blocks, a section text over 3000 characters or a header over 150 -> invalid_blocks; more than
// 12,000 characters of block text -> msg_blocks_too_long). Accepted posts are recorded with a ts
// that increases within each channel, their thread_ts and metadata; the reading methods answer
// from those records as Slack would (history: top-level messages, newest first).
//
// apps.connections.open takes the app-level token instead (set_app_token), refuses the bot token
// with not_allowed_token_type as Slack does, and answers with the Socket Mode URL given to
// set_socket_mode_url (a FakeSocketMode's url()) plus a fresh ticket for each call.
//
// Faults on demand: any call by number (a 429 with Retry-After, a 500, an ok:false body), or a
// channel that answers with an error code (not_in_channel, channel_not_found, is_archived).
//
// The server thread calls the handler; every public method may be called from any thread.
#pragma once

#include "tests/support/fake_http_server.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace paperbot::testing {

struct FakeSlackMessage {
  std::string channel;
  std::string ts;
  std::string thread_ts;  // empty outside a thread
  std::string text;
  std::string blocks_json;    // the blocks array as received, empty when none
  std::string metadata_json;  // Slack's {"event_type", "event_payload"} as received, or empty
  bool unfurl_links = true;   // Slack's default when the post does not say
};

class FakeSlack {
 public:
  static constexpr const char* kBotUserId = "U0PAPERBOT";
  static constexpr const char* kBotId = "B0PAPERBOT";
  static constexpr const char* kAppToken = "xapp-1-test-token";

  // `token` is the only bot token accepted; `channels` are the channel ids that exist.
  explicit FakeSlack(std::string token = "xoxb-test-token",
                     std::vector<std::string> channels = {"C0PAPERS", "C0OTHER"});
  ~FakeSlack();

  std::string base_url() const;

  // Socket Mode: the only token apps.connections.open accepts (kAppToken until set), and the
  // ws:// URL it hands out. Without a URL the call answers ok:false.
  void set_app_token(std::string app_token);
  void set_socket_mode_url(std::string url);

  // The `number`-th call (from 1, counting every API call) gets `response` instead.
  void fail_call(int number, FakeResponse response);
  // Every later call that names `channel` answers ok:false with `error`.
  void fail_channel(const std::string& channel, const std::string& error);

  static FakeResponse rate_limited(int retry_after_seconds);  // 429 {"ok":false,"error":...}
  static FakeResponse server_error(int status = 500);
  static FakeResponse error_body(const std::string& error);  // HTTP 200 {"ok":false,...}

  int calls() const;
  // Accepted posts in arrival order; only those of `channel` when it is not empty.
  std::vector<FakeSlackMessage> messages(const std::string& channel = {}) const;
  std::vector<FakeRequest> http_requests() const;

 private:
  FakeResponse handle(const FakeRequest& request);
  FakeResponse post_message(const FakeRequest& request);
  FakeResponse open_connection(const FakeRequest& request);
  FakeResponse read_messages(const std::string& method,
                             const std::map<std::string, std::string>& args) const;

  std::string token_;
  std::string app_token_ = kAppToken;  // guarded by mutex_, as are the two below
  std::string socket_mode_url_;
  int tickets_ = 0;
  mutable std::mutex mutex_;
  std::map<std::string, int> posts_by_channel_;  // known channels, with their post count
  std::map<std::string, std::string> channel_errors_;
  std::map<int, FakeResponse> call_faults_;
  std::vector<FakeSlackMessage> messages_;
  int calls_ = 0;
  std::unique_ptr<FakeHttpServer> server_;
};

}  // namespace paperbot::testing
