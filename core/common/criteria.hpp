// What a group scores papers against: the research criteria (the four prompt texts of a
// gpt_paper_assistant config folder, versions of which are kept in the store) and the authors it
// follows.
#pragma once

#include <string>

namespace paperbot {

struct Criteria {
  std::string base_prompt;     // base_prompt.txt: who the assistant is
  std::string topics;          // paper_topics.txt: the topics, with relevant and irrelevant hints
  std::string score_criteria;  // score_criteria.txt: how to score; empty when the file is absent
  std::string postfix;         // postfix_prompt.txt: the answer format

  // A stable hash of all four texts, used as the criteria's identity in the store and the cache.
  std::string hash() const;

  bool operator==(const Criteria&) const = default;
};

// A followed author, as authors.txt names one: "Name, SemanticScholarId" (the id may be absent).
struct FollowedAuthor {
  std::string name;
  std::string semantic_scholar_id;  // empty when none is given

  bool operator==(const FollowedAuthor&) const = default;
};

}  // namespace paperbot
