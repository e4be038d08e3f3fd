// Verification of Slack's v0 request signature, which every HTTP request from Slack (Events API,
// slash commands, interactivity) carries. Check it on the raw body before parsing anything, and
// answer 401 on any result but kValid. Socket Mode frames are not signed.
//
// Pure functions, safe from any thread. The signing secret is only ever an input: no result or
// message here contains it.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace paperbot::slack {

// Slack's replay window: a request whose timestamp is further than this from now is refused.
inline constexpr std::chrono::seconds kSignatureWindow{300};

// Why a request was accepted or refused. Only kValid may be processed.
enum class SignatureCheck {
  kValid,
  kMissingHeader,     // no X-Slack-Request-Timestamp or no X-Slack-Signature
  kMalformedHeader,   // a timestamp that is not a decimal integer, or a signature that is not
                      // "v0=" followed by 64 hex digits
  kStale,             // |now - timestamp| > kSignatureWindow
  kSignatureMismatch  // well-formed, but not what the signing secret gives for this body
};

// "valid", "missing header", "malformed header", "stale timestamp", "signature mismatch": for
// logs and metrics.
std::string_view to_string(SignatureCheck check);

// The two headers as received; nullopt when a header is absent. Header names are matched
// case-insensitively by the caller (Beast does).
struct SignedRequest {
  std::optional<std::string_view> timestamp;  // X-Slack-Request-Timestamp
  std::optional<std::string_view> signature;  // X-Slack-Signature
  std::string_view body;                      // the exact bytes received
};

// Checks `request` against the app's signing secret at time `now` (a parameter so tests can use
// the vectors' 2018 timestamps and the daemon its own clock). The digest comparison takes the
// same time wherever the signatures differ. An empty secret never validates.
SignatureCheck verify_signature(std::string_view signing_secret, const SignedRequest& request,
                                std::chrono::system_clock::time_point now);

// "v0=" + lowercase hex HMAC-SHA256 of "v0:" + timestamp + ":" + body keyed with the secret: what
// Slack sends in X-Slack-Signature. For fake Slack servers in tests and for signing benchmarks.
std::string compute_signature(std::string_view signing_secret, std::string_view timestamp,
                              std::string_view body);

}  // namespace paperbot::slack
