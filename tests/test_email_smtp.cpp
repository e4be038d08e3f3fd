// SmtpClient against a real aiosmtpd on loopback: plain SMTP, STARTTLS and SMTPS with a
// certificate made by the suite, a login, one connection for many messages, and every way a send
// can fail (550, 451, a dropped connection, no STARTTLS, an untrusted certificate, a wrong
// password, no server at all, an address that would inject a command).
#include "adapters/email/smtp_client.hpp"
#include "tests/support/email_smtp_fixture.hpp"
#include "tests/support/result_printing.hpp"
#include "tests/support/test_data.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

namespace paperbot {
namespace {

using testing::newsletter_for;
using testing::SmtpServerOptions;
using testing::SmtpTestServer;
using testing::TempDir;

constexpr const char* kSender = "bounces@digest.example.org";

std::string header_value(const std::string& message, const std::string& name) {
  std::size_t at = message.find("\r\n" + name + ": ");
  if (at == std::string::npos) return {};
  at += name.size() + 4;
  return message.substr(at, message.find("\r\n", at) - at);
}

TEST_CASE("plain SMTP delivers each recipient their own message over one connection",
          "[email][smtp]") {
  PAPERBOT_REQUIRE_AIOSMTPD();
  TempDir dir;
  SmtpTestServer server(dir.path());
  auto client = testing::smtp_client(testing::smtp_options(server, SmtpSecurity::kPlain));

  const std::vector<std::string> readers = {"ada@example.net", "bob@example.net", "cy@example.org"};
  std::vector<email::NewsletterMessage> sent;
  for (const std::string& reader : readers) {
    sent.push_back(newsletter_for(reader));
    auto accepted = client->send(kSender, reader, sent.back().bytes);
    REQUIRE_OK(accepted);
    CHECK(accepted->reply.starts_with("250 OK queued as"));
  }
  CHECK(client->connections_opened() == 1);

  auto received = server.messages();
  REQUIRE(received.size() == readers.size());
  std::set<std::string> peers;
  for (std::size_t i = 0; i < readers.size(); ++i) {
    INFO(readers[i]);
    peers.insert(received[i].peer);
    CHECK(received[i].mail_from == kSender);
    CHECK(received[i].rcpt_tos == std::vector<std::string>{readers[i]});
    // Byte for byte what was sent: libcurl's dot-stuffing was undone by the server.
    CHECK(received[i].bytes == sent[i].bytes);
    CHECK(header_value(received[i].bytes, "To") == readers[i]);
  }
  CHECK(peers.size() == 1);  // one connection carried all three

  // The delivered file is valid MIME and carries the digest, with this reader's own links.
  const auto summary = testing::python_mime_summary(received[1].bytes, dir.path());
  CHECK(summary.at("defects").as_array().empty());
  const auto& parts = summary.at("parts").as_array();
  REQUIRE(parts.size() == 2);
  CHECK(parts[1].at("html_problems").as_array().empty());
  std::string html(parts[1].at("content").as_string());
  std::string text(parts[0].at("content").as_string());
  for (const std::string& body : {text, html}) {
    CHECK(body.find("https://arxiv.org/abs/2501.16002") != std::string::npos);
    CHECK(body.find("Gonçalo Paulo") != std::string::npos);
    CHECK(body.find("?for=bob@example.net") != std::string::npos);
    CHECK(body.find("?for=ada@example.net") == std::string::npos);
  }
}

TEST_CASE("a 550, a 451 and a dropped connection fail only their own message", "[email][smtp]") {
  PAPERBOT_REQUIRE_AIOSMTPD();
  TempDir dir;
  SmtpServerOptions failing;
  failing.reject = {"gone@example.net"};
  failing.defer = {"busy@example.net"};
  failing.drop = {"crash@example.net"};
  SmtpTestServer server(dir.path(), failing);
  auto client = testing::smtp_client(testing::smtp_options(server, SmtpSecurity::kPlain));

  const auto send = [&](const std::string& reader) {
    return client->send(kSender, reader, newsletter_for(reader).bytes);
  };
  REQUIRE_OK(send("one@example.net"));

  auto rejected = send("gone@example.net");
  REQUIRE_FALSE(rejected);
  CHECK(rejected.error().kind == SmtpFailureKind::kRejected);
  CHECK(rejected.error().reply_code == 550);
  CHECK(rejected.error().message.find("RCPT") != std::string::npos);
  INFO(rejected.error().message);
  CHECK(rejected.error().message.find("mailbox unavailable") != std::string::npos);
  REQUIRE_OK(send("two@example.net"));

  auto deferred = send("busy@example.net");
  REQUIRE_FALSE(deferred);
  CHECK(deferred.error().kind == SmtpFailureKind::kDeferred);
  CHECK(deferred.error().reply_code == 451);
  CHECK(deferred.error().message.find("try again later") != std::string::npos);
  REQUIRE_OK(send("three@example.net"));

  auto dropped = send("crash@example.net");
  REQUIRE_FALSE(dropped);
  CHECK(dropped.error().kind == SmtpFailureKind::kConnection);
  REQUIRE_OK(send("four@example.net"));

  // Every other reader got their message, once; libcurl reconnected after each failure.
  std::vector<std::string> delivered;
  for (const auto& message : server.messages()) delivered.push_back(message.rcpt_tos.at(0));
  CHECK(delivered == std::vector<std::string>{"one@example.net", "two@example.net",
                                              "three@example.net", "four@example.net"});
  CHECK(client->connections_opened() == 4);
}

TEST_CASE("STARTTLS with the suite's certificate and a login delivers", "[email][smtp][tls]") {
  PAPERBOT_REQUIRE_AIOSMTPD();
  TempDir dir;
  auto certificate = testing::make_test_certificate(dir.path());
  SmtpServerOptions tls;
  tls.tls_cert = certificate.cert;
  tls.tls_key = certificate.key;
  tls.auth = "digest:s3cret";
  SmtpTestServer server(dir.path(), tls);

  SmtpOptions options = testing::smtp_options(server, SmtpSecurity::kStartTls);
  options.ca_file = certificate.cert.string();
  options.username = "digest";
  options.password = "s3cret";
  auto client = testing::smtp_client(options);
  for (const char* reader : {"ada@example.net", "bob@example.net"})
    REQUIRE_OK(client->send(kSender, reader, newsletter_for(reader).bytes));
  CHECK(client->connections_opened() == 1);
  REQUIRE(server.messages().size() == 2);

  SECTION("a wrong password is a login failure that sends nothing") {
    options.password = "wrong";
    auto wrong = testing::smtp_client(options);
    auto refused = wrong->send(kSender, "cy@example.net", newsletter_for("cy@example.net").bytes);
    REQUIRE_FALSE(refused);
    INFO(refused.error().message);
    CHECK(refused.error().kind == SmtpFailureKind::kLogin);
    CHECK(server.messages().size() == 2);
  }
  SECTION("a certificate the client does not trust fails before anything is sent") {
    options.ca_file.clear();
    auto untrusting = testing::smtp_client(options);
    auto refused =
        untrusting->send(kSender, "cy@example.net", newsletter_for("cy@example.net").bytes);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().kind == SmtpFailureKind::kSecurity);
    CHECK(server.messages().size() == 2);
  }
}

TEST_CASE("SMTPS (TLS from the first byte) delivers", "[email][smtp][tls]") {
  PAPERBOT_REQUIRE_AIOSMTPD();
  TempDir dir;
  auto certificate = testing::make_test_certificate(dir.path());
  SmtpServerOptions tls;
  tls.tls_cert = certificate.cert;
  tls.tls_key = certificate.key;
  tls.smtps = true;
  SmtpTestServer server(dir.path(), tls);

  SmtpOptions options = testing::smtp_options(server, SmtpSecurity::kTls);
  options.ca_file = certificate.cert.string();
  auto client = testing::smtp_client(options);
  REQUIRE_OK(client->send(kSender, "ada@example.net", newsletter_for("ada@example.net").bytes));
  REQUIRE(server.messages().size() == 1);
}

TEST_CASE("starttls required against a server without STARTTLS fails without sending",
          "[email][smtp][tls]") {
  PAPERBOT_REQUIRE_AIOSMTPD();
  TempDir dir;
  SmtpTestServer server(dir.path());
  auto client = testing::smtp_client(testing::smtp_options(server, SmtpSecurity::kStartTls));
  auto refused = client->send(kSender, "ada@example.net", newsletter_for("ada@example.net").bytes);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().kind == SmtpFailureKind::kSecurity);
  CHECK(server.messages().empty());
}

TEST_CASE("no server, or an address that would inject a command, is a failure of its own",
          "[email][smtp]") {
  PAPERBOT_REQUIRE_AIOSMTPD();
  TempDir dir;
  SmtpOptions options;
  {
    SmtpTestServer server(dir.path());
    options = testing::smtp_options(server, SmtpSecurity::kPlain);
  }  // stopped: nothing listens on its port any more
  auto client = testing::smtp_client(options);
  auto unreachable =
      client->send(kSender, "ada@example.net", newsletter_for("ada@example.net").bytes);
  REQUIRE_FALSE(unreachable);
  CHECK(unreachable.error().kind == SmtpFailureKind::kUnreachable);

  auto injected = client->send(kSender, "ada@example.net>\r\nRCPT TO:<victim@example.org",
                               newsletter_for("ada@example.net").bytes);
  REQUIRE_FALSE(injected);
  CHECK(injected.error().kind == SmtpFailureKind::kInvalid);
  CHECK(injected.error().message.find("line break") != std::string::npos);
  CHECK(client->connections_opened() == 0);
}

TEST_CASE("options that cannot work are refused when the client is made", "[email][smtp]") {
  const auto refused = [](std::string url, SmtpSecurity security, std::string username,
                          std::string_view reason) {
    SmtpOptions options;
    options.url = std::move(url);
    options.security = security;
    options.username = std::move(username);
    auto client = SmtpClient::create(std::move(options), testing::quiet_logger());
    REQUIRE_FALSE(client);
    INFO(client.error().to_string());
    CHECK(client.error().to_string().find(reason) != std::string::npos);
  };
  refused("http://mail.example.org/x", SmtpSecurity::kStartTls, "", "smtp://");
  refused("smtps://mail.example.org/x", SmtpSecurity::kStartTls, "", "smtp://");
  refused("smtp://mail.example.org/x", SmtpSecurity::kTls, "", "smtps://");
  refused("smtp://mail.example.org/x", SmtpSecurity::kPlain, "u", "never sent over plain");
  refused("smtp:///x", SmtpSecurity::kStartTls, "", "no host");
  CHECK(parse_smtp_security("starttls") == SmtpSecurity::kStartTls);
  CHECK(parse_smtp_security("tls") == SmtpSecurity::kTls);
  CHECK(parse_smtp_security("plain") == SmtpSecurity::kPlain);
  CHECK_FALSE(parse_smtp_security("ssl"));
}

}  // namespace
}  // namespace paperbot
