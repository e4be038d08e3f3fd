#include "core/commands/command.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

using namespace paperbot;
using namespace paperbot::commands;

namespace {

// The action of a text that must parse, or a failed test naming the error.
Command parsed(std::string_view text) {
  ParseResult result = parse(text);
  if (!result) FAIL("\"" << text << "\" did not parse: " << result.error().to_string());
  return *result;
}

template <class T>
T action_of(std::string_view text) {
  Command command = parsed(text);
  const T* action = std::get_if<T>(&command.action);
  if (action == nullptr) FAIL("\"" << text << "\" parsed as " << command_name(command.action));
  return *action;
}

// The error of a text that must not parse.
ParseError error_of(std::string_view text) {
  ParseResult result = parse(text);
  if (result) FAIL("\"" << text << "\" parsed as " << command_name(result->action));
  return result.error();
}

}  // namespace

TEST_CASE("commands without arguments parse, in any case and spacing", "[commands]") {
  CHECK(std::holds_alternative<Help>(parsed("help").action));
  CHECK(std::holds_alternative<Help>(parsed("").action));
  CHECK(std::holds_alternative<Help>(parsed(" \n\t ").action));
  CHECK(std::holds_alternative<Today>(parsed("  TODAY ").action));
  CHECK(std::holds_alternative<ShowCriteria>(parsed("Criteria").action));
  CHECK(std::holds_alternative<ShowAuthors>(parsed("authors").action));
  CHECK(std::holds_alternative<ShowCutoffs>(parsed("cutoffs").action));
  CHECK(std::holds_alternative<History>(parsed("history").action));
  CHECK(std::holds_alternative<Undo>(parsed("undo").action));
  CHECK(std::holds_alternative<Status>(parsed("status").action));
  CHECK(std::holds_alternative<Pause>(parsed("pause").action));
  CHECK(std::holds_alternative<Resume>(parsed("\u00a0resume\u00a0").action));
  CHECK(parsed("status").scope == Scope::kChannel);
}

TEST_CASE("top takes a count and an optional date", "[commands]") {
  Top top = action_of<Top>("top 5");
  CHECK(top.count == 5);
  CHECK_FALSE(top.date);

  top = action_of<Top>("Top   10\n2025-01-29");
  CHECK(top.count == 10);
  REQUIRE(top.date);
  CHECK(format_iso_date(*top.date) == "2025-01-29");

  CHECK(error_of("top x").usage == "top N [YYYY-MM-DD]");
  CHECK(error_of("top").message.find("missing") != std::string::npos);
  CHECK(error_of("top 0").usage == "top N [YYYY-MM-DD]");
  CHECK(error_of("top 1001").message.find("1 to 1000") != std::string::npos);
  CHECK(error_of("top 5 29.01.2025").message.find("YYYY-MM-DD") != std::string::npos);
  CHECK(error_of("top 5 2025-01-29 extra").usage == "top N [YYYY-MM-DD]");
  CHECK(error_of("top -3").usage == "top N [YYYY-MM-DD]");
}

TEST_CASE("why takes an arXiv id with or without version and prefix", "[commands]") {
  Why why = action_of<Why>("why 2501.16396");
  CHECK(why.paper_id == "2501.16396");
  CHECK(why.version == 0);

  why = action_of<Why>("why arXiv:2501.16396v2");
  CHECK(why.paper_id == "2501.16396");
  CHECK(why.version == 2);

  CHECK(action_of<Why>("WHY <https://arxiv.org/abs/2501.16396v1>").paper_id == "2501.16396");
  CHECK(action_of<Why>("why hep-th/9901001").paper_id == "hep-th/9901001");
  CHECK(action_of<Why>("why math.GT/0309136v3").paper_id == "math.GT/0309136");
  CHECK(action_of<Why>("why 0704.0001").paper_id == "0704.0001");

  for (const char* bad : {"why", "why 2501", "why 2501.163", "why hello", "why 2501.16396v0",
                          "why 2501.16396 2501.16397", "why ../../etc"}) {
    CAPTURE(bad);
    CHECK(error_of(bad).usage == "why ID");
  }
}

TEST_CASE("search keeps its words", "[commands]") {
  CHECK(action_of<Search>("search  sparse   Autoencoders ").words == "sparse Autoencoders");
  CHECK(action_of<Search>("search global warming").words == "global warming");
  CHECK(error_of("search").usage == "search WORDS");
}

TEST_CASE("criteria changes take the rest of the message", "[commands]") {
  CHECK(action_of<AddCriterion>("criteria add Papers on <@U123|ann>'s topic").text ==
        "Papers on <@U123|ann>'s topic");
  CHECK(action_of<RemoveCriterion>("criteria REMOVE 3").index == 3);

  const SetCriteria set = action_of<SetCriteria>("criteria set 1. Sparse models\n2. MoE\n\n");
  CHECK(set.text == "1. Sparse models\n2. MoE");

  CHECK(error_of("criteria remove x").usage == "criteria [global] remove N");
  CHECK(error_of("criteria remove 0").usage == "criteria [global] remove N");
  CHECK(error_of("criteria add").usage == "criteria [global] add TEXT");
  CHECK(error_of("criteria set  \n").usage == "criteria [global] set TEXT");

  // An unknown subcommand lists every form of the command.
  const ParseError error = error_of("criteria drop 2");
  CHECK(error.usage.find("criteria [global] add TEXT") != std::string::npos);
  CHECK(error.usage.find("criteria [global] set TEXT") != std::string::npos);
}

TEST_CASE("authors add and remove take a name", "[commands]") {
  CHECK(action_of<AddAuthor>("authors add  Gonçalo   Paulo").name == "Gonçalo Paulo");
  CHECK(action_of<RemoveAuthor>("authors remove Yann LeCun").name == "Yann LeCun");
  CHECK(error_of("authors add").usage == "authors [global] add NAME");
  CHECK(error_of("authors remove").usage == "authors [global] remove NAME");
  CHECK(error_of("authors list").usage.find("authors [global] add NAME") != std::string::npos);
}

TEST_CASE("cutoffs take any subset in any order", "[commands]") {
  SetCutoffs cutoffs = action_of<SetCutoffs>("cutoffs relevance 7 novelty 5 top 20");
  CHECK(cutoffs.relevance == 7);
  CHECK(cutoffs.novelty == 5);
  CHECK(cutoffs.top == 20);

  cutoffs = action_of<SetCutoffs>("cutoffs TOP 3 Relevance 10");
  CHECK(cutoffs.relevance == 10);
  CHECK_FALSE(cutoffs.novelty);
  CHECK(cutoffs.top == 3);

  const ParseError range = error_of("cutoffs relevance 11");
  CHECK(range.usage.find("cutoffs [global] [relevance R]") != std::string::npos);
  CHECK(range.usage.find("from 1 to 10") != std::string::npos);
  CHECK(range.message.find("relevance") != std::string::npos);
  for (const char* bad : {"cutoffs novelty 0", "cutoffs top 0", "cutoffs relevance",
                          "cutoffs relevance 5 relevance 6", "cutoffs speed 3", "cutoffs 5"}) {
    CAPTURE(bad);
    CHECK(error_of(bad).usage.find("[novelty N]") != std::string::npos);
  }
}

TEST_CASE("rescore takes an optional date", "[commands]") {
  CHECK_FALSE(action_of<Rescore>("rescore").date);
  CHECK(action_of<Rescore>("rescore 2025-01-29").date);
  CHECK(error_of("rescore yesterday").usage == "rescore [global] [YYYY-MM-DD]");
}

TEST_CASE("global applies a settings command to all channels", "[commands]") {
  Command command = parsed("cutoffs global relevance 8");
  CHECK(command.scope == Scope::kGlobal);
  CHECK(std::get<SetCutoffs>(command.action).relevance == 8);

  CHECK(parsed("global cutoffs relevance 8").scope == Scope::kGlobal);
  CHECK(parsed("cutoffs relevance 8 GLOBAL").scope == Scope::kGlobal);
  CHECK(parsed("criteria global").scope == Scope::kGlobal);
  CHECK(parsed("pause global").scope == Scope::kGlobal);

  command = parsed("criteria global add Sparse models");
  CHECK(command.scope == Scope::kGlobal);
  CHECK(std::get<AddCriterion>(command.action).text == "Sparse models");

  // Inside free text the word is text.
  command = parsed("criteria add models of global climate");
  CHECK(command.scope == Scope::kChannel);
  CHECK(std::get<AddCriterion>(command.action).text == "models of global climate");

  CHECK(error_of("global top 5").message.find("global") != std::string::npos);
  CHECK(error_of("status global").usage == "status");
  CHECK(error_of("global").usage.find("help") != std::string::npos);
}

TEST_CASE("an unknown command points to help", "[commands]") {
  const ParseError error = error_of("frobnicate now");
  CHECK(error.message.find("frobnicate") != std::string::npos);
  CHECK(error.usage.find("help") != std::string::npos);
  CHECK(action_of<Help>("help cutoffs").topic == "cutoffs");
  CHECK(error_of("help frobnicate").usage == "help [COMMAND]");
}

TEST_CASE("help lists every command", "[commands]") {
  const std::string help = help_text();
  for (const char* usage :
       {"help [COMMAND]", "today", "top N [YYYY-MM-DD]", "why ID", "search WORDS",
        "criteria [global] add TEXT", "criteria [global] remove N", "criteria [global] set TEXT",
        "authors [global] add NAME", "authors [global] remove NAME", "cutoffs [global]",
        "rescore [global] [YYYY-MM-DD]", "history", "undo", "status", "pause", "resume"}) {
    CAPTURE(usage);
    CHECK(help.find(usage) != std::string::npos);
  }
  CHECK(usage_for("criteria").find("criteria [global] remove N") != std::string::npos);
  CHECK(usage_for("nothing").empty());
}

TEST_CASE("only commands that change something need an admin", "[commands]") {
  for (const char* text :
       {"criteria add x", "criteria remove 1", "criteria set x", "authors add A",
        "authors remove A", "cutoffs top 5", "rescore", "undo", "pause", "resume"}) {
    CAPTURE(text);
    CHECK(is_mutating(parsed(text)));
  }
  for (const char* text : {"help", "today", "top 3", "why 2501.16396", "search x", "criteria",
                           "global criteria", "authors", "cutoffs", "history", "status"}) {
    CAPTURE(text);
    CHECK_FALSE(is_mutating(parsed(text)));
  }
}

TEST_CASE("random input never throws", "[commands][fuzz]") {
  std::mt19937 random(20250129);
  const std::vector<std::string> vocabulary = {
      "top",        "why",          "criteria",  "add",     "remove",
      "set",        "cutoffs",      "relevance", "novelty", "global",
      "authors",    "rescore",      "5",         "11",      "-1",
      "2025-01-29", "2501.16396v2", "<@U1|a>",   "\n",      "  ",
      "\xC2\xA0",   "\xC2",         "\xFF",      "%",       "99999999999999999999",
      "v",          "arXiv:"};
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<std::size_t> pick(0, vocabulary.size() - 1);
  std::uniform_int_distribution<int> length(0, 12);

  for (int round = 0; round < 4000; ++round) {
    std::string text;
    const int parts = length(random);
    for (int k = 0; k < parts; ++k) {
      // Half the inputs are command-like, so that the parser gets past the first word.
      if (round % 2 == 0) {
        text += vocabulary[pick(random)] + " ";
      } else {
        text += static_cast<char>(byte(random));
      }
    }
    CAPTURE(text);
    CHECK_NOTHROW([&] {
      ParseResult result = parse(text);
      if (result) {
        (void)is_mutating(*result);
      } else {
        CHECK_FALSE(result.error().usage.empty());
      }
    }());
  }
}

TEST_CASE("subscribe and unsubscribe take an address and an optional list", "[commands][email]") {
  Subscribe subscribe = action_of<Subscribe>("Subscribe Ada@Example.org");
  CHECK(subscribe.address == "Ada@Example.org");
  CHECK(subscribe.list.empty());
  CHECK(action_of<Subscribe>("subscribe ada@example.org Theory").list == "theory");

  // Slack sends a typed address as a mailto link.
  Unsubscribe unsubscribe =
      action_of<Unsubscribe>("unsubscribe <mailto:ada@example.org|ada@example.org> theory");
  CHECK(unsubscribe.address == "ada@example.org");
  CHECK(unsubscribe.list == "theory");

  CHECK(action_of<ShowSubscribers>("subscribers").list.empty());
  CHECK(action_of<ShowSubscribers>("subscribers theory").list == "theory");
}

TEST_CASE("an invalid address is refused with the reason", "[commands][email]") {
  CHECK_THAT(error_of("subscribe").message, Catch::Contains("which address"));
  CHECK(error_of("subscribe").usage == "subscribe EMAIL [LIST]");
  CHECK_THAT(error_of("subscribe ada.example.org").message,
             Catch::Contains("\"ada.example.org\" needs exactly one @"));
  CHECK_THAT(error_of("unsubscribe ada@localhost").message,
             Catch::Contains("needs a domain like example.org"));
  CHECK_THAT(error_of("subscribe @example.org").message,
             Catch::Contains("has nothing before the @"));
  CHECK(error_of("unsubscribe a@b@c.org").usage == "unsubscribe EMAIL [LIST]");
  CHECK_THAT(error_of("subscribe ada@example.org theory extra").message,
             Catch::Contains("unexpected \"extra\""));
  CHECK_THAT(error_of("subscribers global").message, Catch::Contains("does not take global"));
  CHECK_THAT(error_of("subscribe ada@example.org global").message,
             Catch::Contains("does not take global"));
}

TEST_CASE("subscriber commands are for admins, and only the changes mutate", "[commands][email]") {
  for (const char* text : {"subscribe a@b.org", "unsubscribe a@b.org x", "subscribers"}) {
    CAPTURE(text);
    CHECK(is_admin_only(parsed(text)));
  }
  CHECK(is_mutating(parsed("subscribe a@b.org")));
  CHECK(is_mutating(parsed("unsubscribe a@b.org")));
  CHECK_FALSE(is_mutating(parsed("subscribers")));
  CHECK(is_admin_only(parsed("pause")));
  CHECK_FALSE(is_admin_only(parsed("status")));

  const std::string help = help_text();
  CHECK(help.find("`subscribers [LIST]` *") != std::string::npos);
  CHECK(help.find("`subscribe EMAIL [LIST]` *") != std::string::npos);
  CHECK(usage_for("unsubscribe") == "unsubscribe EMAIL [LIST]");
}

TEST_CASE("cutoffs why, lock and unlock", "[commands][feedback]") {
  CHECK(parsed("cutoffs why").action.index() == Action(ExplainCutoffs{}).index());
  CHECK(action_of<LockCutoffs>("cutoffs lock").locked);
  CHECK_FALSE(action_of<LockCutoffs>("Cutoffs UNLOCK").locked);
  CHECK(parsed("cutoffs global lock").scope == Scope::kGlobal);
  CHECK(parsed("cutoffs lock global").scope == Scope::kGlobal);
  CHECK(is_mutating(parsed("cutoffs lock")));
  CHECK_FALSE(is_mutating(parsed("cutoffs why")));

  const ParseError extra = error_of("cutoffs why not");
  CHECK(extra.usage == "cutoffs why");
  CHECK(error_of("cutoffs lock relevance").usage == "cutoffs [global] lock | unlock");
  CHECK(help_text().find("cutoffs why") != std::string::npos);
}
