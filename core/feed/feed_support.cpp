#include "core/feed/feed_support.hpp"

#include "core/common/text.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>

namespace paperbot::feed {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

void append_inner_text(const pugi::xml_node& node, std::string& out) {
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
    switch (child.type()) {
      case pugi::node_pcdata:
      case pugi::node_cdata: out += child.value(); break;
      case pugi::node_element: append_inner_text(child, out); break;
      default: break;
    }
  }
}

// Decodes the character reference or entity that starts at `text[i]` ('&'). Returns the number
// of bytes consumed, or 0 when it is not one we know (the '&' then stays as written).
std::size_t decode_entity(std::string_view text, std::size_t i, std::string& out) {
  std::size_t end = text.find(';', i);
  if (end == std::string_view::npos || end - i > 12) return 0;
  std::string_view name = text.substr(i + 1, end - i - 1);
  std::size_t consumed = end - i + 1;

  if (name.size() > 1 && name[0] == '#') {
    bool hex = name[1] == 'x' || name[1] == 'X';
    std::string_view digits = name.substr(hex ? 2 : 1);
    std::uint32_t cp = 0;
    auto [ptr, ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
    if (ec != std::errc() || ptr != digits.data() + digits.size() || cp == 0 || cp > 0x10FFFF)
      return 0;
    append_utf8(out, cp);
    return consumed;
  }

  static constexpr std::pair<std::string_view, std::string_view> kNamed[] = {
      {"lt", "<"}, {"gt", ">"}, {"amp", "&"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", " "}};
  for (const auto& [entity, replacement] : kNamed) {
    if (name == entity) {
      out += replacement;
      return consumed;
    }
  }
  return 0;
}

// Tags after which text starts a new block, so their removal must not glue words together.
bool is_block_tag(std::string_view tag) {
  static constexpr std::string_view kBlockTags[] = {"p", "br", "div", "li", "ul", "ol", "tr"};
  return std::find(std::begin(kBlockTags), std::end(kBlockTags), ascii_lower(tag)) !=
         std::end(kBlockTags);
}

// One name of an author list: "and" before the last name and a trailing affiliation removed.
std::string clean_author(std::string_view part) {
  part = trim(part);
  if (part.starts_with("and ")) part = trim(part.substr(4));

  // "Name (Affiliation, Country)": drop the outermost trailing parenthesis, unless it is all.
  if (part.ends_with(')')) {
    int depth = 0;
    for (std::size_t k = part.size(); k-- > 0;) {
      if (part[k] == ')') {
        ++depth;
      } else if (part[k] == '(' && --depth == 0) {
        std::string_view name = trim(part.substr(0, k));
        if (!name.empty()) part = name;
        break;
      }
    }
  }
  return std::string(part);
}

}  // namespace

std::string Source::position(std::ptrdiff_t offset) const {
  std::size_t end =
      std::min(static_cast<std::size_t>(std::max<std::ptrdiff_t>(offset, 0)), bytes.size());
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t k = 0; k < end; ++k) {
    if (bytes[k] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(bytes[k]) & 0xC0) != 0x80) {
      // Continuation bytes of a UTF-8 character do not move the column.
      ++column;
    }
  }
  return std::string(name) + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string Source::position(const pugi::xml_node& node) const {
  // offset_debug points at the element's name; the tag starts one byte earlier, at '<'.
  std::ptrdiff_t offset = node.offset_debug();
  return position(offset > 0 ? offset - 1 : offset);
}

std::string_view local_name(const pugi::xml_node& node) {
  std::string_view name = node.name();
  std::size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child_named(const pugi::xml_node& parent, std::string_view name) {
  for (pugi::xml_node child = parent.first_child(); child; child = child.next_sibling()) {
    if (child.type() == pugi::node_element && local_name(child) == name) return child;
  }
  return {};
}

std::string inner_text(const pugi::xml_node& node) {
  std::string out;
  append_inner_text(node, out);
  return out;
}

std::string collapsed_text(const pugi::xml_node& node) {
  pugi::xml_node first = node.first_child();
  if (first && !first.next_sibling() &&
      (first.type() == pugi::node_pcdata || first.type() == pugi::node_cdata)) {
    return collapse_whitespace(first.value());
  }
  return collapse_whitespace(inner_text(node));
}

VersionedId split_versioned_id(std::string_view text) {
  text = trim(text);
  std::size_t digits = text.size();
  while (digits > 0 && is_digit(text[digits - 1])) --digits;

  // A version is "v" and digits after an id that itself ends in a digit.
  if (digits < text.size() && digits >= 2 && text[digits - 1] == 'v' &&
      is_digit(text[digits - 2])) {
    int version = 0;
    auto [ptr, ec] = std::from_chars(text.data() + digits, text.data() + text.size(), version);
    if (ec == std::errc() && version > 0) return {std::string(text.substr(0, digits - 1)), version};
  }
  return {std::string(text), 0};
}

std::string_view id_after(std::string_view text, std::string_view marker) {
  std::size_t start = text.find(marker);
  if (start == std::string_view::npos) return {};
  text.remove_prefix(start + marker.size());
  std::size_t end = text.find_first_of(" \t\r\n?#");
  return end == std::string_view::npos ? text : text.substr(0, end);
}

std::string_view strip_announce_prefix(std::string_view description) {
  std::string_view text = trim(description);
  if (!text.starts_with("arXiv:")) return description;
  std::size_t type = text.find("Announce Type:");
  if (type == std::string_view::npos) return description;

  // The prefix is short; an "Abstract:" far away would be part of the abstract itself.
  constexpr std::size_t kMaxPrefixTail = 64;
  std::size_t abstract = text.find("Abstract:", type);
  if (abstract != std::string_view::npos && abstract - type <= kMaxPrefixTail)
    return text.substr(abstract + std::string_view("Abstract:").size());

  std::size_t line_end = text.find('\n', type);
  return line_end == std::string_view::npos ? std::string_view{} : text.substr(line_end + 1);
}

std::vector<std::string> split_author_list(std::string_view text) {
  std::string list = collapse_whitespace(text);
  std::string_view view = list;
  std::vector<std::string> authors;
  auto flush = [&](std::size_t begin, std::size_t end) {
    std::string author = clean_author(view.substr(begin, end - begin));
    if (!author.empty()) authors.push_back(std::move(author));
  };

  int depth = 0;
  std::size_t start = 0;
  for (std::size_t k = 0; k < view.size(); ++k) {
    char c = view[k];
    if (c == '(' || c == '{' || c == '[') {
      ++depth;
    } else if (c == ')' || c == '}' || c == ']') {
      depth = std::max(depth - 1, 0);
    } else if (depth == 0 && c == ',') {
      flush(start, k);
      start = k + 1;
    } else if (depth == 0 && view.substr(k).starts_with(" and ")) {
      flush(start, k);
      start = k + 5;
      k += 4;
    }
  }
  flush(start, view.size());
  return authors;
}

std::string html_to_text(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  for (std::size_t k = 0; k < html.size(); ++k) {
    char c = html[k];
    bool tag_start = c == '<' && k + 1 < html.size() &&
                     (is_alpha(html[k + 1]) || html[k + 1] == '/' || html[k + 1] == '!');
    std::size_t tag_end = tag_start ? html.find('>', k) : std::string_view::npos;
    if (tag_end != std::string_view::npos) {
      std::string_view tag = html.substr(k + 1, tag_end - k - 1);
      if (tag.starts_with('/')) tag.remove_prefix(1);
      tag = tag.substr(0, tag.find_first_of(" \t\r\n/"));
      if (is_block_tag(tag)) out += ' ';
      k = tag_end;
      continue;
    }
    if (c == '&') {
      if (std::size_t consumed = decode_entity(html, k, out); consumed > 0) {
        k += consumed - 1;
        continue;
      }
    }
    out += c;
  }
  return collapse_whitespace(out);
}

std::vector<std::string> channels_from(std::string_view link, std::string_view title) {
  for (std::string_view marker : {"/rss/", "/atom/"}) {
    std::string_view names = id_after(link, marker);
    names = names.substr(0, names.find('/'));
    if (!names.empty()) return split_trimmed(names, '+');
  }
  std::size_t end = title.find(" updates on ");
  if (end == std::string_view::npos) return {};
  return split_trimmed(title.substr(0, end), ',');
}

void PaperCollector::add(Paper paper) {
  auto [found, inserted] = index_by_id_.try_emplace(paper.id, papers_.size());
  if (inserted) {
    papers_.push_back(std::move(paper));
    return;
  }
  auto& categories = papers_[found->second].categories;
  for (auto& category : paper.categories) {
    if (std::find(categories.begin(), categories.end(), category) == categories.end())
      categories.push_back(std::move(category));
  }
}

}  // namespace paperbot::feed
