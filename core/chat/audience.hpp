// Who a digest is for, with the settings that apply to it. An audience is the output folder
// ("files"), a Slack channel the config names ([SLACK C0123] gives "slack:C0123"), or an e-mail
// list ([EMAIL theory] gives "email:theory").
//
// An audience's effective settings are layered, lowest precedence first:
//   1. the config's global settings ([FILTERING], [PAPERBOT] top_n, the prompt files, authors.txt)
//   2. the chat settings of scope "global" (Store::scope_settings(kGlobalScope))
//   3. the audience's config section, [SLACK <channel>] or [EMAIL <list>] (categories, cutoffs,
//      top_n, topics_file)
//   4. the chat settings of the audience's own scope ("slack:C0123")
// "files" takes only layers 1 and 2, which makes it the global view.
//
// Thread safety: resolve_audience() uses the store, so it runs on the store's thread.
#pragma once

#include "core/common/result.hpp"
#include "core/config/config.hpp"
#include "core/store/store.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace paperbot::chat {

// The audience id of the output folder.
inline constexpr std::string_view kFilesAudience = "files";

// Which layer an effective setting came from (see the top of this file).
enum class SettingSource { kConfig, kGlobalChat, kChannelConfig, kChannelChat };

// For replies: "the config", "a global chat setting", "the channel's config section", "a chat
// setting of this channel".
std::string_view describe(SettingSource source);

struct SettingSources {
  SettingSource categories = SettingSource::kConfig;
  SettingSource criteria = SettingSource::kConfig;
  SettingSource authors = SettingSource::kConfig;
  SettingSource relevance_cutoff = SettingSource::kConfig;
  SettingSource novelty_cutoff = SettingSource::kConfig;
  SettingSource top_n = SettingSource::kConfig;
};

struct ResolvedAudience {
  std::string id;       // "slack:C0123", or "files" for the output folder
  std::string channel;  // Slack channel id; empty for "files"
  std::string name;     // for replies and logs
  // The effective settings: filtering.categories, filtering.relevance_cutoff,
  // filtering.novelty_cutoff, paperbot.top_n, criteria and authors; the rest is the config's.
  Config config;
  std::int64_t criteria_id = 0;  // the store id of config.criteria
  bool paused = false;           // by the audience's own scope or by the global one
  bool paused_globally = false;  // by the global scope
  bool threaded = true;          // papers as thread replies under the day's header
  SettingSources sources;
};

// The audience `audience_id` as `base` and the store's chat settings make it. Records its
// criteria as a criteria version when the text is new (author "config"). An error when the config
// names no such audience, or when the store fails.
Result<ResolvedAudience> resolve_audience(const Config& base, const std::string& audience_id,
                                          Store& store);

// "files" first, then each configured Slack audience, then each e-mail list, in file order.
std::vector<std::string> audience_ids(const Config& base);

}  // namespace paperbot::chat
