// What the daemon's end-to-end tests ask of a running daemon, failing the test when it cannot be
// had: the web server's port, and the store it writes (opened beside it: WAL lets both in).
#pragma once

#include "core/store/store.hpp"
#include "tests/support/daemon_process.hpp"
#include "tests/support/result_printing.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <memory>

namespace paperbot::testing {

// The web server's port, once the daemon has logged it (within 20 s).
inline unsigned short server_port(DaemonProcess& daemon) {
  const unsigned short port = logged_server_port(daemon, std::chrono::seconds(20));
  INFO(daemon.log());
  REQUIRE(port != 0);
  return port;
}

inline std::unique_ptr<Store> open_store(const std::filesystem::path& path) {
  auto store = Store::open(path);
  REQUIRE_OK(store);
  return std::move(*store);
}

}  // namespace paperbot::testing
