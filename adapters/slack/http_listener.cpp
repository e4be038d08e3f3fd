// The transport half of SlackHttpListener: one coroutine accepts, one coroutine per connection
// reads a request, asks route() for the answer and writes it, looping while the client keeps the
// connection alive. Every read and write runs under a deadline, so that a silent or slow client
// costs a socket for a bounded time only.
#include "adapters/slack/http_listener_impl.hpp"

#include <spdlog/logger.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <utility>

namespace paperbot::slack {

using tcp = asio::ip::tcp;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

// Slack's headers are a few hundred bytes; anything near this is not Slack.
constexpr std::uint32_t kMaxHeaderBytes = 16u << 10;

bool is_quiet_end(const beast::error_code& error) {
  return error == http::error::end_of_stream || error == beast::error::timeout ||
         error == asio::error::operation_aborted || error == asio::error::connection_reset ||
         error == asio::error::eof;
}

}  // namespace

void OpenWork::interrupt_all() {
  // Closing a stream also cancels its deadline; the completions are queued, not run here, so
  // the sets do not change under the loops.
  for (beast::tcp_stream* stream : streams_) {
    stream->close();
  }
  for (asio::steady_timer* timer : timers_) {
    timer->cancel();
  }
}

SlackHttpListener::Impl::Impl(asio::io_context& io_in, bool own_thread_in,
                              HttpListenerOptions options_in, HttpListenerHandlers handlers_in,
                              std::shared_ptr<spdlog::logger> logger_in)
    : io(io_in),
      own_thread(own_thread_in),
      options(std::move(options_in)),
      handlers(std::move(handlers_in)),
      logger(logger_in ? std::move(logger_in) : std::make_shared<spdlog::logger>("slack_http")),
      dedupe(options.dedupe_ttl, options.dedupe_capacity),
      event_strand(asio::make_strand(workers.get_executor())),
      command_strand(asio::make_strand(workers.get_executor())),
      web_strand(asio::make_strand(workers.get_executor())) {}

Result<void> SlackHttpListener::Impl::start() {
  constexpr const char* kStep = "start Slack listener";
  if (started) {
    return make_error(kStep, "already started");
  }

  beast::error_code error;
  auto address = asio::ip::make_address(options.bind_address, error);
  if (error) {
    return make_error(kStep, "bind address '" + options.bind_address + "' is not an IP address");
  }
  tcp::endpoint endpoint{address, options.port};

  // Each step named, so that "address already in use" says which address.
  const auto where = options.bind_address + ":" + std::to_string(options.port);
  if (acceptor.open(endpoint.protocol(), error); error) {
    return make_error(kStep, "open socket for " + where + ": " + error.message());
  }
  if (acceptor.set_option(asio::socket_base::reuse_address(true), error); error) {
    return make_error(kStep, "set SO_REUSEADDR for " + where + ": " + error.message());
  }
  if (acceptor.bind(endpoint, error); error) {
    return make_error(kStep, "bind " + where + ": " + error.message());
  }
  if (acceptor.listen(asio::socket_base::max_listen_connections, error); error) {
    return make_error(kStep, "listen on " + where + ": " + error.message());
  }
  bound_port = acceptor.local_endpoint().port();
  started = true;

  asio::co_spawn(io, accept_loop(shared_from_this()), asio::detached);
  if (own_thread) {
    io_thread = std::thread([this] { io.run(); });
  }
  logger->info("web server listening on {}:{}", options.bind_address, bound_port);
  return {};
}

void SlackHttpListener::Impl::stop() {
  if (!started || stopped) {
    return;
  }
  stopped = true;

  if (own_thread) {
    // The sockets belong to the I/O thread, so they are closed there; clients see the
    // connection end at once instead of waiting for the io_context's destruction.
    asio::post(io, [this] {
      interrupt();
      io.stop();
    });
    io_thread.join();
  } else {
    // Already on the io_context's thread (or it is not running): every coroutine resumes with an
    // error and ends, and the io_context runs out of the listener's work.
    interrupt();
  }

  // Running handlers finish; queued ones are dropped with the pool.
  workers.stop();
  workers.join();
  logger->info("web server stopped");
}

void SlackHttpListener::Impl::interrupt() {
  interrupted = true;
  beast::error_code ignored;
  acceptor.close(ignored);
  open_work->interrupt_all();
}

asio::awaitable<void> SlackHttpListener::Impl::accept_loop(std::shared_ptr<Impl> self) {
  while (!self->interrupted) {
    auto [error, socket] = co_await self->acceptor.async_accept(kNoThrow);
    if (error == asio::error::operation_aborted || self->interrupted) {
      co_return;
    }
    if (error) {
      self->logger->warn("accept failed: {}", error.message());
      continue;
    }

    // A bound on connections bounds memory; Slack opens few.
    const std::size_t open = self->open_work->connection_count();
    if (open >= self->options.max_connections) {
      self->logger->warn("refusing a connection: {} already open", open);
      beast::error_code ignored;
      socket.close(ignored);
      continue;
    }
    asio::co_spawn(self->io, serve(self, std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> SlackHttpListener::Impl::serve(std::shared_ptr<Impl> self,
                                                     tcp::socket socket) {
  // Spawned just before stop(): the socket closes as the coroutine ends.
  if (self->interrupted) {
    co_return;
  }
  beast::tcp_stream stream(std::move(socket));
  OpenWorkEntry<beast::tcp_stream> entry(self->open_work, stream);
  beast::flat_buffer buffer;
  const HttpListenerOptions& options = self->options;

  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(options.max_body_bytes);
    parser.header_limit(kMaxHeaderBytes);

    // Between requests a kept-alive connection may sit idle for a while.
    stream.expires_after(options.idle_timeout);
    auto [header_error, header_bytes] =
        co_await http::async_read_header(stream, buffer, parser, kNoThrow);

    // Once a request has begun it must arrive promptly, body included.
    beast::error_code body_error = header_error;
    if (!header_error) {
      stream.expires_after(options.read_timeout);
      if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
        http::response<http::empty_body> go_on{http::status::continue_, parser.get().version()};
        auto [continue_error, continue_bytes] = co_await http::async_write(stream, go_on, kNoThrow);
        body_error = continue_error;
      }
      if (!body_error) {
        auto [read_error, body_bytes] = co_await http::async_read(stream, buffer, parser, kNoThrow);
        body_error = read_error;
      }
    }

    // A request that arrived as stop() came reaches no handler; the client sees the connection
    // close.
    if (self->interrupted) {
      break;
    }

    HttpResponse response;
    if (!body_error) {
      HttpRequest request = parser.release();
      response = co_await self->route(request);
      // The path only: a web page's query may carry a token.
      self->logger->debug("{} {} -> {}", std::string(request.method_string()),
                          std::string(path_of(request)), response.result_int());
    } else if (is_quiet_end(body_error)) {
      break;
    } else {
      // A request too large or not HTTP: say so, then close, since the stream is out of step.
      HttpRequest placeholder{http::verb::unknown, "", 11};
      const bool too_large = body_error == http::error::body_limit;
      response = make_response(
          placeholder, too_large ? http::status::payload_too_large : http::status::bad_request,
          "text/plain", too_large ? "body too large" : "bad request");
      response.keep_alive(false);
      self->logger->info("refused a request: {}", body_error.message());
    }

    stream.expires_after(options.write_timeout);
    auto [write_error, written] = co_await http::async_write(stream, response, kNoThrow);
    if (write_error || !response.keep_alive()) {
      break;
    }
  }

  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream.close();
}

SlackHttpListener::SlackHttpListener(HttpListenerOptions options, HttpListenerHandlers handlers,
                                     std::shared_ptr<spdlog::logger> logger)
    : own_io_(std::make_unique<asio::io_context>(1)),
      impl_(std::make_shared<Impl>(*own_io_, /*own_thread=*/true, std::move(options),
                                   std::move(handlers), std::move(logger))) {}

SlackHttpListener::SlackHttpListener(asio::io_context& io, HttpListenerOptions options,
                                     HttpListenerHandlers handlers,
                                     std::shared_ptr<spdlog::logger> logger)
    : impl_(std::make_shared<Impl>(io, /*own_thread=*/false, std::move(options),
                                   std::move(handlers), std::move(logger))) {}

SlackHttpListener::~SlackHttpListener() {
  stop();

  // The frames still suspended in an io_context of our own hold the Impl: it goes with them.
  impl_.reset();
  own_io_.reset();
}

Result<void> SlackHttpListener::start() {
  return impl_->start();
}

void SlackHttpListener::stop() {
  impl_->stop();
}

unsigned short SlackHttpListener::port() const {
  return impl_->bound_port;
}

}  // namespace paperbot::slack
