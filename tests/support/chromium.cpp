#include "tests/support/chromium.hpp"

#include "tests/support/process_runner.hpp"
#include "tests/support/test_data.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>

namespace paperbot::testing {
namespace {

const std::filesystem::path kChromium = "/usr/bin/chromium";
// A hung browser fails the test instead of hanging the suite.
constexpr std::chrono::seconds kBrowserTimeout{60};

}  // namespace

bool chromium_available() {
  if (std::filesystem::exists(kChromium)) return true;
  const char* ci = std::getenv("CI");
  if (ci != nullptr && std::string(ci) == "true") {
    FAIL(kChromium.string() << " is missing; CI installs it with scripts/install-deps.sh");
  }
  WARN("skipped: " << kChromium.string() << " is missing (apt-get install chromium)");
  return false;
}

std::string run_chromium(const std::filesystem::path& page,
                         const std::vector<std::string>& arguments,
                         const std::filesystem::path& work_dir) {
  // A root container has no sandbox to enter; a fresh profile keeps runs independent.
  std::vector<std::string> all = {"--headless", "--no-sandbox", "--disable-gpu",
                                  "--user-data-dir=" + (work_dir / "profile").string()};
  all.insert(all.end(), arguments.begin(), arguments.end());
  all.push_back("file://" + page.string());
  auto ran = run_process(kChromium, all, work_dir, kBrowserTimeout);
  INFO(ran.error << ran.err);
  REQUIRE(ran.started);
  REQUIRE_FALSE(ran.timed_out);
  REQUIRE(ran.exit_code == 0);
  return ran.out;
}

bool is_png(const std::filesystem::path& path) {
  static const std::string kMagic = "\x89PNG\r\n\x1a\n";
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) return false;
  const std::string bytes = read_file(path);
  return bytes.size() > kMagic.size() && bytes.starts_with(kMagic);
}

}  // namespace paperbot::testing
