// Slack's Socket Mode: the bot opens a WebSocket to Slack and receives the Events API, slash
// commands and interactivity over it, so that no public HTTP endpoint is needed.
//
// Protocol. The client asks apps.connections.open (POST {api_url}/apps.connections.open with the
// app-level token, xapp-...) for a one-time wss:// URL, connects to it and waits for Slack's
// `hello`. From then on each envelope is acknowledged the moment it arrives, by sending its
// envelope_id back on the same socket (Slack wants the ack within 3 s and redelivers otherwise),
// and only then handed to its handler. Redelivered envelopes (retry_attempt > 0) are acked and
// handed off like any other: deduplicating on event_id is the caller's job. A slash command's
// ack carries no reply, so the handler answers through the command's response_url.
//
// Reconnecting. On a `disconnect` frame (Slack recycles sockets every few hours and warns before
// closing one) the client opens the replacement first, waits for its hello, and only then closes
// the old socket, which is read until that moment: no envelope falls between the two. The
// exception is reason too_many_websockets, where a replacement would be over Slack's limit: that
// socket is closed first and replaced as after a failure. Any failure (apps.connections.open
// refused or unreachable, a socket that errs or closes, no hello within hello_timeout, nothing
// received within idle_timeout although a ping was sent) drops that socket and tries again after
// a backoff that starts at initial_backoff and doubles up to max_backoff. Refusals only a person
// can fix (invalid_auth, not_authed, not_allowed_token_type: a bot token where the app-level token
// belongs) are logged once as an error with the fix, and retried at max_backoff. A 429 waits at
// least its Retry-After.
//
// Threads. The client runs as coroutines on the caller's io_context and owns no thread. start(),
// stop() and the destructor are called on the thread that runs the io_context, or while it does
// not run. Handlers run on that thread too, so they must return quickly and post slow work
// elsewhere; a handler that throws is logged and the client carries on. connected() and stats()
// may be read from any thread. The io_context must outlive the client.
//
// Stopping. stop() closes every socket at once (without the WebSocket closing handshake: every
// envelope received has been acked already) and cancels every timer, so the io_context runs out
// of the client's work; no handler is called after it.
//
// Logging: connections, reconnections and failures at info or warning, frames at debug. Neither
// the app token nor a socket URL (it holds a connection ticket) is ever logged.
#pragma once

#include "adapters/slack/events.hpp"
#include "adapters/slack/slash_command.hpp"
#include "adapters/slack/socket_mode.hpp"
#include "core/common/result.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace boost::asio {
class io_context;
}

namespace spdlog {
class logger;
}

namespace paperbot::slack {

struct SocketClientOptions {
  std::string app_token;  // xapp-..., with the connections:write scope; never logged
  std::string api_url = "https://slack.com/api";  // http:// is accepted for tests on loopback
  std::string bot_user_id;  // auth.test's user_id: the bot's own events are ignored

  // Each network step (resolving, connecting, the TLS and WebSocket handshakes, the
  // apps.connections.open exchange, closing a socket) gets this long.
  std::chrono::milliseconds step_timeout{10'000};
  // From the WebSocket handshake to Slack's hello.
  std::chrono::milliseconds hello_timeout{10'000};
  // With nothing received for half of it, a ping is sent; with nothing for all of it, the socket
  // is taken for dead. Slack pings every few seconds, and Beast answers Slack's pings. (The
  // first check comes hello_timeout after the handshake, when the hello watch would have ended.)
  std::chrono::milliseconds idle_timeout{30'000};

  std::chrono::milliseconds initial_backoff{1'000};
  std::chrono::milliseconds max_backoff{60'000};
  bool backoff_jitter = true;  // waits a random 50-100 % of the delay; off in tests

  std::size_t max_frame_bytes = 4u << 20;  // a larger frame is an error and ends the socket
};

struct SocketClientHandlers {
  // An events_api envelope whose event_callback holds an event the bot acts on (never Ignored).
  std::function<void(EventCallback)> on_event;
  // A slash_commands envelope.
  std::function<void(SlashCommand)> on_command;
  // An interactive envelope (or a type Slack adds later), as raw JSON. Optional.
  std::function<void(RawPayload)> on_interactive;
};

// Counters since construction, for tests and /healthz.
struct SocketClientStats {
  std::uint64_t connections_opened = 0;  // sockets that reached hello
  std::uint64_t failed_attempts = 0;     // connection attempts that did not reach hello
  std::uint64_t envelopes_received = 0;
  std::uint64_t acks_sent = 0;
};

class SlackSocketClient {
 public:
  // A null logger logs nothing.
  SlackSocketClient(boost::asio::io_context& io, SocketClientOptions options,
                    SocketClientHandlers handlers, std::shared_ptr<spdlog::logger> logger);
  ~SlackSocketClient();  // stops
  SlackSocketClient(const SlackSocketClient&) = delete;
  SlackSocketClient& operator=(const SlackSocketClient&) = delete;

  // Starts connecting; the work happens when the io_context runs. Fails with step "start Slack
  // Socket Mode" when the app token is empty, api_url is not an http(s) URL, the system's
  // certificate store cannot be loaded, or the client was started before.
  Result<void> start();

  // Closes the sockets and cancels the timers. Safe to call twice, or before start().
  void stop();

  // True while a socket that received its hello is serving.
  bool connected() const;
  SocketClientStats stats() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace paperbot::slack
