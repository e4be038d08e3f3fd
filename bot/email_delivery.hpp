// E-mail in the daemon: whether [EMAIL] can be used, the SMTP client it sends with, each
// reader's newsletter put in the outbox, and what a permanent failure does to an address.
//
// E-mail audiences are active only when [EMAIL] from and public_url and the link secret
// (PAPERBOT_LINK_SECRET) are all there; otherwise the runner logs once what is missing and
// skips them, as it skips Slack channels without a bot token. The SMTP login comes from
// SMTP_USERNAME and SMTP_PASSWORD (or *_FILE) and is never logged.
//
// Thread safety: the functions that take a Store run on that store's thread.
#pragma once

#include "adapters/email/smtp_client.hpp"
#include "core/common/digest.hpp"
#include "core/common/result.hpp"
#include "core/config/config.hpp"
#include "core/delivery/message_sink.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace spdlog {
class logger;
}

namespace paperbot {

class Store;

struct EmailSecrets {
  std::string smtp_username;  // empty: no AUTH
  std::string smtp_password;
  std::string link_secret;  // signs the 👍 and unsubscribe links
};

// SMTP_USERNAME, SMTP_PASSWORD and PAPERBOT_LINK_SECRET (each or its *_FILE). An error when a
// named file cannot be read.
Result<EmailSecrets> email_secrets_from_environment();

// What keeps the daemon from sending e-mail, in one plain line; empty when nothing does.
std::optional<std::string> email_missing(const EmailConfig& email, const EmailSecrets& secrets);

// The SMTP client [EMAIL] describes (smtp_url, security) with the login from `secrets`. An
// error (step "configure SMTP") for a security word or URL it cannot use.
Result<std::unique_ptr<SmtpClient>> smtp_client_for(const EmailConfig& email,
                                                    const EmailSecrets& secrets,
                                                    std::shared_ptr<spdlog::logger> logger);

// Enqueues `list`'s newsletter of `digest` for each of its recipients (the config's and the
// subscribers', less those unsubscribed or suspended): one delivery per reader and day, so
// enqueueing again after a crash adds nothing. A reader whose message cannot be built is logged
// and skipped; the others still get theirs. Returns how many deliveries were new.
Result<int> enqueue_newsletters(Store& store, const EmailConfig& email,
                                const EmailAudienceConfig& list, const Digest& digest,
                                const std::string& link_secret, std::chrono::sys_seconds now,
                                spdlog::logger& logger);

// For OutboxOptions::on_given_up: a newsletter refused for good (a 5xx) counts against its
// address, which is suspended after [EMAIL] max_failures (logged once, when it happens).
// Deliveries that are not newsletters, and transient failures that ran out of attempts, are
// left alone.
void count_permanent_failure(Store& store, const EmailConfig& email, const Delivery& delivery,
                             const SendError& error, std::chrono::sys_seconds now,
                             spdlog::logger& logger);

}  // namespace paperbot
