#include "core/digest/digest_run.hpp"

#include "core/common/text.hpp"
#include "core/digest/h_index_filter.hpp"
#include "core/feed/feed_parser.hpp"
#include "core/render/render.hpp"
#include "core/score/offline_scorer.hpp"
#include "core/score/ranking.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>
#include <stdexcept>

namespace paperbot {
namespace {

constexpr int kRecentPaperLimit = 5000;

using RunResult = boost::system::result<DigestReport, RunError>;

RunError fail(RunFailure failure, Error error) {
  return RunError{failure, std::move(error)};
}

std::string utc_now_iso() {
  return format_iso_timestamp(
      std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// Writes `contents` to `path`, whole or with an error.
Result<void> write_file(const std::filesystem::path& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  out.close();
  if (!out) return make_error("write digest", "cannot write " + path.string());
  return {};
}

}  // namespace

std::string_view to_string(RunOutcome outcome) {
  switch (outcome) {
    case RunOutcome::kPublished: return "published";
    case RunOutcome::kNoAnnouncement: return "no announcement";
    case RunOutcome::kAlreadyProcessed: return "already processed";
    case RunOutcome::kNotModified: return "not modified";
  }
  return "published";
}

void throw_exception_from_error(const RunError& error, const boost::source_location&) {
  throw std::logic_error("unchecked run error: " + error.error.to_string());
}

FilterResult filter_papers(const std::vector<Paper>& papers, const FilteringConfig& filtering,
                           const std::vector<std::string>& feed_channels) {
  FilterResult result;
  RunCounts& counts = result.counts;
  counts.unique = static_cast<int>(papers.size());
  std::string feed_name = feed_channels.empty() ? "the feed" : join(feed_channels, "+");

  for (const Paper& paper : papers) {
    // Count the paper under every followed category it is listed in, as the reference adds up
    // its per-category feeds. An item that names no categories (some combined feeds) is counted
    // once, under the feed's own name.
    bool has_categories = !paper.categories.empty();
    int listings = 0;
    for (const auto& category : paper.categories) {
      if (contains(filtering.categories, category)) {
        ++counts.per_category[category];
        ++listings;
      }
    }
    if (!has_categories) ++counts.per_category[feed_name];
    counts.fetched += has_categories ? listings : 1;

    if (has_categories && listings == 0) {
      ++counts.dropped["not in a followed category"];
      continue;
    }
    if (!filtering.announce_types.contains(paper.announce_type)) {
      ++counts.dropped["announce type " + std::string(to_string(paper.announce_type))];
      continue;
    }
    if (filtering.force_primary && has_categories &&
        !contains(filtering.categories, paper.primary_category())) {
      ++counts.dropped["primary category not followed"];
      continue;
    }
    result.kept.push_back(paper);
  }
  counts.kept = static_cast<int>(result.kept.size());
  return result;
}

DigestRun::DigestRun(const Config& config, Store& store, ScorerFactory make_scorer,
                     std::shared_ptr<spdlog::logger> logger)
    : config_(config),
      store_(store),
      make_scorer_(std::move(make_scorer)),
      logger_(std::move(logger)) {}

Result<std::vector<Paper>> DigestRun::apply_h_index_filter(std::vector<Paper> papers,
                                                           std::vector<Paper>& candidates,
                                                           RunCounts& counts) {
  if (author_index_ == nullptr) {
    logger_->warn(
        "[PAPERBOT] h_index_filter is on, but no h-index source is set up: no paper "
        "is dropped for its authors' h-index");
    return papers;
  }
  const int cutoff = config_.filtering.h_cutoff;
  auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto filtered =
      filter_by_h_index(std::move(papers), cutoff, *author_index_, store_, *logger_, now);
  if (!filtered) return filtered.error();
  if (filtered->dropped.empty()) return std::move(filtered->kept);

  // The dropped papers leave the candidates too, so that the counts and the digest agree.
  counts.dropped["authors' h-index below " + std::to_string(cutoff)] +=
      static_cast<int>(filtered->dropped.size());
  std::set<std::string> dropped(filtered->dropped.begin(), filtered->dropped.end());
  std::erase_if(candidates, [&](const Paper& paper) { return dropped.contains(paper.id); });
  counts.kept = static_cast<int>(candidates.size());
  return std::move(filtered->kept);
}

RunResult DigestRun::run(const FetchedFeed& fetched, const DigestOptions& options) {
  if (fetched.not_modified) {
    DigestReport report;
    report.outcome = RunOutcome::kNotModified;
    report.message = "the feed has not changed since the last fetch: nothing new to process";
    return report;
  }

  // Parse everything before touching the store, so a malformed feed writes nothing.
  auto parsed = parse_feed(fetched.body, fetched.source);
  if (!parsed) return fail(RunFailure::kMalformedFeed, parsed.error());
  return run_parsed(std::move(*parsed), fetched.source, options);
}

namespace {

// Writes the digest's files into `out_dir`, adding their paths to `files`. Every file is written
// to a temporary name first and renamed only when all were written, so a failure leaves the
// earlier digest (or none) in place, never a mix.
Result<void> write_digest_files(const Digest& digest, const OutputConfig& output_config,
                                const std::filesystem::path& out_dir,
                                std::vector<std::filesystem::path>& files) {
  const Date date = digest.date;
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) {
    return make_error("write digest", "cannot create " + out_dir.string() + ": " + ec.message());
  }
  struct Output {
    bool enabled;
    const char* extension;
    std::string (*render)(const Digest&);
  };
  std::vector<std::pair<std::filesystem::path, std::filesystem::path>> written;
  auto discard = [&written] {
    std::error_code ignored;
    for (const auto& [temporary, final_path] : written) std::filesystem::remove(temporary, ignored);
  };
  for (const Output& output : {Output{output_config.dump_md, "md", &render_markdown},
                               Output{output_config.dump_json, "json", &render_json},
                               Output{output_config.dump_html, "html", &render_html}}) {
    if (!output.enabled) continue;
    auto path = out_dir / output_file_name(date, output.extension);
    auto temporary = path;
    temporary += ".tmp";
    if (auto saved = write_file(temporary, output.render(digest)); !saved) {
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      discard();
      return saved.error();
    }
    written.emplace_back(temporary, path);
  }
  for (const auto& [temporary, path] : written) {
    std::error_code renamed;
    std::filesystem::rename(temporary, path, renamed);
    if (renamed) {
      discard();
      return make_error("write digest",
                        "cannot rename to " + path.string() + ": " + renamed.message());
    }
    files.push_back(path);
  }
  return {};
}

}  // namespace

RunResult DigestRun::run_parsed(Feed feed, const std::string& source,
                                const DigestOptions& options) {
  DigestReport report;
  std::string started_at = utc_now_iso();

  std::optional<Date> date = feed.announced ? feed.announced : options.expected_date;
  if (options.expected_date && feed.announced && *feed.announced != *options.expected_date) {
    return fail(RunFailure::kWrongDay, make_error("check announcement date",
                                                  source + " holds the announcement of " +
                                                      format_iso_date(*feed.announced) + ", not " +
                                                      format_iso_date(*options.expected_date)));
  }
  report.date = date;
  std::string date_text = date ? format_iso_date(*date) : std::string("an undated feed");

  if (feed.papers.empty()) {
    report.outcome = RunOutcome::kNoAnnouncement;
    report.message = "no announcement for " + date_text;
    return report;
  }
  if (!date) {
    return fail(RunFailure::kMalformedFeed,
                make_error("check announcement date",
                           source + " has papers but no announcement date; pass --date"));
  }

  auto previous = store_.find_run(*date, options.audience);
  if (!previous) return fail(RunFailure::kStore, previous.error());
  if (*previous && (*previous)->status == "done" && !options.force) {
    report.outcome = RunOutcome::kAlreadyProcessed;
    report.message = "the announcement of " + date_text + " was already processed (run " +
                     std::to_string((*previous)->id) + "); --force processes it again";
    return report;
  }

  // Filter, then remember every paper of the announcement.
  FilterResult filtered = filter_papers(feed.papers, config_.filtering, feed.channels);
  RunCounts& counts = filtered.counts;
  if (auto recorded = store_.record_announcement(*date, source, feed.papers); !recorded) {
    return fail(RunFailure::kStore, recorded.error());
  }

  std::vector<Paper> candidates;
  if (options.rescore_replacements || config_.paperbot.rescore_replacements) {
    candidates = std::move(filtered.kept);
  } else {
    std::vector<std::string> ids;
    for (const auto& paper : filtered.kept) ids.push_back(paper.id);
    auto seen = store_.scored_before(ids, *date);
    if (!seen) return fail(RunFailure::kStore, seen.error());
    std::set<std::string> seen_ids(seen->begin(), seen->end());
    for (auto& paper : filtered.kept) {
      if (seen_ids.contains(paper.id)) {
        ++counts.dropped["already scored on an earlier day"];
      } else {
        candidates.push_back(std::move(paper));
      }
    }
    counts.kept = static_cast<int>(candidates.size());
  }

  // Followed authors skip the scorer, as in the reference.
  std::vector<std::string> author_ids;
  std::vector<Paper> to_score;
  for (const auto& paper : candidates) {
    auto author =
        config_.selection.run_author_match ? match_author(paper, config_.authors) : std::nullopt;
    if (author) {
      author_ids.push_back(paper.id);
      logger_->info("{} is by followed author {}", paper.id, *author);
    } else {
      to_score.push_back(paper);
    }
  }

  // Papers by followed authors are never dropped for their authors' h-index.
  if (config_.paperbot.h_index_filter) {
    auto kept = apply_h_index_filter(std::move(to_score), candidates, counts);
    if (!kept) return fail(RunFailure::kStore, kept.error());
    to_score = std::move(*kept);
  }

  auto criteria_id =
      store_.criteria_version(config_.criteria, "config", "read from " + config_.folder.string());
  if (!criteria_id) return fail(RunFailure::kStore, criteria_id.error());

  // The offline scorer measures novelty against recent days; it scores, or is the fallback.
  auto recent =
      store_.recent_papers(*date, config_.paperbot.novelty_window_days, kRecentPaperLimit);
  if (!recent) return fail(RunFailure::kStore, recent.error());
  OfflineScorer offline(*recent);
  std::unique_ptr<Scorer> chosen = make_scorer_ ? make_scorer_(offline) : nullptr;
  Scorer* scorer = chosen ? chosen.get() : &offline;

  // Scores already paid for come from the cache; only the rest go to the scorer.
  auto cached = store_.cached_scores(to_score, *criteria_id, scorer->name());
  if (!cached) return fail(RunFailure::kStore, cached.error());
  std::map<std::string, Score> scores;
  std::vector<Paper> misses;
  for (const auto& paper : to_score) {
    if (auto hit = cached->find(paper.versioned_id()); hit != cached->end()) {
      scores[paper.id] = hit->second;
    } else {
      misses.push_back(paper);
    }
  }
  counts.cached = static_cast<int>(scores.size());
  logger_->info("{}: {} papers to score, {} from the cache, {} by {}", date_text, to_score.size(),
                counts.cached, misses.size(), scorer->name());

  ScoringResult scored;
  if (!misses.empty()) {
    auto result = scorer->score(config_.criteria, misses, options.progress);
    if (!result) return fail(RunFailure::kScoring, result.error());
    scored = std::move(*result);
  }
  // What was billed is written down first, so it counts against the budget whatever follows.
  if (auto spent = store_.record_spending(*date, scorer->name(), scored.usage); !spent) {
    return fail(RunFailure::kStore, spent.error());
  }
  std::vector<StoredScore> to_save;
  for (const auto& paper : misses) {
    auto it = scored.scores.find(paper.id);
    if (it == scored.scores.end()) continue;
    to_save.push_back(StoredScore{paper.id, paper.version, *criteria_id, it->second});
    scores[paper.id] = it->second;
  }
  if (auto saved = store_.save_scores(to_save); !saved) {
    return fail(RunFailure::kStore, saved.error());
  }
  // A scorer that stopped early (its endpoint down) fails the run; what it scored is cached, so
  // the next run pays only for the rest.
  if (scored.stopped_early) {
    return fail(RunFailure::kScoring, make_error("score", *scored.stopped_early));
  }
  counts.scored = static_cast<int>(scores.size());
  counts.unscored = static_cast<int>(scored.unscored.size());
  for (const auto& [id, reason] : scored.unscored) {
    logger_->warn("{} left unscored: {}", id, reason);
  }

  // Rank in scoring order, as the reference breaks ties.
  RankOptions rank_options{config_.filtering.relevance_cutoff, config_.filtering.novelty_cutoff,
                           config_.selection.author_match_score, config_.paperbot.top_n};
  Digest& digest = report.digest;
  digest.date = *date;
  digest.entries = rank_papers(candidates, scores, author_ids, rank_options);
  // Papers just below the bar say whether it is too high; when top_n cut the digest, the bar
  // that decided is top_n, and papers above the cutoffs went unshown: nothing to learn below.
  bool cut_by_top_n = false;
  if (options.explore > 0 && rank_options.top_n) {
    RankOptions uncut = rank_options;
    uncut.top_n.reset();
    cut_by_top_n =
        rank_papers(candidates, scores, author_ids, uncut).size() > digest.entries.size();
  }
  if (options.explore > 0 && !cut_by_top_n) {
    digest.below_bar =
        just_below_bar(candidates, scores, digest.entries, rank_options, options.explore);
  }
  digest.scanned = counts.fetched;
  digest.unscored = counts.unscored;
  digest.usage = scored.usage;
  digest.criteria = config_.criteria;
  digest.scorer = scorer->name();
  digest.notes = scored.notes;
  if (options.late) {
    digest.notes.push_back("posted late: this announcement was fetched after its day had passed");
  }
  counts.selected = static_cast<int>(digest.entries.size());

  // Files first, the run record last: a run is done only once its files are there.
  if (options.write_files) {
    if (auto files = write_digest_files(digest, config_.output, options.out_dir, report.files);
        !files) {
      return fail(RunFailure::kOutput, files.error());
    }
  }

  RunRecord run;
  run.date = *date;
  run.audience = options.audience;
  run.status = "done";
  run.scorer = scorer->name();
  run.criteria_id = *criteria_id;
  run.counts = counts;
  run.prompt_tokens = scored.usage.prompt_tokens;
  run.completion_tokens = scored.usage.completion_tokens;
  run.cached_prompt_tokens = scored.usage.cached_prompt_tokens;
  run.cost = total_cost(scored.usage);
  run.started_at = started_at;
  run.finished_at = utc_now_iso();
  run.late = options.late;
  for (const auto& entry : digest.entries) run.selected_ids.push_back(entry.paper.id);
  if (auto saved = store_.save_run(run); !saved) return fail(RunFailure::kStore, saved.error());

  report.counts = counts;
  report.outcome = RunOutcome::kPublished;
  report.message = "digest of " + date_text + ": " + std::to_string(counts.selected) + " of " +
                   std::to_string(counts.kept) + " papers selected";
  return report;
}

}  // namespace paperbot
