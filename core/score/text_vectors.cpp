#include "core/score/text_vectors.hpp"

#include "core/score/stemmer.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_set>

namespace paperbot::score_detail {
namespace {

// Function words of English, plus what is left of "e.g.", "i.e." and "etc.".
const std::unordered_set<std::string_view>& stop_words() {
  static const auto kWords = word_set(
      "about above after again against all also am an and any are as at be because been "
      "before being below between both but by can could did do does doing down during each eg "
      "etc few for from further had has have having he her here hers him his how however ie if "
      "in into is it its itself just may me might more most must my no nor not of off on once "
      "only or other our ours out over own same she should so some such than that the their "
      "theirs them then there these they this those through thus to too under until up upon us "
      "very via was we were what when where whether which while who whom why will with within "
      "would yet you your yours like");
  return kWords;
}

bool all_digits(std::string_view word) {
  return std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::unordered_set<std::string_view> word_set(std::string_view words) {
  std::unordered_set<std::string_view> set;
  for (std::size_t i = 0; i < words.size();) {
    std::size_t end = words.find(' ', i);
    if (end == std::string_view::npos) end = words.size();
    if (end > i) set.insert(words.substr(i, end - i));
    i = end + 1;
  }
  return set;
}

bool is_stop_word(std::string_view lower_word) {
  return stop_words().contains(lower_word);
}

Vocabulary::Vocabulary() : slots_(1024) {}

TermId Vocabulary::word_id(std::string_view lower_word) {
  if (lower_word.empty()) return kNoTerm;

  // FNV-1a, then a multiply-shift so that the low bits used for the slot are well mixed.
  std::uint64_t hash = 1469598103934665603ull;
  for (char c : lower_word) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  hash ^= hash >> 29;
  hash *= 0xBF58476D1CE4E5B9ull;
  hash ^= hash >> 32;

  std::size_t mask = slots_.size() - 1;
  std::size_t i = hash & mask;
  for (; slots_[i].length != 0; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.hash == hash && slot.length == lower_word.size() &&
        std::string_view(words_).substr(slot.offset, slot.length) == lower_word)
      return slot.id;
  }

  // A new word: stemmed once, remembered with its stem (kNoTerm for a stop word).
  TermId id = kNoTerm;
  if (lower_word.size() >= 2 && !all_digits(lower_word) && !is_stop_word(lower_word))
    id = stem_id(stem_word(lower_word));
  slots_[i] = Slot{hash, static_cast<std::uint32_t>(words_.size()),
                   static_cast<std::uint32_t>(lower_word.size()), id};
  words_ += lower_word;
  if (++used_ * 2 > slots_.size()) grow();
  return id;
}

void Vocabulary::grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  std::size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.length == 0) continue;
    std::size_t i = slot.hash & mask;
    while (slots_[i].length != 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

TermId Vocabulary::stem_id(std::string_view stem) {
  std::string key(stem);
  if (auto found = stem_ids_.find(key); found != stem_ids_.end()) return found->second;
  auto id = static_cast<TermId>(stems_.size());
  stems_.push_back(key);
  stem_ids_.emplace(std::move(key), id);
  return id;
}

TermId Vocabulary::find_stem(std::string_view stem) const {
  auto found = stem_ids_.find(std::string(stem));
  return found == stem_ids_.end() ? kNoTerm : found->second;
}

std::vector<TermId> tokenize(Vocabulary& vocabulary, std::string_view text) {
  std::vector<TermId> ids;
  ids.reserve(text.size() / 8);
  for_each_word(text, [&](std::string_view, std::string_view lower) {
    TermId id = vocabulary.word_id(lower);
    if (id != kNoTerm) ids.push_back(id);
  });
  return ids;
}

DocTerms tokenize_paper(Vocabulary& vocabulary, std::string_view title, std::string_view abstract) {
  return DocTerms{tokenize(vocabulary, title), tokenize(vocabulary, abstract)};
}

void DocumentFrequencies::add(const DocTerms& doc) {
  // Count each term once per document: sort a copy of its ids and skip repeats.
  std::vector<TermId> ids(doc.title);
  ids.insert(ids.end(), doc.abstract.begin(), doc.abstract.end());
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  if (!ids.empty() && ids.back() >= counts_.size()) counts_.resize(ids.back() + 1, 0);
  for (TermId id : ids) ++counts_[id];
  ++documents_;
}

double DocumentFrequencies::idf(TermId id) const {
  return std::log((documents_ + 1.0) / (count(id) + 1.0)) + 1.0;
}

SparseVector tfidf_vector(const DocTerms& doc, const DocumentFrequencies& frequencies) {
  std::vector<TermId> ids(doc.title);
  ids.insert(ids.end(), doc.title.begin(), doc.title.end());
  ids.insert(ids.end(), doc.abstract.begin(), doc.abstract.end());
  std::sort(ids.begin(), ids.end());

  SparseVector vector;
  double norm = 0.0;
  for (std::size_t i = 0; i < ids.size();) {
    std::size_t j = i;
    while (j < ids.size() && ids[j] == ids[i]) ++j;
    double weight = (1.0 + std::log(static_cast<double>(j - i))) * frequencies.idf(ids[i]);
    vector.emplace_back(ids[i], static_cast<float>(weight));
    norm += weight * weight;
    i = j;
  }
  if (norm > 0.0) {
    auto scale = static_cast<float>(1.0 / std::sqrt(norm));
    for (auto& entry : vector) entry.second *= scale;
  }
  return vector;
}

}  // namespace paperbot::score_detail
