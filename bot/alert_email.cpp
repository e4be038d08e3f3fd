#include "bot/alert_email.hpp"

#include "adapters/email/email_sink.hpp"
#include "core/email/address.hpp"
#include "core/email/mime.hpp"

namespace paperbot {

Result<std::string> alert_message(const EmailConfig& email, const std::string& to,
                                  const std::string& subject, const std::string& text,
                                  std::chrono::sys_seconds now) {
  for (const std::string& address : {email.from, to}) {
    if (auto problem = email::address_problem(address)) {
      return make_error("build alert", "'" + address + "': " + *problem);
    }
  }
  const std::string domain = email.from.substr(email.from.rfind('@') + 1);

  std::vector<std::string> from = email::phrase_words(email.from_name);
  from.push_back("<" + email.from + ">");
  std::string message = email::fold_header("From", from);
  message += "To: <" + to + ">\r\n";
  message += email::unstructured_header("Subject", "paperbot alert: " + subject);
  message += "Date: " + email::format_rfc5322_date(now) + "\r\n";
  message += "Message-ID: <" + email::make_message_id(now, domain) + ">\r\n";
  message += "Auto-Submitted: auto-generated\r\n";
  message += "MIME-Version: 1.0\r\n";
  message += "Content-Type: text/plain; charset=utf-8\r\n";
  message += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
  message += email::encode_quoted_printable(text + "\n");
  return message;
}

Result<Delivery> alert_email_delivery(const EmailConfig& email, const std::string& to, Date date,
                                      const std::string& kind, const std::string& text,
                                      std::chrono::sys_seconds now) {
  auto message = alert_message(email, to, kind + " " + format_iso_date(date), text, now);
  if (!message) return message.error();
  auto delivery = newsletter_delivery(kAlertList, date, std::move(*message));
  if (!delivery) return delivery.error();
  delivery->kind = kind;
  return delivery;
}

}  // namespace paperbot
