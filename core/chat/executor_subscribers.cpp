// `subscribe`, `unsubscribe` and `subscribers`: the e-mail lists' addresses, changed and shown in
// chat. The config's recipients stay as written; the store remembers what chat (or a link) added
// and who left, and Store::recipients() combines the two.
#include "core/chat/command_context.hpp"
#include "core/chat/reply_text.hpp"
#include "core/common/text.hpp"

#include <algorithm>

namespace paperbot::chat {
namespace {

// The list a command names, or the reason it cannot run (for the reply).
struct ListChoice {
  const EmailAudienceConfig* list = nullptr;
  std::string problem;
};

std::string list_names(const EmailConfig& email) {
  std::vector<std::string> names;
  for (const EmailAudienceConfig& list : email.audiences) names.push_back("`" + list.list + "`");
  return join(names, ", ");
}

// An empty name means the only list; with several, guessing could mail the wrong people.
ListChoice choose_list(const EmailConfig& email, const std::string& name,
                       std::string_view example) {
  if (email.audiences.empty()) {
    return {nullptr, "There are no e-mail lists: the config has no [EMAIL LIST] section."};
  }
  if (name.empty()) {
    if (email.audiences.size() == 1) return {&email.audiences.front(), {}};
    return {nullptr, "Which e-mail list? Add its name, e.g. `" + std::string(example) + " " +
                         email.audiences.front().list + "`. The lists: " + list_names(email) + "."};
  }
  if (const EmailAudienceConfig* list = email.audience_of_list(name)) return {list, {}};
  return {nullptr,
          "There is no e-mail list `" + escape(name) + "`. The lists: " + list_names(email) + "."};
}

bool same_address(std::string_view a, std::string_view b) {
  return ascii_lower(normalized_address(a)) == ascii_lower(normalized_address(b));
}

bool in_config(const EmailAudienceConfig& list, const std::string& address) {
  return std::any_of(list.recipients.begin(), list.recipients.end(),
                     [&](const std::string& each) { return same_address(each, address); });
}

const Subscriber* find_row(const std::vector<Subscriber>& rows, const std::string& address) {
  for (const Subscriber& row : rows) {
    if (same_address(row.address, address)) return &row;
  }
  return nullptr;
}

std::string list_label(const EmailAudienceConfig& list) {
  return "the e-mail list `" + list.list + "`";
}

// One address in `subscribers`: its status, and where it came from.
std::string subscriber_line(const std::string& address, const Subscriber* row, bool configured) {
  std::string line = "• " + escape(address) + ": ";
  if (row == nullptr || row->status == SubscriberStatus::kSubscribed) {
    line += "subscribed";
  } else if (row->status == SubscriberStatus::kSuspended) {
    line += "suspended after " + std::to_string(row->failures) + " permanent failures";
  } else {
    line += "unsubscribed";
  }
  if (configured) {
    line += " (from the config)";
  } else if (row != nullptr) {
    line += " (by " + person_label(row->who) + ")";
  }
  if (row != nullptr && row->status != SubscriberStatus::kSubscribed) {
    line += ", since " + format_stored_time(row->updated_at);
  }
  return line;
}

}  // namespace

Result<Reply> run_subscribe(CommandContext& context, const commands::Subscribe& subscribe) {
  ListChoice choice = choose_list(context.config.email, subscribe.list, "subscribe ADDRESS");
  if (choice.list == nullptr) return Reply{choice.problem, std::nullopt};
  const EmailAudienceConfig& list = *choice.list;
  const std::string address = normalized_address(subscribe.address);

  // A config recipient who never left already gets the digest: a row would only blur where the
  // address came from.
  auto current = context.store.recipients(list.audience(), list.recipients);
  if (!current) return current.error();
  if (std::any_of(current->begin(), current->end(),
                  [&](const std::string& each) { return same_address(each, address); })) {
    return Reply{escape(address) + " already gets " + list_label(list) + ". Nothing changed.",
                 std::nullopt};
  }

  auto rows = context.store.subscribers(list.audience());
  if (!rows) return rows.error();
  const bool back = find_row(*rows, address) != nullptr;
  auto changed = context.store.subscribe(list.audience(), address, context.asker.user, context.now);
  if (!changed) return changed.error();
  return Reply{(back ? "Subscribed again: " : "Subscribed: ") + escape(address) + " gets " +
                   list_label(list) + " from the next digest on.",
               std::nullopt};
}

Result<Reply> run_unsubscribe(CommandContext& context, const commands::Unsubscribe& unsubscribe) {
  ListChoice choice = choose_list(context.config.email, unsubscribe.list, "unsubscribe ADDRESS");
  if (choice.list == nullptr) return Reply{choice.problem, std::nullopt};
  const EmailAudienceConfig& list = *choice.list;
  const std::string address = normalized_address(unsubscribe.address);

  auto rows = context.store.subscribers(list.audience());
  if (!rows) return rows.error();
  const bool configured = in_config(list, address);
  if (!configured && find_row(*rows, address) == nullptr) {
    return Reply{escape(address) + " is not on " + list_label(list) + ". Nothing changed.",
                 std::nullopt};
  }

  auto changed =
      context.store.unsubscribe(list.audience(), address, context.asker.user, context.now);
  if (!changed) return changed.error();
  if (!*changed) {
    return Reply{escape(address) + " was already unsubscribed from " + list_label(list) + ".",
                 std::nullopt};
  }
  std::string text =
      "Unsubscribed: " + escape(address) + " no longer gets " + list_label(list) + ".";
  if (configured) {
    text += " The config still lists it; paperbot leaves it out until it is subscribed again.";
  }
  return Reply{text, std::nullopt};
}

Result<Reply> run_show_subscribers(CommandContext& context, const commands::ShowSubscribers& show) {
  ListChoice choice = choose_list(context.config.email, show.list, "subscribers");
  if (choice.list == nullptr) return Reply{choice.problem, std::nullopt};
  const EmailAudienceConfig& list = *choice.list;

  auto rows = context.store.subscribers(list.audience());
  if (!rows) return rows.error();
  auto recipients = context.store.recipients(list.audience(), list.recipients);
  if (!recipients) return recipients.error();

  std::string text = "*Subscribers of " + list_label(list) +
                     "*: " + std::to_string(recipients->size()) + " get the digest.\n";
  // The config's addresses first, in its order, then those added since, as the store keeps them.
  std::vector<std::string> lines;
  for (const std::string& address : list.recipients) {
    lines.push_back(subscriber_line(normalized_address(address), find_row(*rows, address), true));
  }
  for (const Subscriber& row : *rows) {
    if (!in_config(list, row.address)) lines.push_back(subscriber_line(row.address, &row, false));
  }
  if (lines.empty())
    return Reply{text + "Nobody yet: `subscribe ADDRESS` adds someone.", std::nullopt};
  return Reply{text + join(lines, "\n"), std::nullopt};
}

Result<std::string> email_status_line(CommandContext& context, const EmailAudienceConfig& list,
                                      bool show_addresses) {
  auto recipients = context.store.recipients(list.audience(), list.recipients);
  if (!recipients) return recipients.error();
  auto rows = context.store.subscribers(list.audience());
  if (!rows) return rows.error();

  std::vector<std::string> suspended;
  for (const Subscriber& row : *rows) {
    if (row.status == SubscriberStatus::kSuspended) suspended.push_back(escape(row.address));
  }
  std::string line = "E-mail list `" + list.list + "`: " + std::to_string(recipients->size()) +
                     (recipients->size() == 1 ? " recipient" : " recipients");
  if (!suspended.empty()) {
    // Addresses are for admins; everyone else learns only that some bounced.
    line += "; suspended after permanent failures: " +
            (show_addresses ? join(suspended, ", ") : std::to_string(suspended.size()));
  }
  return line + ".";
}

}  // namespace paperbot::chat
