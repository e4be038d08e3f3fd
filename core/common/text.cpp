#include "core/common/text.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace paperbot {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

// Decodes one code point at `i`, advancing it. Invalid bytes decode as themselves.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  auto c = static_cast<unsigned char>(s[i]);
  int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  if (extra == 0 || i + extra >= s.size()) {
    ++i;
    return c;
  }
  char32_t cp = c & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += extra + 1;
  return cp;
}

// A TeX accent command, the combining mark it stands for, and the precomposed letters it makes.
struct Accent {
  char command;
  char32_t combining;
  std::u32string_view pairs;  // base letter followed by its accented form, repeated
};

constexpr std::array<Accent, 13> kAccents = {{
    {'\'', 0x301, U"aáeéiíoóuúyýAÁEÉIÍOÓUÚYÝcćCĆnńNŃsśSŚzźZŹlĺLĹrŕRŔgǵ"},
    {'`', 0x300, U"aàeèiìoòuùAÀEÈIÌOÒUÙ"},
    {'^', 0x302, U"aâeêiîoôuûAÂEÊIÎOÔUÛcĉCĈgĝGĜhĥHĤjĵJĴsŝSŜwŵWŴyŷYŶ"},
    {'"', 0x308, U"aäeëiïoöuüyÿAÄEËIÏOÖUÜYŸ"},
    {'~', 0x303, U"aãoõnñAÃOÕNÑiĩIĨuũUŨ"},
    {'=', 0x304, U"aāeēiīoōuūAĀEĒIĪOŌUŪ"},
    {'.', 0x307, U"zżZŻeėEĖgġGĠIİcċCĊ"},
    {'c', 0x327, U"cçCÇsşSŞtţTŢgģGĢkķKĶlļLĻnņNŅrŗRŖ"},
    {'v', 0x30C, U"cčCČsšSŠzžZŽrřRŘeěEĚnňNŇdďDĎtťTŤ"},
    {'u', 0x306, U"aăAĂgğGĞuŭUŬ"},
    {'H', 0x30B, U"oőOŐuűUŰ"},
    {'k', 0x328, U"aąAĄeęEĘiįIĮuųUŲ"},
    {'r', 0x30A, U"aåAÅuůUŮ"},
}};

// Letters written as a named command: \ss, \o, \aa, ...
struct NamedLetter {
  std::string_view name;
  char32_t letter;
};

constexpr std::array<NamedLetter, 14> kNamedLetters = {{
    {"ss", U'ß'},
    {"o", U'ø'},
    {"O", U'Ø'},
    {"aa", U'å'},
    {"AA", U'Å'},
    {"ae", U'æ'},
    {"AE", U'Æ'},
    {"oe", U'œ'},
    {"OE", U'Œ'},
    {"l", U'ł'},
    {"L", U'Ł'},
    {"i", U'ı'},
    {"j", U'ȷ'},
    {"dh", U'ð'},
}};

const Accent* find_accent(char command) {
  for (const auto& accent : kAccents) {
    if (accent.command == command) return &accent;
  }
  return nullptr;
}

void append_accented(std::string& out, const Accent& accent, char32_t base) {
  // A dotless i under an accent is just an accented i.
  if (base == U'ı') base = U'i';
  for (std::size_t k = 0; k + 1 < accent.pairs.size(); k += 2) {
    if (accent.pairs[k] == base) {
      append_utf8(out, accent.pairs[k + 1]);
      return;
    }
  }
  append_utf8(out, base);
  append_utf8(out, accent.combining);
}

bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Reads the argument of an accent command at `i`: "{c}", " c", "c", "{\i}", "\i".
// Returns the base code point, or nothing when the text does not look like an argument.
std::optional<char32_t> read_accent_argument(std::string_view s, std::size_t& i, bool letter_cmd) {
  std::size_t k = i;
  if (letter_cmd) {
    // \c c and \v{s}: a letter command needs a brace or a space before its argument.
    if (k < s.size() && s[k] == ' ') {
      ++k;
    } else if (k >= s.size() || s[k] != '{') {
      return std::nullopt;
    }
  }
  bool braced = k < s.size() && s[k] == '{';
  if (braced) ++k;
  if (k >= s.size()) return std::nullopt;
  char32_t base;
  if (s[k] == '\\' && k + 1 < s.size() && (s[k + 1] == 'i' || s[k + 1] == 'j')) {
    base = s[k + 1] == 'i' ? U'ı' : U'ȷ';
    k += 2;
  } else {
    std::size_t cp_start = k;
    base = next_code_point(s, k);
    if (base == '}' || base == '\\') {
      k = cp_start;
      return std::nullopt;
    }
  }
  if (braced) {
    if (k >= s.size() || s[k] != '}') return std::nullopt;
    ++k;
  }
  i = k;
  return base;
}

// Latin letters with diacritics, mapped to their base letters for folding.
char32_t strip_diacritic(char32_t cp) {
  for (const auto& accent : kAccents) {
    for (std::size_t k = 0; k + 1 < accent.pairs.size(); k += 2) {
      if (accent.pairs[k + 1] == cp) return accent.pairs[k];
    }
  }
  switch (cp) {
    case U'ø': return U'o';
    case U'Ø': return U'O';
    case U'ł': return U'l';
    case U'Ł': return U'L';
    case U'ı': return U'i';
    case U'đ': return U'd';
    case U'Đ': return U'D';
    default: return cp;
  }
}

}  // namespace

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string joined;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    if (k > 0) joined += separator;
    joined += parts[k];
  }
  return joined;
}

std::string escape_markup(std::string_view text, bool quotes) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += quotes ? "&quot;" : "\""; break;
      case '\'': out += quotes ? "&#39;" : "'"; break;
      default: out += c;
    }
  }
  return out;
}

std::string_view trim(std::string_view text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && is_space(text[begin])) ++begin;
  while (end > begin && is_space(text[end - 1])) --end;
  return text.substr(begin, end - begin);
}

std::string collapse_whitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (char c : trim(text)) {
    if (is_space(c)) {
      pending_space = true;
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::vector<std::string> split_trimmed(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view part = trim(text.substr(start, end - start));
    if (!part.empty()) parts.emplace_back(part);
    start = end + 1;
  }
  return parts;
}

std::string tex_accents_to_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    // "{\'a}" and "{\ss}": a group holding just one accent command loses its braces.
    bool grouped = s[i] == '{' && i + 1 < s.size() && s[i + 1] == '\\';
    std::size_t start = grouped ? i + 1 : i;
    if (s[start] != '\\' || start + 1 >= s.size()) {
      out += s[i++];
      continue;
    }

    std::string decoded;
    std::size_t k = start + 1;
    bool ok = false;
    char command = s[k];
    if (const Accent* accent = find_accent(command)) {
      ++k;
      if (auto base = read_accent_argument(s, k, is_letter(command))) {
        append_accented(decoded, *accent, *base);
        ok = true;
      }
    }
    if (!ok && is_letter(command)) {
      std::size_t end = start + 1;
      while (end < s.size() && is_letter(s[end])) ++end;
      std::string_view name = s.substr(start + 1, end - start - 1);
      for (const auto& named : kNamedLetters) {
        if (named.name == name) {
          append_utf8(decoded, named.letter);
          k = end;
          // "\ss{}" and "\o " end the command name; the terminator is not text.
          if (s.substr(k, 2) == "{}") {
            k += 2;
          } else if (k < s.size() && s[k] == ' ' && !grouped) {
            ++k;
          }
          ok = true;
          break;
        }
      }
    }
    if (ok && grouped) {
      if (k < s.size() && s[k] == '}') {
        ++k;
      } else {
        ok = false;
      }
    }
    if (!ok) {
      out += s[i++];
      continue;
    }
    out += decoded;
    i = k;
  }
  return out;
}

std::string fold_name(std::string_view name) {
  std::string decoded = tex_accents_to_utf8(name);
  std::string folded;
  folded.reserve(decoded.size());
  std::size_t i = 0;
  bool pending_space = false;
  while (i < decoded.size()) {
    char32_t cp = next_code_point(decoded, i);
    if (cp >= 0x300 && cp <= 0x36F) continue;  // combining marks
    cp = strip_diacritic(cp);
    std::string_view expansion;
    if (cp == U'ß') expansion = "ss";
    if (cp == U'æ' || cp == U'Æ') expansion = "ae";
    if (cp == U'œ' || cp == U'Œ') expansion = "oe";
    if (!expansion.empty()) {
      if (pending_space) folded += ' ';
      pending_space = false;
      folded += expansion;
      continue;
    }
    bool letter_or_digit = cp >= 0x80 || (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
                           (cp >= 'A' && cp <= 'Z');
    if (!letter_or_digit) {
      // Punctuation separates like a space: "J.-P." and "J P" fold alike.
      pending_space = !folded.empty();
      continue;
    }
    if (pending_space) folded += ' ';
    pending_space = false;
    if (cp >= 'A' && cp <= 'Z') cp = cp - 'A' + 'a';
    append_utf8(folded, cp);
  }
  return folded;
}

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int k = 0; k < length; ++k) {
    hex += kHex[digest[k] >> 4];
    hex += kHex[digest[k] & 0x0F];
  }
  return hex;
}

std::string email_address_problem(std::string_view address) {
  if (address.empty()) return "is empty";
  if (address.find_first_of(" \t\r\n<>,;\"") != std::string_view::npos) {
    return "has a space, a line break or one of < > , ; \"";
  }
  auto at = address.find('@');
  if (at == std::string_view::npos || address.find('@', at + 1) != std::string_view::npos) {
    return "needs exactly one @";
  }
  if (at == 0) return "has nothing before the @";
  std::string_view domain = address.substr(at + 1);
  if (domain.find('.') == std::string_view::npos || domain.front() == '.' || domain.back() == '.') {
    return "needs a domain like example.org after the @";
  }
  return {};
}

}  // namespace paperbot
