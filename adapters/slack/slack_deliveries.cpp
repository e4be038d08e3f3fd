#include "adapters/slack/slack_deliveries.hpp"

#include "adapters/slack/block_kit.hpp"
#include "adapters/slack/slack_sink.hpp"

namespace paperbot {

std::vector<Delivery> slack_digest_deliveries(const std::string& audience, const Digest& digest,
                                              const SlackDigestOptions& options) {
  std::vector<Delivery> deliveries;
  BlockKitOptions block_options;
  block_options.max_header_titles = options.header_titles;
  int part = 0;
  for (const SlackMessage& message : render_slack_header(digest, block_options)) {
    Delivery header;
    header.audience = audience;
    header.date = digest.date;
    header.kind = "header";
    header.part = part++;
    header.payload = slack_payload(message);
    deliveries.push_back(std::move(header));
  }

  std::size_t rank = 0;
  for (const DigestEntry& entry : digest.entries) {
    Delivery paper;
    paper.audience = audience;
    paper.date = digest.date;
    paper.kind = "paper";
    paper.paper_id = entry.paper.id;
    paper.payload = slack_payload(render_slack_paper(entry, ++rank));
    if (options.threaded) paper.thread_key = "header";
    // The scores the reader saw, kept with the post for the feedback that tunes the cutoffs.
    if (!entry.author_match) {
      paper.relevance = entry.score.relevance;
      paper.novelty = entry.score.novelty;
    }
    paper.rank_score = entry.rank_score;
    deliveries.push_back(std::move(paper));
  }
  return deliveries;
}

Delivery slack_alert_delivery(const std::string& admin_audience, Date date, const std::string& kind,
                              const std::string& text) {
  Delivery alert;
  alert.audience = admin_audience;
  alert.date = date;
  alert.kind = kind;
  SlackMessage message;
  message.text = escape_mrkdwn(text);
  alert.payload = slack_payload(message);
  return alert;
}

}  // namespace paperbot
