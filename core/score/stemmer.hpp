// Suffix stripping for English words, so that "pruning", "pruned" and "prune" compare equal.
// Internal to core/score.
#pragma once

#include <string>
#include <string_view>

namespace paperbot::score_detail {

// The stem of a lower-case ASCII word, by the Porter (1980) algorithm with one change: the
// suffixes "-ity" and "-ify" come off as soon as a syllable remains, so "sparsity", "sparsify"
// and "sparse" share the stem "spars" (Porter keeps "sparsiti"); and a few irregular learned
// words share a stem ("theory"/"theoretical", "analysis"/"analyze"). Words of one or two letters
// and words with characters other than a-z are returned unchanged.
std::string stem_word(std::string_view word);

}  // namespace paperbot::score_detail
