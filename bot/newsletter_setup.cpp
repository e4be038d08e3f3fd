#include "bot/newsletter_setup.hpp"

#include "core/email/link_token.hpp"

namespace paperbot {
namespace {

std::string_view domain_of(std::string_view address) {
  auto at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view() : address.substr(at + 1);
}

}  // namespace

Result<email::NewsletterMessage> build_reader_newsletter(
    const EmailConfig& email, const EmailAudienceConfig& list, const Digest& digest,
    std::string_view address, std::string_view link_secret, std::chrono::sys_seconds now) {
  constexpr std::string_view kStep = "build newsletter";
  if (email.from.empty()) {
    return make_error(std::string(kStep), "[EMAIL] from is not set: the sender's address");
  }
  if (email.public_url.empty()) {
    return make_error(std::string(kStep),
                      "[EMAIL] public_url is not set: where the 👍 and unsubscribe links point");
  }
  if (link_secret.empty()) {
    return make_error(std::string(kStep), std::string(kLinkSecretVariable) +
                                              " is not set: the secret the links are signed with");
  }
  const std::string domain(domain_of(email.from));
  const std::string name = list.name.empty() ? list.list : list.name;

  email::NewsletterOptions options;
  options.from_address = email.from;
  options.from_name = email.from_name;
  options.to_address = std::string(address);
  options.list_id = list.list + "." + domain;
  options.list_name = name;
  options.subject = name + ": arXiv digest for " + format_iso_date(digest.date);
  options.links = email::reader_links(email.public_url, list.list, address, link_secret, now);
  options.unsubscribe_mailto = "mailto:" + email.from + "?subject=unsubscribe%20" + list.list;
  options.time = now;
  options.message_id_domain = domain;
  return email::build_newsletter(digest, options);
}

}  // namespace paperbot
