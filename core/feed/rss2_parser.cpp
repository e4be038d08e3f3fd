// arXiv's current day feed (rss.arxiv.org/rss/CATEGORIES). One <item> per paper:
//   <title>, <link>https://arxiv.org/abs/ID</link>,
//   <description>arXiv:IDvN Announce Type: TYPE \nAbstract: ...</description>,
//   <guid>oai:arXiv.org:IDvN</guid>, <category> (primary first), <arxiv:announce_type>,
//   <dc:creator>A, B, C</dc:creator>, and <arxiv:DOI>, <arxiv:journal_reference> when known.
#include "core/feed/feed_formats.hpp"

#include "core/common/text.hpp"

#include <algorithm>

namespace paperbot::feed {
namespace {

// What an item says about itself before it is checked and turned into a Paper.
struct RawItem {
  std::string guid;
  std::string link;
  std::string description;
  std::string creators;
  std::string announce_type;
};

void add_category(Paper& paper, std::string category) {
  if (category.empty()) return;
  auto& categories = paper.categories;
  if (std::find(categories.begin(), categories.end(), category) == categories.end())
    categories.push_back(std::move(category));
}

// Reads every child of <item> once, keeping what a paper needs.
void read_item(const pugi::xml_node& item, Paper& paper, RawItem& raw) {
  for (pugi::xml_node child = item.first_child(); child; child = child.next_sibling()) {
    if (child.type() != pugi::node_element) continue;
    std::string_view name = local_name(child);
    if (name == "title") {
      paper.title = collapsed_text(child);
    } else if (name == "link") {
      raw.link = inner_text(child);
    } else if (name == "description") {
      raw.description = inner_text(child);
    } else if (name == "guid") {
      raw.guid = inner_text(child);
    } else if (name == "category") {
      add_category(paper, collapsed_text(child));
    } else if (name == "announce_type") {
      raw.announce_type = collapsed_text(child);
    } else if (name == "creator") {
      // Several <dc:creator> elements are as good as one comma-separated list.
      if (!raw.creators.empty()) raw.creators += ", ";
      raw.creators += inner_text(child);
    } else if (name == "DOI" || name == "doi") {
      paper.doi = collapsed_text(child);
    } else if (name == "journal_reference" || name == "journal_ref") {
      paper.journal_ref = collapsed_text(child);
    } else if (name == "comment" || name == "comments") {
      paper.comment = collapsed_text(child);
    }
  }
}

// The type written in the description's prefix, for items without <arxiv:announce_type>.
std::string_view announce_type_in_description(std::string_view description) {
  constexpr std::string_view kMarker = "Announce Type:";
  std::size_t start = description.find(kMarker);
  if (start == std::string_view::npos || start > 64) return {};
  std::string_view rest = trim(description.substr(start + kMarker.size()));
  return rest.substr(0, rest.find_first_of(" \t\r\n"));
}

Result<Paper> parse_item(const pugi::xml_node& item, const Source& source) {
  Paper paper;
  RawItem raw;
  read_item(item, paper, raw);

  // The guid, the description's prefix and the link each name the paper; the first two also
  // carry the version.
  std::string_view description = trim(raw.description);
  VersionedId candidates[] = {
      split_versioned_id(id_after(raw.guid, "oai:arXiv.org:")),
      split_versioned_id(description.starts_with("arXiv:") ? id_after(description, "arXiv:")
                                                           : std::string_view{}),
      split_versioned_id(id_after(raw.link, "/abs/")),
  };
  for (const auto& candidate : candidates) {
    if (paper.id.empty()) paper.id = candidate.id;
    if (candidate.id == paper.id && candidate.version > 0) {
      paper.version = candidate.version;
      break;
    }
  }
  if (paper.id.empty())
    return make_error("parse feed", source.position(item) + ": <item> without an arXiv id");

  std::string_view type = raw.announce_type;
  if (type.empty()) type = announce_type_in_description(description);
  if (!type.empty()) {
    auto parsed = parse_announce_type(type);
    if (!parsed) {
      return make_error("parse feed", source.position(item) + ": unknown announce type \"" +
                                          std::string(type) + "\" for " + paper.id);
    }
    paper.announce_type = *parsed;
  }

  paper.abstract = collapse_whitespace(strip_announce_prefix(raw.description));
  paper.authors = split_author_list(raw.creators);
  return paper;
}

}  // namespace

Result<Feed> parse_rss2(const pugi::xml_node& rss, const Source& source) {
  pugi::xml_node channel = child_named(rss, "channel");
  if (!channel)
    return make_error("parse feed", source.position(rss) + ": <rss> without a <channel>");

  Feed feed;
  feed.format = FeedFormat::kRss2;
  std::string link;
  PaperCollector papers;
  for (pugi::xml_node child = channel.first_child(); child; child = child.next_sibling()) {
    if (child.type() != pugi::node_element) continue;
    std::string_view name = local_name(child);
    if (name == "item") {
      auto paper = parse_item(child, source);
      if (!paper) return paper.error();
      papers.add(std::move(*paper));
    } else if (name == "title") {
      feed.title = collapsed_text(child);
    } else if (name == child.name() && name == "link") {
      // Only RSS's own <link>: <atom:link> carries its URL in an attribute instead.
      link = collapsed_text(child);
    } else if (name == "pubDate") {
      feed.announced = parse_rfc822_date(trim(inner_text(child)));
    }
  }

  feed.channels = channels_from(link, feed.title);
  feed.papers = papers.take();
  return feed;
}

}  // namespace paperbot::feed
