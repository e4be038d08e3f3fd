// The chat command language shared by the slash command (`/papers …`), a mention of the bot and
// a direct message. Parsing is pure: text in, a Command or a ParseError out. Nothing here throws
// on any input, does I/O or knows who is asking; the dispatcher checks is_admin_only() against
// the admins the config names and decides what a global scope means for each command.
//
// Syntax. Command words are case-insensitive and separated by any whitespace; arguments keep
// their case and are taken as written (Slack escapes such as `<@U123|name>` and `&amp;` are not
// decoded). An empty message is `help`.
//
// Scope. The word `global` applies a command to the global settings (the defaults every channel
// inherits) instead of the channel's. It may stand before the command word (`global cutoffs
// relevance 8`), right after it (`cutoffs global relevance 8`), right after a subcommand
// (`criteria add global TEXT`), and anywhere among the arguments of a command without free text
// (`cutoffs relevance 8 global`, `pause global`). Inside TEXT, NAME or WORDS past their first
// word it is text (`criteria add models of global climate`). Only the commands that read or
// change channel settings take it (criteria, authors, cutoffs, rescore, history, undo, pause,
// resume); elsewhere it is a usage error.
#pragma once

#include "core/common/date.hpp"

#include <boost/system/result.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace paperbot::commands {

// The largest N a `top N` or `cutoffs top K` accepts: far beyond a useful digest, but it keeps
// numbers in int range and replies within Slack's message limits.
inline constexpr int kMaxTopCount = 1000;
inline constexpr int kMinScore = 1;
inline constexpr int kMaxScore = 10;

struct Help {
  std::string topic;  // a command word to explain ("top"), empty for the whole list
};
struct Today {};
struct Top {
  int count = 0;
  std::optional<Date> date;  // none: the latest announcement
};
struct Why {
  std::string paper_id;  // without version or "arXiv:" prefix: "2501.16396", "hep-th/9901001"
  int version = 0;       // 0 when none was written
};
struct Search {
  std::string words;  // as written, whitespace collapsed
};
struct ShowCriteria {};
struct AddCriterion {
  std::string text;  // the rest of the message, trimmed; may span lines
};
struct RemoveCriterion {
  int index = 0;  // 1-based, as `criteria` numbers them
};
struct SetCriteria {
  std::string text;  // the rest of the message, trimmed; line breaks kept
};
struct ShowAuthors {};
struct AddAuthor {
  std::string name;  // whitespace collapsed
};
struct RemoveAuthor {
  std::string name;  // whitespace collapsed
};
struct ShowCutoffs {};
struct SetCutoffs {              // at least one is set
  std::optional<int> relevance;  // kMinScore..kMaxScore
  std::optional<int> novelty;    // kMinScore..kMaxScore
  std::optional<int> top;        // 1..kMaxTopCount
};
struct ExplainCutoffs {};
struct LockCutoffs {
  bool locked = true;  // false: unlock
};
struct Rescore {
  std::optional<Date> date;  // none: the latest announcement
};
struct History {};
struct Undo {};
struct Status {};
struct Pause {};
struct Resume {};
// The e-mail lists. LIST is the name of an [EMAIL LIST] section; left empty, the executor picks
// the only list or asks which. Addresses have passed email_address_problem() and are otherwise
// as written.
struct Subscribe {
  std::string address;
  std::string list;
};
struct Unsubscribe {
  std::string address;
  std::string list;
};
struct ShowSubscribers {
  std::string list;
};

using Action = std::variant<Help, Today, Top, Why, Search, ShowCriteria, AddCriterion,
                            RemoveCriterion, SetCriteria, ShowAuthors, AddAuthor, RemoveAuthor,
                            ShowCutoffs, SetCutoffs, ExplainCutoffs, LockCutoffs, Rescore, History,
                            Undo, Status, Pause, Resume, Subscribe, Unsubscribe, ShowSubscribers>;

enum class Scope { kChannel, kGlobal };

struct Command {
  Action action;
  Scope scope = Scope::kChannel;
};

// A command that could not be read. `usage` is the usage line of the command the message tried
// to give (or a pointer to `help` when no command word was recognised), ready to show as is.
struct ParseError {
  std::string message;  // what was wrong: "N must be a whole number from 1 to 1000, not \"x\""
  std::string usage;    // "top N [YYYY-MM-DD]: the first N papers of a day's digest"

  std::string to_string() const { return message + "\nUsage: " + usage; }
};

using ParseResult = boost::system::result<Command, ParseError>;

// Reads one command from a message's text (a mention already stripped of the bot's `<@ID>`).
ParseResult parse(std::string_view text);

// True for the commands that change settings, posts, spending or subscribers.
bool is_mutating(const Command& command);

// True for the commands only admins may give: every mutating one, and those that show private
// data such as the subscribers' addresses.
bool is_admin_only(const Command& command);

// The command word, with a subcommand where there is one: "top", "criteria add".
std::string_view command_name(const Action& action);

// Every command, one line each: its usage and what it does. Answers `help`.
std::string help_text();

// The usage lines of the command word `word` ("criteria" gives all four criteria forms); empty
// when there is no such command.
std::string usage_for(std::string_view word);

// For Result<Command>::value() on an error: a programming error, since callers check first.
[[noreturn]] void throw_exception_from_error(const ParseError& error,
                                             const boost::source_location& location);

}  // namespace paperbot::commands
