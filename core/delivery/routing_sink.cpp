#include "core/delivery/routing_sink.hpp"

namespace paperbot {

void RoutingMessageSink::route(std::string prefix, MessageSink& sink) {
  routes_.emplace_back(std::move(prefix), &sink);
}

MessageSink* RoutingMessageSink::sink_for(const std::string& audience) const {
  for (const auto& [prefix, sink] : routes_) {
    if (audience.starts_with(prefix)) return sink;
  }
  return nullptr;
}

SendError RoutingMessageSink::unrouted(const std::string& audience) {
  const std::string kind = audience.substr(0, audience.find(':'));
  return SendError{SendFailure::kNeedsPerson,
                   "nothing sends to " + kind + " audiences in this configuration",
                   "configure " + kind + " again (the config and its secrets) to send what waits"};
}

SendResult<Sent> RoutingMessageSink::send(const Delivery& delivery,
                                          const std::optional<std::string>& thread_parent) {
  MessageSink* sink = sink_for(delivery.audience);
  if (sink == nullptr) return unrouted(delivery.audience);
  return sink->send(delivery, thread_parent);
}

SendResult<std::optional<Sent>> RoutingMessageSink::find_already_sent(
    const Delivery& delivery, const std::optional<std::string>& thread_parent) {
  MessageSink* sink = sink_for(delivery.audience);
  if (sink == nullptr) return unrouted(delivery.audience);
  return sink->find_already_sent(delivery, thread_parent);
}

}  // namespace paperbot
