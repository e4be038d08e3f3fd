// A small blocking HTTP client for tests and benchmarks (libcurl): sends requests to the daemon's
// or a listener's loopback port, keeping one connection alive between requests, and signs them
// the way Slack does.
#pragma once

#include <string>
#include <vector>

namespace paperbot::testing {

struct HttpReply {
  long status = 0;  // 0 when the request failed below HTTP (see `error`)
  std::string body;
  std::string content_type;
  long new_connections = 0;  // connections opened for this request (0 on a kept-alive one)
  std::string error;         // curl's message when status is 0
};

class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpReply send(const std::string& method, const std::string& url, const std::string& body = "",
                 const std::vector<std::string>& headers = {});

 private:
  void* curl_;  // CURL*
};

// The headers of a request Slack signed at `timestamp` (Unix seconds) with `signature`.
std::vector<std::string> signed_headers(const std::string& timestamp, const std::string& signature,
                                        const std::string& content_type);

// The headers of `body` signed now (or `age_seconds` ago) with `secret`, as Slack signs.
std::vector<std::string> slack_signed_headers(const std::string& secret, const std::string& body,
                                              const std::string& content_type,
                                              long age_seconds = 0);

}  // namespace paperbot::testing
