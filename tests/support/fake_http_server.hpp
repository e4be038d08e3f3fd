// A real HTTP/1.1 server on 127.0.0.1 for tests: it stands in for arXiv, the LLM endpoint and
// Slack at the process boundary. Each request is answered by a handler the test gives, which can
// also inject faults: a status with headers (429 with Retry-After, 500), a delay (a hang), a
// malformed body, or a dropped connection.
//
// The server runs on its own thread from construction to destruction. The handler is called on
// that thread, one request at a time unless `concurrent` is set.
#pragma once

#include <chrono>
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
};

struct FakeResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds delay{0};  // wait this long before answering
  bool drop_connection = false;        // close the socket without answering
};

class FakeHttpServer {
 public:
  using Handler = std::function<FakeResponse(const FakeRequest&)>;

  // Listens on an ephemeral port of 127.0.0.1. With `concurrent`, requests on different
  // connections are handled in parallel (the handler must then be thread-safe).
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
