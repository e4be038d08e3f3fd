// One parser per document format, called by parse_feed once the root element has named the
// format. Each returns the whole feed or the first error, with its position. Internal to
// core/feed.
#pragma once

#include "core/feed/feed_parser.hpp"
#include "core/feed/feed_support.hpp"

#include <pugixml.hpp>

namespace paperbot::feed {

// <rss version="2.0">: arXiv's day feed since 2024.
Result<Feed> parse_rss2(const pugi::xml_node& rss, const Source& source);

// <rdf:RDF>: arXiv's day feed before 2024.
Result<Feed> parse_rss1(const pugi::xml_node& rdf, const Source& source);

// <feed>: an arXiv API (export.arxiv.org/api/query) response.
Result<Feed> parse_atom(const pugi::xml_node& atom_feed, const Source& source);

// <OAI-PMH>: a ListRecords or GetRecord page in the arXiv (or arXivRaw) metadata format.
Result<Feed> parse_oai_pmh(const pugi::xml_node& oai, const Source& source);

}  // namespace paperbot::feed
