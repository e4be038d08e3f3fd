#include "core/llm/answer_parser.hpp"

#include "core/common/text.hpp"

#include <boost/json.hpp>

#include <cctype>
#include <cmath>

namespace paperbot {
namespace json = boost::json;
namespace {

json::parse_options lenient_options() {
  json::parse_options options;
  options.allow_trailing_commas = true;
  options.allow_comments = true;
  options.allow_invalid_utf8 = true;
  return options;
}

std::optional<json::value> parse_lenient(std::string_view text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec, {}, lenient_options());
  if (ec) return std::nullopt;
  return value;
}

// Drops ``` fence lines (with or without a language tag), keeping what is between them.
std::string strip_code_fences(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (trim(line).substr(0, 3) != "```") {
      out += line;
      out += '\n';
    }
    start = end + 1;
  }
  return out;
}

// The value of the first key that matches one of `names`, ignoring case and '_'.
const json::value* find_key(const json::object& object,
                            std::initializer_list<std::string_view> names) {
  for (const auto& [key, value] : object) {
    std::string folded;
    for (char c : key) {
      if (c != '_' && c != ' ')
        folded += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    for (auto name : names) {
      if (folded == name) return &value;
    }
  }
  return nullptr;
}

// A score as a number, a float (rounded) or a string holding one.
std::optional<int> read_score(const json::value* value) {
  if (value == nullptr) return std::nullopt;
  double number;
  if (value->is_int64()) {
    number = static_cast<double>(value->as_int64());
  } else if (value->is_uint64()) {
    number = static_cast<double>(value->as_uint64());
  } else if (value->is_double()) {
    number = value->as_double();
  } else if (value->is_string()) {
    std::string text(trim(std::string_view(value->as_string())));
    char* end = nullptr;
    number = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size()) return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (!std::isfinite(number)) return std::nullopt;
  return static_cast<int>(std::lround(number));
}

std::string describe(const json::object& object) {
  std::string text = json::serialize(object);
  return text.size() > 120 ? text.substr(0, 117) + "..." : text;
}

void read_entry(const json::value& value, ParsedAnswer& answer) {
  if (!value.is_object()) {
    answer.problems.push_back("not an object: " + json::serialize(value).substr(0, 120));
    return;
  }
  const auto& object = value.as_object();
  const json::value* id = find_key(object, {"arxivid", "id", "arxiv", "paperid"});
  if (id == nullptr || !id->is_string()) {
    answer.problems.push_back("no ARXIVID in " + describe(object));
    return;
  }
  auto relevance = read_score(find_key(object, {"relevance"}));
  auto novelty = read_score(find_key(object, {"novelty"}));
  if (!relevance || !novelty) {
    answer.problems.push_back("missing or unreadable scores in " + describe(object));
    return;
  }
  if (*relevance < 1 || *relevance > 10 || *novelty < 1 || *novelty > 10) {
    answer.problems.push_back("scores outside 1-10 in " + describe(object));
    return;
  }
  ParsedScore score;
  score.id = normalize_arxiv_id(std::string_view(id->as_string()));
  score.relevance = *relevance;
  score.novelty = *novelty;
  if (const json::value* comment = find_key(object, {"comment"}); comment && comment->is_string()) {
    score.comment = collapse_whitespace(std::string_view(comment->as_string()));
  }
  answer.scores.push_back(std::move(score));
}

void read_array(const json::array& array, ParsedAnswer& answer) {
  for (const auto& element : array) read_entry(element, answer);
}

}  // namespace

std::string normalize_arxiv_id(std::string_view text) {
  std::string id(trim(text));
  for (std::string_view prefix : {"https://arxiv.org/abs/", "http://arxiv.org/abs/"}) {
    if (id.rfind(prefix, 0) == 0) id.erase(0, prefix.size());
  }
  if (ascii_lower(id.substr(0, 6)) == "arxiv:") id.erase(0, 6);
  id = std::string(trim(id));

  // A trailing "v<digits>" is the version.
  std::size_t v = id.rfind('v');
  if (v != std::string::npos && v + 1 < id.size() && v > 0 &&
      std::isdigit(static_cast<unsigned char>(id[v - 1]))) {
    bool digits = true;
    for (std::size_t k = v + 1; k < id.size(); ++k) {
      digits = digits && std::isdigit(static_cast<unsigned char>(id[k]));
    }
    if (digits) id.erase(v);
  }
  return id;
}

ParsedAnswer parse_score_answer(std::string_view text) {
  ParsedAnswer answer;
  std::string body = strip_code_fences(text);

  // The whole answer as one JSON document: an array, one object, or an object holding an array.
  if (auto whole = parse_lenient(body)) {
    if (whole->is_array()) {
      read_array(whole->as_array(), answer);
      return answer;
    }
    if (whole->is_object()) {
      for (const auto& [key, value] : whole->as_object()) {
        if (value.is_array()) {
          read_array(value.as_array(), answer);
          return answer;
        }
      }
      read_entry(*whole, answer);
      return answer;
    }
  }

  // Otherwise JSON lines: each line's outermost {...}, ignoring prose around it.
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t end = body.find('\n', start);
    if (end == std::string::npos) end = body.size();
    std::string_view line(body.data() + start, end - start);
    start = end + 1;
    std::size_t open = line.find('{');
    std::size_t close = line.rfind('}');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
      continue;
    }
    std::string_view candidate = line.substr(open, close - open + 1);
    if (auto value = parse_lenient(candidate)) {
      read_entry(*value, answer);
    } else {
      answer.problems.push_back("malformed line: " + std::string(line.substr(0, 120)));
    }
  }
  return answer;
}

std::optional<std::vector<std::string>> parse_id_list(std::string_view text) {
  std::string body = strip_code_fences(text);
  std::size_t open = body.find('[');
  std::size_t close = body.rfind(']');
  if (open == std::string::npos || close == std::string::npos || close < open) return std::nullopt;
  auto value = parse_lenient(std::string_view(body).substr(open, close - open + 1));
  if (!value || !value->is_array()) return std::nullopt;
  std::vector<std::string> ids;
  for (const auto& element : value->as_array()) {
    if (!element.is_string()) return std::nullopt;
    ids.push_back(normalize_arxiv_id(std::string_view(element.as_string())));
  }
  return ids;
}

}  // namespace paperbot
