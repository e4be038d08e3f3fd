// Pieces of the chat replies, in Slack's mrkdwn. Everything that comes from a paper or a person
// goes through escape() so that "<", ">" and "&" can neither break the message nor turn into a
// mention or a link. Internal to paperbot::chat.
#pragma once

#include "core/chat/audience.hpp"
#include "core/common/paper.hpp"

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace paperbot::chat {

// Slack shows up to 3000 characters in a section; a reply stays within that.
inline constexpr std::size_t kMaxReplyChars = 3000;

// Slack sends "&", "<" and ">" typed by a person as "&amp;", "&lt;" and "&gt;"; text that is kept
// (criteria, author names) or searched for is decoded first.
std::string unescape_slack(std::string_view text);

// TeX accents as letters, then & < > escaped.
std::string escape(std::string_view text);

// The paper's title linked to its arXiv page: "<https://arxiv.org/abs/ID|Title>".
std::string paper_link(const Paper& paper);

// The first three authors, "et al." for the rest.
std::string short_authors(const std::vector<std::string>& authors);

// How a reply names an audience: "<#C0123>", "#ml-papers", "the output folder".
std::string audience_label(const ResolvedAudience& audience);

// "<@U123>"; the criteria read from the config are by "the config".
std::string person_label(const std::string& person);

// "2025-01-30 06:00 UTC", from a time or from the store's ISO 8601 text.
std::string format_time(std::chrono::sys_seconds time);
std::string format_stored_time(const std::string& iso);

// `text` cut at a line end so that it and a closing note fit in `limit` characters.
std::string fit(std::string text, std::size_t limit = kMaxReplyChars);

// At most `limit` characters of one line of text, with "…" when cut.
std::string shorten(std::string_view text, std::size_t limit);

}  // namespace paperbot::chat
