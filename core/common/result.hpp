// Expected failures as values: every fallible step returns Result<T>, which holds either the value
// or an Error that names the step that failed and says what was wrong and where.
#pragma once

#include <boost/system/result.hpp>

#include <string>
#include <utility>

namespace paperbot {

struct Error {
  // Declared constructors keep Error from being built out of a lone string, so that a
  // Result<std::string> made from a string is always a value.
  Error() = default;
  Error(std::string step_name, std::string text)
      : step(std::move(step_name)), message(std::move(text)) {}

  std::string step;     // what was being done: "parse feed", "read config", "open store", ...
  std::string message;  // what went wrong and where, ready for a person to read

  std::string to_string() const { return step.empty() ? message : step + ": " + message; }
};

template <class T>
using Result = boost::system::result<T, Error>;

inline Error make_error(std::string step, std::string message) {
  return Error{std::move(step), std::move(message)};
}

// Called by Result<T>::value() on an error: a programming error, since callers check first.
[[noreturn]] void throw_exception_from_error(const Error& error,
                                             const boost::source_location& location);

}  // namespace paperbot
