// Where the real data of ../shared/data is, for tests that read it in place.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace paperbot::testing {

// The shared data folder: $PAPERBOT_SHARED_DATA, else ../shared/data beside the checkout.
// Empty when it is not there.
std::optional<std::filesystem::path> shared_data_dir();

// A file under the shared data folder. When the folder is missing the calling test is skipped
// with a message, except under CI (CI=true), where a missing folder fails the test.
// Use through PAPERBOT_SHARED_DATA_FILE.
std::optional<std::filesystem::path> shared_data_file(const std::string& relative);

std::string read_file(const std::filesystem::path& path);

// A fresh empty folder under the system temporary folder, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace paperbot::testing

// Declares `var` as the path of `relative` in the shared data, or returns from the test case
// (skipped with a warning, or failed under CI) when the shared data folder is missing.
#define PAPERBOT_SHARED_DATA_FILE(var, relative)                         \
  auto var##_optional = ::paperbot::testing::shared_data_file(relative); \
  if (!var##_optional) return;                                           \
  const std::filesystem::path var = *var##_optional
