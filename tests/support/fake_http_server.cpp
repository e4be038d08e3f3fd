// The fake server on Boost.Beast: one coroutine accepts, one coroutine per connection reads,
// asks the handler and writes, looping while the client keeps the connection alive. This file is
// the only place the tests compile Beast, so the header stays free of it.
#include "tests/support/fake_http_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <cctype>
#include <cstdio>
#include <exception>
#include <optional>
#include <set>
#include <thread>
#include <utility>

namespace paperbot::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// Generous limits: LLM and Slack tests post large prompts and digests.
constexpr std::uint64_t kMaxRequestBodyBytes = 64u << 20;
constexpr std::uint32_t kMaxRequestHeaderBytes = 64u << 10;

// Enough threads for the parallel requests a test makes; handlers beyond these wait their turn.
constexpr std::size_t kHandlerThreads = 8;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

std::string lower_case(std::string_view text) {
  std::string lowered(text);
  for (char& c : lowered) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return lowered;
}

FakeRequest to_fake_request(const http::request<http::string_body>& request,
                            std::uint64_t connection) {
  FakeRequest fake;
  fake.method = std::string(request.method_string());
  fake.target = std::string(request.target());
  fake.body = request.body();
  fake.connection = connection;

  // Repeated fields are joined as HTTP allows, so a map of one value per name loses nothing.
  for (const auto& field : request) {
    auto [slot, inserted] =
        fake.headers.emplace(lower_case(field.name_string()), std::string(field.value()));
    if (!inserted) {
      slot->second += ", " + std::string(field.value());
    }
  }
  return fake;
}

http::response<http::string_body> to_http_response(const FakeResponse& fake, unsigned version,
                                                   bool keep_alive) {
  http::response<http::string_body> response;
  response.version(version);
  response.result(static_cast<unsigned>(fake.status));
  response.keep_alive(keep_alive);
  response.body() = fake.body;
  response.prepare_payload();

  // The test's headers come last so that they can override framing to inject faults.
  std::set<std::string> replaced;
  for (const auto& [name, value] : fake.headers) {
    if (replaced.insert(lower_case(name)).second) {
      response.set(name, value);
    } else {
      response.insert(name, value);
    }
  }
  return response;
}

}  // namespace

struct FakeHttpServer::Impl {
  Impl(Handler handler_in, bool concurrent) : handler(std::move(handler_in)) {
    if (concurrent) {
      handler_pool.emplace(kHandlerThreads);
    }
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
    // Stopping abandons suspended coroutines (delays, idle reads); their frames, and the sockets
    // in them, are destroyed with the io_context, which is declared first and so dies last.
    io.stop();
    io_thread.join();
    if (handler_pool) {
      handler_pool->join();
      handler_pool.reset();
    }
    beast::error_code ignored;
    acceptor.close(ignored);
  }

  asio::awaitable<void> accept_loop() {
    while (acceptor.is_open()) {
      auto [error, socket] = co_await acceptor.async_accept(kNoThrow);
      if (error == asio::error::operation_aborted) {
        co_return;
      }
      if (!error) {
        asio::co_spawn(io, serve(std::move(socket), ++connections), asio::detached);
      }
    }
  }

  asio::awaitable<void> serve(tcp::socket socket, std::uint64_t connection) {
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(kMaxRequestBodyBytes);
      parser.header_limit(kMaxRequestHeaderBytes);

      // Clients that send large bodies (curl above 1 MB) wait for "100 Continue" first.
      auto [header_error, header_bytes] =
          co_await http::async_read_header(socket, buffer, parser, kNoThrow);
      if (header_error) {
        break;
      }
      if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
        http::response<http::empty_body> go_on{http::status::continue_, parser.get().version()};
        auto [continue_error, continue_bytes] = co_await http::async_write(socket, go_on, kNoThrow);
        if (continue_error) {
          break;
        }
      }
      auto [body_error, body_bytes] = co_await http::async_read(socket, buffer, parser, kNoThrow);
      if (body_error) {
        break;
      }
      http::request<http::string_body> request = parser.release();

      FakeRequest recorded = to_fake_request(request, connection);
      {
        std::lock_guard lock(mutex);
        requests.push_back(recorded);
      }
      FakeResponse answer = co_await answer_request(std::move(recorded));

      // A timer rather than a sleep, so that the hang costs no thread and ends on destruction.
      if (answer.delay.count() > 0) {
        asio::steady_timer timer(io, answer.delay);
        co_await timer.async_wait(kNoThrow);
      }
      if (answer.drop_connection) {
        break;
      }

      auto response = to_http_response(answer, request.version(), request.keep_alive());
      auto [write_error, written] = co_await http::async_write(socket, response, kNoThrow);
      if (write_error || !response.keep_alive()) {
        break;
      }
    }

    beast::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }

  // Runs the handler on the pool in concurrent mode; the coroutine resumes on the io thread.
  // (A member coroutine rather than a capturing lambda: GCC 12 miscompiles init-captures of a
  // lambda made inside a coroutine, and ASan catches the bad free.)
  asio::awaitable<FakeResponse> answer_request(FakeRequest request) {
    if (!handler_pool) {
      co_return call_handler(request);
    }
    co_return co_await asio::co_spawn(handler_pool->get_executor(), run_handler(std::move(request)),
                                      asio::use_awaitable);
  }

  asio::awaitable<FakeResponse> run_handler(FakeRequest request) {
    co_return call_handler(request);
  }

  // A throwing handler must not kill the server thread; the client sees why instead.
  FakeResponse call_handler(const FakeRequest& request) {
    FakeResponse failure;
    failure.status = 500;
    try {
      return handler(request);
    } catch (const std::exception& error) {
      failure.body = std::string("fake handler threw: ") + error.what();
    } catch (...) {
      failure.body = "fake handler threw a non-exception";
    }
    return failure;
  }

  Handler handler;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::optional<asio::thread_pool> handler_pool;
  std::thread io_thread;
  unsigned short port = 0;
  std::uint64_t connections = 0;  // touched by the io thread only

  mutable std::mutex mutex;
  std::vector<FakeRequest> requests;  // guarded by `mutex`
};

FakeHttpServer::FakeHttpServer(Handler handler, bool concurrent)
    : impl_(std::make_unique<Impl>(std::move(handler), concurrent)) {}

FakeHttpServer::~FakeHttpServer() = default;

std::string FakeHttpServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->port);
}

unsigned short FakeHttpServer::port() const {
  return impl_->port;
}

std::vector<FakeRequest> FakeHttpServer::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests;
}

}  // namespace paperbot::testing
