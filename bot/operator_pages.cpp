#include "bot/operator_pages.hpp"

#include "core/common/text.hpp"

#include "bot/dashboard.hpp"
#include "bot/health.hpp"
#include "bot/metrics_text.hpp"
#include "core/chat/audience.hpp"
#include "core/common/text.hpp"
#include "core/store/store.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace paperbot {
namespace {

using slack::WebRequest;
using slack::WebResponse;

WebResponse plain(int status, std::string text) {
  WebResponse response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::move(text) + "\n";
  return response;
}

const ExposureOutcome* shown_of(const std::vector<ExposureOutcome>& shown, const std::string& id) {
  auto found = std::find_if(shown.begin(), shown.end(), [&](const ExposureOutcome& outcome) {
    return outcome.exposure.paper_id == id;
  });
  return found == shown.end() ? nullptr : &*found;
}

}  // namespace

OperatorPages::OperatorPages(Config config, std::unique_ptr<Store> store, Clock clock,
                             std::shared_ptr<spdlog::logger> logger)
    : config_(std::move(config)),
      scheduler_(Scheduler::create(config_.schedule)),
      store_(std::move(store)),
      clock_(std::move(clock)),
      started_(clock_()),
      logger_(std::move(logger)) {}

OperatorPages::~OperatorPages() = default;

bool OperatorPages::serves(std::string_view path) {
  return path == kHealthPath || path == kMetricsPath || path == kDashboardPath;
}

void OperatorPages::reload(Config config) {
  std::lock_guard lock(mutex_);
  config_ = std::move(config);
  scheduler_ = Scheduler::create(config_.schedule);
}

WebResponse OperatorPages::handle(const WebRequest& request) {
  if (request.method != "GET" && request.method != "HEAD")
    return plain(405, "Only GET and HEAD are served here.");
  std::lock_guard lock(mutex_);
  if (request.path == kHealthPath) return health();
  if (request.path == kMetricsPath) return metrics();
  if (request.path == kDashboardPath) return dashboard();
  return plain(404, "There is no page here.");
}

WebResponse OperatorPages::failure(const Error& error) {
  logger_->error("{}", error.to_string());
  return plain(503, "unavailable: " + error.to_string());
}

WebResponse OperatorPages::health() {
  if (!scheduler_) return failure(scheduler_.error());
  auto health = check_health(*store_, *scheduler_, clock_(), started_);
  if (!health) return failure(health.error());
  return plain(health->ok ? 200 : 503, health->summary);
}

WebResponse OperatorPages::metrics() {
  if (!scheduler_) return failure(scheduler_.error());
  auto totals = store_->totals();
  if (!totals) return failure(totals.error());
  auto health = check_health(*store_, *scheduler_, clock_(), started_);
  if (!health) return failure(health.error());

  std::vector<AudienceCutoffs> cutoffs;
  for (const std::string& id : chat::audience_ids(config_)) {
    auto audience = chat::resolve_audience(config_, id, *store_);
    if (!audience) return failure(audience.error());
    const FilteringConfig& filtering = audience->config.filtering;
    cutoffs.push_back({id, filtering.relevance_cutoff, filtering.novelty_cutoff});
  }
  WebResponse response;
  response.content_type = std::string(kMetricsContentType);
  response.body = metrics_text(*totals, cutoffs, health->ok);
  return response;
}

WebResponse OperatorPages::dashboard() {
  if (!scheduler_) return failure(scheduler_.error());
  const auto now = clock_();
  auto health = check_health(*store_, *scheduler_, now, started_);
  if (!health) return failure(health.error());
  std::vector<AudienceView> views;
  for (const std::string& id : chat::audience_ids(config_)) {
    auto view = view_of(id, now);
    if (!view) return failure(view.error());
    views.push_back(std::move(*view));
  }
  WebResponse response;
  response.body = render_dashboard(views, *health, now);
  return response;
}

Result<AudienceView> OperatorPages::view_of(const std::string& audience_id,
                                            std::chrono::sys_seconds now) {
  auto audience = chat::resolve_audience(config_, audience_id, *store_);
  if (!audience) return audience.error();
  AudienceView view;
  view.id = audience->id;
  view.name = audience->name;
  view.relevance_cutoff = audience->config.filtering.relevance_cutoff;
  view.novelty_cutoff = audience->config.filtering.novelty_cutoff;
  view.tunings_from = add_days(Date{std::chrono::floor<std::chrono::days>(now)}, -kCutoffChartDays);
  auto tunings = store_->tunings_since(view.id, view.tunings_from);
  if (!tunings) return tunings.error();
  view.tunings = std::move(*tunings);

  auto latest = store_->latest_run_date(view.id);
  if (!latest) return latest.error();
  if (!*latest) return view;
  auto run = store_->find_run(**latest, view.id);
  if (!run) return run.error();
  view.run = std::move(*run);
  if (!view.run) return view;

  // The day's papers: every score, those shown with their votes, and the digest's lines.
  const Date day = view.run->date;
  if (view.run->criteria_id != 0) {
    auto scored = store_->day_scores(day, view.run->criteria_id);
    if (!scored) return scored.error();
    view.scored = std::move(*scored);
  }
  auto shown = store_->exposure_outcomes(view.id, day, day);
  if (!shown) return shown.error();
  view.shown = std::move(*shown);
  for (const std::string& id : view.run->selected_ids) {
    DigestLine line{id, "", std::nullopt, std::nullopt, 0, 0};
    auto paper = store_->find_paper(id);
    if (!paper) return paper.error();
    if (*paper) line.title = tex_accents_to_utf8((*paper)->title);
    if (const ExposureOutcome* outcome = shown_of(view.shown, id)) {
      line.relevance = outcome->exposure.relevance;
      line.novelty = outcome->exposure.novelty;
      line.up = outcome->up;
      line.down = outcome->down;
    } else {
      auto score =
          std::find_if(view.scored.begin(), view.scored.end(),
                       [&](const DayScore& candidate) { return candidate.paper_id == id; });
      if (score != view.scored.end()) {
        line.relevance = score->relevance;
        line.novelty = score->novelty;
      }
      auto votes = store_->feedback_counts(view.id, id);
      if (!votes) return votes.error();
      line.up = votes->up;
      line.down = votes->down;
      // Not recorded as shown (the output folder, or a day before feedback learned): the digest
      // still posted it, and the chart marks it so.
      if (line.relevance && line.novelty) {
        view.shown.push_back(
            ExposureOutcome{Exposure{view.id, day, id, *line.relevance, *line.novelty,
                                     *line.relevance + *line.novelty, false},
                            line.up, line.down});
      }
    }
    view.digest.push_back(std::move(line));
  }
  return view;
}

}  // namespace paperbot
