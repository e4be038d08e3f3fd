#include "bot/chat_handler.hpp"

#include "adapters/slack/block_kit.hpp"
#include "adapters/slack/web_api.hpp"
#include "bot/logging.hpp"
#include "core/store/store.hpp"

#include <spdlog/spdlog.h>

#include <type_traits>
#include <variant>

namespace paperbot {

ChatHandler::ChatHandler(Config config, std::unique_ptr<Store> store, const std::string& bot_token,
                         std::function<chat::DaemonFacts()> facts, Clock clock,
                         RescoreSink on_rescore)
    : config_(std::move(config)),
      store_(std::move(store)),
      facts_(std::move(facts)),
      clock_(std::move(clock)),
      on_rescore_(std::move(on_rescore)),
      logger_(component_logger("chat")) {
  if (!bot_token.empty()) {
    SlackWebApiOptions options;
    options.base_url = config_.slack.api_url;
    slack_ = std::make_unique<SlackWebApi>(options, bot_token);
  }
  executor_ = std::make_unique<chat::CommandExecutor>(config_, *store_, facts_, clock_);
}

ChatHandler::~ChatHandler() = default;

std::string ChatHandler::execute(const std::string& text, const std::string& user,
                                 const std::string& channel) {
  chat::Reply reply = executor_->execute(text, chat::Asker{user, channel});
  logger_->info("command from {} in {}: {}", user, channel, cut_utf8(text, 80));
  if (reply.rescore && on_rescore_) on_rescore_(*reply.rescore);
  return reply.text;
}

std::string ChatHandler::command(const slack::SlashCommand& command) {
  std::lock_guard lock(mutex_);
  return execute(command.text, command.user_id, command.channel_id);
}

void ChatHandler::command_with_response(const slack::SlashCommand& command) {
  std::string text;
  {
    std::lock_guard lock(mutex_);
    text = execute(command.text, command.user_id, command.channel_id);
  }
  if (!slack_ || command.response_url.empty()) {
    logger_->warn("cannot answer {} from {}: no way to reply", command.command, command.user_id);
    return;
  }
  if (auto sent = slack_->post_response(command.response_url, text); !sent) {
    logger_->warn("{}", sent.error().error.to_string());
  }
}

void ChatHandler::event(const slack::EventCallback& callback) {
  std::lock_guard lock(mutex_);
  auto first = store_->remember_event(callback.event_id, clock_());
  if (!first) {
    logger_->error("{}", first.error().to_string());
  } else if (!*first) {
    logger_->debug("event {} was handled before", callback.event_id);
    return;
  }
  std::visit(
      [&](const auto& inner) {
        using T = std::decay_t<decltype(inner)>;
        if constexpr (std::is_same_v<T, slack::ReactionEvent>) {
          reaction(inner);
        } else if constexpr (std::is_same_v<T, slack::MentionEvent> ||
                             std::is_same_v<T, slack::DirectMessage>) {
          std::string thread = inner.thread_ts.empty() ? inner.ts : inner.thread_ts;
          answer_in_thread(inner.channel, thread, execute(inner.text, inner.user, inner.channel));
        }
      },
      callback.event);
}

void ChatHandler::reaction(const slack::ReactionEvent& reaction) {
  slack::Vote vote = slack::normalise_reaction(reaction.reaction);
  if (vote == slack::Vote::kNone) return;
  auto posted = store_->find_posted(reaction.channel, reaction.message_ts);
  if (!posted) {
    logger_->error("{}", posted.error().to_string());
    return;
  }
  if (!*posted) return;  // not a paper the bot posted
  const PostedPaper& paper = **posted;
  int value = vote == slack::Vote::kUp ? 1 : -1;
  Result<bool> changed =
      reaction.added
          ? store_->record_feedback(
                Feedback{paper.audience, paper.paper_id, paper.date, reaction.user, value, "slack"},
                clock_())
          : store_->remove_feedback(paper.audience, paper.paper_id, reaction.user, value);
  if (!changed) {
    logger_->error("{}", changed.error().to_string());
    return;
  }
  if (*changed) {
    logger_->info("feedback {} {} on {} in {} by {}", reaction.added ? "+" : "-",
                  value > 0 ? "👍" : "👎", paper.paper_id, paper.audience, reaction.user);
  }
}

void ChatHandler::answer_in_thread(const std::string& channel, const std::string& thread_ts,
                                   const std::string& text) {
  if (!slack_) {
    logger_->info("reply to {} (no Slack token to post it): {}", channel, text);
    return;
  }
  SlackMessage message;
  message.text = text;
  if (auto posted = slack_->post_message(channel, message, thread_ts); !posted) {
    logger_->warn("{}", posted.error().error.to_string());
  }
}

void ChatHandler::reload(Config config) {
  std::lock_guard lock(mutex_);
  config_ = std::move(config);
  executor_ = std::make_unique<chat::CommandExecutor>(config_, *store_, facts_, clock_);
}

}  // namespace paperbot
