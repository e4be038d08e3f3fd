// The runner's alarms: a day whose processing failed, announcements left unprocessed, and the
// e-mail copy of every alert to the admin address. Slack's copy goes to [SLACK] admin_channel
// (AnnouncementRunner::alert). Each alert is a delivery whose identity (audience, date, kind)
// lets it out once per day and kind, however often the runner raises it.
#include "bot/alert_email.hpp"
#include "bot/announcement_runner.hpp"
#include "bot/health.hpp"
#include "core/store/store.hpp"

#include <spdlog/spdlog.h>

namespace paperbot {

void AnnouncementRunner::alert_failed(Date announcement) {
  const auto facts = this->facts();
  alert(announcement, "alert:run",
        "paperbot could not process the announcement of " + format_iso_date(announcement) +
            (facts.last_error ? ": " + *facts.last_error : std::string()) +
            ". It tries again in a few minutes; look at the log if this repeats.");
}

void AnnouncementRunner::alert_if_behind(std::chrono::sys_seconds now) {
  auto days = store_->days_since(Date{std::chrono::year{1970} / 1 / 1});
  if (!days) {
    note_error(days.error().to_string());
    return;
  }
  const Health health = assess_health(*scheduler_, *days, {}, now);
  // Two announcements in a row: one missing day can still be caught up by the next step.
  if (health.unprocessed < 2 || !health.expected || behind_alerted_ == health.expected) return;
  behind_alerted_ = health.expected;
  alert(*health.expected, "alert:behind",
        "paperbot is behind: " + health.summary +
            ". Check that arXiv and the scorer can be reached and look at the log.");
}

void AnnouncementRunner::email_alert(Date date, const std::string& kind, const std::string& text) {
  const std::string& address = config_.email.admin_address;
  if (address.empty() || !email_sink_) return;
  auto delivery = alert_email_delivery(config_.email, address, date, kind, text, clock_());
  if (!delivery) {
    logger_->error("{}", delivery.error().to_string());
    return;
  }
  if (auto added = store_->enqueue_deliveries({*delivery}); !added) {
    logger_->error("{}", added.error().to_string());
  }
}

}  // namespace paperbot
