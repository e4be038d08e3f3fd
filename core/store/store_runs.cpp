// Runs (one per announcement date and audience) and the validators of conditional GETs.
#include "core/store/sqlite_statement.hpp"
#include "core/store/store.hpp"

#include <boost/json.hpp>

namespace paperbot {
namespace {

using sqlite::Statement;
using Mode = sqlite::Transaction::Mode;

// The id stays the same when a run is saved again, so that rows pointing at a run (its papers,
// later its deliveries) keep pointing at it.
constexpr const char* kUpsertRun = R"sql(
INSERT INTO runs (date, audience, status, scorer, criteria_id, counts, prompt_tokens,
                  completion_tokens, cached_prompt_tokens, cost, late, started_at, finished_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
ON CONFLICT (date, audience) DO UPDATE SET
  status = excluded.status, scorer = excluded.scorer, criteria_id = excluded.criteria_id,
  counts = excluded.counts, prompt_tokens = excluded.prompt_tokens,
  completion_tokens = excluded.completion_tokens,
  cached_prompt_tokens = excluded.cached_prompt_tokens, cost = excluded.cost,
  late = excluded.late, started_at = excluded.started_at, finished_at = excluded.finished_at
RETURNING id
)sql";

constexpr const char* kSelectRun = R"sql(
SELECT id, status, scorer, criteria_id, counts, prompt_tokens, completion_tokens,
       cached_prompt_tokens, cost, late, started_at, finished_at
FROM runs WHERE date = ?1 AND audience = ?2
)sql";

boost::json::object to_json(const std::map<std::string, int>& counts) {
  boost::json::object object;
  for (const auto& [key, count] : counts) object[key] = count;
  return object;
}

std::string encode_counts(const RunCounts& counts) {
  boost::json::object object;
  object["fetched"] = counts.fetched;
  object["unique"] = counts.unique;
  object["kept"] = counts.kept;
  object["scored"] = counts.scored;
  object["cached"] = counts.cached;
  object["unscored"] = counts.unscored;
  object["selected"] = counts.selected;
  object["per_category"] = to_json(counts.per_category);
  object["dropped"] = to_json(counts.dropped);
  return boost::json::serialize(object);
}

// Counts a key does not hold stay 0, so runs saved before a count existed still read back.
Result<RunCounts> decode_counts(std::string_view json) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(json, ec);
  if (ec || !value.is_object())
    return make_error("store", "run counts are not a JSON object: " + std::string(json));
  const boost::json::object& object = value.get_object();

  auto number = [&](const boost::json::value* field) {
    return field != nullptr && field->is_int64() ? static_cast<int>(field->get_int64()) : 0;
  };
  auto table = [&](const char* key) {
    std::map<std::string, int> counts;
    if (const auto* field = object.if_contains(key); field != nullptr && field->is_object()) {
      for (const auto& entry : field->get_object()) {
        counts[std::string(entry.key())] = number(&entry.value());
      }
    }
    return counts;
  };

  RunCounts counts;
  counts.fetched = number(object.if_contains("fetched"));
  counts.unique = number(object.if_contains("unique"));
  counts.kept = number(object.if_contains("kept"));
  counts.scored = number(object.if_contains("scored"));
  counts.cached = number(object.if_contains("cached"));
  counts.unscored = number(object.if_contains("unscored"));
  counts.selected = number(object.if_contains("selected"));
  counts.per_category = table("per_category");
  counts.dropped = table("dropped");
  return counts;
}

// "https://user:secret@host/path" -> "https://host/path": credentials are never stored.
std::string without_credentials(const std::string& url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;
  auto authority = scheme_end + 3;
  auto authority_end = url.find_first_of("/?#", authority);
  auto at = url.rfind('@', authority_end == std::string::npos ? url.size() : authority_end);
  if (at == std::string::npos || at < authority) return url;
  return url.substr(0, authority) + url.substr(at + 1);
}

}  // namespace

Result<std::optional<RunRecord>> Store::find_run(Date date, const std::string& audience) {
  using Found = std::optional<RunRecord>;
  return sqlite::in_transaction(db_, Mode::kRead, "read run", [&]() -> Result<Found> {
    auto select = Statement::prepare(db_, kSelectRun);
    if (!select) return select.error();
    select->bind(1, format_iso_date(date)).bind(2, audience);
    auto row = select->step();
    if (!row) return row.error();
    if (!*row) return Found();

    RunRecord run;
    run.id = select->integer(0);
    run.date = date;
    run.audience = audience;
    run.status = select->text(1);
    run.scorer = select->text(2);
    run.criteria_id = select->is_null(3) ? 0 : select->integer(3);
    auto counts = decode_counts(select->text(4));
    if (!counts) return counts.error();
    run.counts = std::move(*counts);
    run.prompt_tokens = select->integer(5);
    run.completion_tokens = select->integer(6);
    run.cached_prompt_tokens = select->integer(7);
    if (!select->is_null(8)) run.cost = select->real(8);
    run.late = select->integer(9) != 0;
    run.started_at = select->text(10);
    run.finished_at = select->text(11);

    auto papers =
        Statement::prepare(db_, "SELECT paper_id FROM run_papers WHERE run_id = ?1 ORDER BY rank");
    if (!papers) return papers.error();
    papers->bind(1, run.id);
    for (;;) {
      auto paper = papers->step();
      if (!paper) return paper.error();
      if (!*paper) break;
      run.selected_ids.push_back(papers->text(0));
    }
    return Found(std::move(run));
  });
}

Result<std::int64_t> Store::save_run(const RunRecord& run) {
  const std::string what = "save run of " + format_iso_date(run.date) + " for " + run.audience;
  return sqlite::in_transaction(db_, Mode::kWrite, what, [&]() -> Result<std::int64_t> {
    auto upsert = Statement::prepare(db_, kUpsertRun);
    if (!upsert) return upsert.error();
    upsert->bind(1, format_iso_date(run.date)).bind(2, run.audience).bind(3, run.status);
    upsert->bind(4, run.scorer);
    if (run.criteria_id == 0) {
      upsert->bind_null(5);
    } else {
      upsert->bind(5, run.criteria_id);
    }
    upsert->bind(6, encode_counts(run.counts)).bind(7, run.prompt_tokens);
    upsert->bind(8, run.completion_tokens).bind(9, run.cached_prompt_tokens);
    upsert->bind(10, run.cost).bind(11, run.late ? 1 : 0);
    upsert->bind(12, run.started_at).bind(13, run.finished_at);
    auto row = upsert->step();
    if (!row) return row.error();
    const std::int64_t id = upsert->integer(0);
    upsert->reset();

    // The digest of a run saved again replaces the old one rank for rank.
    auto clear = Statement::prepare(db_, "DELETE FROM run_papers WHERE run_id = ?1");
    if (!clear) return clear.error();
    clear->bind(1, id);
    if (auto cleared = clear->run(); !cleared) return cleared.error();

    auto insert = Statement::prepare(
        db_, "INSERT INTO run_papers (run_id, rank, paper_id) VALUES (?1, ?2, ?3)");
    if (!insert) return insert.error();
    int rank = 0;
    for (const std::string& paper_id : run.selected_ids) {
      insert->bind(1, id).bind(2, ++rank).bind(3, paper_id);
      if (auto inserted = insert->run(); !inserted) return inserted.error();
    }
    return id;
  });
}

Result<HttpValidators> Store::http_validators(const std::string& url) {
  const std::string key = without_credentials(url);
  return sqlite::in_transaction(
      db_, Mode::kRead, "read HTTP validators", [&]() -> Result<HttpValidators> {
        auto select = Statement::prepare(
            db_, "SELECT etag, last_modified FROM http_validators WHERE url = ?1");
        if (!select) return select.error();
        select->bind(1, key);
        auto row = select->step();
        if (!row) return row.error();
        if (!*row) return HttpValidators();
        return HttpValidators{select->text(0), select->text(1)};
      });
}

Result<void> Store::save_http_validators(const std::string& url, const HttpValidators& validators) {
  const std::string key = without_credentials(url);
  return sqlite::in_transaction(db_, Mode::kWrite, "save HTTP validators", [&]() -> Result<void> {
    auto upsert = Statement::prepare(db_, R"sql(
INSERT INTO http_validators (url, etag, last_modified) VALUES (?1, ?2, ?3)
ON CONFLICT (url) DO UPDATE SET
  etag = excluded.etag, last_modified = excluded.last_modified,
  updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
)sql");
    if (!upsert) return upsert.error();
    upsert->bind(1, key).bind(2, validators.etag).bind(3, validators.last_modified);
    return upsert->run();
  });
}

Result<void> Store::record_spending(Date announcement, const std::string& scorer,
                                    const Usage& usage) {
  if (usage.prompt_tokens == 0 && usage.completion_tokens == 0) return {};
  return sqlite::in_transaction(db_, Mode::kWrite, "record spending", [&]() -> Result<void> {
    auto insert = Statement::prepare(db_, R"sql(
INSERT INTO spending (announcement_date, scorer, prompt_tokens, completion_tokens,
                      cached_prompt_tokens, dollars)
VALUES (?1, ?2, ?3, ?4, ?5, ?6)
)sql");
    if (!insert) return insert.error();
    std::optional<double> dollars;
    if (usage.prompt_cost && usage.completion_cost) {
      dollars = *usage.prompt_cost + *usage.completion_cost;
    }
    insert->bind(1, format_iso_date(announcement))
        .bind(2, scorer)
        .bind(3, usage.prompt_tokens)
        .bind(4, usage.completion_tokens)
        .bind(5, usage.cached_prompt_tokens)
        .bind(6, dollars);
    return insert->run();
  });
}

Result<Spending> Store::spent_on(Date day) {
  return spent_between(day, Date{std::chrono::sys_days(day) + std::chrono::days(1)});
}

}  // namespace paperbot
