#include "tests/support/fake_openai.hpp"

#include <boost/json.hpp>

#include <thread>

namespace paperbot::testing {
namespace json = boost::json;
namespace {

// The ids of the papers in a prompt: what follows each "ArXiv ID: ".
std::vector<std::string> ids_in(const std::string& text) {
  std::vector<std::string> ids;
  constexpr std::string_view kMarker = "ArXiv ID: ";
  for (std::size_t at = text.find(kMarker); at != std::string::npos;
       at = text.find(kMarker, at + 1)) {
    std::size_t start = at + kMarker.size();
    std::size_t end = text.find_first_of(" \n<", start);
    ids.push_back(text.substr(start, end - start));
  }
  return ids;
}

std::int64_t tokens_of(std::size_t characters) {
  return static_cast<std::int64_t>(characters / 4 + 1);
}

}  // namespace

FakeOpenAi::FakeOpenAi(std::chrono::milliseconds latency) : latency_(latency) {
  server_ = std::make_unique<FakeHttpServer>(
      [this](const FakeRequest& request) { return handle(request); }, true);
}

FakeOpenAi::~FakeOpenAi() {
  server_.reset();
}

std::string FakeOpenAi::base_url() const {
  return server_->base_url() + "/v1";
}

void FakeOpenAi::set_behaviour(Behaviour behaviour) {
  std::lock_guard lock(mutex_);
  behaviour_ = std::move(behaviour);
}

int FakeOpenAi::relevance_for(const std::string& id) {
  return static_cast<int>(std::hash<std::string>{}(id) % 10) + 1;
}

int FakeOpenAi::novelty_for(const std::string& id) {
  return static_cast<int>(std::hash<std::string>{}(id + "n") % 10) + 1;
}

std::string FakeOpenAi::normal_answer(const FakeChat& chat) {
  if (chat.titles) return "[]";
  std::string answer;
  for (const auto& id : chat.ids) {
    answer += "{\"ARXIVID\": \"" + id + "\", \"COMMENT\": \"Matches criterion 1.\", " +
              "\"RELEVANCE\": " + std::to_string(relevance_for(id)) +
              ", \"NOVELTY\": " + std::to_string(novelty_for(id)) + "}\n";
  }
  return answer;
}

std::vector<FakeChat> FakeOpenAi::chats() const {
  std::lock_guard lock(mutex_);
  return chats_;
}

std::vector<FakeRequest> FakeOpenAi::http_requests() const {
  return server_->requests();
}

FakeResponse FakeOpenAi::handle(const FakeRequest& request) {
  int now = ++in_flight_;
  for (int seen = max_concurrent_.load();
       now > seen && !max_concurrent_.compare_exchange_weak(seen, now);) {
  }
  struct Leave {
    std::atomic<int>& counter;
    ~Leave() { --counter; }
  } leave{in_flight_};

  FakeResponse response;
  boost::system::error_code ec;
  json::value body = json::parse(request.body, ec);
  if (ec || !body.is_object() || request.target.find("/chat/completions") == std::string::npos) {
    response.status = 400;
    response.body = R"({"error":{"message":"bad request","type":"invalid_request_error"}})";
    return response;
  }

  FakeChat chat;
  chat.number = ++requests_;
  chat.model = std::string(body.at("model").as_string());
  for (const auto& message : body.at("messages").as_array()) {
    const auto& object = message.as_object();
    std::string role(object.at("role").as_string());
    std::string content(object.at("content").as_string());
    (role == "system" ? chat.system : chat.user) += content;
  }
  chat.titles = chat.user.find("Answer with a JSON list of IDs") != std::string::npos;
  chat.ids = ids_in(chat.user);

  Behaviour behaviour;
  {
    std::lock_guard lock(mutex_);
    chats_.push_back(chat);
    behaviour = behaviour_;
  }
  FakeChatAnswer answer = behaviour ? behaviour(chat) : FakeChatAnswer{};

  // The latency is real time spent in the handler, so a concurrent client overlaps it.
  if (latency_.count() > 0) std::this_thread::sleep_for(latency_);
  if (answer.http) return *answer.http;

  std::string content = answer.content.value_or(normal_answer(chat));
  json::object reply{{"id", "chatcmpl-fake"}, {"object", "chat.completion"}, {"model", chat.model}};
  reply["choices"] = json::array{
      json::object{{"index", 0},
                   {"message", json::object{{"role", "assistant"}, {"content", content}}},
                   {"finish_reason", "stop"}}};
  if (!answer.omit_usage) {
    std::int64_t prompt = tokens_of(chat.system.size() + chat.user.size());
    std::int64_t completion = tokens_of(content.size());
    billed_prompt_ += prompt;
    billed_completion_ += completion;
    reply["usage"] = json::object{{"prompt_tokens", prompt},
                                  {"completion_tokens", completion},
                                  {"total_tokens", prompt + completion},
                                  {"prompt_tokens_details", json::object{{"cached_tokens", 0}}}};
  }
  response.headers = {{"Content-Type", "application/json"}};
  response.body = json::serialize(reply);
  return response;
}

}  // namespace paperbot::testing
