// E-mail subscribers on a real SQLite file: subscribing, unsubscribing, suspending after
// bounces, and who a digest of an e-mail audience goes to.
#include "core/store/store.hpp"

#include "tests/support/result_printing.hpp"
#include "tests/support/test_data.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace paperbot;
using paperbot::testing::TempDir;

namespace {

const std::chrono::sys_seconds kNow{std::chrono::seconds(1738195200)};  // 2025-01-30 00:00 UTC
const std::string kTheory = "email:theory";
const std::string kOther = "email:other";
const std::string kAdmin = "UADMIN";

struct Fixture {
  TempDir dir;
  std::unique_ptr<Store> store = std::move(Store::open(dir.path() / "paperbot.db").value());

  std::vector<std::string> recipients(const std::vector<std::string>& config = {}) {
    auto list = store->recipients(kTheory, config);
    REQUIRE_OK(list);
    return *list;
  }
  Subscriber only_row(const std::string& audience = kTheory) {
    auto rows = store->subscribers(audience);
    REQUIRE_OK(rows);
    REQUIRE(rows->size() == 1);
    return rows->front();
  }
};

using Addresses = std::vector<std::string>;

}  // namespace

TEST_CASE("the store migrates to the subscribers schema", "[store][subscribers]") {
  Fixture f;
  // Migration 6 adds the subscribers; later steps may follow it.
  CHECK(Store::latest_schema_version() >= 6);
  CHECK(f.store->schema_version() == Store::latest_schema_version());
  CHECK(f.store->subscribers("").value().empty());
}

TEST_CASE("subscribe adds an address once, with who and when", "[store][subscribers]") {
  Fixture f;
  CHECK(f.store->subscribe(kTheory, "Ada@Example.ORG", kAdmin, kNow).value());
  CHECK_FALSE(f.store->subscribe(kTheory, "ada@example.org", "UOTHER", kNow).value());

  Subscriber row = f.only_row();
  CHECK(row.audience == kTheory);
  CHECK(row.address == "Ada@example.org");  // the domain lower-cased, the local part as typed
  CHECK(row.status == SubscriberStatus::kSubscribed);
  CHECK(row.failures == 0);
  CHECK(row.who == kAdmin);
  CHECK(row.created_at == "2025-01-30T00:00:00Z");
  CHECK(row.updated_at == row.created_at);
}

TEST_CASE("unsubscribe takes an address off one audience or every one", "[store][subscribers]") {
  Fixture f;
  REQUIRE_OK(f.store->subscribe(kTheory, "ada@example.org", kAdmin, kNow));
  REQUIRE_OK(f.store->subscribe(kOther, "ada@example.org", kAdmin, kNow));

  CHECK(f.store->unsubscribe(kTheory, "ADA@example.org", "link", kNow).value());
  CHECK_FALSE(f.store->unsubscribe(kTheory, "ada@example.org", "link", kNow).value());
  CHECK(f.only_row().status == SubscriberStatus::kUnsubscribed);
  CHECK(f.only_row().who == "link");
  CHECK(f.only_row(kOther).status == SubscriberStatus::kSubscribed);

  CHECK(f.store->unsubscribe("", "ada@example.org", kAdmin, kNow).value());
  CHECK(f.only_row(kOther).status == SubscriberStatus::kUnsubscribed);
  CHECK_FALSE(f.store->unsubscribe("", "ada@example.org", kAdmin, kNow).value());
  CHECK(f.store->subscribers("").value().size() == 2);
}

TEST_CASE("recipients are the config's plus subscribers, minus those who left",
          "[store][subscribers]") {
  Fixture f;
  const Addresses config = {"grace@navy.mil", "emmy@Goettingen.DE", "grace@NAVY.mil"};
  CHECK(f.recipients(config) == Addresses{"grace@navy.mil", "emmy@goettingen.de"});

  REQUIRE_OK(f.store->subscribe(kTheory, "kurt@ias.edu", kAdmin, kNow));
  REQUIRE_OK(f.store->subscribe(kTheory, "alan@bletchley.uk", kAdmin, kNow));
  REQUIRE_OK(f.store->subscribe(kTheory, "Emmy@goettingen.de", kAdmin, kNow));  // also in config
  REQUIRE_OK(f.store->subscribe(kOther, "john@princeton.edu", kAdmin, kNow));
  CHECK(f.recipients(config) ==
        Addresses{"grace@navy.mil", "emmy@goettingen.de", "kurt@ias.edu", "alan@bletchley.uk"});

  // Unsubscribing a config recipient is remembered, so the config alone no longer reaches it.
  REQUIRE(f.store->unsubscribe(kTheory, "grace@navy.mil", "link", kNow).value());
  REQUIRE(f.store->unsubscribe(kTheory, "kurt@ias.edu", kAdmin, kNow).value());
  CHECK(f.recipients(config) == Addresses{"emmy@goettingen.de", "alan@bletchley.uk"});

  // Subscribing again brings it back, after the config's.
  REQUIRE(f.store->subscribe(kTheory, "kurt@ias.edu", kAdmin, kNow).value());
  CHECK(f.recipients(config) ==
        Addresses{"emmy@goettingen.de", "kurt@ias.edu", "alan@bletchley.uk"});
}

TEST_CASE("permanent failures suspend an address until it subscribes again",
          "[store][subscribers]") {
  Fixture f;
  const Addresses config = {"grace@navy.mil"};
  REQUIRE_OK(f.store->subscribe(kTheory, "ada@example.org", kAdmin, kNow));

  CHECK_FALSE(f.store->record_permanent_failure(kTheory, "ada@example.org", 3, kNow).value());
  CHECK_FALSE(f.store->record_permanent_failure(kTheory, "ada@example.org", 3, kNow).value());
  CHECK(f.recipients(config) == Addresses{"grace@navy.mil", "ada@example.org"});
  CHECK(f.store->record_permanent_failure(kTheory, "ada@example.org", 3, kNow).value());
  CHECK(f.recipients(config) == Addresses{"grace@navy.mil"});
  CHECK(f.only_row().status == SubscriberStatus::kSuspended);
  CHECK(f.only_row().failures == 3);

  // Once suspended, more bounces change nothing; subscribing again starts the count afresh.
  CHECK_FALSE(f.store->record_permanent_failure(kTheory, "ada@example.org", 3, kNow).value());
  CHECK(f.only_row().failures == 3);
  CHECK(f.store->subscribe(kTheory, "ada@example.org", kAdmin, kNow).value());
  CHECK(f.only_row().status == SubscriberStatus::kSubscribed);
  CHECK(f.only_row().failures == 0);
}

TEST_CASE("a config recipient's failures are counted and suspend it", "[store][subscribers]") {
  Fixture f;
  const Addresses config = {"grace@navy.mil", "emmy@goettingen.de"};
  CHECK(f.store->record_permanent_failure(kTheory, "grace@navy.mil", 1, kNow).value());
  CHECK(f.only_row().who == "config");
  CHECK(f.recipients(config) == Addresses{"emmy@goettingen.de"});

  // A bounce that arrives after the address left does not bring it back or count.
  REQUIRE_OK(f.store->unsubscribe(kTheory, "emmy@goettingen.de", "link", kNow));
  CHECK_FALSE(f.store->record_permanent_failure(kTheory, "emmy@goettingen.de", 1, kNow).value());
  CHECK(f.recipients(config).empty());
}

TEST_CASE("normalized_address lower-cases the domain only", "[store][subscribers]") {
  CHECK(normalized_address(" Ada.L@Example.ORG ") == "Ada.L@example.org");
  CHECK(normalized_address("no-at-sign") == "no-at-sign");
  CHECK(to_string(SubscriberStatus::kSuspended) == "suspended");
  CHECK(subscriber_status_from("unsubscribed") == SubscriberStatus::kUnsubscribed);
  CHECK_FALSE(subscriber_status_from("gone").has_value());
}
