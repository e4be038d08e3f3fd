// The inside of SlackHttpListener, shared by its two sources: http_listener.cpp (accepting,
// reading and writing HTTP on Beast) and http_listener_routes.cpp (what each route answers).
// Private to paperbot::slack_http: nothing outside those two files includes it, so that Beast
// and Asio stay out of the public header.
//
// Lifetime. The io_context may be the caller's, destroyed after the listener, and destroying it
// destroys the coroutine frames still suspended in it. So the coroutines spawned on their own
// hold a shared_ptr to the Impl, and what a frame's destructors reach (the OpenWork list, a
// PendingCall) is shared by the frame as well: GCC 12 may release a frame's parameters, the
// Impl's shared_ptr among them, before its locals.
//
// Thread safety: every member is touched on the io_context's thread only, except the handlers
// (called on the worker strands), PendingCall (guarded by its own mutex), and `started`,
// `stopped` and `io_thread`, which belong to the thread that calls start() and stop().
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

#include <cstddef>
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
// An empty content type sends no Content-Type; a HEAD's answer goes without its body.
HttpResponse make_response(const HttpRequest& request, http::status status,
                           std::string_view content_type, std::string body);

// The request target without its query: what may be logged.
std::string_view path_of(const HttpRequest& request);

// One call handed to a worker (a slash command, a web page) between the I/O thread, which waits
// up to a budget for its reply, and the worker that runs the handler. Whoever comes second sees
// what the first left.
template <class Reply>
struct PendingCall {
  std::mutex mutex;
  std::optional<Reply> reply;             // set once the handler has returned
  asio::steady_timer* waiting = nullptr;  // the I/O side's timer while it waits
  bool abandoned = false;                 // the budget ran out; the answer has gone
};

// A slash command's reply: the ephemeral text, or nullopt for an empty acknowledgement.
using PendingCommand = PendingCall<std::optional<std::string>>;
using PendingWebCall = PendingCall<WebResponse>;

// What stop() interrupts: the open connections and the timers of slash commands waiting for a
// reply. The coroutines list them here while they use them (see OpenWorkEntry).
class OpenWork {
 public:
  void add(beast::tcp_stream* stream) { streams_.insert(stream); }
  void remove(beast::tcp_stream* stream) { streams_.erase(stream); }
  void add(asio::steady_timer* timer) { timers_.insert(timer); }
  void remove(asio::steady_timer* timer) { timers_.erase(timer); }
  std::size_t connection_count() const { return streams_.size(); }

  // Closes every connection and cancels every timer: each coroutine waiting on one resumes with
  // an error.
  void interrupt_all();

 private:
  std::unordered_set<beast::tcp_stream*> streams_;
  std::unordered_set<asio::steady_timer*> timers_;
};

// Lists `item` in OpenWork while the entry lives, however the coroutine ends. The entry shares
// the list's ownership, so a frame destroyed after the Impl still finds it.
template <class T>
class OpenWorkEntry {
 public:
  OpenWorkEntry(std::shared_ptr<OpenWork> work, T& item) : work_(std::move(work)), item_(&item) {
    work_->add(item_);
  }
  ~OpenWorkEntry() { work_->remove(item_); }
  OpenWorkEntry(const OpenWorkEntry&) = delete;
  OpenWorkEntry& operator=(const OpenWorkEntry&) = delete;

 private:
  std::shared_ptr<OpenWork> work_;
  T* item_;
};

struct SlackHttpListener::Impl : std::enable_shared_from_this<Impl> {
  // With `own_thread`, start() runs `io` on a thread of its own and stop() ends that thread.
  Impl(asio::io_context& io_in, bool own_thread_in, HttpListenerOptions options_in,
       HttpListenerHandlers handlers_in, std::shared_ptr<spdlog::logger> logger_in);

  // Transport (http_listener.cpp). The coroutines spawned on their own take a shared_ptr to the
  // Impl as their first argument, which keeps it alive.
  Result<void> start();
  void stop();
  void interrupt();
  static asio::awaitable<void> accept_loop(std::shared_ptr<Impl> self);
  static asio::awaitable<void> serve(std::shared_ptr<Impl> self, asio::ip::tcp::socket socket);

  // Routes (http_listener_routes.cpp).
  asio::awaitable<HttpResponse> route(const HttpRequest& request);
  std::optional<HttpResponse> refuse_unsigned(const HttpRequest& request);
  HttpResponse handle_events(const HttpRequest& request);
  asio::awaitable<HttpResponse> handle_command(const HttpRequest& request);
  HttpResponse handle_interactivity(const HttpRequest& request);
  asio::awaitable<HttpResponse> handle_web(const HttpRequest& request);

  // Hand-offs to the workers: plain functions, so that no lambda is made inside a coroutine
  // (GCC 12 miscompiles some lambda captures there).
  void hand_off_event(EventCallback event);
  void hand_off_interactivity(std::string payload);
  void hand_off_command(std::shared_ptr<PendingCommand> call, SlashCommand command);
  void hand_off_web(std::shared_ptr<PendingWebCall> call, WebRequest request);

  asio::io_context& io;
  const bool own_thread;
  HttpListenerOptions options;
  HttpListenerHandlers handlers;
  std::shared_ptr<spdlog::logger> logger;
  EventDedupe dedupe;
  std::shared_ptr<OpenWork> open_work = std::make_shared<OpenWork>();

  // A thread per strand, so that a slow handler holds up only its own strand: neither a slow
  // event nor a slow web page ever delays a slash command's reply.
  asio::thread_pool workers{3};
  asio::strand<asio::thread_pool::executor_type> event_strand;    // events and interactivity
  asio::strand<asio::thread_pool::executor_type> command_strand;  // slash commands
  asio::strand<asio::thread_pool::executor_type> web_strand;      // web pages

  asio::ip::tcp::acceptor acceptor{io};
  std::thread io_thread;  // with own_thread only
  unsigned short bound_port = 0;
  bool started = false;
  bool stopped = false;
  bool interrupted = false;  // set by interrupt(), on the io_context's thread
};

}  // namespace paperbot::slack
