// The admins' alert by e-mail: a short plain-text message through the same outbox and SMTP sink
// as the newsletter. Each alert is one delivery of audience "email:<kAlertList>:<address>", its
// kind the alert's kind ("alert:run") and its date the announcement's, so the outbox's identity
// (audience, date, kind) lets one alert of a kind out per day however often it is raised.
//
// Pure; any thread.
#pragma once

#include "core/common/date.hpp"
#include "core/common/result.hpp"
#include "core/config/config.hpp"
#include "core/store/outbox_records.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace paperbot {

// The outbox list name of alert e-mails; never a newsletter list.
inline constexpr std::string_view kAlertList = "paperbot-alerts";

// The complete message (RFC 5322, CRLF, quoted-printable UTF-8 text) from [EMAIL] from to `to`,
// subject "paperbot alert: <subject>". An error (step "build alert") when `to` or the From
// address is not usable.
Result<std::string> alert_message(const EmailConfig& email, const std::string& to,
                                  const std::string& subject, const std::string& text,
                                  std::chrono::sys_seconds now);

// The outbox delivery of an alert of `kind` about the announcement of `date`.
Result<Delivery> alert_email_delivery(const EmailConfig& email, const std::string& to, Date date,
                                      const std::string& kind, const std::string& text,
                                      std::chrono::sys_seconds now);

}  // namespace paperbot
