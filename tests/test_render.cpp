#include "core/render/render.hpp"

#include "tests/support/test_data.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

namespace {

using paperbot::Date;
using paperbot::Digest;
using paperbot::DigestEntry;

constexpr Date kReferenceDay{std::chrono::year{2025}, std::chrono::January, std::chrono::day{29}};

std::string text_of(const boost::json::value& value) {
  const boost::json::string& text = value.as_string();
  return std::string(text.data(), text.size());
}

// The reference's output.json back into a Digest: the inverse of render_json.
std::vector<DigestEntry> entries_from_reference_json(const std::string& json) {
  std::vector<DigestEntry> entries;
  const boost::json::value document = boost::json::parse(json);
  for (const auto& member : document.as_object()) {
    const boost::json::object& fields = member.value().as_object();
    DigestEntry entry;
    entry.paper.id = text_of(fields.at("arxiv_id"));
    entry.paper.title = text_of(fields.at("title"));
    entry.paper.abstract = text_of(fields.at("abstract"));
    for (const auto& author : fields.at("authors").as_array())
      entry.paper.authors.push_back(text_of(author));
    entry.score.comment = text_of(fields.at("COMMENT"));
    entry.rank_score = static_cast<int>(fields.at("SCORE").as_int64());
    if (fields.contains("RELEVANCE")) {
      entry.score.relevance = static_cast<int>(fields.at("RELEVANCE").as_int64());
      entry.score.novelty = static_cast<int>(fields.at("NOVELTY").as_int64());
    } else {
      entry.author_match = true;
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

// Digest of the reference day, as the reference run saw it.
Digest reference_digest(const std::filesystem::path& json_path,
                        const std::filesystem::path& config_dir) {
  using paperbot::testing::read_file;
  Digest digest;
  digest.date = kReferenceDay;
  digest.entries = entries_from_reference_json(read_file(json_path));
  digest.scanned = 282;
  digest.usage.prompt_tokens = 33605;
  digest.usage.completion_tokens = 2684;
  digest.usage.prompt_cost = 33605 * 25e-6;
  digest.usage.completion_cost = 2684 * 100e-6;
  digest.criteria.base_prompt = read_file(config_dir / "base_prompt.txt");
  digest.criteria.topics = read_file(config_dir / "paper_topics.txt");
  digest.criteria.score_criteria = read_file(config_dir / "score_criteria.txt");
  digest.criteria.postfix = read_file(config_dir / "postfix_prompt.txt");
  digest.scorer = "llm:gpt-4o";
  return digest;
}

// Compares bytes; on a difference, says where and shows both sides around it.
void require_same_bytes(const std::string& actual, const std::string& expected) {
  if (actual == expected) return;
  const auto mismatch =
      std::mismatch(actual.begin(), actual.end(), expected.begin(), expected.end());
  const std::size_t offset = static_cast<std::size_t>(mismatch.first - actual.begin());
  const std::size_t from = offset > 80 ? offset - 80 : 0;
  FAIL("first difference at byte "
       << offset << " (sizes " << actual.size() << " and " << expected.size() << ")\nactual:   ..."
       << actual.substr(from, 160) << "...\nexpected: ..." << expected.substr(from, 160) << "...");
}

DigestEntry scored_entry(const std::string& id, const std::string& title) {
  DigestEntry entry;
  entry.paper.id = id;
  entry.paper.title = title;
  entry.paper.authors = {"Ada Lovelace", "Alan Turing"};
  entry.paper.abstract = "We study $x \\in [0,1]$.";
  entry.score = {9, 7, "Matches criterion 2.", "llm:gpt-4o"};
  entry.rank_score = 16;
  return entry;
}

DigestEntry author_match_entry() {
  DigestEntry entry;
  entry.paper.id = "2501.16615";
  entry.paper.title = "Sparse Autoencoders Trained on the Same Data Learn Different Features";
  entry.paper.authors = {"Gon\\c{c}alo Paulo", "Nora Belrose"};
  entry.paper.abstract = "Sparse autoencoders.";
  entry.score.scorer = "author-match";
  entry.author_match = true;
  entry.rank_score = 20;
  return entry;
}

Digest small_digest() {
  Digest digest;
  digest.date = kReferenceDay;
  digest.scanned = 12;
  digest.usage.prompt_tokens = 100;
  digest.usage.completion_tokens = 20;
  digest.usage.prompt_cost = 0.005;
  digest.usage.completion_cost = 0.002;
  digest.criteria = {"BASE", "TOPICS", "", "POSTFIX"};
  return digest;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("Markdown of the reference day is byte for byte the reference", "[render][markdown]") {
  PAPERBOT_SHARED_DATA_FILE(json_path, "gpa/2025-01-29/2025-01-29-output.json");
  PAPERBOT_SHARED_DATA_FILE(md_path, "gpa/2025-01-29/2025-01-29-output.md");
  PAPERBOT_SHARED_DATA_FILE(config_dir, "gpa/config-2025-01-29");

  const Digest digest = reference_digest(json_path, config_dir);
  REQUIRE(digest.entries.size() == 10);
  require_same_bytes(paperbot::render_markdown(digest), paperbot::testing::read_file(md_path));
}

TEST_CASE("JSON of the reference day is byte for byte the reference", "[render][json]") {
  PAPERBOT_SHARED_DATA_FILE(json_path, "gpa/2025-01-29/2025-01-29-output.json");
  PAPERBOT_SHARED_DATA_FILE(config_dir, "gpa/config-2025-01-29");

  const Digest digest = reference_digest(json_path, config_dir);
  require_same_bytes(paperbot::render_json(digest), paperbot::testing::read_file(json_path));
}

TEST_CASE("Markdown of an author match has its comment and no scores", "[render][markdown]") {
  Digest digest = small_digest();
  digest.entries = {author_match_entry(), scored_entry("2501.00001", "Second")};
  const std::string md = paperbot::render_markdown(digest);

  CHECK(contains(md,
                 "**Authors:** Gon\\c{c}alo Paulo, Nora Belrose\n\n**Abstract:** Sparse "
                 "autoencoders.\n\n**Comment:** Author match\n\n---\n\n## 2. [Second]"));
  CHECK(contains(md,
                 "**Comment:** Matches criterion 2.\n\n**Relevance:** 9\n**Novelty:** 7\n\n"
                 "---\n\n# Paper Selection Prompt"));
  // No score criteria: the prompt skips that part and its separator.
  CHECK(contains(md, "BASE\n\nTOPICS\n\n## Papers\n\n[PAPER LIST HERE]\n\nPOSTFIX"));
  CHECK(md.back() == 'X');
}

TEST_CASE("Markdown writes an unknown cost as unknown", "[render][markdown]") {
  Digest digest = small_digest();
  digest.usage.completion_cost.reset();
  const std::string md = paperbot::render_markdown(digest);

  CHECK(contains(md,
                 "|           | Prompt   | Completion   | Total   |\n"
                 "|-----------|----------|--------------|---------|\n"
                 "| **Token** | 100      | 20           | 120     |\n"
                 "| **Cost**  | $0.01    | unknown      | unknown |\n\n"));
  CHECK(paperbot::format_dollars(std::nullopt) == "unknown");
  CHECK(paperbot::format_dollars(1.114) == "$1.11");
}

TEST_CASE("Markdown of a day without papers keeps the skeleton", "[render][markdown]") {
  Digest digest = small_digest();
  digest.unscored = 3;
  digest.notes = {"budget reached: the rest ranked offline"};
  const std::string md = paperbot::render_markdown(digest);

  CHECK(md.rfind("# Personalized Daily Arxiv Papers 01/29/2025\n\n|", 0) == 0);
  CHECK(contains(md,
                 "Total scanned papers: 12\n\nTotal relevant papers: 0\n\n"
                 "Total unscored papers: 3\n\n"
                 "**Note:** budget reached: the rest ranked offline\n\n"
                 "**Table of contents with paper titles:**\n\n"
                 "No relevant papers in this announcement.\n\n---\n\n"
                 "# Paper Selection Prompt\n\nBASE"));
  CHECK_FALSE(contains(md, "## 1."));
}

TEST_CASE("JSON escapes as Python's json.dumps with ensure_ascii", "[render][json]") {
  using paperbot::python_json_quote;
  CHECK(python_json_quote("caf\xc3\xa9") == "\"caf\\u00e9\"");
  CHECK(python_json_quote("smile \xf0\x9f\x98\x80") == "\"smile \\ud83d\\ude00\"");
  CHECK(python_json_quote("say \"hi\" \\o/") == "\"say \\\"hi\\\" \\\\o/\"");
  CHECK(python_json_quote("a\nb\tc\rd\be\x01\x7f") == "\"a\\nb\\tc\\rd\\be\\u0001\\u007f\"");
  CHECK(python_json_quote("bad \xff byte") == "\"bad \\ufffd byte\"");
  CHECK(python_json_quote("cut \xe2\x82") == "\"cut \\ufffd\\ufffd\"");
}

TEST_CASE("JSON of an author match has no scores", "[render][json]") {
  Digest digest = small_digest();
  DigestEntry entry = author_match_entry();
  entry.paper.authors.clear();
  digest.entries = {entry};

  CHECK(paperbot::render_json(digest) ==
        "{\n"
        "    \"2501.16615\": {\n"
        "        \"SCORE\": 20,\n"
        "        \"ARXIVID\": \"2501.16615\",\n"
        "        \"COMMENT\": \"Author match\",\n"
        "        \"authors\": [],\n"
        "        \"title\": \"Sparse Autoencoders Trained on the Same Data Learn Different "
        "Features\",\n"
        "        \"abstract\": \"Sparse autoencoders.\",\n"
        "        \"arxiv_id\": \"2501.16615\"\n"
        "    }\n"
        "}");
}

TEST_CASE("JSON of a day without papers is an empty object", "[render][json]") {
  CHECK(paperbot::render_json(small_digest()) == "{}");
}

TEST_CASE("HTML escapes text and shows TeX accents as letters", "[render][html]") {
  Digest digest = small_digest();
  digest.entries = {scored_entry("2501.00001", "<script>alert('x')</script> & more"),
                    author_match_entry()};
  const std::string html = paperbot::render_html(digest);

  CHECK_FALSE(contains(html, "<script"));
  CHECK(contains(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more"));
  CHECK(contains(html,
                 "Gon\xc3\xa7"
                 "alo Paulo, Nora Belrose"));
  CHECK_FALSE(contains(html, "Gon\\c{c}alo"));
  CHECK(contains(html, "We study $x \\in [0,1]$."));
  CHECK(contains(html, "Relevance <strong>9</strong>"));
  CHECK(contains(html, "author match"));
  CHECK(contains(html, "<meta name=\"viewport\""));
  CHECK(contains(html, "<title>arXiv digest 2025-01-29</title>"));
  CHECK(contains(html, "$0.01"));  // 0.005 + 0.002
  CHECK_FALSE(contains(html, "http://"));
  CHECK_FALSE(contains(html, "src="));
}

TEST_CASE("HTML of a day without papers says so", "[render][html]") {
  Digest digest = small_digest();
  digest.unscored = 2;
  digest.notes = {"budget <reached>"};
  const std::string html = paperbot::render_html(digest);

  CHECK(contains(html, "No relevant papers in this announcement."));
  CHECK(contains(html, "Unscored: <strong>2</strong>"));
  CHECK(contains(html, "budget &lt;reached&gt;"));
  CHECK_FALSE(contains(html, "<article"));
}

TEST_CASE("Output files are named by the announcement date", "[render]") {
  CHECK(paperbot::output_file_name(kReferenceDay, "md") == "2025-01-29-output.md");
  CHECK(paperbot::output_file_name(kReferenceDay, "html") == "2025-01-29-output.html");
}
