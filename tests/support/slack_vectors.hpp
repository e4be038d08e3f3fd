// The request-signing vectors of ../shared/data/slack/signature_test_vectors.json.
#pragma once

#include "tests/support/test_data.hpp"

#include <boost/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace paperbot::testing {

struct SigningVector {
  std::string secret;
  std::string timestamp;
  std::string body;
  std::string signature;
};

// Vector 0 is the slash command form body, vector 1 the app_mention event.
inline std::vector<SigningVector> signing_vectors(const std::filesystem::path& file) {
  std::vector<SigningVector> vectors;
  const boost::json::value document = boost::json::parse(read_file(file));
  for (const auto& entry : document.at("vectors").as_array()) {
    vectors.push_back({std::string(entry.at("signing_secret").as_string()),
                       std::string(entry.at("timestamp").as_string()),
                       std::string(entry.at("body").as_string()),
                       std::string(entry.at("expected_signature").as_string())});
  }
  return vectors;
}

}  // namespace paperbot::testing
