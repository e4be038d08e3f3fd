#include "bot/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace paperbot {
namespace {

spdlog::level::level_enum level_for(int verbosity) {
  if (verbosity < 0) return spdlog::level::warn;
  return verbosity == 0 ? spdlog::level::info : spdlog::level::debug;
}

std::shared_ptr<spdlog::sinks::sink>& shared_sink() {
  static std::shared_ptr<spdlog::sinks::sink> sink;
  return sink;
}

spdlog::level::level_enum& shared_level() {
  static spdlog::level::level_enum level = spdlog::level::info;
  return level;
}

}  // namespace

void setup_logging(int verbosity) {
  // One line per event with the component's name, readable in a terminal and in the journal.
  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  sink->set_pattern("%^%l%$ [%n] %v");
  shared_sink() = sink;
  shared_level() = level_for(verbosity);
  // Loggers cloned from the default one (by adapters that log without bot/) write the same way.
  auto fallback = std::make_shared<spdlog::logger>("paperbot", sink);
  fallback->set_level(shared_level());
  spdlog::set_default_logger(fallback);
}

std::shared_ptr<spdlog::logger> component_logger(const std::string& component) {
  if (auto existing = spdlog::get(component)) return existing;
  if (!shared_sink()) setup_logging(0);
  auto logger = std::make_shared<spdlog::logger>(component, shared_sink());
  logger->set_level(shared_level());
  spdlog::register_logger(logger);
  return logger;
}

}  // namespace paperbot
