// A fake of Semantic Scholar's batch endpoint (POST /paper/batch?fields=authors.hIndex) for tests,
// served by FakeHttpServer on 127.0.0.1. It speaks the real format: the body {"ids": [...]} in,
// a JSON array aligned with the ids out, null for a paper it does not know.
//
// Set `papers` (and `failures`) before the first request; the handler runs on the server's thread.
#pragma once

#include "tests/support/fake_http_server.hpp"

#include <boost/json.hpp>

#include <atomic>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace paperbot::testing {

// The ids a batch request asked for, as sent ("arXiv:2501.00001").
inline std::vector<std::string> asked_scholar_ids(const FakeRequest& request) {
  boost::json::value body = boost::json::parse(request.body);
  std::vector<std::string> ids;
  for (const auto& id : body.at("ids").as_array()) ids.emplace_back(id.as_string());
  return ids;
}

struct FakeScholar {
  // Asked id -> its authors' hIndex values (nullopt: an author with no h-index).
  std::map<std::string, std::vector<std::optional<int>>> papers;
  // The authors of every paper not in `papers`; when empty, such a paper is answered with null.
  std::vector<std::optional<int>> other_papers;
  // The first `failures` requests get `failure` instead of an answer.
  std::atomic<int> failures{0};
  FakeResponse failure{500, {}, "{\"message\": \"Internal Server Error\"}"};

  FakeResponse answer(const FakeRequest& request) {
    if (failures.fetch_sub(1) > 0) return failure;
    boost::json::array answers;
    for (const std::string& id : asked_scholar_ids(request)) {
      auto found = papers.find(id);
      const auto& h_indices = found != papers.end() ? found->second : other_papers;
      if (h_indices.empty()) {
        answers.emplace_back(nullptr);
        continue;
      }
      boost::json::array authors;
      for (const std::optional<int>& h_index : h_indices) {
        boost::json::value value = nullptr;
        if (h_index) value = *h_index;
        authors.push_back(boost::json::object{{"authorId", std::to_string(authors.size() + 1)},
                                              {"hIndex", value}});
      }
      answers.push_back(boost::json::object{{"paperId", "s2-" + id}, {"authors", authors}});
    }
    return FakeResponse{200, {{"Content-Type", "application/json"}}, serialize(answers)};
  }

  // For FakeHttpServer; `this` must outlive the server.
  FakeHttpServer::Handler handler() {
    return [this](const FakeRequest& request) { return answer(request); };
  }
};

}  // namespace paperbot::testing
