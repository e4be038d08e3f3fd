// The inside of SlackHttpListener, shared by its two sources: http_listener.cpp (accepting,
// reading and writing HTTP on Beast) and http_listener_routes.cpp (what each route answers).
// Private to paperbot::slack_http: nothing outside those two files includes it, so that Beast
// and Asio stay out of the public header.
//
// Thread safety: every member is touched by the I/O thread only, except the handlers (called on
// the worker strands) and PendingCommand (guarded by its own mutex).
#pragma once

#include "adapters/slack/event_dedupe.hpp"
#include "adapters/slack/http_listener.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_set>

namespace paperbot::slack {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;

// A response in the request's HTTP version, keeping the connection alive if the client asked.
HttpResponse make_response(const HttpRequest& request, http::status status,
                           std::string_view content_type, std::string body);

// One slash command between the I/O thread, which waits up to the budget for its reply, and the
// worker that runs the handler. Whoever comes second sees what the first left.
struct PendingCommand {
  std::mutex mutex;
  std::optional<std::optional<std::string>> reply;  // set once the handler has returned
  asio::steady_timer* waiting = nullptr;            // the I/O side's timer while it waits
  bool abandoned = false;                           // the budget ran out; the ack has gone
};

struct SlackHttpListener::Impl {
  Impl(HttpListenerOptions options_in, HttpListenerHandlers handlers_in,
       std::shared_ptr<spdlog::logger> logger_in);

  // Transport (http_listener.cpp).
  Result<void> start();
  void stop();
  asio::awaitable<void> accept_loop();
  asio::awaitable<void> serve(asio::ip::tcp::socket socket);

  // Routes (http_listener_routes.cpp).
  asio::awaitable<HttpResponse> route(const HttpRequest& request);
  std::optional<HttpResponse> refuse_unsigned(const HttpRequest& request);
  HttpResponse handle_events(const HttpRequest& request);
  asio::awaitable<HttpResponse> handle_command(const HttpRequest& request);
  HttpResponse handle_interactivity(const HttpRequest& request);

  // Hand-offs to the workers: plain functions, so that no lambda is made inside a coroutine
  // (GCC 12 miscompiles some lambda captures there).
  void hand_off_event(EventCallback event);
  void hand_off_interactivity(std::string payload);
  void hand_off_command(std::shared_ptr<PendingCommand> call, SlashCommand command);

  HttpListenerOptions options;
  HttpListenerHandlers handlers;
  std::shared_ptr<spdlog::logger> logger;
  EventDedupe dedupe;
  std::unordered_set<beast::tcp_stream*> connections;  // open ones, for stop() to close

  // Two threads so that a slow event handler never holds up a slash command's reply.
  asio::thread_pool workers{2};
  asio::strand<asio::thread_pool::executor_type> event_strand;
  asio::strand<asio::thread_pool::executor_type> command_strand;

  // Declared after everything the coroutines touch: destroying the io_context destroys the
  // suspended coroutine frames, which still refer to those members.
  asio::io_context io{1};
  asio::ip::tcp::acceptor acceptor{io};
  std::thread io_thread;
  unsigned short bound_port = 0;
  bool started = false;
  bool stopped = false;
};

}  // namespace paperbot::slack
