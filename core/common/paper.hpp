// A paper as arXiv announces it, and the scores paperbot gives it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace paperbot {

// How a paper appears in an announcement (arXiv's `arxiv:announce_type`).
enum class AnnounceType { kNew, kCross, kReplace, kReplaceCross };

std::string_view to_string(AnnounceType type);
std::optional<AnnounceType> parse_announce_type(std::string_view text);

struct Paper {
  std::string id;  // arXiv id without version: "2501.16396", "hep-ex/0601001"
  int version = 1;
  std::string title;
  std::vector<std::string> authors;
  std::string abstract;
  std::vector<std::string> categories;  // primary first, when the source says which is primary
  AnnounceType announce_type = AnnounceType::kNew;
  std::string doi;          // empty when absent
  std::string journal_ref;  // empty when absent
  std::string comment;      // arXiv's author comment ("12 pages, 3 figures"), empty when absent

  std::string versioned_id() const { return id + "v" + std::to_string(version); }
  std::string primary_category() const { return categories.empty() ? "" : categories.front(); }
};

// One paper's scores under one criteria version. RELEVANCE and NOVELTY are 1..10.
struct Score {
  int relevance = 0;
  int novelty = 0;
  std::string comment;
  std::string scorer;  // "offline", "llm:gpt-4o", "author-match"

  int total() const { return relevance + novelty; }
};

}  // namespace paperbot
