// Keeping one Socket Mode socket serving: connect, read, replace it when Slack sends
// `disconnect`, and reconnect with backoff when it fails. One supervising coroutine makes every
// decision; each socket's reading coroutine only reports what happened (a flag on its SocketLink,
// then notify()), so the decisions never race with each other.
#include "adapters/slack/socket_client_impl.hpp"

#include <openssl/ssl.h>
#include <spdlog/logger.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <exception>
#include <utility>

namespace paperbot::slack {
namespace {

using socket_detail::ConnectFailure;
using socket_detail::ConnectResult;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr const char* kStartStep = "start Slack Socket Mode";
constexpr const char* kHelloStep = "wait for Slack's hello";

// Completion of a spawned coroutine: handlers are called under try/catch, so an exception here
// is a bug, and it should be seen rather than end the supervision silently.
struct LogIfThrown {
  std::shared_ptr<spdlog::logger> logger;
  void operator()(const std::exception_ptr& thrown) const {
    if (!thrown) return;
    try {
      std::rethrow_exception(thrown);
    } catch (const std::exception& error) {
      logger->critical("Socket Mode stopped working: {}", error.what());
    } catch (...) {
      logger->critical("Socket Mode stopped working: a non-exception was thrown");
    }
  }
};

}  // namespace

SlackSocketClient::Impl::Impl(asio::io_context& io_in, SocketClientOptions options_in,
                              SocketClientHandlers handlers_in,
                              std::shared_ptr<spdlog::logger> logger_in)
    : io(io_in),
      options(std::move(options_in)),
      handlers(std::move(handlers_in)),
      logger(logger_in ? std::move(logger_in) : std::make_shared<spdlog::logger>("slack_socket")),
      transport{io, tls, in_flight, options.step_timeout, options.max_frame_bytes} {}

Result<void> SlackSocketClient::Impl::start() {
  if (started) return make_error(kStartStep, "already started");
  if (stopped) return make_error(kStartStep, "stopped before it started");
  if (options.app_token.empty()) {
    return make_error(kStartStep, "no app-level token: set SLACK_APP_TOKEN (xapp-...)");
  }
  if (auto endpoint = socket_detail::parse_endpoint(options.api_url, "http", "https"); !endpoint) {
    return make_error(kStartStep, "api_url: " + endpoint.error().message);
  }

  // Real Slack is reached over TLS 1.2 or later, checked against the system's store.
  beast::error_code error;
  tls.set_default_verify_paths(error);
  if (error) return make_error(kStartStep, "load the system certificates: " + error.message());
  tls.set_verify_mode(asio::ssl::verify_peer);
  SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);

  started = true;
  asio::co_spawn(io, supervise(shared_from_this()), LogIfThrown{logger});
  logger->info("connecting to Slack in Socket Mode");
  return {};
}

void SlackSocketClient::Impl::stop() {
  if (stopped) return;
  stopped = true;
  if (!started) return;

  // Every coroutine is suspended on one of these; each resumes with an error, sees `stopped`
  // and ends, which leaves the io_context without the client's work.
  connected = false;
  backoff_timer.cancel();
  news.cancel();
  in_flight->interrupt_all();
  current.reset();
  logger->info("stopped Socket Mode");
}

asio::awaitable<void> SlackSocketClient::Impl::supervise(std::shared_ptr<Impl> self) {
  int failures = 0;
  while (!self->stopped) {
    std::shared_ptr<SocketLink> link = co_await self->connect_with_retries(failures);
    if (!link) co_return;
    co_await self->serve_until_failure(std::move(link));
    if (self->stopped) co_return;

    // The socket failed: wait a little, as after a failed attempt, before asking for another.
    failures = 1;
    const std::chrono::milliseconds delay = self->backoff(failures, ConnectFailure());
    self->logger->info("reconnecting to Slack in {} ms", delay.count());
    co_await self->pause(delay);
  }
}

asio::awaitable<void> SlackSocketClient::Impl::serve_until_failure(
    std::shared_ptr<SocketLink> link) {
  begin_serving(std::move(link));
  while (!stopped && current) {
    if (current->failed) {
      current.reset();
      co_return;
    }

    // Slack will close this socket: the replacement says hello before the old one is closed,
    // and the old one is read until then, so that nothing sent on either is missed.
    if (current->disconnect_requested) {
      std::shared_ptr<SocketLink> replacement = co_await connect_with_retries(0);
      if (!replacement || stopped) co_return;
      retire(std::exchange(current, nullptr));
      begin_serving(std::move(replacement));
      continue;
    }
    co_await wait_for_news();
  }
}

asio::awaitable<std::shared_ptr<SocketLink>> SlackSocketClient::Impl::connect_with_retries(
    int failures) {
  for (;;) {
    if (stopped) co_return nullptr;
    ConnectResult<std::shared_ptr<SocketLink>> attempt = co_await connect_once();
    if (stopped) co_return nullptr;  // a socket just opened closes with its link
    if (attempt) {
      if (!refusal_logged.empty()) logger->info("Slack accepts the app-level token again");
      refusal_logged.clear();
      co_return std::move(*attempt);
    }

    ++failures;
    ++failed_attempts;
    const std::chrono::milliseconds delay = backoff(failures, attempt.error());
    report_failure(attempt.error(), failures, delay);
    co_await pause(delay);
  }
}

asio::awaitable<ConnectResult<std::shared_ptr<SocketLink>>>
SlackSocketClient::Impl::connect_once() {
  ConnectResult<std::string> url =
      co_await socket_detail::open_socket_url(transport, options.api_url, options.app_token);
  if (!url) co_return url.error();
  if (stopped) co_return ConnectFailure(make_error(kStartStep, "stopped"));

  auto socket = co_await socket_detail::connect_socket(transport, *url, options.hello_timeout);
  if (!socket) co_return ConnectFailure(socket.error());
  auto link = std::make_shared<SocketLink>();
  link->socket = std::move(*socket);
  link->number = ++links_made;

  Result<void> hello = co_await wait_for_hello(*link);
  if (!hello) co_return ConnectFailure(hello.error());
  ++connections_opened;
  co_return link;
}

asio::awaitable<Result<void>> SlackSocketClient::Impl::wait_for_hello(SocketLink& link) {
  for (;;) {
    std::string text;
    beast::error_code error = co_await link.socket->read(text);
    if (error == beast::error::timeout) {
      co_return make_error(kHelloStep,
                           "none within " + std::to_string(options.hello_timeout.count()) + " ms");
    }
    if (error) co_return make_error(kHelloStep, error.message());

    Result<SocketFrame> frame = parse_socket_frame(text, options.bot_user_id);
    if (frame && std::holds_alternative<Hello>(*frame)) {
      link.socket->watch_idle(options.idle_timeout, true);
      logger->info("connected to Slack in Socket Mode (socket {}; Slack counts {} for this app)",
                   link.number, std::get<Hello>(*frame).num_connections);
      co_return Result<void>();
    }
    // Slack sends hello first; should anything come before it, it is handled (and acked) as it
    // would be later.
    co_await handle_frame(link, std::move(frame));
  }
}

void SlackSocketClient::Impl::begin_serving(std::shared_ptr<SocketLink> link) {
  current = link;
  connected = true;
  asio::co_spawn(io, read_loop(shared_from_this(), std::move(link)), LogIfThrown{logger});
}

void SlackSocketClient::Impl::retire(std::shared_ptr<SocketLink> link) {
  // Marked before closing, so that the end of its reading is not taken for a failure.
  link->retiring = true;
  logger->info("closing Slack socket {}: its replacement is serving", link->number);
  asio::co_spawn(io, close_link(shared_from_this(), std::move(link)), LogIfThrown{logger});
}

asio::awaitable<void> SlackSocketClient::Impl::read_loop(std::shared_ptr<Impl> self,
                                                         std::shared_ptr<SocketLink> link) {
  for (;;) {
    std::string text;
    beast::error_code error = co_await link->socket->read(text);
    if (error) {
      self->note_read_end(*link, error);
      co_return;
    }
    if (self->stopped) co_return;
    Result<SocketFrame> frame = parse_socket_frame(text, self->options.bot_user_id);
    co_await self->handle_frame(*link, std::move(frame));
  }
}

asio::awaitable<void> SlackSocketClient::Impl::close_link(std::shared_ptr<Impl> self,
                                                          std::shared_ptr<SocketLink> link) {
  beast::error_code error = co_await link->socket->close();
  if (error && !self->stopped) {
    self->logger->debug("Slack socket {} did not close cleanly: {}", link->number, error.message());
    link->socket->abort();
  }
}

std::chrono::milliseconds SlackSocketClient::Impl::backoff(int failures,
                                                           const ConnectFailure& last) {
  // Retrying sooner cannot help a refused token; a person has to change it first.
  std::chrono::milliseconds delay = options.max_backoff;
  if (!last.needs_person) {
    delay = options.initial_backoff;
    for (int i = 1; i < failures && delay < options.max_backoff; ++i) delay *= 2;
    delay = std::min(delay, options.max_backoff);
  }

  // Jitter keeps many clients, restarted together, from reconnecting in step.
  if (options.backoff_jitter && delay.count() > 1) {
    std::uniform_int_distribution<std::int64_t> spread(delay.count() / 2, delay.count());
    delay = std::chrono::milliseconds(spread(jitter));
  }
  return std::max(delay, last.retry_after);
}

void SlackSocketClient::Impl::report_failure(const ConnectFailure& failure, int failures,
                                             std::chrono::milliseconds delay) {
  if (!failure.needs_person) {
    logger->warn("Socket Mode connection attempt {} failed: {}; retrying in {} ms", failures,
                 failure.error.to_string(), delay.count());
    return;
  }

  // The same refusal every minute would bury the one line that says what to do.
  if (refusal_logged == failure.slack_error) {
    logger->debug("apps.connections.open still answers {}; retrying in {} ms", failure.slack_error,
                  delay.count());
    return;
  }
  refusal_logged = failure.slack_error;
  logger->error("Slack refused the app-level token ({}): {}. Retrying every {} ms.",
                failure.slack_error, failure.fix, delay.count());
}

asio::awaitable<void> SlackSocketClient::Impl::pause(std::chrono::milliseconds delay) {
  if (stopped) co_return;  // stop() cancelled the timer already; a new wait would run on
  backoff_timer.expires_after(delay);
  co_await backoff_timer.async_wait(kNoThrow);
}

asio::awaitable<void> SlackSocketClient::Impl::wait_for_news() {
  if (stopped) co_return;
  news.expires_at(asio::steady_timer::time_point::max());
  co_await news.async_wait(kNoThrow);
}

SlackSocketClient::SlackSocketClient(boost::asio::io_context& io, SocketClientOptions options,
                                     SocketClientHandlers handlers,
                                     std::shared_ptr<spdlog::logger> logger)
    : impl_(
          std::make_shared<Impl>(io, std::move(options), std::move(handlers), std::move(logger))) {}

SlackSocketClient::~SlackSocketClient() {
  impl_->stop();
}

Result<void> SlackSocketClient::start() {
  return impl_->start();
}

void SlackSocketClient::stop() {
  impl_->stop();
}

bool SlackSocketClient::connected() const {
  return impl_->connected;
}

SocketClientStats SlackSocketClient::stats() const {
  SocketClientStats stats;
  stats.connections_opened = impl_->connections_opened;
  stats.failed_attempts = impl_->failed_attempts;
  stats.envelopes_received = impl_->envelopes_received;
  stats.acks_sent = impl_->acks_sent;
  return stats;
}

}  // namespace paperbot::slack
