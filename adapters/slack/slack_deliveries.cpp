#include "adapters/slack/slack_deliveries.hpp"

#include "adapters/slack/block_kit.hpp"
#include "adapters/slack/slack_sink.hpp"

namespace paperbot {

namespace {

// One paper's message, with the scores the reader saw, kept for the feedback that tunes the
// cutoffs (none for an author match).
Delivery paper_delivery(const std::string& audience, Date date, const char* kind,
                        const DigestEntry& entry, std::size_t rank,
                        std::optional<std::string> thread_key) {
  Delivery paper;
  paper.audience = audience;
  paper.date = date;
  paper.kind = kind;
  paper.paper_id = entry.paper.id;
  paper.payload = slack_payload(render_slack_paper(entry, rank));
  paper.thread_key = std::move(thread_key);
  if (!entry.author_match) {
    paper.relevance = entry.score.relevance;
    paper.novelty = entry.score.novelty;
  }
  paper.rank_score = entry.rank_score;
  return paper;
}

}  // namespace

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

  const auto in_header_thread =
      options.threaded ? std::optional<std::string>("header") : std::nullopt;
  for (std::size_t i = 0; i < digest.entries.size(); ++i) {
    deliveries.push_back(
        paper_delivery(audience, digest.date, "paper", digest.entries[i], i + 1, in_header_thread));
  }
  if (digest.below_bar.empty()) return deliveries;

  // Papers just below the bar go in a thread of their own, plainly labelled, so that a 👍 there
  // reads as "the bar is too high" and nobody takes them for the digest.
  Delivery label;
  label.audience = audience;
  label.date = digest.date;
  label.kind = std::string(kBelowBarKind);
  SlackMessage message;
  message.text = escape_mrkdwn(below_bar_label(digest.below_bar.size(), options.cutoffs));
  label.payload = slack_payload(message);
  deliveries.push_back(std::move(label));
  for (std::size_t i = 0; i < digest.below_bar.size(); ++i) {
    deliveries.push_back(paper_delivery(audience, digest.date, "below_paper", digest.below_bar[i],
                                        i + 1, std::string(kBelowBarKind)));
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
