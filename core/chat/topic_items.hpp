// The topics text of the criteria (paper_topics.txt) as a list of numbered items, so that chat
// can add and remove one without retyping the rest.
//
// An item starts at a line beginning "N." (no indentation, N a number) and takes the indented
// lines after it, blank lines between them included. Anything else (a heading, an introduction,
// the keyword paragraphs after the list) is kept as written around the items. Adding or removing
// an item renumbers all of them 1, 2, 3... in order.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace paperbot::chat {

// Each item's text as written, its first line with its number, in order.
std::vector<std::string> topic_items(std::string_view topics);

// `topics` with `text` added as the last item, after the existing ones and before any text that
// follows them. Lines of `text` after its first are indented so that they stay in the item.
std::string add_topic_item(std::string_view topics, std::string_view text);

// `topics` without item `number` (1-based); nullopt when there is no such item.
std::optional<std::string> remove_topic_item(std::string_view topics, int number);

}  // namespace paperbot::chat
