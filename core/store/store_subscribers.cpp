// The e-mail subscribers: addresses added in chat or through a link, and the config's recipients
// once they unsubscribe or bounce. Who a digest goes to is worked out here, so that the sender
// and the chat commands agree on it.
#include "core/common/text.hpp"
#include "core/store/sqlite_statement.hpp"
#include "core/store/store.hpp"

#include <algorithm>
#include <set>

namespace paperbot {
namespace {

using sqlite::Statement;
using Mode = sqlite::Transaction::Mode;

// Both sides of the upsert take the same time, so a new row has created_at == updated_at.
// The WHERE leaves a row already in the wanted status untouched, and then RETURNING gives no
// row: that is how the caller learns nothing changed.
constexpr const char* kSetStatus = R"sql(
INSERT INTO subscribers (audience, address, status, failures, who, created_at, updated_at)
VALUES (?1, ?2, ?3, 0, ?4, strftime('%Y-%m-%dT%H:%M:%SZ', ?5, 'unixepoch'),
        strftime('%Y-%m-%dT%H:%M:%SZ', ?5, 'unixepoch'))
ON CONFLICT (audience, address) DO UPDATE SET
  status = excluded.status, failures = 0, who = excluded.who, updated_at = excluded.updated_at
WHERE status <> excluded.status
RETURNING 1
)sql";

constexpr const char* kUnsubscribeEverywhere = R"sql(
UPDATE subscribers
SET status = 'unsubscribed', failures = 0, who = ?2,
    updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', ?3, 'unixepoch')
WHERE address = ?1 AND status <> 'unsubscribed'
RETURNING 1
)sql";

constexpr const char* kSelectSubscribers = R"sql(
SELECT audience, address, status, failures, who, created_at, updated_at
FROM subscribers WHERE ?1 = '' OR audience = ?1
ORDER BY audience, rowid
)sql";

constexpr const char* kSelectOne = R"sql(
SELECT status, failures FROM subscribers WHERE audience = ?1 AND address = ?2
)sql";

// A config recipient has no row until something happens to it; its first failure makes one.
constexpr const char* kSaveFailures = R"sql(
INSERT INTO subscribers (audience, address, status, failures, who, created_at, updated_at)
VALUES (?1, ?2, ?3, ?4, 'config', strftime('%Y-%m-%dT%H:%M:%SZ', ?5, 'unixepoch'),
        strftime('%Y-%m-%dT%H:%M:%SZ', ?5, 'unixepoch'))
ON CONFLICT (audience, address) DO UPDATE SET
  status = excluded.status, failures = excluded.failures, updated_at = excluded.updated_at
)sql";

std::int64_t unix_seconds(std::chrono::sys_seconds time) {
  return static_cast<std::int64_t>(time.time_since_epoch().count());
}

// Runs a statement with RETURNING to its end: true when it returned (changed) any row.
Result<bool> changed_any(Statement& statement) {
  bool changed = false;
  for (;;) {
    auto row = statement.step();
    if (!row) return row.error();
    if (!*row) break;
    changed = true;
  }
  statement.reset();
  return changed;
}

Result<std::vector<Subscriber>> read_subscribers(sqlite3* db, const std::string& audience) {
  auto select = Statement::prepare(db, kSelectSubscribers);
  if (!select) return select.error();
  select->bind(1, audience);

  std::vector<Subscriber> rows;
  for (;;) {
    auto row = select->step();
    if (!row) return row.error();
    if (!*row) break;
    auto status = subscriber_status_from(select->text(2));
    if (!status) return make_error("store", "unknown subscriber status " + select->text(2));
    rows.push_back(Subscriber{select->text(0), select->text(1), *status,
                              static_cast<int>(select->integer(3)), select->text(4),
                              select->text(5), select->text(6)});
  }
  return rows;
}

}  // namespace

std::string_view to_string(SubscriberStatus status) {
  switch (status) {
    case SubscriberStatus::kSubscribed: return "subscribed";
    case SubscriberStatus::kUnsubscribed: return "unsubscribed";
    case SubscriberStatus::kSuspended: return "suspended";
  }
  return "subscribed";
}

std::optional<SubscriberStatus> subscriber_status_from(std::string_view text) {
  for (auto status : {SubscriberStatus::kSubscribed, SubscriberStatus::kUnsubscribed,
                      SubscriberStatus::kSuspended}) {
    if (to_string(status) == text) return status;
  }
  return std::nullopt;
}

std::string normalized_address(std::string_view address) {
  std::string out(trim(address));
  // Domains are case-insensitive everywhere; only the part before the last @ may not be.
  const std::size_t at = out.rfind('@');
  if (at != std::string::npos) out = out.substr(0, at + 1) + ascii_lower(out.substr(at + 1));
  return out;
}

Result<bool> Store::subscribe(const std::string& audience, const std::string& address,
                              const std::string& who, std::chrono::sys_seconds at) {
  return sqlite::in_transaction(db_, Mode::kWrite, "subscribe to " + audience,
                                [&]() -> Result<bool> {
                                  auto upsert = Statement::prepare(db_, kSetStatus);
                                  if (!upsert) return upsert.error();
                                  upsert->bind(1, audience).bind(2, normalized_address(address));
                                  upsert->bind(3, "subscribed").bind(4, who);
                                  upsert->bind(5, unix_seconds(at));
                                  return changed_any(*upsert);
                                });
}

Result<bool> Store::unsubscribe(const std::string& audience, const std::string& address,
                                const std::string& who, std::chrono::sys_seconds at) {
  const std::string what =
      audience.empty() ? std::string("unsubscribe everywhere") : "unsubscribe from " + audience;
  return sqlite::in_transaction(db_, Mode::kWrite, what, [&]() -> Result<bool> {
    if (audience.empty()) {
      auto update = Statement::prepare(db_, kUnsubscribeEverywhere);
      if (!update) return update.error();
      update->bind(1, normalized_address(address)).bind(2, who).bind(3, unix_seconds(at));
      return changed_any(*update);
    }

    auto upsert = Statement::prepare(db_, kSetStatus);
    if (!upsert) return upsert.error();
    upsert->bind(1, audience).bind(2, normalized_address(address));
    upsert->bind(3, "unsubscribed").bind(4, who).bind(5, unix_seconds(at));
    return changed_any(*upsert);
  });
}

Result<std::vector<Subscriber>> Store::subscribers(const std::string& audience) {
  return sqlite::in_transaction(db_, Mode::kRead, "read subscribers",
                                [&] { return read_subscribers(db_, audience); });
}

Result<std::vector<std::string>> Store::recipients(
    const std::string& audience, const std::vector<std::string>& config_recipients) {
  auto rows = subscribers(audience);
  if (!rows) return rows.error();

  // Addresses are compared as the store's NOCASE column compares them: ASCII case folded.
  std::set<std::string> left_out;
  for (const Subscriber& row : *rows) {
    if (row.status != SubscriberStatus::kSubscribed) left_out.insert(ascii_lower(row.address));
  }
  std::set<std::string> seen;
  std::vector<std::string> out;
  auto add = [&](std::string address) {
    const std::string key = ascii_lower(address);
    if (left_out.count(key) > 0 || !seen.insert(key).second) return;
    out.push_back(std::move(address));
  };

  for (const std::string& address : config_recipients) add(normalized_address(address));
  for (const Subscriber& row : *rows) {
    if (row.status == SubscriberStatus::kSubscribed) add(row.address);
  }
  return out;
}

Result<bool> Store::record_permanent_failure(const std::string& audience,
                                             const std::string& address, int max_failures,
                                             std::chrono::sys_seconds at) {
  const std::string normalized = normalized_address(address);
  return sqlite::in_transaction(
      db_, Mode::kWrite, "record a failure of " + audience, [&]() -> Result<bool> {
        auto select = Statement::prepare(db_, kSelectOne);
        if (!select) return select.error();
        select->bind(1, audience).bind(2, normalized);
        auto row = select->step();
        if (!row) return row.error();

        int failures = 0;
        if (*row) {
          // Nothing is sent to an address that is off the list, so a late bounce changes nothing.
          if (select->text(0) != "subscribed") return false;
          failures = static_cast<int>(select->integer(1));
        }
        select->reset();

        failures += 1;
        const bool suspend = failures >= std::max(max_failures, 1);
        auto save = Statement::prepare(db_, kSaveFailures);
        if (!save) return save.error();
        save->bind(1, audience).bind(2, normalized);
        save->bind(3, suspend ? "suspended" : "subscribed").bind(4, failures);
        save->bind(5, unix_seconds(at));
        if (auto saved = save->run(); !saved) return saved.error();
        return suspend;
      });
}

}  // namespace paperbot
