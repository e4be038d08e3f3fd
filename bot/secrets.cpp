#include "bot/secrets.hpp"

#include "core/common/text.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace paperbot {

Result<std::string> secret_from_environment(std::string_view name) {
  std::string variable(name);
  if (const char* value = std::getenv(variable.c_str()); value != nullptr && *value != '\0') {
    return std::string(trim(value));
  }
  std::string file_variable = variable + "_FILE";
  const char* path = std::getenv(file_variable.c_str());
  if (path == nullptr || *path == '\0') return std::string();
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) {
    return make_error("read a secret",
                      "cannot read " + file_variable + " (" + std::string(path) + ")");
  }
  return std::string(trim(text.str()));
}

}  // namespace paperbot
