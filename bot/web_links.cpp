#include "bot/web_links.hpp"

#include "core/email/link_token.hpp"
#include "core/render/render.hpp"
#include "core/store/store.hpp"

#include <spdlog/spdlog.h>

#include <cctype>

namespace paperbot {
namespace {

using slack::WebRequest;
using slack::WebResponse;

// A whole small page: a title, and a body already escaped.
WebResponse page(int status, const std::string& title, const std::string& body_html) {
  WebResponse response;
  response.status = status;
  response.body =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>" +
      escape_html(title) +
      "</title></head>\n<body style=\"font-family: sans-serif; max-width: 36em; "
      "margin: 3em auto; padding: 0 1em\">\n<h1>" +
      escape_html(title) + "</h1>\n" + body_html + "\n</body></html>\n";
  return response;
}

WebResponse paragraph_page(int status, const std::string& title, const std::string& text) {
  return page(status, title, "<p>" + escape_html(text) + "</p>");
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The value of `name` in a query string or form body, percent-decoded; empty when absent.
std::string form_value(std::string_view form, std::string_view name) {
  while (!form.empty()) {
    std::size_t amp = form.find('&');
    std::string_view pair = form.substr(0, amp);
    form = amp == std::string_view::npos ? std::string_view() : form.substr(amp + 1);
    std::size_t eq = pair.find('=');
    if (pair.substr(0, eq) != name || eq == std::string_view::npos) continue;

    std::string value;
    std::string_view raw = pair.substr(eq + 1);
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '+') {
        value += ' ';
      } else if (raw[i] == '%' && i + 2 < raw.size() && hex_value(raw[i + 1]) >= 0 &&
                 hex_value(raw[i + 2]) >= 0) {
        value += static_cast<char>(hex_value(raw[i + 1]) * 16 + hex_value(raw[i + 2]));
        i += 2;
      } else {
        value += raw[i];
      }
    }
    return value;
  }
  return {};
}

// 403 for a link this daemon did not sign or that expired, 400 for one that is not a link.
int status_for(const Error& error) {
  const bool refused = error.message.find("not made by") != std::string::npos ||
                       error.message.find("expired") != std::string::npos;
  return refused ? 403 : 400;
}

}  // namespace

WebLinks::WebLinks(std::unique_ptr<Store> store, std::string link_secret, Clock clock,
                   std::shared_ptr<spdlog::logger> logger)
    : store_(std::move(store)),
      link_secret_(std::move(link_secret)),
      clock_(std::move(clock)),
      logger_(std::move(logger)) {}

WebLinks::~WebLinks() = default;

WebResponse WebLinks::handle(const WebRequest& request) {
  const bool upvote_path = request.path == email::kUpvotePath;
  if (!upvote_path && request.path != email::kUnsubscribePath)
    return paragraph_page(404, "Not found", "There is no page here.");

  // The form's POST carries the token in its body; the links and RFC 8058 in the query.
  std::string token = form_value(request.query, "t");
  if (token.empty() && request.method == "POST") token = form_value(request.body, "t");
  if (token.empty())
    return paragraph_page(400, "Incomplete link", "The link has no token; copy it whole.");

  std::lock_guard lock(mutex_);
  auto claim = email::verify_link_token(token, link_secret_, clock_());
  if (!claim) {
    logger_->info("refused a link to {}: {}", request.path, claim.error().message);
    return paragraph_page(status_for(claim.error()), "This link does not work",
                          claim.error().message + ". Nothing was changed.");
  }
  const bool upvote_claim = claim->action == email::LinkAction::kUpvote;
  if (upvote_claim != upvote_path) {
    return paragraph_page(400, "This link does not work",
                          "The link's token is for another page. Nothing was changed.");
  }
  if (upvote_claim) return upvote(request, claim->list, claim->address, claim->paper_id);
  return unsubscribe(request, claim->list, claim->address);
}

WebResponse WebLinks::upvote(const WebRequest& request, const std::string& list,
                             const std::string& address, const std::string& paper_id) {
  const std::string audience = "email:" + list;
  const auto now = clock_();
  if (request.method != "HEAD") {
    // The feedback's date is that of the digest the paper was mailed in: the last day the list
    // was shown it, else (a digest from before that was recorded) its latest announcement.
    Date date = std::chrono::floor<std::chrono::days>(now);
    if (auto shown = store_->last_shown(audience, paper_id); shown && *shown) {
      date = **shown;
    } else if (auto dates = store_->announcement_dates(paper_id); dates && !dates->empty()) {
      date = dates->back();
    }
    auto recorded =
        store_->record_feedback(Feedback{audience, paper_id, date, address, 1, "email"}, now);
    if (!recorded) {
      logger_->error("{}", recorded.error().to_string());
      return paragraph_page(503, "Please try again",
                            "Your 👍 could not be saved just now; the link will still work.");
    }
    if (*recorded) logger_->info("feedback + 👍 on {} in {} by e-mail", paper_id, audience);
  }
  return page(200, "Thank you",
              "<p>Your 👍 on <a href=\"https://arxiv.org/abs/" + escape_html(paper_id) + "\">" +
                  escape_html(paper_id) + "</a> is recorded. It helps " + escape_html(list) +
                  " choose the papers it sends.</p>");
}

WebResponse WebLinks::unsubscribe(const WebRequest& request, const std::string& list,
                                  const std::string& address) {
  const std::string audience = "email:" + list;
  if (request.method != "POST") {
    // Only a page with a button: a GET must not unsubscribe (scanners fetch links).
    const std::string token = form_value(request.query, "t");
    return page(200, "Unsubscribe",
                "<p>Stop sending the " + escape_html(list) + " newsletter to " +
                    escape_html(address) + "?</p>\n<form method=\"post\" action=\"" +
                    escape_html(std::string(email::kUnsubscribePath)) + "?t=" + escape_html(token) +
                    "\"><button type=\"submit\">Unsubscribe</button></form>");
  }
  auto changed = store_->unsubscribe(audience, address, std::string(kSubscriberByLink), clock_());
  if (!changed) {
    logger_->error("{}", changed.error().to_string());
    return paragraph_page(503, "Please try again",
                          "The unsubscribe could not be saved just now; the link will still work.");
  }
  if (*changed) logger_->info("{} unsubscribed from {} by its link", address, audience);
  return paragraph_page(
      200, "You are unsubscribed",
      "You are unsubscribed: " + address + " gets no more of the " + list + " newsletter.");
}

}  // namespace paperbot
