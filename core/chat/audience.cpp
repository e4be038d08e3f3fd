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

// Applies a [SLACK <channel>] section: only what it sets.
void apply_section(const SlackAudienceConfig& section, ResolvedAudience& audience) {
  Config& config = audience.config;
  SettingSources& sources = audience.sources;
  constexpr SettingSource kSection = SettingSource::kChannelConfig;

  overlay(section.categories, config.filtering.categories, kSection, sources.categories);
  overlay_cutoffs(section, kSection, audience);
  // The channel's topics replace only the topics: the base prompt, the score criteria and the
  // answer format stay those of the layers below.
  overlay(section.topics, config.criteria.topics, kSection, sources.criteria);
  if (section.threaded) audience.threaded = *section.threaded;
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
  const SlackAudienceConfig* section = nullptr;
  if (audience_id != kFilesAudience) {
    for (const SlackAudienceConfig& candidate : base.slack.audiences) {
      if (candidate.audience() == audience_id) section = &candidate;
    }
    if (section == nullptr) {
      return make_error("resolve audience",
                        "the config names no audience \"" + audience_id +
                            "\"; audiences are \"files\" and one per [SLACK <channel>] section");
    }
  }

  ResolvedAudience audience;
  audience.id = audience_id;
  audience.config = base;
  audience.threaded = base.slack.threaded;
  if (section != nullptr) {
    audience.channel = section->channel;
    audience.name = section->name.empty() ? section->channel : section->name;
  } else {
    audience.name = "the output folder";
  }

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
      reason = "topics of [SLACK " + section->channel + "] in " + base.folder.string();
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
  return ids;
}

}  // namespace paperbot::chat
