// UTF-8 stepping shared by the e-mail encoders: where a character starts and ends, so that
// neither a soft line break, an encoded word nor a text wrap ever cuts one in two.
#pragma once

#include <cstddef>
#include <string_view>

namespace paperbot::email {

// The length of the well-formed UTF-8 sequence at `at` (1 to 4), or 0 when the bytes there are
// not one: a stray continuation byte, an overlong form, a surrogate, a value past U+10FFFF or a
// sequence cut short by the end of `text`.
inline std::size_t utf8_sequence_length(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
  const auto continuation = [&](std::size_t i, unsigned char low, unsigned char high) {
    return at + i < text.size() && byte(i) >= low && byte(i) <= high;
  };

  unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return continuation(1, 0x80, 0xBF) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    // E0 needs A0..BF (no overlong forms); ED needs 80..9F (no surrogates).
    unsigned char low = lead == 0xE0 ? 0xA0 : 0x80;
    unsigned char high = lead == 0xED ? 0x9F : 0xBF;
    return continuation(1, low, high) && continuation(2, 0x80, 0xBF) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    unsigned char low = lead == 0xF0 ? 0x90 : 0x80;
    unsigned char high = lead == 0xF4 ? 0x8F : 0xBF;
    return continuation(1, low, high) && continuation(2, 0x80, 0xBF) && continuation(3, 0x80, 0xBF)
               ? 4
               : 0;
  }
  return 0;
}

// The number of characters in `text`, each invalid byte counting as one.
inline std::size_t utf8_length(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t at = 0; at < text.size(); ++count) {
    std::size_t length = utf8_sequence_length(text, at);
    at += length == 0 ? 1 : length;
  }
  return count;
}

}  // namespace paperbot::email
