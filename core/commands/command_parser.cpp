// parse(): a small recursive-descent reader over whitespace-separated words. Every branch ends in
// a Command or a ParseError naming the usage of the command being read; nothing throws.
#include "core/commands/command.hpp"
#include "core/commands/command_table.hpp"
#include "core/common/text.hpp"

#include <algorithm>
#include <charconv>
#include <string>

namespace paperbot::commands {
namespace {

// Bytes of whitespace at `at`: ASCII spaces, and the UTF-8 no-break space that Slack clients
// insert when text is pasted.
std::size_t space_length(std::string_view text, std::size_t at) {
  const char c = text[at];
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') return 1;
  if (c == '\xC2' && at + 1 < text.size() && text[at + 1] == '\xA0') return 2;
  return 0;
}

// A cursor over the words of a message that can also hand out the unread rest verbatim, for
// arguments such as `criteria set TEXT` whose line breaks matter.
class Words {
 public:
  explicit Words(std::string_view text) : text_(text) { skip_space(); }

  bool empty() const { return at_ == text_.size(); }

  std::string_view peek() const {
    std::size_t end = at_;
    while (end < text_.size() && space_length(text_, end) == 0) ++end;
    return text_.substr(at_, end - at_);
  }

  std::string_view next() {
    std::string_view word = peek();
    at_ += word.size();
    skip_space();
    return word;
  }

  // Everything not yet read, without trailing whitespace; the cursor moves to the end.
  std::string_view take_rest() {
    std::string_view rest = text_.substr(at_);
    at_ = text_.size();
    while (!rest.empty()) {
      if (space_length(rest, rest.size() - 1) == 1) {
        rest.remove_suffix(1);
      } else if (rest.size() >= 2 && space_length(rest, rest.size() - 2) == 2) {
        rest.remove_suffix(2);
      } else {
        break;
      }
    }
    return rest;
  }

 private:
  void skip_space() {
    while (at_ < text_.size()) {
      std::size_t length = space_length(text_, at_);
      if (length == 0) break;
      at_ += length;
    }
  }

  std::string_view text_;
  std::size_t at_ = 0;
};

bool is_word(std::string_view word, std::string_view lower_case) {
  return word.size() == lower_case.size() && ascii_lower(word) == lower_case;
}

ParseError error_for(const CommandInfo& info, std::string message) {
  return ParseError{std::move(message), std::string(info.usage)};
}

std::string quoted(std::string_view text) {
  // Long junk is cut so that an error reply stays one readable line.
  constexpr std::size_t kShown = 40;
  // Appended piece by piece: GCC 12 warns wrongly (-Wrestrict) about "\"" + std::string(...).
  std::string out = "\"";
  out.append(text.substr(0, kShown)).append(text.size() <= kShown ? "\"" : "…\"");
  return out;
}

// Consumes any `global` words at the cursor.
void take_global(Words& words, Scope& scope) {
  while (!words.empty() && is_word(words.peek(), "global")) {
    words.next();
    scope = Scope::kGlobal;
  }
}

std::optional<int> parse_number(std::string_view text, int low, int high) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  int value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  if (value < low || value > high) return std::nullopt;
  return value;
}

std::string number_problem(std::string_view name, std::string_view text, int low, int high) {
  if (text.empty()) {
    return std::string(name) + " is missing: a whole number from " + std::to_string(low) + " to " +
           std::to_string(high);
  }
  return std::string(name) + " must be a whole number from " + std::to_string(low) + " to " +
         std::to_string(high) + ", not " + quoted(text);
}

// Checks that nothing but `global` words is left after a command's arguments.
std::optional<ParseError> expect_end(Words& words, Scope& scope, const CommandInfo& info) {
  take_global(words, scope);
  if (words.empty()) return std::nullopt;
  return error_for(info, "unexpected " + quoted(words.peek()));
}

bool all_digits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

// Removes a trailing version ("2501.16396v2" -> "2501.16396") and returns it: 0 when none was
// written, -1 when it is out of range ("v0").
int strip_version(std::string_view& id) {
  const std::size_t v = id.rfind('v');
  if (v == std::string_view::npos || v == 0 || !all_digits(id.substr(v + 1))) return 0;
  auto version = parse_number(id.substr(v + 1), 1, 999);
  if (!version) return -1;
  id = id.substr(0, v);
  return *version;
}

// New-style ids (2501.16396, 0704.0001) and old-style ones (hep-th/9901001, math.GT/0309136).
bool is_arxiv_id(std::string_view id) {
  if (const std::size_t dot = id.find('.'); dot == 4 && id.find('/') == std::string_view::npos) {
    const std::string_view number = id.substr(5);
    return all_digits(id.substr(0, 4)) && all_digits(number) &&
           (number.size() == 4 || number.size() == 5);
  }
  const std::size_t slash = id.find('/');
  if (slash == std::string_view::npos || slash == 0 || id.size() - slash - 1 != 7) return false;
  if (!all_digits(id.substr(slash + 1))) return false;
  std::string_view archive = id.substr(0, slash);
  if (const std::size_t dot = archive.find('.'); dot != std::string_view::npos) {
    const std::string_view subject = archive.substr(dot + 1);
    if (subject.size() != 2 ||
        subject.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string_view::npos) {
      return false;
    }
    archive = archive.substr(0, dot);
  }
  return !archive.empty() &&
         archive.find_first_not_of("abcdefghijklmnopqrstuvwxyz-") == std::string_view::npos;
}

ParseResult parse_why(Words& words, Scope& scope) {
  const CommandInfo& info = info_of<Why>();
  if (words.empty()) return error_for(info, "which paper? Give its arXiv id");
  const std::string_view written = words.next();
  std::string_view id = written;

  // Slack turns a pasted link into <https://arxiv.org/abs/ID> or <URL|label>.
  if (id.size() > 2 && id.front() == '<' && id.back() == '>') {
    id = id.substr(1, id.size() - 2);
    id = id.substr(0, id.find('|'));
  }
  for (std::string_view prefix : {"https://arxiv.org/abs/", "http://arxiv.org/abs/", "arxiv:"}) {
    if (ascii_lower(id.substr(0, prefix.size())) == prefix) id.remove_prefix(prefix.size());
  }
  Why why;
  why.version = strip_version(id);
  if (why.version < 0 || !is_arxiv_id(id)) {
    return error_for(info, "ID must be an arXiv id such as 2501.16396 or hep-th/9901001, not " +
                               quoted(written));
  }
  why.paper_id = std::string(id);
  if (auto problem = expect_end(words, scope, info)) return *problem;
  return Command{why, scope};
}

// An optional trailing YYYY-MM-DD, for `top` and `rescore`.
std::optional<ParseError> parse_optional_date(Words& words, Scope& scope, const CommandInfo& info,
                                              std::optional<Date>& date) {
  take_global(words, scope);
  if (words.empty()) return std::nullopt;
  const std::string_view text = words.next();
  date = parse_iso_date(text);
  if (!date) return error_for(info, "the date must be written YYYY-MM-DD, not " + quoted(text));
  return expect_end(words, scope, info);
}

ParseResult parse_top(Words& words, Scope& scope) {
  const CommandInfo& info = info_of<Top>();
  const std::string_view text = words.next();
  Top top;
  auto count = parse_number(text, 1, kMaxTopCount);
  if (!count) return error_for(info, number_problem("N", text, 1, kMaxTopCount));
  top.count = *count;
  if (auto problem = parse_optional_date(words, scope, info, top.date)) return *problem;
  return Command{top, scope};
}

ParseResult parse_rescore(Words& words, Scope& scope) {
  Rescore rescore;
  if (auto problem = parse_optional_date(words, scope, info_of<Rescore>(), rescore.date)) {
    return *problem;
  }
  return Command{rescore, scope};
}

ParseResult parse_search(Words& words, Scope& scope) {
  std::string text = collapse_whitespace(words.take_rest());
  if (text.empty()) return error_for(info_of<Search>(), "search for what? Give some words");
  return Command{Search{std::move(text)}, scope};
}

// `criteria`, `criteria add TEXT`, `criteria remove N`, `criteria set TEXT`.
ParseResult parse_criteria(Words& words, Scope& scope) {
  take_global(words, scope);
  if (words.empty()) return Command{ShowCriteria{}, scope};
  const std::string_view sub = words.next();
  take_global(words, scope);

  if (is_word(sub, "add") || is_word(sub, "set")) {
    const bool add = is_word(sub, "add");
    std::string text(trim(words.take_rest()));
    if (text.empty()) {
      return error_for(add ? info_of<AddCriterion>() : info_of<SetCriteria>(),
                       "the new criteria text is missing");
    }
    if (add) return Command{AddCriterion{std::move(text)}, scope};
    return Command{SetCriteria{std::move(text)}, scope};
  }
  if (is_word(sub, "remove")) {
    const CommandInfo& info = info_of<RemoveCriterion>();
    const std::string_view text = words.next();
    constexpr int kMaxIndex = 100000;
    auto index = parse_number(text, 1, kMaxIndex);
    if (!index) return error_for(info, number_problem("N", text, 1, kMaxIndex));
    if (auto problem = expect_end(words, scope, info)) return *problem;
    return Command{RemoveCriterion{*index}, scope};
  }
  return ParseError{"criteria has no subcommand " + quoted(sub), usage_for("criteria")};
}

// `authors`, `authors add NAME`, `authors remove NAME`.
ParseResult parse_authors(Words& words, Scope& scope) {
  take_global(words, scope);
  if (words.empty()) return Command{ShowAuthors{}, scope};
  const std::string_view sub = words.next();
  take_global(words, scope);

  if (is_word(sub, "add") || is_word(sub, "remove")) {
    const bool add = is_word(sub, "add");
    std::string name = collapse_whitespace(words.take_rest());
    if (name.empty()) {
      return error_for(add ? info_of<AddAuthor>() : info_of<RemoveAuthor>(),
                       "the author's name is missing");
    }
    if (add) return Command{AddAuthor{std::move(name)}, scope};
    return Command{RemoveAuthor{std::move(name)}, scope};
  }
  return ParseError{"authors has no subcommand " + quoted(sub), usage_for("authors")};
}

// `cutoffs` alone shows them; otherwise pairs of a name and a number, in any order.
ParseResult parse_cutoffs(Words& words, Scope& scope) {
  take_global(words, scope);
  if (words.empty()) return Command{ShowCutoffs{}, scope};
  const std::string sub = ascii_lower(words.peek());
  if (sub == "why" || sub == "lock" || sub == "unlock") {
    words.next();
    take_global(words, scope);
    if (!words.empty()) {
      const CommandInfo& info = sub == "why" ? info_of<ExplainCutoffs>() : info_of<LockCutoffs>();
      return error_for(info, "cutoffs " + sub + " takes nothing after it");
    }
    if (sub == "why") return Command{ExplainCutoffs{}, scope};
    return Command{LockCutoffs{sub == "lock"}, scope};
  }

  const CommandInfo& info = info_of<SetCutoffs>();
  SetCutoffs cutoffs;
  while (!words.empty()) {
    const std::string key = ascii_lower(words.next());
    std::optional<int>* slot = nullptr;
    int high = kMaxScore;
    int low = kMinScore;
    if (key == "relevance") {
      slot = &cutoffs.relevance;
    } else if (key == "novelty") {
      slot = &cutoffs.novelty;
    } else if (key == "top") {
      slot = &cutoffs.top;
      low = 1;
      high = kMaxTopCount;
    } else {
      return error_for(info, "there is no cutoff " + quoted(key));
    }
    if (slot->has_value()) return error_for(info, key + " is given twice");

    const std::string_view text = words.next();
    auto value = parse_number(text, low, high);
    if (!value) return error_for(info, number_problem(key, text, low, high));
    *slot = *value;
    take_global(words, scope);
  }
  return Command{cutoffs, scope};
}

// `subscribe EMAIL [LIST]` and `unsubscribe EMAIL [LIST]`.
template <class T>
ParseResult parse_subscription(Words& words, Scope& scope) {
  const CommandInfo& info = info_of<T>();
  if (words.empty()) return error_for(info, "which address? Give an e-mail address");
  std::string_view address = words.next();

  // Slack shows a typed address as a mailto link: <mailto:ada@example.org|ada@example.org>.
  if (address.size() > 2 && address.front() == '<' && address.back() == '>') {
    address = address.substr(1, address.size() - 2);
    address = address.substr(0, address.find('|'));
    if (ascii_lower(address.substr(0, 7)) == "mailto:") address.remove_prefix(7);
  }
  if (auto why = email_address_problem(address); !why.empty()) {
    return error_for(info, "the address " + quoted(address) + " " + why);
  }

  // A stray `global` is taken as the scope word, which parse() then refuses, not as a list name.
  T action{std::string(address), {}};
  take_global(words, scope);
  if (!words.empty()) action.list = ascii_lower(words.next());
  if (auto problem = expect_end(words, scope, info)) return *problem;
  return Command{action, scope};
}

ParseResult parse_subscribers(Words& words, Scope& scope) {
  ShowSubscribers show;
  take_global(words, scope);
  if (!words.empty()) show.list = ascii_lower(words.next());
  if (auto problem = expect_end(words, scope, info_of<ShowSubscribers>())) return *problem;
  return Command{show, scope};
}

template <class T>
ParseResult parse_bare(Words& words, Scope& scope) {
  if (auto problem = expect_end(words, scope, info_of<T>())) return *problem;
  return Command{T{}, scope};
}

ParseResult parse_help(Words& words, Scope& scope) {
  if (words.empty()) return Command{Help{}, scope};
  const std::string topic = ascii_lower(words.next());
  if (usage_for(topic).empty()) {
    return error_for(info_of<Help>(), "there is no command " + quoted(topic));
  }
  return Command{Help{topic}, scope};
}

ParseResult parse_command(Words& words, Scope& scope, const std::string& word) {
  if (word == "help") return parse_help(words, scope);
  if (word == "today") return parse_bare<Today>(words, scope);
  if (word == "top") return parse_top(words, scope);
  if (word == "why") return parse_why(words, scope);
  if (word == "search") return parse_search(words, scope);
  if (word == "criteria") return parse_criteria(words, scope);
  if (word == "authors") return parse_authors(words, scope);
  if (word == "cutoffs") return parse_cutoffs(words, scope);
  if (word == "rescore") return parse_rescore(words, scope);
  if (word == "history") return parse_bare<History>(words, scope);
  if (word == "undo") return parse_bare<Undo>(words, scope);
  if (word == "status") return parse_bare<Status>(words, scope);
  if (word == "pause") return parse_bare<Pause>(words, scope);
  if (word == "resume") return parse_bare<Resume>(words, scope);
  if (word == "subscribe") return parse_subscription<Subscribe>(words, scope);
  if (word == "unsubscribe") return parse_subscription<Unsubscribe>(words, scope);
  if (word == "subscribers") return parse_subscribers(words, scope);
  return ParseError{"there is no command " + quoted(word), "help (lists every command)"};
}

}  // namespace

ParseResult parse(std::string_view text) {
  Words words(text);
  Scope scope = Scope::kChannel;
  take_global(words, scope);
  if (words.empty()) {
    if (scope == Scope::kGlobal) {
      return ParseError{"global needs a command after it", "help (lists every command)"};
    }
    return Command{Help{}, scope};
  }

  const std::string word = ascii_lower(words.next());
  // `global` right after the command word, but not where free text starts (`search global x`).
  const auto& table = command_table();
  const bool takes_global = std::any_of(table.begin(), table.end(), [&](const CommandInfo& info) {
    return info.word == word && info.takes_global;
  });
  if (takes_global) take_global(words, scope);
  ParseResult result = parse_command(words, scope, word);

  // Reject `global` on commands that have no global form, with the usage of the command given.
  if (result && result->scope == Scope::kGlobal &&
      !command_table()[result->action.index()].takes_global) {
    const CommandInfo& info = command_table()[result->action.index()];
    return error_for(info, std::string(info.word) + " does not take global");
  }
  return result;
}

}  // namespace paperbot::commands
