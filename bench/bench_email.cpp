// Sending the newsletter: N recipients (1,000 by default) to a local aiosmtpd, over one kept-alive
// connection against one new connection per message, in plain SMTP and with STARTTLS.
//
//   bench_email [DATA_DIR] [RECIPIENTS]
//
// Each recipient gets their own message, built beforehand from the first 20 papers of the
// 2025-01-29 announcement (about the size of a real digest). The server counts and discards what
// it accepts, so the figures are the SMTP exchange, not the server's disk. Wall time is from
// steady_clock around the sending loop only.
#include "adapters/email/smtp_client.hpp"
#include "bench/bench_support.hpp"
#include "core/email/newsletter.hpp"
#include "tests/support/smtp_test_server.hpp"

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace {

using paperbot::bench::check;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kPapers = 20;

paperbot::Digest first_papers(const std::filesystem::path& data) {
  paperbot::Feed feed =
      paperbot::bench::parse_file(data / "arxiv/days/2025-01-29.cs.LG+cs.AI.rss.xml");
  paperbot::Digest digest;
  digest.date = paperbot::Date{std::chrono::year(2025), std::chrono::January, std::chrono::day(29)};
  digest.scanned = static_cast<int>(feed.papers.size());
  for (std::size_t i = 0; i < kPapers && i < feed.papers.size(); ++i) {
    paperbot::DigestEntry entry;
    entry.paper = feed.papers[i];
    entry.score = paperbot::Score{8, 6, "Matches criterion 2", "offline"};
    entry.rank_score = 14;
    digest.entries.push_back(std::move(entry));
  }
  return digest;
}

std::vector<std::string> build_messages(const paperbot::Digest& digest, std::size_t count) {
  std::vector<std::string> messages;
  for (std::size_t i = 0; i < count; ++i) {
    const std::string reader = "reader" + std::to_string(i) + "@example.net";
    paperbot::email::NewsletterOptions options;
    options.from_address = "digest@digest.example.org";
    options.from_name = "Paper Digest";
    options.to_address = reader;
    options.list_id = "ml.digest.example.org";
    options.subject = "Paper digest — 2025-01-29";
    options.links.upvote = [&reader](const std::string& id) {
      return "https://digest.example.org/up/" + id + "?r=" + reader;
    };
    options.links.unsubscribe = "https://digest.example.org/u/" + reader;
    options.time = std::chrono::sys_seconds{std::chrono::seconds(1738195200)};
    options.message_id_domain = "digest.example.org";
    messages.push_back(check(paperbot::email::build_newsletter(digest, options)).bytes);
  }
  return messages;
}

// Sends every message, one recipient each, and prints one table row.
void run(const char* label, paperbot::SmtpOptions options,
         const std::vector<std::string>& messages) {
  auto logger =
      std::make_shared<spdlog::logger>("bench", std::make_shared<spdlog::sinks::null_sink_st>());
  auto client = check(paperbot::SmtpClient::create(options, logger));
  std::size_t failed = 0;
  const auto start = Clock::now();
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const std::string reader = "reader" + std::to_string(i) + "@example.net";
    if (!client->send("bounces@digest.example.org", reader, messages[i])) ++failed;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("| %s | %zu | %zu | %lld | %.2f s | %.0f |\n", label, messages.size(), failed,
              static_cast<long long>(client->connections_opened()), seconds,
              static_cast<double>(messages.size() - failed) / seconds);
}

}  // namespace

int main(int argc, char** argv) {
  const std::filesystem::path data = argc > 1 ? argv[1] : "../shared/data";
  const std::size_t count = argc > 2 ? std::stoul(argv[2]) : 1000;
  if (!paperbot::testing::aiosmtpd_available()) {
    std::fprintf(stderr, "bench_email needs python3-aiosmtpd for /usr/bin/python3\n");
    return 1;
  }

  const auto dir =
      std::filesystem::temp_directory_path() / ("paperbot-bench-email-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const auto build_start = Clock::now();
  const std::vector<std::string> messages = build_messages(first_papers(data), count);
  const double build_seconds = std::chrono::duration<double>(Clock::now() - build_start).count();
  std::printf("built %zu messages of %zu bytes each in %.2f s\n\n", messages.size(),
              messages.front().size(), build_seconds);
  std::printf("| mode | messages | failed | connections | wall | messages/s |\n");
  std::printf("|---|---|---|---|---|---|\n");

  {
    paperbot::testing::SmtpServerOptions discard;
    discard.discard = true;
    paperbot::testing::SmtpTestServer server(dir, discard);
    paperbot::SmtpOptions options;
    options.url = server.url();
    options.security = paperbot::SmtpSecurity::kPlain;
    run("plain, one connection", options, messages);
    options.reuse_connection = false;
    run("plain, a connection per message", options, messages);
  }
  {
    auto certificate = paperbot::testing::make_test_certificate(dir);
    paperbot::testing::SmtpServerOptions tls;
    tls.discard = true;
    tls.tls_cert = certificate.cert;
    tls.tls_key = certificate.key;
    paperbot::testing::SmtpTestServer server(dir, tls);
    paperbot::SmtpOptions options;
    options.url = server.url();
    options.ca_file = certificate.cert.string();
    run("STARTTLS, one connection", options, messages);
    options.reuse_connection = false;
    run("STARTTLS, a connection per message", options, messages);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
