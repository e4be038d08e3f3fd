// Acknowledgement latency on loopback: signed slash commands and events, half and half, at a fixed
// rate from several kept-alive libcurl clients; and memory when idle.
//
//   bench_slack_ack [RATE_PER_SECOND] [SECONDS]
//       SlackHttpListener alone, in this process, with handlers that only count.
//   bench_slack_ack daemon PAPERBOT_BINARY DATA_DIR [RATE_PER_SECOND] [SECONDS]
//       The whole daemon (`paperbot serve`, HTTP mode) against a fake arXiv and a fake Slack,
//       after it has posted the 2025-01-29 digest: slash commands (`status`, answered from the
//       store) and reaction events (feedback lookups); its idle RSS before and after.
// 200 requests a second for 10 seconds by default. Latency is measured by the client from
// sending a request to receiving the whole answer.
#include "adapters/slack/http_listener.hpp"
#include "adapters/slack/request_signing.hpp"
#include "bench/bench_support.hpp"
#include "core/store/store.hpp"
#include "tests/support/daemon_process.hpp"
#include "tests/support/fake_http_server.hpp"
#include "tests/support/fake_slack.hpp"

#include <curl/curl.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
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

// An event per request, each with its own id so that none is dropped as a retry: a mention in
// the listener alone, a 👍 on some message in the daemon (looked up, not a paper it posted).
std::string event_body(bool daemon, int client, int index) {
  std::string id = "Ev" + std::to_string(client) + "x" + std::to_string(index);
  if (daemon) {
    return R"({"type":"event_callback","team_id":"T1","event_id":")" + id +
           R"(","event_time":1,"event":{"type":"reaction_added","user":"U1","reaction":"+1",)"
           R"("item":{"type":"message","channel":"C0PAPERS","ts":"1.)" +
           std::to_string(index) + R"("},"event_ts":"1.2"}})";
  }
  return R"({"type":"event_callback","team_id":"T1","event_id":")" + id +
         R"(","event_time":1,"event":{"type":"app_mention","user":"U1",)"
         R"("text":"<@UBOT> top 5","channel":"C1","ts":"1.2","event_ts":"1.2"}})";
}

const std::string kCommandBody =
    "token=x&team_id=T1&channel_id=C0PAPERS&user_id=U1&command=%2Fpapers&text=status"
    "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1%2F1%2Fx&trigger_id=1.2.3";

struct ClientResult {
  std::vector<double> latencies_ms;
  int failures = 0;
  int late_starts = 0;  // requests sent more than 5 ms after their slot: the client fell behind
};

// Sends `count` requests, one every `interval`, alternating slash commands and events.
ClientResult run_client(bool daemon, int client, unsigned short port, int count,
                        Clock::duration interval, Clock::time_point start) {
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
    const std::string body = command ? kCommandBody : event_body(daemon, client, i);
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

// Sends `rate` requests a second for `seconds` to `port` and prints the latencies; false when
// a request failed.
bool run_load(bool daemon, unsigned short port, int rate, int seconds) {
  // Each client takes an equal share of the rate, offset so that the sends interleave.
  const int per_client = rate * seconds / kClients;
  const auto interval = std::chrono::duration_cast<Clock::duration>(1s) * kClients / rate;
  const auto start = Clock::now() + 100ms;
  std::vector<ClientResult> results(kClients);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      results[c] =
          run_client(daemon, c, port, per_client, interval, start + c * interval / kClients);
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
  std::printf(
      "%d requests/s for %d s from %d kept-alive clients: %zu acknowledged, %d failed, "
      "%d sent late\n",
      rate, seconds, kClients, all.size(), failures, late);
  std::printf("ack latency: p50 %.3f ms, p99 %.3f ms, max %.3f ms\n", percentile(all, 0.50),
              percentile(all, 0.99), all.empty() ? 0.0 : all.back());
  return failures == 0;
}

int bench_listener(int rate, int seconds) {
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
  bool ok = run_load(false, listener.port(), rate, seconds);
  std::this_thread::sleep_for(200ms);
  std::printf("handed off: %d commands, %d events\n", commands_handled.load(),
              events_handled.load());
  std::printf("RSS after the load: %ld kB\n", resident_kb());
  listener.stop();
  return ok ? 0 : 1;
}

// A fresh folder under /tmp, removed at the end.
class TempFolder {
 public:
  TempFolder() {
    std::string pattern = (std::filesystem::temp_directory_path() / "paperbot-bench-XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) std::exit(1);
    path_ = pattern;
  }
  ~TempFolder() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The daemon in HTTP mode on the 2025-01-29 feed, once it has posted the day.
int bench_daemon(const std::filesystem::path& binary, const std::filesystem::path& data, int rate,
                 int seconds) {
  namespace testing = paperbot::testing;
  const std::string feed =
      paperbot::bench::read_bytes(data / "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  testing::FakeHttpServer arxiv([&](const testing::FakeRequest&) {
    return testing::FakeResponse{200, {{"Content-Type", "application/rss+xml"}}, feed};
  });
  testing::FakeSlack slack("xoxb-bench", {"C0PAPERS", "C0OTHER"});
  TempFolder dir;
  std::filesystem::create_directories(dir.path() / "config");
  const auto store_path = dir.path() / "store.db";
  std::ofstream(dir.path() / "config" / "config.ini")
      << "[FILTERING]\narxiv_category = cs.LG, cs.AI\nrelevance_cutoff = 1\nnovelty_cutoff = 1\n"
      << "[OUTPUT]\noutput_path = " << (dir.path() / "out").string() << "\n"
      << "[PAPERBOT]\nscorer = offline\nstore_path = " << store_path.string() << "\n"
      << "arxiv_feed_url = " << arxiv.base_url() << "/rss/\narxiv_min_interval_seconds = 0\n"
      << "[SERVER]\nport = 0\n"
      << "[SLACK]\nmode = http\napi_url = " << slack.base_url() << "\nadmins = U0ADMIN\n"
      << "[SLACK C0PAPERS]\ntop_n = 10\n[SLACK C0OTHER]\nrelevance_cutoff = 2\ntop_n = 5\n";

  testing::DaemonProcess daemon(
      binary,
      {"serve", "--config", (dir.path() / "config").string(), "--now", "2025-01-29T06:05:00Z"},
      {{"SLACK_BOT_TOKEN", "xoxb-bench"},
       {"SLACK_SIGNING_SECRET", kSecret},
       {"OPENAI_API_KEY", ""},
       {"OAI_KEY", ""}},
      dir.path() / "daemon.log");
  const unsigned short port = testing::logged_server_port(daemon, 30s);
  bool started = port != 0;
  auto posted = [&] {
    auto store = paperbot::Store::open(store_path);
    if (!store) return false;
    auto day = (*store)->find_day(std::chrono::year{2025} / 1 / 29);
    auto pending = (*store)->pending_deliveries(std::nullopt, 10);
    return day && *day && (*day)->status == "done" && pending && pending->empty();
  };
  if (!started || !testing::wait_until(posted, 120s)) {
    std::fprintf(stderr, "the daemon did not post the day:\n%s\n", daemon.log().c_str());
    return 1;
  }
  std::printf("daemon posted %zu messages to two channels\n", slack.messages().size());
  std::this_thread::sleep_for(3s);
  std::printf("daemon RSS idle after the day: %ld kB\n", daemon.rss_kilobytes());

  bool ok = run_load(true, port, rate, seconds);
  std::this_thread::sleep_for(1s);
  std::printf("daemon RSS after the load: %ld kB\n", daemon.rss_kilobytes());
  std::this_thread::sleep_for(5s);
  std::printf("daemon RSS idle 5 s later: %ld kB\n", daemon.rss_kilobytes());
  daemon.signal(SIGTERM);
  int status = daemon.wait(30s);
  std::printf("stopped with status %d\n", status);
  return ok && status == 0 ? 0 : 1;
}

int main(int argc, char** argv) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  int code = 0;
  if (argc > 1 && std::string(argv[1]) == "daemon") {
    if (argc < 4) {
      std::fprintf(stderr, "usage: bench_slack_ack daemon PAPERBOT_BINARY DATA_DIR [RATE] [S]\n");
      return 2;
    }
    code = bench_daemon(argv[2], argv[3], argc > 4 ? std::stoi(argv[4]) : 200,
                        argc > 5 ? std::stoi(argv[5]) : 10);
  } else {
    code = bench_listener(argc > 1 ? std::stoi(argv[1]) : 200, argc > 2 ? std::stoi(argv[2]) : 10);
  }
  curl_global_cleanup();
  return code;
}
