// The routing half of SlackHttpListener: what each path answers. Every POST to a Slack path passes
// the signature check on the raw body first; only then is the body parsed, and slow work is handed
// to the worker strands so that the acknowledgement never waits for it. Every other path is a web
// page, answered by `on_web` on a strand of its own within a budget.
#include "adapters/slack/http_listener_impl.hpp"
#include "adapters/slack/request_signing.hpp"

#include <spdlog/logger.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <exception>
#include <utility>
#include <variant>

namespace paperbot::slack {

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

std::optional<std::string_view> header(const HttpRequest& request, std::string_view name) {
  // Beast compares field names case-insensitively, as HTTP requires.
  auto field = request.find(beast::string_view(name.data(), name.size()));
  if (field == request.end()) {
    return std::nullopt;
  }
  return std::string_view(field->value().data(), field->value().size());
}

// A handler's exception must not take the worker thread down with it.
template <class Call>
void run_guarded(spdlog::logger& logger, std::string_view what, Call&& call) {
  try {
    call();
  } catch (const std::exception& error) {
    logger.error("{} handler threw: {}", what, error.what());
  } catch (...) {
    logger.error("{} handler threw a non-exception", what);
  }
}

// Makes the budget timer reachable while the I/O side waits on it for a worker's reply: by the
// worker, which wakes it early with the reply, and by stop(), which cancels it. However the
// coroutine ends, neither keeps a pointer to the timer afterwards.
template <class Reply>
class BudgetWait {
 public:
  BudgetWait(std::shared_ptr<PendingCall<Reply>> call, std::shared_ptr<OpenWork> work,
             asio::steady_timer& timer)
      : call_(std::move(call)), listed_(std::move(work), timer) {
    std::lock_guard lock(call_->mutex);
    call_->waiting = &timer;
  }
  ~BudgetWait() {
    std::lock_guard lock(call_->mutex);
    call_->waiting = nullptr;
  }
  BudgetWait(const BudgetWait&) = delete;
  BudgetWait& operator=(const BudgetWait&) = delete;

 private:
  std::shared_ptr<PendingCall<Reply>> call_;
  OpenWorkEntry<asio::steady_timer> listed_;
};

// The I/O side, once its wait ends: the worker's reply if it came in time. Otherwise the call is
// marked abandoned, so that the worker drops whatever it returns later.
template <class Reply>
std::optional<Reply> take_reply(PendingCall<Reply>& call) {
  std::lock_guard lock(call.mutex);
  if (call.reply) {
    return std::move(call.reply);
  }
  call.abandoned = true;
  return std::nullopt;
}

// The worker side: leaves the handler's reply and wakes the I/O side early. False when the
// budget ran out first and the reply has nowhere to go.
template <class Reply>
bool deliver_reply(asio::io_context& io, const std::shared_ptr<PendingCall<Reply>>& call,
                   Reply reply) {
  std::lock_guard lock(call->mutex);
  if (call->abandoned) {
    return false;
  }
  call->reply = std::move(reply);
  if (call->waiting != nullptr) {
    // The I/O side reads the reply under the same mutex; its timer belongs to the I/O thread.
    asio::post(io, [call] {
      std::lock_guard wake_lock(call->mutex);
      if (call->waiting != nullptr) call->waiting->cancel();
    });
  }
  return true;
}

constexpr std::string_view kPlainText = "text/plain; charset=utf-8";

WebResponse plain_page(int status, std::string text) {
  return WebResponse{status, std::string(kPlainText), std::move(text)};
}

bool is_web_method(http::verb method) {
  return method == http::verb::get || method == http::verb::head || method == http::verb::post;
}

WebRequest web_request_of(const HttpRequest& request) {
  const std::string_view target(request.target().data(), request.target().size());
  const std::size_t query_mark = target.find('?');
  WebRequest web;
  web.method = std::string(request.method_string());
  web.path = std::string(target.substr(0, query_mark));
  if (query_mark != std::string_view::npos) {
    web.query = std::string(target.substr(query_mark + 1));
  }
  web.content_type = std::string(header(request, "Content-Type").value_or(""));
  web.body = request.body();
  return web;
}

// The HTTP answer to a web request: the page, or a 500 when the handler's status is not a final
// one or its content type would smuggle in a header, with the headers every web answer carries.
HttpResponse web_response(spdlog::logger& logger, const HttpRequest& request, WebResponse page) {
  const bool final_status = page.status >= 200 && page.status <= 599;
  if (!final_status || page.content_type.find_first_of("\r\n") != std::string::npos) {
    logger.error("web handler for {} answered an unsendable response (status {})",
                 std::string(path_of(request)), page.status);
    page = plain_page(500, "internal error");
  }

  HttpResponse response = make_response(request, static_cast<http::status>(page.status),
                                        page.content_type, std::move(page.body));
  // The pages are personal (a subscriber's link): no cache keeps them, no browser guesses a type.
  response.set(http::field::cache_control, "no-store");
  response.set("X-Content-Type-Options", "nosniff");
  return response;
}

}  // namespace

std::string_view path_of(const HttpRequest& request) {
  std::string_view target(request.target().data(), request.target().size());
  return target.substr(0, target.find('?'));
}

HttpResponse make_response(const HttpRequest& request, http::status status,
                           std::string_view content_type, std::string body) {
  HttpResponse response{status, request.version()};
  if (!content_type.empty()) {
    response.set(http::field::content_type,
                 beast::string_view(content_type.data(), content_type.size()));
  }
  response.keep_alive(request.keep_alive());
  response.body() = std::move(body);
  response.prepare_payload();

  // A body after a HEAD's answer would be read as the start of the next one.
  if (request.method() == http::verb::head) {
    response.body().clear();
  }
  return response;
}

asio::awaitable<HttpResponse> SlackHttpListener::Impl::route(const HttpRequest& request) {
  const std::string_view path = path_of(request);
  // The listener says it is up, unless the web pages say how the whole program is doing.
  const bool own_health = path == "/healthz" && !(handlers.on_web && handlers.web_serves_health);
  if (request.method() == http::verb::get && own_health) {
    co_return make_response(request, http::status::ok, "text/plain", "ok");
  }

  const bool slack_path =
      path == "/slack/events" || path == "/slack/commands" || path == "/slack/interactivity";
  if (!slack_path && !own_health) {
    co_return co_await handle_web(request);
  }
  if (request.method() != http::verb::post || !slack_path) {
    co_return make_response(request, http::status::not_found, "text/plain", "not found");
  }

  if (auto refusal = refuse_unsigned(request)) {
    co_return std::move(*refusal);
  }
  if (path == "/slack/events") {
    co_return handle_events(request);
  }
  if (path == "/slack/commands") {
    co_return co_await handle_command(request);
  }
  co_return handle_interactivity(request);
}

std::optional<HttpResponse> SlackHttpListener::Impl::refuse_unsigned(const HttpRequest& request) {
  SignedRequest signed_request;
  signed_request.timestamp = header(request, "X-Slack-Request-Timestamp");
  signed_request.signature = header(request, "X-Slack-Signature");
  signed_request.body = request.body();

  const auto now = options.clock ? options.clock() : std::chrono::system_clock::now();
  const SignatureCheck check = verify_signature(options.signing_secret, signed_request, now);
  if (check == SignatureCheck::kValid) {
    return std::nullopt;
  }
  logger->warn("refused {} from Slack's side: {}", std::string(path_of(request)), to_string(check));
  return make_response(request, http::status::unauthorized, "text/plain", "invalid signature");
}

HttpResponse SlackHttpListener::Impl::handle_events(const HttpRequest& request) {
  auto parsed = parse_events_api_body(request.body(), options.bot_user_id);
  if (!parsed) {
    logger->info("malformed Events API body: {}", parsed.error().message);
    return make_response(request, http::status::bad_request, "text/plain", "malformed event body");
  }

  if (auto* verification = std::get_if<UrlVerification>(&*parsed)) {
    logger->info("answered Slack's url_verification");
    return make_response(request, http::status::ok, "text/plain", verification->challenge);
  }
  if (auto* limited = std::get_if<AppRateLimited>(&*parsed)) {
    logger->warn("Slack dropped events for team {} (app_rate_limited, minute {})", limited->team_id,
                 limited->minute_rate_limited);
  } else if (auto* ignored = std::get_if<Ignored>(&*parsed)) {
    logger->debug("ignored {} body: {}", ignored->type, ignored->reason);
  } else if (auto* callback = std::get_if<EventCallback>(&*parsed)) {
    // Retries repeat the event_id; the first delivery may still be in the handler's queue.
    const auto retry = header(request, "X-Slack-Retry-Num");
    if (!dedupe.first_sighting(callback->event_id, EventDedupe::Clock::now())) {
      logger->debug("event {} already handed off (retry {})", callback->event_id,
                    retry.value_or("none"));
    } else if (auto* inner_ignored = std::get_if<Ignored>(&callback->event)) {
      logger->debug("ignored event {} ({}): {}", callback->event_id, inner_ignored->type,
                    inner_ignored->reason);
    } else {
      logger->debug("event {} handed off (retry {})", callback->event_id, retry.value_or("none"));
      hand_off_event(std::move(*callback));
    }
  }
  return make_response(request, http::status::ok, "text/plain", "");
}

asio::awaitable<HttpResponse> SlackHttpListener::Impl::handle_command(const HttpRequest& request) {
  auto command = parse_slash_command_form(request.body());
  if (!command) {
    logger->info("malformed slash command: {}", command.error().message);
    co_return make_response(request, http::status::bad_request, "text/plain",
                            "malformed slash command");
  }
  logger->debug("slash command {} from {}", command->command, command->user_id);
  if (!handlers.on_command) {
    co_return make_response(request, http::status::ok, "text/plain", "");
  }

  // Wait for the handler's reply on a timer that the worker cancels when it has one; the timer
  // running out first is the budget spent.
  auto call = std::make_shared<PendingCommand>();
  asio::steady_timer budget(io, options.command_budget);
  BudgetWait<std::optional<std::string>> wait(call, open_work, budget);
  hand_off_command(call, std::move(*command));
  co_await budget.async_wait(kNoThrow);

  // Empty when the budget ran out, or when the handler had nothing to say.
  const std::optional<std::string> reply = take_reply(*call).value_or(std::nullopt);
  if (!reply || reply->empty()) {
    co_return make_response(request, http::status::ok, "text/plain", "");
  }
  boost::json::value body = {{"response_type", "ephemeral"}, {"text", *reply}};
  co_return make_response(request, http::status::ok, "application/json",
                          boost::json::serialize(body));
}

HttpResponse SlackHttpListener::Impl::handle_interactivity(const HttpRequest& request) {
  // The form holds one field, `payload`, whose value is JSON.
  auto fields = decode_form(request.body());
  const std::string* payload = nullptr;
  if (fields) {
    for (const auto& [name, value] : *fields) {
      if (name == "payload") payload = &value;
    }
  }
  boost::system::error_code json_error;
  if (payload) {
    boost::json::parse(*payload, json_error);
  }
  if (!payload || json_error) {
    logger->info("malformed interactivity request");
    return make_response(request, http::status::bad_request, "text/plain",
                         "malformed interactivity payload");
  }
  hand_off_interactivity(*payload);
  return make_response(request, http::status::ok, "text/plain", "");
}

asio::awaitable<HttpResponse> SlackHttpListener::Impl::handle_web(const HttpRequest& request) {
  if (!handlers.on_web) {
    co_return web_response(*logger, request, plain_page(404, "not found"));
  }
  if (!is_web_method(request.method())) {
    HttpResponse refusal = web_response(*logger, request, plain_page(405, "method not allowed"));
    refusal.set(http::field::allow, "GET, HEAD, POST");
    co_return refusal;
  }

  // Wait for the page as a slash command waits for its reply, on a timer the worker cancels.
  auto call = std::make_shared<PendingWebCall>();
  asio::steady_timer budget(io, options.web_budget);
  BudgetWait<WebResponse> wait(call, open_work, budget);
  hand_off_web(call, web_request_of(request));
  co_await budget.async_wait(kNoThrow);

  std::optional<WebResponse> page = take_reply(*call);
  if (!page) {
    // stop() ends the wait as well; then the connection is closed and no one reads the 503.
    if (!interrupted) {
      logger->warn("{} {} got no page within {} ms; answered 503",
                   std::string(request.method_string()), std::string(path_of(request)),
                   options.web_budget.count());
    }
    co_return web_response(*logger, request, plain_page(503, "busy, try again shortly"));
  }
  co_return web_response(*logger, request, std::move(*page));
}

void SlackHttpListener::Impl::hand_off_event(EventCallback event) {
  if (!handlers.on_event) {
    return;
  }
  asio::post(event_strand, [this, event = std::move(event)]() mutable {
    run_guarded(*logger, "event", [&] { handlers.on_event(std::move(event)); });
  });
}

void SlackHttpListener::Impl::hand_off_interactivity(std::string payload) {
  if (!handlers.on_interactivity) {
    return;
  }
  asio::post(event_strand, [this, payload = std::move(payload)]() mutable {
    run_guarded(*logger, "interactivity", [&] { handlers.on_interactivity(std::move(payload)); });
  });
}

void SlackHttpListener::Impl::hand_off_command(std::shared_ptr<PendingCommand> call,
                                               SlashCommand command) {
  asio::post(command_strand, [this, call, command = std::move(command)] {
    std::optional<std::string> reply;
    run_guarded(*logger, "slash command", [&] { reply = handlers.on_command(command); });

    if (!deliver_reply(io, call, std::move(reply))) {
      // The empty acknowledgement has gone; only response_url can reach the user now.
      logger->warn(
          "reply to {} came after the {} ms budget and was dropped; answer through "
          "response_url",
          command.command, options.command_budget.count());
    }
  });
}

void SlackHttpListener::Impl::hand_off_web(std::shared_ptr<PendingWebCall> call,
                                           WebRequest request) {
  asio::post(web_strand, [this, call, request = std::move(request)] {
    // The client has had its 503: an action behind a page no one will see is not taken.
    {
      std::lock_guard lock(call->mutex);
      if (call->abandoned) {
        logger->info("dropped {} {}: its {} ms budget ran out while it was queued", request.method,
                     request.path, options.web_budget.count());
        return;
      }
    }

    std::optional<WebResponse> page;
    run_guarded(*logger, "web", [&] { page = handlers.on_web(request); });
    if (!deliver_reply(io, call, std::move(page).value_or(plain_page(500, "internal error")))) {
      logger->debug("page for {} {} came after the budget and was dropped", request.method,
                    request.path);
    }
  });
}

}  // namespace paperbot::slack
