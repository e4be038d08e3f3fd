// Validators of an HTTP conditional GET, remembered between runs in the store.
#pragma once

#include <string>

namespace paperbot {

struct HttpValidators {
  std::string etag;
  std::string last_modified;

  bool empty() const { return etag.empty() && last_modified.empty(); }
};

}  // namespace paperbot
