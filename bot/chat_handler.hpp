// The daemon's chat side: what people say to the bot, and their 👍 and 👎.
//
// - A slash command is answered with a reply only its author sees: in the HTTP acknowledgement
//   (HTTP mode), or through its response_url (Socket Mode).
// - A mention of the bot, or a direct message, is a command too; the answer goes in its thread.
// - A reaction on a paper's message is feedback for that paper in that channel's audience:
//   👍 (+1, thumbsup, any skin tone) and 👎 (-1, thumbsdown) are recorded, taking the reaction back
//   removes it, other reactions are ignored, and so are reactions on anything that is not a
//   paper the bot posted.
// - Events already handled (by event_id) are dropped; the ids are kept in the store, so a Slack
//   retry after a restart is dropped too.
// - `rescore` is acknowledged at once; the work goes to the runner through `on_rescore`.
//
// The chat side has its own store connection, so that commands are answered while a digest is
// being scored. Thread safety: every method may be called from any thread; calls are serialised.
#pragma once

#include "adapters/slack/events.hpp"
#include "adapters/slack/slash_command.hpp"
#include "core/chat/executor.hpp"
#include "core/config/config.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace spdlog {
class logger;
}

namespace paperbot {

class SlackWebApi;
class Store;

class ChatHandler {
 public:
  using Clock = std::function<std::chrono::sys_seconds()>;
  using RescoreSink = std::function<void(chat::RescoreJob)>;

  // `bot_token` may be empty (no Slack): replies that need the Web API are then only logged.
  ChatHandler(Config config, std::unique_ptr<Store> store, const std::string& bot_token,
              std::function<chat::DaemonFacts()> facts, Clock clock, RescoreSink on_rescore);
  ~ChatHandler();
  ChatHandler(const ChatHandler&) = delete;
  ChatHandler& operator=(const ChatHandler&) = delete;

  // A slash command: the reply for the person who asked.
  std::string command(const slack::SlashCommand& command);

  // A slash command from Socket Mode, whose acknowledgement carried no reply: answered through
  // its response_url.
  void command_with_response(const slack::SlashCommand& command);

  // An event the bot acts on: a reaction, a mention or a direct message.
  void event(const slack::EventCallback& event);

  // Takes a new config (SIGHUP): admins, audiences and their settings.
  void reload(Config config);

 private:
  std::string execute(const std::string& text, const std::string& user, const std::string& channel);
  void reaction(const slack::ReactionEvent& reaction);
  void answer_in_thread(const std::string& channel, const std::string& thread_ts,
                        const std::string& text);

  std::mutex mutex_;
  Config config_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<SlackWebApi> slack_;
  std::function<chat::DaemonFacts()> facts_;
  Clock clock_;
  RescoreSink on_rescore_;
  std::unique_ptr<chat::CommandExecutor> executor_;
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace paperbot
