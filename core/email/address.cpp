#include "core/email/address.hpp"

#include "core/email/mime.hpp"

#include <algorithm>
#include <cstdio>

namespace paperbot::email {
namespace {

constexpr std::size_t kMaxAddress = 254;  // RFC 5321's path limit less the angle brackets
constexpr std::size_t kMaxLocalPart = 64;
constexpr std::size_t kMaxDomain = 253;
constexpr std::size_t kMaxLabel = 63;
constexpr std::size_t kShownLimit = 80;

bool is_letter_or_digit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// The characters of a dot-atom's atoms (RFC 5322 atext).
bool is_atext(char c) {
  return is_letter_or_digit(c) ||
         std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

// The address quoted for a message, with control characters made visible and the length capped,
// so that an error about a hostile address cannot itself break a log line or a reply.
std::string shown(std::string_view text) {
  std::string out = "\"";
  for (char c : text.substr(0, kShownLimit)) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (byte < 0x20 || byte == 0x7F) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\x%02X", byte);
      out += escape;
    } else {
      out += c;
    }
  }
  if (text.size() > kShownLimit) out += "...";
  return out + "\"";
}

// Why the whole address cannot go on an SMTP command line or in a header unquoted.
std::optional<std::string> character_problem(std::string_view address) {
  if (address.find_first_of("\r\n") != std::string_view::npos) return "it contains a line break";
  if (address.find_first_of(" \t") != std::string_view::npos) return "it contains a space";
  for (char c : address) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) return "it contains a control character";
    if (byte >= 0x80)
      return "it contains non-ASCII characters, and only ASCII addresses are supported";
  }
  return std::nullopt;
}

std::optional<std::string> local_part_problem(std::string_view local) {
  if (local.empty()) return "there is nothing before the @";
  if (local.size() > kMaxLocalPart) return "the part before the @ is longer than 64 characters";
  if (local.front() == '"') return "quoted local parts are not supported";
  for (char c : local) {
    if (c != '.' && !is_atext(c))
      return std::string("the part before the @ contains '") + c + "', which needs quoting";
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
    return "the part before the @ starts or ends with a dot, or has two dots in a row";
  return std::nullopt;
}

}  // namespace

std::optional<std::string> domain_problem(std::string_view domain) {
  if (domain.empty()) return "the domain is empty";
  if (domain.front() == '[') return "a bracketed IP address is not supported as a domain";
  if (domain.size() > kMaxDomain) return "the domain is longer than 253 characters";
  if (domain.find('.') == std::string_view::npos)
    return "the domain " + shown(domain) + " has no dot; use a full domain name";

  std::string_view last_label;
  for (std::size_t at = 0; at <= domain.size();) {
    std::size_t end = std::min(domain.find('.', at), domain.size());
    std::string_view label = domain.substr(at, end - at);
    if (label.empty())
      return "the domain " + shown(domain) + " has an empty label (a dot at an end or two dots)";
    if (label.size() > kMaxLabel) return "a label of the domain is longer than 63 characters";
    auto bad = std::find_if(label.begin(), label.end(),
                            [](char c) { return c != '-' && !is_letter_or_digit(c); });
    if (bad != label.end())
      return "the domain " + shown(domain) + " contains " + shown(std::string_view(&*bad, 1));
    if (label.front() == '-' || label.back() == '-')
      return "a label of the domain " + shown(domain) + " starts or ends with a hyphen";
    last_label = label;
    at = end + 1;
  }
  if (std::all_of(last_label.begin(), last_label.end(),
                  [](char c) { return c >= '0' && c <= '9'; }))
    return "the domain " + shown(domain) + " looks like an IP address; use a domain name";
  return std::nullopt;
}

std::optional<std::string> address_problem(std::string_view address) {
  const auto because = [&](const std::string& reason) { return shown(address) + ": " + reason; };

  if (address.empty()) return std::string("the address is empty");
  if (auto problem = character_problem(address)) return because(*problem);
  if (address.size() > kMaxAddress) return because("it is longer than 254 characters");

  std::size_t at = address.find('@');
  if (at == std::string_view::npos) return because("it has no @");
  if (address.find('@', at + 1) != std::string_view::npos) return because("it has more than one @");

  if (auto problem = local_part_problem(address.substr(0, at))) return because(*problem);
  std::string_view domain = address.substr(at + 1);
  if (domain.empty()) return because("there is no domain after the @");
  if (auto problem = domain_problem(domain)) return because(*problem);
  return std::nullopt;
}

Result<std::vector<std::string>> mailbox_words(std::string_view header,
                                               std::string_view display_name,
                                               std::string_view address) {
  if (auto problem = address_problem(address))
    return make_error("check address", std::string(header) + " address " + *problem);

  // The first word shares the line with "From: ", so it gets that much less room.
  std::size_t first_room = kFoldedLineLimit - std::min(header.size() + 2, kFoldedLineLimit);
  std::vector<std::string> words = phrase_words(display_name, first_room);
  if (words.empty()) return std::vector<std::string>{std::string(address)};
  words.push_back("<" + std::string(address) + ">");
  return words;
}

std::string normalize_address(std::string_view address) {
  std::string out(address);
  std::size_t at = out.rfind('@');
  if (at == std::string::npos) return out;
  std::transform(out.begin() + static_cast<std::ptrdiff_t>(at), out.end(),
                 out.begin() + static_cast<std::ptrdiff_t>(at), [](char c) {
                   return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
                 });
  return out;
}

}  // namespace paperbot::email
