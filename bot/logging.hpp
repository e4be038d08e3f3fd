// Logging set up once in main: one stderr sink shared by one logger per component.
#pragma once

#include <memory>
#include <string>

namespace spdlog {
class logger;
}

namespace paperbot {

// Installs the stderr sink. `verbosity`: -1 quiet (warnings and errors), 0 info, 1 debug.
void setup_logging(int verbosity);

// The logger of one component ("digest", "arxiv", "store"), created on first use.
std::shared_ptr<spdlog::logger> component_logger(const std::string& component);

}  // namespace paperbot
