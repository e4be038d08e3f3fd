// Lenient field access for Slack's inbound JSON, shared by events.cpp and socket_mode.cpp.
// Internal to paperbot::slack_inbound. Slack adds fields freely and omits optional ones, so a
// missing or wrongly typed optional field reads as empty rather than failing the whole payload.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace paperbot::slack::detail {

inline const boost::json::value* field(const boost::json::object& object, std::string_view key) {
  return object.if_contains(key);
}

// The string at `key`, or "" when it is absent or not a string.
inline std::string string_field(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = field(object, key);
  if (value == nullptr || !value->is_string()) return {};
  return std::string(value->get_string());
}

// The integer at `key`, or `fallback` when it is absent or not a whole number.
inline std::int64_t integer_field(const boost::json::object& object, std::string_view key,
                                  std::int64_t fallback = 0) {
  const boost::json::value* value = field(object, key);
  if (value == nullptr) return fallback;
  if (value->is_int64()) return value->get_int64();
  if (value->is_uint64() && value->get_uint64() <= INT64_MAX) {
    return static_cast<std::int64_t>(value->get_uint64());
  }
  return fallback;
}

inline bool bool_field(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = field(object, key);
  return value != nullptr && value->is_bool() && value->get_bool();
}

// The object at `key`, or nullptr.
inline const boost::json::object* object_field(const boost::json::object& object,
                                               std::string_view key) {
  const boost::json::value* value = field(object, key);
  return value != nullptr && value->is_object() ? &value->get_object() : nullptr;
}

}  // namespace paperbot::slack::detail
