// The signed tokens in the newsletter's links: a reader's 👍 on one paper, and their unsubscribe.
//
// A token names what it allows (the action, the list, the reader's address, the paper for a 👍)
// and until when, and carries an HMAC-SHA256 of all that under the daemon's link secret
// (PAPERBOT_LINK_SECRET). It is "<claim>.<mac>", both base64url without padding, so that it
// goes in a URL as it is. Anyone holding the link can use it, which is the point of a one-click
// link; nobody without the secret can make one for another reader, paper or list, or stretch its
// expiry. The HTTP side (bot/) turns a verified claim into feedback or an unsubscribe; using a
// link twice changes nothing the second time.
//
// Pure; any thread.
#pragma once

#include "core/common/result.hpp"
#include "core/email/newsletter_body.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace paperbot::email {

enum class LinkAction { kUpvote, kUnsubscribe };

// How long links stay valid from the day the message is built. A 👍 is about that day's papers;
// an unsubscribe link must keep working for as long as a reader might keep the message.
inline constexpr std::chrono::days kUpvoteLinkLifetime{60};
inline constexpr std::chrono::days kUnsubscribeLinkLifetime{400};

// URL paths of the daemon's web server that take the tokens, as "?t=TOKEN".
inline constexpr std::string_view kUpvotePath = "/email/upvote";
inline constexpr std::string_view kUnsubscribePath = "/email/unsubscribe";

struct LinkClaim {
  LinkAction action = LinkAction::kUpvote;
  std::string list;      // the e-mail list's name in the config: audience "email:<list>"
  std::string address;   // the reader
  std::string paper_id;  // the paper of a 👍; empty for unsubscribing
  std::chrono::sys_seconds expires{};

  bool operator==(const LinkClaim&) const = default;
};

// The token for `claim`. The secret must not be empty.
std::string sign_link_token(const LinkClaim& claim, std::string_view secret);

// The claim of a token that `secret` signed and that has not expired at `now`. An error (step
// "check link") that says which: not a token, not signed by this daemon, or expired and when.
// The MAC is checked before anything in the claim is read, and in constant time.
Result<LinkClaim> verify_link_token(std::string_view token, std::string_view secret,
                                    std::chrono::sys_seconds now);

// The links of one reader's message: a 👍 link per paper and the unsubscribe link, under
// `public_url` (e.g. "https://digest.example.org", no trailing slash needed), valid from `now`
// for the lifetimes above.
NewsletterLinks reader_links(std::string_view public_url, std::string_view list,
                             std::string_view address, std::string_view secret,
                             std::chrono::sys_seconds now);

}  // namespace paperbot::email
