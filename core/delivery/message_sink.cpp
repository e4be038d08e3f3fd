#include "core/delivery/message_sink.hpp"

#include <stdexcept>

namespace paperbot {

void throw_exception_from_error(const SendError& error, const boost::source_location&) {
  throw std::logic_error("a send result read without checking it: " + error.message);
}

}  // namespace paperbot
