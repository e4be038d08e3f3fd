// What the SMTP tests share: the skip rule for a machine without aiosmtpd, a quiet logger, client
// options for a test server, and newsletters to send.
#pragma once

#include "adapters/email/smtp_client.hpp"
#include "core/email/newsletter.hpp"
#include "tests/support/email_checks.hpp"
#include "tests/support/smtp_test_server.hpp"

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <memory>
#include <string>

namespace paperbot::testing {

// True when the SMTP tests can run. Otherwise the calling test is skipped with a warning, except
// under CI (CI=true), where a missing aiosmtpd is a failure: scripts/install-deps.sh installs it.
inline bool smtp_tests_can_run() {
  if (aiosmtpd_available()) return true;
  const char* ci = std::getenv("CI");
  if (ci != nullptr && std::string(ci) == "true")
    FAIL("/usr/bin/python3 cannot import aiosmtpd; CI needs python3-aiosmtpd");
  WARN("skipped: /usr/bin/python3 cannot import aiosmtpd (install python3-aiosmtpd)");
  return false;
}

#define PAPERBOT_REQUIRE_AIOSMTPD() \
  if (!::paperbot::testing::smtp_tests_can_run()) return

inline std::shared_ptr<spdlog::logger> quiet_logger() {
  return std::make_shared<spdlog::logger>("email", std::make_shared<spdlog::sinks::null_sink_st>());
}

inline SmtpOptions smtp_options(const SmtpTestServer& server, SmtpSecurity security) {
  SmtpOptions options;
  options.url = server.url(security == SmtpSecurity::kTls ? "smtps" : "smtp");
  options.security = security;
  options.connect_timeout = std::chrono::seconds(5);
  options.message_timeout = std::chrono::seconds(30);
  return options;
}

inline std::unique_ptr<SmtpClient> smtp_client(SmtpOptions options) {
  auto client = SmtpClient::create(std::move(options), quiet_logger());
  REQUIRE(client.has_value());
  return std::move(*client);
}

// The newsletter of a small digest for `recipient`, with links of its own.
inline email::NewsletterMessage newsletter_for(const std::string& recipient,
                                               std::size_t papers = 3) {
  email::NewsletterOptions options;
  options.from_address = "digest@digest.example.org";
  options.from_name = "Paper Digest";
  options.to_address = recipient;
  options.list_id = "ml.digest.example.org";
  options.list_name = "ML reading group";
  options.subject = "Paper digest — 2025-01-29";
  options.links.upvote = [recipient](const std::string& id) {
    return "https://digest.example.org/up/" + id + "?for=" + recipient;
  };
  options.links.unsubscribe = "https://digest.example.org/u/" + recipient;
  options.time = std::chrono::sys_seconds{std::chrono::seconds(1738195200)};
  options.message_id_domain = "digest.example.org";
  auto message = email::build_newsletter(sample_digest(papers), options);
  REQUIRE(message.has_value());
  return std::move(*message);
}

}  // namespace paperbot::testing
