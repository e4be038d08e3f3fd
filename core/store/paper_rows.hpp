// How papers are laid out in the store's rows: the lists (authors, categories) as JSON text, and
// the one SELECT that reads a listed paper back, shared by every query that returns papers.
#pragma once

#include "core/common/paper.hpp"
#include "core/common/result.hpp"
#include "core/store/sqlite_statement.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace paperbot::store_rows {

// ["a","b"]: JSON keeps names with commas or quotes intact.
std::string encode_list(const std::vector<std::string>& items);
Result<std::vector<std::string>> decode_list(std::string_view json);

// A paper as an announcement listed it: that day's version and announce type, that version's
// title and abstract, and the paper's latest authors and metadata. Aliases: a for
// announcement_papers, v for paper_versions, p for papers; the caller appends WHERE and ORDER.
inline constexpr const char* kSelectListedPaper = R"sql(
SELECT a.paper_id, a.version, v.title, p.authors, v.abstract, p.categories, a.announce_type,
       p.doi, p.journal_ref, p.comment
FROM announcement_papers a
JOIN paper_versions v ON v.paper_id = a.paper_id AND v.version = a.version
JOIN papers p ON p.id = a.paper_id
)sql";

// Steps `select` (built on kSelectListedPaper) to the end and returns its papers.
Result<std::vector<Paper>> read_papers(sqlite::Statement& select);

}  // namespace paperbot::store_rows
