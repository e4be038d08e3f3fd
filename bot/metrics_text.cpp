#include "bot/metrics_text.hpp"

#include <cstdio>
#include <utility>

namespace paperbot {
namespace {

using Labels = std::vector<std::pair<std::string, std::string>>;

// One metric family being written.
class Family {
 public:
  Family(std::string& out, std::string name, std::string_view type, std::string_view help)
      : out_(out), name_(std::move(name)) {
    out_ += "# HELP " + name_ + " " + escape_help(help) + "\n";
    out_ += "# TYPE " + name_ + " " + std::string(type) + "\n";
  }

  void sample(const Labels& labels, double value) {
    out_ += name_;
    if (!labels.empty()) {
      out_ += "{";
      for (std::size_t i = 0; i < labels.size(); ++i) {
        if (i > 0) out_ += ",";
        out_ += labels[i].first + "=\"" + escape_label_value(labels[i].second) + "\"";
      }
      out_ += "}";
    }
    out_ += " " + number(value) + "\n";
  }

 private:
  // HELP text escapes backslash and line feed only.
  static std::string escape_help(std::string_view help) {
    std::string escaped;
    for (char c : help) {
      if (c == '\\')
        escaped += "\\\\";
      else if (c == '\n')
        escaped += "\\n";
      else
        escaped += c;
    }
    return escaped;
  }

  static std::string number(double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
    return buffer;
  }

  std::string& out_;
  std::string name_;
};

// How an audience is reached, from its id: "slack", "email" or "files".
std::string channel_of(const std::string& audience) {
  const auto colon = audience.find(':');
  return colon == std::string::npos ? audience : audience.substr(0, colon);
}

void write_runs(std::string& out, const StoreTotals& totals) {
  Family runs(
      out, "paperbot_runs", "gauge",
      "Runs saved (one per announcement and audience), by their latest outcome; a gauge, since a "
      "run done again replaces its record.");
  for (const auto& row : totals.runs) {
    runs.sample({{"audience", row.audience}, {"status", row.status}},
                static_cast<double>(row.runs));
  }
  Family papers(out, "paperbot_run_papers", "gauge",
                "Papers the runs handled, summed over runs: fetched (feed items), scored (of "
                "them cached), selected into the digest.");
  for (const auto& row : totals.handled) {
    const std::pair<const char*, std::int64_t> stages[] = {{"fetched", row.fetched},
                                                           {"scored", row.scored},
                                                           {"cached", row.cached},
                                                           {"selected", row.selected}};
    for (const auto& [stage, count] : stages) {
      papers.sample({{"audience", row.audience}, {"stage", stage}}, static_cast<double>(count));
    }
  }
}

void write_spending(std::string& out, const StoreTotals& totals) {
  Family tokens(out, "paperbot_llm_tokens_total", "counter",
                "Tokens billed by scorers, by scorer and kind.");
  for (const auto& row : totals.spending) {
    tokens.sample({{"scorer", row.scorer}, {"kind", "prompt"}},
                  static_cast<double>(row.prompt_tokens));
    tokens.sample({{"scorer", row.scorer}, {"kind", "completion"}},
                  static_cast<double>(row.completion_tokens));
  }
  Family dollars(out, "paperbot_llm_cost_dollars_total", "counter",
                 "What scorers cost in US dollars, priced models only.");
  for (const auto& row : totals.spending) dollars.sample({{"scorer", row.scorer}}, row.dollars);
}

void write_deliveries(std::string& out, const StoreTotals& totals) {
  Family deliveries(out, "paperbot_deliveries", "gauge",
                    "Messages in the outbox by audience, channel and status (pending, sent, "
                    "failed); e-mail counted per list.");
  for (const auto& row : totals.deliveries) {
    deliveries.sample(
        {{"audience", row.audience}, {"channel", channel_of(row.audience)}, {"status", row.status}},
        static_cast<double>(row.deliveries));
  }
}

void write_feedback(std::string& out, const StoreTotals& totals) {
  Family votes(out, "paperbot_feedback_votes", "gauge",
               "Votes recorded per audience (a person once per paper and vote); taking one "
               "back removes it.");
  for (const auto& row : totals.feedback) {
    votes.sample({{"audience", row.audience}, {"vote", row.vote > 0 ? "up" : "down"}},
                 static_cast<double>(row.votes));
  }
}

}  // namespace

std::string escape_label_value(std::string_view value) {
  std::string escaped;
  for (char c : value) {
    if (c == '\\')
      escaped += "\\\\";
    else if (c == '"')
      escaped += "\\\"";
    else if (c == '\n')
      escaped += "\\n";
    else
      escaped += c;
  }
  return escaped;
}

std::string metrics_text(const StoreTotals& totals, const std::vector<AudienceCutoffs>& cutoffs,
                         bool healthy) {
  std::string out;
  Family health(out, "paperbot_healthy", "gauge",
                "1 when the latest announcement was processed on time and no latest run failed "
                "(see /healthz).");
  health.sample({}, healthy ? 1 : 0);
  write_runs(out, totals);
  write_spending(out, totals);
  write_deliveries(out, totals);
  write_feedback(out, totals);

  Family cutoff(out, "paperbot_cutoff", "gauge",
                "The effective cutoff of each audience: a paper needs at least this score.");
  for (const auto& audience : cutoffs) {
    cutoff.sample({{"audience", audience.audience}, {"score", "relevance"}}, audience.relevance);
    cutoff.sample({{"audience", audience.audience}, {"score", "novelty"}}, audience.novelty);
  }
  return out;
}

}  // namespace paperbot
