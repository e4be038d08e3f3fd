#include "core/store/sqlite_statement.hpp"

#include <sqlite3.h>

#include <utility>

namespace paperbot::sqlite {

Error last_error(sqlite3* db, std::string_view what) {
  std::string message(what);
  message += ": ";
  message += sqlite3_errmsg(db);
  return make_error("store", std::move(message));
}

Error store_error(std::string_view what, const Error& cause) {
  return make_error("store", std::string(what) + ": " + cause.message);
}

Result<void> execute(sqlite3* db, const std::string& sql) {
  char* message = nullptr;
  int code = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  if (code == SQLITE_OK) return {};

  std::string text = message != nullptr ? message : sqlite3_errstr(code);
  sqlite3_free(message);
  return make_error("store", text);
}

Result<Statement> Statement::prepare(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* statement = nullptr;
  int code = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &statement, nullptr);
  if (code != SQLITE_OK) {
    sqlite3_finalize(statement);
    return last_error(db, "prepare");
  }
  return Statement(db, statement);
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_),
      statement_(std::exchange(other.statement_, nullptr)),
      bind_error_(other.bind_error_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(statement_);
    db_ = other.db_;
    statement_ = std::exchange(other.statement_, nullptr);
    bind_error_ = other.bind_error_;
  }
  return *this;
}

Statement::~Statement() {
  sqlite3_finalize(statement_);
}

void Statement::check_bind(int code) {
  if (code != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = code;
}

Statement& Statement::bind(int index, std::string_view text) {
  check_bind(sqlite3_bind_text64(statement_, index, text.data(), text.size(), SQLITE_TRANSIENT,
                                 SQLITE_UTF8));
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  check_bind(sqlite3_bind_int64(statement_, index, value));
  return *this;
}

Statement& Statement::bind(int index, std::optional<double> value) {
  check_bind(value ? sqlite3_bind_double(statement_, index, *value)
                   : sqlite3_bind_null(statement_, index));
  return *this;
}

Statement& Statement::bind_null(int index) {
  check_bind(sqlite3_bind_null(statement_, index));
  return *this;
}

Result<bool> Statement::step() {
  if (bind_error_ != SQLITE_OK) {
    std::string message = std::string("bind: ") + sqlite3_errstr(bind_error_);
    reset();
    return make_error("store", message);
  }

  int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;

  // Read the message before the reset, which may replace it.
  Error error = make_error("store", sqlite3_errmsg(db_));
  reset();
  return error;
}

Result<void> Statement::run() {
  auto stepped = step();
  if (!stepped) return stepped.error();
  reset();
  return {};
}

void Statement::reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
  bind_error_ = SQLITE_OK;
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

std::string Statement::text(int column) const {
  const unsigned char* text = sqlite3_column_text(statement_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
}

std::int64_t Statement::integer(int column) const {
  return sqlite3_column_int64(statement_, column);
}

double Statement::real(int column) const {
  return sqlite3_column_double(statement_, column);
}

Result<Transaction> Transaction::begin(sqlite3* db, Mode mode) {
  if (auto begun = execute(db, mode == Mode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN"); !begun)
    return make_error("store", "begin transaction: " + begun.error().message);
  return Transaction(db);
}

Transaction::Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Transaction::~Transaction() {
  // A failed rollback cannot be reported from here; SQLite then rolls back when the connection
  // closes, and the next BEGIN reports the stuck transaction.
  if (db_ != nullptr) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

Result<void> Transaction::commit() {
  sqlite3* db = std::exchange(db_, nullptr);
  if (auto committed = execute(db, "COMMIT"); !committed) {
    // A failed COMMIT may leave the transaction open; end it so the store stays usable.
    if (sqlite3_get_autocommit(db) == 0) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return make_error("store", "commit: " + committed.error().message);
  }
  return {};
}

}  // namespace paperbot::sqlite
