// Headless Chromium for the tests that look at HTML as a browser shows it: run it on a page and
// read what it prints (the DOM) or the screenshot it takes.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace paperbot::testing {

// Whether /usr/bin/chromium can run here. Without it the calling test is skipped with a message,
// except under CI (CI=true), which installs it (scripts/install-deps.sh) and so fails.
bool chromium_available();

// Runs headless Chromium on `page` with `arguments` added ("--dump-dom", "--screenshot=…"), in
// `work_dir` with a fresh profile there, and returns what it printed. A browser that fails or
// hangs (60 s) fails the test.
std::string run_chromium(const std::filesystem::path& page,
                         const std::vector<std::string>& arguments,
                         const std::filesystem::path& work_dir);

// Whether `path` is a PNG file.
bool is_png(const std::filesystem::path& path);

}  // namespace paperbot::testing
