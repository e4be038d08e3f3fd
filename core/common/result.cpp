#include "core/common/result.hpp"

#include <stdexcept>

namespace paperbot {

void throw_exception_from_error(const Error& error, const boost::source_location&) {
  throw std::logic_error("unchecked error result: " + error.to_string());
}

}  // namespace paperbot
