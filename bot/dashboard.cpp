#include "bot/dashboard.hpp"

#include "core/render/render.hpp"

namespace paperbot {
namespace {

constexpr const char* kStyle = R"css(
body { font-family: sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; color: #222 }
h1 { font-size: 1.5em } h2 { font-size: 1.2em; border-top: 1px solid #ddd; padding-top: 1em }
.health { padding: .5em 1em; border-radius: 4px }
.ok { background: #e6f4ea } .bad { background: #fdecea }
.charts { display: flex; flex-wrap: wrap; gap: 1.5em; align-items: flex-start }
figure { margin: 0 } figcaption { font-size: .85em; color: #555; max-width: 28em }
table { border-collapse: collapse; font-size: .9em } td, th { padding: .2em .6em; text-align: left }
tr:nth-child(even) { background: #f6f6f6 } .num { text-align: right }
.posted { color: #1f6feb } .below { color: #d9822b } .cutoff { color: #c62828 }
)css";

std::string number_or_dash(const std::optional<int>& value) {
  return value ? std::to_string(*value) : "–";
}

std::string digest_table(const AudienceView& audience) {
  if (audience.digest.empty()) return "<p>The digest was empty.</p>";
  std::string html =
      "<table class=\"digest\"><tr><th>#</th><th>Paper</th><th class=\"num\">Relevance</th>"
      "<th class=\"num\">Novelty</th><th class=\"num\">👍 up</th><th class=\"num\">👎 down</th>"
      "</tr>";
  int rank = 0;
  for (const DigestLine& line : audience.digest) {
    html += "<tr><td>" + std::to_string(++rank) + "</td><td><a href=\"https://arxiv.org/abs/" +
            escape_html(line.paper_id) + "\">" + escape_html(line.paper_id) + "</a> " +
            escape_html(line.title) + "</td><td class=\"num\">" + number_or_dash(line.relevance) +
            "</td><td class=\"num\">" + number_or_dash(line.novelty) + "</td><td class=\"num\">" +
            std::to_string(line.up) + "</td><td class=\"num\">" + std::to_string(line.down) +
            "</td></tr>";
  }
  return html + "</table>";
}

// The sentence under the score chart, with the numbers it shows.
std::string score_caption(const AudienceView& audience) {
  int posted = 0;
  int below = 0;
  int up = 0;
  int down = 0;
  for (const ExposureOutcome& shown : audience.shown) {
    (shown.exposure.below_bar ? below : posted) += 1;
    up += shown.up;
    down += shown.down;
  }
  return "<span class=\"scored-count\">" + std::to_string(audience.scored.size()) +
         "</span> papers scored (grey, larger for more), <span class=\"posted\">" +
         std::to_string(posted) + " posted</span> (blue), <span class=\"below\">" +
         std::to_string(below) + " just below the bar</span> (orange ring); 👍 " +
         std::to_string(up) + " · 👎 " + std::to_string(down) + " (▲ and ▼ in the chart)" +
         ". <span class=\"cutoff\">Cutoffs: relevance ≥ " +
         std::to_string(audience.relevance_cutoff) + ", novelty ≥ " +
         std::to_string(audience.novelty_cutoff) + "</span> (dashed).";
}

std::string audience_section(const AudienceView& audience, Date today) {
  std::string html = "<section id=\"" + escape_html(audience.id) + "\"><h2>" +
                     escape_html(audience.name) + " <small>(" + escape_html(audience.id) +
                     ")</small></h2>";
  if (!audience.run) {
    return html + "<p>No run yet. Cutoffs: relevance ≥ " +
           std::to_string(audience.relevance_cutoff) + ", novelty ≥ " +
           std::to_string(audience.novelty_cutoff) + ".</p>" + cutoff_chart_svg(audience, today) +
           "</section>";
  }
  const RunRecord& run = *audience.run;
  html += "<p>Latest run: " + format_iso_date(run.date) + ", " + escape_html(run.status) +
          (run.late ? " (late)" : "") + "; " + std::to_string(run.counts.fetched) + " listed, " +
          std::to_string(run.counts.scored) + " scored, " + std::to_string(run.counts.selected) +
          " selected.</p>";
  html += digest_table(audience);
  html += "<div class=\"charts\"><figure>" + score_chart_svg(audience) + "<figcaption>" +
          format_iso_date(run.date) + ": " + score_caption(audience) + "</figcaption></figure>";
  html += "<figure>" + cutoff_chart_svg(audience, today) + "<figcaption>Cutoffs since " +
          format_iso_date(audience.tunings_from) +
          ": relevance (blue), novelty (green); a dot is a day the feedback moved them (" +
          std::to_string(audience.tunings.size()) + " day(s) looked at).</figcaption></figure>";
  return html + "</div></section>";
}

}  // namespace

std::string render_dashboard(const std::vector<AudienceView>& audiences, const Health& health,
                             std::chrono::sys_seconds now) {
  const Date today{std::chrono::floor<std::chrono::days>(now)};
  std::string html =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>paperbot</title><style>" +
      std::string(kStyle) + "</style></head>\n<body>\n<h1>paperbot</h1>\n";
  html += "<p class=\"health " + std::string(health.ok ? "ok" : "bad") + "\">" +
          escape_html(health.ok ? health.summary : "not healthy: " + health.summary) + "</p>\n";
  for (const AudienceView& audience : audiences) html += audience_section(audience, today) + "\n";
  return html + "</body></html>\n";
}

}  // namespace paperbot
