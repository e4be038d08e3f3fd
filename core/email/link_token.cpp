#include "core/email/link_token.hpp"

#include "core/common/crypto.hpp"
#include "core/common/date.hpp"

#include <charconv>
#include <vector>

namespace paperbot::email {
namespace {

constexpr std::string_view kStep = "check link";
constexpr char kSeparator = '\n';  // no list name, address or paper id holds one

std::string_view action_word(LinkAction action) {
  return action == LinkAction::kUpvote ? "upvote" : "unsubscribe";
}

std::string mac_of(std::string_view claim, std::string_view secret) {
  const auto digest = hmac_sha256(secret, claim);
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (true) {
    auto at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

std::string trimmed_base(std::string_view public_url) {
  std::string base(public_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

}  // namespace

std::string sign_link_token(const LinkClaim& claim, std::string_view secret) {
  std::string text;
  text.append(action_word(claim.action)).push_back(kSeparator);
  text.append(claim.list).push_back(kSeparator);
  text.append(claim.address).push_back(kSeparator);
  text.append(claim.paper_id).push_back(kSeparator);
  text.append(std::to_string(claim.expires.time_since_epoch().count()));
  return base64url_encode(text) + "." + base64url_encode(mac_of(text, secret));
}

Result<LinkClaim> verify_link_token(std::string_view token, std::string_view secret,
                                    std::chrono::sys_seconds now) {
  const auto dot = token.find('.');
  if (dot == std::string_view::npos) {
    return make_error(std::string(kStep), "the link is incomplete: it holds no signed token");
  }
  auto text = base64url_decode(token.substr(0, dot));
  auto mac = base64url_decode(token.substr(dot + 1));
  if (!text || !mac) {
    return make_error(std::string(kStep), "the link is damaged: its token is not readable");
  }
  if (secret.empty() || !equal_in_constant_time(*mac, mac_of(*text, secret))) {
    return make_error(std::string(kStep),
                      "the link was not made by this newsletter, or was changed after it was sent");
  }

  const auto parts = split(*text, kSeparator);
  long long expires = 0;
  if (parts.size() != 5 ||
      std::from_chars(parts[4].data(), parts[4].data() + parts[4].size(), expires).ec !=
          std::errc() ||
      (parts[0] != action_word(LinkAction::kUpvote) &&
       parts[0] != action_word(LinkAction::kUnsubscribe))) {
    return make_error(std::string(kStep), "the link's token is signed but not understood");
  }
  LinkClaim claim;
  claim.action =
      parts[0] == action_word(LinkAction::kUpvote) ? LinkAction::kUpvote : LinkAction::kUnsubscribe;
  claim.list = std::string(parts[1]);
  claim.address = std::string(parts[2]);
  claim.paper_id = std::string(parts[3]);
  claim.expires = std::chrono::sys_seconds(std::chrono::seconds(expires));
  if (claim.expires <= now) {
    const Date expired{std::chrono::floor<std::chrono::days>(claim.expires)};
    return make_error(std::string(kStep), "the link expired on " + format_iso_date(expired) +
                                              "; the newest newsletter has fresh links");
  }
  return claim;
}

NewsletterLinks reader_links(std::string_view public_url, std::string_view list,
                             std::string_view address, std::string_view secret,
                             std::chrono::sys_seconds now) {
  const std::string base = trimmed_base(public_url);
  NewsletterLinks links;
  LinkClaim unsubscribe{LinkAction::kUnsubscribe, std::string(list), std::string(address), "",
                        now + kUnsubscribeLinkLifetime};
  links.unsubscribe =
      base + std::string(kUnsubscribePath) + "?t=" + sign_link_token(unsubscribe, secret);
  links.upvote = [base, list = std::string(list), address = std::string(address),
                  secret = std::string(secret), now](const std::string& paper_id) {
    LinkClaim upvote{LinkAction::kUpvote, list, address, paper_id, now + kUpvoteLinkLifetime};
    return base + std::string(kUpvotePath) + "?t=" + sign_link_token(upvote, secret);
  };
  return links;
}

}  // namespace paperbot::email
