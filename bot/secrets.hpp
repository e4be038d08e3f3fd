// Secrets come from the environment, never from config files: a variable NAME holds the secret,
// or NAME_FILE names a file that holds it (as systemd's LoadCredential= and container secrets
// provide them). Values are trimmed and never logged.
#pragma once

#include "core/common/result.hpp"

#include <string>
#include <string_view>

namespace paperbot {

// $NAME, else the contents of the file $NAME_FILE names; empty when neither is set. An error
// when the file cannot be read (the message names the variable and the path, not the secret).
Result<std::string> secret_from_environment(std::string_view name);

}  // namespace paperbot
