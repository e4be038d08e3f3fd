// Parsing what models really answer. Accepted: JSON lines, a JSON array (or an object holding
// one), code fences, trailing commas, scores as numbers, floats or strings ("8"), ids with a
// version or an "arXiv:" prefix, keys in any case. Scores outside 1..10 are rejected.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace paperbot {

struct ParsedScore {
  std::string id;  // normalised: no prefix, no version
  int relevance = 0;
  int novelty = 0;
  std::string comment;
};

struct ParsedAnswer {
  std::vector<ParsedScore> scores;    // in answer order; may hold ids the batch did not contain
  std::vector<std::string> problems;  // entries that could not be used, and why
};

ParsedAnswer parse_score_answer(std::string_view text);

// The title prefilter's answer: a JSON list of ids. Nothing when it cannot be read as one.
std::optional<std::vector<std::string>> parse_id_list(std::string_view text);

// "arXiv:2501.16396v2" -> "2501.16396"; "https://arxiv.org/abs/hep-th/9901001v1" ->
// "hep-th/9901001". Whitespace trimmed.
std::string normalize_arxiv_id(std::string_view text);

}  // namespace paperbot
