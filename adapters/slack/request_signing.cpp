#include "adapters/slack/request_signing.hpp"

#include "core/common/crypto.hpp"

#include <array>
#include <charconv>
#include <cstdint>

namespace paperbot::slack {
namespace {

constexpr std::string_view kVersionPrefix = "v0=";
constexpr std::size_t kDigestBytes = kSha256Bytes;
constexpr std::size_t kSignatureLength = kVersionPrefix.size() + 2 * kDigestBytes;

std::string base_string(std::string_view timestamp, std::string_view body) {
  std::string base;
  base.reserve(3 + timestamp.size() + 1 + body.size());
  base.append("v0:").append(timestamp).append(":").append(body);
  return base;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The digest a well-formed "v0=<64 hex>" header carries, or nullopt.
std::optional<std::array<unsigned char, kDigestBytes>> decode_signature(std::string_view header) {
  if (header.size() != kSignatureLength ||
      header.substr(0, kVersionPrefix.size()) != kVersionPrefix) {
    return std::nullopt;
  }
  std::array<unsigned char, kDigestBytes> digest{};
  const std::string_view hex = header.substr(kVersionPrefix.size());
  for (std::size_t i = 0; i < kDigestBytes; ++i) {
    const int high = hex_value(hex[2 * i]);
    const int low = hex_value(hex[2 * i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    digest[i] = static_cast<unsigned char>(high * 16 + low);
  }
  return digest;
}

// Unix seconds written as plain decimal digits; no sign, no spaces. Eighteen digits at most keep
// the later subtraction from overflowing.
std::optional<std::int64_t> decode_timestamp(std::string_view text) {
  constexpr std::size_t kMaxDigits = 18;
  if (text.empty() || text.size() > kMaxDigits) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::int64_t seconds = 0;
  std::from_chars(text.data(), text.data() + text.size(), seconds);
  return seconds;
}

}  // namespace

std::string_view to_string(SignatureCheck check) {
  switch (check) {
    case SignatureCheck::kValid: return "valid";
    case SignatureCheck::kMissingHeader: return "missing header";
    case SignatureCheck::kMalformedHeader: return "malformed header";
    case SignatureCheck::kStale: return "stale timestamp";
    case SignatureCheck::kSignatureMismatch: return "signature mismatch";
  }
  return "unknown";
}

SignatureCheck verify_signature(std::string_view signing_secret, const SignedRequest& request,
                                std::chrono::system_clock::time_point now) {
  if (!request.timestamp || !request.signature) return SignatureCheck::kMissingHeader;

  const auto timestamp = decode_timestamp(*request.timestamp);
  const auto received = decode_signature(*request.signature);
  if (!timestamp || !received) return SignatureCheck::kMalformedHeader;

  // The window is checked before the HMAC: a replayed request costs no hashing.
  const std::int64_t now_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const std::int64_t skew = now_seconds - *timestamp;
  if (skew > kSignatureWindow.count() || skew < -kSignatureWindow.count()) {
    return SignatureCheck::kStale;
  }

  // A misconfigured (empty) secret must not turn into "anyone can sign".
  if (signing_secret.empty()) return SignatureCheck::kSignatureMismatch;

  const auto expected = hmac_sha256(signing_secret, base_string(*request.timestamp, request.body));
  const std::string_view expected_bytes(reinterpret_cast<const char*>(expected.data()),
                                        expected.size());
  const std::string_view received_bytes(reinterpret_cast<const char*>(received->data()),
                                        received->size());
  if (!equal_in_constant_time(expected_bytes, received_bytes)) {
    return SignatureCheck::kSignatureMismatch;
  }
  return SignatureCheck::kValid;
}

std::string compute_signature(std::string_view signing_secret, std::string_view timestamp,
                              std::string_view body) {
  constexpr std::string_view kHexDigits = "0123456789abcdef";
  const auto digest = hmac_sha256(signing_secret, base_string(timestamp, body));
  std::string signature(kVersionPrefix);
  for (unsigned char byte : digest) {
    signature += kHexDigits[byte >> 4];
    signature += kHexDigits[byte & 0x0f];
  }
  return signature;
}

}  // namespace paperbot::slack
