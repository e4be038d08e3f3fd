// The daemon's page at "/": for each audience its latest digest, a chart of that day's papers by
// score with the cutoffs, the papers posted, those posted just below the bar and the votes they
// drew, and a chart of how the cutoffs moved. Plain HTML with inline CSS and inline SVG, no
// script; every value from the store or the config is escaped.
//
// Pure rendering of values gathered by OperatorPages (operator_pages.hpp); any thread.
#pragma once

#include "bot/health.hpp"
#include "core/store/store.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace paperbot {

// A paper of the latest digest, with its scores and votes when they are known.
struct DigestLine {
  std::string paper_id;
  std::string title;
  std::optional<int> relevance;
  std::optional<int> novelty;
  int up = 0;
  int down = 0;
};

struct AudienceView {
  std::string id;
  std::string name;
  int relevance_cutoff = 0;
  int novelty_cutoff = 0;
  std::optional<RunRecord> run;        // the latest run; none yet when empty
  std::vector<DigestLine> digest;      // the run's papers, in rank order
  std::vector<DayScore> scored;        // every paper scored that day under the run's criteria
  std::vector<ExposureOutcome> shown;  // posted and just-below papers of that day, with votes
  std::vector<CutoffTuning> tunings;   // the learner's records of the chart's period
  Date tunings_from;                   // the first day of that period
};

// How many days the cutoff chart spans.
inline constexpr int kCutoffChartDays = 60;

std::string render_dashboard(const std::vector<AudienceView>& audiences, const Health& health,
                             std::chrono::sys_seconds now);

// The two charts, each one <svg> element (dashboard_charts.cpp).
std::string score_chart_svg(const AudienceView& audience);
std::string cutoff_chart_svg(const AudienceView& audience, Date today);

}  // namespace paperbot
