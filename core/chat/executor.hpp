// Runs the chat commands (core/commands/command.hpp) against the store and answers in Slack's
// mrkdwn. The daemon hands it the text of a slash command, a mention or a direct message with who
// asked where, and posts the reply; nothing here talks to Slack or arXiv.
//
// Where a command applies:
//  - In a channel the config makes an audience ([SLACK C0123]), to that audience: reads show its
//    effective settings and digests, changes go to its own chat scope ("slack:C0123").
//  - Anywhere else (a direct message, another channel), reads show the output folder's audience
//    ("files", the global view) and changes go to the global scope; the reply says so.
//  - With the `global` word, to the global scope (the defaults every channel inherits); reads show
//    the global view.
// Commands that change anything or show e-mail addresses (commands::is_admin_only) are for the
// user ids in [SLACK] admins; anyone else gets a polite refusal and nothing changes. Each change of
// criteria, authors or cutoffs is a settings change with who and when (`history`, `undo`). A
// command that does not parse gets its usage line.
//
// `rescore` does no scoring here: the reply carries a RescoreJob for the daemon to run after it
// has acknowledged the command, and the daemon posts the outcome.
//
// Thread safety: an executor and its store are used from one thread. execute() never throws; a
// store failure becomes a reply that says what failed.
#pragma once

#include "core/common/date.hpp"
#include "core/config/config.hpp"
#include "core/store/store.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace paperbot::chat {

// Who gave a command and where (Slack ids). The channel may be a direct message (D…) or a
// channel that is no audience.
struct Asker {
  std::string user;
  std::string channel;
};

// A day to score again under an audience's current criteria, for `user`, who asked.
struct RescoreJob {
  std::string audience;  // "slack:C0123", or "files"
  Date date;
  std::string user;
};

struct Reply {
  std::string text;                   // mrkdwn, escaped, at most about 3000 characters
  std::optional<RescoreJob> rescore;  // run by the caller after acknowledging, which then posts
                                      // the result
};

// What only the daemon knows, shown by `status`.
struct DaemonFacts {
  std::optional<std::chrono::sys_seconds> next_run;
  std::optional<Date> next_announcement;
  std::optional<std::string> last_error;
};

// The `status` reply for `audience_id` (any audience: "files", "slack:C0123", "email:theory"),
// as the chat command gives it, for the command line. `show_addresses` names suspended e-mail
// addresses, as for an admin. A store failure becomes the reply's text.
Reply status_reply(const Config& config, Store& store, const std::string& audience_id,
                   const DaemonFacts& facts, std::chrono::sys_seconds now, bool show_addresses);

class CommandExecutor {
 public:
  // Keeps a copy of `config`; `store` must outlive the executor. `facts` (may be empty) is asked
  // only by `status`; `clock` gives the time of changes, of "this month" and of "recent days".
  CommandExecutor(const Config& config, Store& store, std::function<DaemonFacts()> facts,
                  std::function<std::chrono::sys_seconds()> clock);

  // Parses `text` (commands::parse) and runs it for `asker`.
  Reply execute(std::string_view text, const Asker& asker);

 private:
  bool is_admin(const std::string& user) const;

  Config config_;
  Store& store_;
  std::function<DaemonFacts()> facts_;
  std::function<std::chrono::sys_seconds()> clock_;
};

}  // namespace paperbot::chat
