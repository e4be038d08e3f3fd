// One newsletter message for one recipient, as the bytes an SMTP server gets after DATA: RFC 5322
// headers and a multipart/alternative body with the text part first and the HTML part last (the
// last is the one clients prefer), both UTF-8 and quoted-printable, every line CRLF-terminated
// and within 78 columns (headers, where a word allows) or 76 (bodies).
//
// Headers: Date, Message-ID, From, To, Subject, List-Id, List-Unsubscribe (the https link and,
// when given, the mailto), List-Unsubscribe-Post (one-click, RFC 8058) and MIME-Version.
//
// What comes from outside is either folded or refused, never written raw: a CR, LF or other
// control character in the subject, a display name or the list name becomes a space; the From
// and To addresses must pass address_problem; the Message-ID domain and the list id must be
// plain domain-like names; links must be absolute (https for unsubscribing, http or https for
// 👍) and hold no space, quote, angle bracket or control character. A refusal is an Error of step
// "build newsletter" or "check address" that says which value was wrong and why.
//
// Pure (the only outside input is std::random_device when no Message-ID is given); any thread.
#pragma once

#include "core/common/digest.hpp"
#include "core/common/result.hpp"
#include "core/email/newsletter_body.hpp"

#include <chrono>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace paperbot::email {

struct NewsletterOptions {
  std::string from_address;  // "digest@example.org"
  std::string from_name;     // display name, may be empty or non-ASCII
  std::string to_address;    // the one recipient of this message
  std::string list_id;       // RFC 2919 list id, "cs-lg.digest.example.org"
  std::string list_name;     // shown in List-Id, the heading and the footer; may be empty
  std::string subject;
  NewsletterLinks links;            // links.unsubscribe is required (https)
  std::string unsubscribe_mailto;   // "mailto:unsubscribe@example.org?subject=...", may be empty
  std::chrono::sys_seconds time{};  // the Date header
  std::string message_id_domain;    // right of the @ in a generated Message-ID
  std::string message_id;           // without angle brackets; empty: a new random one
  std::size_t max_html_bytes = 100'000;
};

struct NewsletterMessage {
  std::string bytes;       // the whole message, CRLF line ends, ready for SMTP DATA
  std::string message_id;  // without angle brackets
  std::string text;        // the text/plain body before encoding (LF line ends)
  std::string html;        // the text/html body before encoding (LF line ends)
};

Result<NewsletterMessage> build_newsletter(const Digest& digest, const NewsletterOptions& options);

// Why `url` cannot be a link of the message: not starting with one of the `schemes` (e.g.
// "https://"), too long, or holding a space, a quote, an angle bracket, a control character or a
// non-ASCII byte. Empty when it can.
std::optional<std::string> link_problem(std::string_view url,
                                        std::initializer_list<std::string_view> schemes);

}  // namespace paperbot::email
