// EmailMessageSink under the real outbox and a real store, sending to a real aiosmtpd: one
// failing reader never stops the others, nothing is sent twice across passes, a send in flight at
// a crash is sent again (the documented choice), and a server that cannot be used waits for a
// person without being asked again for every reader.
#include "adapters/email/email_sink.hpp"
#include "core/delivery/outbox.hpp"
#include "core/email/envelope.hpp"
#include "core/store/store.hpp"
#include "tests/support/email_smtp_fixture.hpp"
#include "tests/support/result_printing.hpp"
#include "tests/support/test_data.hpp"

#include <spdlog/sinks/ostream_sink.h>
#include <catch2/catch.hpp>

#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace paperbot {
namespace {

using testing::newsletter_for;
using testing::SmtpServerOptions;
using testing::SmtpTestServer;
using testing::TempDir;

constexpr Date kJan29{std::chrono::year(2025), std::chrono::January, std::chrono::day(29)};
const std::chrono::sys_seconds kNow{std::chrono::seconds(1738195200)};

// A store, an SMTP client for `server`, and the sink and outbox between them.
struct OutboxFixture {
  explicit OutboxFixture(const SmtpTestServer& server, SmtpSecurity security = SmtpSecurity::kPlain)
      : client(testing::smtp_client(testing::smtp_options(server, security))) {}

  TempDir dir;
  std::unique_ptr<Store> store = open_store();
  std::unique_ptr<SmtpClient> client;
  std::chrono::steady_clock::time_point clock_now = std::chrono::steady_clock::now();
  EmailMessageSink sink{*client, EmailSinkOptions{"bounces@digest.example.org"},
                        [this] { return clock_now; }};
  std::ostringstream log;
  Outbox outbox{*store, sink, OutboxOptions{}, logger(), [] { return kNow; }};

  std::unique_ptr<Store> open_store() {
    auto opened = Store::open(dir.path() / "paperbot.db");
    REQUIRE_OK(opened);
    return std::move(*opened);
  }
  std::shared_ptr<spdlog::logger> logger() {
    return std::make_shared<spdlog::logger>("outbox",
                                            std::make_shared<spdlog::sinks::ostream_sink_st>(log));
  }

  void enqueue(const std::vector<std::string>& readers) {
    std::vector<Delivery> deliveries;
    for (const std::string& reader : readers) {
      auto delivery = newsletter_delivery("ml", kJan29, newsletter_for(reader).bytes);
      REQUIRE_OK(delivery);
      deliveries.push_back(std::move(*delivery));
    }
    REQUIRE_OK(store->enqueue_deliveries(deliveries));
  }

  std::vector<Delivery> pending() {
    auto pending = store->pending_deliveries(std::nullopt, 100);
    REQUIRE_OK(pending);
    return *pending;
  }

  OutboxPass run() {
    auto pass = outbox.run_once();
    REQUIRE_OK(pass);
    return *pass;
  }
};

// How many messages each recipient received.
std::map<std::string, int> copies(const SmtpTestServer& server) {
  std::map<std::string, int> count;
  for (const auto& message : server.messages()) ++count[message.rcpt_tos.at(0)];
  return count;
}

TEST_CASE("a newsletter delivery names its list and reader and carries the message",
          "[email][sink]") {
  email::NewsletterMessage message = newsletter_for("ada@example.net");
  auto delivery = newsletter_delivery("ml", kJan29, message.bytes);
  REQUIRE_OK(delivery);
  CHECK(delivery->audience == "email:ml:ada@example.net");
  CHECK(delivery->kind == "newsletter");
  CHECK_FALSE(delivery->paper_id);
  CHECK(delivery->payload == message.bytes);
  CHECK_FALSE(newsletter_delivery("", kJan29, message.bytes));
  CHECK_FALSE(newsletter_delivery("ml", kJan29, "not a message"));
}

TEST_CASE("through the outbox a 550, a 451 and a dropped connection stop only their reader",
          "[email][sink][outbox]") {
  PAPERBOT_REQUIRE_AIOSMTPD();
  TempDir dir;
  SmtpServerOptions failing;
  failing.reject = {"gone@example.net"};
  failing.defer = {"busy@example.net"};
  failing.drop = {"crash@example.net"};
  SmtpTestServer server(dir.path(), failing);
  OutboxFixture fixture(server);
  fixture.enqueue({"one@example.net", "gone@example.net", "busy@example.net", "crash@example.net",
                   "five@example.net", "six@example.net"});

  OutboxPass first = fixture.run();
  CHECK(first.sent == 3);
  CHECK(first.failed == 1);
  CHECK(first.retry_later == 2);
  const std::map<std::string, int> expected{
      {"one@example.net", 1}, {"five@example.net", 1}, {"six@example.net", 1}};
  CHECK(copies(server) == expected);
  for (const auto& message : server.messages())
    CHECK(message.mail_from == "bounces@digest.example.org");

  // The 550 is given up with the server's words; the 451 and the drop wait for a retry.
  CHECK(fixture.log.str().find("550 5.1.1 <gone@example.net>: mailbox unavailable") !=
        std::string::npos);
  std::vector<Delivery> waiting = fixture.pending();
  REQUIRE(waiting.size() == 2);
  CHECK(waiting[0].audience == "email:ml:busy@example.net");
  CHECK(waiting[0].last_error.find("451 4.3.0") != std::string::npos);
  CHECK(waiting[1].audience == "email:ml:crash@example.net");
  CHECK(waiting[1].attempts == 1);

  // A second pass at once leaves those two to their backoff (a minute); nobody gets anything
  // twice, and nobody is given up.
  OutboxPass second = fixture.run();
  CHECK(second.sent == 0);
  CHECK(second.waiting == 2);
  CHECK(second.failed == 0);
  CHECK(copies(server) == expected);
  CHECK(fixture.pending().size() == 2);
}

TEST_CASE("a send in flight at a crash is sent again, so nobody is skipped",
          "[email][sink][outbox]") {
  PAPERBOT_REQUIRE_AIOSMTPD();
  TempDir dir;
  SmtpTestServer server(dir.path());
  OutboxFixture fixture(server);
  fixture.enqueue({"ada@example.net", "bob@example.net", "cy@example.net"});
  std::vector<Delivery> pending = fixture.pending();

  SECTION("the server never got it: one copy, after the restart") {
    // The process died after recording the start of bob's send and before it reached the server.
    REQUIRE_OK(fixture.store->mark_sending(pending[1].id, kNow));
    OutboxPass pass = fixture.run();
    CHECK(pass.sent == 3);
    CHECK(pass.recovered == 0);
    CHECK(copies(server) == std::map<std::string, int>{{"ada@example.net", 1},
                                                       {"bob@example.net", 1},
                                                       {"cy@example.net", 1}});
  }
  SECTION("the server got it before the crash: the same bytes again, same Message-ID") {
    REQUIRE_OK(
        fixture.client->send("bounces@digest.example.org", "bob@example.net", pending[1].payload));
    REQUIRE_OK(fixture.store->mark_sending(pending[1].id, kNow));
    CHECK(fixture.run().sent == 3);

    auto received = server.messages();
    REQUIRE(received.size() == 4);
    CHECK(received[0].rcpt_tos.at(0) == "bob@example.net");
    CHECK(received[2].rcpt_tos.at(0) == "bob@example.net");
    CHECK(received[0].bytes == received[2].bytes);
    CHECK(fixture.pending().empty());
  }
}

TEST_CASE("a server without STARTTLS waits for a person and is not asked for every reader",
          "[email][sink][tls]") {
  PAPERBOT_REQUIRE_AIOSMTPD();
  TempDir dir;
  SmtpTestServer server(dir.path());  // offers no STARTTLS
  OutboxFixture fixture(server, SmtpSecurity::kStartTls);
  fixture.enqueue({"ada@example.net", "bob@example.net"});
  std::vector<Delivery> pending = fixture.pending();

  auto first = fixture.sink.send(pending[0], std::nullopt);
  REQUIRE_FALSE(first);
  CHECK(first.error().kind == SendFailure::kNeedsPerson);
  CHECK(first.error().fix.find("STARTTLS") != std::string::npos);
  const std::int64_t connections = fixture.client->connections_opened();

  auto held = fixture.sink.send(pending[1], std::nullopt);
  REQUIRE_FALSE(held);
  CHECK(held.error().kind == SendFailure::kNeedsPerson);
  CHECK(held.error().message.find("not tried") != std::string::npos);
  CHECK(fixture.client->connections_opened() == connections);

  // After the hold the server is asked again.
  fixture.clock_now += std::chrono::seconds(61);
  auto again = fixture.sink.send(pending[1], std::nullopt);
  REQUIRE_FALSE(again);
  CHECK(again.error().message.find("not tried") == std::string::npos);
  CHECK(server.messages().empty());

  // Through the outbox both readers stay pending, with no attempt counted.
  OutboxPass pass = fixture.run();
  CHECK(pass.blocked.size() == 2);
  for (const Delivery& delivery : fixture.pending()) CHECK(delivery.attempts == 0);
}

TEST_CASE("a delivery that cannot be a message for its reader fails for good", "[email][sink]") {
  PAPERBOT_REQUIRE_AIOSMTPD();
  TempDir dir;
  SmtpTestServer server(dir.path());
  OutboxFixture fixture(server);

  auto delivery = newsletter_delivery("ml", kJan29, newsletter_for("ada@example.net").bytes);
  REQUIRE_OK(delivery);
  Delivery wrong_reader = *delivery;
  wrong_reader.audience = email::email_audience("ml", "bob@example.net");
  Delivery not_email = *delivery;
  not_email.audience = "slack:C123";
  Delivery not_a_message = *delivery;
  not_a_message.payload = "{\"text\": \"hello\"}";

  for (const Delivery& bad : {wrong_reader, not_email, not_a_message}) {
    INFO(bad.audience);
    auto sent = fixture.sink.send(bad, std::nullopt);
    REQUIRE_FALSE(sent);
    CHECK(sent.error().kind == SendFailure::kPermanent);
  }
  CHECK(fixture.client->connections_opened() == 0);

  // find_already_sent never claims a message went out: SMTP cannot be asked.
  auto found = fixture.sink.find_already_sent(*delivery, std::nullopt);
  REQUIRE(found);
  CHECK_FALSE(*found);

  auto sent = fixture.sink.send(*delivery, std::nullopt);
  REQUIRE(sent);
  CHECK(sent->channel == "ada@example.net");
  auto envelope = email::read_envelope(delivery->payload);
  REQUIRE_OK(envelope);
  CHECK(sent->external_id == envelope->message_id);
}

}  // namespace
}  // namespace paperbot
