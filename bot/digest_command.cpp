#include "bot/digest_command.hpp"

#include "adapters/arxiv/arxiv_client.hpp"
#include "adapters/scholar/scholar_client.hpp"
#include "bot/clients.hpp"
#include "bot/exit_codes.hpp"
#include "bot/logging.hpp"
#include "bot/newsletter_setup.hpp"
#include "bot/scorer_setup.hpp"
#include "bot/secrets.hpp"
#include "core/common/text.hpp"
#include "core/config/config.hpp"
#include "core/digest/digest_run.hpp"
#include "core/store/store.hpp"

#include <spdlog/spdlog.h>

#include <unistd.h>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace paperbot {
namespace {

Result<Config> load_configuration(const DigestCommandOptions& options) {
  if (!options.config_dir) return default_config();
  return load_config(*options.config_dir);
}

Result<FetchedFeed> read_feed_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("read feed", "cannot open " + path.string());
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return make_error("read feed", "cannot read " + path.string());
  FetchedFeed feed;
  feed.source = path.string();
  feed.body = std::move(bytes).str();
  return feed;
}

// A progress line while scoring: rewritten in place on a terminal, a few log lines otherwise.
ScoringProgress make_progress(std::shared_ptr<spdlog::logger> logger) {
  bool terminal = isatty(STDERR_FILENO) != 0;
  auto last_quarter = std::make_shared<int>(-1);
  return [terminal, logger, last_quarter](int done, int total, double dollars) {
    if (terminal) {
      std::fprintf(stderr, "\rscoring: %d/%d papers, $%.2f spent%s", done, total, dollars,
                   done == total ? "\n" : "");
      return;
    }
    int quarter = total == 0 ? 4 : done * 4 / total;
    if (quarter != *last_quarter) {
      *last_quarter = quarter;
      logger->info("scoring: {}/{} papers, ${:.2f} spent", done, total, dollars);
    }
  };
}

// Stand-ins that let a preview be built from a config not yet set up for sending. The domains
// are reserved (RFC 2606), so nothing in a preview reaches a real host; the sender is not
// @localhost because a From domain needs a dot.
constexpr std::string_view kPreviewPublicUrl = "https://paperbot.invalid";
constexpr std::string_view kPreviewFrom = "paperbot@paperbot.invalid";
constexpr std::string_view kPreviewAddress = "reader@example.org";
constexpr std::string_view kPreviewList = "preview";
// Not a secret: links signed with it are only for looking at, and no daemon accepts them.
constexpr std::string_view kPreviewLinkSecret = "paperbot-email-preview-only";

// Everything --email-preview needs besides the digest, settled before the run fetches anything.
struct EmailPreview {
  EmailConfig email;  // [EMAIL], with stand-ins for a missing from and public_url
  EmailAudienceConfig list;
  std::string address;  // the one reader the message is addressed to
  std::string link_secret;
};

// The list named by --email-list, else the first [EMAIL LIST], else a list with the defaults.
Result<EmailAudienceConfig> preview_list(const EmailConfig& email,
                                         const std::optional<std::string>& name) {
  if (name) {
    if (const EmailAudienceConfig* list = email.audience_of_list(*name)) return *list;
    std::string known;
    for (const auto& list : email.audiences) known += (known.empty() ? "" : ", ") + list.list;
    return make_error("--email-list",
                      "no [EMAIL " + *name + "] section in the config" +
                          (known.empty() ? std::string() : " (lists: " + known + ")"));
  }
  if (!email.audiences.empty()) return email.audiences.front();
  EmailAudienceConfig list;
  list.list = std::string(kPreviewList);
  return list;
}

// The reader, the link secret and [EMAIL] for a preview of `list`. An error only when the secret's
// file cannot be read.
Result<EmailPreview> prepare_email_preview(const Config& config, EmailAudienceConfig list,
                                           spdlog::logger& logger) {
  EmailPreview preview;
  preview.list = std::move(list);
  preview.address =
      preview.list.recipients.empty() ? std::string(kPreviewAddress) : preview.list.recipients[0];

  // TODO: run the list as its own audience (as the daemon does) so that its overrides shape the
  // preview; until then the preview shows the papers of this run, under the global settings.
  const AudienceOverrides& overrides = preview.list;
  if (overrides.categories || overrides.relevance_cutoff || overrides.novelty_cutoff ||
      overrides.top_n || overrides.topics) {
    logger.warn(
        "[EMAIL {}] has its own categories, cutoffs, top_n or topics: the preview shows "
        "this run's papers, chosen by the global settings",
        preview.list.list);
  }

  auto secret = secret_from_environment(kLinkSecretVariable);
  if (!secret) return secret.error();
  preview.link_secret = std::move(*secret);
  if (preview.link_secret.empty()) {
    preview.link_secret = std::string(kPreviewLinkSecret);
    logger.info(
        "{} is not set: the preview's links are signed with a fixed preview secret, so "
        "they do not work against a daemon",
        kLinkSecretVariable);
  }

  // A preview is for looking before the config is finished; the real send still refuses these.
  preview.email = config.email;
  if (preview.email.public_url.empty()) {
    preview.email.public_url = std::string(kPreviewPublicUrl);
    logger.warn("[EMAIL] public_url is not set: the preview's links use {}; sending needs it",
                kPreviewPublicUrl);
  }
  if (preview.email.from.empty()) {
    preview.email.from = std::string(kPreviewFrom);
    logger.warn("[EMAIL] from is not set: the preview is from {}; sending needs it", kPreviewFrom);
  }
  return preview;
}

// Builds the message `preview` describes for `digest` and writes its bytes to `path`.
Result<void> write_email_preview(const EmailPreview& preview, const Digest& digest,
                                 const std::filesystem::path& path, spdlog::logger& logger) {
  auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto message = build_reader_newsletter(preview.email, preview.list, digest, preview.address,
                                         preview.link_secret, now);
  if (!message) return message.error();

  // The bytes as SMTP would carry them: binary mode keeps the CRLF line ends as they are.
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    return make_error("write email preview",
                      "cannot open " + path.string() + ": " + std::strerror(errno));
  }
  out.write(message->bytes.data(), static_cast<std::streamsize>(message->bytes.size()));
  out.close();
  if (!out) return make_error("write email preview", "cannot write " + path.string());
  logger.info("wrote the newsletter of list {} for {} to {} ({} papers); nothing was sent",
              preview.list.list, preview.address, path.string(), digest.entries.size());
  return {};
}

int exit_code_for(RunFailure failure) {
  switch (failure) {
    case RunFailure::kMalformedFeed:
    case RunFailure::kWrongDay: return kExitBadFeed;
    case RunFailure::kStore: return kExitStore;
    case RunFailure::kScoring: return kExitScoring;
    case RunFailure::kOutput: return kExitOutput;
  }
  return kExitOutput;
}

void print_counts(const DigestReport& report, spdlog::logger& logger) {
  const RunCounts& counts = report.counts;
  for (const auto& [category, count] : counts.per_category) {
    logger.info("listed in {}: {}", category, count);
  }
  logger.info("fetched {}, unique {}, kept {}, scored {} ({} from the cache), unscored {}",
              counts.fetched, counts.unique, counts.kept, counts.scored, counts.cached,
              counts.unscored);
  for (const auto& [reason, count] : counts.dropped) {
    logger.info("dropped {}: {}", count, reason);
  }
}

}  // namespace

int run_digest_command(const DigestCommandOptions& options) {
  auto logger = component_logger("digest");

  // Configuration first: every error in it stops the run before anything is fetched.
  auto config = load_configuration(options);
  if (!config) {
    logger->error("{}", config.error().to_string());
    return kExitConfig;
  }
  for (const auto& notice : config->notices) {
    if (notice.line > 0) {
      logger->warn("{}:{}: {}", notice.file, notice.line, notice.message);
    } else {
      logger->warn("{}: {}", notice.file, notice.message);
    }
  }
  std::optional<Date> date;
  if (options.date) {
    date = parse_iso_date(*options.date);
    if (!date) {
      logger->error("--date {}: expected a date like 2025-01-29", *options.date);
      return kExitUsage;
    }
  }
  auto api_key = llm_api_key_from_environment();
  if (!api_key) {
    logger->error("{}", api_key.error().to_string());
    return kExitConfig;
  }
  auto choice = choose_scorer(options.scorer.value_or(config->paperbot.scorer), *api_key);
  if (!choice) {
    logger->error("{}", choice.error().to_string());
    return kExitUsage;
  }
  logger->info("{}", choice->reason);
  if (choice->use_llm && api_key->empty()) {
    logger->warn(
        "no API key is set (OPENAI_API_KEY, OAI_KEY or OPENAI_API_KEY_FILE): requests "
        "go without one, which only local servers accept");
  }

  std::optional<EmailPreview> email_preview;
  if (options.email_preview) {
    auto list = preview_list(config->email, options.email_list);
    if (!list) {
      logger->error("{}", list.error().to_string());
      return kExitUsage;
    }
    auto prepared = prepare_email_preview(*config, std::move(*list), *logger);
    if (!prepared) {
      logger->error("{}", prepared.error().to_string());
      return kExitConfig;
    }
    email_preview = std::move(*prepared);
  }

  auto store_path = options.store_path.value_or(config->paperbot.store_path);
  auto store = Store::open(store_path);
  if (!store) {
    logger->error("{}", store.error().to_string());
    return kExitStore;
  }

  // The feed: a saved file, or the day feed of the followed categories.
  FetchedFeed feed;
  std::string feed_url;
  if (options.feed_file) {
    auto read = read_feed_file(*options.feed_file);
    if (!read) {
      logger->error("{}", read.error().to_string());
      return kExitFetch;
    }
    feed = std::move(*read);
  } else {
    ArxivClientOptions client_options = arxiv_client_options(*config);
    ArxivClient client(client_options);
    feed_url = client_options.feed_base_url + join(config->filtering.categories, "+");
    auto validators = (*store)->http_validators(feed_url);
    if (!validators) {
      logger->error("{}", validators.error().to_string());
      return kExitStore;
    }
    // A forced run fetches the whole feed again rather than asking whether it changed.
    auto fetched = client.fetch_day_feed(config->filtering.categories,
                                         options.force ? HttpValidators{} : *validators);
    if (!fetched) {
      logger->error("{}", fetched.error().to_string());
      logger->error("without a network, give a saved feed: paperbot digest --feed FILE");
      return kExitFetch;
    }
    feed = std::move(*fetched);
  }

  DigestOptions digest_options;
  digest_options.expected_date = date;
  digest_options.out_dir = options.out_dir.value_or(config->output.output_path);
  digest_options.force = options.force;
  digest_options.rescore_replacements = options.rescore_replacements;
  digest_options.progress = make_progress(logger);

  auto make_scorer = scorer_factory_for_today(*config, *choice, *api_key, **store);
  if (!make_scorer) {
    logger->error("{}", make_scorer.error().to_string());
    return kExitStore;
  }
  DigestRun run(*config, **store, *make_scorer, logger);

  // The h-index filter asks Semantic Scholar; without it no paper is dropped for its authors.
  std::unique_ptr<ScholarClient> scholar = scholar_client(*config);
  if (scholar) run.set_author_index(scholar.get());
  auto report = run.run(feed, digest_options);
  if (!report) {
    logger->error("{}", report.error().error.to_string());
    return exit_code_for(report.error().failure);
  }

  // Remember the feed's validators only once its announcement is safely processed.
  if (!feed_url.empty() && report->outcome != RunOutcome::kNotModified) {
    if (auto saved = (*store)->save_http_validators(feed_url, feed.validators); !saved) {
      logger->warn("{}", saved.error().to_string());
    }
  }

  if (report->outcome == RunOutcome::kPublished) {
    print_counts(*report, *logger);
    for (const auto& file : report->files) logger->info("wrote {}", file.string());
  }
  std::printf("%s\n", report->message.c_str());

  // Only a run that made a digest has one to preview.
  if (email_preview) {
    if (report->outcome != RunOutcome::kPublished) {
      logger->warn("no e-mail preview written: the run made no digest ({}){}",
                   to_string(report->outcome),
                   report->outcome == RunOutcome::kAlreadyProcessed
                       ? "; --force makes it again from the cached scores"
                       : "");
      return kExitOk;
    }
    auto written =
        write_email_preview(*email_preview, report->digest, *options.email_preview, *logger);
    if (!written) {
      logger->error("{}", written.error().to_string());
      return kExitOutput;
    }
  }
  return kExitOk;
}

}  // namespace paperbot
