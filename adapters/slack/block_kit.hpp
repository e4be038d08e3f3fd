// Renders a digest as Slack messages: one header message a day (split into several when long),
// then one message per paper, meant to be posted as thread replies so that a reaction names
// exactly one paper.
//
// Pure functions, no I/O. Everything that comes from a paper (title, authors, abstract, comments)
// has exactly `&`, `<` and `>` escaped, TeX accents shown as letters, and is cut at UTF-8
// boundaries to stay within Block Kit's limits: at most kMaxBlocks blocks a message,
// kMaxSectionText bytes a section, kMaxHeaderText bytes in the header block, and kMaxMessageText
// bytes of block text in one message (Slack rejects long messages with msg_blocks_too_long well
// below 50 full sections). Limits are counted in bytes, which is never less than Slack's count of
// characters.
#pragma once

#include "core/common/digest.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace paperbot {

// One chat.postMessage payload. `text` is the notification and fallback text (mrkdwn, escaped);
// `blocks_json` is the JSON array of Block Kit blocks.
struct SlackMessage {
  std::string text;
  std::string blocks_json;
};

inline constexpr std::size_t kMaxBlocks = 50;
inline constexpr std::size_t kMaxSectionText = 3000;
inline constexpr std::size_t kMaxHeaderText = 150;
inline constexpr std::size_t kMaxFallbackText = 3000;
// Slack's aggregate limit is undocumented (reported at 12,000-13,000 characters); stay below it.
inline constexpr std::size_t kMaxMessageText = 11'000;

struct BlockKitOptions {
  std::size_t max_header_titles = 0;  // titles listed in the header; 0 lists every paper
  std::size_t max_message_text = kMaxMessageText;
};

// The header of a day: date, counts, scorer, notes and the top titles as links. One message
// unless the titles do not fit, then continuation messages follow, in posting order.
std::vector<SlackMessage> render_slack_header(const Digest& digest,
                                              const BlockKitOptions& options = {});

// One paper: linked title, authors, scores (or "author match"), the scorer's comment, arXiv's
// comment and the abstract, shortened to fit. `rank` counts from 1.
SlackMessage render_slack_paper(const DigestEntry& entry, std::size_t rank);

// Escapes exactly `&`, `<` and `>` for mrkdwn; every other character is left alone.
std::string escape_mrkdwn(std::string_view text);

// A link `<url|label>` whose label is escaped and has `|` replaced by a look-alike (U+2223), since
// a raw `|` would end the label.
std::string mrkdwn_link(std::string_view url, std::string_view label);

// `text` escaped for mrkdwn and cut to at most `max_bytes`, at a UTF-8 boundary and never inside
// an escape, ending in "…" when cut. A cut prefers the last space of the kept text's final fifth.
std::string escape_mrkdwn_within(std::string_view text, std::size_t max_bytes);

// `text` cut to at most `max_bytes` at a UTF-8 boundary, ending in "…" when cut.
std::string cut_utf8(std::string_view text, std::size_t max_bytes);

}  // namespace paperbot
