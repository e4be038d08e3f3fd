// OAI-PMH pages of arXiv's bulk-harvesting interface (export.arxiv.org/oai2), ListRecords or
// GetRecord, with metadataPrefix=arXiv:
//   <record><header [status="deleted"]><identifier>oai:arXiv.org:ID</identifier>...</header>
//   <metadata><arXiv><id>ID</id><authors><author><keyname/><forenames/><suffix/></author>...
//   </authors><title/><categories>cs.SE cs.AI</categories><comments/><journal-ref/><doi/>
//   <abstract/></arXiv></metadata></record>
// arXivRaw metadata (authors as one string, one <version> per version) is read as well.
#include "core/feed/feed_formats.hpp"

#include "core/common/text.hpp"

namespace paperbot::feed {
namespace {

// "Forenames Keyname Suffix", as the feeds write names.
std::string author_name(const pugi::xml_node& author) {
  std::string name = collapsed_text(child_named(author, "forenames"));
  for (std::string_view part : {"keyname", "suffix"}) {
    std::string text = collapsed_text(child_named(author, part));
    if (text.empty()) continue;
    if (!name.empty()) name += ' ';
    name += text;
  }
  return name;
}

void read_authors(const pugi::xml_node& authors, Paper& paper) {
  for (pugi::xml_node author = authors.first_child(); author; author = author.next_sibling()) {
    if (author.type() == pugi::node_element && local_name(author) == "author") {
      std::string name = author_name(author);
      if (!name.empty()) paper.authors.push_back(std::move(name));
    }
  }
  // arXivRaw writes the list as the submitter typed it.
  if (paper.authors.empty()) paper.authors = split_author_list(inner_text(authors));
}

Result<Paper> parse_metadata(const pugi::xml_node& metadata, const Source& source) {
  Paper paper;
  int versions = 0;
  for (pugi::xml_node child = metadata.first_child(); child; child = child.next_sibling()) {
    if (child.type() != pugi::node_element) continue;
    std::string_view name = local_name(child);
    if (name == "id") {
      paper.id = collapsed_text(child);
    } else if (name == "title") {
      paper.title = collapsed_text(child);
    } else if (name == "abstract") {
      paper.abstract = collapsed_text(child);
    } else if (name == "authors") {
      read_authors(child, paper);
    } else if (name == "categories") {
      paper.categories = split_trimmed(collapsed_text(child), ' ');
    } else if (name == "comments") {
      paper.comment = collapsed_text(child);
    } else if (name == "journal-ref") {
      paper.journal_ref = collapsed_text(child);
    } else if (name == "doi") {
      paper.doi = collapsed_text(child);
    } else if (name == "version") {
      ++versions;
    }
  }
  if (paper.id.empty())
    return make_error("parse feed", source.position(metadata) + ": record without an arXiv id");
  paper.version = versions > 0 ? versions : 1;
  return paper;
}

// Adds the papers of one <ListRecords> or <GetRecord>.
Result<void> read_records(const pugi::xml_node& list, const Source& source,
                          PaperCollector& papers) {
  for (pugi::xml_node record = list.first_child(); record; record = record.next_sibling()) {
    if (record.type() != pugi::node_element || local_name(record) != "record") continue;

    // A withdrawn record keeps its header and loses its metadata.
    pugi::xml_node header = child_named(record, "header");
    if (std::string_view(header.attribute("status").value()) == "deleted") continue;

    pugi::xml_node metadata = child_named(record, "metadata").first_child();
    while (metadata && metadata.type() != pugi::node_element) metadata = metadata.next_sibling();
    std::string_view format = local_name(metadata);
    if (format != "arXiv" && format != "arXivRaw") {
      return make_error("parse feed", source.position(record) + ": OAI-PMH metadata <" +
                                          std::string(metadata.name()) +
                                          "> is not supported; use metadataPrefix=arXiv");
    }
    auto paper = parse_metadata(metadata, source);
    if (!paper) return paper.error();
    papers.add(std::move(*paper));
  }
  return {};
}

}  // namespace

Result<Feed> parse_oai_pmh(const pugi::xml_node& oai, const Source& source) {
  Feed feed;
  feed.format = FeedFormat::kOaiPmh;
  PaperCollector papers;
  for (pugi::xml_node child = oai.first_child(); child; child = child.next_sibling()) {
    if (child.type() != pugi::node_element) continue;
    std::string_view name = local_name(child);
    if (name == "request") {
      // The set harvested ("cs", "physics:hep-ex") is what the page is for.
      if (std::string_view set = child.attribute("set").value(); !set.empty())
        feed.channels.emplace_back(set);
    } else if (name == "error") {
      // "No records in this range" is an empty answer; every other OAI-PMH error is a failure.
      std::string_view code = child.attribute("code").value();
      if (code == "noRecordsMatch") continue;
      return make_error("parse feed", std::string(source.name) + ": OAI-PMH error " +
                                          std::string(code) + ": " + collapsed_text(child));
    } else if (name == "ListRecords" || name == "GetRecord") {
      if (auto read = read_records(child, source, papers); !read) return read.error();
    }
  }
  feed.papers = papers.take();
  return feed;
}

}  // namespace paperbot::feed
