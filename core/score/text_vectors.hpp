// Words to numbers for the offline scorer: tokenizing, stop words, stemming, term ids, and the
// sparse tf-idf vectors novelty compares. Internal to core/score; not thread-safe (a Vocabulary
// grows as it meets new words), so one scorer owns one Vocabulary.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace paperbot::score_detail {

using TermId = std::uint32_t;
inline constexpr TermId kNoTerm = 0xFFFFFFFFu;

// Calls `on_word(original, lower)` for each word of `text`: a run of ASCII letters and digits
// and non-ASCII bytes (UTF-8 letters stay inside their word). Hyphens, apostrophes, slashes and
// TeX markup separate words, so "low-rank" is "low" then "rank". `lower` is ASCII-lower-cased
// and is only valid during the call.
template <class OnWord>
void for_each_word(std::string_view text, OnWord&& on_word) {
  auto is_word_byte = [](char c) {
    auto u = static_cast<unsigned>(static_cast<unsigned char>(c));
    return (u | 0x20u) - 'a' < 26u || u - '0' < 10u || u >= 0x80u;
  };
  std::string lower;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !is_word_byte(text[i])) ++i;
    std::size_t begin = i;
    while (i < text.size() && is_word_byte(text[i])) ++i;
    if (i == begin) break;
    lower.assign(text.data() + begin, i - begin);
    for (char& c : lower) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    on_word(text.substr(begin, i - begin), std::string_view(lower));
  }
}

// The space-separated words of `words` as a set. The views point into `words`, which must
// outlive the set: pass a literal.
std::unordered_set<std::string_view> word_set(std::string_view words);

// True for the common English function words that say nothing about a topic ("the", "of",
// "we", "which", ...).
bool is_stop_word(std::string_view lower_word);

// Interns stems as dense ids and remembers each word's stem, so a word is stemmed once. Words
// are looked up in a flat open-addressing table: tokenizing is the hot loop of scoring, and a
// node-based map costs a cache miss per node.
class Vocabulary {
 public:
  Vocabulary();

  // The id of the stem of a lower-case word; kNoTerm for stop words, one-letter words and
  // numbers, which carry no topic.
  TermId word_id(std::string_view lower_word);

  // The id of a stem, creating it when new.
  TermId stem_id(std::string_view stem);

  // The id of a stem if known, kNoTerm otherwise.
  TermId find_stem(std::string_view stem) const;

  const std::string& stem(TermId id) const { return stems_[id]; }
  std::size_t size() const { return stems_.size(); }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t offset = 0;  // of the word in words_
    std::uint32_t length = 0;  // 0: an empty slot
    TermId id = kNoTerm;
  };

  void grow();

  std::vector<Slot> slots_;  // size a power of two, at most half full
  std::size_t used_ = 0;
  std::string words_;  // every word seen, one after another
  std::unordered_map<std::string, TermId> stem_ids_;
  std::vector<std::string> stems_;
};

// The term ids of `text`, in order, stop words left out.
std::vector<TermId> tokenize(Vocabulary& vocabulary, std::string_view text);

// One paper as term ids.
struct DocTerms {
  std::vector<TermId> title;
  std::vector<TermId> abstract;
};

DocTerms tokenize_paper(Vocabulary& vocabulary, std::string_view title, std::string_view abstract);

// A sparse vector, entries sorted by term id, Euclidean length 1 (or empty).
using SparseVector = std::vector<std::pair<TermId, float>>;

// Document frequencies: in how many documents each term appears.
class DocumentFrequencies {
 public:
  void add(const DocTerms& doc);
  int documents() const { return documents_; }
  int count(TermId id) const { return id < counts_.size() ? counts_[id] : 0; }

  // Smoothed inverse document frequency, > 0 for every term, largest for unseen terms.
  double idf(TermId id) const;

 private:
  std::vector<int> counts_;
  int documents_ = 0;
};

// The tf-idf vector of a paper: log-scaled term counts (title words counted twice, as they say
// what the paper is about), times idf, normalized.
SparseVector tfidf_vector(const DocTerms& doc, const DocumentFrequencies& frequencies);

}  // namespace paperbot::score_detail
