#include "core/score/stemmer.hpp"

#include <array>
#include <utility>

namespace paperbot::score_detail {
namespace {

// The word being stemmed, with the measures Porter's rules are written in.
class Word {
 public:
  explicit Word(std::string_view text) : w_(text) {}

  std::string take() && { return std::move(w_); }
  std::size_t size() const { return w_.size(); }

  bool ends_with(std::string_view suffix) const { return std::string_view(w_).ends_with(suffix); }

  // Replaces the last `cut` letters by `with`.
  void replace_tail(std::size_t cut, std::string_view with) {
    w_.resize(w_.size() - cut);
    w_ += with;
  }

  // A letter is a consonant unless it is a vowel, or a 'y' that follows a consonant.
  bool consonant(std::size_t i) const {
    switch (w_[i]) {
      case 'a':
      case 'e':
      case 'i':
      case 'o':
      case 'u': return false;
      case 'y': return i == 0 || !consonant(i - 1);
      default: return true;
    }
  }

  // Porter's m: how many vowel-consonant runs the first `len` letters hold.
  int measure(std::size_t len) const {
    std::size_t i = 0;
    while (i < len && consonant(i)) ++i;
    int m = 0;
    while (i < len) {
      while (i < len && !consonant(i)) ++i;
      if (i >= len) break;
      while (i < len && consonant(i)) ++i;
      ++m;
    }
    return m;
  }

  bool has_vowel(std::size_t len) const {
    for (std::size_t i = 0; i < len; ++i) {
      if (!consonant(i)) return true;
    }
    return false;
  }

  bool double_consonant(std::size_t len) const {
    return len >= 2 && w_[len - 1] == w_[len - 2] && consonant(len - 1);
  }

  // Consonant-vowel-consonant at the end, the last not w, x or y: "hop", not "snow".
  bool cvc(std::size_t len) const {
    if (len < 3 || !consonant(len - 3) || consonant(len - 2) || !consonant(len - 1)) return false;
    char last = w_[len - 1];
    return last != 'w' && last != 'x' && last != 'y';
  }

  char last() const { return w_.back(); }

 private:
  std::string w_;
};

struct Rule {
  std::string_view suffix;
  std::string_view replacement;
};

// Applies the first rule whose suffix ends the word, if what stays has a measure above
// `min_measure`. Only the first matching suffix is considered, as Porter specifies.
void apply_first(Word& word, const Rule* begin, const Rule* end, int min_measure) {
  for (const Rule* rule = begin; rule != end; ++rule) {
    if (!word.ends_with(rule->suffix)) continue;
    std::size_t stem = word.size() - rule->suffix.size();
    if (word.measure(stem) > min_measure) word.replace_tail(rule->suffix.size(), rule->replacement);
    return;
  }
}

constexpr std::array<Rule, 21> kStep2 = {{
    {"ational", "ate"}, {"tional", "tion"}, {"enci", "ence"}, {"anci", "ance"}, {"izer", "ize"},
    {"bli", "ble"},     {"alli", "al"},     {"entli", "ent"}, {"eli", "e"},     {"ousli", "ous"},
    {"ization", "ize"}, {"ation", "ate"},   {"ator", "ate"},  {"alism", "al"},  {"iveness", "ive"},
    {"fulness", "ful"}, {"ousness", "ous"}, {"aliti", "al"},  {"iviti", "ive"}, {"biliti", "ble"},
    {"logi", "log"},
}};

constexpr std::array<Rule, 7> kStep3 = {{
    {"icate", "ic"},
    {"ative", ""},
    {"alize", "al"},
    {"iciti", "ic"},
    {"ical", "ic"},
    {"ful", ""},
    {"ness", ""},
}};

// "ion" is handled apart in step4(): it only comes off after an 's' or a 't'.
constexpr std::array<Rule, 18> kStep4 = {{
    {"al", ""},
    {"ance", ""},
    {"ence", ""},
    {"er", ""},
    {"ic", ""},
    {"able", ""},
    {"ible", ""},
    {"ant", ""},
    {"ement", ""},
    {"ment", ""},
    {"ent", ""},
    {"ou", ""},
    {"ism", ""},
    {"ate", ""},
    {"iti", ""},
    {"ous", ""},
    {"ive", ""},
    {"ize", ""},
}};

void step1(Word& word) {
  // Plurals.
  if (word.ends_with("sses") || word.ends_with("ies")) {
    word.replace_tail(2, "");
  } else if (word.ends_with("s") && !word.ends_with("ss")) {
    word.replace_tail(1, "");
  }

  // Past tenses and gerunds; what stays may need its 'e' or a single consonant back.
  bool trimmed = false;
  if (word.ends_with("eed")) {
    if (word.measure(word.size() - 3) > 0) word.replace_tail(1, "");
  } else if (word.ends_with("ed") && word.has_vowel(word.size() - 2)) {
    word.replace_tail(2, "");
    trimmed = true;
  } else if (word.ends_with("ing") && word.has_vowel(word.size() - 3)) {
    word.replace_tail(3, "");
    trimmed = true;
  }
  if (trimmed) {
    if (word.ends_with("at") || word.ends_with("bl") || word.ends_with("iz")) {
      word.replace_tail(0, "e");
    } else if (word.double_consonant(word.size()) && word.last() != 'l' && word.last() != 's' &&
               word.last() != 'z') {
      word.replace_tail(1, "");
    } else if (word.measure(word.size()) == 1 && word.cvc(word.size())) {
      word.replace_tail(0, "e");
    }
  }

  // A final 'y' after a vowel-bearing stem.
  if (word.ends_with("y") && word.has_vowel(word.size() - 1)) word.replace_tail(1, "i");
}

void step4(Word& word) {
  // No other step-4 suffix ends in 'n', so a word ending in "ion" is decided here.
  if (word.ends_with("ion")) {
    std::size_t stem = word.size() - 3;
    if ((word.ends_with("sion") || word.ends_with("tion")) && word.measure(stem) > 1)
      word.replace_tail(3, "");
    return;
  }
  apply_first(word, kStep4.data(), kStep4.data() + kStep4.size(), 1);
}

void step5(Word& word) {
  if (word.ends_with("e")) {
    std::size_t stem = word.size() - 1;
    int m = word.measure(stem);
    if (m > 1 || (m == 1 && !word.cvc(stem))) word.replace_tail(1, "");
  }
  if (word.measure(word.size()) > 1 && word.double_consonant(word.size()) && word.last() == 'l')
    word.replace_tail(1, "");
}

// paperbot's change to Porter: "-ity" and "-ify" leave as soon as one syllable stays.
void strip_ity_ify(Word& word) {
  if ((word.ends_with("iti") || word.ends_with("ifi")) && word.measure(word.size() - 3) > 0)
    word.replace_tail(3, "");
}

// Greek and Latin words whose derived forms Porter leaves apart: "theory"/"theoretical",
// "analysis"/"analytical"/"analyze". Keyed by Porter's stems; a small lemmatizer exception list.
std::string_view irregular_stem(std::string_view stem) {
  static constexpr std::pair<std::string_view, std::string_view> kIrregular[] = {
      {"theoret", "theori"},   {"analyt", "analysi"},     {"analyz", "analysi"},
      {"synthet", "synthesi"}, {"hypothet", "hypothesi"}, {"diagnost", "diagnosi"},
  };
  for (const auto& [from, to] : kIrregular) {
    if (stem == from) return to;
  }
  return stem;
}

bool plain_lower_word(std::string_view text) {
  for (char c : text) {
    if (c < 'a' || c > 'z') return false;
  }
  return true;
}

}  // namespace

std::string stem_word(std::string_view text) {
  if (text.size() <= 2 || !plain_lower_word(text)) return std::string(text);

  Word word(text);
  step1(word);
  apply_first(word, kStep2.data(), kStep2.data() + kStep2.size(), 0);
  apply_first(word, kStep3.data(), kStep3.data() + kStep3.size(), 0);
  step4(word);
  step5(word);
  strip_ity_ify(word);
  std::string stem = std::move(word).take();
  if (std::string_view irregular = irregular_stem(stem); irregular != stem)
    return std::string(irregular);
  return stem;
}

}  // namespace paperbot::score_detail
