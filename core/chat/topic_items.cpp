#include "core/chat/topic_items.hpp"

#include "core/common/text.hpp"

#include <cctype>
#include <cstddef>
#include <utility>

namespace paperbot::chat {
namespace {

// The text split into lines, and where each item's lines are.
struct Layout {
  std::vector<std::string> lines;
  bool ends_with_newline = false;
  std::vector<std::pair<std::size_t, std::size_t>> items;  // first and last line, inclusive
};

// The length of the "N." that starts an item line, or 0 when the line starts no item.
std::size_t number_length(std::string_view line) {
  std::size_t digits = 0;
  while (digits < line.size() && std::isdigit(static_cast<unsigned char>(line[digits])) != 0) {
    ++digits;
  }
  if (digits == 0 || digits >= line.size() || line[digits] != '.') return 0;
  if (digits + 1 < line.size() && line[digits + 1] != ' ' && line[digits + 1] != '\t') return 0;
  return digits + 1;
}

bool is_blank(std::string_view line) {
  return trim(line).empty();
}

bool is_indented(std::string_view line) {
  return !line.empty() && (line[0] == ' ' || line[0] == '\t');
}

Layout read_layout(std::string_view topics) {
  Layout layout;
  if (!topics.empty() && topics.back() == '\n') {
    layout.ends_with_newline = true;
    topics.remove_suffix(1);
  }
  if (!topics.empty() || layout.ends_with_newline) {
    std::size_t start = 0;
    for (;;) {
      std::size_t end = topics.find('\n', start);
      layout.lines.emplace_back(topics.substr(
          start, end == std::string_view::npos ? std::string_view::npos : end - start));
      if (end == std::string_view::npos) break;
      start = end + 1;
    }
  }

  // An item runs over the indented lines after it; blank lines count only when more indented
  // lines follow, so the gap before the next item or paragraph stays outside.
  for (std::size_t i = 0; i < layout.lines.size(); ++i) {
    if (number_length(layout.lines[i]) == 0) continue;
    std::size_t last = i;
    for (std::size_t next = i + 1; next < layout.lines.size(); ++next) {
      const std::string& line = layout.lines[next];
      if (number_length(line) != 0) break;
      if (is_blank(line)) continue;
      if (!is_indented(line)) break;
      last = next;
    }
    layout.items.emplace_back(i, last);
    i = last;
  }
  return layout;
}

void renumber(Layout& layout) {
  int number = 0;
  for (const auto& [first, last] : layout.items) {
    std::string& line = layout.lines[first];
    line = std::to_string(++number) + line.substr(number_length(line) - 1);
  }
}

std::string write_layout(const Layout& layout) {
  std::string text = join(layout.lines, "\n");
  if (layout.ends_with_newline) text += "\n";
  return text;
}

// The lines of a new item numbered `number`; continuation lines are indented to stay in it.
std::vector<std::string> item_lines(int number, std::string_view text) {
  Layout written = read_layout(trim(text));
  std::vector<std::string> lines;
  for (std::string& line : written.lines) {
    if (lines.empty()) {
      lines.push_back(std::to_string(number) + ". " + line);
    } else if (is_blank(line) || is_indented(line)) {
      lines.push_back(std::move(line));
    } else {
      lines.push_back("   " + line);
    }
  }
  if (lines.empty()) lines.push_back(std::to_string(number) + ".");
  return lines;
}

}  // namespace

std::vector<std::string> topic_items(std::string_view topics) {
  Layout layout = read_layout(topics);
  std::vector<std::string> items;
  for (const auto& [first, last] : layout.items) {
    std::vector<std::string> lines(layout.lines.begin() + static_cast<std::ptrdiff_t>(first),
                                   layout.lines.begin() + static_cast<std::ptrdiff_t>(last) + 1);
    items.push_back(join(lines, "\n"));
  }
  return items;
}

std::string add_topic_item(std::string_view topics, std::string_view text) {
  Layout layout = read_layout(topics);
  const int number = static_cast<int>(layout.items.size()) + 1;
  std::vector<std::string> added = item_lines(number, text);

  if (layout.items.empty()) {
    // No list yet: the item goes after whatever text there is, a blank line apart.
    while (!layout.lines.empty() && is_blank(layout.lines.back())) layout.lines.pop_back();
    if (!layout.lines.empty()) layout.lines.emplace_back();
    layout.lines.insert(layout.lines.end(), added.begin(), added.end());
    layout.ends_with_newline = true;
    return write_layout(layout);
  }

  // Follow the list's spacing: a blank line between items if the last two have one, and after a
  // single item.
  const auto [last_first, last_end] = layout.items.back();
  bool blank_between = true;
  if (layout.items.size() >= 2) {
    blank_between = false;
    for (std::size_t i = layout.items[layout.items.size() - 2].second + 1; i < last_first; ++i) {
      blank_between = blank_between || is_blank(layout.lines[i]);
    }
  }
  if (blank_between) added.insert(added.begin(), std::string());

  // Right after the last item: any text after the list keeps the gap it had before it.
  const std::size_t at = last_end + 1;
  layout.lines.insert(layout.lines.begin() + static_cast<std::ptrdiff_t>(at), added.begin(),
                      added.end());
  Layout fresh = read_layout(write_layout(layout));
  renumber(fresh);
  return write_layout(fresh);
}

std::optional<std::string> remove_topic_item(std::string_view topics, int number) {
  Layout layout = read_layout(topics);
  if (number < 1 || static_cast<std::size_t>(number) > layout.items.size()) return std::nullopt;
  const auto [first, last] = layout.items[static_cast<std::size_t>(number - 1)];

  // Take the blank lines after the item with it; for the last thing in the text, the ones before
  // it instead, so the spacing between what remains is unchanged.
  std::size_t begin = first;
  std::size_t end = last + 1;
  while (end < layout.lines.size() && is_blank(layout.lines[end])) ++end;
  if (end == layout.lines.size()) {
    end = last + 1;
    while (begin > 0 && is_blank(layout.lines[begin - 1])) --begin;
  }
  layout.lines.erase(layout.lines.begin() + static_cast<std::ptrdiff_t>(begin),
                     layout.lines.begin() + static_cast<std::ptrdiff_t>(end));

  Layout fresh = read_layout(write_layout(layout));
  renumber(fresh);
  return write_layout(fresh);
}

}  // namespace paperbot::chat
