// Slack's HTTP mode, and the daemon's one web server: a small HTTP/1.1 server that receives the
// Events API, slash commands and interactivity payloads, verifies each request's v0 signature on
// the raw body before anything else, acknowledges within Slack's 3-second budget, and hands the
// work to callbacks that run off the connection. Every other path is a web page of the daemon's
// own (the e-mail newsletter's links), answered by `on_web`.
//
// Routes: POST /slack/events, POST /slack/commands, POST /slack/interactivity, GET /healthz, and
// GET, HEAD or POST to any other path for `on_web`. Another method to a Slack path or /healthz is
// 404. With `web_serves_health`, /healthz is one of `on_web`'s paths instead. A POST to a Slack
// path whose signature is missing, malformed, stale or wrong is answered 401 and nothing else
// happens. A body that does not parse is 400 with a short reason. Bodies are
// limited to `max_body_bytes` (413 beyond), on every path. Connections are kept alive when the
// client asks.
//
// Events: url_verification is answered with the challenge; an event_callback is acknowledged with
// 200 at once, handed to `on_event` once per event_id (retries carrying X-Slack-Retry-Num are
// acknowledged but not handed off again), and events the parser ignores (the bot's own) are only
// acknowledged. Slash commands: `on_command` gets `command_budget` to return a short reply, sent
// as an ephemeral message; after that the request is acknowledged with an empty 200, the reply is
// dropped, and the handler should answer through the command's response_url instead.
//
// Web pages: no signature check. Without `on_web` every web path is 404. With it, GET, HEAD and
// POST reach the handler and any other method is 405 with `Allow: GET, HEAD, POST`. A HEAD is
// answered as the handler answers it, without the body. The handler gets `web_budget` from the
// request's arrival, queueing included: past it the client gets 503, a request still queued is
// then never handed to the handler, and the reply of one already running is dropped. A handler
// that throws, or returns a status outside 200-599, gets the client a 500. Every web answer
// carries `Cache-Control: no-store` and `X-Content-Type-Options: nosniff`.
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
// Either way handlers run on a worker pool of three threads, never on the I/O thread, in three
// serial lanes: `on_event` and `on_interactivity` share one, `on_command` has one, `on_web` has
// one. Calls within a lane are serialised in arrival order; calls in different lanes may run at
// the same time. With a thread per lane, a slow handler holds up only its own lane: a slow web
// page or event never delays a slash command's reply, and Slack's acknowledgements never wait
// for a web page. A handler that throws is logged and the listener carries on. No listener
// function is called from a handler. The destructor stops the listener.
//
// Logging: requests at debug (the path, never the query: the newsletter's links carry tokens),
// refusals at info or warning. Neither the signing secret nor a request body is ever logged.
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
  std::chrono::milliseconds web_budget{5'000};      // for a web page, queueing included
  std::size_t max_connections = 256;                // beyond this, new connections are closed

  // Slack retries for about five minutes; an hour covers that with room.
  std::chrono::seconds dedupe_ttl{3'600};
  std::size_t dedupe_capacity = 100'000;
};

// A request to the daemon's own web pages (the newsletter's links), not to Slack's endpoints.
struct WebRequest {
  std::string method;  // "GET", "HEAD" or "POST"
  std::string path;    // "/email/upvote", without the query
  std::string query;   // the raw query string after '?', "" when none (percent-encoded as received)
  std::string content_type;  // the Content-Type header, "" when none
  std::string body;          // the raw body (POST)
};

struct WebResponse {
  int status = 200;                                       // 200-599; anything else is answered 500
  std::string content_type = "text/html; charset=utf-8";  // "" sends no Content-Type
  std::string body;
};

struct HttpListenerHandlers {
  // A new event_callback whose inner event the bot acts on (never Ignored). May be slow.
  std::function<void(EventCallback)> on_event;
  // A slash command. Returns the ephemeral reply's text, or nullopt for an empty acknowledgement.
  std::function<std::optional<std::string>(const SlashCommand&)> on_command;
  // The raw JSON of an interactivity request's `payload` field. Optional: without it the
  // request is only acknowledged.
  std::function<void(std::string)> on_interactivity;
  // GET, HEAD and POST to any path that is not one of Slack's or /healthz. No signature check
  // (these are links people click). Runs on a worker, never on the I/O thread, serialised among
  // themselves, within `web_budget` (options; default 5 s): past it the client gets 503.
  // Empty: 404. A HEAD arrives as "HEAD" and its answer goes without the body; mail scanners
  // send HEAD to links, so a handler should not act on one.
  std::function<WebResponse(const WebRequest&)> on_web;
  // True: /healthz goes to `on_web` like any page, which tells how the program is doing rather
  // than only that the listener is up (and is late when the pages are).
  bool web_serves_health = false;
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

  // Closes the listening socket and every connection (a request still arriving, or waiting for
  // its handler, is dropped unanswered), then waits for handlers already running to return;
  // handlers queued but not started are dropped. On the caller's io_context, it blocks that
  // io_context's thread while it waits. Safe to call twice.
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
