// Slack's HTTP mode: a small HTTP/1.1 server that receives the Events API, slash commands and
// interactivity payloads, verifies each request's v0 signature on the raw body before anything
// else, acknowledges within Slack's 3-second budget, and hands the work to callbacks that run off
// the connection.
//
// Routes: POST /slack/events, POST /slack/commands, POST /slack/interactivity, GET /healthz.
// Anything else is 404. A POST whose signature is missing, malformed, stale or wrong is answered
// 401 and nothing else happens. A body that does not parse is 400 with a short reason. Bodies are
// limited to `max_body_bytes` (413 beyond). Connections are kept alive when the client asks.
//
// Events: url_verification is answered with the challenge; an event_callback is acknowledged with
// 200 at once, handed to `on_event` once per event_id (retries carrying X-Slack-Retry-Num are
// acknowledged but not handed off again), and events the parser ignores (the bot's own) are only
// acknowledged. Slash commands: `on_command` gets `command_budget` to return a short reply, sent
// as an ephemeral message; after that the request is acknowledged with an empty 200, the reply is
// dropped, and the handler should answer through the command's response_url instead.
//
// Threads. The listener runs as coroutines on an io_context, in one of two ways:
//  - On the caller's io_context (the daemon's): the listener owns no I/O thread. start(), stop(),
//    port() and the destructor are called on the thread that runs that io_context, or while it
//    does not run, and the io_context must outlive the listener. stop() closes the listening
//    socket and every connection and cancels every timer, so that the io_context runs out of the
//    listener's work. The io_context may be destroyed after the listener with coroutines still
//    suspended in it: they keep alive what they use.
//  - On an io_context of its own, run on a thread of its own from start() to stop(). start(),
//    stop(), port() and the destructor are then called from the owning thread.
// Either way handlers run on a worker pool of two threads, never on the I/O thread: calls to
// `on_event` and `on_interactivity` are serialised among themselves in arrival order, calls to
// `on_command` among themselves, but an event and a command handler may run at the same time on
// different threads. A handler that throws is logged and the listener carries on. No listener
// function is called from a handler. The destructor stops the listener.
//
// Logging: requests at debug, refusals at info or warning. Neither the signing secret nor a
// request body is ever logged.
#pragma once

#include "adapters/slack/events.hpp"
#include "adapters/slack/slash_command.hpp"
#include "core/common/result.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace boost::asio {
class io_context;
}

namespace spdlog {
class logger;
}

namespace paperbot::slack {

struct HttpListenerOptions {
  std::string bind_address = "127.0.0.1";
  unsigned short port = 0;  // 0: an ephemeral port, read back with port()
  std::string signing_secret;
  std::string bot_user_id;  // auth.test's user_id: the bot's own events are ignored
  // The time signatures are checked against; empty means the system clock. Tests fix it.
  std::function<std::chrono::system_clock::time_point()> clock;

  std::size_t max_body_bytes = 1u << 20;
  std::chrono::milliseconds read_timeout{10'000};   // for a request once it has started
  std::chrono::milliseconds idle_timeout{60'000};   // between requests on a kept-alive connection
  std::chrono::milliseconds write_timeout{10'000};  // for one response
  std::chrono::milliseconds command_budget{2'500};  // Slack gives up at 3 s; keep a margin
  std::size_t max_connections = 256;                // beyond this, new connections are closed

  // Slack retries for about five minutes; an hour covers that with room.
  std::chrono::seconds dedupe_ttl{3'600};
  std::size_t dedupe_capacity = 100'000;
};

struct HttpListenerHandlers {
  // A new event_callback whose inner event the bot acts on (never Ignored). May be slow.
  std::function<void(EventCallback)> on_event;
  // A slash command. Returns the ephemeral reply's text, or nullopt for an empty acknowledgement.
  std::function<std::optional<std::string>(const SlashCommand&)> on_command;
  // The raw JSON of an interactivity request's `payload` field. Optional: without it the
  // request is only acknowledged.
  std::function<void(std::string)> on_interactivity;
};

class SlackHttpListener {
 public:
  // Serves on an io_context and a thread of the listener's own. An empty signing secret refuses
  // every POST (verify_signature never validates it). A null logger logs nothing.
  SlackHttpListener(HttpListenerOptions options, HttpListenerHandlers handlers,
                    std::shared_ptr<spdlog::logger> logger);
  // Serves on `io`, which the caller runs; otherwise as above.
  SlackHttpListener(boost::asio::io_context& io, HttpListenerOptions options,
                    HttpListenerHandlers handlers, std::shared_ptr<spdlog::logger> logger);
  ~SlackHttpListener();
  SlackHttpListener(const SlackHttpListener&) = delete;
  SlackHttpListener& operator=(const SlackHttpListener&) = delete;

  // Binds and starts serving. Fails with step "start Slack listener" when the address does not
  // parse or cannot be bound, or when already started.
  Result<void> start();

  // Closes the listening socket and every connection (a request still arriving is dropped
  // unanswered), then waits for handlers already running to return; handlers queued but not
  // started are dropped. On the caller's io_context, it blocks that io_context's thread while it
  // waits. Safe to call twice.
  void stop();

  // The bound port, useful when options.port was 0; 0 before start().
  unsigned short port() const;

 private:
  struct Impl;

  // The first constructor's io_context; null with the caller's. Declared before impl_ so that it
  // is destroyed last: the coroutine frames suspended in it share the Impl's ownership.
  std::unique_ptr<boost::asio::io_context> own_io_;
  std::shared_ptr<Impl> impl_;
};

}  // namespace paperbot::slack
