// Chat completions over HTTPS with libcurl, against any OpenAI-compatible endpoint: OpenAI,
// Azure-style deployments, and local servers (Ollama, vLLM, llama.cpp), which may send no usage
// block and ignore the seed.
//
// Several requests are in flight at once (one thread, libcurl's multi interface), within
// requests-per-minute and tokens-per-minute limits. A 429, a 5xx, a timeout or a dropped
// connection is retried with exponential backoff and jitter, honouring Retry-After. Every request
// has a timeout. The API key is sent in a header and never logged.
//
// Thread safety: run() is called from one thread at a time.
#pragma once

#include "core/llm/chat.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace spdlog {
class logger;
}

namespace paperbot {

struct OpenAiTransportOptions {
  std::string base_url = "https://api.openai.com/v1";  // + "/chat/completions"
  std::string api_style = "openai";  // "openai": Authorization: Bearer; "azure": api-key header
  std::string api_version;           // sent as ?api-version= when set
  std::string api_key;               // from the environment, never from config
  std::string model = "gpt-4o";
  double temperature = 0.0;
  std::optional<int> seed = 0;
  std::chrono::milliseconds timeout{120'000};
  int max_in_flight = 4;
  int requests_per_minute = 0;  // 0: no limit
  int tokens_per_minute = 0;    // 0: no limit
  int max_retries = 5;
  std::chrono::milliseconds initial_backoff{1'000};
  std::chrono::milliseconds max_backoff{60'000};
  std::chrono::milliseconds max_retry_after{600'000};  // a longer Retry-After fails the request
};

class OpenAiTransport final : public ChatTransport {
 public:
  OpenAiTransport(OpenAiTransportOptions options, std::shared_ptr<spdlog::logger> logger);
  ~OpenAiTransport() override;

  void run(std::vector<ChatRequest> first,
           const std::function<std::vector<ChatRequest>(ChatReply)>& on_reply,
           const std::function<bool(const ChatRequest&)>& may_send) override;

  // The JSON body sent for `request`. Exposed for tests.
  std::string request_body(const ChatRequest& request) const;

 private:
  struct Loop;
  OpenAiTransportOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
};

// Reads a chat-completions response body: the first choice's content and the usage block.
// Exposed for tests.
ChatReply parse_chat_response(std::string_view body);

}  // namespace paperbot
