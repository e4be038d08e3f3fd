#include "adapters/slack/events.hpp"
#include "adapters/slack/request_signing.hpp"
#include "adapters/slack/slash_command.hpp"
#include "adapters/slack/socket_mode.hpp"
#include "tests/support/result_printing.hpp"
#include "tests/support/slack_vectors.hpp"
#include "tests/support/test_data.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

using namespace paperbot;
using namespace paperbot::slack;
using paperbot::testing::read_file;

namespace {

std::chrono::system_clock::time_point at_unix(std::int64_t seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

SignatureCheck check(const paperbot::testing::SigningVector& vector, std::int64_t now) {
  return verify_signature(vector.secret, {vector.timestamp, vector.signature, vector.body},
                          at_unix(now));
}

EventsApiBody events_file(const std::string& name, std::string_view bot_user_id = "") {
  auto path = paperbot::testing::shared_data_file("slack/" + name);
  if (!path) FAIL("no shared data");
  auto body = parse_events_api_body(read_file(*path), bot_user_id);
  if (!body) FAIL(name << ": " << body.error().to_string());
  return *body;
}

template <class T>
T inner_of(const EventsApiBody& body) {
  const auto* callback = std::get_if<EventCallback>(&body);
  if (callback == nullptr) FAIL("not an event_callback");
  const T* event = std::get_if<T>(&callback->event);
  if (event == nullptr) FAIL("the inner event is of another kind");
  return *event;
}

SocketFrame frame_file(const std::string& name) {
  auto path = paperbot::testing::shared_data_file("slack/" + name);
  if (!path) FAIL("no shared data");
  auto frame = parse_socket_frame(read_file(*path), "");
  if (!frame) FAIL(name << ": " << frame.error().to_string());
  return *frame;
}

}  // namespace

TEST_CASE("both signature vectors verify at their own time", "[slack][signing]") {
  PAPERBOT_SHARED_DATA_FILE(file, "slack/signature_test_vectors.json");
  const auto vectors = paperbot::testing::signing_vectors(file);
  REQUIRE(vectors.size() == 2);
  for (const paperbot::testing::SigningVector& vector : vectors) {
    CAPTURE(vector.timestamp);
    const std::int64_t timestamp = std::stoll(vector.timestamp);
    CHECK(check(vector, timestamp) == SignatureCheck::kValid);
    CHECK(check(vector, timestamp + 300) == SignatureCheck::kValid);
    CHECK(check(vector, timestamp - 300) == SignatureCheck::kValid);
    CHECK(compute_signature(vector.secret, vector.timestamp, vector.body) == vector.signature);
  }
}

TEST_CASE("the vectors' bodies are the data files byte for byte", "[slack][signing]") {
  PAPERBOT_SHARED_DATA_FILE(file, "slack/signature_test_vectors.json");
  PAPERBOT_SHARED_DATA_FILE(form, "slack/slash_command_form_body.txt");
  const auto vectors = paperbot::testing::signing_vectors(file);
  paperbot::testing::SigningVector from_file = vectors.at(0);
  from_file.body = read_file(form);
  CHECK(check(from_file, 1531420618) == SignatureCheck::kValid);
}

TEST_CASE("the SDKs' negative cases are refused", "[slack][signing]") {
  PAPERBOT_SHARED_DATA_FILE(file, "slack/signature_test_vectors.json");
  const auto vectors = paperbot::testing::signing_vectors(file);
  const paperbot::testing::SigningVector& slash = vectors.at(0);
  const paperbot::testing::SigningVector& mention = vectors.at(1);
  const std::int64_t slash_time = 1531420618;
  const std::int64_t mention_time = 1531431954;

  paperbot::testing::SigningVector changed = slash;
  changed.body += "------";
  CHECK(check(changed, slash_time) == SignatureCheck::kSignatureMismatch);

  changed = mention;
  changed.secret = "e6b19c573432dcc6b075501d51b51boo";
  CHECK(check(changed, mention_time) == SignatureCheck::kSignatureMismatch);

  changed = mention;
  const std::string token = "aF5ynEYQH0dFN9imlgcADxDB";
  changed.body.replace(changed.body.find(token), token.size(), "12345678abcdefghlmnopqrs");
  CHECK(check(changed, mention_time) == SignatureCheck::kSignatureMismatch);

  changed = mention;
  changed.secret.clear();
  CHECK(check(changed, mention_time) == SignatureCheck::kSignatureMismatch);

  // Stale on both sides of the window, and with the real clock.
  CHECK(check(slash, slash_time + 301) == SignatureCheck::kStale);
  CHECK(check(slash, slash_time - 301) == SignatureCheck::kStale);
  CHECK(verify_signature(slash.secret, {slash.timestamp, slash.signature, slash.body},
                         std::chrono::system_clock::now()) == SignatureCheck::kStale);
}

TEST_CASE("missing and garbled headers are refused", "[slack][signing]") {
  PAPERBOT_SHARED_DATA_FILE(file, "slack/signature_test_vectors.json");
  const paperbot::testing::SigningVector vector = paperbot::testing::signing_vectors(file).at(0);
  const auto now = at_unix(1531420618);
  auto verify = [&](std::optional<std::string_view> timestamp,
                    std::optional<std::string_view> signature) {
    return verify_signature(vector.secret, {timestamp, signature, vector.body}, now);
  };

  CHECK(verify(std::nullopt, vector.signature) == SignatureCheck::kMissingHeader);
  CHECK(verify(vector.timestamp, std::nullopt) == SignatureCheck::kMissingHeader);

  const std::string hex = vector.signature.substr(3);
  for (std::string_view timestamp : {"", "15314206l8", "+1531420618", " 1531420618", "1531420618.0",
                                     "99999999999999999999999"}) {
    CAPTURE(timestamp);
    CHECK(verify(timestamp, vector.signature) == SignatureCheck::kMalformedHeader);
  }
  const std::string wrong_version = "v1=" + hex;
  const std::string too_short = vector.signature.substr(0, 66);
  const std::string too_long = vector.signature + "0";
  const std::string not_hex = "v0=" + hex.substr(0, 63) + "g";
  for (const std::string& signature :
       {std::string(), hex, wrong_version, too_short, too_long, not_hex}) {
    CAPTURE(signature);
    CHECK(verify(vector.timestamp, signature) == SignatureCheck::kMalformedHeader);
  }
  CHECK(to_string(SignatureCheck::kStale) == "stale timestamp");
}

TEST_CASE("url_verification gives its challenge", "[slack][events]") {
  PAPERBOT_SHARED_DATA_FILE(file, "slack/url_verification.json");
  const EventsApiBody body = events_file("url_verification.json");
  REQUIRE(std::holds_alternative<UrlVerification>(body));
  CHECK(std::get<UrlVerification>(body).challenge ==
        "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
}

TEST_CASE("reactions name the message, the person and the emoji", "[slack][events]") {
  PAPERBOT_SHARED_DATA_FILE(file, "slack/event_reaction_added_docs.json");
  const EventsApiBody body = events_file("event_reaction_added_docs.json");
  CHECK(std::get<EventCallback>(body).event_id == "Ev123ABC456");
  CHECK(std::get<EventCallback>(body).team_id == "T123ABC456");
  const auto reaction = inner_of<ReactionEvent>(body);
  CHECK(reaction.added);
  CHECK(reaction.user == "U123ABC456");
  CHECK(reaction.reaction == "thumbsup");
  CHECK(reaction.channel == "C123ABC456");
  CHECK(reaction.message_ts == "1360782400.498405");
  CHECK(reaction.item_user == "U222222222");
  CHECK(normalise_reaction(reaction.reaction) == Vote::kUp);

  const auto heart = inner_of<ReactionEvent>(events_file("event_reaction_added_boltpy.json"));
  CHECK(heart.user == "W111");
  CHECK(heart.channel == "C111");
  CHECK(heart.message_ts == "1599529504.000400");
  CHECK(normalise_reaction(heart.reaction) == Vote::kNone);

  // The bot's own reaction is not feedback.
  const auto own = events_file("event_reaction_added_boltpy.json", "W111");
  CHECK(std::holds_alternative<Ignored>(std::get<EventCallback>(own).event));
}

TEST_CASE("reaction_removed parses as an inner event", "[slack][events]") {
  PAPERBOT_SHARED_DATA_FILE(file, "slack/event_reaction_removed_inner.json");
  auto event = parse_inner_event(read_file(file), "");
  REQUIRE(event);
  const auto& reaction = std::get<ReactionEvent>(*event);
  CHECK_FALSE(reaction.added);
  CHECK(reaction.channel == "C123ABC456");
  CHECK(reaction.message_ts == "1360782400.498405");
  CHECK(reaction.user == "U123ABC456");
}

TEST_CASE("mentions lose the leading mention of the bot", "[slack][events]") {
  PAPERBOT_SHARED_DATA_FILE(file, "slack/event_app_mention_docs.json");
  const auto docs = inner_of<MentionEvent>(events_file("event_app_mention_docs.json", "U0LAN0Z89"));
  CHECK(docs.text == "is it everything a river should be?");
  CHECK(docs.user == "U061F7AUR");
  CHECK(docs.channel == "C123ABC456");
  CHECK(docs.ts == "1515449522.000016");
  CHECK(docs.thread_ts.empty());

  const auto bolt = inner_of<MentionEvent>(events_file("event_app_mention_boltpy.json"));
  CHECK(bolt.text == "Hi there!");
  CHECK(bolt.user == "W222");

  // Only the bot's own mention is the address; another user's stays in the text.
  const auto other = inner_of<MentionEvent>(events_file("event_app_mention_boltpy.json", "U999"));
  CHECK(other.text == "<@W111> Hi there!");
}

TEST_CASE("direct messages are kept and the bot's own messages dropped", "[slack][events]") {
  PAPERBOT_SHARED_DATA_FILE(file, "slack/event_message_im_docs.json");
  const auto docs = inner_of<DirectMessage>(events_file("event_message_im_docs.json"));
  CHECK(docs.user == "U2147483697");
  CHECK(docs.channel == "D024BE91L");
  CHECK(docs.text == "Hello hello can you hear me?");

  const auto web =
      events_file("event_message_im_slackweb.json", "U0442US8QGH");  // the bot's user id
  CHECK(std::get<EventCallback>(web).event_id == "Ev044C51K43V");
  CHECK(inner_of<DirectMessage>(web).user == "U043H11ES4V");
  CHECK(inner_of<DirectMessage>(web).ts == "1664408649.009629");

  const auto own = inner_of<Ignored>(events_file("event_message_from_own_bot_slackweb.json"));
  CHECK(own.type == "message");
  CHECK(own.reason.find("bot") != std::string::npos);

  // The same DM written by the bot itself, told apart by user id alone.
  const auto self = inner_of<Ignored>(events_file("event_message_im_docs.json", "U2147483697"));
  CHECK(self.reason == "the bot's own message");
}

TEST_CASE("subtypes, channel messages and unknown types are ignored", "[slack][events]") {
  auto edited = parse_events_api_body(
      R"({"type":"event_callback","event_id":"Ev1","event":{"type":"message","subtype":)"
      R"("message_changed","channel":"D1","channel_type":"im","ts":"1.2"}})",
      "");
  REQUIRE(edited);
  CHECK(inner_of<Ignored>(*edited).reason.find("subtype") != std::string::npos);

  auto unknown = parse_events_api_body(
      R"({"type":"event_callback","event_id":"Ev2","event":{"type":"team_join"}})", "");
  REQUIRE(unknown);
  CHECK(inner_of<Ignored>(*unknown).type == "team_join");

  auto outer = parse_events_api_body(R"({"type":"something_new"})", "");
  REQUIRE(outer);
  CHECK(std::get<Ignored>(*outer).type == "something_new");

  CHECK_FALSE(parse_events_api_body("not json", ""));
  CHECK_FALSE(parse_events_api_body("[1,2]", ""));
  CHECK_FALSE(parse_events_api_body(R"({"type":"event_callback","event":{}})", ""));
  auto no_item = parse_events_api_body(
      R"({"type":"event_callback","event_id":"E","event":{"type":"reaction_added"}})", "");
  REQUIRE_FALSE(no_item);
  CHECK(no_item.error().step == "parse Slack event");
}

TEST_CASE("app_rate_limited names the team and minute", "[slack][events]") {
  PAPERBOT_SHARED_DATA_FILE(file, "slack/app_rate_limited.json");
  const auto body = events_file("app_rate_limited.json");
  CHECK(std::get<AppRateLimited>(body).team_id == "T123456");
  CHECK(std::get<AppRateLimited>(body).minute_rate_limited == 1518467820);
}

TEST_CASE("reaction names normalise to votes", "[slack][events]") {
  CHECK(normalise_reaction("+1") == Vote::kUp);
  CHECK(normalise_reaction("thumbsup") == Vote::kUp);
  CHECK(normalise_reaction("+1::skin-tone-3") == Vote::kUp);
  CHECK(normalise_reaction("thumbsup::skin-tone-6") == Vote::kUp);
  CHECK(normalise_reaction(":+1:") == Vote::kUp);
  CHECK(normalise_reaction("-1") == Vote::kDown);
  CHECK(normalise_reaction("thumbsdown::skin-tone-2") == Vote::kDown);
  CHECK(normalise_reaction("heart") == Vote::kNone);
  CHECK(normalise_reaction("+10") == Vote::kNone);
  CHECK(normalise_reaction("") == Vote::kNone);
}

TEST_CASE("Socket Mode hello and disconnect frames", "[slack][socket]") {
  PAPERBOT_SHARED_DATA_FILE(file, "slack/socket_mode_hello_pysdk.json");
  const auto hello = std::get<Hello>(frame_file("socket_mode_hello_pysdk.json"));
  CHECK(hello.num_connections == 2);
  CHECK(hello.app_id == "A111");
  CHECK(hello.approximate_connection_time == 18060);
  CHECK(std::get<Hello>(frame_file("socket_mode_hello_slackgo.json")).app_id == "A01K58AR4RF");

  CHECK(std::get<Disconnect>(frame_file("socket_mode_disconnect_warning_slackgo.json")).reason ==
        "warning");
  CHECK(std::get<Disconnect>(frame_file("socket_mode_disconnect_refresh_requested_thirdparty.json"))
            .reason == "refresh_requested");
  CHECK(std::get<Disconnect>(frame_file("socket_mode_disconnect_too_many_websockets_pysdk.json"))
            .reason == "too_many_websockets");
}

TEST_CASE("Socket Mode envelopes carry their parsed payload", "[slack][socket]") {
  PAPERBOT_SHARED_DATA_FILE(file, "slack/socket_mode_envelope_events_api_app_mention_pysdk.json");
  auto mention =
      std::get<Envelope>(frame_file("socket_mode_envelope_events_api_app_mention_pysdk.json"));
  CHECK(mention.envelope_id == "cda4159a-72a5-4744-aba3-4d66eb52682b");
  CHECK(mention.type == EnvelopeType::kEventsApi);
  CHECK_FALSE(mention.accepts_response_payload);
  CHECK(mention.retry_attempt == 0);
  const auto& body = std::get<EventsApiBody>(mention.payload);
  CHECK(std::get<EventCallback>(body).event_id == "Ev111");
  CHECK(inner_of<MentionEvent>(body).text.empty());
  CHECK(inner_of<MentionEvent>(body).user == "U222");

  auto go =
      std::get<Envelope>(frame_file("socket_mode_envelope_events_api_app_mention_slackgo.json"));
  CHECK(inner_of<MentionEvent>(std::get<EventsApiBody>(go.payload)).text == "test");

  // A message in a channel is acknowledged but not a command.
  auto message =
      std::get<Envelope>(frame_file("socket_mode_envelope_events_api_message_pysdk.json"));
  CHECK(message.envelope_id == "ac2cfd40-6f8c-4d5e-a1ad-646e532baa19");
  CHECK(inner_of<Ignored>(std::get<EventsApiBody>(message.payload)).reason ==
        "message outside a direct message");

  auto slash = std::get<Envelope>(frame_file("socket_mode_envelope_slash_commands_pysdk.json"));
  CHECK(slash.type == EnvelopeType::kSlashCommands);
  CHECK(slash.accepts_response_payload);
  const auto& command = std::get<SlashCommand>(slash.payload);
  CHECK(command.command == "/hello-socket-mode");
  CHECK(command.text.empty());
  CHECK(command.user_id == "U111");
  CHECK(command.channel_id == "C111");
  CHECK(command.response_url == "https://hooks.slack.com/commands/T111/111/xxx");

  auto shortcut =
      std::get<Envelope>(frame_file("socket_mode_envelope_interactive_shortcut_pysdk.json"));
  CHECK(shortcut.type == EnvelopeType::kInteractive);
  CHECK(shortcut.envelope_id == "57d6a792-4d35-4d0b-b6aa-3361493e1caf");
  CHECK(std::get<RawPayload>(shortcut.payload).type == "shortcut");
}

TEST_CASE("a malformed envelope payload is still acknowledged", "[slack][socket]") {
  auto frame = parse_socket_frame(
      R"({"envelope_id":"e1","type":"slash_commands","payload":{"text":"x"}})", "");
  REQUIRE(frame);
  const auto& envelope = std::get<Envelope>(*frame);
  CHECK(envelope.envelope_id == "e1");
  CHECK(std::holds_alternative<Ignored>(envelope.payload));

  CHECK_FALSE(parse_socket_frame(R"({"envelope_id":"","type":"events_api"})", ""));
  CHECK_FALSE(parse_socket_frame("{", ""));
  auto other = parse_socket_frame(R"({"type":"ping"})", "");
  REQUIRE(other);
  CHECK(std::get<Ignored>(*other).type == "ping");
}

TEST_CASE("acks match the constructed examples", "[slack][socket]") {
  PAPERBOT_SHARED_DATA_FILE(file, "slack/socket_mode_acks_constructed.json");
  const boost::json::value examples = boost::json::parse(read_file(file));

  const auto& plain = examples.at("plain_ack");
  CHECK(boost::json::parse(socket_ack(plain.at("envelope_id").as_string())) == plain);

  const auto& with_payload = examples.at("ack_with_payload_for_slash_command");
  CHECK(boost::json::parse(socket_ack(with_payload.at("envelope_id").as_string(),
                                      with_payload.at("payload").as_object())) == with_payload);
  CHECK(socket_ack("a\"b") == R"({"envelope_id":"a\"b"})");
}

TEST_CASE("slash command form bodies decode", "[slack][slash]") {
  PAPERBOT_SHARED_DATA_FILE(file, "slack/slash_command_form_body.txt");
  auto docs = parse_slash_command_form(read_file(file));
  REQUIRE(docs);
  CHECK(docs->command == "/webhook-collect");
  CHECK(docs->text.empty());
  CHECK(docs->user_id == "U2CERLKJA");
  CHECK(docs->channel_id == "G8PSS9T3V");
  CHECK(docs->team_id == "T1DC2JH3J");
  CHECK(docs->response_url ==
        "https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN");
  CHECK(docs->trigger_id == "398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c");

  PAPERBOT_SHARED_DATA_FILE(full, "slack/slash_command_form_body_boltjs_full.txt");
  auto bolt = parse_slash_command_form(read_file(full));
  REQUIRE(bolt);
  CHECK(bolt->command == "/hello-bolt-js");
  CHECK(bolt->user_id == "W111");
  CHECK(bolt->trigger_id == "111.222.xxx");

  auto fields = decode_form(read_file(full));
  REQUIRE(fields);
  CHECK(std::find(fields->begin(), fields->end(),
                  std::pair<std::string, std::string>{"enterprise_name", "Sandbox Org"}) !=
        fields->end());
}

TEST_CASE("form decoding handles plus, percent and bad escapes", "[slack][slash]") {
  auto command = parse_slash_command_form(
      "command=%2Fpapers&user_id=U1&text=cutoffs+relevance+8%0Atop%205+%3C%40U2%7Cann%3E");
  REQUIRE(command);
  CHECK(command->text == "cutoffs relevance 8\ntop 5 <@U2|ann>");
  CHECK_FALSE(decode_form("text=50%"));
  CHECK_FALSE(decode_form("text=%zz"));
  CHECK(decode_form("a=1&&b").value().size() == 2);
  CHECK_FALSE(parse_slash_command_form("text=hi"));
}
