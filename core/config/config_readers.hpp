// Reusable readers for rows of the config_keys table: each checks one trimmed value and stores
// it in a member of a Config part, so that a row names its field once. Internal to the config
// component.
#pragma once

#include "core/config/config_keys.hpp"
#include "core/config/config_values.hpp"

#include <sstream>
#include <string>
#include <string_view>

namespace paperbot::config_keys::readers {

inline ReadOutcome expected(std::string what) {
  return ReadOutcome{std::move(what), {}};
}

inline ReadOutcome unused(std::string why) {
  return ReadOutcome{{}, std::move(why)};
}

inline std::string range_text(long long min, long long max) {
  return "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
}

// Readers that store into `(config.*part).*member`, so that a table row names its field once.

template <class Part>
ValueReader boolean(Part Config::*part, bool Part::*member) {
  return [part, member](std::string_view value, Config& config) {
    auto parsed = config_values::parse_boolean(value);
    if (!parsed) return expected("true or false (or yes/no, on/off, 1/0)");
    (config.*part).*member = *parsed;
    return ReadOutcome{};
  };
}

template <class Part>
ValueReader whole_number(Part Config::*part, int Part::*member, int min, int max) {
  return [part, member, min, max](std::string_view value, Config& config) {
    auto parsed = config_values::parse_whole_number(value);
    if (!parsed || *parsed < min || *parsed > max) return expected(range_text(min, max));
    (config.*part).*member = static_cast<int>(*parsed);
    return ReadOutcome{};
  };
}

// A bound as people write it: "3", "0.01", "1e+06" for a million.
inline std::string bound_text(double bound) {
  std::ostringstream text;
  text << bound;
  return text.str();
}

template <class Part>
ValueReader decimal(Part Config::*part, double Part::*member, double min, double max) {
  return [part, member, min, max](std::string_view value, Config& config) {
    auto parsed = config_values::parse_decimal(value);
    if (!parsed || *parsed < min || *parsed > max) {
      return expected("a number from " + bound_text(min) + " to " + bound_text(max));
    }
    (config.*part).*member = *parsed;
    return ReadOutcome{};
  };
}

// A non-empty one-line text; `Text` is std::string or std::filesystem::path.
template <class Part, class Text>
ValueReader text(Part Config::*part, Text Part::*member, std::string what) {
  return [part, member, what](std::string_view value, Config& config) {
    if (value.empty() || value.find('\n') != std::string_view::npos) return expected(what);
    (config.*part).*member = Text(std::string(value));
    return ReadOutcome{};
  };
}

template <class Part>
ValueReader url(Part Config::*part, std::string Part::*member) {
  return [part, member](std::string_view value, Config& config) {
    bool web = value.starts_with("http://") || value.starts_with("https://");
    if (!web || value.find_first_of(" \t\n") != std::string_view::npos)
      return expected("an http:// or https:// URL");
    (config.*part).*member = std::string(value);
    return ReadOutcome{};
  };
}

}  // namespace paperbot::config_keys::readers
