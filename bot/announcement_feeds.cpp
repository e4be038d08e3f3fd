// The reading half of AnnouncementRunner: an announcement from arXiv's day feed on schedule, or
// through the arXiv API when the day was missed.
#include "adapters/arxiv/arxiv_client.hpp"
#include "bot/announcement_runner.hpp"
#include "core/chat/audience.hpp"
#include "core/common/text.hpp"
#include "core/feed/feed_parser.hpp"
#include "core/schedule/api_query.hpp"
#include "core/store/store.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

namespace paperbot {
namespace {

// Every category the audiences follow, each once, in the order first met.
std::vector<std::string> followed_categories(const std::vector<chat::ResolvedAudience>& audiences) {
  std::vector<std::string> categories;
  for (const auto& audience : audiences) {
    for (const auto& category : audience.config.filtering.categories) {
      if (std::find(categories.begin(), categories.end(), category) == categories.end()) {
        categories.push_back(category);
      }
    }
  }
  return categories;
}

}  // namespace

AnnouncementRunner::FeedState AnnouncementRunner::read_day_feed(Date announcement) {
  auto audiences = active_audiences();
  if (!audiences) {
    note_error(audiences.error().to_string());
    return FeedState::kFailed;
  }
  std::vector<std::string> categories = followed_categories(*audiences);
  if (categories.empty()) {
    logger_->info("every audience is paused: nothing to fetch for {}",
                  format_iso_date(announcement));
    auto saved = store_->save_day(day_record(announcement, "done"));
    return saved ? FeedState::kProcessed : FeedState::kFailed;
  }

  const std::string url = config_.paperbot.arxiv_feed_url + join(categories, "+");
  auto validators = store_->http_validators(url);
  if (!validators) {
    note_error(validators.error().to_string());
    return FeedState::kFailed;
  }
  auto fetched = arxiv_->fetch_day_feed(categories, *validators);
  if (!fetched) {
    note_error(fetched.error().to_string());
    return FeedState::kFailed;
  }
  // 304: the feed is the one read last time, which was an older announcement.
  if (fetched->not_modified) return FeedState::kNotYetUpdated;

  auto feed = parse_feed(fetched->body, fetched->source);
  if (!feed) {
    note_error(feed.error().to_string());
    return FeedState::kFailed;
  }
  FeedState state;
  if (feed->papers.empty()) {
    logger_->info("no announcement for {}: the feed is empty", format_iso_date(announcement));
    auto saved = store_->save_day(day_record(announcement, "empty"));
    state = saved ? FeedState::kEmpty : FeedState::kFailed;
  } else if (feed->announced && *feed->announced < announcement) {
    state = FeedState::kNotYetUpdated;
  } else {
    // A feed newer than expected (the clock was behind arXiv's) is processed as what it is; the
    // expected day is then caught up through the API.
    Date date = feed->announced.value_or(announcement);
    state = process(date, *feed, fetched->source, false);
  }
  if (state != FeedState::kFailed) {
    if (auto saved = store_->save_http_validators(url, fetched->validators); !saved) {
      logger_->warn("{}", saved.error().to_string());
    }
  }
  return state;
}

AnnouncementRunner::FeedState AnnouncementRunner::catch_up(Date announcement) {
  auto audiences = active_audiences();
  if (!audiences) {
    note_error(audiences.error().to_string());
    return FeedState::kFailed;
  }
  logger_->info("catching up on {} through the arXiv API", format_iso_date(announcement));
  auto feed = fetch_through_api(announcement, followed_categories(*audiences));
  if (!feed) {
    note_error(feed.error().to_string());
    return FeedState::kFailed;
  }
  if (feed->papers.empty()) {
    auto saved = store_->save_day(day_record(announcement, "empty", true));
    return saved ? FeedState::kEmpty : FeedState::kFailed;
  }
  return process(announcement, *feed, "the arXiv API", true);
}

Result<Feed> AnnouncementRunner::fetch_through_api(Date announcement,
                                                   const std::vector<std::string>& categories) {
  Feed all;
  all.format = FeedFormat::kAtomApi;
  all.announced = announcement;
  all.channels = categories;
  if (categories.empty()) return all;
  auto window = scheduler_->calendar().submission_window(announcement);
  if (!window) return window.error();

  constexpr int kPage = 1000;
  std::set<std::string> seen;
  for (int start = 0; start < kApiMaxTotalResults; start += kPage) {
    auto query = submission_window_query(categories, *window, ApiPage{start, kPage});
    if (!query) return query.error();
    auto fetched = arxiv_->fetch_api(*query);
    if (!fetched) return fetched.error();
    auto page = parse_feed(fetched->body, fetched->source);
    if (!page) return page.error();
    for (Paper& paper : page->papers) {
      if (!seen.insert(paper.id).second) continue;
      // The API has no announce type: a paper whose primary category is not followed was
      // cross-listed into the followed ones.
      bool primary = !paper.categories.empty() &&
                     std::find(categories.begin(), categories.end(), paper.categories.front()) !=
                         categories.end();
      paper.announce_type = primary ? AnnounceType::kNew : AnnounceType::kCross;
      all.papers.push_back(std::move(paper));
    }
    if (static_cast<int>(page->papers.size()) < kPage) break;
  }
  return all;
}

}  // namespace paperbot
