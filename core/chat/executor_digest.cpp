// `today`, `top N [DATE]` and `search WORDS`: what the digests hold and what recent days brought.
#include "core/chat/command_context.hpp"
#include "core/chat/reply_text.hpp"
#include "core/common/text.hpp"
#include "core/score/ranking.hpp"

#include <map>
#include <sstream>

namespace paperbot::chat {
namespace {

constexpr int kSearchDays = 14;
constexpr int kSearchResults = 10;
constexpr int kSearchScan = 10000;  // papers of the window read; far above two weeks of a category

// Room kept for the "and N more" line.
constexpr std::size_t kDigestBudget = kMaxReplyChars - 200;

// One line of a digest: rank, linked title, authors, and why it is there.
std::string digest_line(int rank, const Paper& paper, const std::map<std::string, Score>& scores,
                        const std::vector<FollowedAuthor>& authors) {
  std::string line = std::to_string(rank) + ". " + paper_link(paper);
  if (!paper.authors.empty()) line += " — " + short_authors(paper.authors);
  if (auto score = scores.find(paper.versioned_id()); score != scores.end()) {
    line += " · relevance " + std::to_string(score->second.relevance) + ", novelty " +
            std::to_string(score->second.novelty);
  } else if (auto author = match_author(paper, authors)) {
    line += " · by followed author " + escape(*author);
  }
  return line;
}

std::vector<std::string> lower_words(std::string_view text) {
  std::vector<std::string> words;
  std::istringstream in{ascii_lower(text)};
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

}  // namespace

Result<Reply> run_today(CommandContext& context, int count, std::optional<Date> date) {
  auto audience = resolve_audience(context.config, context.audience_id, context.store);
  if (!audience) return audience.error();
  const std::string label = audience_label(*audience);

  // Without a date, the latest digest made for the audience.
  if (!date) {
    auto latest = context.store.latest_run_date(audience->id);
    if (!latest) return latest.error();
    if (!*latest) return Reply{"No digest was made for " + label + " yet.", std::nullopt};
    date = **latest;
  }
  const std::string day = format_iso_date(*date);
  auto run = context.store.find_run(*date, audience->id);
  if (!run) return run.error();
  if (!*run) return Reply{"No digest for " + day + " in " + label + ".", std::nullopt};
  if ((*run)->status != "done") {
    return Reply{"The run of " + day + " for " + label + " ended as \"" + escape((*run)->status) +
                     "\": there is no digest to show.",
                 std::nullopt};
  }

  const RunRecord& record = **run;
  const RunCounts& counts = record.counts;
  if (record.selected_ids.empty()) {
    return Reply{"The digest of " + day + " for " + label + " is empty: none of the " +
                     std::to_string(counts.scored) + " papers scored passed the cutoffs.",
                 std::nullopt};
  }

  // The papers as that day listed them, and their scores as the run ranked them.
  auto listed = context.store.announced_papers(*date);
  if (!listed) return listed.error();
  std::map<std::string, Paper> papers;
  for (Paper& paper : *listed) papers.emplace(paper.id, std::move(paper));
  std::vector<Paper> selected;
  for (const std::string& id : record.selected_ids) {
    if (auto found = papers.find(id); found != papers.end()) selected.push_back(found->second);
  }
  auto scores = context.store.cached_scores(selected, record.criteria_id, record.scorer);
  if (!scores) return scores.error();

  const int total = static_cast<int>(record.selected_ids.size());
  const int shown_max = std::min(count, total);
  std::string text = "*Digest of " + day + " for " + label + "*: ";
  text += shown_max < total ? "the first " + std::to_string(shown_max) + " of " : "";
  text += std::to_string(total) + (total == 1 ? " paper" : " papers") + " (of " +
          std::to_string(counts.kept) + " considered), criteria v" +
          std::to_string(record.criteria_id) + (record.late ? ", processed late" : "") + "\n";

  int shown = 0;
  for (const std::string& id : record.selected_ids) {
    if (shown == shown_max) break;
    auto found = papers.find(id);
    std::string line =
        found != papers.end()
            ? digest_line(shown + 1, found->second, *scores, audience->config.authors)
            : std::to_string(shown + 1) + ". " + escape(id) + " (not in the store)";
    if (text.size() + line.size() > kDigestBudget) break;
    text += line + "\n";
    ++shown;
  }
  if (shown < shown_max) {
    text += "… and " + std::to_string(shown_max - shown) + " more; `top " + std::to_string(shown) +
            " " + day + "` shows fewer in full.";
  }
  if (text.ends_with('\n')) text.pop_back();
  return Reply{text, std::nullopt};
}

Result<Reply> run_search(CommandContext& context, const commands::Search& search) {
  const std::string wanted = unescape_slack(search.words);
  const std::vector<std::string> words = lower_words(wanted);
  const std::string quoted = "\"" + escape(wanted) + "\"";

  // recent_papers() stops before its date, so tomorrow's date takes in today's announcement.
  const auto today = std::chrono::floor<std::chrono::days>(context.now);
  auto recent =
      context.store.recent_papers(Date{today + std::chrono::days(1)}, kSearchDays, kSearchScan);
  if (!recent) return recent.error();

  std::vector<const Paper*> matches;
  for (const Paper& paper : *recent) {
    const std::string haystack = ascii_lower(paper.title + "\n" + paper.abstract);
    bool all = true;
    for (const std::string& word : words) all = all && haystack.find(word) != std::string::npos;
    if (all) matches.push_back(&paper);
  }
  if (matches.empty()) {
    return Reply{"No paper of the last " + std::to_string(kSearchDays) + " days matches " + quoted +
                     " in its title or abstract.",
                 std::nullopt};
  }

  const std::size_t shown = std::min<std::size_t>(matches.size(), kSearchResults);
  std::string text = std::to_string(matches.size()) + (matches.size() == 1 ? " paper" : " papers") +
                     " of the last " + std::to_string(kSearchDays) + " days " +
                     (matches.size() == 1 ? "matches " : "match ") + quoted;
  text += shown < matches.size() ? "; the newest " + std::to_string(shown) + ":\n" : ":\n";
  for (std::size_t i = 0; i < shown; ++i) {
    const Paper& paper = *matches[i];
    text += "• " + paper_link(*matches[i]) + " (" + paper.id + ")";
    if (!paper.authors.empty()) text += " — " + short_authors(paper.authors);
    text += "\n";
  }
  text += "`why ID` tells why one was or was not posted.";
  return Reply{text, std::nullopt};
}

}  // namespace paperbot::chat
