// /metrics: the store's totals and each audience's cutoffs in the Prometheus text exposition
// format, version 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/): one
// "# HELP" and one "# TYPE" line per metric family, then its samples, label values escaped.
//
// Pure; any thread.
#pragma once

#include "core/store/metrics_records.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace paperbot {

inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

// The effective cutoffs of one audience.
struct AudienceCutoffs {
  std::string audience;
  int relevance = 0;
  int novelty = 0;
};

// A label value as the format writes it between quotes: backslash, double quote and line feed
// escaped.
std::string escape_label_value(std::string_view value);

// The whole exposition; `healthy` is what /healthz answers.
std::string metrics_text(const StoreTotals& totals, const std::vector<AudienceCutoffs>& cutoffs,
                         bool healthy);

}  // namespace paperbot
