// The executor's front: parse, check who may, pick the scope, hand over to one handler, and turn
// whatever comes back (including a failure) into a reply.
#include "core/chat/executor.hpp"

#include "core/chat/command_context.hpp"
#include "core/chat/reply_text.hpp"
#include "core/common/text.hpp"

#include <algorithm>
#include <exception>
#include <type_traits>
#include <utility>

namespace paperbot::chat {
namespace {

using namespace commands;

// The default of `top`: the whole digest.
constexpr int kWholeDigest = kMaxTopCount;

std::string refusal(const Asker& asker, const Command& command, const SlackConfig& slack) {
  const std::string why =
      is_mutating(command) ? "changes what everyone gets" : "shows people's e-mail addresses";
  std::string text = "Sorry " + person_label(asker.user) + ", `" +
                     std::string(command_name(command.action)) + "` " + why +
                     ", so only the admins may use it";
  if (slack.admins.empty()) {
    return text + ", and the config names none ([SLACK] admins). Nothing was changed.";
  }
  std::vector<std::string> admins;
  for (const std::string& admin : slack.admins) admins.push_back(person_label(admin));
  return text + ": " + join(admins, ", ") + ". Nothing was changed; ask one of them.";
}

Result<Reply> dispatch(CommandContext& context, const Action& action) {
  return std::visit(
      [&](const auto& command) -> Result<Reply> {
        using T = std::decay_t<decltype(command)>;
        if constexpr (std::is_same_v<T, Help>) return run_help(command);
        if constexpr (std::is_same_v<T, Today>) return run_today(context, kWholeDigest, {});
        if constexpr (std::is_same_v<T, Top>) {
          return run_today(context, command.count, command.date);
        }
        if constexpr (std::is_same_v<T, Why>) return run_why(context, command);
        if constexpr (std::is_same_v<T, Search>) return run_search(context, command);
        if constexpr (std::is_same_v<T, ShowCriteria>) return run_show_criteria(context);
        if constexpr (std::is_same_v<T, AddCriterion>) return run_add_criterion(context, command);
        if constexpr (std::is_same_v<T, RemoveCriterion>) {
          return run_remove_criterion(context, command);
        }
        if constexpr (std::is_same_v<T, SetCriteria>) return run_set_criteria(context, command);
        if constexpr (std::is_same_v<T, ShowAuthors>) return run_show_authors(context);
        if constexpr (std::is_same_v<T, AddAuthor>) return run_add_author(context, command);
        if constexpr (std::is_same_v<T, RemoveAuthor>) return run_remove_author(context, command);
        if constexpr (std::is_same_v<T, ShowCutoffs>) return run_show_cutoffs(context);
        if constexpr (std::is_same_v<T, SetCutoffs>) return run_set_cutoffs(context, command);
        if constexpr (std::is_same_v<T, ExplainCutoffs>) return run_explain_cutoffs(context);
        if constexpr (std::is_same_v<T, LockCutoffs>) return run_lock_cutoffs(context, command);
        if constexpr (std::is_same_v<T, Rescore>) return run_rescore(context, command);
        if constexpr (std::is_same_v<T, History>) return run_history(context);
        if constexpr (std::is_same_v<T, Undo>) return run_undo(context);
        if constexpr (std::is_same_v<T, Status>) return run_status(context);
        if constexpr (std::is_same_v<T, Pause>) return run_pause(context, true);
        if constexpr (std::is_same_v<T, Resume>) return run_pause(context, false);
        if constexpr (std::is_same_v<T, Subscribe>) return run_subscribe(context, command);
        if constexpr (std::is_same_v<T, Unsubscribe>) return run_unsubscribe(context, command);
        if constexpr (std::is_same_v<T, ShowSubscribers>) {
          return run_show_subscribers(context, command);
        }
      },
      action);
}

}  // namespace

std::string scope_label(const CommandContext& context, const ResolvedAudience& audience) {
  return context.is_global() ? "the global settings" : audience_label(audience);
}

std::string scope_note(const CommandContext& context, bool changed) {
  if (!context.outside_audience) return {};
  if (changed) {
    return "\n_This channel gets no digest, so the change went to the global settings, which "
           "every channel inherits unless it sets its own._";
  }
  return "\n_This channel gets no digest, so these are the global settings._";
}

CommandExecutor::CommandExecutor(const Config& config, Store& store,
                                 std::function<DaemonFacts()> facts,
                                 std::function<std::chrono::sys_seconds()> clock)
    : config_(config), store_(store), facts_(std::move(facts)), clock_(std::move(clock)) {}

bool CommandExecutor::is_admin(const std::string& user) const {
  const auto& admins = config_.slack.admins;
  return !user.empty() && std::find(admins.begin(), admins.end(), user) != admins.end();
}

Reply CommandExecutor::execute(std::string_view text, const Asker& asker) {
  try {
    auto parsed = parse(text);
    if (!parsed) return Reply{escape(parsed.error().to_string()), std::nullopt};
    const Command& command = *parsed;

    const bool by_admin = is_admin(asker.user);
    if (is_admin_only(command) && !by_admin) {
      return Reply{refusal(asker, command, config_.slack), std::nullopt};
    }

    const auto now =
        clock_ ? clock_()
               : std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    CommandContext context{config_, store_, asker, text, now, facts_};
    context.by_admin = by_admin;
    const SlackAudienceConfig* channel = config_.slack.audience_of_channel(asker.channel);
    if (command.scope == Scope::kGlobal) {
      context.audience_id = kFilesAudience;
      context.scope = kGlobalScope;
      context.global_word = true;
    } else if (channel != nullptr) {
      context.audience_id = channel->audience();
      context.scope = context.audience_id;
    } else {
      context.audience_id = kFilesAudience;
      context.scope = kGlobalScope;
      context.outside_audience = true;
    }

    auto reply = dispatch(context, command.action);
    if (!reply) {
      return Reply{"Sorry, that did not work: " + escape(reply.error().to_string()), std::nullopt};
    }
    reply->text = fit(std::move(reply->text));
    return std::move(*reply);
  } catch (const std::exception& error) {
    // A bug, not an expected failure; the person still gets an answer.
    return Reply{"Sorry, something went wrong inside paperbot: " + escape(error.what()),
                 std::nullopt};
  } catch (...) {
    return Reply{"Sorry, something went wrong inside paperbot.", std::nullopt};
  }
}

}  // namespace paperbot::chat
