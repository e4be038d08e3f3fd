// The people an e-mail audience ("email:theory") is sent to beyond the config's recipients, as
// the store keeps them. Plain values; the Store reads and writes them (store_subscribers.cpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace paperbot {

// Who changed a subscription when it was no person in chat.
inline constexpr std::string_view kSubscriberByConfig = "config";  // a config recipient
inline constexpr std::string_view kSubscriberByLink = "link";      // an unsubscribe link

enum class SubscriberStatus {
  kSubscribed,
  kUnsubscribed,  // asked to stop; the config's recipients no longer include it either
  kSuspended,     // too many permanent delivery failures; a new subscribe lifts it
};

// "subscribed", "unsubscribed", "suspended": the words the store and the replies use.
std::string_view to_string(SubscriberStatus status);
std::optional<SubscriberStatus> subscriber_status_from(std::string_view text);

// One address of one e-mail audience.
struct Subscriber {
  std::string audience;  // "email:theory"
  std::string address;   // domain lower-cased, local part as first written
  SubscriberStatus status = SubscriberStatus::kSubscribed;
  int failures = 0;        // permanent failures counted since it was last subscribed
  std::string who;         // Slack user id, kSubscriberByConfig or kSubscriberByLink
  std::string created_at;  // ISO 8601 UTC
  std::string updated_at;  // ISO 8601 UTC

  bool operator==(const Subscriber&) const = default;
};

// The form an address is stored and compared in: surrounding space trimmed and the domain
// lower-cased. The local part keeps its case (a mail server may treat it as significant), but
// the store matches addresses without regard to ASCII case.
std::string normalized_address(std::string_view address);

}  // namespace paperbot
