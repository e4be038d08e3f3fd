// The inside of SlackSocketClient, shared by its sources: socket_client.cpp (starting, stopping,
// connecting and reconnecting) and socket_client_frames.cpp (what each frame causes: acks,
// handler calls, a replacement socket). Private to paperbot::slack_socket.
//
// Every member is touched on the io_context's thread only, except the atomics, which connected()
// and stats() read from anywhere. Coroutines keep the Impl alive with a shared_ptr, so a client
// destroyed while its coroutines are suspended leaves them safe to resume or destroy. The
// InFlight list is shared by the sockets as well: when the io_context destroys a suspended frame,
// GCC 12 may release the Impl before a socket held by the same frame, and the socket's
// destructor still takes itself off the list.
#pragma once

#include "adapters/slack/socket_client.hpp"
#include "adapters/slack/socket_client_transport.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <random>
#include <string>

namespace paperbot::slack {

namespace asio = boost::asio;
namespace beast = boost::beast;

// One WebSocket and what the supervisor knows about it.
struct SocketLink {
  std::shared_ptr<socket_detail::SocketConnection> socket;
  std::uint64_t number = 0;           // counted from 1 over the client's life, for the log
  bool disconnect_requested = false;  // Slack sent `disconnect`: replace it
  bool failed = false;                // its reading ended without being asked to
  bool retiring = false;              // replaced, and being closed on purpose
};

struct SlackSocketClient::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& io_in, SocketClientOptions options_in, SocketClientHandlers handlers_in,
       std::shared_ptr<spdlog::logger> logger_in);

  // Starting and supervising (socket_client.cpp). The coroutines spawned on their own take a
  // shared_ptr to the Impl as their first argument, which keeps it alive.
  Result<void> start();
  void stop();
  static asio::awaitable<void> supervise(std::shared_ptr<Impl> self);
  asio::awaitable<void> serve_until_failure(std::shared_ptr<SocketLink> link);
  asio::awaitable<std::shared_ptr<SocketLink>> connect_with_retries(int failures);
  asio::awaitable<socket_detail::ConnectResult<std::shared_ptr<SocketLink>>> connect_once();
  asio::awaitable<Result<void>> wait_for_hello(SocketLink& link);
  void begin_serving(std::shared_ptr<SocketLink> link);
  void retire(std::shared_ptr<SocketLink> link);
  static asio::awaitable<void> read_loop(std::shared_ptr<Impl> self,
                                         std::shared_ptr<SocketLink> link);
  static asio::awaitable<void> close_link(std::shared_ptr<Impl> self,
                                          std::shared_ptr<SocketLink> link);
  std::chrono::milliseconds backoff(int failures, const socket_detail::ConnectFailure& last);
  void report_failure(const socket_detail::ConnectFailure& failure, int failures,
                      std::chrono::milliseconds delay);
  asio::awaitable<void> pause(std::chrono::milliseconds delay);
  asio::awaitable<void> wait_for_news();
  void notify() { news.cancel(); }

  // Frames (socket_client_frames.cpp).
  asio::awaitable<void> handle_frame(SocketLink& link, Result<SocketFrame> frame);
  asio::awaitable<void> acknowledge(SocketLink& link, const Envelope& envelope);
  void note_disconnect(SocketLink& link, const Disconnect& disconnect);
  void note_read_end(SocketLink& link, const beast::error_code& error);
  void dispatch(Envelope envelope);
  void dispatch_events_api(EventsApiBody body);

  asio::io_context& io;
  const SocketClientOptions options;
  const SocketClientHandlers handlers;
  const std::shared_ptr<spdlog::logger> logger;
  asio::ssl::context tls{asio::ssl::context::tls_client};

  // What stop() interrupts: every socket and resolver in use.
  std::shared_ptr<socket_detail::InFlight> in_flight = std::make_shared<socket_detail::InFlight>();
  socket_detail::TransportContext transport;

  asio::steady_timer backoff_timer{io};
  asio::steady_timer news{io};  // the supervisor waits on it; notify() wakes it
  std::shared_ptr<SocketLink> current;
  std::uint64_t links_made = 0;
  std::string refusal_logged;  // the needs-person error last logged, so it is logged once
  std::minstd_rand jitter{std::random_device{}()};
  bool started = false;
  bool stopped = false;

  std::atomic<bool> connected{false};
  std::atomic<std::uint64_t> connections_opened{0};
  std::atomic<std::uint64_t> failed_attempts{0};
  std::atomic<std::uint64_t> envelopes_received{0};
  std::atomic<std::uint64_t> acks_sent{0};
};

}  // namespace paperbot::slack
