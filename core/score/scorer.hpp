// The scorer interface: turns (criteria, papers) into scores. The offline scorer lives in core;
// the LLM scorer lives in adapters/llm and implements the same interface.
#pragma once

#include "core/common/criteria.hpp"
#include "core/common/digest.hpp"
#include "core/common/paper.hpp"
#include "core/common/result.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace paperbot {

struct ScoringResult {
  std::map<std::string, Score> scores;          // by paper id (without version)
  std::map<std::string, std::string> unscored;  // paper id -> why it could not be scored
  Usage usage;                                  // tokens billed, zero for the offline scorer
  std::vector<std::string> notes;               // said in the digest, e.g. budget reached
  // Set when the scorer gave up on the run (its endpoint kept failing): the scores it has are
  // kept, but the run is not complete. Says why.
  std::optional<std::string> stopped_early;
};

// Called while scoring: papers done so far, papers in all, dollars spent so far.
using ScoringProgress = std::function<void(int done, int total, double dollars)>;

class Scorer {
 public:
  virtual ~Scorer() = default;

  // A stable name that keys the score cache: "offline", "llm:gpt-4o".
  virtual std::string name() const = 0;

  // Scores every paper it can. A paper it cannot score goes into `unscored` with the reason;
  // an Error means nothing could be scored at all.
  virtual Result<ScoringResult> score(const Criteria& criteria, const std::vector<Paper>& papers,
                                      const ScoringProgress& progress) = 0;
};

}  // namespace paperbot
