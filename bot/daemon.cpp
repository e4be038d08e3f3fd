#include "bot/daemon.hpp"

#include "adapters/slack/http_listener.hpp"
#include "adapters/slack/socket_client.hpp"
#include "bot/announcement_runner.hpp"
#include "bot/chat_handler.hpp"
#include "bot/exit_codes.hpp"
#include "bot/logging.hpp"
#include "bot/operator_pages.hpp"
#include "bot/scorer_setup.hpp"
#include "bot/secrets.hpp"
#include "bot/web_links.hpp"
#include "core/store/store.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace paperbot {
namespace {

namespace asio = boost::asio;
using std::chrono::sys_seconds;
using namespace std::chrono_literals;

// A stop waits this long for the runner to finish its message (or its scoring) before the
// process ends anyway; the store is consistent at any point.
constexpr auto kStopGrace = 30s;
// The schedule is looked at again at least this often, in case the system clock jumped.
constexpr auto kMaxSleep = std::chrono::hours(1);

struct Settings {
  Config config;
  std::filesystem::path store_path;
  RunnerSecrets secrets;
  std::string app_token;       // Socket Mode
  std::string signing_secret;  // HTTP mode
  AnnouncementRunner::Clock clock;
};

class Daemon {
 public:
  Daemon(Settings settings, std::unique_ptr<Store> runner_store, std::unique_ptr<Store> chat_store,
         std::unique_ptr<Store> web_store, std::unique_ptr<Store> pages_store,
         std::optional<std::filesystem::path> config_dir)
      : settings_(std::move(settings)),
        config_dir_(std::move(config_dir)),
        logger_(component_logger("daemon")),
        runner_(settings_.config, std::move(runner_store), settings_.secrets, settings_.clock,
                stopping_),
        chat_(
            settings_.config, std::move(chat_store), settings_.secrets.slack_bot_token,
            [this] { return runner_.facts(); }, settings_.clock,
            [this](chat::RescoreJob job) { queue_rescore(std::move(job)); }),
        links_(std::move(web_store), settings_.secrets.email.link_secret, settings_.clock,
               component_logger("web")),
        pages_(settings_.config, std::move(pages_store), settings_.clock, component_logger("web")) {
  }

  int run() {
    if (auto started = runner_.start(); !started) {
      logger_->error("{}", started.error().to_string());
      return kExitConfig;
    }
    if (auto listening = listen(); !listening) {
      logger_->error("{}", listening.error().to_string());
      return kExitConfig;
    }
    signals_.async_wait([this](auto error, int signal) { on_signal(error, signal); });
    asio::co_spawn(io_, schedule_loop(), asio::detached);
    const std::vector<std::string> audiences = chat::audience_ids(settings_.config);
    std::string listed;
    for (const std::string& id : audiences) listed += (listed.empty() ? "" : ", ") + id;
    logger_->info("paperbot {} serving: {} audience(s) ({}), Slack {}", PAPERBOT_VERSION,
                  audiences.size(), listed,
                  settings_.secrets.slack_bot_token.empty() ? "off (no SLACK_BOT_TOKEN)"
                                                            : settings_.config.slack.mode);
    io_.run();
    finish();
    return kExitOk;
  }

 private:
  Result<void> listen() {
    const bool slack = !settings_.secrets.slack_bot_token.empty();
    const bool slack_http = slack && settings_.config.slack.mode == "http";
    // Always: the operators' pages are there whatever else is configured.
    if (auto started = start_web_server(slack_http); !started) return started;
    if (!slack || slack_http) return {};
    return start_socket_mode();
  }

  // The 👍 and unsubscribe links of e-mails point here once [EMAIL] public_url says where.
  bool serves_links() const {
    return !settings_.config.email.public_url.empty() &&
           !settings_.secrets.email.link_secret.empty();
  }

  // The one web server: the operators' pages, Slack's HTTP mode when `slack_http`, the e-mail
  // links when configured.
  Result<void> start_web_server(bool slack_http) {
    slack::HttpListenerOptions options;
    options.bind_address = settings_.config.server.bind_address;
    options.port = static_cast<unsigned short>(settings_.config.server.port);
    options.bot_user_id = runner_.bot_user_id();
    slack::HttpListenerHandlers handlers;
    if (slack_http) {
      // Without a signing secret every Slack POST is refused.
      options.signing_secret = settings_.signing_secret;
      handlers.on_event = [this](slack::EventCallback event) { chat_.event(event); };
      handlers.on_command = [this](const slack::SlashCommand& command) {
        return std::optional<std::string>(chat_.command(command));
      };
    }
    handlers.web_serves_health = true;
    handlers.on_web = [this, links = serves_links()](const slack::WebRequest& request) {
      if (OperatorPages::serves(request.path)) return pages_.handle(request);
      if (links) return links_.handle(request);
      slack::WebResponse missing;
      missing.status = 404;
      missing.content_type = "text/plain; charset=utf-8";
      missing.body = "There is no page here.\n";
      return missing;
    };
    // One web server for Slack's HTTP mode, the e-mail links and the operator's pages.
    listener_ = std::make_unique<slack::SlackHttpListener>(
        io_, std::move(options), std::move(handlers), component_logger("web"));
    return listener_->start();
  }

  Result<void> start_socket_mode() {
    const SlackConfig& slack = settings_.config.slack;
    slack::SocketClientOptions options;
    options.app_token = settings_.app_token;
    options.api_url = slack.api_url;
    options.bot_user_id = runner_.bot_user_id();
    slack::SocketClientHandlers handlers;
    handlers.on_event = [this](slack::EventCallback event) {
      asio::post(chat_pool_, [this, event = std::move(event)] { chat_.event(event); });
    };
    handlers.on_command = [this](slack::SlashCommand command) {
      asio::post(chat_pool_,
                 [this, command = std::move(command)] { chat_.command_with_response(command); });
    };
    socket_ = std::make_unique<slack::SlackSocketClient>(
        io_, std::move(options), std::move(handlers), component_logger("slack"));
    return socket_->start();
  }

  // The schedule: a step on the runner, then sleep until the next one is due.
  asio::awaitable<void> schedule_loop() {
    while (!stopping_) {
      if (reload_requested_.exchange(false))
        co_await asio::co_spawn(runner_pool_, reload(), asio::use_awaitable);
      sys_seconds next = co_await asio::co_spawn(runner_pool_, runner_step(), asio::use_awaitable);
      if (stopping_) break;
      auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next - settings_.clock());
      wake_.expires_after(std::clamp<std::chrono::milliseconds>(wait, 100ms, kMaxSleep));
      co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
  }

  asio::awaitable<sys_seconds> runner_step() { co_return runner_.step(); }

  asio::awaitable<void> reload() {
    auto config = config_dir_ ? load_config(*config_dir_) : Result<Config>(default_config());
    if (!config) {
      logger_->error("reload: {}; keeping the running config", config.error().to_string());
      co_return;
    }
    for (const auto& notice : config->notices) {
      logger_->warn("{}:{}: {}", notice.file, notice.line, notice.message);
    }
    if (config->slack.mode != settings_.config.slack.mode ||
        config->server != settings_.config.server ||
        config->slack.api_url != settings_.config.slack.api_url ||
        config->email.smtp_url != settings_.config.email.smtp_url ||
        config->email.security != settings_.config.email.security) {
      logger_->warn(
          "reload: Slack's mode and api_url, [SERVER] and the SMTP server take effect at the "
          "next start");
    }
    runner_.reload(*config);
    chat_.reload(*config);
    pages_.reload(*config);
    logger_->info("reloaded the config from {}",
                  config_dir_ ? config_dir_->string() : std::string("the embedded example"));
  }

  void queue_rescore(chat::RescoreJob job) {
    asio::post(runner_pool_, [this, job = std::move(job)] {
      if (stopping_) return;
      logger_->info("re-scoring {} for {}", format_iso_date(job.date), job.audience);
      runner_.rescore(job);
    });
  }

  void on_signal(const boost::system::error_code& error, int signal) {
    if (error) return;  // cancelled by stop
    if (signal == SIGHUP) {
      logger_->info("SIGHUP: reloading the config");
      reload_requested_ = true;
      wake_.cancel();
      signals_.async_wait([this](auto next_error, int next) { on_signal(next_error, next); });
      return;
    }
    logger_->info("{}: finishing the message in flight, then stopping",
                  signal == SIGTERM ? "SIGTERM" : "SIGINT");
    stopping_ = true;
    wake_.cancel();
    signals_.cancel();
    if (socket_) socket_->stop();
    // Waits for a chat handler already running on the listener's workers.
    if (listener_) listener_->stop();
  }

  // After the io_context has run out of work: wait for the workers, within the grace period.
  void finish() {
    std::atomic<bool> joined = false;
    std::thread watchdog([this, &joined] {
      auto deadline = std::chrono::steady_clock::now() + kStopGrace;
      while (!joined && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(50ms);
      }
      if (!joined) {
        logger_->warn("the runner did not finish within {} s; stopping anyway",
                      std::chrono::seconds(kStopGrace).count());
        spdlog::shutdown();
        std::_Exit(kExitOk);
      }
    });
    runner_pool_.join();
    chat_pool_.join();
    joined = true;
    watchdog.join();
    logger_->info("stopped");
  }

  Settings settings_;
  std::optional<std::filesystem::path> config_dir_;
  std::shared_ptr<spdlog::logger> logger_;
  std::atomic<bool> stopping_ = false;
  std::atomic<bool> reload_requested_ = false;

  asio::io_context io_{1};
  asio::signal_set signals_{io_, SIGTERM, SIGINT, SIGHUP};
  asio::steady_timer wake_{io_};
  asio::thread_pool runner_pool_{1};
  asio::thread_pool chat_pool_{1};

  AnnouncementRunner runner_;
  ChatHandler chat_;
  WebLinks links_;
  OperatorPages pages_;
  std::unique_ptr<slack::SlackHttpListener> listener_;
  std::unique_ptr<slack::SlackSocketClient> socket_;
};

// The daemon's clock: the real one, or one that starts at --now and runs at the real pace.
Result<AnnouncementRunner::Clock> make_clock(const std::optional<std::string>& now) {
  auto real = [] {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  };
  if (!now) return AnnouncementRunner::Clock(real);
  // "2025-01-29T06:05:00Z"
  auto date = now->size() == 20 ? parse_iso_date(now->substr(0, 10)) : std::nullopt;
  int hour = 0, minute = 0, second = 0;
  char zone = 0;
  if (!date ||
      std::sscanf(now->c_str() + 10, "T%2d:%2d:%2d%c", &hour, &minute, &second, &zone) != 4 ||
      zone != 'Z' || hour > 23 || minute > 59 || second > 59) {
    return make_error("read --now",
                      "'" + *now + "': expected a UTC time like 2025-01-29T06:05:00Z");
  }
  sys_seconds start = std::chrono::sys_days(*date) + std::chrono::hours(hour) +
                      std::chrono::minutes(minute) + std::chrono::seconds(second);
  auto offset = start - real();
  return AnnouncementRunner::Clock([real, offset] { return real() + offset; });
}

// The Slack secrets the config's mode needs, from the environment.
Result<void> read_slack_secrets(const Config& config, Settings& settings) {
  auto bot_token = secret_from_environment("SLACK_BOT_TOKEN");
  if (!bot_token) return bot_token.error();
  settings.secrets.slack_bot_token = *bot_token;
  if (bot_token->empty()) {
    if (!config.slack.audiences.empty()) {
      return make_error("read Slack secrets",
                        "the config names Slack channels but SLACK_BOT_TOKEN is not set; set it "
                        "(or SLACK_BOT_TOKEN_FILE) to the app's bot token, xoxb-…");
    }
    return {};
  }
  if (config.slack.mode == "http") {
    auto secret = secret_from_environment("SLACK_SIGNING_SECRET");
    if (!secret) return secret.error();
    if (secret->empty()) {
      return make_error("read Slack secrets",
                        "[SLACK] mode = http needs SLACK_SIGNING_SECRET (the app's Basic "
                        "Information page has it) to check that requests come from Slack");
    }
    settings.signing_secret = *secret;
    return {};
  }
  auto app_token = secret_from_environment("SLACK_APP_TOKEN");
  if (!app_token) return app_token.error();
  if (app_token->empty()) {
    return make_error("read Slack secrets",
                      "[SLACK] mode = socket needs SLACK_APP_TOKEN, an app-level token (xapp-…) "
                      "with connections:write; or set mode = http");
  }
  settings.app_token = *app_token;
  return {};
}

}  // namespace

int run_serve_command(const ServeOptions& options) {
  auto logger = component_logger("daemon");
  auto config =
      options.config_dir ? load_config(*options.config_dir) : Result<Config>(default_config());
  if (!config) {
    logger->error("{}", config.error().to_string());
    return kExitConfig;
  }
  for (const auto& notice : config->notices) {
    logger->warn("{}:{}: {}", notice.file, notice.line, notice.message);
  }

  Settings settings;
  auto clock = make_clock(options.now);
  if (!clock) {
    logger->error("{}", clock.error().to_string());
    return kExitUsage;
  }
  settings.clock = *clock;
  auto api_key = llm_api_key_from_environment();
  if (!api_key) {
    logger->error("{}", api_key.error().to_string());
    return kExitConfig;
  }
  settings.secrets.llm_api_key = *api_key;
  if (auto slack = read_slack_secrets(*config, settings); !slack) {
    logger->error("{}", slack.error().to_string());
    return kExitConfig;
  }
  auto email = email_secrets_from_environment();
  if (!email) {
    logger->error("{}", email.error().to_string());
    return kExitConfig;
  }
  settings.secrets.email = std::move(*email);

  // Four connections to one SQLite file (WAL): the runner writes while chat commands, the web
  // links and the operators' pages read and write.
  settings.store_path = options.store_path.value_or(config->paperbot.store_path);
  std::unique_ptr<Store> stores[4];
  for (auto& store : stores) {
    auto opened = Store::open(settings.store_path);
    if (!opened) {
      logger->error("{}", opened.error().to_string());
      return kExitStore;
    }
    store = std::move(*opened);
  }
  settings.config = std::move(*config);
  Daemon daemon(std::move(settings), std::move(stores[0]), std::move(stores[1]),
                std::move(stores[2]), std::move(stores[3]), options.config_dir);
  return daemon.run();
}

}  // namespace paperbot
