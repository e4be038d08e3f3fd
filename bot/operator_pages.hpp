// The daemon's pages for operators, on its one web server ([SERVER]):
// - GET kHealthPath: 200 "ok: ..." when the latest announcement due was processed and no
//   audience's latest run failed (bot/health.hpp); otherwise 503 with the reason, one line of
//   text/plain. A store that cannot be read is a 503 too.
// - GET kMetricsPath: the store's totals and each audience's cutoffs in Prometheus text format
//   (bot/metrics_text.hpp).
// - GET kDashboardPath: the page of each audience's latest digest and charts (bot/dashboard.hpp).
// HEAD is answered like GET; another method gets 405. Nothing here writes, except that resolving
// an audience records its criteria as a version when their text is new, as every reader does.
// The pages carry no secrets: e-mail deliveries are counted per list, never per address.
//
// Thread safety: handle() and reload() may be called from any thread; calls are serialised. The
// pages have a store connection of their own.
#pragma once

#include "adapters/slack/http_listener.hpp"
#include "core/config/config.hpp"
#include "core/schedule/scheduler.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace spdlog {
class logger;
}

namespace paperbot {

class Store;
struct AudienceView;

inline constexpr std::string_view kHealthPath = "/healthz";
inline constexpr std::string_view kMetricsPath = "/metrics";
inline constexpr std::string_view kDashboardPath = "/";

class OperatorPages {
 public:
  using Clock = std::function<std::chrono::sys_seconds()>;

  OperatorPages(Config config, std::unique_ptr<Store> store, Clock clock,
                std::shared_ptr<spdlog::logger> logger);
  ~OperatorPages();
  OperatorPages(const OperatorPages&) = delete;
  OperatorPages& operator=(const OperatorPages&) = delete;

  // Whether `path` is one of these pages.
  static bool serves(std::string_view path);

  slack::WebResponse handle(const slack::WebRequest& request);

  // Takes a new config (SIGHUP): its audiences and schedule from the next request on.
  void reload(Config config);

 private:
  slack::WebResponse health();
  slack::WebResponse metrics();
  slack::WebResponse dashboard();
  Result<AudienceView> view_of(const std::string& audience_id, std::chrono::sys_seconds now);
  slack::WebResponse failure(const Error& error);

  std::mutex mutex_;
  Config config_;
  Result<Scheduler> scheduler_;
  std::unique_ptr<Store> store_;
  Clock clock_;
  std::chrono::sys_seconds started_;  // announcements due before are not expected of this run
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace paperbot
