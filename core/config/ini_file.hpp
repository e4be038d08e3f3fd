// Reading the INI dialect of Python's configparser, as gpt_paper_assistant writes config.ini.
// Internal to the config component: load_config() is the public entry point.
#pragma once

#include "core/common/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace paperbot::ini {

// One `key = value` (or `key: value`) line, with any indented continuation lines joined by '\n'.
struct Entry {
  std::string key;    // lower-cased, as configparser's optionxform does
  std::string value;  // trimmed; never interpolated ('%' is an ordinary character here)
  int line = 0;       // 1-based line of the key
};

struct Section {
  std::string name;  // case-sensitive, as in configparser
  int line = 0;
  std::vector<Entry> entries;  // in file order, each key once
};

struct File {
  std::vector<Section> sections;  // in file order, each name once
};

// Parses `text`. `file_name` is used only in error messages ("config.ini:12: ...").
//
// The dialect is configparser's defaults: `[NAME]` headers; `key = value` or `key: value` split
// at the first '=' or ':'; full-line comments starting with '#' or ';' (a '#' later in a line is
// part of the value); a line indented deeper than the key above continues that key's value (a
// blank line ends it); a repeated
// section or a repeated key in one section is an error (configparser's strict mode). A UTF-8 BOM,
// CRLF line ends and a missing final newline are accepted.
Result<File> parse(std::string_view text, const std::string& file_name);

}  // namespace paperbot::ini
