// A real HTTP/1.1 server on 127.0.0.1 for tests: it stands in for arXiv, the LLM endpoint and
// Slack at the process boundary. Each request is answered by a handler the test gives, which can
// also inject faults: a status with headers (429 with Retry-After, 500), a delay (a hang), a
// malformed body, or a dropped connection.
//
// The server runs on its own thread from construction to destruction. The handler is called on
// that thread, one request at a time, unless `concurrent` is set: then each request's handler runs
// on a small thread pool, so handlers may block and several run in parallel. A response delay is
// a timer, not a blocked thread, so delayed responses never hold up other connections.
//
// Destruction does not wait for delayed responses or idle keep-alive connections: it closes them.
// It does wait for handlers already running (concurrent mode), so a handler must not block forever.
// requests() and base_url() may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace paperbot::testing {

struct FakeRequest {
  std::string method;
  std::string target;                          // path and query: "/rss/cs.LG+cs.AI"
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::uint64_t connection = 0;  // numbered from 1 in accept order; equal on a kept-alive one
};

struct FakeResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds delay{0};  // wait this long before answering
  bool drop_connection = false;        // close the socket without answering (after `delay`)
};

class FakeHttpServer {
 public:
  using Handler = std::function<FakeResponse(const FakeRequest&)>;

  // Listens on an ephemeral port of 127.0.0.1. With `concurrent`, requests on different
  // connections are handled in parallel (the handler must then be thread-safe). A handler that
  // throws produces a 500 whose body names the exception. Headers of the response are sent as
  // given; the first one of a name replaces the server's own (Content-Length, Connection), so a
  // test can announce more bytes than it sends. Throws std::system_error if it cannot listen.
  explicit FakeHttpServer(Handler handler, bool concurrent = false);
  ~FakeHttpServer();
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  // "http://127.0.0.1:PORT"
  std::string base_url() const;
  unsigned short port() const;

  // Every request received so far, in arrival order.
  std::vector<FakeRequest> requests() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace paperbot::testing
