// Tests of core/feed: real feeds of every format read in place from ../shared/data, and small
// self-written documents for the edge cases the real ones do not show.
#include "core/common/date.hpp"
#include "core/feed/feed_parser.hpp"
#include "core/feed/feed_support.hpp"
#include "tests/support/test_data.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace paperbot {
namespace {

using Strings = std::vector<std::string>;

Date ymd(int year, unsigned month, unsigned day) {
  return Date{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
}

Feed parse_file(const std::filesystem::path& path) {
  auto feed = parse_feed(testing::read_file(path), path.string());
  INFO((feed ? std::string() : feed.error().to_string()));
  REQUIRE(feed.has_value());
  return *feed;
}

Feed parse_text(std::string_view xml) {
  auto feed = parse_feed(xml, "inline.xml");
  INFO((feed ? std::string() : feed.error().to_string()));
  REQUIRE(feed.has_value());
  return *feed;
}

std::string parse_error(std::string_view xml, std::string_view source = "feed.xml") {
  auto feed = parse_feed(xml, source);
  REQUIRE_FALSE(feed.has_value());
  CHECK(feed.error().step == "parse feed");
  return feed.error().message;
}

const Paper& paper_with_id(const Feed& feed, std::string_view id) {
  auto found = std::find_if(feed.papers.begin(), feed.papers.end(),
                            [&](const Paper& paper) { return paper.id == id; });
  INFO("paper " << id);
  REQUIRE(found != feed.papers.end());
  return *found;
}

std::map<AnnounceType, int> count_types(const Feed& feed) {
  std::map<AnnounceType, int> counts;
  for (const auto& paper : feed.papers) ++counts[paper.announce_type];
  return counts;
}

// An RSS 2.0 feed around the given items, as arXiv writes it.
std::string rss2(std::string_view items) {
  return std::string(R"(<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:atom="http://www.w3.org/2005/Atom" version="2.0">
  <channel>
    <title>cs.LG, stat.ML updates on arXiv.org</title>
    <link>http://rss.arxiv.org/rss/cs.LG+stat.ML</link>
    <atom:link href="http://rss.arxiv.org/rss/cs.LG+stat.ML" rel="self"/>
    <pubDate>Tue, 03 Jun 2025 00:00:00 -0400</pubDate>
)") + std::string(items) +
         "  </channel>\n</rss>\n";
}

std::string rss2_item(std::string_view id, std::string_view category, std::string_view creators,
                      std::string_view title = "A title") {
  return "<item><title>" + std::string(title) + "</title><link>https://arxiv.org/abs/" +
         std::string(id) + "</link><description>arXiv:" + std::string(id) +
         "v1 Announce Type: new \nAbstract: Text.</description><guid>oai:arXiv.org:" +
         std::string(id) + "v1</guid><category>" + std::string(category) +
         "</category><arxiv:announce_type>new</arxiv:announce_type><dc:creator>" +
         std::string(creators) + "</dc:creator></item>\n";
}

}  // namespace

// ---- RSS 2.0: real days --------------------------------------------------------------------

TEST_CASE("the 2025-01-29 day feed has 125 new papers announced that day", "[feed][rss2]") {
  PAPERBOT_SHARED_DATA_FILE(path, "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  Feed feed = parse_file(path);

  CHECK(feed.format == FeedFormat::kRss2);
  CHECK(feed.title == "cs.LG, cs.AI updates on arXiv.org");
  CHECK(feed.channels == Strings{"cs.LG", "cs.AI"});
  REQUIRE(feed.announced);
  CHECK(*feed.announced == ymd(2025, 1, 29));
  CHECK(feed.papers.size() == 125);
  CHECK(count_types(feed)[AnnounceType::kNew] == 125);
}

TEST_CASE("an RSS 2.0 item becomes a paper without the description's prefix", "[feed][rss2]") {
  PAPERBOT_SHARED_DATA_FILE(path, "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  Feed feed = parse_file(path);
  REQUIRE_FALSE(feed.papers.empty());

  const Paper& first = feed.papers.front();
  CHECK(first.id == "2501.16337");
  CHECK(first.version == 1);
  CHECK(first.versioned_id() == "2501.16337v1");
  CHECK(
      first.title ==
      "Explore Activation Sparsity in Recurrent LLMs for Energy-Efficient Neuromorphic Computing");
  REQUIRE(first.authors.size() == 6);
  CHECK(first.authors.front() == "Ivan Knunyants");
  CHECK(first.authors.back() == "Guangzhi Tang");
  CHECK(first.abstract.starts_with("The recent rise of Large Language Models (LLMs) has "));
  CHECK(first.abstract.find("Announce Type") == std::string::npos);
  CHECK(first.abstract.ends_with("training-free on-chip adaptation using activation sparsity."));
  CHECK(first.categories.empty());  // this reconstructed day has no <category> elements
}

TEST_CASE("TeX accents in dc:creator are kept as arXiv wrote them", "[feed][rss2]") {
  PAPERBOT_SHARED_DATA_FILE(path, "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  Feed feed = parse_file(path);

  const Paper& paper = paper_with_id(feed, "2501.16615");
  CHECK(paper.title == "Sparse Autoencoders Trained on the Same Data Learn Different Features");
  CHECK(paper.authors == Strings{"Gon\\c{c}alo Paulo", "Nora Belrose"});
}

TEST_CASE("the cs.CV day has every announce type, with categories primary first", "[feed][rss2]") {
  PAPERBOT_SHARED_DATA_FILE(path, "arxiv/days/2026-04-21.cs.CV.rss.xml");
  Feed feed = parse_file(path);

  CHECK(feed.papers.size() == 501);
  auto counts = count_types(feed);
  CHECK(counts[AnnounceType::kNew] == 276);
  CHECK(counts[AnnounceType::kCross] == 48);
  CHECK(counts[AnnounceType::kReplace] == 138);
  CHECK(counts[AnnounceType::kReplaceCross] == 39);

  // Cross-lists are in cs.CV without being primary there; new papers are primary in cs.CV.
  for (const auto& paper : feed.papers) {
    INFO(paper.versioned_id());
    REQUIRE_FALSE(paper.categories.empty());
    bool cross = paper.announce_type == AnnounceType::kCross ||
                 paper.announce_type == AnnounceType::kReplaceCross;
    CHECK((paper.primary_category() == "cs.CV") == !cross);
  }

  const Paper& first = feed.papers.front();
  CHECK(first.id == "2604.16976");
  CHECK(first.categories == Strings{"cs.CV", "cs.GR"});
  CHECK(first.authors.front() == "Zhiyong Su");
}

TEST_CASE("'and' before the last author does not become part of a name", "[feed][rss2]") {
  PAPERBOT_SHARED_DATA_FILE(path, "arxiv/days/2026-04-21.cs.CV.rss.xml");
  Feed feed = parse_file(path);

  const Paper& paper = paper_with_id(feed, "2604.16446");
  CHECK(paper.authors == Strings{"Junwen Ma", "Huhu Xue", "Xingyuan Zhao", "Weicheng Fu"});
}

TEST_CASE("the combined 2025-06-03 feed keeps names apart from their affiliations",
          "[feed][rss2]") {
  PAPERBOT_SHARED_DATA_FILE(path, "arxiv/days/2025-06-03.cs.CL+cs.CV+cs.MM+cs.LG+cs.SI.rss.xml");
  Feed feed = parse_file(path);

  CHECK(feed.papers.size() == 1506);
  CHECK(feed.channels == Strings{"cs.CL", "cs.CV", "cs.MM", "cs.LG", "cs.SI"});
  std::set<std::string> ids;
  for (const auto& paper : feed.papers) ids.insert(paper.id);
  CHECK(ids.size() == 1506);

  // "Shitong Shao (Hong Kong University of Science and Technology, Mohamed Bin Zayed ...)"
  const Paper& paper = paper_with_id(feed, "2506.01942");
  CHECK(paper.authors ==
        Strings{"Salwa K. Al Khatib", "Ahmed ElHagry", "Shitong Shao", "Zhiqiang Shen"});
}

TEST_CASE("a real four-item feed: cross-list, replacement and DOI", "[feed][rss2]") {
  PAPERBOT_SHARED_DATA_FILE(path, "arxiv/rss2/real-2026-09-24-4-items.xml");
  Feed feed = parse_file(path);

  CHECK(feed.channels == Strings{"cs.LG", "cs.AI", "cs.CL", "stat.ML"});
  REQUIRE(feed.papers.size() == 4);

  const Paper& cross = feed.papers[2];
  CHECK(cross.versioned_id() == "2205.06398v2");
  CHECK(cross.announce_type == AnnounceType::kCross);
  CHECK(cross.categories == Strings{"stat.ME", "stat.AP", "stat.ML"});
  CHECK(cross.doi == "10.1093/bioinformatics/btac431");
  CHECK(cross.authors == Strings{"Pritam Dey", "Zhengwu Zhang", "David B. Dunson"});

  const Paper& replaced = feed.papers[3];
  CHECK(replaced.versioned_id() == "2009.13987v3");
  CHECK(replaced.announce_type == AnnounceType::kReplace);
  CHECK(replaced.doi.empty());
}

TEST_CASE("a replace-cross item with journal reference", "[feed][rss2]") {
  PAPERBOT_SHARED_DATA_FILE(path, "arxiv/rss2/assembled-from-spec.xml");
  Feed feed = parse_file(path);

  const Paper& paper = paper_with_id(feed, "2203.01250");
  CHECK(paper.version == 3);
  CHECK(paper.announce_type == AnnounceType::kReplaceCross);
  CHECK(paper.categories == Strings{"math.AP", "math.OC"});
  CHECK(paper.doi == "10.5802/jep.257");
  CHECK(paper.journal_ref.starts_with("Journal de l'\\'Ecole polytechnique"));
  CHECK(paper.abstract.starts_with("We consider first order local minimization problems"));
}

TEST_CASE("the empty holiday feed is a feed with no papers", "[feed][rss2]") {
  PAPERBOT_SHARED_DATA_FILE(path, "arxiv/rss2/real-empty-holiday-2025-12-31.xml");
  Feed feed = parse_file(path);

  CHECK(feed.papers.empty());
  CHECK(feed.channels == Strings{"physics"});
  REQUIRE(feed.announced);
  CHECK(*feed.announced == ymd(2025, 12, 31));
}

// ---- RSS 2.0: written here -----------------------------------------------------------------

TEST_CASE("a paper listed under two categories is one paper with both", "[feed][rss2]") {
  Feed feed = parse_text(rss2(rss2_item("2506.00001", "cs.LG", "A. Author") +
                              rss2_item("2506.00002", "cs.LG", "B. Author") +
                              rss2_item("2506.00001", "stat.ML", "A. Author", "Listed again")));

  REQUIRE(feed.papers.size() == 2);
  CHECK(feed.papers[0].id == "2506.00001");
  CHECK(feed.papers[0].title == "A title");  // the first listing wins
  CHECK(feed.papers[0].categories == Strings{"cs.LG", "stat.ML"});
  CHECK(feed.papers[1].id == "2506.00002");
  REQUIRE(feed.announced);
  CHECK(*feed.announced == ymd(2025, 6, 3));
}

TEST_CASE("entities are decoded and whitespace collapsed", "[feed][rss2]") {
  Feed feed =
      parse_text(rss2(rss2_item("2506.00003", "cs.LG", "Ren&#233; Descartes and Bo &amp; Co",
                                "Less &lt;is&gt;\n   more: &quot;quotes&quot; &amp;\tthings")));

  REQUIRE(feed.papers.size() == 1);
  CHECK(feed.papers[0].title == "Less <is> more: \"quotes\" & things");
  CHECK(feed.papers[0].authors == Strings{"René Descartes", "Bo & Co"});
}

TEST_CASE("old-style ids and missing prefixes in RSS 2.0 items", "[feed][rss2]") {
  Feed feed = parse_text(rss2(R"(
    <item><title>Old</title><link>https://arxiv.org/abs/hep-ex/0601001</link>
      <description>A plain abstract.</description>
      <guid isPermaLink="false">oai:arXiv.org:hep-ex/0601001v4</guid>
      <dc:creator>Only One</dc:creator></item>)"));

  REQUIRE(feed.papers.size() == 1);
  CHECK(feed.papers[0].id == "hep-ex/0601001");
  CHECK(feed.papers[0].version == 4);
  CHECK(feed.papers[0].abstract == "A plain abstract.");
  CHECK(feed.papers[0].announce_type == AnnounceType::kNew);
}

TEST_CASE("an item without an id or with an unknown type is an error at its line", "[feed][rss2]") {
  std::string no_id = rss2("    <item><title>Nothing to go by</title></item>\n");
  CHECK(parse_error(no_id) == "feed.xml:9:5: <item> without an arXiv id");

  std::string odd_type = rss2(
      "    <item><guid>oai:arXiv.org:2506.00004v1</guid>"
      "<arxiv:announce_type>sideways</arxiv:announce_type></item>\n");
  CHECK(parse_error(odd_type) == "feed.xml:9:5: unknown announce type \"sideways\" for 2506.00004");
}

// ---- RSS 1.0 -------------------------------------------------------------------------------

TEST_CASE("the old RSS 1.0 feed: title suffixes, HTML authors and abstracts", "[feed][rss1]") {
  PAPERBOT_SHARED_DATA_FILE(path, "arxiv/rss1/real-hep-ex-2018-05-23-trimmed.rdf");
  Feed feed = parse_file(path);

  CHECK(feed.format == FeedFormat::kRss1);
  CHECK(feed.channels == Strings{"hep-ex"});
  REQUIRE(feed.announced);
  CHECK(*feed.announced == ymd(2018, 5, 23));
  REQUIRE(feed.papers.size() == 3);

  const Paper& fresh = feed.papers[0];
  CHECK(fresh.versioned_id() == "1805.08875v1");
  CHECK(fresh.title == "Measurement of Transverse Single Spin Asymmetries");
  CHECK(fresh.announce_type == AnnounceType::kNew);
  CHECK(fresh.authors == Strings{"Christopher Dilks"});
  CHECK(fresh.categories == Strings{"hep-ex"});
  CHECK(fresh.abstract.starts_with("In 2015 the first collisions"));
  CHECK(fresh.abstract.find("<p>") == std::string::npos);
  CHECK(fresh.abstract.find("range of $2.6<\\eta<4$.") != std::string::npos);

  CHECK(feed.papers[1].announce_type == AnnounceType::kCross);
  CHECK(feed.papers[1].title == "Recent Top quark results from the Tevatron");

  const Paper& updated = feed.papers[2];
  CHECK(updated.versioned_id() == "1805.06430v2");
  CHECK(updated.announce_type == AnnounceType::kReplace);
  CHECK(updated.categories == Strings{"nucl-th", "hep-ex"});
  REQUIRE(updated.authors.size() == 6);
  CHECK(updated.authors[4] == "Craig D. Roberts");
}

// ---- Atom (arXiv API) ----------------------------------------------------------------------

TEST_CASE("a 2016 API response: wrapped titles, DOI, journal reference, comment", "[feed][atom]") {
  PAPERBOT_SHARED_DATA_FILE(path,
                            "arxiv/atom/legacy_2016_search_del_maestro_quantum_criticality.xml");
  Feed feed = parse_file(path);

  CHECK(feed.format == FeedFormat::kAtomApi);
  CHECK_FALSE(feed.announced);
  REQUIRE(feed.papers.size() == 2);

  const Paper& first = feed.papers[0];
  CHECK(first.versioned_id() == "1111.2011v2");
  CHECK(first.title ==
        "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity "
        "Limit");
  CHECK(first.authors == Strings{"James M. Murray", "Adrian Del Maestro", "Zlatko Tesanovic"});
  CHECK(
      first.abstract.starts_with("Theoretical description of anisotropic systems, such as "
                                 "layered superconductors and coupled"));
  CHECK(first.categories == Strings{"cond-mat.str-el", "cond-mat.stat-mech"});
  CHECK(first.doi == "10.1103/PhysRevB.85.115117");
  CHECK(first.journal_ref == "Phys. Rev. B 85, 115117 (2012)");
  CHECK(first.comment == "8 pages, 3 figures. Published version");
  CHECK(first.announce_type == AnnounceType::kNew);

  CHECK(feed.papers[1].versioned_id() == "cond-mat/0607501v2");
}

TEST_CASE("an old-style id from the API", "[feed][atom]") {
  PAPERBOT_SHARED_DATA_FILE(path, "arxiv/atom/id_astro-ph_0601001_s0_m100_3150dca9dc76.xml");
  Feed feed = parse_file(path);

  REQUIRE(feed.papers.size() == 1);
  CHECK(feed.papers[0].id == "astro-ph/0601001");
  CHECK(feed.papers[0].version == 1);
  CHECK(feed.papers[0].journal_ref == "ActaAstron.56:1-50,2006");
  CHECK(feed.papers[0].authors.front() == "Andrew Gould");  // affiliations are not names
}

TEST_CASE("the API's primary category comes first whatever the element order", "[feed][atom]") {
  PAPERBOT_SHARED_DATA_FILE(path, "arxiv/atom/q_testing_s0_m100_cfe7536492ca.xml");
  Feed feed = parse_file(path);

  CHECK(feed.papers.size() == 100);
  const Paper& paper = paper_with_id(feed, "2202.12139");
  CHECK(paper.categories.front() == "cs.SE");
  CHECK(paper.doi == "10.1109/ICSTW55395.2022.00035");

  Feed inline_feed = parse_text(R"(<feed xmlns="http://www.w3.org/2005/Atom"
      xmlns:arxiv="http://arxiv.org/schemas/atom"><entry>
    <id>http://arxiv.org/abs/2401.00001v3</id><title>T</title><summary>S</summary>
    <category term="cs.AI"/><category term="cs.LG"/><arxiv:primary_category term="cs.LG"/>
  </entry></feed>)");
  REQUIRE(inline_feed.papers.size() == 1);
  CHECK(inline_feed.papers[0].categories == Strings{"cs.LG", "cs.AI"});
  CHECK(inline_feed.papers[0].version == 3);
}

TEST_CASE("Atom entries in the day-feed style: OAI ids, prefixed summaries, dc:creator",
          "[feed][atom]") {
  Feed feed = parse_text(R"(<feed xmlns="http://www.w3.org/2005/Atom"
      xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <entry><id>oai:arXiv.org:2401.00002v2</id><title>T</title>
    <summary>arXiv:2401.00002v2 Announce Type: replace
Abstract: The body.</summary><category term="cs.CL"/>
    <arxiv:announce_type>replace</arxiv:announce_type><dc:creator>A One, B Two</dc:creator>
  </entry></feed>)");

  REQUIRE(feed.papers.size() == 1);
  const Paper& paper = feed.papers[0];
  CHECK(paper.versioned_id() == "2401.00002v2");
  CHECK(paper.abstract == "The body.");
  CHECK(paper.announce_type == AnnounceType::kReplace);
  CHECK(paper.authors == Strings{"A One", "B Two"});
}

TEST_CASE("the API's error feed is an error with its reason", "[feed][atom]") {
  PAPERBOT_SHARED_DATA_FILE(path, "arxiv/atom/id_abc_s0_m100_b79c8dcf6bc3.xml");
  auto feed = parse_feed(testing::read_file(path), "api.xml");

  REQUIRE_FALSE(feed.has_value());
  CHECK(feed.error().message == "api.xml: arXiv API error: incorrect id format for abc");

  PAPERBOT_SHARED_DATA_FILE(manual, "arxiv/atom/api_error_response_user_manual.xml");
  auto manual_feed = parse_feed(testing::read_file(manual), "manual.xml");
  REQUIRE_FALSE(manual_feed.has_value());
  CHECK(manual_feed.error().message.find("incorrect id format for 1234.12345") !=
        std::string::npos);
}

TEST_CASE("an empty API result is a feed with no papers", "[feed][atom]") {
  PAPERBOT_SHARED_DATA_FILE(path, "arxiv/atom/id_0000.0000_s0_m100_8b51d9633a68.xml");
  Feed feed = parse_file(path);
  CHECK(feed.papers.empty());
}

// ---- OAI-PMH -------------------------------------------------------------------------------

TEST_CASE("an OAI-PMH page of 1,000 arXiv records", "[feed][oai]") {
  PAPERBOT_SHARED_DATA_FILE(path, "arxiv/oai-pmh/oai-pmh_ListRecords_arXiv_set-cs_2016_part84.xml");
  Feed feed = parse_file(path);

  CHECK(feed.format == FeedFormat::kOaiPmh);
  REQUIRE(feed.papers.size() == 1000);

  const Paper& first = feed.papers.front();
  CHECK(first.versioned_id() == "1508.07275v1");
  CHECK(first.title ==
        "A Comparison Between Decision Trees and Decision Tree Forest Models for Software "
        "Development Effort Estimation");
  CHECK(first.authors ==
        Strings{"Ali Bou Nassif", "Mohammad Azzeh", "Luiz Fernando Capretz", "Danny Ho"});
  CHECK(first.categories == Strings{"cs.SE", "cs.AI"});
  CHECK(first.doi == "10.1109/ICCITechnology.2013.6579553");
  CHECK(first.comment.starts_with("3rd International Conference on Communications"));
  CHECK(first.abstract.starts_with("Accurate software effort estimation"));

  // "T&#xf3;th" in the source.
  CHECK(paper_with_id(feed, "1508.07289").authors.back() == "Csaba D. T\xc3\xb3th");
}

TEST_CASE("OAI-PMH: arXivRaw versions, deleted records, and OAI errors", "[feed][oai]") {
  Feed feed = parse_text(R"(<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
<request verb="ListRecords" set="cs">http://export.arxiv.org/oai2</request>
<ListRecords>
<record><header status="deleted"><identifier>oai:arXiv.org:1501.00001</identifier></header>
</record>
<record><header><identifier>oai:arXiv.org:1501.00002</identifier></header><metadata>
<arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/"><id>1501.00002</id>
<version version="v1"/><version version="v2"/><version version="v3"/>
<title>Raw</title><authors>Ann Lee, Bo Chen and Cy Dunn</authors>
<categories>cs.DS math.CO</categories><abstract>  Text
here. </abstract></arXivRaw></metadata></record>
</ListRecords></OAI-PMH>)");

  CHECK(feed.channels == Strings{"cs"});
  REQUIRE(feed.papers.size() == 1);
  CHECK(feed.papers[0].versioned_id() == "1501.00002v3");
  CHECK(feed.papers[0].authors == Strings{"Ann Lee", "Bo Chen", "Cy Dunn"});
  CHECK(feed.papers[0].categories == Strings{"cs.DS", "math.CO"});
  CHECK(feed.papers[0].abstract == "Text here.");

  Feed none = parse_text(
      R"(<OAI-PMH><error code="noRecordsMatch">nothing in this range</error></OAI-PMH>)");
  CHECK(none.papers.empty());

  CHECK(parse_error(R"(<OAI-PMH><error code="badResumptionToken">expired</error></OAI-PMH>)",
                    "oai.xml") == "oai.xml: OAI-PMH error badResumptionToken: expired");
}

// ---- Errors --------------------------------------------------------------------------------

TEST_CASE("malformed XML names the source, line and column", "[feed][errors]") {
  std::string mismatch =
      "<?xml version='1.0'?>\n"
      "<rss version=\"2.0\">\n"
      "  <channel>\n"
      "    <item>\n"
      "      <title>\xc3\xa9</titel>\n";  // an accented letter is one column
  CHECK(parse_error(mismatch) == "feed.xml:5:15: malformed XML: end tag does not match start tag");

  CHECK(parse_error("<rss version=2.0></rss>") ==
        "feed.xml:1:14: malformed XML: malformed attribute");
  CHECK(parse_error("<rss>\n<channel>") ==
        "feed.xml:2:10: malformed XML: document ends before every element is closed");
  CHECK(parse_error("") == "feed.xml:1:1: malformed XML: no root element");
}

TEST_CASE("a well-formed document of another kind names its root element", "[feed][errors]") {
  CHECK(parse_error("<html><body>Service unavailable</body></html>", "https://x/rss") ==
        "https://x/rss: not an arXiv feed, API response or OAI-PMH page: root element is <html>");

  PAPERBOT_SHARED_DATA_FILE(path, "arxiv/atom/entries-only-cs.DS-2060.xml");
  std::string message = parse_error(testing::read_file(path));
  CHECK(message.find("<articles>") != std::string::npos);
}

// ---- Helpers -------------------------------------------------------------------------------

TEST_CASE("split_versioned_id", "[feed][support]") {
  using feed::split_versioned_id;
  CHECK(split_versioned_id("2501.16396v2").id == "2501.16396");
  CHECK(split_versioned_id("2501.16396v2").version == 2);
  CHECK(split_versioned_id("2501.16396v12").version == 12);
  CHECK(split_versioned_id("2501.16396").version == 0);
  CHECK(split_versioned_id("hep-ex/0601001v1").id == "hep-ex/0601001");
  CHECK(split_versioned_id("hep-ex/0601001").id == "hep-ex/0601001");
  CHECK(split_versioned_id("solv-int/9901001").version == 0);
  CHECK(split_versioned_id("").id.empty());
}

TEST_CASE("split_author_list", "[feed][support]") {
  using feed::split_author_list;
  CHECK(split_author_list("A One, B Two, and C Three") == Strings{"A One", "B Two", "C Three"});
  CHECK(split_author_list("A One and B Two") == Strings{"A One", "B Two"});
  CHECK(split_author_list("Alexander Sand, Andy Anderson") ==
        Strings{"Alexander Sand", "Andy Anderson"});
  CHECK(split_author_list("X (Univ. A, Univ. B and C), Y") == Strings{"X", "Y"});
  CHECK(split_author_list("(The STAR Collaboration)") == Strings{"(The STAR Collaboration)"});
  CHECK(split_author_list("J. Pablo Mu\\~noz, {\\O}ystein Ore") ==
        Strings{"J. Pablo Mu\\~noz", "{\\O}ystein Ore"});
  CHECK(split_author_list("  ").empty());
}

TEST_CASE("html_to_text", "[feed][support]") {
  using feed::html_to_text;
  CHECK(html_to_text("<p>One\ntwo</p><p>three</p>") == "One two three");
  CHECK(html_to_text("<a href=\"x\">Name</a> (Group)") == "Name (Group)");
  CHECK(html_to_text("$a&lt;b$ &amp; &#233;&#x4E2D; &bogus;") ==
        "$a<b$ & \xc3\xa9\xe4\xb8\xad &bogus;");
  CHECK(html_to_text("x < y") == "x < y");
}

TEST_CASE("channels_from and strip_announce_prefix", "[feed][support]") {
  CHECK(feed::channels_from("http://rss.arxiv.org/rss/cs.LG+cs.AI", "") ==
        Strings{"cs.LG", "cs.AI"});
  CHECK(feed::channels_from("http://arxiv.org/", "hep-ex updates on arXiv.org") ==
        Strings{"hep-ex"});
  CHECK(feed::channels_from("", "no pattern").empty());

  CHECK(feed::strip_announce_prefix("arXiv:2501.1v1 Announce Type: new \nAbstract: Body") ==
        " Body");
  CHECK(feed::strip_announce_prefix("Plain abstract.") == "Plain abstract.");
}

TEST_CASE("announcement dates from RSS and ISO timestamps", "[feed][date]") {
  CHECK(parse_rfc822_date("Wed, 29 Jan 2025 00:00:00 -0500") == ymd(2025, 1, 29));
  CHECK(parse_rfc822_date("3 Jun 2025 00:00:00 -0400") == ymd(2025, 6, 3));
  CHECK_FALSE(parse_rfc822_date("Wed, 32 Jan 2025 00:00:00 -0500"));
  CHECK_FALSE(parse_rfc822_date("2025-01-29"));
  CHECK(parse_iso_timestamp_date("2018-05-23T20:30:00-05:00") == ymd(2018, 5, 23));
  CHECK_FALSE(parse_iso_timestamp_date("2018-05"));
}

}  // namespace paperbot
