// A fake Slack Socket Mode server on 127.0.0.1, for tests: a plain ws:// WebSocket endpoint that
// clients reach through the URL FakeSlack's apps.connections.open hands out (set it with
// FakeSlack::set_socket_mode_url(fake.url())).
//
// Each accepted connection is numbered from 1, recorded as opened once its WebSocket handshake
// is done, and sent a `hello` shaped like Slack's. The test can then push any frame text to the
// newest open connection or to one by number, send Slack's `disconnect`, or drop a connection
// without the closing handshake. Every text frame a client sends (its acks) is recorded with the
// connection's number, and the timeline records when each connection opened and closed, so that
// a test can check that a replacement opened before the old connection was closed.
//
// Faults: set_send_hello(false) makes new connections wait for a hello that never comes;
// set_silent(true) makes new connections send hello and then read nothing, so that they neither
// record frames nor answer pings, like a peer that died (nor notice the client leaving: they stay
// in open_connections() until dropped).
//
// The server runs on its own thread from construction to destruction; every public method may
// be called from any thread. Sends and drops are queued to that thread and happen shortly after
// the call returns, in the order they were asked for.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace paperbot::testing {

struct FakeSocketFrame {
  int connection = 0;
  std::string text;
};

struct FakeSocketEvent {
  enum class Kind {
    kOpened,   // the WebSocket handshake completed
    kClosed,   // the client closed it with a close frame
    kLost,     // the client went away without a close frame
    kDropped,  // the fake dropped it (drop())
  };
  Kind kind = Kind::kOpened;
  int connection = 0;
  std::chrono::steady_clock::time_point at;
};

class FakeSocketMode {
 public:
  static constexpr const char* kAppId = "A0PAPERBOT";

  // Listens on an ephemeral port of 127.0.0.1. Throws std::system_error if it cannot listen.
  FakeSocketMode();
  ~FakeSocketMode();
  FakeSocketMode(const FakeSocketMode&) = delete;
  FakeSocketMode& operator=(const FakeSocketMode&) = delete;

  // "ws://127.0.0.1:PORT/link/"
  std::string url() const;

  // Slack's frames, as the fake sends them.
  static std::string hello_frame(int num_connections);
  static std::string disconnect_frame(const std::string& reason);

  // For connections accepted from now on.
  void set_send_hello(bool send);
  void set_silent(bool silent);

  // Queue `frame` for the newest open connection, or for `connection`. False when there is no
  // such open connection.
  bool send(const std::string& frame);
  bool send_to(int connection, const std::string& frame);
  // A `disconnect` with `reason` ("refresh_requested", "warning") to the newest open connection.
  bool send_disconnect(const std::string& reason = "refresh_requested");
  // Closes the TCP connection without the WebSocket closing handshake.
  bool drop(int connection);

  int connections() const;                    // handshakes completed so far
  std::vector<int> open_connections() const;  // in opening order
  std::vector<FakeSocketFrame> received() const;
  std::vector<FakeSocketEvent> timeline() const;
  std::vector<std::string> targets() const;  // each connection's request target, in order

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace paperbot::testing
