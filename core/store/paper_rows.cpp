#include "core/store/paper_rows.hpp"

#include <boost/json.hpp>

namespace paperbot::store_rows {

std::string encode_list(const std::vector<std::string>& items) {
  boost::json::array array;
  array.reserve(items.size());
  for (const std::string& item : items) array.emplace_back(item);
  return boost::json::serialize(array);
}

Result<std::vector<std::string>> decode_list(std::string_view json) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(json, ec);
  if (ec || !value.is_array())
    return make_error("store", "expected a JSON list of strings, found: " + std::string(json));

  std::vector<std::string> items;
  for (const boost::json::value& item : value.get_array()) {
    if (!item.is_string())
      return make_error("store", "expected a JSON list of strings, found: " + std::string(json));
    items.emplace_back(item.get_string());
  }
  return items;
}

Result<std::vector<Paper>> read_papers(sqlite::Statement& select) {
  std::vector<Paper> papers;
  for (;;) {
    auto row = select.step();
    if (!row) return row.error();
    if (!*row) break;

    Paper paper;
    paper.id = select.text(0);
    paper.version = static_cast<int>(select.integer(1));
    paper.title = select.text(2);
    paper.abstract = select.text(4);
    auto authors = decode_list(select.text(3));
    auto categories = decode_list(select.text(5));
    if (!authors || !categories) {
      return make_error("store", "paper " + paper.id + ": " +
                                     (authors ? categories.error() : authors.error()).message);
    }
    paper.authors = std::move(*authors);
    paper.categories = std::move(*categories);

    auto type = parse_announce_type(select.text(6));
    if (!type)
      return make_error("store", "paper " + paper.id + ": unknown announce type " + select.text(6));
    paper.announce_type = *type;
    paper.doi = select.text(7);
    paper.journal_ref = select.text(8);
    paper.comment = select.text(9);
    papers.push_back(std::move(paper));
  }
  return papers;
}

}  // namespace paperbot::store_rows
