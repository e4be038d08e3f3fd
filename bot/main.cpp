// paperbot: the command line.
#include "bot/daemon.hpp"
#include "bot/digest_command.hpp"
#include "bot/exit_codes.hpp"
#include "bot/logging.hpp"
#include "bot/status_command.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>

int main(int argc, char** argv) {
  CLI::App app{"paperbot: a daily digest of the arXiv papers that match your research criteria"};
  app.set_version_flag("--version", std::string("paperbot ") + PAPERBOT_VERSION);
  app.require_subcommand(1);

  int verbosity = 0;
  app.add_flag_function(
      "-v,--verbose", [&](std::int64_t count) { verbosity = static_cast<int>(count); },
      "Log debug detail");
  app.add_flag_function(
      "-q,--quiet", [&](std::int64_t) { verbosity = -1; }, "Log warnings and errors only");

  paperbot::DigestCommandOptions digest;
  auto* digest_command =
      app.add_subcommand("digest", "Fetch one announcement, score it and write the digest files");
  digest_command
      ->add_option("--config", digest.config_dir,
                   "Config folder (config.ini, authors.txt, prompt files); "
                   "default: the embedded example")
      ->check(CLI::ExistingDirectory);
  digest_command->add_option("--feed", digest.feed_file, "Read a saved feed instead of fetching");
  digest_command->add_option(
      "--date", digest.date,
      "The announcement date expected (YYYY-MM-DD); another day is an error");
  digest_command->add_option("--out", digest.out_dir,
                             "Output folder (default: [OUTPUT] output_path)");
  digest_command->add_option("--store", digest.store_path,
                             "SQLite store (default: [PAPERBOT] store_path)");
  digest_command
      ->add_option("--scorer", digest.scorer, "offline or llm (default: [PAPERBOT] scorer)")
      ->check(CLI::IsMember({"offline", "llm"}));
  digest_command->add_flag("--force", digest.force, "Process an announcement again");
  digest_command->add_flag("--rescore-replacements", digest.rescore_replacements,
                           "Score papers again that were scored on an earlier day");
  auto* email_preview = digest_command->add_option(
      "--email-preview", digest.email_preview,
      "Also write the newsletter one reader would get to FILE (.eml); nothing is sent");
  digest_command
      ->add_option("--email-list", digest.email_list,
                   "The [EMAIL LIST] to preview (default: the first in the config)")
      ->needs(email_preview);
  // -v and -q may come after the subcommand too.
  digest_command->fallthrough();

  paperbot::ServeOptions serve;
  auto* serve_command = app.add_subcommand(
      "serve",
      "Run the daemon: each announcement on schedule, Slack posts, e-mail, commands, feedback");
  serve_command
      ->add_option("--config", serve.config_dir,
                   "Config folder (config.ini with [SLACK], authors.txt, prompt files); "
                   "default: the embedded example")
      ->check(CLI::ExistingDirectory);
  serve_command->add_option("--store", serve.store_path,
                            "SQLite store (default: [PAPERBOT] store_path)");
  serve_command->add_option("--now", serve.now,
                            "For tests: start the clock at this UTC time (2025-01-29T06:05:00Z)");
  serve_command->fallthrough();

  paperbot::StatusCommandOptions status;
  auto* status_command = app.add_subcommand(
      "status",
      "Print each audience's last and next run, pending messages, spending, feedback "
      "and cutoffs from the store");
  status_command
      ->add_option("--config", status.config_dir, "Config folder; default: the embedded example")
      ->check(CLI::ExistingDirectory);
  status_command->add_option("--store", status.store_path,
                             "SQLite store (default: [PAPERBOT] store_path)");
  status_command->fallthrough();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    int code = app.exit(error);
    return code == 0 ? paperbot::kExitOk : paperbot::kExitUsage;
  }

  paperbot::setup_logging(verbosity);
  if (app.got_subcommand(digest_command)) return paperbot::run_digest_command(digest);
  if (app.got_subcommand(serve_command)) return paperbot::run_serve_command(serve);
  if (app.got_subcommand(status_command)) return paperbot::run_status_command(status);
  return paperbot::kExitUsage;
}
