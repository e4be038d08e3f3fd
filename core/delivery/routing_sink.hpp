// One outbox for every kind of audience: a MessageSink that hands each delivery to the sink of
// its audience's kind, chosen by the audience id's prefix ("slack:" to Slack, "email:" to SMTP).
//
// A delivery whose audience no route takes (e-mail deliveries left in the store by a config that
// no longer sends e-mail) fails as kNeedsPerson, so it waits, with no attempt counted, until the
// config sends that kind again.
//
// Thread safety: as the outbox, one thread. The routed sinks must outlive this one.
#pragma once

#include "core/delivery/message_sink.hpp"

#include <string>
#include <utility>
#include <vector>

namespace paperbot {

class RoutingMessageSink : public MessageSink {
 public:
  // Sends audiences whose id starts with `prefix` through `sink`. The first matching route wins.
  void route(std::string prefix, MessageSink& sink);

  SendResult<Sent> send(const Delivery& delivery,
                        const std::optional<std::string>& thread_parent) override;

  SendResult<std::optional<Sent>> find_already_sent(
      const Delivery& delivery, const std::optional<std::string>& thread_parent) override;

 private:
  MessageSink* sink_for(const std::string& audience) const;
  static SendError unrouted(const std::string& audience);

  std::vector<std::pair<std::string, MessageSink*>> routes_;
};

}  // namespace paperbot
