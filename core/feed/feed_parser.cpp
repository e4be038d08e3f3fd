// Parses the document once with pugixml, names what went wrong where when it is not XML, and
// hands the tree to the parser of the format its root element names.
#include "core/feed/feed_parser.hpp"

#include "core/feed/feed_formats.hpp"
#include "core/feed/feed_support.hpp"

#include <pugixml.hpp>

namespace paperbot {
namespace {

using feed::Source;

// The byte where an end tag that does not match its start tag begins, or -1 when the mismatch is
// an element left open at the end of the document (pugixml reports both the same way).
std::ptrdiff_t mismatched_end_tag(std::string_view bytes, std::ptrdiff_t offset) {
  // pugixml points at the end tag's name, just after "</".
  std::size_t at = static_cast<std::size_t>(offset);
  if (at >= 2 && at <= bytes.size() && bytes.substr(at - 2, 2) == "</") return offset - 2;
  return -1;
}

std::string_view describe(pugi::xml_parse_status status) {
  switch (status) {
    case pugi::status_unrecognized_tag: return "'<' that starts no tag (write it as &lt;)";
    case pugi::status_bad_pi: return "malformed XML declaration or processing instruction";
    case pugi::status_bad_comment: return "malformed comment";
    case pugi::status_bad_cdata: return "malformed CDATA section";
    case pugi::status_bad_doctype: return "malformed document type declaration";
    case pugi::status_bad_pcdata: return "malformed character data";
    case pugi::status_bad_start_element: return "malformed start tag";
    case pugi::status_bad_attribute: return "malformed attribute";
    case pugi::status_bad_end_element: return "malformed end tag";
    case pugi::status_end_element_mismatch: return "end tag does not match start tag";
    case pugi::status_no_document_element: return "no root element";
    default: return "cannot be read";
  }
}

Error malformed(const Source& source, const pugi::xml_parse_result& result) {
  std::ptrdiff_t offset = result.offset;
  std::string_view what = describe(result.status);
  if (result.status == pugi::status_end_element_mismatch) {
    offset = mismatched_end_tag(source.bytes, result.offset);
    if (offset < 0) {
      offset = static_cast<std::ptrdiff_t>(source.bytes.size());
      what = "document ends before every element is closed";
    }
  }
  return make_error("parse feed",
                    source.position(offset) + ": malformed XML: " + std::string(what));
}

}  // namespace

std::string_view to_string(FeedFormat format) {
  switch (format) {
    case FeedFormat::kRss2: return "RSS 2.0";
    case FeedFormat::kRss1: return "RSS 1.0";
    case FeedFormat::kAtomApi: return "arXiv API (Atom)";
    case FeedFormat::kOaiPmh: return "OAI-PMH";
  }
  return "unknown";
}

Result<Feed> parse_feed(std::string_view bytes, std::string_view source_name) {
  Source source{bytes, source_name};

  // load_buffer copies the bytes, so the caller's buffer is left alone; parse_default decodes
  // entities and normalises line ends, which is all the feeds need.
  pugi::xml_document document;
  pugi::xml_parse_result result =
      document.load_buffer(bytes.data(), bytes.size(), pugi::parse_default, pugi::encoding_auto);
  if (!result) return malformed(source, result);

  pugi::xml_node root = document.document_element();
  std::string_view root_name = feed::local_name(root);
  if (root_name == "rss") return feed::parse_rss2(root, source);
  if (root_name == "RDF") return feed::parse_rss1(root, source);
  if (root_name == "feed") return feed::parse_atom(root, source);
  if (root_name == "OAI-PMH") return feed::parse_oai_pmh(root, source);
  return make_error("parse feed", std::string(source_name) +
                                      ": not an arXiv feed, API response or OAI-PMH page: root "
                                      "element is <" +
                                      root.name() + ">");
}

}  // namespace paperbot
