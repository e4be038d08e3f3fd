#include "core/llm/llm_scorer.hpp"

#include "core/llm/answer_parser.hpp"
#include "core/llm/prompt.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace paperbot {
namespace {

// Requests failing in a row (after their own retries) before the endpoint is taken to be down.
constexpr int kFailuresBeforeGivingUp = 3;

// Completion tokens expected per paper answered, to judge a request against the budget.
constexpr std::int64_t kCompletionTokensPerPaper = 80;

// What a request in flight may still cost, held against the budget until its reply.
struct Reservation {
  std::int64_t tokens = 0;
  double dollars = 0;
};

struct Batch {
  bool titles = false;
  std::vector<std::size_t> papers;  // indexes into the papers being scored
  int attempt = 1;
};

// The state of one score() call: what is in flight, what is answered, what was spent.
class Session {
 public:
  Session(const LlmScorerOptions& options, const Criteria& criteria,
          const std::vector<Paper>& papers, const ScoringProgress& progress, spdlog::logger& logger,
          std::string scorer_name)
      : options_(options),
        criteria_(criteria),
        papers_(papers),
        progress_(progress),
        logger_(logger),
        scorer_name_(std::move(scorer_name)) {
    abstract_size_ = effective_batch_size(options.abstract_batch_size, papers.size(),
                                          options.adaptive_batch_size, options.adaptive_threshold);
  }

  std::vector<ChatRequest> initial_requests() {
    std::vector<ChatRequest> requests;
    std::vector<std::size_t> regular;
    for (std::size_t k = 0; k < papers_.size(); ++k) {
      if (looks_like_instructions(papers_[k])) {
        logger_.warn("{} reads like instructions to the model: scored in a batch of its own",
                     papers_[k].id);
        requests.push_back(make_request(Batch{false, {k}, 1}));
      } else {
        regular.push_back(k);
      }
    }
    if (!options_.title_filter) {
      survivors_ = regular;
      append(requests, flush_survivors(true));
      return requests;
    }
    int title_size =
        effective_batch_size(options_.title_batch_size, regular.size(),
                             options_.adaptive_batch_size, options_.adaptive_threshold);
    for (std::size_t start = 0; start < regular.size(); start += title_size) {
      std::size_t end = std::min(regular.size(), start + static_cast<std::size_t>(title_size));
      requests.push_back(
          make_request(Batch{true, {regular.begin() + start, regular.begin() + end}, 1}));
      ++title_batches_left_;
    }
    return requests;
  }

  // A request is sent only when what is spent, plus what requests in flight may still cost, plus
  // this one's estimate stays within the budget.
  bool may_send(const ChatRequest& request) {
    if (fatal_) return false;
    std::int64_t answer_tokens = kCompletionTokensPerPaper *
                                 static_cast<std::int64_t>(batches_.at(request.tag).papers.size());
    Reservation cost{request.estimated_tokens + answer_tokens, 0.0};
    if (options_.price) {
      cost.dollars =
          (static_cast<double>(request.estimated_tokens) * options_.price->prompt_per_million +
           static_cast<double>(answer_tokens) * options_.price->completion_per_million) /
          1e6;
    }
    bool within = true;
    if (options_.budget_tokens) {
      within = usage_.prompt_tokens + usage_.completion_tokens + reserved_.tokens + cost.tokens <=
               *options_.budget_tokens;
    }
    if (within && options_.budget_dollars && options_.price) {
      within = dollars_spent() + reserved_.dollars + cost.dollars <= *options_.budget_dollars;
    }
    if (!within) {
      if (!budget_reached_) {
        logger_.warn("the daily budget is reached: papers not yet scored go to the fallback");
      }
      budget_reached_ = true;
      return false;
    }
    reserved_.tokens += cost.tokens;
    reserved_.dollars += cost.dollars;
    reservations_[request.tag] = cost;
    return true;
  }

  std::vector<ChatRequest> on_reply(ChatReply reply) {
    auto node = batches_.extract(reply.tag);
    if (node.empty()) return {};
    Batch batch = std::move(node.mapped());
    if (auto held = reservations_.extract(reply.tag); !held.empty()) {
      reserved_.tokens -= held.mapped().tokens;
      reserved_.dollars -= held.mapped().dollars;
    }
    if (reply.content) add_usage(reply.usage);

    if (reply.not_sent) {
      // Refused before sending: over budget, or the endpoint already refused us for good.
      for (auto k : batch.papers) {
        if (fatal_) {
          unscored_[k] = fatal_reason_;
        } else {
          over_budget_.push_back(k);
        }
      }
      return batch.titles ? after_title_batch() : std::vector<ChatRequest>{};
    }
    if (reply.permanent_failure) {
      fatal_ = true;
      fatal_reason_ = reply.content.has_error() ? reply.content.error().to_string()
                                                : "the endpoint refused the request";
      logger_.error("LLM endpoint: {}", fatal_reason_);
      for (auto k : batch.papers) unscored_[k] = fatal_reason_;
      return batch.titles ? after_title_batch() : std::vector<ChatRequest>{};
    }
    // An endpoint that fails request after request (down, unreachable) stops the run rather
    // than leaving every paper unscored one retry at a time.
    if (reply.content) {
      consecutive_failures_ = 0;
    } else if (++consecutive_failures_ >= kFailuresBeforeGivingUp && !fatal_) {
      fatal_ = true;
      stopped_ = true;
      fatal_reason_ = "the LLM endpoint failed " + std::to_string(consecutive_failures_) +
                      " requests in a row; last: " + reply.content.error().to_string();
      logger_.error("{}", fatal_reason_);
    }
    return batch.titles ? on_title_reply(batch, reply) : on_abstract_reply(batch, reply);
  }

  Result<ScoringResult> finish(Scorer* fallback) {
    ScoringResult result;
    for (auto& [k, score] : scores_) result.scores[papers_[k].id] = std::move(score);
    for (auto& [k, reason] : unscored_) result.unscored[papers_[k].id] = std::move(reason);
    if (unreported_ > 0) {
      result.notes.push_back(std::to_string(unreported_) +
                             " requests came back without token usage; their tokens are not "
                             "counted.");
    }

    if (!over_budget_.empty()) {
      std::vector<Paper> rest;
      std::sort(over_budget_.begin(), over_budget_.end());
      for (auto k : over_budget_) rest.push_back(papers_[k]);
      std::string note = "The daily budget was reached after " + std::to_string(scores_.size()) +
                         " papers; the other " + std::to_string(rest.size()) +
                         " were ranked by the offline scorer.";
      if (fallback != nullptr) {
        auto offline = fallback->score(criteria_, rest, {});
        if (!offline) return offline.error();
        for (auto& [id, score] : offline->scores) result.scores[id] = std::move(score);
        for (auto& [id, reason] : offline->unscored) result.unscored[id] = std::move(reason);
      } else {
        for (const auto& paper : rest) result.unscored[paper.id] = "the daily budget was reached";
        note = "The daily budget was reached; " + std::to_string(rest.size()) +
               " papers were left unscored.";
      }
      result.notes.push_back(std::move(note));
    }

    apply_price(usage_, options_.price);
    result.usage = usage_;
    if (stopped_) result.stopped_early = fatal_reason_;
    if (fatal_ && scores_.empty() && over_budget_.empty()) {
      return make_error("score with LLM", fatal_reason_);
    }
    return result;
  }

 private:
  ChatRequest make_request(Batch batch) {
    std::vector<Paper> chosen;
    for (auto k : batch.papers) chosen.push_back(papers_[k]);
    ChatRequest request;
    request.tag = next_tag_++;
    request.messages = batch.titles ? build_title_prompt(criteria_, chosen)
                                    : build_abstract_prompt(criteria_, chosen);
    request.estimated_tokens = estimate_tokens(request.messages);
    batches_.emplace(request.tag, std::move(batch));
    return request;
  }

  static void append(std::vector<ChatRequest>& to, std::vector<ChatRequest> more) {
    for (auto& request : more) to.push_back(std::move(request));
  }

  // Papers that passed the title stage go out in abstract batches as soon as a batch is full,
  // so abstract scoring overlaps the title stage.
  std::vector<ChatRequest> flush_survivors(bool all) {
    std::vector<ChatRequest> requests;
    auto size = static_cast<std::size_t>(abstract_size_);
    while (survivors_.size() >= size || (all && !survivors_.empty())) {
      std::size_t take = std::min(size, survivors_.size());
      Batch batch{false, {survivors_.begin(), survivors_.begin() + take}, 1};
      survivors_.erase(survivors_.begin(), survivors_.begin() + take);
      requests.push_back(make_request(std::move(batch)));
    }
    return requests;
  }

  std::vector<ChatRequest> after_title_batch() {
    --title_batches_left_;
    return flush_survivors(title_batches_left_ == 0);
  }

  std::vector<ChatRequest> on_title_reply(const Batch& batch, const ChatReply& reply) {
    std::optional<std::vector<std::string>> dropped;
    if (reply.content) dropped = parse_id_list(*reply.content);
    if (!dropped) {
      // An answer that cannot be read drops nothing: every paper goes on to abstract scoring.
      logger_.warn("title batch of {} papers: {}, all kept", batch.papers.size(),
                   reply.content ? "unreadable answer" : reply.content.error().to_string());
      survivors_.insert(survivors_.end(), batch.papers.begin(), batch.papers.end());
      return after_title_batch();
    }
    std::set<std::string> drop(dropped->begin(), dropped->end());
    for (auto k : batch.papers) {
      if (drop.contains(papers_[k].id)) {
        scores_[k] =
            Score{1, 1, "Dropped by the title prefilter: clearly unrelated to the criteria.",
                  scorer_name_};
        report_progress();
      } else {
        survivors_.push_back(k);
      }
    }
    return after_title_batch();
  }

  std::vector<ChatRequest> on_abstract_reply(const Batch& batch, const ChatReply& reply) {
    std::set<std::size_t> answered;
    std::string problem;
    if (!reply.content) {
      problem = reply.content.error().to_string();
    } else {
      ParsedAnswer parsed = parse_score_answer(*reply.content);
      if (!parsed.problems.empty()) problem = parsed.problems.front();
      for (auto& entry : parsed.scores) {
        auto it = std::find_if(batch.papers.begin(), batch.papers.end(),
                               [&](std::size_t k) { return papers_[k].id == entry.id; });
        if (it == batch.papers.end()) {
          logger_.warn("ignored an answer for {}: not a paper of that batch", entry.id);
          continue;
        }
        if (!answered.insert(*it).second) {
          logger_.debug("ignored a second answer for {}", entry.id);
          continue;
        }
        scores_[*it] =
            Score{entry.relevance, entry.novelty, std::move(entry.comment), scorer_name_};
        report_progress();
      }
    }

    // Ask again for what is missing, each time in smaller batches, up to the limit.
    std::vector<std::size_t> missing;
    for (auto k : batch.papers) {
      if (!answered.contains(k)) missing.push_back(k);
    }
    if (missing.empty()) return {};
    if (batch.attempt >= options_.max_attempts) {
      std::string reason = "no usable answer after " + std::to_string(batch.attempt) +
                           (batch.attempt == 1 ? " attempt" : " attempts");
      if (!problem.empty()) reason += " (" + problem + ")";
      for (auto k : missing) unscored_[k] = reason;
      return {};
    }
    std::size_t size = std::max<std::size_t>(1, std::min(missing.size(), batch.papers.size() / 2));
    std::vector<ChatRequest> retries;
    for (std::size_t start = 0; start < missing.size(); start += size) {
      std::size_t end = std::min(missing.size(), start + size);
      retries.push_back(make_request(
          Batch{false, {missing.begin() + start, missing.begin() + end}, batch.attempt + 1}));
    }
    return retries;
  }

  void add_usage(const TokenUsage& usage) {
    if (!usage.reported) {
      ++unreported_;
      return;
    }
    usage_.prompt_tokens += usage.prompt_tokens;
    usage_.completion_tokens += usage.completion_tokens;
    usage_.cached_prompt_tokens += usage.cached_prompt_tokens;
  }

  double dollars_spent() const {
    Usage priced = usage_;
    apply_price(priced, options_.price);
    return priced.prompt_cost.value_or(0) + priced.completion_cost.value_or(0);
  }

  void report_progress() {
    if (progress_) {
      progress_(static_cast<int>(scores_.size()), static_cast<int>(papers_.size()),
                dollars_spent());
    }
  }

  const LlmScorerOptions& options_;
  const Criteria& criteria_;
  const std::vector<Paper>& papers_;
  const ScoringProgress& progress_;
  spdlog::logger& logger_;
  std::string scorer_name_;

  int abstract_size_ = 1;
  std::uint64_t next_tag_ = 1;
  std::map<std::uint64_t, Batch> batches_;  // in flight, by request tag
  std::vector<std::size_t> survivors_;
  int title_batches_left_ = 0;
  std::map<std::size_t, Score> scores_;
  std::map<std::size_t, std::string> unscored_;
  std::vector<std::size_t> over_budget_;
  Usage usage_;
  int unreported_ = 0;
  bool budget_reached_ = false;
  Reservation reserved_;
  std::map<std::uint64_t, Reservation> reservations_;
  bool fatal_ = false;
  bool stopped_ = false;  // fatal_ because the endpoint kept failing, not because it refused us
  int consecutive_failures_ = 0;
  std::string fatal_reason_;
};

}  // namespace

int effective_batch_size(int base, std::size_t paper_count, bool adaptive, int threshold) {
  base = std::max(base, 1);
  if (!adaptive || threshold <= 0 || paper_count <= static_cast<std::size_t>(threshold)) {
    return base;
  }
  double factor = std::ceil(std::log2(static_cast<double>(paper_count) / threshold) + 1.0);
  return base * static_cast<int>(factor);
}

LlmScorer::LlmScorer(ChatTransport& transport, LlmScorerOptions options, Scorer* fallback,
                     std::shared_ptr<spdlog::logger> logger)
    : transport_(transport),
      options_(std::move(options)),
      fallback_(fallback),
      logger_(std::move(logger)) {}

LlmScorer::~LlmScorer() = default;

std::string LlmScorer::name() const {
  return "llm:" + options_.model + "/" + std::string(prompt_template_version());
}

Result<ScoringResult> LlmScorer::score(const Criteria& criteria, const std::vector<Paper>& papers,
                                       const ScoringProgress& progress) {
  Session session(options_, criteria, papers, progress, *logger_, name());
  transport_.run(
      session.initial_requests(),
      [&](ChatReply reply) { return session.on_reply(std::move(reply)); },
      [&](const ChatRequest& request) { return session.may_send(request); });
  return session.finish(fallback_);
}

}  // namespace paperbot
