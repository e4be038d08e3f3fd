// `criteria` and `authors`: showing and changing what a scope scores against and whom it follows.
// Every change starts from the scope's effective settings, is saved as a chat setting of the
// scope with who and when, and a criteria change is also a new criteria version.
#include "core/chat/command_context.hpp"
#include "core/chat/reply_text.hpp"
#include "core/chat/topic_items.hpp"
#include "core/common/text.hpp"

#include <algorithm>
#include <cctype>

namespace paperbot::chat {
namespace {

// The topics shown by `criteria` are cut to leave room for the header and the code fence.
constexpr std::size_t kTopicsBudget = kMaxReplyChars - 600;
constexpr std::size_t kSummaryChars = 80;
constexpr std::size_t kReasonChars = 200;

Result<ResolvedAudience> scope_view(CommandContext& context) {
  return resolve_audience(context.config, context.scope_audience(), context.store);
}

// Saves `topics` as the scope's criteria: a new version and a settings change.
Result<Reply> save_topics(CommandContext& context, const ResolvedAudience& view,
                          const std::string& topics, const std::string& summary,
                          const std::string& done) {
  const std::string label = scope_label(context, view);
  if (topics == view.config.criteria.topics) {
    return Reply{"The criteria of " + label + " already read like that (v" +
                     std::to_string(view.criteria_id) + "); nothing changed.",
                 std::nullopt};
  }

  Criteria next = view.config.criteria;
  next.topics = topics;
  // The command as given is the version's reason; a long `criteria set` is cut to its start.
  auto id =
      context.store.criteria_version(next, context.asker.user, shorten(context.text, kReasonChars));
  if (!id) return id.error();
  auto settings = context.store.scope_settings(context.scope);
  if (!settings) return settings.error();
  settings->criteria_id = *id;
  auto changed = context.store.change_settings(context.scope, *settings, "criteria", summary,
                                               context.asker.user, context.now);
  if (!changed) return changed.error();

  return Reply{done + " The criteria of " + label + " are now v" + std::to_string(*id) +
                   " (were v" + std::to_string(view.criteria_id) +
                   "). They apply from the next run; `rescore` applies them to a day already "
                   "posted, and `undo` takes the change back." +
                   scope_note(context, true),
               std::nullopt};
}

// Saves `authors` as the scope's followed authors.
Result<Reply> save_authors(CommandContext& context, std::vector<FollowedAuthor> authors,
                           const std::string& summary, const std::string& done) {
  auto settings = context.store.scope_settings(context.scope);
  if (!settings) return settings.error();
  const std::size_t count = authors.size();
  settings->authors = std::move(authors);
  auto changed = context.store.change_settings(context.scope, *settings, "authors", summary,
                                               context.asker.user, context.now);
  if (!changed) return changed.error();
  return Reply{done + " " + std::to_string(count) + (count == 1 ? " author is" : " authors are") +
                   " followed now; their papers are selected whatever their scores, from the "
                   "next run." +
                   scope_note(context, true),
               std::nullopt};
}

// "Name, 12345" names an author with a Semantic Scholar id, as authors.txt does.
FollowedAuthor parse_author(const std::string& text) {
  const auto comma = text.rfind(',');
  if (comma != std::string::npos) {
    const std::string id(trim(std::string_view(text).substr(comma + 1)));
    const bool digits = !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c)) != 0;
    });
    if (digits) return FollowedAuthor{std::string(trim(text.substr(0, comma))), id};
  }
  return FollowedAuthor{text, ""};
}

const FollowedAuthor* find_author(const std::vector<FollowedAuthor>& authors,
                                  const std::string& name) {
  const std::string folded = fold_name(name);
  for (const FollowedAuthor& author : authors) {
    if (fold_name(author.name) == folded) return &author;
  }
  return nullptr;
}

}  // namespace

Result<Reply> run_show_criteria(CommandContext& context) {
  auto view = scope_view(context);
  if (!view) return view.error();
  auto version = context.store.find_criteria(view->criteria_id);
  if (!version) return version.error();

  std::string text =
      "*Criteria of " + scope_label(context, *view) + "*: v" + std::to_string(view->criteria_id);
  if (*version) {
    text += ", made by " + person_label((*version)->author) + " on " +
            format_stored_time((*version)->created_at);
  }
  const std::size_t items = topic_items(view->config.criteria.topics).size();
  text += " (from " + std::string(describe(view->sources.criteria)) + "). " +
          std::to_string(items) + " numbered " + (items == 1 ? "item" : "items") +
          "; `criteria add TEXT`, `criteria remove N` and `criteria set TEXT` change them.\n";

  // Cut the topics themselves, so the code fence always closes.
  std::string topics = escape(trim(view->config.criteria.topics));
  if (topics.size() > kTopicsBudget) topics = fit(std::move(topics), kTopicsBudget);
  text += "```\n" + topics + "\n```" + scope_note(context, false);
  return Reply{text, std::nullopt};
}

Result<Reply> run_add_criterion(CommandContext& context, const commands::AddCriterion& add) {
  auto view = scope_view(context);
  if (!view) return view.error();
  const std::string text = unescape_slack(add.text);
  const std::string topics = add_topic_item(view->config.criteria.topics, text);
  const std::size_t number = topic_items(topics).size();
  const std::string summary =
      "added item " + std::to_string(number) + ": " + shorten(text, kSummaryChars);
  return save_topics(
      context, *view, topics, summary,
      "Added item " + std::to_string(number) + ": “" + escape(shorten(text, kSummaryChars)) + "”.");
}

Result<Reply> run_remove_criterion(CommandContext& context,
                                   const commands::RemoveCriterion& remove) {
  auto view = scope_view(context);
  if (!view) return view.error();
  const std::vector<std::string> items = topic_items(view->config.criteria.topics);
  auto topics = remove_topic_item(view->config.criteria.topics, remove.index);
  if (!topics) {
    return Reply{"The criteria of " + scope_label(context, *view) + " have " +
                     std::to_string(items.size()) + " numbered items, so there is no item " +
                     std::to_string(remove.index) + "; nothing changed. `criteria` lists them.",
                 std::nullopt};
  }
  const std::string removed =
      shorten(items[static_cast<std::size_t>(remove.index - 1)], kSummaryChars);
  return save_topics(context, *view, *topics,
                     "removed item " + std::to_string(remove.index) + ": " + removed,
                     "Removed item " + std::to_string(remove.index) + " (“" + escape(removed) +
                         "”); the items after it are renumbered.");
}

Result<Reply> run_set_criteria(CommandContext& context, const commands::SetCriteria& set) {
  auto view = scope_view(context);
  if (!view) return view.error();
  std::string topics = unescape_slack(set.text) + "\n";
  const std::size_t items = topic_items(topics).size();
  return save_topics(context, *view, topics,
                     "replaced the topics (" + std::to_string(items) + " items)",
                     "Replaced the topics (" + std::to_string(items) + " numbered items).");
}

Result<Reply> run_show_authors(CommandContext& context) {
  auto view = scope_view(context);
  if (!view) return view.error();
  const std::string label = scope_label(context, *view);
  const auto& authors = view->config.authors;
  if (authors.empty()) {
    return Reply{"No authors are followed in " + label + " (from " +
                     std::string(describe(view->sources.authors)) +
                     "). `authors add NAME` adds one." + scope_note(context, false),
                 std::nullopt};
  }

  std::string text = "*Authors followed in " + label + "*: " + std::to_string(authors.size()) +
                     " (from " + std::string(describe(view->sources.authors)) + ")\n";
  std::vector<std::string> names;
  for (const FollowedAuthor& author : authors) {
    std::string name = escape(author.name);
    if (!author.semantic_scholar_id.empty())
      name += " (" + escape(author.semantic_scholar_id) + ")";
    names.push_back(name);
  }
  text += join(names, " · ") + scope_note(context, false);
  return Reply{text, std::nullopt};
}

Result<Reply> run_add_author(CommandContext& context, const commands::AddAuthor& add) {
  auto view = scope_view(context);
  if (!view) return view.error();
  const FollowedAuthor author = parse_author(unescape_slack(add.name));
  if (const FollowedAuthor* known = find_author(view->config.authors, author.name)) {
    return Reply{escape(known->name) + " is already followed in " + scope_label(context, *view) +
                     "; nothing changed.",
                 std::nullopt};
  }
  std::vector<FollowedAuthor> authors = view->config.authors;
  authors.push_back(author);
  return save_authors(
      context, std::move(authors), "added " + author.name,
      "Now following " + escape(author.name) + " in " + scope_label(context, *view) + ".");
}

Result<Reply> run_remove_author(CommandContext& context, const commands::RemoveAuthor& remove) {
  auto view = scope_view(context);
  if (!view) return view.error();
  const std::string wanted = unescape_slack(remove.name);
  const FollowedAuthor* known = find_author(view->config.authors, wanted);
  if (known == nullptr) {
    return Reply{escape(wanted) + " is not followed in " + scope_label(context, *view) +
                     "; nothing changed. `authors` lists who is.",
                 std::nullopt};
  }
  const std::string name = known->name;
  std::vector<FollowedAuthor> authors;
  for (const FollowedAuthor& author : view->config.authors) {
    if (&author != known) authors.push_back(author);
  }
  return save_authors(
      context, std::move(authors), "removed " + name,
      "No longer following " + escape(name) + " in " + scope_label(context, *view) + ".");
}

}  // namespace paperbot::chat
