// arXiv's day feed before 2024 (RSS 1.0/RDF). Items are children of <rdf:RDF>, after the
// channel, and say less than the current feed:
//   <title>Title. (arXiv:IDvN [primary-category] CROSS LISTED)</title>  (or UPDATED, or nothing)
//   <description>&lt;p&gt;abstract&lt;/p&gt;</description>               (escaped HTML)
//   <dc:creator>&lt;a href="..."&gt;Name&lt;/a&gt;, ...</dc:creator>      (escaped HTML)
#include "core/feed/feed_formats.hpp"

#include "core/common/text.hpp"

#include <algorithm>

namespace paperbot::feed {
namespace {

// What the title's trailing "(arXiv:IDvN [category] MARK)" says.
struct TitleSuffix {
  std::string title;  // without the suffix
  VersionedId id;
  std::string category;
  AnnounceType announce_type = AnnounceType::kNew;
};

TitleSuffix split_title(std::string_view raw) {
  TitleSuffix out;
  std::size_t start = raw.rfind(" (arXiv:");
  if (start == std::string_view::npos) {
    out.title = std::string(raw);
    return out;
  }

  // arXiv ended every title with a period before the suffix; it is not part of the title.
  std::string_view title = trim(raw.substr(0, start));
  if (title.ends_with('.')) title.remove_suffix(1);
  out.title = std::string(title);

  std::string_view suffix = raw.substr(start + 2);
  out.id = split_versioned_id(id_after(suffix, "arXiv:"));
  std::size_t open = suffix.find('[');
  std::size_t close = suffix.find(']', open);
  if (open != std::string_view::npos && close != std::string_view::npos) {
    out.category = std::string(trim(suffix.substr(open + 1, close - open - 1)));
    std::string_view mark = suffix.substr(close + 1);
    if (mark.find("CROSS LISTED") != std::string_view::npos)
      out.announce_type = AnnounceType::kCross;
    else if (mark.find("UPDATED") != std::string_view::npos)
      out.announce_type = AnnounceType::kReplace;
  }
  return out;
}

Result<Paper> parse_item(const pugi::xml_node& item, const std::vector<std::string>& channels,
                         const Source& source) {
  Paper paper;
  std::string link;
  for (pugi::xml_node child = item.first_child(); child; child = child.next_sibling()) {
    if (child.type() != pugi::node_element) continue;
    std::string_view name = local_name(child);
    if (name == "title") {
      TitleSuffix title = split_title(collapsed_text(child));
      paper.title = std::move(title.title);
      paper.id = std::move(title.id.id);
      paper.version = std::max(title.id.version, 1);
      paper.announce_type = title.announce_type;
      if (!title.category.empty()) paper.categories.push_back(std::move(title.category));
    } else if (name == "description") {
      paper.abstract = html_to_text(inner_text(child));
    } else if (name == "creator") {
      auto authors = split_author_list(html_to_text(inner_text(child)));
      paper.authors.insert(paper.authors.end(), authors.begin(), authors.end());
    } else if (name == "link") {
      link = inner_text(child);
    }
  }

  // Titles without the suffix still name the paper in rdf:about and <link>.
  if (paper.id.empty()) {
    std::string_view about = item.attribute("rdf:about").value();
    VersionedId id = split_versioned_id(id_after(about, "/abs/"));
    if (id.id.empty()) id = split_versioned_id(id_after(link, "/abs/"));
    paper.id = std::move(id.id);
    paper.version = std::max(id.version, 1);
  }
  if (paper.id.empty())
    return make_error("parse feed", source.position(item) + ": <item> without an arXiv id");

  // The feed lists a paper because it is in the feed's category, whatever its primary is.
  if (channels.size() == 1 && std::find(paper.categories.begin(), paper.categories.end(),
                                        channels.front()) == paper.categories.end()) {
    paper.categories.push_back(channels.front());
  }
  return paper;
}

}  // namespace

Result<Feed> parse_rss1(const pugi::xml_node& rdf, const Source& source) {
  Feed feed;
  feed.format = FeedFormat::kRss1;

  // The channel comes before the items, but read it first anyway: items need its category.
  pugi::xml_node channel = child_named(rdf, "channel");
  std::string link;
  for (pugi::xml_node child = channel.first_child(); child; child = child.next_sibling()) {
    std::string_view name = local_name(child);
    if (name == "title")
      feed.title = collapsed_text(child);
    else if (name == "link")
      link = collapsed_text(child);
    else if (name == "date")
      feed.announced = parse_iso_timestamp_date(trim(inner_text(child)));
  }
  feed.channels = channels_from(link, feed.title);

  PaperCollector papers;
  for (pugi::xml_node child = rdf.first_child(); child; child = child.next_sibling()) {
    if (child.type() != pugi::node_element || local_name(child) != "item") continue;
    auto paper = parse_item(child, feed.channels, source);
    if (!paper) return paper.error();
    papers.add(std::move(*paper));
  }
  feed.papers = papers.take();
  return feed;
}

}  // namespace paperbot::feed
