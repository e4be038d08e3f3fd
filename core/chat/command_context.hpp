// What one command runs with, and the handlers of each command group. Internal to the executor:
// executor.cpp decides the scope and the permission, then calls one handler. A handler returns
// its reply, or the store's error for executor.cpp to turn into a reply.
#pragma once

#include "core/chat/audience.hpp"
#include "core/chat/executor.hpp"
#include "core/commands/command.hpp"

#include <chrono>
#include <functional>
#include <string>

namespace paperbot::chat {

struct CommandContext {
  const Config& config;
  Store& store;
  const Asker& asker;
  std::string_view text;  // the command as written: the reason of a new criteria version
  std::chrono::sys_seconds now;
  const std::function<DaemonFacts()>& facts;

  // Whose settings and digests reads show: the channel's audience, or "files".
  std::string audience_id{};
  // Where changes go: kGlobalScope or the channel's audience id.
  std::string scope{};
  // The command named `global`.
  bool global_word = false;
  // Asked in a direct message or a channel that gets no digest.
  bool outside_audience = false;
  // The asker is one of the config's admins.
  bool by_admin = false;

  bool is_global() const { return scope == kGlobalScope; }

  // The audience whose effective settings the scope shows: "files" for the global scope.
  std::string scope_audience() const { return is_global() ? std::string(kFilesAudience) : scope; }
};

// The scope in words: "the global settings" or the channel's label.
std::string scope_label(const CommandContext& context, const ResolvedAudience& audience);

// A sentence to end a reply with when the scope is not the asker's channel, else empty.
std::string scope_note(const CommandContext& context, bool changed);

// executor_digest.cpp
Result<Reply> run_today(CommandContext& context, int count, std::optional<Date> date);
Result<Reply> run_search(CommandContext& context, const commands::Search& search);

// executor_why.cpp
Result<Reply> run_why(CommandContext& context, const commands::Why& why);

// executor_criteria.cpp
Result<Reply> run_show_criteria(CommandContext& context);
Result<Reply> run_add_criterion(CommandContext& context, const commands::AddCriterion& add);
Result<Reply> run_remove_criterion(CommandContext& context,
                                   const commands::RemoveCriterion& remove);
Result<Reply> run_set_criteria(CommandContext& context, const commands::SetCriteria& set);
Result<Reply> run_show_authors(CommandContext& context);
Result<Reply> run_add_author(CommandContext& context, const commands::AddAuthor& add);
Result<Reply> run_remove_author(CommandContext& context, const commands::RemoveAuthor& remove);

// executor_cutoffs.cpp
Result<Reply> run_show_cutoffs(CommandContext& context);
Result<Reply> run_set_cutoffs(CommandContext& context, const commands::SetCutoffs& set);
Result<Reply> run_explain_cutoffs(CommandContext& context);
Result<Reply> run_lock_cutoffs(CommandContext& context, const commands::LockCutoffs& lock);
Result<Reply> run_history(CommandContext& context);
Result<Reply> run_undo(CommandContext& context);

// executor_status.cpp
Result<Reply> run_status(CommandContext& context);
Result<Reply> run_pause(CommandContext& context, bool paused);
Result<Reply> run_rescore(CommandContext& context, const commands::Rescore& rescore);
Reply run_help(const commands::Help& help);

// executor_subscribers.cpp
Result<Reply> run_subscribe(CommandContext& context, const commands::Subscribe& subscribe);
Result<Reply> run_unsubscribe(CommandContext& context, const commands::Unsubscribe& unsubscribe);
Result<Reply> run_show_subscribers(CommandContext& context, const commands::ShowSubscribers& show);
// For `status`: how many addresses `list` goes to, and which are suspended (their addresses only
// with `show_addresses`, which is for admins).
Result<std::string> email_status_line(CommandContext& context, const EmailAudienceConfig& list,
                                      bool show_addresses);

}  // namespace paperbot::chat
