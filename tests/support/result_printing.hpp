// Lets Catch2 print a Result<T> in a failed assertion ("REQUIRE(result)") as its error message.
#pragma once

#include "core/common/result.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace Catch {

template <class T, class E>
struct StringMaker<boost::system::result<T, E>> {
  static std::string convert(const boost::system::result<T, E>& result) {
    if (result) return "a value";
    if constexpr (requires { result.error().to_string(); }) {
      return "error: " + result.error().to_string();
    } else if constexpr (requires { result.error().error.to_string(); }) {
      return "error: " + result.error().error.to_string();
    } else {
      return "an error";
    }
  }
};

}  // namespace Catch

// Requires a Result to hold a value, and shows its error when it does not.
#define REQUIRE_OK(expression)                                     \
  do {                                                             \
    const auto& result_ = (expression);                            \
    INFO((result_ ? std::string() : result_.error().to_string())); \
    REQUIRE(result_.has_value());                                  \
  } while (false)
#define REQUIRE_FAILS(expression) REQUIRE_FALSE((expression).has_value())
