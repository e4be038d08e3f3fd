#include "core/chat/reply_text.hpp"

#include "core/common/date.hpp"
#include "core/common/text.hpp"
#include "core/feedback/tuning.hpp"

#include <cstdio>

namespace paperbot::chat {

std::string unescape_slack(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::string_view rest = text.substr(i);
    if (rest.starts_with("&amp;")) {
      out += '&';
      i += 4;
    } else if (rest.starts_with("&lt;")) {
      out += '<';
      i += 3;
    } else if (rest.starts_with("&gt;")) {
      out += '>';
      i += 3;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string escape(std::string_view text) {
  return escape_markup(tex_accents_to_utf8(text), false);
}

std::string paper_link(const Paper& paper) {
  // A "|" or ">" in the title would end the link's label early; ">" is escaped, "|" replaced.
  std::string title = escape(collapse_whitespace(paper.title));
  for (char& c : title) {
    if (c == '|') c = '/';
  }
  if (title.empty()) title = paper.id;
  return "<https://arxiv.org/abs/" + paper.id + "|" + title + ">";
}

std::string short_authors(const std::vector<std::string>& authors) {
  constexpr std::size_t kShown = 3;
  std::vector<std::string> shown;
  for (std::size_t i = 0; i < authors.size() && i < kShown; ++i) {
    shown.push_back(escape(collapse_whitespace(authors[i])));
  }
  std::string text = join(shown, ", ");
  if (authors.size() > kShown) text += " et al.";
  return text;
}

std::string audience_label(const ResolvedAudience& audience) {
  if (audience.channel.empty()) return "the output folder";
  // Slack turns a channel mention into the channel's current name.
  if (audience.name.empty() || audience.name == audience.channel) {
    return "<#" + audience.channel + ">";
  }
  return "#" + escape(audience.name);
}

std::string person_label(const std::string& person) {
  if (person == "config") return "the config";
  if (person == feedback::kLearner) return "paperbot (from feedback)";
  if (person.empty()) return "someone";
  return "<@" + escape(person) + ">";
}

std::string format_time(std::chrono::sys_seconds time) {
  auto days = std::chrono::floor<std::chrono::days>(time);
  std::chrono::hh_mm_ss clock{time - days};
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, " %02d:%02d UTC", static_cast<int>(clock.hours().count()),
                static_cast<int>(clock.minutes().count()));
  return format_iso_date(Date{days}) + buffer;
}

std::string format_stored_time(const std::string& iso) {
  // "2025-01-30T06:00:00Z" -> "2025-01-30 06:00 UTC"; anything else is shown as it is.
  if (iso.size() < 16 || iso[10] != 'T') return escape(iso);
  return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
}

std::string fit(std::string text, std::size_t limit) {
  if (text.size() <= limit) return text;
  const std::string note = "\n… (cut to fit one message)";
  std::size_t end = text.rfind('\n', limit - note.size());
  if (end == std::string::npos || end == 0) {
    // One long line: cut before a UTF-8 continuation byte.
    end = limit - note.size();
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  }
  text.resize(end);
  return text + note;
}

std::string shorten(std::string_view text, std::size_t limit) {
  std::string line = collapse_whitespace(text);
  if (line.size() <= limit) return line;
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(line[end]) & 0xC0) == 0x80) --end;
  line.resize(end);
  return line + "…";
}

}  // namespace paperbot::chat
