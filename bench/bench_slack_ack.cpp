// Acknowledgement latency of SlackHttpListener on loopback: signed slash commands and events,
// half and half, at a fixed rate from several kept-alive libcurl clients; and the memory the
// listener takes when idle.
//
//   bench_slack_ack [RATE_PER_SECOND] [SECONDS]   200 requests a second for 10 seconds by default
//
// Latency is measured by the client from sending a request to receiving the whole answer.
#include "adapters/slack/http_listener.hpp"
#include "adapters/slack/request_signing.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr int kClients = 4;
constexpr const char* kSecret = "bench-signing-secret";

// VmRSS of this process in kB, from /proc/self/status.
long resident_kb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

size_t discard(char*, size_t size, size_t count, void*) {
  return size * count;
}

std::string unix_now() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now).count());
}

std::string event_body(int client, int index) {
  return R"({"type":"event_callback","team_id":"T1","event_id":"Ev)" + std::to_string(client) +
         "x" + std::to_string(index) +
         R"(","event_time":1,"event":{"type":"app_mention","user":"U1",)"
         R"("text":"<@UBOT> top 5","channel":"C1","ts":"1.2","event_ts":"1.2"}})";
}

const std::string kCommandBody =
    "token=x&team_id=T1&channel_id=C1&user_id=U1&command=%2Fpapers&text=status"
    "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1%2F1%2Fx&trigger_id=1.2.3";

struct ClientResult {
  std::vector<double> latencies_ms;
  int failures = 0;
  int late_starts = 0;  // requests sent more than 5 ms after their slot: the client fell behind
};

// Sends `count` requests, one every `interval`, alternating slash commands and events.
ClientResult run_client(int client, unsigned short port, int count, Clock::duration interval,
                        Clock::time_point start) {
  ClientResult result;
  CURL* curl = curl_easy_init();
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5'000L);

  for (int i = 0; i < count; ++i) {
    const auto slot = start + i * interval;
    std::this_thread::sleep_until(slot);
    if (Clock::now() - slot > 5ms) ++result.late_starts;

    const bool command = i % 2 == 0;
    const std::string body = command ? kCommandBody : event_body(client, i);
    const std::string stamp = unix_now();
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, ("X-Slack-Request-Timestamp: " + stamp).c_str());
    headers = curl_slist_append(
        headers,
        ("X-Slack-Signature: " + paperbot::slack::compute_signature(kSecret, stamp, body)).c_str());
    headers = curl_slist_append(headers, command ? "Content-Type: application/x-www-form-urlencoded"
                                                 : "Content-Type: application/json");
    const std::string url = base + (command ? "/slack/commands" : "/slack/events");
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());

    const auto sent = Clock::now();
    const CURLcode code = curl_easy_perform(curl);
    const auto received = Clock::now();
    curl_slist_free_all(headers);

    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (code != CURLE_OK || status != 200) {
      ++result.failures;
      continue;
    }
    result.latencies_ms.push_back(
        std::chrono::duration<double, std::milli>(received - sent).count());
  }
  curl_easy_cleanup(curl);
  return result;
}

double percentile(const std::vector<double>& sorted, double fraction) {
  if (sorted.empty()) return 0;
  const auto index = static_cast<std::size_t>(fraction * static_cast<double>(sorted.size() - 1));
  return sorted[index];
}

}  // namespace

int main(int argc, char** argv) {
  const int rate = argc > 1 ? std::stoi(argv[1]) : 200;
  const int seconds = argc > 2 ? std::stoi(argv[2]) : 10;
  curl_global_init(CURL_GLOBAL_DEFAULT);

  // The baseline already holds libcurl and the C++ runtime, so the difference is the listener's.
  const long baseline_kb = resident_kb();
  std::atomic<int> events_handled{0};
  std::atomic<int> commands_handled{0};
  paperbot::slack::HttpListenerOptions options;
  options.signing_secret = kSecret;
  options.bot_user_id = "UBOT";
  paperbot::slack::HttpListenerHandlers handlers;
  handlers.on_event = [&](paperbot::slack::EventCallback) { ++events_handled; };
  handlers.on_command = [&](const paperbot::slack::SlashCommand&) {
    ++commands_handled;
    return std::optional<std::string>("Last run 2025-01-29 20:05 EST; next due tomorrow.");
  };
  paperbot::slack::SlackHttpListener listener(options, handlers, nullptr);
  if (auto started = listener.start(); !started) {
    std::fprintf(stderr, "%s\n", started.error().to_string().c_str());
    return 1;
  }
  std::this_thread::sleep_for(500ms);
  const long idle_kb = resident_kb();
  std::printf("RSS before the listener: %ld kB; idle after start: %ld kB (listener: +%ld kB)\n",
              baseline_kb, idle_kb, idle_kb - baseline_kb);

  // Each client takes an equal share of the rate, offset so that the sends interleave.
  const int per_client = rate * seconds / kClients;
  const auto interval = std::chrono::duration_cast<Clock::duration>(1s) * kClients / rate;
  const auto start = Clock::now() + 100ms;
  std::vector<ClientResult> results(kClients);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      results[c] =
          run_client(c, listener.port(), per_client, interval, start + c * interval / kClients);
    });
  }
  for (auto& client : clients) client.join();

  std::vector<double> all;
  int failures = 0;
  int late = 0;
  for (const auto& result : results) {
    all.insert(all.end(), result.latencies_ms.begin(), result.latencies_ms.end());
    failures += result.failures;
    late += result.late_starts;
  }
  std::sort(all.begin(), all.end());
  std::this_thread::sleep_for(200ms);

  std::printf(
      "%d requests/s for %d s from %d kept-alive clients: %zu acknowledged, %d failed, "
      "%d sent late\n",
      rate, seconds, kClients, all.size(), failures, late);
  std::printf("ack latency: p50 %.3f ms, p99 %.3f ms, max %.3f ms\n", percentile(all, 0.50),
              percentile(all, 0.99), all.empty() ? 0.0 : all.back());
  std::printf("handed off: %d commands, %d events\n", commands_handled.load(),
              events_handled.load());
  std::printf("RSS after the load: %ld kB\n", resident_kb());
  listener.stop();
  curl_global_cleanup();
  return failures == 0 ? 0 : 1;
}
