// The page's two charts as inline SVG: the day's papers on a RELEVANCE x NOVELTY grid, and the
// cutoffs over the last kCutoffChartDays days.
#include "bot/dashboard.hpp"
#include "core/render/render.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace paperbot {
namespace {

// The score grid: ten cells a side, with room for the axes.
constexpr int kCell = 34;
constexpr int kLeft = 44;
constexpr int kTop = 16;
constexpr int kGrid = 10 * kCell;

// What one cell of the grid holds.
struct Cell {
  int scored = 0;
  int posted = 0;
  int below = 0;
  int up = 0;
  int down = 0;
};

int clamp_score(int score) {
  return std::clamp(score, 1, 10);
}

// The centre of the cell of a score on each axis.
int x_of(int relevance) {
  return kLeft + (clamp_score(relevance) - 1) * kCell + kCell / 2;
}
int y_of(int novelty) {
  return kTop + (10 - clamp_score(novelty)) * kCell + kCell / 2;
}

std::string attr(const char* name, int value) {
  return std::string(" ") + name + "=\"" + std::to_string(value) + "\"";
}

std::string text(int x, int y, const std::string& content, const std::string& extra = "") {
  return "<text" + attr("x", x) + attr("y", y) + extra + ">" + escape_html(content) + "</text>";
}

std::string axes(const char* x_title, const char* y_title, int height, int width) {
  std::string svg = "<rect" + attr("x", kLeft) + attr("y", kTop) + attr("width", width) +
                    attr("height", height) + " fill=\"#fafafa\" stroke=\"#999\"/>";
  svg += text(kLeft + width / 2, kTop + height + 32, x_title, " text-anchor=\"middle\"");
  svg += text(12, kTop + height / 2, y_title,
              " text-anchor=\"middle\" transform=\"rotate(-90 12 " +
                  std::to_string(kTop + height / 2) + ")\"");
  return svg;
}

std::map<std::pair<int, int>, Cell> cells_of(const AudienceView& audience) {
  std::map<std::pair<int, int>, Cell> cells;
  for (const DayScore& score : audience.scored) {
    cells[{clamp_score(score.relevance), clamp_score(score.novelty)}].scored += 1;
  }
  for (const ExposureOutcome& shown : audience.shown) {
    Cell& cell =
        cells[{clamp_score(shown.exposure.relevance), clamp_score(shown.exposure.novelty)}];
    (shown.exposure.below_bar ? cell.below : cell.posted) += 1;
    cell.up += shown.up;
    cell.down += shown.down;
  }
  return cells;
}

std::string cell_marks(int relevance, int novelty, const Cell& cell) {
  const int x = x_of(relevance);
  const int y = y_of(novelty);
  std::string tip = "relevance " + std::to_string(relevance) + ", novelty " +
                    std::to_string(novelty) + ": " + std::to_string(cell.scored) + " scored, " +
                    std::to_string(cell.posted) + " posted, " + std::to_string(cell.below) +
                    " just below, " + std::to_string(cell.up) + " up, " +
                    std::to_string(cell.down) + " down";
  std::string svg = "<g class=\"cell\"><title>" + escape_html(tip) + "</title>";
  if (cell.scored > 0) {
    const int radius = std::min(15, 3 + static_cast<int>(3 * std::sqrt(cell.scored)));
    svg += "<circle class=\"scored\"" + attr("cx", x) + attr("cy", y) + attr("r", radius) +
           " fill=\"#ccc\"/>";
  }
  if (cell.posted > 0) {
    svg += "<circle class=\"posted\"" + attr("cx", x - 5) + attr("cy", y) + attr("r", 6) +
           " fill=\"#1f6feb\"/>";
  }
  if (cell.below > 0) {
    svg += "<circle class=\"below\"" + attr("cx", x + 5) + attr("cy", y) + attr("r", 6) +
           " fill=\"none\" stroke=\"#d9822b\" stroke-width=\"2.5\"/>";
  }
  // Triangles rather than emoji: every SVG font has them.
  if (cell.up > 0) {
    svg += text(x - 4, y - 10, "▲" + std::to_string(cell.up),
                " class=\"up\" fill=\"#2e7d32\" font-size=\"10\" text-anchor=\"end\"");
  }
  if (cell.down > 0) {
    svg += text(x + 4, y - 10, "▼" + std::to_string(cell.down),
                " class=\"down\" fill=\"#c62828\" font-size=\"10\"");
  }
  return svg + "</g>";
}

// A dashed line at the boundary a cutoff draws: papers on the far side of it pass.
std::string cutoff_lines(int relevance_cutoff, int novelty_cutoff) {
  const int x = kLeft + (clamp_score(relevance_cutoff) - 1) * kCell;
  const int y = kTop + (11 - clamp_score(novelty_cutoff)) * kCell;
  const std::string style = " stroke=\"#c62828\" stroke-width=\"2\" stroke-dasharray=\"6 4\"";
  std::string svg = "<line class=\"cutoff\" data-cutoff=\"relevance\"" + attr("x1", x) +
                    attr("y1", kTop) + attr("x2", x) + attr("y2", kTop + kGrid) + style + "/>";
  svg += "<line class=\"cutoff\" data-cutoff=\"novelty\"" + attr("x1", kLeft) + attr("y1", y) +
         attr("x2", kLeft + kGrid) + attr("y2", y) + style + "/>";
  svg += text(x + 4, kTop + 12, "relevance ≥ " + std::to_string(relevance_cutoff),
              " font-size=\"11\" fill=\"#c62828\"");
  svg += text(kLeft + kGrid - 4, y - 4, "novelty ≥ " + std::to_string(novelty_cutoff),
              " font-size=\"11\" fill=\"#c62828\" text-anchor=\"end\"");
  return svg;
}

// The opening tag of a chart of `width` × `height` pixels, with its title for screen readers.
std::string open_svg(const char* name, int width, int height, const std::string& title) {
  return "<svg class=\"" + std::string(name) + "\" xmlns=\"http://www.w3.org/2000/svg\"" +
         attr("width", width) + attr("height", height) + " viewBox=\"0 0 " + std::to_string(width) +
         " " + std::to_string(height) +
         "\" role=\"img\" font-family=\"sans-serif\" font-size=\"11\"><title>" +
         escape_html(title) + "</title>";
}

}  // namespace

std::string score_chart_svg(const AudienceView& audience) {
  std::string svg = open_svg("score-chart", kLeft + kGrid + 12, kTop + kGrid + 40,
                             audience.name + ": papers by relevance and novelty");
  svg += axes("RELEVANCE", "NOVELTY", kGrid, kGrid);
  for (int score = 1; score <= 10; ++score) {
    svg += text(x_of(score), kTop + kGrid + 14, std::to_string(score), " text-anchor=\"middle\"");
    svg += text(kLeft - 6, y_of(score) + 4, std::to_string(score), " text-anchor=\"end\"");
  }
  for (const auto& [key, cell] : cells_of(audience)) {
    svg += cell_marks(key.first, key.second, cell);
  }
  svg += cutoff_lines(audience.relevance_cutoff, audience.novelty_cutoff);
  return svg + "</svg>";
}

std::string cutoff_chart_svg(const AudienceView& audience, Date today) {
  constexpr int kWidth = 10 * kCell;
  constexpr int kHeight = 160;
  const int days = std::max(
      1,
      static_cast<int>(
          (std::chrono::sys_days(today) - std::chrono::sys_days(audience.tunings_from)).count()));
  auto x_at = [&](Date date) {
    const auto offset =
        (std::chrono::sys_days(date) - std::chrono::sys_days(audience.tunings_from));
    return kLeft + static_cast<int>(offset.count()) * kWidth / days;
  };
  auto y_at = [&](int cutoff) { return kTop + (10 - clamp_score(cutoff)) * kHeight / 9; };

  // Each series as steps: the value before the first record, each record's value after, and the
  // effective value today (a chat command may have set it since).
  auto series = [&](const char* name, const char* colour, auto before, auto after, int now) {
    int value = audience.tunings.empty() ? now : before(audience.tunings.front());
    std::string points = std::to_string(kLeft) + "," + std::to_string(y_at(value));
    std::string marks;
    for (const CutoffTuning& tuning : audience.tunings) {
      const int x = x_at(tuning.date);
      points += " " + std::to_string(x) + "," + std::to_string(y_at(value));
      value = after(tuning);
      points += " " + std::to_string(x) + "," + std::to_string(y_at(value));
      if (before(tuning) == after(tuning)) continue;
      marks += "<circle class=\"move\"" + attr("cx", x) + attr("cy", y_at(value)) + attr("r", 4) +
               " fill=\"" + colour + "\"><title>" +
               escape_html(format_iso_date(tuning.date) + ": " + tuning.reason) +
               "</title></circle>";
    }
    points += " " + std::to_string(x_at(today)) + "," + std::to_string(y_at(value));
    points += " " + std::to_string(x_at(today)) + "," + std::to_string(y_at(now));
    return "<polyline class=\"" + std::string(name) + "\" fill=\"none\" stroke=\"" + colour +
           "\" stroke-width=\"2\" points=\"" + points + "\"/>" + marks;
  };

  std::string svg =
      open_svg("cutoff-chart", kLeft + kWidth + 12, kTop + kHeight + 40,
               audience.name + ": cutoffs over " + std::to_string(kCutoffChartDays) + " days");
  svg += axes("DAY", "CUTOFF", kHeight, kWidth);
  for (int cutoff = 1; cutoff <= 10; cutoff += 3) {
    svg += text(kLeft - 6, y_at(cutoff) + 4, std::to_string(cutoff), " text-anchor=\"end\"");
  }
  svg += text(kLeft, kTop + kHeight + 14, format_iso_date(audience.tunings_from));
  svg += text(kLeft + kWidth, kTop + kHeight + 14, format_iso_date(today), " text-anchor=\"end\"");
  svg += series(
      "relevance", "#1f6feb", [](const CutoffTuning& t) { return t.relevance_before; },
      [](const CutoffTuning& t) { return t.relevance_after; }, audience.relevance_cutoff);
  svg += series(
      "novelty", "#2e7d32", [](const CutoffTuning& t) { return t.novelty_before; },
      [](const CutoffTuning& t) { return t.novelty_after; }, audience.novelty_cutoff);
  return svg + "</svg>";
}

}  // namespace paperbot
