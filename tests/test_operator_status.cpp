// What the operator is told without a browser: `paperbot status` on a real store (the program
// itself), the health rules the alarms use, and the admins' alert e-mail.
#include "bot/alert_email.hpp"
#include "bot/health.hpp"
#include "bot/status_command.hpp"
#include "core/email/envelope.hpp"
#include "tests/support/operator_fixture.hpp"
#include "tests/support/process_runner.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>

using namespace paperbot;
using namespace paperbot::testing;
using Catch::Contains;

namespace {

ProcessResult run_paperbot(const std::vector<std::string>& arguments,
                           const std::filesystem::path& work_dir) {
  const char* binary = std::getenv("PAPERBOT_BIN");
  REQUIRE(binary != nullptr);
  auto ran = run_process(binary, arguments, work_dir, std::chrono::seconds(60));
  REQUIRE(ran.started);
  REQUIRE_FALSE(ran.timed_out);
  return ran;
}

Scheduler scheduler_of(const Config& config) {
  auto scheduler = Scheduler::create(config.schedule);
  REQUIRE_OK(scheduler);
  return *scheduler;
}

}  // namespace

TEST_CASE("paperbot status prints every audience's facts in plain text", "[operator][status]") {
  OperatorFixture fixture;
  auto ran = run_paperbot({"status", "--config", (fixture.dir.path() / "config").string(),
                           "--store", fixture.store_path().string()},
                          fixture.dir.path());
  INFO(ran.out << ran.err);
  REQUIRE(ran.exit_code == 0);
  const std::string& out = ran.out;
  CHECK_THAT(out, Contains("Health: "));
  CHECK_THAT(out, Contains("[files]"));
  CHECK_THAT(out, Contains("[slack:C0PAPERS]\nStatus of #papers"));
  CHECK_THAT(out, Contains("Last run: 2025-01-29, done; 14 listed, 12 considered, 12 scored, "
                           "3 selected; finished 2025-01-29 06:05 UTC."));
  CHECK_THAT(out, Contains("Cutoffs: relevance ≥ 6, novelty ≥ 4."));
  CHECK_THAT(out, Contains("Cutoffs: relevance ≥ 5, novelty ≥ 4."));
  CHECK_THAT(out, Contains("Pending messages: 2."));
  CHECK_THAT(out, Contains("Feedback: 👍 3 · 👎 1."));
  // Spending rows carry the store's own clock, as the command's "this month" does.
  CHECK_THAT(out, Contains("1500 tokens, $0.75."));
  // The next run comes from the schedule: an announcement after the last one processed.
  CHECK_THAT(out, Contains("Next run: "));
  CHECK(out.find("not scheduled") == std::string::npos);
  CHECK(out.find('*') == std::string::npos);
}

TEST_CASE("paperbot status refuses a store that is not there", "[operator][status]") {
  OperatorFixture fixture;
  auto ran = run_paperbot({"status", "--config", (fixture.dir.path() / "config").string(),
                           "--store", (fixture.dir.path() / "none.db").string()},
                          fixture.dir.path());
  CHECK(ran.exit_code == 6);
  CHECK_FALSE(std::filesystem::exists(fixture.dir.path() / "none.db"));
}

TEST_CASE("plain_text drops Slack's markup", "[operator][status]") {
  CHECK(plain_text("*Status of <#C0123>*") == "Status of #C0123");
  CHECK(plain_text("<https://arxiv.org/abs/1|A &amp; B> by <@U1>") ==
        "A & B (https://arxiv.org/abs/1) by @U1");
  CHECK(plain_text("feed &lt;not&gt; updated") == "feed <not> updated");
}

TEST_CASE("the next run of a store follows the schedule", "[operator][status]") {
  OperatorFixture fixture;
  const auto facts = scheduled_facts(fixture.config, *fixture.store, at_midnight(day_of(1, 30)));
  REQUIRE(facts.next_announcement);
  CHECK(*facts.next_announcement == day_of(1, 30));
  REQUIRE(facts.next_run);
  CHECK(*facts.next_run == at_midnight(day_of(1, 30)) + std::chrono::hours(6));
}

TEST_CASE("two announcements in a row unprocessed raise the alarm; one does not",
          "[operator][alarm]") {
  OperatorFixture fixture;
  const Scheduler scheduler = scheduler_of(fixture.config);
  std::vector<DayRecord> days = {{day_of(1, 28), "done", false, 0, ""},
                                 {day_of(1, 29), "done", false, 0, ""}};
  // Friday 31, 04:00 Eastern: Thursday's is missing, Friday's (due 01:00) is within its grace.
  const auto friday = at_midnight(day_of(1, 31)) + std::chrono::hours(9);
  Health one = assess_health(scheduler, days, {}, friday);
  CHECK_FALSE(one.ok);
  CHECK(one.unprocessed == 1);

  Health two = assess_health(scheduler, days, {}, friday + std::chrono::hours(6));
  CHECK(two.unprocessed == 2);
  REQUIRE(two.expected);
  CHECK(*two.expected == day_of(1, 31));

  // A weekend adds no announcement: Monday morning still counts Thursday and Friday.
  Health monday = assess_health(scheduler, days, {}, at_midnight(day_of(2, 3)));
  CHECK(monday.unprocessed == 2);
  days.push_back({day_of(1, 31), "given_up", false, 13, ""});
  CHECK_THAT(assess_health(scheduler, days, {}, at_midnight(day_of(2, 3))).summary,
             Contains("its feed never showed it"));
}

TEST_CASE("a new store is expected to process what falls due after the start",
          "[operator][alarm]") {
  OperatorFixture fixture;
  const Scheduler scheduler = scheduler_of(fixture.config);
  const auto start = at_midnight(day_of(1, 29)) + std::chrono::hours(5);
  const auto next_day = at_midnight(day_of(1, 30));
  CHECK(assess_health(scheduler, {}, {}, next_day).ok);
  Health watched = assess_health(scheduler, {}, {}, next_day, start);
  CHECK_FALSE(watched.ok);
  CHECK_THAT(watched.summary, Contains("none was ever processed"));
  // Started after Wednesday's run was due: nothing is expected before Thursday's.
  CHECK(assess_health(scheduler, {}, {}, next_day, start + std::chrono::hours(2)).ok);
}

TEST_CASE("a failed run is unhealthy even when the days are processed", "[operator][alarm]") {
  OperatorFixture fixture;
  const Scheduler scheduler = scheduler_of(fixture.config);
  const std::vector<DayRecord> days = {{day_of(1, 29), "done", false, 0, ""}};
  const auto now = at_midnight(day_of(1, 30));
  CHECK(assess_health(scheduler, days, {{kPapers, day_of(1, 29), "done"}}, now).ok);
  Health failed = assess_health(scheduler, days, {{kPapers, day_of(1, 29), "failed"}}, now);
  CHECK_FALSE(failed.ok);
  CHECK_THAT(failed.summary, Contains("failed"));
}

TEST_CASE("an alert e-mail is one plain message, let out once per day and kind",
          "[operator][alarm]") {
  OperatorFixture fixture;
  EmailConfig email;
  email.from = "digest@example.org";
  const auto now = at_midnight(day_of(1, 30));
  auto delivery = alert_email_delivery(email, "admin@example.org", day_of(1, 30), "alert:run",
                                       "paperbot could not process =the day=", now);
  REQUIRE_OK(delivery);
  CHECK(delivery->audience == "email:paperbot-alerts:admin@example.org");
  CHECK(delivery->kind == "alert:run");
  auto envelope = email::read_envelope(delivery->payload);
  REQUIRE_OK(envelope);
  CHECK(envelope->to == "admin@example.org");
  CHECK(envelope->from == "digest@example.org");
  CHECK_THAT(delivery->payload, Contains("Subject: paperbot alert: alert:run 2025-01-30\r\n"));
  CHECK_THAT(delivery->payload, Contains("could not process =3Dthe day=3D"));

  // Raised again later the same day: the outbox keeps the first.
  auto again = alert_email_delivery(email, "admin@example.org", day_of(1, 30), "alert:run",
                                    "still failing", now + std::chrono::minutes(10));
  REQUIRE_OK(again);
  CHECK(fixture.store->enqueue_deliveries({*delivery}).value() == 1);
  CHECK(fixture.store->enqueue_deliveries({*again}).value() == 0);

  CHECK_FALSE(alert_email_delivery(email, "not an address", day_of(1, 30), "alert:run", "x", now));
}
