#include "core/config/config.hpp"
#include "core/config/config_values.hpp"
#include "tests/support/test_data.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>

namespace {

using paperbot::AnnounceType;
using paperbot::Config;
using paperbot::ConfigNotice;
using paperbot::load_config;
using paperbot::testing::TempDir;

// The repository's example config folder, found from this file so no build setting is needed.
const std::filesystem::path kExampleFolder =
    std::filesystem::path(__FILE__).parent_path().parent_path() / "config";

void write_file(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  REQUIRE(out.good());
}

// Loads a folder holding only this config.ini, which must load.
Config load_ini(const TempDir& dir, std::string_view ini) {
  write_file(dir.path() / "config.ini", ini);
  auto config = load_config(dir.path());
  INFO((config ? std::string() : config.error().to_string()));
  REQUIRE(config.has_value());
  return *config;
}

// Loads a folder holding only this config.ini, which must fail; returns the message.
std::string load_error(std::string_view ini) {
  TempDir dir;
  write_file(dir.path() / "config.ini", ini);
  auto config = load_config(dir.path());
  REQUIRE_FALSE(config.has_value());
  CHECK(config.error().step == "read config");
  return config.error().message;
}

bool has_notice(const Config& config, int line, std::string_view part) {
  return std::any_of(config.notices.begin(), config.notices.end(), [&](const ConfigNotice& n) {
    return n.line == line && n.message.find(part) != std::string::npos;
  });
}

}  // namespace

TEST_CASE("the real 2025-01-29 config folder loads unchanged", "[config][real]") {
  PAPERBOT_SHARED_DATA_FILE(dir, "gpa/config-2025-01-29");
  auto loaded = load_config(dir);
  REQUIRE(loaded.has_value());
  const Config& config = *loaded;

  CHECK(config.folder == dir);
  CHECK(config.selection.run_author_match);
  CHECK(config.selection.author_match_score == 20);
  CHECK(config.selection.run_openai);
  CHECK(config.selection.model == "gpt-4o");
  CHECK(config.selection.title_batch_size == 8);
  CHECK(config.selection.abstract_batch_size == 4);
  CHECK(config.selection.adaptive_batch_size);
  CHECK(config.selection.adaptive_threshold == 32);

  CHECK(config.filtering.categories == std::vector<std::string>{"cs.LG", "cs.AI"});
  CHECK(config.filtering.announce_types ==
        std::set<AnnounceType>{AnnounceType::kNew, AnnounceType::kCross});
  CHECK_FALSE(config.filtering.force_primary);
  CHECK(config.filtering.num_samples == 1);
  CHECK(config.filtering.h_cutoff == 20);
  CHECK(config.filtering.relevance_cutoff == 7);
  CHECK(config.filtering.novelty_cutoff == 6);

  CHECK_FALSE(config.output.debug_messages);
  CHECK(config.output.output_path == "out/");
  CHECK(config.output.dump_json);
  CHECK(config.output.dump_md);
  CHECK(config.paperbot == paperbot::PaperbotConfig{});

  REQUIRE(config.authors.size() == 5);
  CHECK(config.authors[0] == paperbot::FollowedAuthor{"Geoffrey E. Hinton", "1695689"});
  CHECK(config.authors[4] == paperbot::FollowedAuthor{"Kaiming He", "39353098"});
  for (const auto& author : config.authors) CHECK_FALSE(author.semantic_scholar_id.empty());

  using paperbot::testing::read_file;
  CHECK(config.criteria.base_prompt == read_file(dir / "base_prompt.txt"));
  CHECK(config.criteria.topics == read_file(dir / "paper_topics.txt"));
  CHECK(config.criteria.score_criteria == read_file(dir / "score_criteria.txt"));
  CHECK(config.criteria.postfix == read_file(dir / "postfix_prompt.txt"));

  // h_cutoff = 20 (line 30), dump_debug_file (37), push_to_slack (40): each reported once.
  CHECK(config.notices.size() == 3);
  CHECK(has_notice(config, 30, "[FILTERING] h_cutoff = 20 is not used by paperbot"));
  CHECK(has_notice(config, 37, "[OUTPUT] dump_debug_file"));
  CHECK(has_notice(config, 40,
                   "push_to_slack = false is not used by paperbot: Slack is "
                   "configured in [SLACK]"));
  for (const auto& notice : config.notices) CHECK(notice.file == (dir / "config.ini").string());
}

TEST_CASE("the example config folder is the defaults", "[config]") {
  auto loaded = load_config(kExampleFolder);
  INFO((loaded ? std::string() : loaded.error().to_string()));
  REQUIRE(loaded.has_value());
  Config defaults = paperbot::default_config();

  // The example texts and the embedded ones must not drift apart.
  CHECK(loaded->criteria == paperbot::default_criteria());
  CHECK(loaded->criteria == defaults.criteria);
  CHECK(loaded->selection == defaults.selection);
  CHECK(loaded->filtering == defaults.filtering);
  CHECK(loaded->output == defaults.output);
  CHECK(loaded->paperbot == defaults.paperbot);
  CHECK(loaded->llm == defaults.llm);
  CHECK(loaded->authors.empty());
  CHECK(loaded->notices.empty());
}

TEST_CASE("the embedded criteria have the reference's structure", "[config]") {
  paperbot::Criteria criteria = paperbot::default_criteria();
  CHECK_FALSE(criteria.base_prompt.empty());
  CHECK(criteria.topics.find("- Relevant:") != std::string::npos);
  CHECK(criteria.topics.find("- Irrelevant:") != std::string::npos);
  CHECK(criteria.topics.find("Keywords") != std::string::npos);
  CHECK(criteria.score_criteria.find("Novelty") != std::string::npos);
  for (const char* key : {"JSONL", "ARXIVID", "COMMENT", "RELEVANCE", "NOVELTY"})
    CHECK(criteria.postfix.find(key) != std::string::npos);
  CHECK(paperbot::default_config().folder.empty());
  CHECK(paperbot::default_config().notices.empty());
}

TEST_CASE("a missing folder is an error, a missing config.ini the defaults", "[config]") {
  TempDir dir;
  auto missing = load_config(dir.path() / "nowhere");
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().message.find("nowhere' does not exist") != std::string::npos);

  write_file(dir.path() / "file", "x");
  auto not_folder = load_config(dir.path() / "file");
  REQUIRE_FALSE(not_folder.has_value());
  CHECK(not_folder.error().message.find("is not a folder") != std::string::npos);

  auto empty = load_config(dir.path());
  REQUIRE(empty.has_value());
  CHECK(empty->filtering == paperbot::FilteringConfig{});
  CHECK(empty->criteria == paperbot::default_criteria());
  CHECK(empty->notices.size() == 2);
  CHECK(has_notice(*empty, 0, "no config.ini"));
  CHECK(has_notice(*empty, 0, "no prompt files"));
}

TEST_CASE("config.ini is read as configparser reads it", "[config][ini]") {
  TempDir dir;
  Config config = load_ini(dir,
                           "\xEF\xBB\xBF[SELECTION]\r\n"
                           "  ; an indented comment\r\n"
                           "Run_Author_Match: no\r\n"
                           "author_match_score = 15.0\r\n"
                           "MODEL=gpt-4o-mini\r\n"
                           "batch_size = 5\r\n"
                           "[FILTERING]\r\n"
                           "arxiv_category = math.AG,\r\n"
                           "   hep-th, astro-ph.CO ,cond-mat.mes-hall, math.AG\r\n"
                           "announce_type = replace-cross, New\r\n"
                           "force_primary = ON\r\n"
                           "hcutoff = 0\r\n"
                           "novelty_cutoff: 10\r\n"
                           "[PAPERBOT]\r\n"
                           "scorer = Offline\r\n"
                           "top_n = 25\r\n"
                           "arxiv_min_interval_seconds = 0.5\r\n"
                           "store_path = /var/lib/paperbot/papers.db");  // no final newline
  CHECK_FALSE(config.selection.run_author_match);
  CHECK(config.selection.author_match_score == 15);
  CHECK(config.selection.model == "gpt-4o-mini");
  CHECK(config.selection.abstract_batch_size == 5);
  CHECK(config.filtering.categories ==
        std::vector<std::string>{"math.AG", "hep-th", "astro-ph.CO", "cond-mat.mes-hall"});
  CHECK(config.filtering.announce_types ==
        std::set<AnnounceType>{AnnounceType::kNew, AnnounceType::kReplaceCross});
  CHECK(config.filtering.force_primary);
  CHECK(config.filtering.novelty_cutoff == 10);
  CHECK(config.paperbot.scorer == "offline");
  CHECK(config.paperbot.top_n == 25);
  CHECK(config.paperbot.arxiv_min_interval_seconds == 0.5);
  CHECK(config.paperbot.store_path == "/var/lib/paperbot/papers.db");
  CHECK(config.notices.size() == 1);  // only: no prompt files
}

TEST_CASE("keys paperbot does not act on are reported once", "[config][notice]") {
  TempDir dir;
  Config config = load_ini(dir,
                           "[SELECTION]\n"
                           "title_retry = 3\n"
                           "colour = blue\n"
                           "[FILTERING]\n"
                           "num_samples = 1\n"
                           "[OUTPUT]\n"
                           "push_to_slack = true\n"
                           "[HOTSPOTS]\n"
                           "enabled = true\n"
                           "mode = auto\n"
                           "[EMAIL]\n"
                           "to = team@example.org\n"
                           "[SLACK]\n"
                           "channel = #papers\n");
  CHECK(config.notices.size() == 7);
  CHECK(has_notice(config, 2, "[SELECTION] title_retry = 3 is not used by paperbot: it retries"));
  CHECK(has_notice(config, 3, "[SELECTION] colour is not a key paperbot knows"));
  CHECK(has_notice(config, 7, "Slack is configured in [SLACK]"));
  CHECK(has_notice(config, 8, "[HOTSPOTS] is not a section paperbot knows; its 2 key(s)"));
  CHECK(has_notice(config, 12, "[EMAIL] to is not a key paperbot knows"));
  CHECK(has_notice(config, 14, "[SLACK] channel is not a key paperbot knows"));

  TempDir other;
  Config samples = load_ini(other, "[FILTERING]\nnum_samples = 3\n");
  CHECK(has_notice(samples, 2, "num_samples = 3 is not used by paperbot"));
  CHECK(samples.filtering.num_samples == 3);
}

TEST_CASE("config errors name the file, line, key and expectation", "[config][error]") {
  struct Case {
    std::string ini;
    std::vector<std::string> parts;
  };
  const std::vector<Case> cases = {
      {"[FILTERING]\n\n# strict\nrelevance_cutoff = seven\n",
       {"config.ini:4: [FILTERING] relevance_cutoff = 'seven': expected a whole number from 1 "
        "to 10"}},
      {"[FILTERING]\nnovelty_cutoff = 0\n", {"config.ini:2:", "novelty_cutoff = '0'", "1 to 10"}},
      {"[FILTERING]\nannounce_type = new,updated\n",
       {"config.ini:2:", "announce_type", "replace-cross", "'updated' is not one"}},
      {"[FILTERING]\narxiv_category = cs.LG, cs LG\n",
       {"config.ini:2:", "arxiv_category", "like cs.LG, math.AG or hep-th", "'cs LG' is not one"}},
      {"[FILTERING]\narxiv_category = ,\n", {"config.ini:2:", "at least one arXiv category"}},
      {"[SELECTION]\ntitle_batch_size = -4\n",
       {"config.ini:2:", "title_batch_size = '-4'", "from 1 to 1000"}},
      {"[SELECTION]\nrun_openai = maybe\n", {"config.ini:2:", "run_openai", "true or false"}},
      {"[FILTERING]\nrelevance_cutoff = 7 # strict\n",
       {"config.ini:2:", "comments go on a line of their own"}},
      {"[SELECTION]\nmodel = gpt-4o\n    title_batch_size = 8\n",
       {"config.ini:2:", "model = 'gpt-4o\\ntitle_batch_size = 8'", "continues"}},
      {"[PAPERBOT]\nscorer = gpt\n", {"config.ini:2:", "scorer", "offline, llm or auto"}},
      {"[PAPERBOT]\ntop_n = 0\n", {"config.ini:2:", "top_n", "or nothing for no limit"}},
      {"[PAPERBOT]\narxiv_feed_url = ftp://mirror\n", {"config.ini:2:", "http:// or https://"}},
      {"[SELECTION]\nthis line is wrong\n",
       {"config.ini:2:", "'this line is wrong' is neither a [SECTION] header"}},
      {"model = gpt-4o\n", {"config.ini:1:", "'model' comes before any section header"}},
      {"[SELECTION]\n= 3\n", {"config.ini:2:", "expected a key name"}},
      {"[SELECTION\n", {"config.ini:1:", "expected a section header"}},
      {"[SELECTION]\nmodel = a\nMODEL = b\n",
       {"config.ini:3:", "model is set twice (first on line 2)"}},
      {"[OUTPUT]\n[SELECTION]\n[OUTPUT]\n", {"config.ini:3:", "[OUTPUT] appears twice"}},
      {"[filtering]\n", {"config.ini:1:", "case-sensitive; expected [FILTERING]"}},
  };
  for (const Case& item : cases) {
    std::string message = load_error(item.ini);
    for (const std::string& part : item.parts) {
      INFO(message);
      CHECK(message.find(part) != std::string::npos);
    }
  }
}

TEST_CASE("secrets in config.ini are refused without repeating them", "[config][error]") {
  for (std::string ini :
       {"[LLM]\napi_key = sk-live-123456\n", "[SLACK]\nBot_Token: sk-live-123456\n",
        "[EMAIL]\nsmtp_password = sk-live-123456\n",
        "[PAPERBOT]\nsigning-secret = sk-live-123456\n"}) {
    std::string message = load_error(ini);
    INFO(message);
    CHECK(message.find("config.ini:2:") != std::string::npos);
    CHECK(message.find("environment") != std::string::npos);
    CHECK(message.find("sk-live") == std::string::npos);
  }
}

TEST_CASE("authors.txt and the prompt files", "[config][authors]") {
  TempDir dir;
  write_file(dir.path() / "authors.txt",
             "# followed\n\nYann LeCun, 1688882\r\nLeCun, Yann, 1688882\nGon\\c{c}alo Paulo\n");
  write_file(dir.path() / "base_prompt.txt", "  Base.\r\n\n");
  write_file(dir.path() / "paper_topics.txt", "\tTopics, untrimmed  ");
  write_file(dir.path() / "postfix_prompt.txt", "");
  auto config = load_config(dir.path());
  REQUIRE(config.has_value());

  using paperbot::FollowedAuthor;
  CHECK(config->authors == std::vector<FollowedAuthor>{{"Yann LeCun", "1688882"},
                                                       {"LeCun, Yann", "1688882"},
                                                       {"Gon\\c{c}alo Paulo", ""}});
  CHECK(config->criteria.base_prompt == "  Base.\r\n\n");
  CHECK(config->criteria.topics == "\tTopics, untrimmed  ");
  CHECK(config->criteria.score_criteria.empty());
  CHECK(config->criteria.postfix.empty());

  write_file(dir.path() / "authors.txt", "Yann LeCun, 1688882\nHinton, Geoffrey\n");
  auto bad = load_config(dir.path());
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().message.find("authors.txt:2: 'Hinton, Geoffrey': expected 'Name, "
                                 "SemanticScholarId'") != std::string::npos);
}

TEST_CASE("value syntax", "[config][values]") {
  using namespace paperbot::config_values;
  for (const char* good : {"cs.LG", "math.AG", "hep-th", "eess.AS", "cond-mat.mes-hall", "cs"})
    CHECK(is_arxiv_category(good));
  for (const char* bad : {"", "cs.", ".LG", "CS.LG", "cs LG", "cs.LG+cs.AI", "hep--th", "cs.L1"})
    CHECK_FALSE(is_arxiv_category(bad));

  for (const char* secret : {"api_key", "OPENAI_API_KEY", "apikey", "bot-token", "passwd"})
    CHECK(is_secret_key(secret));
  for (const char* plain : {"max_tokens", "keywords", "model", "secretary_name_x"})
    CHECK_FALSE(is_secret_key(plain));

  CHECK(parse_whole_number("+4") == 4);
  CHECK(parse_whole_number("7.00") == 7);
  CHECK_FALSE(parse_whole_number("7.5"));
  CHECK_FALSE(parse_whole_number("1e3"));
  CHECK_FALSE(parse_decimal("inf"));
  CHECK(parse_boolean("Yes") == true);
  CHECK(parse_boolean("0") == false);
  CHECK_FALSE(parse_boolean("2"));
}

TEST_CASE("[LLM] reads the endpoint, limits, budgets and prices", "[config][llm]") {
  TempDir dir;
  auto config = load_ini(dir,
                         "[LLM]\n"
                         "base_url = http://127.0.0.1:11434/v1\n"
                         "api_style = Azure\n"
                         "api_version = 2024-10-21\n"
                         "seed =\n"
                         "max_in_flight = 8\n"
                         "tokens_per_minute = 30000\n"
                         "daily_budget_dollars = 1.50\n"
                         "daily_budget_tokens =\n"
                         "prices =\n"
                         "    llama3 = 0, 0\n"
                         "    gpt-4o = 2.5, 10, 1.25\n");
  CHECK(config.llm.base_url == "http://127.0.0.1:11434/v1");
  CHECK(config.llm.api_style == "azure");
  CHECK(config.llm.api_version == "2024-10-21");
  CHECK_FALSE(config.llm.seed);
  CHECK(config.llm.max_in_flight == 8);
  CHECK(config.llm.tokens_per_minute == 30000);
  REQUIRE(config.llm.daily_budget_dollars);
  CHECK(*config.llm.daily_budget_dollars == Approx(1.5));
  CHECK_FALSE(config.llm.daily_budget_tokens);
  REQUIRE(config.llm.prices.size() == 2);
  CHECK(config.llm.prices.at("llama3").completion_per_million == 0);
  CHECK(config.llm.prices.at("gpt-4o").cached_prompt_per_million == Approx(1.25));
  for (const auto& notice : config.notices) CHECK(notice.message.find("LLM") == std::string::npos);
}

TEST_CASE("[LLM] errors name the key and what was expected", "[config][llm][error]") {
  CHECK_THAT(load_error("[LLM]\napi_style = anthropic\n"),
             Catch::Contains("config.ini:2") && Catch::Contains("openai or azure"));
  CHECK_THAT(load_error("[LLM]\nprices =\n    gpt-4o = cheap\n"),
             Catch::Contains("prices") && Catch::Contains("one model a line"));
  CHECK_THAT(load_error("[LLM]\ndaily_budget_tokens = 1.5\n"),
             Catch::Contains("a whole number of tokens"));
  CHECK_THAT(load_error("[LLM]\napi_key = sk-secret\n"), !Catch::Contains("sk-secret"));
}

TEST_CASE("a folder with prompt files needs the ones scoring uses", "[config][error]") {
  TempDir dir;
  write_file(dir.path() / "config.ini", "[FILTERING]\narxiv_category = cs.LG\n");
  write_file(dir.path() / "base_prompt.txt", "You pick papers.");
  write_file(dir.path() / "postfix_prompt.txt", "Answer in JSONL.");
  auto missing = load_config(dir.path());
  REQUIRE_FALSE(missing.has_value());
  CHECK_THAT(missing.error().message, Catch::Contains("paper_topics.txt: missing"));

  write_file(dir.path() / "paper_topics.txt", "  \n");
  auto empty = load_config(dir.path());
  REQUIRE_FALSE(empty.has_value());
  CHECK_THAT(empty.error().message, Catch::Contains("paper_topics.txt: empty"));

  write_file(dir.path() / "paper_topics.txt", "1. Sparsity");
  CHECK(load_config(dir.path()).has_value());
}

TEST_CASE("[SLACK] and one section per channel make the audiences", "[config][slack]") {
  TempDir dir;
  write_file(dir.path() / "theory.txt", "1. Learning theory\n");
  Config config = load_ini(dir,
                           "[FILTERING]\n"
                           "arxiv_category = cs.LG\n"
                           "relevance_cutoff = 7\n"
                           "[SLACK]\n"
                           "mode = http\n"
                           "admins = U0ADMIN1, W0ADMIN2\n"
                           "admin_channel = C0ADMINS\n"
                           "threaded = false\n"
                           "[SERVER]\n"
                           "bind_address = 0.0.0.0\n"
                           "port = 0\n"
                           "[SLACK C0THEORY]\n"
                           "name = ml-theory\n"
                           "arxiv_category = stat.ML, cs.LG\n"
                           "relevance_cutoff = 9\n"
                           "top_n = 5\n"
                           "topics_file = theory.txt\n"
                           "threaded = true\n"
                           "[SLACK G0PRIVATE]\n"
                           "novelty_cutoff = 3\n");
  CHECK(config.slack.mode == "http");
  CHECK(config.server.bind_address == "0.0.0.0");
  CHECK(config.server.port == 0);
  CHECK(config.slack.admins == std::vector<std::string>{"U0ADMIN1", "W0ADMIN2"});
  CHECK(config.slack.admin_channel == "C0ADMINS");
  CHECK_FALSE(config.slack.threaded);
  REQUIRE(config.slack.audiences.size() == 2);

  const paperbot::SlackAudienceConfig& theory = config.slack.audiences[0];
  CHECK(theory.audience() == "slack:C0THEORY");
  CHECK(theory.name == "ml-theory");
  CHECK(theory.categories == std::vector<std::string>{"stat.ML", "cs.LG"});
  CHECK(theory.relevance_cutoff == 9);
  CHECK_FALSE(theory.novelty_cutoff.has_value());
  CHECK(theory.top_n == 5);
  CHECK(theory.topics == std::string("1. Learning theory\n"));
  CHECK(theory.threaded == true);
  // The channel's keys leave the global ones alone.
  CHECK(config.filtering.relevance_cutoff == 7);
  CHECK(config.filtering.categories == std::vector<std::string>{"cs.LG"});

  const paperbot::SlackAudienceConfig& other = config.slack.audiences[1];
  CHECK(other.name == "G0PRIVATE");
  CHECK(other.novelty_cutoff == 3);
  CHECK_FALSE(other.topics.has_value());
  CHECK(config.slack.audience_of_channel("G0PRIVATE") == &other);
  CHECK(config.slack.audience_of_channel("C0NOPE") == nullptr);
}

TEST_CASE("Slack settings that are wrong say where and how", "[config][slack][error]") {
  struct Case {
    std::string ini;
    std::string message;
  };
  std::vector<Case> cases = {
      {"[SLACK]\nmode = websocket\n",
       "config.ini:2: [SLACK] mode = 'websocket': expected socket or http"},
      {"[SLACK]\nadmins = @alice\n", "'@alice' is not one"},
      {"[SLACK]\nadmin_channel = #general\n", "expected a channel id like C0123ABCD"},
      {"[SLACK #papers]\nname = x\n", "config.ini:1: [SLACK #papers]: expected [SLACK CHANNEL_ID]"},
      {"[SLACK C0ONE]\n[SLACK  C0ONE]\n",
       "config.ini:2: [SLACK  C0ONE]: the channel is listed twice"},
      {"[SLACK C0ONE]\nrelevance_cutoff = 11\n",
       "config.ini:2: [SLACK C0ONE] relevance_cutoff = '11': expected a whole number from 1 to 10"},
      {"[SLACK C0ONE]\ntopics_file = missing.txt\n", "missing.txt does not exist"},
      {"[SLACK C0ONE]\nbot_token = xoxb-123\n", "secrets are not read from config files"},
  };
  for (const Case& test : cases) {
    TempDir dir;
    write_file(dir.path() / "config.ini", test.ini);
    auto config = load_config(dir.path());
    INFO(test.ini);
    REQUIRE_FALSE(config.has_value());
    CHECK_THAT(config.error().to_string(), Catch::Contains(test.message));
    CHECK(config.error().to_string().find("xoxb-123") == std::string::npos);
  }
}

TEST_CASE("[EMAIL] and one section per list make the e-mail audiences", "[config][email]") {
  TempDir dir;
  Config config = load_ini(dir,
                           "[EMAIL]\n"
                           "smtp_url = smtps://mail.example.org:465/bot.example.org\n"
                           "security = tls\n"
                           "from = papers@example.org\n"
                           "from_name = Théorie papers\n"
                           "public_url = https://bot.example.org\n"
                           "max_failures = 5\n"
                           "admin_address = ops@example.org\n"
                           "[EMAIL theory]\n"
                           "recipients = ada@example.org, alan@example.ac.uk, ada@example.org\n"
                           "relevance_cutoff = 9\n"
                           "top_n = 3\n");
  CHECK(config.email.smtp_url == "smtps://mail.example.org:465/bot.example.org");
  CHECK(config.email.security == "tls");
  CHECK(config.email.from == "papers@example.org");
  CHECK(config.email.from_name == "Théorie papers");
  CHECK(config.email.public_url == "https://bot.example.org");
  CHECK(config.email.max_failures == 5);
  CHECK(config.email.admin_address == "ops@example.org");
  REQUIRE(config.email.audiences.size() == 1);
  const paperbot::EmailAudienceConfig& theory = config.email.audiences[0];
  CHECK(theory.audience() == "email:theory");
  CHECK(theory.recipients == std::vector<std::string>{"ada@example.org", "alan@example.ac.uk"});
  CHECK(theory.relevance_cutoff == 9);
  CHECK(theory.top_n == 3);
  CHECK(config.email.audience_of_list("theory") == &theory);

  struct Case {
    std::string ini;
    std::string message;
  };
  std::vector<Case> cases = {
      {"[EMAIL]\nsecurity = none\n", "expected starttls, tls or plain"},
      {"[EMAIL]\nsmtp_url = mail.example.org\n", "expected smtp://HOST:PORT/EHLO-NAME"},
      {"[EMAIL]\nsmtp_url = smtp://mail.example.org:70000/me\n", "a port from 1 to 65535"},
      {"[EMAIL]\nsmtp_url = smtp://mail.example.org:x/me\n", "a port from 1 to 65535"},
      {"[EMAIL]\nsmtp_url = smtps://mail.example.org:465/me\n", "smtps:// takes security = tls"},
      {"[EMAIL]\nsecurity = tls\n", "does not go with security = tls"},
      {"[EMAIL]\npublic_url = http://bot.example.org\n", "expected an https:// URL"},
      {"[EMAIL]\nfrom = papers\n", "needs exactly one @"},
      {"[EMAIL]\nadmin_address = ops\n", "[EMAIL] admin_address"},
      {"[EMAIL]\nfrom = a@b.org\n[EMAIL Theory]\n", "[EMAIL Theory]: expected [EMAIL LIST_NAME]"},
      {"[EMAIL]\nfrom = a@b.org\n[EMAIL t]\nrecipients = x@y.org, bad address@y.org\n",
       "'bad address@y.org' has a space"},
      {"[EMAIL]\nfrom = a@b.org\n[EMAIL t]\nrecipients = x@y\n", "needs a domain"},
      {"[EMAIL t]\nrecipients = x@y.org\n", "[EMAIL] from is needed"},
      {"[EMAIL]\nsmtp_password = hunter2\n", "secrets are not read from config files"},
  };
  for (const Case& test : cases) {
    TempDir other;
    write_file(other.path() / "config.ini", test.ini);
    auto loaded = load_config(other.path());
    INFO(test.ini);
    REQUIRE_FALSE(loaded.has_value());
    CHECK_THAT(loaded.error().to_string(), Catch::Contains(test.message));
    CHECK(loaded.error().to_string().find("hunter2") == std::string::npos);
  }
}

TEST_CASE("[SERVER] holds the web server's address; [SLACK] no longer does", "[config][server]") {
  TempDir dir;
  Config defaults = load_ini(dir, "[FILTERING]\narxiv_category = cs.LG\n");
  CHECK(defaults.server.bind_address == "127.0.0.1");
  CHECK(defaults.server.port == 3000);

  Config moved = load_ini(dir, "[SLACK]\nport = 0\n[SERVER]\nport = 8080\n");
  CHECK(moved.server.port == 8080);
  CHECK(has_notice(moved, 2, "port"));  // read as an unknown key, reported with its line
  CHECK_THAT(load_error("[SERVER]\nport = 70000\n"), Catch::Contains("[SERVER] port"));
}

TEST_CASE("[FEEDBACK] sets how feedback moves the cutoffs; audiences may set their own",
          "[config][feedback]") {
  TempDir dir;
  Config defaults = load_ini(dir, "[FILTERING]\narxiv_category = cs.LG\n");
  CHECK(defaults.feedback.learn);
  CHECK(defaults.feedback.explore == 3);
  CHECK(defaults.feedback.target_rate == Approx(0.3));

  Config config = load_ini(dir,
                           "[FEEDBACK]\n"
                           "learn = no\n"
                           "explore = 5\n"
                           "target_rate = 0.4\n"
                           "min_reactions = 8\n"
                           "window_days = 14\n"
                           "relevance_min = 5\n"
                           "relevance_max = 8\n"
                           "[SLACK C0THEORY]\n"
                           "explore = 0\n"
                           "target_rate = 0.5\n");
  CHECK_FALSE(config.feedback.learn);
  CHECK(config.feedback.explore == 5);
  CHECK(config.feedback.target_rate == Approx(0.4));
  CHECK(config.feedback.min_reactions == 8);
  CHECK(config.feedback.window_days == 14);
  CHECK(config.feedback.relevance_min == 5);
  CHECK(config.feedback.relevance_max == 8);
  REQUIRE(config.slack.audiences.size() == 1);
  CHECK(config.slack.audiences[0].explore == 0);
  CHECK(config.slack.audiences[0].target_rate == Approx(0.5));

  CHECK_THAT(load_error("[FEEDBACK]\nrelevance_min = 8\nrelevance_max = 6\n"),
             Catch::Contains("config.ini:2: [FEEDBACK] relevance_min = 8 is above "
                             "relevance_max = 6"));
  CHECK_THAT(load_error("[FEEDBACK]\ntarget_rate = 2\n"),
             Catch::Contains("[FEEDBACK] target_rate = '2': expected a number from 0.01 to 0.99"));
  CHECK_THAT(load_error("[FEEDBACK]\nexplore = -1\n"), Catch::Contains("[FEEDBACK] explore"));
}
