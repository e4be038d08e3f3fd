// One run of the daily digest: feed bytes in; papers filtered, scored, ranked, rendered to files
// and remembered in the store.
//
//   parse -> filter (categories, announce types, primary, already scored) -> author match
//         -> authors' h-index (optional) -> score (cache, then the scorer) -> rank + cutoffs
//         -> digest -> files -> run record
//
// A feed that does not parse writes nothing. A run that fails after parsing leaves the store
// consistent: papers and the scores already paid for are kept, the run is not marked done, and
// the next run picks up from the cache.
#pragma once

#include "core/common/digest.hpp"
#include "core/common/result.hpp"
#include "core/config/config.hpp"
#include "core/digest/author_index_source.hpp"
#include "core/digest/feed_source.hpp"
#include "core/feed/feed_parser.hpp"
#include "core/score/scorer.hpp"
#include "core/store/store.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace spdlog {
class logger;
}

namespace paperbot {

enum class RunOutcome {
  kPublished,         // the digest was written
  kNoAnnouncement,    // the feed is empty: a weekend or a holiday
  kAlreadyProcessed,  // this announcement was processed before (and --force was not given)
  kNotModified,       // the server said the feed has not changed since the last fetch
};

std::string_view to_string(RunOutcome outcome);

struct DigestOptions {
  std::optional<Date> expected_date;  // --date: the announcement the caller wants
  std::filesystem::path out_dir;      // where the files go
  bool force = false;                 // process an announcement again
  bool rescore_replacements = false;  // score papers already scored on an earlier day
  std::string audience = "files";
  bool write_files = true;   // false: only the store and the report (a Slack audience)
  bool late = false;         // caught up after the day's feed was gone: noted in the digest and run
  int explore = 0;           // papers just below the bar to add (Digest::below_bar)
  ScoringProgress progress;  // called while scoring
};

struct DigestReport {
  RunOutcome outcome = RunOutcome::kPublished;
  std::optional<Date> date;
  RunCounts counts;
  Digest digest;
  std::vector<std::filesystem::path> files;  // written files
  std::string message;                       // one line for the operator
};

// What went wrong, for the command line's exit code.
enum class RunFailure { kMalformedFeed, kWrongDay, kStore, kScoring, kOutput };

struct RunError {
  RunFailure failure;
  Error error;
};

[[noreturn]] void throw_exception_from_error(const RunError& error,
                                             const boost::source_location& location);

// Makes the scorer of a run. It is given the offline scorer of that run (which measures novelty
// against the store's recent papers) to fall back on, e.g. when an LLM budget runs out.
using ScorerFactory = std::function<std::unique_ptr<Scorer>(Scorer& offline)>;

class DigestRun {
 public:
  // `store` and `logger` must outlive the DigestRun. Without `make_scorer`, the offline scorer
  // scores.
  DigestRun(const Config& config, Store& store, ScorerFactory make_scorer,
            std::shared_ptr<spdlog::logger> logger);

  // Where the h-index filter ([PAPERBOT] h_index_filter) looks up authors' h-indices; it must
  // outlive the runs. Without one, or with the filter off, no paper is dropped for its authors.
  void set_author_index(AuthorIndexSource* source) { author_index_ = source; }

  // Processes the announcement in `feed`.
  boost::system::result<DigestReport, RunError> run(const FetchedFeed& feed,
                                                    const DigestOptions& options);

  // Processes an announcement already parsed; `source` names it in messages.
  boost::system::result<DigestReport, RunError> run_parsed(Feed feed, const std::string& source,
                                                           const DigestOptions& options);

 private:
  // The h-index filter: drops from `papers` (none of them by a followed author) and from
  // `candidates` the papers whose authors' best h-index is below the cutoff, and counts them.
  Result<std::vector<Paper>> apply_h_index_filter(std::vector<Paper> papers,
                                                  std::vector<Paper>& candidates,
                                                  RunCounts& counts);

  const Config& config_;
  Store& store_;
  ScorerFactory make_scorer_;
  std::shared_ptr<spdlog::logger> logger_;
  AuthorIndexSource* author_index_ = nullptr;  // not owned
};

// Keeps the papers the config asks for and counts what was dropped and why. Exposed for tests.
struct FilterResult {
  std::vector<Paper> kept;
  RunCounts counts;
};
FilterResult filter_papers(const std::vector<Paper>& papers, const FilteringConfig& filtering,
                           const std::vector<std::string>& feed_channels);

}  // namespace paperbot
