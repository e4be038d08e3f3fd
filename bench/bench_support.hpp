// Small helpers shared by the benchmarks: reading files and stopping on an error.
#pragma once

#include "core/common/result.hpp"
#include "core/feed/feed_parser.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace paperbot::bench {

inline std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    std::exit(1);
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return std::move(bytes).str();
}

// The value, or the error printed and the benchmark stopped.
template <class T>
T check(Result<T> result) {
  if (!result) {
    std::fprintf(stderr, "%s\n", result.error().to_string().c_str());
    std::exit(1);
  }
  return std::move(*result);
}

inline Feed parse_file(const std::filesystem::path& path) {
  return check(parse_feed(read_bytes(path), path.string()));
}

}  // namespace paperbot::bench
