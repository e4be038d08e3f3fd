// Chooses and builds the scorer of a run from the config, the command line and the environment.
#pragma once

#include "core/common/result.hpp"
#include "core/config/config.hpp"
#include "core/digest/digest_run.hpp"

#include <optional>
#include <string>

namespace paperbot {

// The LLM API key: $OPENAI_API_KEY, or $OAI_KEY as gpt_paper_assistant names it, or the contents
// of the file that $OPENAI_API_KEY_FILE names. Empty when none is set.
Result<std::string> llm_api_key_from_environment();

struct ScorerChoice {
  bool use_llm = false;
  std::string reason;  // why, for the log
};

// "offline", "llm" or "auto" (the LLM when an API key is set, else offline).
Result<ScorerChoice> choose_scorer(const std::string& choice, const std::string& api_key);

// The factory of LLM scorers for DigestRun. `spent_today` is what today's earlier runs spent,
// taken off the daily budget.
ScorerFactory llm_scorer_factory(const Config& config, std::string api_key, double spent_dollars,
                                 std::int64_t spent_tokens);

// The scorer factory of a run starting now: empty (the offline scorer) unless `choice` is the
// LLM, whose daily budget is then what the store says today's earlier runs left of it.
Result<ScorerFactory> scorer_factory_for_today(const Config& config, const ScorerChoice& choice,
                                               const std::string& api_key, Store& store);

}  // namespace paperbot
