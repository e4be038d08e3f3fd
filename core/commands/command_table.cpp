#include "core/commands/command_table.hpp"

#include "core/common/text.hpp"

#include <stdexcept>
#include <string>

namespace paperbot::commands {

const std::array<CommandInfo, kCommandCount>& command_table() {
  // The order follows the Action variant: Help, Today, Top, Why, Search, ShowCriteria, ...
  static const std::array<CommandInfo, kCommandCount> table = {{
      {"help", "help", "help [COMMAND]", "list every command, or explain one", false, false},
      {"today", "today", "today", "the latest digest for this channel", false, false},
      {"top", "top", "top N [YYYY-MM-DD]",
       "the first N papers (N from 1 to 1000) of the latest or the given day", false, false},
      {"why", "why", "why ID",
       "a paper's scores, comment and criteria version, and why it was or was not posted "
       "(ID like 2501.16396, 2501.16396v2 or arXiv:2501.16396)",
       false, false},
      {"search", "search", "search WORDS", "papers of recent days that match the words", false,
       false},
      {"criteria", "criteria", "criteria [global]", "show the criteria, numbered", false, true},
      {"criteria", "criteria add", "criteria [global] add TEXT", "add a criterion", true, true},
      {"criteria", "criteria remove", "criteria [global] remove N", "remove criterion number N",
       true, true},
      {"criteria", "criteria set", "criteria [global] set TEXT",
       "replace the criteria with TEXT, the rest of the message (it may span lines)", true, true},
      {"authors", "authors", "authors [global]", "show the authors followed", false, true},
      {"authors", "authors add", "authors [global] add NAME", "follow an author", true, true},
      {"authors", "authors remove", "authors [global] remove NAME", "stop following an author",
       true, true},
      {"cutoffs", "cutoffs", "cutoffs [global]", "show the cutoffs", false, true},
      {"cutoffs", "cutoffs set",
       "cutoffs [global] [relevance R] [novelty N] [top K]  (R and N from 1 to 10, K from 1 to "
       "1000)",
       "set any of the cutoffs, in any order", true, true},
      {"cutoffs", "cutoffs why", "cutoffs why",
       "why the cutoffs are where they are: the last move and what the 👍 and 👎 say now", false,
       false},
      {"cutoffs", "cutoffs lock", "cutoffs [global] lock | unlock",
       "keep the 👍 and 👎 from moving the cutoffs, or let them again", true, true},
      {"rescore", "rescore", "rescore [global] [YYYY-MM-DD]",
       "score the latest or the given day again under the current criteria and post what moved",
       true, true},
      {"history", "history", "history [global]", "the recent criteria and cutoff changes", false,
       true},
      {"undo", "undo", "undo [global]", "undo the last criteria or cutoff change", true, true},
      {"status", "status", "status",
       "last and next run, pending posts, tokens and money spent this month", false, false},
      {"pause", "pause", "pause [global]", "stop posting digests here", true, true},
      {"resume", "resume", "resume [global]", "post digests here again", true, true},
      {"subscribe", "subscribe", "subscribe EMAIL [LIST]",
       "send the e-mail digest of LIST to EMAIL (LIST may be left out when there is one list)",
       true, false},
      {"unsubscribe", "unsubscribe", "unsubscribe EMAIL [LIST]",
       "stop sending the e-mail digest of LIST to EMAIL, even when the config lists it", true,
       false},
      {"subscribers", "subscribers", "subscribers [LIST]",
       "the addresses of an e-mail list, with their status", false, false, true},
  }};
  return table;
}

bool is_mutating(const Command& command) {
  return command_table()[command.action.index()].mutating;
}

bool is_admin_only(const Command& command) {
  const CommandInfo& info = command_table()[command.action.index()];
  return info.mutating || info.private_data;
}

std::string_view command_name(const Action& action) {
  return command_table()[action.index()].name;
}

std::string help_text() {
  std::string text = "Commands (* only for admins):\n";
  for (const CommandInfo& info : command_table()) {
    const bool admins_only = info.mutating || info.private_data;
    text.append("`").append(info.usage).append("`").append(admins_only ? " *" : "");
    text.append("  ").append(info.description).append("\n");
  }

  // The scope word is easy to miss in the usage lines, so it gets a sentence of its own.
  text +=
      "`global` (before or right after the command word, e.g. `cutoffs global relevance 8`) "
      "applies a command to every channel's default settings instead of this channel's.";
  return text;
}

std::string usage_for(std::string_view word) {
  const std::string wanted = ascii_lower(word);
  std::string usage;
  for (const CommandInfo& info : command_table()) {
    if (info.word != wanted) continue;
    if (!usage.empty()) usage += "\n";
    usage += info.usage;
  }
  return usage;
}

void throw_exception_from_error(const ParseError& error, const boost::source_location&) {
  throw std::logic_error("command used without checking its parse error: " + error.to_string());
}

}  // namespace paperbot::commands
