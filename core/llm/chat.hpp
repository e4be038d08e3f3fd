// The chat-completions exchange as the LLM scorer sees it, independent of HTTP. adapters/llm
// implements ChatTransport over an OpenAI-compatible endpoint; tests put a fake server behind it.
#pragma once

#include "core/common/result.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace paperbot {

struct ChatMessage {
  std::string role;  // "system" or "user"
  std::string content;
};

struct ChatRequest {
  std::uint64_t tag = 0;  // the caller's handle, returned with the reply
  std::vector<ChatMessage> messages;
  std::int64_t estimated_tokens = 0;  // for tokens-per-minute limits
};

struct TokenUsage {
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t cached_prompt_tokens = 0;
  bool reported = false;  // false when the server sent no usage block (common on local servers)
};

struct ChatReply {
  std::uint64_t tag = 0;
  Result<std::string> content = std::string();  // the assistant's text, or why there is none
  TokenUsage usage;
  bool permanent_failure = false;  // the endpoint refused (bad key, unknown model): don't ask again
  bool not_sent = false;           // refused by may_send: nothing was sent or billed
};

// Runs chat requests, several at a time. Thread safety: run() is called from one thread; the
// callbacks are called on that thread.
class ChatTransport {
 public:
  virtual ~ChatTransport() = default;

  // Sends every request of `first` and of what `on_reply` returns, keeping up to the transport's
  // concurrency in flight, until none is left. `on_reply` is called once per request, in
  // completion order, and may return follow-up requests (a retry in a smaller batch).
  // `may_send` is asked before each request is sent; when it says no, the request is answered
  // with an error without being sent (a spending cap was reached).
  virtual void run(std::vector<ChatRequest> first,
                   const std::function<std::vector<ChatRequest>(ChatReply)>& on_reply,
                   const std::function<bool(const ChatRequest&)>& may_send) = 0;
};

}  // namespace paperbot
