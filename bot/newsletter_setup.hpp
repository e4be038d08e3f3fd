// How the config turns a digest into one reader's newsletter: the sender, the list's id and
// name, the subject and the signed links. Shared by the daemon, which sends it, and by
// `paperbot digest --email-preview`, which writes it to a file.
#pragma once

#include "core/common/date.hpp"
#include "core/common/digest.hpp"
#include "core/common/result.hpp"
#include "core/config/config.hpp"
#include "core/email/newsletter.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace paperbot {

// The environment variable that holds the secret the links are signed with (or *_FILE).
inline constexpr std::string_view kLinkSecretVariable = "PAPERBOT_LINK_SECRET";

// The message of `list`'s digest for `address`, built at `now`, its links under
// [EMAIL] public_url signed with `link_secret`. The list id is "<list>.<domain of from>", the
// Message-ID's domain that of [EMAIL] from, and the subject names the list and the date. An
// error (step "build newsletter") when [EMAIL] from or public_url is missing, the secret is
// empty, or build_newsletter refuses a value.
Result<email::NewsletterMessage> build_reader_newsletter(
    const EmailConfig& email, const EmailAudienceConfig& list, const Digest& digest,
    std::string_view address, std::string_view link_secret, std::chrono::sys_seconds now);

}  // namespace paperbot
