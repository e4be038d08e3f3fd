// The network steps of Socket Mode on Beast. Each step is a coroutine that returns its failure
// as a value named by the step; nothing here throws on a network error.
#include "adapters/slack/socket_client_transport.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include <charconv>
#include <utility>

namespace paperbot::slack::socket_detail {
namespace {

namespace http = beast::http;
namespace json = boost::json;
namespace ssl = asio::ssl;
namespace websocket = beast::websocket;

using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using HttpRequest = http::request<http::empty_body>;
using HttpResponse = http::response<http::string_body>;
using Resolved = tcp::resolver::results_type;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr const char* kOpenStep = "call apps.connections.open";
constexpr const char* kConnectStep = "connect Socket Mode socket";
constexpr const char* kUserAgent = "paperbot/" PAPERBOT_VERSION;

// Slack's answer is a few hundred bytes; anything near this is not Slack.
constexpr std::uint64_t kMaxOpenAnswerBytes = 64u << 10;

constexpr std::string_view kUseAppToken =
    "set SLACK_APP_TOKEN to an app-level token (xapp-...) with the connections:write scope";

// apps.connections.open errors that retrying cannot cure, and what a person should do.
struct PersonFix {
  std::string_view code;
  std::string_view fix;
};
constexpr PersonFix kPersonFixes[] = {
    {"invalid_auth", kUseAppToken},
    {"not_authed", kUseAppToken},
    {"token_revoked", kUseAppToken},
    {"token_expired", kUseAppToken},
    {"account_inactive", kUseAppToken},
    {"not_allowed_token_type",
     "SLACK_APP_TOKEN holds a bot or user token; set it to an app-level token (xapp-...) with "
     "the connections:write scope"},
    {"missing_scope", "give the app-level token in SLACK_APP_TOKEN the connections:write scope"},
};

std::string milliseconds_text(std::chrono::milliseconds duration) {
  return std::to_string(duration.count()) + " ms";
}

// The Host header: the port only when it is not the scheme's default.
std::string host_header(const Endpoint& endpoint) {
  const bool default_port = endpoint.port == (endpoint.tls ? "443" : "80");
  return default_port ? endpoint.host : endpoint.host + ":" + endpoint.port;
}

void set_user_agent(websocket::request_type& request) {
  request.set(http::field::user_agent, kUserAgent);
}

asio::awaitable<Result<Resolved>> resolve(TransportContext& transport, const Endpoint& endpoint,
                                          const char* step) {
  using namespace asio::experimental::awaitable_operators;
  tcp::resolver resolver(transport.io);
  InFlightEntry entry(transport.in_flight, resolver);
  asio::steady_timer deadline(transport.io, transport.step_timeout);

  // The resolver has no timeout of its own; whichever ends first cancels the other.
  auto outcome = co_await (resolver.async_resolve(endpoint.host, endpoint.port, kNoThrow) ||
                           deadline.async_wait(kNoThrow));
  if (outcome.index() == 1) {
    co_return make_error(step, "resolving " + endpoint.host + " took longer than " +
                                   milliseconds_text(transport.step_timeout));
  }
  auto [error, results] = std::get<0>(std::move(outcome));
  if (error) co_return make_error(step, "resolve " + endpoint.host + ": " + error.message());
  co_return results;
}

asio::awaitable<beast::error_code> establish(TransportContext& transport, beast::tcp_stream& stream,
                                             const Endpoint&, const Resolved& resolved) {
  stream.expires_after(transport.step_timeout);
  auto [error, connected] = co_await stream.async_connect(resolved, kNoThrow);
  co_return error;
}

asio::awaitable<beast::error_code> establish(TransportContext& transport, TlsStream& stream,
                                             const Endpoint& endpoint, const Resolved& resolved) {
  // SNI: servers that host several names choose the certificate by it. (OpenSSL's macro for
  // this call casts in C style, which the build refuses.)
  void* host_name = const_cast<char*>(endpoint.host.c_str());
  if (SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
               host_name) != 1) {
    co_return beast::error_code(static_cast<int>(::ERR_get_error()),
                                asio::error::get_ssl_category());
  }
  stream.set_verify_mode(ssl::verify_peer);
  stream.set_verify_callback(ssl::host_name_verification(endpoint.host));

  beast::error_code error = co_await establish(transport, stream.next_layer(), endpoint, resolved);
  if (error) co_return error;
  stream.next_layer().expires_after(transport.step_timeout);
  auto [handshake_error] = co_await stream.async_handshake(ssl::stream_base::client, kNoThrow);
  co_return handshake_error;
}

// One request and its answer on a fresh connection of either kind.
template <class Stream>
asio::awaitable<Result<HttpResponse>> post(TransportContext& transport, Stream& stream,
                                           const Endpoint& endpoint, const Resolved& resolved,
                                           const HttpRequest& request) {
  InFlightEntry entry(transport.in_flight, beast::get_lowest_layer(stream));
  beast::error_code error = co_await establish(transport, stream, endpoint, resolved);
  if (error)
    co_return make_error(kOpenStep, "connect to " + endpoint.host + ": " + error.message());

  beast::get_lowest_layer(stream).expires_after(transport.step_timeout);
  auto [write_error, written] = co_await http::async_write(stream, request, kNoThrow);
  if (write_error) co_return make_error(kOpenStep, "send the request: " + write_error.message());

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxOpenAnswerBytes);
  auto [read_error, read] = co_await http::async_read(stream, buffer, parser, kNoThrow);
  if (read_error) co_return make_error(kOpenStep, "read the answer: " + read_error.message());
  co_return parser.release();
}

HttpRequest open_request(const Endpoint& endpoint, const std::string& app_token) {
  std::string target = endpoint.target;
  if (target.empty() || target.back() != '/') target += '/';
  HttpRequest request{http::verb::post, target + "apps.connections.open", 11};
  request.set(http::field::host, host_header(endpoint));
  request.set(http::field::user_agent, kUserAgent);
  request.set(http::field::authorization, "Bearer " + app_token);
  request.set(http::field::content_type, "application/x-www-form-urlencoded");
  request.prepare_payload();
  return request;
}

ConnectFailure slack_refusal(std::string code) {
  ConnectFailure failure(make_error(kOpenStep, "Slack answered " + code));
  for (const PersonFix& known : kPersonFixes) {
    if (known.code == code) {
      failure.needs_person = true;
      failure.fix = std::string(known.fix);
    }
  }
  failure.slack_error = std::move(code);
  return failure;
}

ConnectResult<std::string> read_open_answer(const HttpResponse& response) {
  if (response.result() == http::status::too_many_requests) {
    ConnectFailure failure(make_error(kOpenStep, "rate limited (HTTP 429)"));
    const auto header = response[http::field::retry_after];
    int seconds = 0;
    std::from_chars(header.data(), header.data() + header.size(), seconds);
    failure.retry_after = std::chrono::seconds(seconds);
    return failure;
  }
  if (response.result() != http::status::ok) {
    return ConnectFailure(make_error(kOpenStep, "HTTP " + std::to_string(response.result_int())));
  }

  boost::system::error_code parse_error;
  const json::value answer = json::parse(response.body(), parse_error);
  const json::object* fields = answer.if_object();
  if (parse_error || fields == nullptr) {
    return ConnectFailure(make_error(kOpenStep, "the answer is not a JSON object"));
  }
  const json::value* ok = fields->if_contains("ok");
  const json::value* url = fields->if_contains("url");
  if (ok != nullptr && ok->is_bool() && ok->get_bool() && url != nullptr && url->is_string()) {
    return std::string(url->get_string());
  }
  const json::value* code = fields->if_contains("error");
  return slack_refusal(code != nullptr && code->is_string() ? std::string(code->get_string())
                                                            : std::string("no url and no error"));
}

// An open WebSocket over `NextLayer`: beast::tcp_stream for ws://, TlsStream for wss://.
template <class NextLayer>
class WebSocketOver final : public SocketConnection {
 public:
  template <class... Args>
  WebSocketOver(TransportContext& transport, Args&&... args)
      : socket_(std::forward<Args>(args)...),
        entry_(transport.in_flight, beast::get_lowest_layer(socket_)),
        close_timeout_(transport.step_timeout) {}

  websocket::stream<NextLayer>& stream() { return socket_; }

  asio::awaitable<beast::error_code> read(std::string& text) override {
    beast::flat_buffer buffer;
    auto [error, bytes] = co_await socket_.async_read(buffer, kNoThrow);
    if (!error) text = beast::buffers_to_string(buffer.data());
    co_return error;
  }

  asio::awaitable<beast::error_code> write(const std::string& text) override {
    auto [error, bytes] = co_await socket_.async_write(asio::buffer(text), kNoThrow);
    co_return error;
  }

  asio::awaitable<beast::error_code> close() override {
    auto [error] = co_await socket_.async_close(websocket::close_code::normal, kNoThrow);
    co_return error;
  }

  void abort() override { beast::get_lowest_layer(socket_).close(); }

  void watch_idle(std::chrono::milliseconds idle, bool pings) override {
    websocket::stream_base::timeout timeout{};
    timeout.handshake_timeout = close_timeout_;  // also bounds the closing handshake
    timeout.idle_timeout = idle;
    timeout.keep_alive_pings = pings;
    socket_.set_option(timeout);
  }

 private:
  websocket::stream<NextLayer> socket_;
  InFlightEntry<beast::tcp_stream> entry_;
  std::chrono::milliseconds close_timeout_;
};

template <class NextLayer>
asio::awaitable<Result<std::shared_ptr<SocketConnection>>> open_websocket(
    TransportContext& transport, std::shared_ptr<WebSocketOver<NextLayer>> connection,
    const Endpoint& endpoint, const Resolved& resolved,
    std::chrono::milliseconds first_frame_timeout) {
  websocket::stream<NextLayer>& socket = connection->stream();
  beast::error_code error = co_await establish(transport, socket.next_layer(), endpoint, resolved);
  if (error) {
    co_return make_error(kConnectStep, "connect to " + endpoint.host + ": " + error.message());
  }

  // From here the WebSocket's own timers apply; the TCP stream's would cut a long-lived socket.
  beast::get_lowest_layer(socket).expires_never();
  connection->watch_idle(first_frame_timeout, false);
  socket.read_message_max(transport.max_frame_bytes);
  socket.set_option(websocket::stream_base::decorator(&set_user_agent));

  auto [handshake_error] =
      co_await socket.async_handshake(host_header(endpoint), endpoint.target, kNoThrow);
  if (handshake_error) {
    co_return make_error(kConnectStep, "WebSocket handshake with " + endpoint.host + ": " +
                                           handshake_error.message());
  }
  socket.text(true);
  co_return std::shared_ptr<SocketConnection>(std::move(connection));
}

}  // namespace

Result<Endpoint> parse_endpoint(std::string_view url, std::string_view plain_scheme,
                                std::string_view tls_scheme) {
  // The URL itself stays out of messages: a socket URL carries a connection ticket.
  constexpr const char* kStep = "read URL";
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return make_error(kStep, "not an absolute URL: " + parsed.error().message());

  Endpoint endpoint;
  const std::string_view scheme = parsed->scheme();
  if (beast::iequals(scheme, tls_scheme)) {
    endpoint.tls = true;
  } else if (!beast::iequals(scheme, plain_scheme)) {
    return make_error(kStep, "the scheme is '" + std::string(scheme) + "', not " +
                                 std::string(tls_scheme) + " or " + std::string(plain_scheme));
  }
  endpoint.host = std::string(parsed->encoded_host_address());
  if (endpoint.host.empty()) return make_error(kStep, "the URL names no host");
  endpoint.port =
      parsed->has_port() ? std::string(parsed->port()) : std::string(endpoint.tls ? "443" : "80");
  endpoint.target = std::string(parsed->encoded_target());
  if (endpoint.target.empty() || endpoint.target.front() != '/') {
    endpoint.target.insert(0, "/");
  }
  return endpoint;
}

void InFlight::interrupt_all() {
  for (beast::tcp_stream* stream : streams_) stream->close();
  for (tcp::resolver* resolver : resolvers_) resolver->cancel();
}

asio::awaitable<ConnectResult<std::string>> open_socket_url(TransportContext& transport,
                                                            std::string api_url,
                                                            std::string app_token) {
  auto endpoint = parse_endpoint(api_url, "http", "https");
  if (!endpoint) co_return ConnectFailure(endpoint.error());
  auto resolved = co_await resolve(transport, *endpoint, kOpenStep);
  if (!resolved) co_return ConnectFailure(resolved.error());

  const HttpRequest request = open_request(*endpoint, app_token);
  Result<HttpResponse> response = make_error(kOpenStep, "not sent");
  if (endpoint->tls) {
    TlsStream stream(transport.io, transport.tls);
    response = co_await post(transport, stream, *endpoint, *resolved, request);
  } else {
    beast::tcp_stream stream(transport.io);
    response = co_await post(transport, stream, *endpoint, *resolved, request);
  }
  if (!response) co_return ConnectFailure(response.error());
  co_return read_open_answer(*response);
}

asio::awaitable<Result<std::shared_ptr<SocketConnection>>> connect_socket(
    TransportContext& transport, std::string url, std::chrono::milliseconds first_frame_timeout) {
  auto endpoint = parse_endpoint(url, "ws", "wss");
  if (!endpoint) co_return make_error(kConnectStep, endpoint.error().to_string());
  auto resolved = co_await resolve(transport, *endpoint, kConnectStep);
  if (!resolved) co_return resolved.error();

  if (endpoint->tls) {
    auto connection =
        std::make_shared<WebSocketOver<TlsStream>>(transport, transport.io, transport.tls);
    co_return co_await open_websocket(transport, std::move(connection), *endpoint, *resolved,
                                      first_frame_timeout);
  }
  auto connection = std::make_shared<WebSocketOver<beast::tcp_stream>>(transport, transport.io);
  co_return co_await open_websocket(transport, std::move(connection), *endpoint, *resolved,
                                    first_frame_timeout);
}

}  // namespace paperbot::slack::socket_detail
