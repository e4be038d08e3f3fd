// A fake OpenAI-compatible chat-completions endpoint on 127.0.0.1, for tests and benchmarks.
//
// It reads the papers out of each prompt and answers deterministically: the title stage drops
// nothing, and each paper's scores are a function of its id. It bills usage like a real server
// (about 4 characters a token) and counts what it billed. A test can replace any answer: an HTTP
// fault (429 with Retry-After, 500), a hang, a malformed or fenced answer, missing, invented or
// duplicate ids, string scores, or no usage block.
#pragma once

#include "tests/support/fake_http_server.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace paperbot::testing {

// What the fake saw in one request.
struct FakeChat {
  int number = 0;                // 1 for the first request
  bool titles = false;           // the title prefilter stage
  std::vector<std::string> ids;  // the papers in the prompt, in order
  std::string system;
  std::string user;
  std::string model;
};

// How to answer one request. Leave everything empty for the normal answer.
struct FakeChatAnswer {
  std::optional<FakeResponse> http;    // answer with this instead (a fault)
  std::optional<std::string> content;  // the assistant's text instead of the normal one
  bool omit_usage = false;
};

class FakeOpenAi {
 public:
  using Behaviour = std::function<FakeChatAnswer(const FakeChat&)>;

  // `latency` delays every answer (the delay is a timer: concurrent requests overlap).
  explicit FakeOpenAi(std::chrono::milliseconds latency = std::chrono::milliseconds(0));
  ~FakeOpenAi();

  std::string base_url() const;  // "http://127.0.0.1:PORT/v1"
  void set_behaviour(Behaviour behaviour);

  // The normal answer to a chat: JSON lines with each paper's scores, or "[]" for titles.
  static std::string normal_answer(const FakeChat& chat);
  static int relevance_for(const std::string& id);
  static int novelty_for(const std::string& id);

  std::int64_t billed_prompt_tokens() const { return billed_prompt_.load(); }
  std::int64_t billed_completion_tokens() const { return billed_completion_.load(); }
  int requests() const { return requests_.load(); }
  int max_concurrent() const { return max_concurrent_.load(); }
  std::vector<FakeChat> chats() const;
  std::vector<FakeRequest> http_requests() const;

 private:
  FakeResponse handle(const FakeRequest& request);

  std::chrono::milliseconds latency_;
  mutable std::mutex mutex_;
  Behaviour behaviour_;
  std::vector<FakeChat> chats_;
  std::atomic<std::int64_t> billed_prompt_{0};
  std::atomic<std::int64_t> billed_completion_{0};
  std::atomic<int> requests_{0};
  std::atomic<int> in_flight_{0};
  std::atomic<int> max_concurrent_{0};
  std::unique_ptr<FakeHttpServer> server_;
};

}  // namespace paperbot::testing
