#include "core/common/criteria.hpp"

#include "core/common/text.hpp"

namespace paperbot {

std::string Criteria::hash() const {
  // Length-prefixed so that moving text from one part to the next changes the hash.
  std::string joined;
  for (const std::string* part : {&base_prompt, &topics, &score_criteria, &postfix}) {
    joined += std::to_string(part->size());
    joined += ':';
    joined += *part;
  }
  return sha256_hex(joined);
}

}  // namespace paperbot
