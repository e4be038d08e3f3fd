#include "tests/support/test_data.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

namespace paperbot::testing {

std::optional<std::filesystem::path> shared_data_dir() {
  std::filesystem::path dir = PAPERBOT_SHARED_DATA_DEFAULT;
  if (const char* env = std::getenv("PAPERBOT_SHARED_DATA"); env != nullptr && *env != '\0') {
    dir = env;
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return std::nullopt;
  return dir;
}

std::optional<std::filesystem::path> shared_data_file(const std::string& relative) {
  auto dir = shared_data_dir();
  const char* ci = std::getenv("CI");
  bool under_ci = ci != nullptr && std::string(ci) == "true";
  if (!dir) {
    if (under_ci) {
      FAIL("the shared data folder (../shared/data) is missing; CI requires it");
    }
    WARN("skipped: the shared data folder (../shared/data) is missing");
    return std::nullopt;
  }
  auto path = *dir / relative;
  REQUIRE(std::filesystem::exists(path));
  return path;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TempDir::TempDir() {
  std::random_device random;
  auto base = std::filesystem::temp_directory_path();
  for (;;) {
    path_ = base / ("paperbot-test-" + std::to_string(random()));
    if (std::filesystem::create_directory(path_)) break;
  }
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace paperbot::testing
