#include "bot/email_delivery.hpp"

#include "adapters/email/email_sink.hpp"
#include "bot/newsletter_setup.hpp"
#include "bot/secrets.hpp"
#include "core/email/envelope.hpp"
#include "core/store/store.hpp"

#include <spdlog/spdlog.h>

#include <vector>

namespace paperbot {

Result<EmailSecrets> email_secrets_from_environment() {
  EmailSecrets secrets;
  auto username = secret_from_environment("SMTP_USERNAME");
  if (!username) return username.error();
  auto password = secret_from_environment("SMTP_PASSWORD");
  if (!password) return password.error();
  auto link_secret = secret_from_environment(kLinkSecretVariable);
  if (!link_secret) return link_secret.error();
  secrets.smtp_username = std::move(*username);
  secrets.smtp_password = std::move(*password);
  secrets.link_secret = std::move(*link_secret);
  return secrets;
}

std::optional<std::string> email_missing(const EmailConfig& email, const EmailSecrets& secrets) {
  std::vector<std::string> missing;
  if (email.from.empty()) missing.push_back("[EMAIL] from (the sender's address)");
  if (email.public_url.empty())
    missing.push_back("[EMAIL] public_url (where the 👍 and unsubscribe links point)");
  if (secrets.link_secret.empty())
    missing.push_back(std::string(kLinkSecretVariable) + " (the secret that signs the links)");
  if (missing.empty()) return std::nullopt;
  std::string text = "e-mail is off: set ";
  for (std::size_t i = 0; i < missing.size(); ++i) {
    if (i > 0) text += i + 1 == missing.size() ? " and " : ", ";
    text += missing[i];
  }
  return text;
}

Result<std::unique_ptr<SmtpClient>> smtp_client_for(const EmailConfig& email,
                                                    const EmailSecrets& secrets,
                                                    std::shared_ptr<spdlog::logger> logger) {
  auto security = parse_smtp_security(email.security);
  if (!security) {
    return make_error("configure SMTP",
                      "[EMAIL] security = " + email.security + ": expected starttls, tls or plain");
  }
  SmtpOptions options;
  options.url = email.smtp_url;
  options.security = *security;
  options.username = secrets.smtp_username;
  options.password = secrets.smtp_password;
  return SmtpClient::create(std::move(options), std::move(logger));
}

Result<int> enqueue_newsletters(Store& store, const EmailConfig& email,
                                const EmailAudienceConfig& list, const Digest& digest,
                                const std::string& link_secret, std::chrono::sys_seconds now,
                                spdlog::logger& logger) {
  auto recipients = store.recipients(list.audience(), list.recipients);
  if (!recipients) return recipients.error();

  std::vector<Delivery> deliveries;
  for (const std::string& address : *recipients) {
    // One bad address (or one the message refuses) costs only its own reader.
    auto message = build_reader_newsletter(email, list, digest, address, link_secret, now);
    if (!message) {
      logger.error("{} for {}: {}", list.audience(), address, message.error().to_string());
      continue;
    }
    auto delivery = newsletter_delivery(list.list, digest.date, std::move(message->bytes));
    if (!delivery) {
      logger.error("{} for {}: {}", list.audience(), address, delivery.error().to_string());
      continue;
    }
    deliveries.push_back(std::move(*delivery));
  }
  // The identity (reader's audience, date, kind) makes this one message per reader per day.
  return store.enqueue_deliveries(deliveries);
}

void count_permanent_failure(Store& store, const EmailConfig& email, const Delivery& delivery,
                             const SendError& error, std::chrono::sys_seconds now,
                             spdlog::logger& logger) {
  if (error.kind != SendFailure::kPermanent || delivery.kind != email::kNewsletterKind) return;
  auto reader = email::parse_email_audience(delivery.audience);
  if (!reader) return;

  const std::string list_audience = std::string(email::kEmailAudiencePrefix) + reader->list;
  auto suspended =
      store.record_permanent_failure(list_audience, reader->address, email.max_failures, now);
  if (!suspended) {
    logger.error("{}", suspended.error().to_string());
    return;
  }
  if (*suspended) {
    logger.warn("{} is suspended from {} after {} permanent failure(s), the last: {}",
                reader->address, list_audience, email.max_failures, error.message);
  }
}

}  // namespace paperbot
