#include "core/chat/audience.hpp"

#include <optional>
#include <utility>

namespace paperbot::chat {
namespace {

// One layer's value, when it sets one, over the layers below; `source` records which layer won.
template <class T, class Target>
void overlay(const std::optional<T>& value, Target& target, SettingSource layer,
             SettingSource& source) {
  if (!value) return;
  target = *value;
  source = layer;
}

// The cutoffs and top N of one layer, chat settings or a config section alike.
template <class Layer>
void overlay_cutoffs(const Layer& layer, SettingSource source, ResolvedAudience& audience) {
  Config& config = audience.config;
  SettingSources& sources = audience.sources;
  overlay(layer.relevance_cutoff, config.filtering.relevance_cutoff, source,
          sources.relevance_cutoff);
  overlay(layer.novelty_cutoff, config.filtering.novelty_cutoff, source, sources.novelty_cutoff);
  overlay(layer.top_n, config.paperbot.top_n, source, sources.top_n);
}

// Applies one scope's chat settings over `audience`, marking what they set as from `source`.
Result<void> apply_chat(const ScopeSettings& settings, SettingSource source, Store& store,
                        ResolvedAudience& audience) {
  Config& config = audience.config;
  SettingSources& sources = audience.sources;

  if (settings.criteria_id) {
    auto found = store.find_criteria(*settings.criteria_id);
    if (!found) return found.error();
    if (!*found) {
      return make_error("resolve audience", "criteria version " +
                                                std::to_string(*settings.criteria_id) +
                                                " set in chat is not in the store");
    }
    config.criteria = (*found)->criteria;
    sources.criteria = source;
  }
  overlay(settings.authors, config.authors, source, sources.authors);
  overlay_cutoffs(settings, source, audience);
  return {};
}

// Applies an audience's config section ([SLACK <channel>], [EMAIL <list>]): only what it sets.
void apply_section(const AudienceOverrides& section, ResolvedAudience& audience) {
  Config& config = audience.config;
  SettingSources& sources = audience.sources;
  constexpr SettingSource kSection = SettingSource::kChannelConfig;

  overlay(section.categories, config.filtering.categories, kSection, sources.categories);
  overlay_cutoffs(section, kSection, audience);
  if (section.explore) config.feedback.explore = *section.explore;
  if (section.target_rate) config.feedback.target_rate = *section.target_rate;
  // The channel's topics replace only the topics: the base prompt, the score criteria and the
  // answer format stay those of the layers below.
  overlay(section.topics, config.criteria.topics, kSection, sources.criteria);
}

// The config section of `audience_id`, with its label ("SLACK C0123"), or null.
const AudienceOverrides* section_of(const Config& base, const std::string& audience_id,
                                    std::string& label) {
  for (const SlackAudienceConfig& candidate : base.slack.audiences) {
    if (candidate.audience() == audience_id) {
      label = "SLACK " + candidate.channel;
      return &candidate;
    }
  }
  for (const EmailAudienceConfig& candidate : base.email.audiences) {
    if (candidate.audience() == audience_id) {
      label = "EMAIL " + candidate.list;
      return &candidate;
    }
  }
  return nullptr;
}

}  // namespace

std::string_view describe(SettingSource source) {
  switch (source) {
    case SettingSource::kConfig: return "the config";
    case SettingSource::kGlobalChat: return "a global chat setting";
    case SettingSource::kChannelConfig: return "the channel's config section";
    case SettingSource::kChannelChat: return "a chat setting of this channel";
  }
  return "the config";
}

Result<ResolvedAudience> resolve_audience(const Config& base, const std::string& audience_id,
                                          Store& store) {
  std::string label;
  const AudienceOverrides* section = section_of(base, audience_id, label);
  if (section == nullptr && audience_id != kFilesAudience) {
    return make_error("resolve audience",
                      "the config names no audience \"" + audience_id +
                          "\"; audiences are \"files\" and one per [SLACK <channel>] or "
                          "[EMAIL <list>] section");
  }

  ResolvedAudience audience;
  audience.id = audience_id;
  audience.config = base;
  audience.threaded = base.slack.threaded;
  audience.name = "the output folder";
  if (const SlackAudienceConfig* channel = base.slack.audience_of_channel(
          audience_id.starts_with("slack:") ? audience_id.substr(6) : std::string())) {
    audience.channel = channel->channel;
    if (channel->threaded) audience.threaded = *channel->threaded;
  }
  if (section != nullptr) audience.name = section->name.empty() ? label : section->name;

  auto global = store.scope_settings(std::string(kGlobalScope));
  if (!global) return global.error();
  if (auto applied = apply_chat(*global, SettingSource::kGlobalChat, store, audience); !applied)
    return applied.error();
  audience.paused_globally = global->paused;
  audience.paused = global->paused;

  std::string reason = "read from " + base.folder.string();
  if (section != nullptr) {
    apply_section(*section, audience);
    if (section->topics) {
      reason = "topics of [" + label + "] in " + base.folder.string();
    }

    auto own = store.scope_settings(audience_id);
    if (!own) return own.error();
    if (auto applied = apply_chat(*own, SettingSource::kChannelChat, store, audience); !applied)
      return applied.error();
    audience.paused = audience.paused || own->paused;
  }

  // Criteria made in chat are already a version; the same text gives the same id, so asking again
  // only costs a lookup and covers the config-made ones.
  auto criteria_id = store.criteria_version(audience.config.criteria, "config", reason);
  if (!criteria_id) return criteria_id.error();
  audience.criteria_id = *criteria_id;
  return audience;
}

std::vector<std::string> audience_ids(const Config& base) {
  std::vector<std::string> ids{std::string(kFilesAudience)};
  for (const SlackAudienceConfig& audience : base.slack.audiences) {
    ids.push_back(audience.audience());
  }
  for (const EmailAudienceConfig& audience : base.email.audiences) {
    ids.push_back(audience.audience());
  }
  return ids;
}

}  // namespace paperbot::chat
