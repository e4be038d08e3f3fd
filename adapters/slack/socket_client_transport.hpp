// The network steps of SlackSocketClient, on Beast: asking apps.connections.open for a socket
// URL over HTTP(S), and opening a WebSocket to that URL over ws:// or wss://. Private to
// paperbot::slack_socket, so that Beast and Asio stay out of the public header.
//
// Plain and TLS connections share one code path: the steps are templates over the layer under
// HTTP or WebSocket (beast::tcp_stream, or beast::ssl_stream over one), and an open WebSocket is
// used through SocketConnection whatever layer it runs on. TLS checks the server's certificate
// against the system store and its host name, and sends the host name (SNI).
//
// Every step runs under TransportContext::step_timeout. While a step runs, its sockets and
// resolver are listed in InFlight, so that stop() can interrupt whatever is under way.
// Everything here runs on the io_context's thread.
#pragma once

#include "core/common/result.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

namespace paperbot::slack::socket_detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

// Where a URL points: http(s):// for the Web API, ws(s):// for a socket.
struct Endpoint {
  bool tls = false;
  std::string host;
  std::string port;
  std::string target;  // path and query, "/" at least
};

// Reads `url` whose scheme must be `plain_scheme` or `tls_scheme` ("http"/"https", "ws"/"wss").
Result<Endpoint> parse_endpoint(std::string_view url, std::string_view plain_scheme,
                                std::string_view tls_scheme);

// The sockets and resolvers in use right now; stop() interrupts them all.
class InFlight {
 public:
  void add(beast::tcp_stream* stream) { streams_.insert(stream); }
  void remove(beast::tcp_stream* stream) { streams_.erase(stream); }
  void add(tcp::resolver* resolver) { resolvers_.insert(resolver); }
  void remove(tcp::resolver* resolver) { resolvers_.erase(resolver); }

  // Closes every socket and cancels every resolution: pending operations end with an error.
  void interrupt_all();

 private:
  std::unordered_set<beast::tcp_stream*> streams_;
  std::unordered_set<tcp::resolver*> resolvers_;
};

// Lists `item` in InFlight for the lifetime of the entry, however the coroutine ends. The entry
// shares the list's ownership: coroutine frames destroyed with the io_context may outlive the
// client, and the order in which a frame destroys its parameters is not to be relied on.
template <class T>
class InFlightEntry {
 public:
  InFlightEntry(std::shared_ptr<InFlight> in_flight, T& item)
      : in_flight_(std::move(in_flight)), item_(&item) {
    in_flight_->add(item_);
  }
  ~InFlightEntry() { in_flight_->remove(item_); }
  InFlightEntry(const InFlightEntry&) = delete;
  InFlightEntry& operator=(const InFlightEntry&) = delete;

 private:
  std::shared_ptr<InFlight> in_flight_;
  T* item_;
};

// Why an attempt to get a working socket failed, and what to do about it.
struct ConnectFailure {
  ConnectFailure() = default;
  explicit ConnectFailure(Error failure) : error(std::move(failure)) {}

  Error error;
  std::string slack_error;    // Slack's error code when apps.connections.open said ok:false
  bool needs_person = false;  // retrying will not help until someone changes the token
  std::string fix;            // when needs_person: what to change, in one line
  std::chrono::milliseconds retry_after{0};  // a 429's Retry-After, 0 when none
};

template <class T>
using ConnectResult = boost::system::result<T, ConnectFailure>;

struct TransportContext {
  asio::io_context& io;
  asio::ssl::context& tls;
  std::shared_ptr<InFlight> in_flight;
  std::chrono::milliseconds step_timeout;
  std::size_t max_frame_bytes;
};

// POSTs apps.connections.open with the app token and returns the wss:// URL it answers.
asio::awaitable<ConnectResult<std::string>> open_socket_url(TransportContext& transport,
                                                            std::string api_url,
                                                            std::string app_token);

// An open WebSocket, whatever it runs over. One read and one write may be outstanding at a time,
// and a close() may run beside them.
class SocketConnection {
 public:
  virtual ~SocketConnection() = default;

  // Reads one whole message into `text`.
  virtual asio::awaitable<beast::error_code> read(std::string& text) = 0;
  // Sends `text` as one text message.
  virtual asio::awaitable<beast::error_code> write(const std::string& text) = 0;
  // The closing handshake, under the step timeout; a pending read then ends with `closed`.
  virtual asio::awaitable<beast::error_code> close() = 0;
  // Closes the TCP socket at once.
  virtual void abort() = 0;
  // With `pings`: a ping after idle/2 of silence, failure after idle. Without: failure after
  // idle of silence. Either way a read must be pending to notice.
  virtual void watch_idle(std::chrono::milliseconds idle, bool pings) = 0;
};

// Opens a WebSocket to `url` (ws:// or wss://). The first read fails with beast::error::timeout
// when nothing arrives within `first_frame_timeout` of the handshake.
asio::awaitable<Result<std::shared_ptr<SocketConnection>>> connect_socket(
    TransportContext& transport, std::string url, std::chrono::milliseconds first_frame_timeout);

}  // namespace paperbot::slack::socket_detail
