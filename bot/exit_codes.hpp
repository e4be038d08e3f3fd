// Exit codes of the paperbot command line, documented in the README.
#pragma once

namespace paperbot {

enum ExitCode : int {
  kExitOk = 0,       // done, or nothing to do (no announcement, already processed)
  kExitUsage = 2,    // bad command-line arguments
  kExitConfig = 3,   // the configuration could not be read
  kExitFetch = 4,    // the feed could not be fetched
  kExitBadFeed = 5,  // the feed is malformed, or holds another day than --date
  kExitStore = 6,    // the store could not be opened, read or written
  kExitScoring = 7,  // the scorer failed
  kExitOutput = 8,   // the digest files could not be written
};

}  // namespace paperbot
