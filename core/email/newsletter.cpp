#include "core/email/newsletter.hpp"

#include "core/common/text.hpp"
#include "core/email/address.hpp"
#include "core/email/mime.hpp"

#include <map>
#include <utility>

namespace paperbot::email {
namespace {

constexpr std::size_t kMaxLink = 900;  // a folded header line must stay within 998 characters
constexpr std::string_view kStep = "build newsletter";

// Writes one body part: its headers, then its content as quoted-printable. The CRLF before the
// next boundary belongs to the boundary, so the part's last line break is kept by adding one.
void append_part(std::string& out, std::string_view boundary, std::string_view content_type,
                 std::string_view content) {
  out += "--";
  out += boundary;
  out += "\r\nContent-Type: ";
  out += content_type;
  out += "; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
  out += encode_quoted_printable(content);
  out += "\r\n";
}

// The checked values of the options, and the 👍 link of every paper, asked for once each.
struct CheckedOptions {
  std::vector<std::string> from_words;
  std::vector<std::string> to_words;
  std::string message_id;
  std::map<std::string, std::string> upvote_links;
};

Result<CheckedOptions> check_options(const Digest& digest, const NewsletterOptions& options) {
  CheckedOptions checked;
  auto from = mailbox_words("From", options.from_name, options.from_address);
  if (!from) return from.error();
  checked.from_words = std::move(*from);
  auto to = mailbox_words("To", "", options.to_address);
  if (!to) return to.error();
  checked.to_words = std::move(*to);

  if (auto problem = domain_problem(options.list_id))
    return make_error(std::string(kStep), "list id: " + *problem);
  if (auto problem = link_problem(options.links.unsubscribe, {"https://"}))
    return make_error(std::string(kStep), "unsubscribe link: " + *problem);
  if (!options.unsubscribe_mailto.empty()) {
    if (auto problem = link_problem(options.unsubscribe_mailto, {"mailto:"}))
      return make_error(std::string(kStep), "unsubscribe mailto: " + *problem);
  }

  // A given Message-ID has an address's shape (id-left "@" id-right) and the same safe characters.
  checked.message_id = options.message_id;
  if (checked.message_id.empty()) {
    if (auto problem = domain_problem(options.message_id_domain))
      return make_error(std::string(kStep), "Message-ID domain: " + *problem);
    checked.message_id = make_message_id(options.time, options.message_id_domain);
  } else if (auto problem = address_problem(checked.message_id)) {
    return make_error(std::string(kStep), "Message-ID: " + *problem);
  }

  if (options.links.upvote) {
    for (const auto* entries : {&digest.entries, &digest.below_bar}) {
      for (const DigestEntry& entry : *entries) {
        const std::string& id = entry.paper.id;
        if (checked.upvote_links.contains(id)) continue;
        std::string url = options.links.upvote(id);
        if (auto problem = link_problem(url, {"https://", "http://"}))
          return make_error(std::string(kStep), "the 👍 link of " + id + ": " + *problem);
        checked.upvote_links.emplace(id, std::move(url));
      }
    }
  }
  return checked;
}

std::string headers(const NewsletterOptions& options, const CheckedOptions& checked,
                    std::string_view boundary) {
  std::string out;
  out += "Date: " + format_rfc5322_date(options.time) + "\r\n";
  out += "Message-ID: <" + checked.message_id + ">\r\n";
  out += fold_header("From", checked.from_words);
  out += fold_header("To", checked.to_words);
  out += unstructured_header("Subject", options.subject);

  std::vector<std::string> list_words = phrase_words(options.list_name, kFoldedLineLimit - 9);
  list_words.push_back("<" + options.list_id + ">");
  out += fold_header("List-Id", list_words);

  std::vector<std::string> unsubscribe{"<" + options.links.unsubscribe + ">"};
  if (!options.unsubscribe_mailto.empty()) {
    unsubscribe.back() += ",";
    unsubscribe.push_back("<" + options.unsubscribe_mailto + ">");
  }
  out += fold_header("List-Unsubscribe", unsubscribe);
  out += "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += fold_header("Content-Type",
                     {"multipart/alternative;", "boundary=\"" + std::string(boundary) + "\""});
  return out;
}

}  // namespace

std::optional<std::string> link_problem(std::string_view url,
                                        std::initializer_list<std::string_view> schemes) {
  bool scheme_ok = false;
  std::string expected;
  for (std::string_view scheme : schemes) {
    scheme_ok = scheme_ok || (url.size() > scheme.size() && url.starts_with(scheme));
    expected += (expected.empty() ? "" : " or ") + std::string(scheme);
  }
  if (!scheme_ok) return "it must start with " + expected;
  if (url.size() > kMaxLink) return "it is longer than 900 characters";
  for (char c : url) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7F) return "it holds a space, a control or a non-ASCII character";
    if (c == '"' || c == '<' || c == '>' || c == '\\')
      return std::string("it holds '") + c + "', which must be percent-encoded";
  }
  return std::nullopt;
}

Result<NewsletterMessage> build_newsletter(const Digest& digest, const NewsletterOptions& options) {
  auto checked = check_options(digest, options);
  if (!checked) return checked.error();

  // The bodies link through the checked map, so each 👍 link is the one that was checked.
  NewsletterView view;
  view.title = header_safe_text(options.list_name);
  view.recipient = options.to_address;
  view.links.unsubscribe = options.links.unsubscribe;
  if (options.links.upvote) {
    view.links.upvote = [&links = checked->upvote_links](const std::string& id) {
      return links.at(id);
    };
  }
  view.max_html_bytes = options.max_html_bytes;

  NewsletterMessage message;
  message.message_id = checked->message_id;
  message.text = render_newsletter_text(digest, view);
  message.html = render_newsletter_html(digest, view);

  // Quoted-printable never puts "=_" in its output ("=" is always followed by hex digits or a
  // line break), so a boundary starting with "=_" cannot occur inside either part.
  const std::string boundary = "=_paperbot_" + sha256_hex(message.message_id).substr(0, 24);

  message.bytes = headers(options, *checked, boundary);
  message.bytes += "\r\nThis is a multi-part message in MIME format.\r\n";
  append_part(message.bytes, boundary, "text/plain", message.text);
  append_part(message.bytes, boundary, "text/html", message.html);
  message.bytes += "--" + boundary + "--\r\n";
  return message;
}

}  // namespace paperbot::email
