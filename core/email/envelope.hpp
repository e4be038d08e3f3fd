// How an e-mail travels through the outbox: which audience a message is delivered under, and the
// SMTP envelope (sender, recipient) read back from the message itself.
//
// Audience: every recipient of a list is an outbox audience of their own,
// "email:<list>:<address>". The outbox stops an audience at a transient failure and keeps its
// messages in order; with one audience per recipient, a 4xx or a dropped connection for one
// reader never holds back the others. An address cannot hold ":" (address_problem refuses it),
// so the audience splits at its last ":"; a list name must not be empty.
//
// Envelope: the delivery's payload is the complete message as build_newsletter wrote it (see
// adapters/email/email_sink.hpp). Its single To address is the envelope recipient, so the
// recipient a reader sees and the one the server is given cannot differ; its From address is the
// envelope sender unless the sink is configured with a bounce address.
//
// Pure; any thread.
#pragma once

#include "core/common/result.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace paperbot::email {

inline constexpr std::string_view kEmailAudiencePrefix = "email:";
inline constexpr std::string_view kNewsletterKind = "newsletter";  // Delivery::kind

struct EmailAudience {
  std::string list;     // the list's name in the config
  std::string address;  // the recipient
};

// "email:<list>:<address>".
std::string email_audience(std::string_view list, std::string_view address);

// The list and address of an e-mail audience; empty when `audience` is not one (another prefix,
// no list, or an address that fails address_problem).
std::optional<EmailAudience> parse_email_audience(std::string_view audience);

struct Envelope {
  std::string from;        // the From header's address
  std::string to;          // the To header's address
  std::string message_id;  // the Message-ID header without angle brackets
};

// The envelope of a message: its headers are unfolded and its From, To and Message-ID read. An
// error (step "read message") when one of them is missing or repeated, when To names more than
// one address, or when an address fails address_problem.
Result<Envelope> read_envelope(std::string_view message);

}  // namespace paperbot::email
