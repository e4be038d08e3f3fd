// The newsletter's links, served by the daemon's web server: a reader's 👍 on a paper and their
// unsubscribe, each a signed token in "?t=TOKEN" (core/email/link_token.hpp).
//
// - GET or POST kUpvotePath: records the 👍 as feedback exactly as a Slack 👍 is recorded
//   (audience "email:<list>", the paper, the reader's address as the person), and thanks them.
//   Using the link again changes nothing.
// - GET kUnsubscribePath: a page with a button that POSTs back; nothing changes on a GET, since
//   mail scanners fetch links to look at them.
// - POST kUnsubscribePath (RFC 8058's one-click body "List-Unsubscribe=One-Click", or the page's
//   form): unsubscribes the reader from the list, and says so. Doing it again is harmless.
// - A HEAD is answered like a GET and changes nothing. A token that is damaged, not signed with
//   this daemon's secret, or expired gets a 400 or 403 page that says which, and changes nothing;
//   so does a token for the other path. Any other path is 404.
// Pages are small HTML, every value escaped, no scripts.
//
// Thread safety: handle() may be called from any thread; calls are serialised. The handler has
// a store connection of its own.
#pragma once

#include "adapters/slack/http_listener.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace spdlog {
class logger;
}

namespace paperbot {

class Store;

class WebLinks {
 public:
  using Clock = std::function<std::chrono::sys_seconds()>;

  // `link_secret` must be the one the links were signed with; `clock` decides expiry.
  WebLinks(std::unique_ptr<Store> store, std::string link_secret, Clock clock,
           std::shared_ptr<spdlog::logger> logger);
  ~WebLinks();
  WebLinks(const WebLinks&) = delete;
  WebLinks& operator=(const WebLinks&) = delete;

  slack::WebResponse handle(const slack::WebRequest& request);

 private:
  slack::WebResponse upvote(const slack::WebRequest& request, const std::string& list,
                            const std::string& address, const std::string& paper_id);
  slack::WebResponse unsubscribe(const slack::WebRequest& request, const std::string& list,
                                 const std::string& address);

  std::mutex mutex_;
  std::unique_ptr<Store> store_;
  std::string link_secret_;
  Clock clock_;
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace paperbot
