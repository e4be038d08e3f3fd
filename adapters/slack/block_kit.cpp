#include "adapters/slack/block_kit.hpp"

#include "core/common/text.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <utility>

namespace paperbot {
namespace {

namespace json = boost::json;

constexpr std::string_view kEllipsis = "…";  // 3 bytes in UTF-8
constexpr std::string_view kAbsUrl = "https://arxiv.org/abs/";

// Budgets of the parts of a paper's message. Their sum stays far below kMaxMessageText, so one
// paper is always one message.
constexpr std::size_t kMaxTitleBytes = 500;  // escaped, at most five times as long
constexpr std::size_t kMaxHeaderTitleBytes = 300;
constexpr std::size_t kMaxAuthorsBytes = 1000;
constexpr std::size_t kMaxScoreCommentBytes = 1500;
constexpr std::size_t kMaxArxivCommentBytes = 500;

// Bytes of a UTF-8 sequence from its lead byte; a stray continuation byte counts as one.
std::size_t sequence_length(unsigned char lead) {
  if (lead >= 0xF0 && lead < 0xF8) return 4;
  if (lead >= 0xE0) return lead < 0xF0 ? 3 : 1;
  if (lead >= 0xC0) return 2;
  return 1;
}

bool is_continuation(unsigned char byte) {
  return (byte & 0xC0) == 0x80;
}

// What a paper's text looks like to a reader: TeX accents as letters, whitespace collapsed.
std::string readable(std::string_view text) {
  return collapse_whitespace(tex_accents_to_utf8(text));
}

std::string paper_url(const Paper& paper) {
  return std::string(kAbsUrl) + paper.id;
}

json::object text_object(std::string_view type, std::string_view text) {
  json::object object{{"type", type}, {"text", text}};
  if (type == "plain_text") object["emoji"] = true;
  return object;
}

json::object section(std::string_view mrkdwn) {
  return {{"type", "section"}, {"text", text_object("mrkdwn", mrkdwn)}};
}

json::object context(std::string_view mrkdwn) {
  return {{"type", "context"}, {"elements", json::array{text_object("mrkdwn", mrkdwn)}}};
}

json::object header(std::string_view plain) {
  return {{"type", "header"}, {"text", text_object("plain_text", cut_utf8(plain, kMaxHeaderText))}};
}

std::string plural(int count, std::string_view one, std::string_view many) {
  return std::to_string(count) + " " + std::string(count == 1 ? one : many);
}

std::string score_summary(const DigestEntry& entry) {
  if (entry.author_match) return "author match";
  return "R " + std::to_string(entry.score.relevance) + ", N " +
         std::to_string(entry.score.novelty) + ", score " + std::to_string(entry.rank_score);
}

// Packs blocks into messages, opening a new message before one would pass the block count or
// the text budget. Every message after the first opens with a "continued" line.
class MessagePacker {
 public:
  MessagePacker(std::size_t max_text, std::string continued)
      : max_text_(max_text), continued_(std::move(continued)) {}

  void add(json::object block, std::size_t text_bytes) {
    bool full = current_.size() + 1 > kMaxBlocks || text_ + text_bytes > max_text_;
    if (full && !current_.empty()) {
      messages_.push_back(std::move(current_));
      current_ = json::array{};
      text_ = 0;
      current_.push_back(context(continued_));
      text_ += continued_.size();
    }
    current_.push_back(std::move(block));
    text_ += text_bytes;
  }

  std::vector<json::array> finish() {
    if (!current_.empty()) messages_.push_back(std::move(current_));
    return std::move(messages_);
  }

 private:
  std::size_t max_text_;
  std::string continued_;
  std::vector<json::array> messages_;
  json::array current_;
  std::size_t text_ = 0;
};

std::string counts_line(const Digest& digest) {
  std::size_t relevant = digest.entries.size();
  std::string line = "*" + std::to_string(relevant) + "* relevant " +
                     (relevant == 1 ? "paper" : "papers") + " of *" +
                     std::to_string(digest.scanned) + "* scanned";
  if (digest.unscored > 0) line += "  ·  *" + std::to_string(digest.unscored) + "* unscored";
  if (!digest.scorer.empty()) line += "\nScored by " + escape_mrkdwn_within(digest.scorer, 200);
  return line;
}

std::string notes_text(const Digest& digest) {
  std::string notes;
  for (const std::string& note : digest.notes) {
    notes += (notes.empty() ? "" : "\n") + std::string("• ") + escape_mrkdwn(readable(note));
  }
  return cut_utf8(notes, kMaxSectionText);
}

// Title lines "N. <link|title> (R 9, N 7, score 16)", grouped into sections of at most
// kMaxSectionText bytes.
std::vector<std::string> title_sections(const Digest& digest, std::size_t max_titles) {
  std::size_t count = digest.entries.size();
  if (max_titles > 0) count = std::min(count, max_titles);

  std::vector<std::string> sections;
  std::string current;
  for (std::size_t i = 0; i < count; ++i) {
    const DigestEntry& entry = digest.entries[i];
    std::string title = cut_utf8(readable(entry.paper.title), kMaxHeaderTitleBytes);
    std::string line = std::to_string(i + 1) + ". " + mrkdwn_link(paper_url(entry.paper), title) +
                       " (" + score_summary(entry) + ")";
    if (!current.empty() && current.size() + 1 + line.size() > kMaxSectionText) {
      sections.push_back(std::move(current));
      current.clear();
    }
    current += (current.empty() ? "" : "\n") + line;
  }
  if (!current.empty()) sections.push_back(std::move(current));
  return sections;
}

// "A, B, C and 120 more", whole names only, within `max_bytes`.
std::string authors_text(const std::vector<std::string>& authors, std::size_t max_bytes) {
  std::string out;
  for (std::size_t i = 0; i < authors.size(); ++i) {
    std::string name = escape_mrkdwn(readable(authors[i]));
    std::string rest = " and " + std::to_string(authors.size() - i) + " more";
    std::size_t needed = out.size() + (out.empty() ? 0 : 2) + name.size();
    bool last = i + 1 == authors.size();
    // Leave room for the "and N more" that follows unless this is the last name.
    if (needed + (last ? 0 : rest.size() + 2) > max_bytes) {
      if (out.empty()) return escape_mrkdwn_within(readable(authors[i]), max_bytes);
      return out + rest;
    }
    out += (out.empty() ? "" : ", ") + name;
  }
  return out;
}

}  // namespace

std::string escape_mrkdwn(std::string_view text) {
  return escape_markup(text, false);
}

std::string mrkdwn_link(std::string_view url, std::string_view label) {
  std::string safe_url = escape_mrkdwn(url);
  for (std::size_t at = safe_url.find('|'); at != std::string::npos; at = safe_url.find('|', at)) {
    safe_url.replace(at, 1, "%7C");
  }
  std::string safe_label;
  for (char c : escape_mrkdwn(label)) {
    if (c == '|') {
      safe_label += "∣";  // U+2223 DIVIDES looks like a bar and does not end the label
    } else {
      safe_label += c;
    }
  }
  return "<" + safe_url + "|" + safe_label + ">";
}

std::string escape_mrkdwn_within(std::string_view text, std::size_t max_bytes) {
  std::string whole = escape_mrkdwn(text);
  if (whole.size() <= max_bytes) return whole;
  if (max_bytes < kEllipsis.size()) return {};

  // Walk whole characters of the source so that neither a UTF-8 sequence nor an escape is split.
  const std::size_t room = max_bytes - kEllipsis.size();
  std::string out;
  std::size_t last_space = std::string::npos;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t length =
        std::min(sequence_length(static_cast<unsigned char>(text[at])), text.size() - at);
    std::string piece = escape_mrkdwn(text.substr(at, length));
    if (out.size() + piece.size() > room) break;
    if (piece == " ") last_space = out.size();
    out += piece;
    at += length;
  }

  // A word boundary reads better, unless it would throw away much of the text.
  if (last_space != std::string::npos && last_space >= out.size() * 4 / 5) out.resize(last_space);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out + std::string(kEllipsis);
}

std::string cut_utf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  bool with_ellipsis = max_bytes >= kEllipsis.size();
  std::size_t end = with_ellipsis ? max_bytes - kEllipsis.size() : max_bytes;
  while (end > 0 && is_continuation(static_cast<unsigned char>(text[end]))) --end;
  std::string out(text.substr(0, end));
  if (with_ellipsis) out += kEllipsis;
  return out;
}

std::vector<SlackMessage> render_slack_header(const Digest& digest,
                                              const BlockKitOptions& options) {
  const std::string title = "arXiv digest for " + format_iso_date(digest.date);
  MessagePacker packer(options.max_message_text, "_" + title + ", continued_");

  // Our own text only in the header block: plain_text shows escapes literally.
  packer.add(header(title), std::min(title.size(), kMaxHeaderText));
  std::string counts = counts_line(digest);
  packer.add(section(counts), counts.size());
  if (!digest.notes.empty()) {
    std::string notes = notes_text(digest);
    packer.add(context(notes), notes.size());
  }
  if (digest.entries.empty()) {
    std::string none = "No paper passed the cutoffs today.";
    packer.add(section(none), none.size());
  }
  for (std::string& titles : title_sections(digest, options.max_header_titles)) {
    std::size_t bytes = titles.size();
    packer.add(section(titles), bytes);
  }

  std::vector<json::array> parts = packer.finish();
  std::vector<SlackMessage> messages;
  const std::string summary =
      title + ": " +
      plural(static_cast<int>(digest.entries.size()), "relevant paper", "relevant papers") +
      " of " + std::to_string(digest.scanned) + " scanned";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::string text = summary;
    if (parts.size() > 1) {
      text += " (part " + std::to_string(i + 1) + " of " + std::to_string(parts.size()) + ")";
    }
    messages.push_back(SlackMessage{std::move(text), json::serialize(parts[i])});
  }
  return messages;
}

SlackMessage render_slack_paper(const DigestEntry& entry, std::size_t rank) {
  const Paper& paper = entry.paper;
  const std::string title = readable(paper.title);
  json::array blocks;

  std::string label = cut_utf8(title, kMaxTitleBytes);
  blocks.push_back(
      section("*" + std::to_string(rank) + ". " + mrkdwn_link(paper_url(paper), label) + "*"));

  std::string where = "arXiv:" + escape_mrkdwn(paper.versioned_id());
  constexpr std::string_view kSeparator = "  ·  ";
  if (!paper.primary_category().empty()) {
    where.append(kSeparator).append(escape_mrkdwn(paper.primary_category()));
  }
  where.append(kSeparator).append(to_string(paper.announce_type));
  blocks.push_back(context(where));

  if (!paper.authors.empty()) {
    blocks.push_back(section("*Authors:* " + authors_text(paper.authors, kMaxAuthorsBytes)));
  }

  std::string scores = entry.author_match
                           ? "*Author match*  ·  *Score* " + std::to_string(entry.rank_score)
                           : "*Relevance* " + std::to_string(entry.score.relevance) +
                                 "  ·  *Novelty* " + std::to_string(entry.score.novelty) +
                                 "  ·  *Score* " + std::to_string(entry.rank_score);
  if (!entry.score.comment.empty()) {
    scores += "\n" + escape_mrkdwn_within(readable(entry.score.comment), kMaxScoreCommentBytes);
  }
  blocks.push_back(section(scores));

  if (!paper.comment.empty()) {
    blocks.push_back(context("Comments: " +
                             escape_mrkdwn_within(readable(paper.comment), kMaxArxivCommentBytes)));
  }

  if (!paper.abstract.empty()) {
    constexpr std::string_view kPrefix = "*Abstract:* ";
    blocks.push_back(
        section(std::string(kPrefix) +
                escape_mrkdwn_within(readable(paper.abstract), kMaxSectionText - kPrefix.size())));
  }

  std::string fallback = std::to_string(rank) + ". " +
                         escape_mrkdwn_within(title, kMaxFallbackText - 100) + " (" +
                         score_summary(entry) + ")";
  return SlackMessage{std::move(fallback), json::serialize(blocks)};
}

}  // namespace paperbot
