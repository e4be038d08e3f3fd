// The fake Socket Mode server on Beast: one coroutine accepts, one coroutine per connection does
// the WebSocket handshake and then reads, recording what the client sends. Frames the test
// pushes go through a per-connection queue and a writing coroutine, because a WebSocket allows
// one write at a time.
#include "tests/support/fake_socket_mode.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

namespace paperbot::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using Kind = FakeSocketEvent::Kind;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

struct Session {
  explicit Session(tcp::socket socket) : ws(std::move(socket)) {}

  websocket::stream<beast::tcp_stream> ws;
  int number = 0;
  std::deque<std::string> outgoing;
  bool writing = false;
  bool dropped = false;
};

}  // namespace

struct FakeSocketMode::Impl {
  Impl() {
    tcp::endpoint endpoint{asio::ip::address_v4::loopback(), 0};
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);
    port = acceptor.local_endpoint().port();

    asio::co_spawn(io, accept_loop(), asio::detached);
    io_thread = std::thread([this] { io.run(); });
  }

  ~Impl() {
    // Suspended coroutines and their sockets go with the io_context, declared first.
    io.stop();
    io_thread.join();
  }

  asio::awaitable<void> accept_loop() {
    while (acceptor.is_open()) {
      auto [error, socket] = co_await acceptor.async_accept(kNoThrow);
      if (error == asio::error::operation_aborted) co_return;
      if (!error) asio::co_spawn(io, serve(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> serve(tcp::socket socket) {
    auto session = std::make_shared<Session>(std::move(socket));

    // The upgrade request is read first so that its target (the ticket) can be recorded.
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    auto [read_error, read] =
        co_await http::async_read(session->ws.next_layer(), buffer, request, kNoThrow);
    if (read_error) co_return;
    auto [accept_error] = co_await session->ws.async_accept(request, kNoThrow);
    if (accept_error) co_return;
    session->ws.text(true);

    bool hello = true;
    bool silent = false;
    {
      std::lock_guard lock(mutex);
      session->number = ++accepted;
      open.push_back(session->number);
      timeline.push_back({Kind::kOpened, session->number, std::chrono::steady_clock::now()});
      targets.push_back(std::string(request.target()));
      hello = send_hello;
      silent = silent_after_hello;
    }
    sessions[session->number] = session;
    if (hello) queue(session, hello_frame(static_cast<int>(sessions.size())));
    if (silent) co_return;  // kept open by `sessions`, never read: no frames, no pongs

    co_await read_frames(session);
    sessions.erase(session->number);
  }

  asio::awaitable<void> read_frames(std::shared_ptr<Session> session) {
    for (;;) {
      beast::flat_buffer frame;
      auto [error, bytes] = co_await session->ws.async_read(frame, kNoThrow);
      std::lock_guard lock(mutex);
      if (error) {
        if (!session->dropped) {
          const Kind kind = error == websocket::error::closed ? Kind::kClosed : Kind::kLost;
          timeline.push_back({kind, session->number, std::chrono::steady_clock::now()});
          std::erase(open, session->number);
        }
        co_return;
      }
      received.push_back({session->number, beast::buffers_to_string(frame.data())});
    }
  }

  // On the io thread only.
  void queue(const std::shared_ptr<Session>& session, std::string frame) {
    session->outgoing.push_back(std::move(frame));
    if (session->writing) return;
    session->writing = true;
    asio::co_spawn(io, write_frames(session), asio::detached);
  }

  asio::awaitable<void> write_frames(std::shared_ptr<Session> session) {
    while (!session->outgoing.empty()) {
      std::string frame = std::move(session->outgoing.front());
      session->outgoing.pop_front();
      auto [error, written] = co_await session->ws.async_write(asio::buffer(frame), kNoThrow);
      if (error) session->outgoing.clear();
    }
    session->writing = false;
  }

  // On the io thread only.
  void drop_now(int connection) {
    auto found = sessions.find(connection);
    if (found == sessions.end()) return;
    std::shared_ptr<Session> session = found->second;
    sessions.erase(found);
    {
      std::lock_guard lock(mutex);
      session->dropped = true;
      timeline.push_back({Kind::kDropped, connection, std::chrono::steady_clock::now()});
      std::erase(open, connection);
    }
    beast::error_code ignored;
    beast::get_lowest_layer(session->ws).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(session->ws).close();
  }

  // The open connection numbered `connection`, or the newest open one when it is 0.
  int pick(int connection) const {
    std::lock_guard lock(mutex);
    if (open.empty()) return 0;
    if (connection == 0) return open.back();
    return std::find(open.begin(), open.end(), connection) == open.end() ? 0 : connection;
  }

  bool post_frame(int connection, std::string frame) {
    const int target = pick(connection);
    if (target == 0) return false;
    asio::post(io, [this, target, frame = std::move(frame)]() mutable {
      if (auto found = sessions.find(target); found != sessions.end()) {
        queue(found->second, std::move(frame));
      }
    });
    return true;
  }

  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::thread io_thread;
  unsigned short port = 0;
  std::map<int, std::shared_ptr<Session>> sessions;  // open ones; io thread only

  mutable std::mutex mutex;  // guards everything below
  int accepted = 0;
  bool send_hello = true;
  bool silent_after_hello = false;
  std::vector<int> open;
  std::vector<FakeSocketFrame> received;
  std::vector<FakeSocketEvent> timeline;
  std::vector<std::string> targets;
};

FakeSocketMode::FakeSocketMode() : impl_(std::make_unique<Impl>()) {}

FakeSocketMode::~FakeSocketMode() = default;

std::string FakeSocketMode::url() const {
  return "ws://127.0.0.1:" + std::to_string(impl_->port) + "/link/";
}

std::string FakeSocketMode::hello_frame(int num_connections) {
  // The shape of Slack's hello (see socket_mode_hello_*.json in the shared data).
  json::object hello{
      {"type", "hello"},
      {"num_connections", num_connections},
      {"debug_info",
       {{"host", "applink-fake"}, {"build_number", 10}, {"approximate_connection_time", 18060}}},
      {"connection_info", {{"app_id", kAppId}}}};
  return json::serialize(hello);
}

std::string FakeSocketMode::disconnect_frame(const std::string& reason) {
  json::object disconnect{
      {"type", "disconnect"}, {"reason", reason}, {"debug_info", {{"host", "applink-fake"}}}};
  return json::serialize(disconnect);
}

void FakeSocketMode::set_send_hello(bool send) {
  std::lock_guard lock(impl_->mutex);
  impl_->send_hello = send;
}

void FakeSocketMode::set_silent(bool silent) {
  std::lock_guard lock(impl_->mutex);
  impl_->silent_after_hello = silent;
}

bool FakeSocketMode::send(const std::string& frame) {
  return impl_->post_frame(0, frame);
}

bool FakeSocketMode::send_to(int connection, const std::string& frame) {
  return connection > 0 && impl_->post_frame(connection, frame);
}

bool FakeSocketMode::send_disconnect(const std::string& reason) {
  return send(disconnect_frame(reason));
}

bool FakeSocketMode::drop(int connection) {
  if (connection <= 0 || impl_->pick(connection) == 0) return false;
  asio::post(impl_->io, [impl = impl_.get(), connection] { impl->drop_now(connection); });
  return true;
}

int FakeSocketMode::connections() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->accepted;
}

std::vector<int> FakeSocketMode::open_connections() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->open;
}

std::vector<FakeSocketFrame> FakeSocketMode::received() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->received;
}

std::vector<FakeSocketEvent> FakeSocketMode::timeline() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->timeline;
}

std::vector<std::string> FakeSocketMode::targets() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->targets;
}

}  // namespace paperbot::testing
