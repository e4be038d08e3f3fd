// Responses of the arXiv API (export.arxiv.org/api/query), Atom 1.0. One <entry> per paper:
//   <id>http://arxiv.org/abs/IDvN</id>, <title>, <summary>, <author><name>..., <category term>,
//   <arxiv:primary_category term>, and <arxiv:doi>, <arxiv:journal_ref>, <arxiv:comment> when
//   known. Titles and summaries of older responses are hard-wrapped. A failed query answers with
//   a feed of one entry whose id is http://arxiv.org/api/errors#... and whose summary says why.
#include "core/feed/feed_formats.hpp"

#include "core/common/text.hpp"

#include <algorithm>

namespace paperbot::feed {
namespace {

constexpr std::string_view kErrorIdMarker = "/api/errors";

void add_category(std::vector<std::string>& categories, std::string_view term) {
  term = trim(term);
  if (!term.empty() && std::find(categories.begin(), categories.end(), term) == categories.end())
    categories.emplace_back(term);
}

struct RawEntry {
  std::string id;
  std::string primary_category;
  std::vector<std::string> other_categories;
  std::string creators;  // <dc:creator>, used when there are no <author> elements
  std::string announce_type;
};

void read_entry(const pugi::xml_node& entry, Paper& paper, RawEntry& raw) {
  for (pugi::xml_node child = entry.first_child(); child; child = child.next_sibling()) {
    if (child.type() != pugi::node_element) continue;
    std::string_view name = local_name(child);
    if (name == "id") {
      raw.id = collapsed_text(child);
    } else if (name == "title") {
      paper.title = collapsed_text(child);
    } else if (name == "summary") {
      paper.abstract = collapse_whitespace(strip_announce_prefix(inner_text(child)));
    } else if (name == "author") {
      std::string author = collapsed_text(child_named(child, "name"));
      if (!author.empty()) paper.authors.push_back(std::move(author));
    } else if (name == "creator") {
      raw.creators += raw.creators.empty() ? "" : ", ";
      raw.creators += inner_text(child);
    } else if (name == "primary_category") {
      raw.primary_category = child.attribute("term").value();
    } else if (name == "category") {
      add_category(raw.other_categories, child.attribute("term").value());
    } else if (name == "doi") {
      paper.doi = collapsed_text(child);
    } else if (name == "journal_ref") {
      paper.journal_ref = collapsed_text(child);
    } else if (name == "comment") {
      paper.comment = collapsed_text(child);
    } else if (name == "announce_type") {
      raw.announce_type = collapsed_text(child);
    }
  }
}

Result<Paper> parse_entry(const pugi::xml_node& entry, const Source& source) {
  Paper paper;
  RawEntry raw;
  read_entry(entry, paper, raw);

  // API ids are abs URLs; arXiv's Atom day feeds use the OAI identifier instead.
  std::string_view written = id_after(raw.id, "/abs/");
  if (written.empty()) written = id_after(raw.id, "oai:arXiv.org:");
  VersionedId id = split_versioned_id(written);
  if (id.id.empty()) {
    return make_error("parse feed",
                      source.position(entry) + ": <entry> without an arXiv id: \"" + raw.id + "\"");
  }
  paper.id = std::move(id.id);
  paper.version = std::max(id.version, 1);

  // The primary category first, then the others in the order given.
  add_category(paper.categories, raw.primary_category);
  for (const auto& category : raw.other_categories) add_category(paper.categories, category);

  if (paper.authors.empty()) paper.authors = split_author_list(raw.creators);
  if (!raw.announce_type.empty()) {
    auto parsed = parse_announce_type(raw.announce_type);
    if (!parsed) {
      return make_error("parse feed", source.position(entry) + ": unknown announce type \"" +
                                          raw.announce_type + "\" for " + paper.id);
    }
    paper.announce_type = *parsed;
  }
  return paper;
}

}  // namespace

Result<Feed> parse_atom(const pugi::xml_node& atom_feed, const Source& source) {
  Feed feed;
  feed.format = FeedFormat::kAtomApi;
  PaperCollector papers;
  for (pugi::xml_node child = atom_feed.first_child(); child; child = child.next_sibling()) {
    if (child.type() != pugi::node_element) continue;
    std::string_view name = local_name(child);
    if (name == "title") {
      feed.title = collapsed_text(child);
      continue;
    }
    if (name != "entry") continue;

    // The API reports a bad query as an entry; it is the answer, not a paper.
    std::string id = collapsed_text(child_named(child, "id"));
    if (id.find(kErrorIdMarker) != std::string::npos) {
      std::string why = collapsed_text(child_named(child, "summary"));
      return make_error("parse feed", std::string(source.name) +
                                          ": arXiv API error: " + (why.empty() ? id : why));
    }

    auto paper = parse_entry(child, source);
    if (!paper) return paper.error();
    papers.add(std::move(*paper));
  }
  feed.papers = papers.take();
  return feed;
}

}  // namespace paperbot::feed
