// `why ID`: a paper's scores, the criteria that gave them, and why it was or was not posted to
// the audience. Every number comes from the store; when the store cannot tell, the reply says so
// rather than guess.
#include "core/chat/command_context.hpp"
#include "core/chat/reply_text.hpp"
#include "core/common/text.hpp"
#include "core/score/ranking.hpp"

#include <algorithm>

namespace paperbot::chat {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// The score `why` talks about: the one under the audience's current criteria if there is one,
// else the most recent (paper_scores() lists newest first).
const RecordedScore* pick_score(const std::vector<RecordedScore>& scores,
                                std::int64_t criteria_id) {
  for (const RecordedScore& score : scores) {
    if (score.criteria_id == criteria_id) return &score;
  }
  return scores.empty() ? nullptr : &scores.front();
}

// Why the filter of the audience drops the paper, or empty when it keeps it.
std::string filtered_out(const Paper& paper, const FilteringConfig& filtering) {
  const auto& followed = filtering.categories;
  const bool listed = std::any_of(paper.categories.begin(), paper.categories.end(),
                                  [&](const std::string& c) { return contains(followed, c); });
  if (!paper.categories.empty() && !listed) {
    return "its categories (" + escape(join(paper.categories, ", ")) +
           ") are none of those followed here (" + escape(join(followed, ", ")) + ")";
  }
  if (!filtering.announce_types.contains(paper.announce_type)) {
    std::vector<std::string> types;
    for (AnnounceType type : filtering.announce_types) types.emplace_back(to_string(type));
    return "it was announced as \"" + std::string(to_string(paper.announce_type)) +
           "\", and only " + join(types, ", ") + " are followed";
  }
  if (filtering.force_primary && !paper.categories.empty() &&
      !contains(followed, paper.primary_category())) {
    return "its primary category " + escape(paper.primary_category()) +
           " is not followed (force_primary is on)";
  }
  return {};
}

// The sentence about the score and the criteria version that gave it.
Result<std::string> score_lines(CommandContext& context, const RecordedScore& score,
                                int paper_version, std::int64_t current_criteria) {
  std::string text = "Scores: relevance " + std::to_string(score.score.relevance) + ", novelty " +
                     std::to_string(score.score.novelty) + " (by " + escape(score.score.scorer) +
                     " on " + format_stored_time(score.scored_at);
  if (score.version != paper_version) text += ", of v" + std::to_string(score.version);
  text += ")";
  if (!trim(score.score.comment).empty()) text += " — “" + escape(score.score.comment) + "”";
  text += "\n";

  auto version = context.store.find_criteria(score.criteria_id);
  if (!version) return version.error();
  text += "Criteria: v" + std::to_string(score.criteria_id);
  if (*version) {
    text += ", made by " + person_label((*version)->author) + " on " +
            format_stored_time((*version)->created_at);
  }
  if (score.criteria_id != current_criteria) {
    text += "; not the current criteria here (v" + std::to_string(current_criteria) +
            "), under which it has no score yet";
  }
  return text + "\n";
}

// Why a paper that no digest of the audience selected was left out.
Result<std::string> why_not(CommandContext& context, const ResolvedAudience& audience,
                            const Paper& paper, const std::vector<Date>& dates,
                            const RecordedScore* score) {
  const std::string label = audience_label(audience);
  const Config& config = audience.config;

  if (std::string filter = filtered_out(paper, config.filtering); !filter.empty()) {
    return "Not posted to " + label + ": filtered out, since " + filter + ".";
  }

  const Date last = dates.back();
  const std::string day = format_iso_date(last);
  auto run = context.store.find_run(last, audience.id);
  if (!run) return run.error();
  const std::string made = *run ? "" : " No digest was made for " + day + " in " + label + ".";

  if (config.selection.run_author_match) {
    if (auto author = match_author(paper, config.authors)) {
      return "Not posted to " + label + " yet, though " + escape(*author) +
             " is a followed author, which selects a paper whatever its scores." + made;
    }
  }
  if (score == nullptr) {
    return "Not posted to " + label + ": it was not scored yet." + made;
  }
  if (score->criteria_id != audience.criteria_id) {
    return "Not posted to " + label + ": not scored yet under the current criteria v" +
           std::to_string(audience.criteria_id) + "; `rescore " + day + "` would score it." + made;
  }

  const int relevance_cutoff = config.filtering.relevance_cutoff;
  const int novelty_cutoff = config.filtering.novelty_cutoff;
  std::vector<std::string> below;
  if (score->score.relevance < relevance_cutoff) {
    below.push_back("relevance " + std::to_string(score->score.relevance) +
                    " is below the relevance cutoff " + std::to_string(relevance_cutoff));
  }
  if (score->score.novelty < novelty_cutoff) {
    below.push_back("novelty " + std::to_string(score->score.novelty) +
                    " is below the novelty cutoff " + std::to_string(novelty_cutoff));
  }
  if (!below.empty()) return "Not posted to " + label + ": its " + join(below, " and its ") + ".";
  if (!*run) return "Not posted to " + label + ": its scores pass the cutoffs." + made;

  if ((*run)->status != "done") {
    return "Not posted to " + label + ": the run of " + day + " ended as \"" +
           escape((*run)->status) + "\".";
  }

  const auto& top_n = config.paperbot.top_n;
  const int kept = static_cast<int>((*run)->selected_ids.size());
  if (top_n && kept >= *top_n) {
    return "Not posted to " + label + ": not in the top " + std::to_string(*top_n) +
           "; the digest of " + day + " was full with " + std::to_string(kept) +
           " papers (its score, relevance + novelty, is " + std::to_string(score->score.total()) +
           ").";
  }
  return "Not posted to " + label + ": its scores pass the current cutoffs, but the digest of " +
         day + " was made before (under other settings or scores); `rescore " + day +
         "` would take it in.";
}

// Where the paper went in this audience, or empty when no digest of it selected the paper.
Result<std::string> where_posted(CommandContext& context, const ResolvedAudience& audience,
                                 const std::string& paper_id, const std::vector<Date>& dates) {
  const std::string label = audience_label(audience);
  auto deliveries = context.store.paper_deliveries(audience.id, paper_id);
  if (!deliveries) return deliveries.error();

  std::vector<std::string> lines;
  for (const PaperDelivery& delivery : *deliveries) {
    const std::string day = format_iso_date(delivery.date);
    switch (delivery.status) {
      case DeliveryStatus::kSent:
        lines.push_back("Posted to " + label + " with the digest of " + day + " (" +
                        format_stored_time(delivery.sent_at) + ").");
        break;
      case DeliveryStatus::kPending:
        lines.push_back("Queued for " + label + " with the digest of " + day + ", not sent yet.");
        break;
      case DeliveryStatus::kFailed:
        lines.push_back("Selected for " + label + " on " + day + ", but posting it failed.");
        break;
    }
  }
  if (!lines.empty()) return join(lines, "\n");

  // No message (the output folder, or not enqueued yet): the digests themselves say.
  for (const Date date : dates) {
    auto run = context.store.find_run(date, audience.id);
    if (!run) return run.error();
    if (!*run) continue;
    const auto& ids = (*run)->selected_ids;
    auto at = std::find(ids.begin(), ids.end(), paper_id);
    if (at == ids.end()) continue;
    lines.push_back("In the digest of " + format_iso_date(date) + " for " + label + " at rank " +
                    std::to_string(at - ids.begin() + 1) + ".");
  }
  return join(lines, "\n");
}

}  // namespace

Result<Reply> run_why(CommandContext& context, const commands::Why& why) {
  auto audience = resolve_audience(context.config, context.audience_id, context.store);
  if (!audience) return audience.error();

  auto paper = context.store.find_paper(why.paper_id);
  if (!paper) return paper.error();
  if (!*paper) {
    return Reply{"paperbot has not seen " + escape(why.paper_id) +
                     " in any announcement it processed (it reads only the categories it "
                     "follows). Check the id, or `search` for words of its title.",
                 std::nullopt};
  }
  auto dates = context.store.announcement_dates(why.paper_id);
  if (!dates) return dates.error();
  auto scores = context.store.paper_scores(why.paper_id);
  if (!scores) return scores.error();
  const RecordedScore* score = pick_score(*scores, audience->criteria_id);

  std::string text = "*" + paper_link(**paper) + "* (" + (*paper)->versioned_id() + ")";
  if (!(*paper)->authors.empty()) text += " — " + short_authors((*paper)->authors);
  std::vector<std::string> days;
  for (Date date : *dates) days.push_back(format_iso_date(date));
  text += "\nAnnounced " + join(days, ", ");
  if (!(*paper)->categories.empty()) text += " in " + escape(join((*paper)->categories, ", "));
  text += "\n";

  if (score != nullptr) {
    auto lines = score_lines(context, *score, (*paper)->version, audience->criteria_id);
    if (!lines) return lines.error();
    text += *lines;
  } else {
    text += "Not scored yet.\n";
  }

  auto posted = where_posted(context, *audience, why.paper_id, *dates);
  if (!posted) return posted.error();
  if (posted->empty()) {
    auto reason = why_not(context, *audience, **paper, *dates, score);
    if (!reason) return reason.error();
    text += *reason;
  } else {
    text += *posted;
  }

  auto feedback = context.store.feedback_counts(audience->id, why.paper_id);
  if (!feedback) return feedback.error();
  text += "\nFeedback in " + audience_label(*audience) + ": 👍 " + std::to_string(feedback->up) +
          " · 👎 " + std::to_string(feedback->down);
  return Reply{text, std::nullopt};
}

}  // namespace paperbot::chat
