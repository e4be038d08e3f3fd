// What each Socket Mode frame causes: an envelope is acked first and handed to its handler
// second; a `disconnect` marks its socket for replacement; the end of a socket's reading is
// reported to the supervisor. Handlers run here, on the io_context's thread, inside try/catch.
#include "adapters/slack/socket_client_impl.hpp"

#include <spdlog/logger.h>
#include <boost/beast/core/error.hpp>

#include <exception>
#include <functional>
#include <string_view>
#include <utility>

namespace paperbot::slack {
namespace {

// A throwing handler costs its own envelope only; the socket and the next envelopes carry on.
template <class Value>
void call_handler(const std::function<void(Value)>& handler, Value value, spdlog::logger& logger,
                  std::string_view what) {
  if (!handler) {
    logger.debug("no handler for a {}; acknowledged only", what);
    return;
  }
  try {
    handler(std::move(value));
  } catch (const std::exception& error) {
    logger.error("the {} handler threw: {}", what, error.what());
  } catch (...) {
    logger.error("the {} handler threw a non-exception", what);
  }
}

}  // namespace

asio::awaitable<void> SlackSocketClient::Impl::handle_frame(SocketLink& link,
                                                            Result<SocketFrame> frame) {
  // The frame's text is not logged: it holds people's messages.
  if (!frame) {
    logger->warn("unreadable frame on Slack socket {}: {}", link.number, frame.error().to_string());
    co_return;
  }
  if (Envelope* envelope = std::get_if<Envelope>(&*frame)) {
    co_await acknowledge(link, *envelope);
    dispatch(std::move(*envelope));
  } else if (const Disconnect* disconnect = std::get_if<Disconnect>(&*frame)) {
    note_disconnect(link, *disconnect);
  } else if (const Ignored* ignored = std::get_if<Ignored>(&*frame)) {
    logger->debug("ignored a '{}' frame on Slack socket {}", ignored->type, link.number);
  }
}

asio::awaitable<void> SlackSocketClient::Impl::acknowledge(SocketLink& link,
                                                           const Envelope& envelope) {
  ++envelopes_received;
  const std::string ack = socket_ack(envelope.envelope_id);
  beast::error_code error = co_await link.socket->write(ack);

  // Without the ack Slack delivers the envelope again, and the handler sees it twice; that is
  // still better than not handing it off at all.
  if (error) {
    logger->warn("could not acknowledge envelope {} on Slack socket {}: {}", envelope.envelope_id,
                 link.number, error.message());
    co_return;
  }
  ++acks_sent;
  if (envelope.retry_attempt > 0) {
    logger->debug("acknowledged {} envelope {} (redelivery {}, {})", envelope.type_name,
                  envelope.envelope_id, envelope.retry_attempt, envelope.retry_reason);
  } else {
    logger->debug("acknowledged {} envelope {}", envelope.type_name, envelope.envelope_id);
  }
}

void SlackSocketClient::Impl::note_disconnect(SocketLink& link, const Disconnect& disconnect) {
  if (link.retiring) return;

  // Over the connection limit, a replacement would only be refused: close this one first, and
  // let the usual reconnection (after a backoff) replace it.
  if (disconnect.reason == "too_many_websockets") {
    logger->warn("Slack says the app has too many sockets; closing socket {}", link.number);
    link.failed = true;
    if (current.get() == &link) connected = false;
    link.socket->abort();
    notify();
    return;
  }
  logger->info("Slack will close socket {} ({}); opening its replacement", link.number,
               disconnect.reason);
  link.disconnect_requested = true;
  notify();
}

void SlackSocketClient::Impl::note_read_end(SocketLink& link, const beast::error_code& error) {
  // Closed on purpose, or already reported.
  if (stopped || link.retiring || link.failed) {
    logger->debug("Slack socket {} closed", link.number);
    return;
  }
  link.failed = true;
  if (current.get() == &link) connected = false;
  if (error == beast::error::timeout) {
    logger->warn("Slack socket {} went silent for {} ms; dropping it", link.number,
                 options.idle_timeout.count());
  } else {
    logger->warn("Slack socket {} ended: {}", link.number, error.message());
  }
  notify();
}

void SlackSocketClient::Impl::dispatch(Envelope envelope) {
  if (stopped) return;
  if (auto* body = std::get_if<EventsApiBody>(&envelope.payload)) {
    dispatch_events_api(std::move(*body));
  } else if (auto* command = std::get_if<SlashCommand>(&envelope.payload)) {
    call_handler(handlers.on_command, std::move(*command), *logger, "slash command");
  } else if (auto* raw = std::get_if<RawPayload>(&envelope.payload)) {
    call_handler(handlers.on_interactive, std::move(*raw), *logger, "interactive payload");
  } else if (auto* ignored = std::get_if<Ignored>(&envelope.payload)) {
    logger->debug("ignored a {} envelope: {}", envelope.type_name, ignored->reason);
  }
}

void SlackSocketClient::Impl::dispatch_events_api(EventsApiBody body) {
  if (auto* callback = std::get_if<EventCallback>(&body)) {
    if (const auto* ignored = std::get_if<Ignored>(&callback->event)) {
      logger->debug("ignored event {} ({}): {}", callback->event_id, ignored->type,
                    ignored->reason);
      return;
    }
    call_handler(handlers.on_event, std::move(*callback), *logger, "event");
  } else if (const auto* limited = std::get_if<AppRateLimited>(&body)) {
    logger->warn("Slack dropped events of team {} for exceeding its rate limit", limited->team_id);
  } else if (const auto* ignored = std::get_if<Ignored>(&body)) {
    logger->debug("ignored an events_api payload ({}): {}", ignored->type, ignored->reason);
  } else {
    logger->debug("ignored a url_verification: it has no meaning in Socket Mode");
  }
}

}  // namespace paperbot::slack
