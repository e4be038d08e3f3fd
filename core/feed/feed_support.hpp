// Pieces shared by the format parsers of core/feed: element lookup that ignores namespace
// prefixes, text extraction, arXiv id and author-list splitting, positions for error messages,
// and the collector that keeps one paper per id. Internal to core/feed; tests include it to check
// the pieces one by one.
#pragma once

#include "core/common/paper.hpp"
#include "core/common/result.hpp"

#include <pugixml.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace paperbot::feed {

// The bytes being parsed and where they came from, so that any step can name a position.
struct Source {
  std::string_view bytes;
  std::string_view name;  // a path or a URL

  // "name:line:column" for a byte offset into `bytes` (both 1-based; columns count UTF-8
  // characters, not bytes, so they match what an editor shows).
  std::string position(std::ptrdiff_t offset) const;
  // The position of an element's start tag.
  std::string position(const pugi::xml_node& node) const;
};

// An element's name without its namespace prefix: "arxiv:announce_type" -> "announce_type".
// arXiv's documents bind the same namespaces to different prefixes (or to none, declared on each
// element), so the parsers match on local names within the elements they already know.
std::string_view local_name(const pugi::xml_node& node);

// The first child element with that local name, or an empty node.
pugi::xml_node child_named(const pugi::xml_node& parent, std::string_view name);

// All character data below `node` (text and CDATA, at any depth), concatenated as written.
std::string inner_text(const pugi::xml_node& node);

// inner_text with whitespace collapsed. Most elements hold a single run of text, which is read
// in place rather than copied first: on a 20 MB harvest the copies were a tenth of the time.
std::string collapsed_text(const pugi::xml_node& node);

// An arXiv id split from its version: "2501.16396v2" -> {"2501.16396", 2},
// "hep-ex/0601001" -> {"hep-ex/0601001", 0}. Version 0 means none was written.
struct VersionedId {
  std::string id;
  int version = 0;
};
VersionedId split_versioned_id(std::string_view text);

// The id written after the last marker in a URL or identifier: "/abs/" in
// "http://arxiv.org/abs/1111.2011v2", "oai:arXiv.org:" in a guid, "arXiv:" in a description.
// Empty when the marker is absent.
std::string_view id_after(std::string_view text, std::string_view marker);

// The abstract of an arXiv feed description, without its
// "arXiv:2501.16337v1 Announce Type: new \nAbstract: " prefix; text without that prefix is
// returned unchanged.
std::string_view strip_announce_prefix(std::string_view description);

// Splits a list of author names as arXiv's feeds write it: "A, B, and C", "A and B",
// "A (Univ. X, Country), B". Commas and "and" inside parentheses or braces do not split, and a
// parenthesised affiliation after a name is dropped so that the name compares with the names in
// authors.txt. TeX accents are left as written.
std::vector<std::string> split_author_list(std::string_view text);

// Plain text of an HTML fragment, as the RSS 1.0 feed writes descriptions and authors: tags
// removed, character references and the common named entities decoded, whitespace collapsed.
std::string html_to_text(std::string_view html);

// The categories a feed is for: from its link ("http://rss.arxiv.org/rss/cs.LG+cs.AI") when the
// link names them, else from its title ("hep-ex updates on arXiv.org").
std::vector<std::string> channels_from(std::string_view link, std::string_view title);

// Keeps papers in the order first seen and one paper per id: a paper listed again (in another
// category of a combined feed) adds its categories to the first listing and is otherwise dropped.
class PaperCollector {
 public:
  void add(Paper paper);
  std::vector<Paper> take() { return std::move(papers_); }

 private:
  std::vector<Paper> papers_;
  std::unordered_map<std::string, std::size_t> index_by_id_;
};

}  // namespace paperbot::feed
