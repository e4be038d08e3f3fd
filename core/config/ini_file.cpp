#include "core/config/ini_file.hpp"

#include "core/common/text.hpp"

#include <map>

namespace paperbot::ini {
namespace {

// 'text' in single quotes. Built by appending: GCC 12 warns wrongly (-Wrestrict) about
// "'" + std::string(text) when optimising.
std::string single_quoted(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.append("'").append(text).append("'");
  return out;
}

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

bool is_comment(std::string_view trimmed) {
  return !trimmed.empty() && (trimmed.front() == '#' || trimmed.front() == ';');
}

std::size_t indent_of(std::string_view line) {
  return line.find_first_not_of(" \t");
}

Error line_error(const std::string& file_name, int line, const std::string& what) {
  return make_error("read config", file_name + ":" + std::to_string(line) + ": " + what);
}

// Splits the text into lines without their '\n' or "\r\n"; the last line needs no newline.
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

// The parser's state between lines: where new keys go and which key an indented line continues.
class Builder {
 public:
  explicit Builder(const std::string& file_name) : file_name_(file_name) {}

  Result<void> add_line(std::string_view line, int number);
  File take() { return std::move(file_); }

 private:
  Result<void> add_section(std::string_view trimmed, int number);
  Result<void> add_entry(std::string_view trimmed, std::size_t indent, int number);

  const std::string& file_name_;
  File file_;
  std::map<std::string, int> section_lines_;
  std::map<std::string, int> key_lines_;  // keys of the current section
  bool continuable_ = false;              // the previous line was a key or its continuation
  std::size_t key_indent_ = 0;            // indentation of the key a deeper line continues
};

Result<void> Builder::add_line(std::string_view line, int number) {
  std::string_view trimmed = trim(line);

  // A blank line ends a value; a comment line is skipped without ending it, as configparser does.
  if (trimmed.empty()) {
    continuable_ = false;
    return {};
  }
  if (is_comment(trimmed)) return {};

  // Like configparser, a line indented deeper than the key above continues its value.
  std::size_t indent = indent_of(line);
  if (continuable_ && indent > key_indent_) {
    file_.sections.back().entries.back().value.append("\n").append(trimmed);
    return {};
  }
  if (trimmed.front() == '[') return add_section(trimmed, number);
  return add_entry(trimmed, indent, number);
}

Result<void> Builder::add_section(std::string_view trimmed, int number) {
  // configparser takes the name up to the last ']' and ignores what follows it.
  std::size_t close = trimmed.rfind(']');
  if (close == std::string_view::npos || close < 2) {
    return line_error(file_name_, number,
                      single_quoted(trimmed) + ": expected a section header like [FILTERING]");
  }
  std::string name(trimmed.substr(1, close - 1));

  auto [previous, inserted] = section_lines_.emplace(name, number);
  if (!inserted) {
    return line_error(file_name_, number,
                      "section [" + name + "] appears twice (first on line " +
                          std::to_string(previous->second) + "); merge the two");
  }
  file_.sections.push_back(Section{name, number, {}});
  key_lines_.clear();
  continuable_ = false;
  return {};
}

Result<void> Builder::add_entry(std::string_view trimmed, std::size_t indent, int number) {
  std::size_t delimiter = trimmed.find_first_of("=:");
  if (delimiter == std::string_view::npos) {
    return line_error(file_name_, number,
                      single_quoted(trimmed) +
                          " is neither a [SECTION] header, a 'key = value' line nor a comment "
                          "('#' or ';' at the start of the line)");
  }
  std::string key = ascii_lower(trim(trimmed.substr(0, delimiter)));
  std::string value(trim(trimmed.substr(delimiter + 1)));
  if (key.empty()) {
    return line_error(
        file_name_, number,
        single_quoted(trimmed) + ": expected a key name before '" + trimmed[delimiter] + "'");
  }
  if (file_.sections.empty()) {
    return line_error(file_name_, number,
                      "'" + key +
                          "' comes before any section header; put it under one, e.g. "
                          "[FILTERING]");
  }

  Section& section = file_.sections.back();
  auto [previous, inserted] = key_lines_.emplace(key, number);
  if (!inserted) {
    return line_error(file_name_, number,
                      "[" + section.name + "] " + key + " is set twice (first on line " +
                          std::to_string(previous->second) + "); keep one");
  }
  section.entries.push_back(Entry{key, value, number});
  continuable_ = true;
  key_indent_ = indent;
  return {};
}

}  // namespace

Result<File> parse(std::string_view text, const std::string& file_name) {
  if (text.starts_with(kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());

  Builder builder(file_name);
  int number = 0;
  for (std::string_view line : split_lines(text)) {
    ++number;
    if (auto added = builder.add_line(line, number); !added) return added.error();
  }
  return builder.take();
}

}  // namespace paperbot::ini
