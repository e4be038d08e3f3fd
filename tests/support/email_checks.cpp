#include "tests/support/email_checks.hpp"

#include "tests/support/test_data.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace paperbot::testing {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  throw std::invalid_argument(std::string("not a hex digit: ") + c);
}

std::string base64_decode(std::string_view text) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (char c : text) {
    if (c == '=') break;
    auto index = kAlphabet.find(c);
    if (index == std::string::npos) throw std::invalid_argument("not base64");
    bits = (bits << 6) | static_cast<unsigned>(index);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xFF);
    }
  }
  return out;
}

// One encoded word's text: "=?charset?B|Q?text?=" without its delimiters checked already.
std::string decode_word(std::string_view word) {
  auto first = word.find('?', 2);
  auto second = word.find('?', first + 1);
  if (first == std::string_view::npos || second != first + 2)
    throw std::invalid_argument("malformed encoded word");
  char encoding = word[first + 1];
  std::string_view text = word.substr(second + 1, word.size() - second - 3);
  if (encoding == 'B' || encoding == 'b') return base64_decode(text);
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '_') {
      out += ' ';
    } else if (text[i] == '=') {
      if (i + 2 >= text.size()) throw std::invalid_argument("escape cut short");
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

constexpr const char* kSummaryScript = R"py(
import email, json, sys
from email import policy
from html.parser import HTMLParser

class TagBalance(HTMLParser):
    """Every element closed in the order it was opened (void elements aside)."""
    VOID = {"meta", "br", "img", "hr", "link", "input"}
    def __init__(self):
        super().__init__()
        self.stack, self.problems = [], []
    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)
    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.problems.append("unexpected </%s>" % tag)
    def finish(self):
        self.close()
        return self.problems + ["unclosed <%s>" % tag for tag in self.stack]

data = open(sys.argv[1], "rb").read()
msg = email.message_from_bytes(data, policy=policy.default)
defects = [repr(d) for d in msg.defects]
parts = []
for part in msg.walk():
    defects += [repr(d) for d in part.defects]
    if part.is_multipart():
        continue
    html_problems = []
    if part.get_content_type() == "text/html":
        checker = TagBalance()
        checker.feed(part.get_content())
        html_problems = checker.finish()
    parts.append({
        "html_problems": html_problems,
        "content_type": part.get_content_type(),
        "charset": part.get_content_charset() or "",
        "transfer_encoding": str(part.get("Content-Transfer-Encoding", "")),
        "content": part.get_content().replace("\r\n", "\n"),
    })
headers, names = {}, []
for name, value in msg.items():
    names.append(name)
    headers.setdefault(name, str(value))
sender = msg["From"].addresses[0]
lines = data.split(b"\r\n")
json.dump({
    "defects": defects,
    "content_type": msg.get_content_type(),
    "headers": headers,
    "header_names": names,
    "from_name": sender.display_name,
    "from_address": sender.addr_spec,
    "parts": parts,
    "max_line": max(len(line) for line in lines),
    "bare_line_feeds": data.replace(b"\r\n", b"").count(b"\n"),
}, sys.stdout)
)py";

}  // namespace

std::string decode_quoted_printable(std::string_view encoded) {
  std::string out;
  const std::vector<std::string> lines = crlf_lines(encoded);
  for (std::size_t n = 0; n < lines.size(); ++n) {
    const std::string& line = lines[n];
    bool soft = !line.empty() && line.back() == '=';
    std::string_view content(line.data(), line.size() - (soft ? 1 : 0));
    for (std::size_t i = 0; i < content.size(); ++i) {
      if (content[i] != '=') {
        out += content[i];
        continue;
      }
      if (i + 2 >= content.size()) throw std::invalid_argument("escape cut by a line end");
      out += static_cast<char>(hex_value(content[i + 1]) * 16 + hex_value(content[i + 2]));
      i += 2;
    }
    // The last line has no CRLF after it (it is empty when the text ended with one).
    if (!soft && n + 1 < lines.size()) out += '\n';
  }
  return out;
}

std::string decode_header_value(std::string_view value) {
  std::string unfolded;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value.substr(i, 2) == "\r\n") {
      ++i;
      continue;
    }
    unfolded += value[i];
  }

  std::string out;
  std::string pending_space;  // whitespace after an encoded word, dropped if another follows
  bool after_word = false;
  for (std::size_t at = 0; at < unfolded.size();) {
    if (unfolded.compare(at, 2, "=?") == 0) {
      std::size_t end = unfolded.find("?=", unfolded.find('?', unfolded.find('?', at + 2) + 1) + 1);
      if (end == std::string::npos) throw std::invalid_argument("unterminated encoded word");
      if (!after_word) out += pending_space;
      pending_space.clear();
      out += decode_word(std::string_view(unfolded).substr(at, end + 2 - at));
      at = end + 2;
      after_word = true;
    } else if (unfolded[at] == ' ' || unfolded[at] == '\t') {
      pending_space += unfolded[at++];
    } else {
      out += pending_space;
      pending_space.clear();
      out += unfolded[at++];
      after_word = false;
    }
  }
  return out + pending_space;
}

std::vector<std::string> crlf_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  for (;;) {
    std::size_t end = text.find("\r\n", at);
    if (end == std::string_view::npos) {
      lines.emplace_back(text.substr(at));
      return lines;
    }
    lines.emplace_back(text.substr(at, end - at));
    at = end + 2;
  }
}

bool every_line_decodes_to_utf8(std::string_view quoted_printable) {
  for (std::string line : crlf_lines(quoted_printable)) {
    if (!line.empty() && line.back() == '=') line.pop_back();
    std::string bytes = decode_quoted_printable(line);
    // A strict UTF-8 check: lead byte, then exactly the continuation bytes it announces.
    for (std::size_t i = 0; i < bytes.size();) {
      auto lead = static_cast<unsigned char>(bytes[i]);
      std::size_t length = lead < 0x80    ? 1
                           : lead >= 0xF0 ? 4
                           : lead >= 0xE0 ? 3
                           : lead >= 0xC0 ? 2
                                          : 0;
      if (length == 0 || i + length > bytes.size()) return false;
      for (std::size_t k = 1; k < length; ++k) {
        if ((static_cast<unsigned char>(bytes[i + k]) & 0xC0) != 0x80) return false;
      }
      i += length;
    }
  }
  return true;
}

Digest sample_digest(std::size_t papers, std::size_t abstract_bytes, std::size_t authors) {
  static const std::vector<std::string> kNames = {
      "Gon\\c{c}alo Paulo", "Ana Mu\\~noz", "Jos\\'e Garc\\'ia",
      "Zo\\\"e M\\\"uller", "Li Wei",       "Kwame Mensah"};
  const std::string sentence =
      "We study sparse autoencoders for $\\mathcal{O}(n \\log n)$ feature recovery & show <gains> "
      "over \"dense\" baselines on café-style benchmarks. ";

  Digest digest;
  digest.date = Date{std::chrono::year(2025), std::chrono::January, std::chrono::day(29)};
  digest.scanned = static_cast<int>(papers * 4);
  digest.unscored = 2;
  digest.scorer = "offline";
  for (std::size_t i = 0; i < papers; ++i) {
    DigestEntry entry;
    entry.paper.id = "2501." + std::to_string(16000 + i);
    entry.paper.title = "Paper " + std::to_string(i + 1) +
                        ": <i>Interpretable</i> features & the \"Gon\\c{c}alo\" bound";
    for (std::size_t k = 0; k < authors; ++k) entry.paper.authors.push_back(kNames[k % 6]);
    while (entry.paper.abstract.size() < abstract_bytes) entry.paper.abstract += sentence;
    entry.paper.abstract.resize(abstract_bytes);
    entry.author_match = i % 3 == 2;
    entry.score.relevance = entry.author_match ? 0 : 9 - static_cast<int>(i % 4);
    entry.score.novelty = entry.author_match ? 0 : 7;
    entry.score.comment = entry.author_match ? "Author match" : "Matches criterion 1: SAEs";
    entry.rank_score = entry.author_match ? 20 : entry.score.relevance + entry.score.novelty;
    digest.entries.push_back(std::move(entry));
  }
  return digest;
}

boost::json::value python_mime_summary(const std::string& message,
                                       const std::filesystem::path& work_dir) {
  const auto script = work_dir / "mime_summary.py";
  const auto eml = work_dir / "message.eml";
  std::ofstream(script) << kSummaryScript;
  std::ofstream(eml, std::ios::binary) << message;

  const std::string command = "python3 '" + script.string() + "' '" + eml.string() + "' 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  char buffer[4096];
  while (std::size_t read = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, read);
  int status = pclose(pipe);
  INFO(output);
  REQUIRE(status == 0);
  boost::system::error_code error;
  boost::json::value summary = boost::json::parse(output, error);
  REQUIRE_FALSE(error);
  return summary;
}

}  // namespace paperbot::testing
