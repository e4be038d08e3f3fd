// The outbound clients a config asks for, built the same way by `paperbot digest` and the daemon.
#pragma once

#include "adapters/arxiv/arxiv_client.hpp"
#include "adapters/scholar/scholar_client.hpp"
#include "core/config/config.hpp"

#include <memory>

namespace paperbot {

// arXiv's feed and API addresses and politeness from [PAPERBOT].
ArxivClientOptions arxiv_client_options(const Config& config);

// The Semantic Scholar client of the h-index filter, or null when [PAPERBOT] h_index_filter is
// off. Its key, if any, comes from S2_API_KEY and is never logged.
std::unique_ptr<ScholarClient> scholar_client(const Config& config);

}  // namespace paperbot
