// The store's schema and its migrations. The version lives in SQLite's `PRAGMA user_version`;
// each migration step moves it up by one in its own transaction, so an interrupted upgrade
// resumes from the last step that completed.
#pragma once

#include "core/common/result.hpp"

struct sqlite3;

namespace paperbot::schema {

// The version this build migrates to: the number of migration steps it knows.
int latest_version();

// The version recorded in the database, or an error when it cannot be read.
Result<int> current_version(sqlite3* db);

// An error when `version` (read from a database) is newer than this build knows.
Result<void> check_known(int version);

// Applies every step above the database's version. A database newer than latest_version() is
// refused untouched: this build would not know what its tables mean.
Result<void> migrate(sqlite3* db);

}  // namespace paperbot::schema
