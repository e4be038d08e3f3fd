// Keyed hashing and the encodings that carry it in URLs, on OpenSSL: what signs Slack's requests
// and the newsletter's links. Pure functions; any thread.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace paperbot {

inline constexpr std::size_t kSha256Bytes = 32;

// HMAC-SHA256 of `message` under `key`.
std::array<unsigned char, kSha256Bytes> hmac_sha256(std::string_view key, std::string_view message);

// Whether the two byte strings are equal, in time that depends on their length only.
bool equal_in_constant_time(std::string_view a, std::string_view b);

// Base64 with the URL-safe alphabet ("-" and "_") and no padding (RFC 4648 section 5).
std::string base64url_encode(std::string_view bytes);

// The bytes of a base64url text; empty when it holds a character outside the alphabet, padding,
// or a length no encoding has.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace paperbot
