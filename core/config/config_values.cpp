#include "core/config/config_values.hpp"

#include "core/common/text.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <string>
#include <vector>

namespace paperbot::config_values {
namespace {

bool is_lower_letter(char c) {
  return c >= 'a' && c <= 'z';
}

bool is_letter(char c) {
  return is_lower_letter(c) || (c >= 'A' && c <= 'Z');
}

// Letters in groups joined by single hyphens: "hep-th", "mes-hall", "LG".
bool is_hyphenated_word(std::string_view text, bool (*letter)(char)) {
  if (text.empty() || text.front() == '-' || text.back() == '-') return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '-') {
      if (text[i - 1] == '-') return false;
    } else if (!letter(text[i])) {
      return false;
    }
  }
  return true;
}

std::vector<std::string> words_of(std::string_view key) {
  std::vector<std::string> words;
  std::string word;
  for (char c : key) {
    if (c == '_' || c == '-' || c == '.' || c == ' ') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

}  // namespace

std::optional<bool> parse_boolean(std::string_view text) {
  std::string lower = ascii_lower(text);
  if (lower == "true" || lower == "yes" || lower == "on" || lower == "1") return true;
  if (lower == "false" || lower == "no" || lower == "off" || lower == "0") return false;
  return std::nullopt;
}

std::optional<long long> parse_whole_number(std::string_view text) {
  // from_chars takes no '+', which people write and Python's int() accepts.
  if (text.starts_with('+')) text.remove_prefix(1);
  if (text.empty()) return std::nullopt;

  long long number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc()) return std::nullopt;

  std::string_view rest(end, text.data() + text.size() - end);
  if (rest.starts_with('.'))
    rest.remove_prefix(1);
  else if (!rest.empty())
    return std::nullopt;
  if (rest.find_first_not_of('0') != std::string_view::npos) return std::nullopt;
  return number;
}

std::optional<double> parse_decimal(std::string_view text) {
  if (text.starts_with('+')) text.remove_prefix(1);
  double number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(number))
    return std::nullopt;
  return number;
}

bool is_arxiv_category(std::string_view text) {
  // An archive ("cs", "hep-th", "q-bio"), optionally a dot and a subject class ("LG", "comp-ph").
  std::size_t dot = text.find('.');
  std::string_view archive = text.substr(0, dot);
  if (!is_hyphenated_word(archive, is_lower_letter)) return false;
  if (dot == std::string_view::npos) return true;
  return is_hyphenated_word(text.substr(dot + 1), is_letter);
}

bool is_secret_key(std::string_view key) {
  static constexpr std::array<std::string_view, 7> kSecretWords = {
      "apikey", "token", "password", "passwd", "secret", "credential", "credentials"};

  std::vector<std::string> words = words_of(ascii_lower(key));
  for (std::size_t i = 0; i < words.size(); ++i) {
    for (std::string_view secret : kSecretWords) {
      if (words[i] == secret) return true;
    }
    if (words[i] == "api" && i + 1 < words.size() && words[i + 1] == "key") return true;
  }
  return false;
}

}  // namespace paperbot::config_values
