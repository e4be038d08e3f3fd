// A thin RAII layer over the SQLite C API, private to the store: a prepared statement that
// finalizes itself, a transaction that rolls back unless committed, and a helper that runs a
// piece of work in one transaction and names the failure.
//
// Errors carry SQLite's own message; the store prefixes it with what it was doing. Everything
// here is used from the thread that owns the connection.
#pragma once

#include "core/common/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace paperbot::sqlite {

// SQLite's message for the last failure on `db`, prefixed with `what`.
Error last_error(sqlite3* db, std::string_view what);

// An error of the store: step "store", message "what: detail".
Error store_error(std::string_view what, const Error& cause);

// Runs SQL with no parameters and no rows, such as a PRAGMA or a schema script.
Result<void> execute(sqlite3* db, const std::string& sql);

// One prepared statement. Parameters are numbered from 1, columns from 0, as in SQLite.
// Text is copied when bound, so the caller's strings need not outlive the statement.
class Statement {
 public:
  static Result<Statement> prepare(sqlite3* db, std::string_view sql);

  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, std::int64_t{value}); }
  Statement& bind(int index, std::optional<double> value);  // NULL when empty
  Statement& bind_null(int index);

  // Advances to the next row: true when a row is ready, false when the statement is done.
  // A statement that fails is reset, so the next use starts afresh.
  Result<bool> step();

  // Runs a statement that returns no rows, then resets it and clears its bindings for reuse.
  Result<void> run();

  // Makes the statement ready to run again with new bindings.
  void reset();

  bool is_null(int column) const;
  std::string text(int column) const;
  std::int64_t integer(int column) const;
  double real(int column) const;

 private:
  Statement(sqlite3* db, sqlite3_stmt* statement) : db_(db), statement_(statement) {}

  // Bind failures (a wrong index, out of memory) are remembered and reported by the next step,
  // so that binding reads as one chain.
  void check_bind(int code);

  sqlite3* db_ = nullptr;
  sqlite3_stmt* statement_ = nullptr;
  int bind_error_ = 0;
};

// A transaction on `db`, rolled back when destroyed uncommitted.
class Transaction {
 public:
  // Writers take the write lock at the start (BEGIN IMMEDIATE), so that a busy database fails
  // or waits up front instead of deadlocking halfway. Readers get one consistent snapshot.
  enum class Mode { kRead, kWrite };

  static Result<Transaction> begin(sqlite3* db, Mode mode);

  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Result<void> commit();

 private:
  explicit Transaction(sqlite3* db) : db_(db) {}

  sqlite3* db_ = nullptr;  // null once committed, rolled back or moved from
};

// Runs `body` (returning Result<T>) in one transaction: committed when it succeeds, rolled
// back when it or the commit fails. Errors come back as store errors prefixed with `what`.
template <class Body>
auto in_transaction(sqlite3* db, Transaction::Mode mode, std::string_view what, Body&& body)
    -> decltype(body()) {
  auto transaction = Transaction::begin(db, mode);
  if (!transaction) return store_error(what, transaction.error());

  auto result = body();
  if (!result) return store_error(what, result.error());

  if (auto committed = transaction->commit(); !committed)
    return store_error(what, committed.error());
  return result;
}

}  // namespace paperbot::sqlite
