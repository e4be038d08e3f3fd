// E-mail addresses as the newsletter uses them: a practical check of an addr-spec, with the reason
// when it fails, and the From/To header words of a mailbox.
//
// The check is deliberately narrower than RFC 5321: no quoted local parts, no comments, no
// bracketed IP addresses and no internationalised (non-ASCII) addresses. What it accepts can go
// into an SMTP command and a header without quoting or escaping, so an accepted address can never
// carry a line break, a space or a control character into either. Pure; any thread.
#pragma once

#include "core/common/result.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace paperbot::email {

// Why `address` (a bare addr-spec such as "reader@example.org", no angle brackets) cannot be
// used, in one plain sentence that names the address; empty when it can be used.
std::optional<std::string> address_problem(std::string_view address);

// Why `domain` cannot be used as a host name ("digest.example.org": letters, digits and hyphens
// in dot-separated labels, at least two labels, the last not all digits); empty when it can.
std::optional<std::string> domain_problem(std::string_view domain);

// The words of a From or To header value: the display name as a phrase (encoded words when it is
// not ASCII; CR and LF folded to spaces) and "<address>", or the bare address when there is no
// name. `header` is the header's name ("From", "To"), which also names the address in an error
// (step "check address") when the address fails address_problem.
Result<std::vector<std::string>> mailbox_words(std::string_view header,
                                               std::string_view display_name,
                                               std::string_view address);

// The same address compared the way mail systems compare the domain: the domain part lower-cased.
// The local part is kept as it is (servers may treat its case as significant).
std::string normalize_address(std::string_view address);

}  // namespace paperbot::email
