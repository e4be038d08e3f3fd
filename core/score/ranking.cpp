#include "core/score/ranking.hpp"

#include "core/common/text.hpp"

#include <algorithm>
#include <set>

namespace paperbot {

std::optional<std::string> match_author(const Paper& paper,
                                        const std::vector<FollowedAuthor>& authors) {
  // Exact folded full names only, as the reference: "G. Paulo" does not match "Gonçalo Paulo",
  // since initials would also match every other G. Paulo.
  std::vector<std::string> folded_paper_authors;
  folded_paper_authors.reserve(paper.authors.size());
  for (const std::string& author : paper.authors) folded_paper_authors.push_back(fold_name(author));

  for (const FollowedAuthor& followed : authors) {
    std::string folded = fold_name(followed.name);
    if (folded.empty()) continue;
    if (std::find(folded_paper_authors.begin(), folded_paper_authors.end(), folded) !=
        folded_paper_authors.end())
      return followed.name;
  }
  return std::nullopt;
}

std::vector<DigestEntry> rank_papers(const std::vector<Paper>& papers,
                                     const std::map<std::string, Score>& scores,
                                     const std::vector<std::string>& author_matched_ids,
                                     const RankOptions& options) {
  std::set<std::string> matched(author_matched_ids.begin(), author_matched_ids.end());
  std::set<std::string> taken;  // a paper listed twice enters the digest once

  // A followed author's paper is selected without the model's opinion. The reference records
  // these before any scored paper, so they come first among equal scores.
  std::vector<DigestEntry> entries;
  for (const Paper& paper : papers) {
    if (!matched.contains(paper.id) || !taken.insert(paper.id).second) continue;
    DigestEntry entry{paper, Score{}, true, options.author_match_score};
    entry.score.comment = "Author match";
    entry.score.scorer = "author-match";
    entries.push_back(std::move(entry));
  }

  // Scored papers above both cutoffs, in scoring order.
  for (const Paper& paper : papers) {
    auto found = scores.find(paper.id);
    if (found == scores.end() || taken.contains(paper.id)) continue;
    const Score& score = found->second;
    if (score.relevance < options.relevance_cutoff || score.novelty < options.novelty_cutoff)
      continue;
    taken.insert(paper.id);
    entries.push_back(DigestEntry{paper, score, false, score.total()});
  }

  // Stable, so equal scores keep the scoring order, as the reference's sort does.
  std::stable_sort(entries.begin(), entries.end(), [](const DigestEntry& a, const DigestEntry& b) {
    return a.rank_score > b.rank_score;
  });
  if (options.top_n && static_cast<int>(entries.size()) > *options.top_n)
    entries.resize(static_cast<std::size_t>(std::max(*options.top_n, 0)));
  return entries;
}

}  // namespace paperbot

namespace paperbot {

std::vector<DigestEntry> just_below_bar(const std::vector<Paper>& papers,
                                        const std::map<std::string, Score>& scores,
                                        const std::vector<DigestEntry>& selected,
                                        const RankOptions& options, int limit, int margin) {
  std::set<std::string> taken;
  for (const DigestEntry& entry : selected) taken.insert(entry.paper.id);

  struct Candidate {
    DigestEntry entry;
    int missing;  // points below the cutoffs, both axes added up
  };
  std::vector<Candidate> candidates;
  for (const Paper& paper : papers) {
    auto found = scores.find(paper.id);
    if (found == scores.end() || !taken.insert(paper.id).second) continue;
    const Score& score = found->second;
    const int short_relevance = std::max(0, options.relevance_cutoff - score.relevance);
    const int short_novelty = std::max(0, options.novelty_cutoff - score.novelty);
    // Above both cutoffs but past top_n is not below the bar; too far below says nothing about
    // where the bar should be.
    if (short_relevance + short_novelty == 0 || short_relevance > margin || short_novelty > margin)
      continue;
    candidates.push_back(Candidate{DigestEntry{paper, score, false, score.total()},
                                   short_relevance + short_novelty});
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) {
                     if (a.missing != b.missing) return a.missing < b.missing;
                     return a.entry.rank_score > b.entry.rank_score;
                   });
  std::vector<DigestEntry> entries;
  for (auto& candidate : candidates) {
    if (static_cast<int>(entries.size()) >= limit) break;
    entries.push_back(std::move(candidate.entry));
  }
  return entries;
}

}  // namespace paperbot
