#include "core/score/criteria_terms.hpp"

#include "core/common/text.hpp"

#include <algorithm>
#include <map>
#include <unordered_set>

namespace paperbot::score_detail {
namespace {

// Base weights of an item by where it stands; the sign says for or against.
constexpr double kTopicTitleWeight = 1.0;
constexpr double kForWeight = 1.0;
constexpr double kTopicIrrelevantWeight = -0.6;  // a topic's own "Irrelevant" line: softer
constexpr double kAgainstWeight = -1.0;

// How much of an item's weight its parts get. A phrase's single words are weaker evidence
// than the phrase; the words of a phrase that counts against do not count at all, since
// "vision" alone is not "3D Vision" and "time" is not "Time Series".
constexpr double kPairOfPhraseShare = 0.7;
constexpr double kWordOfPhraseShareFor = 0.4;
constexpr double kWordOfPhraseShareAgainst = 0.0;
constexpr double kPairOfDescriptionShare = 0.5;
constexpr double kWordOfDescriptionShare = 0.25;
constexpr std::size_t kMaxPhraseWords = 3;
constexpr std::size_t kMaxSlashVariants = 4;

// Words that say how good or what kind a contribution is, or that frame a list ("Keywords for
// Relevant Domains"), rather than what a paper is about.
const std::unordered_set<std::string_view>& boilerplate_words() {
  static const auto kWords = word_set(
      "relevant irrelevant relevance topic topics criteria criterion paper papers work works "
      "research study studies approach approaches method methods methodological technique "
      "techniques insight insights new novel major minor significant substantial breakthrough "
      "breakthroughs improvement improvements incremental contribution contributions existing "
      "known standard conventional straightforward merely purely simply using use usage used "
      "based certain specific general broad cutting edge emerging trend trends following focus "
      "foundational fundamental keyword keywords domain domains area areas field fields aspect "
      "aspects task tasks hint hints include including example examples related interest "
      "interested interesting etc various others tweaks tweak lacking challenging established "
      "assumptions introducing level");
  return kWords;
}

// Words that turn the rest of an item against a paper, and words that end an item.
bool flips_polarity(std::string_view lower_word) {
  static const std::unordered_set<std::string_view> kWords = {
      "avoid", "avoiding", "except", "excluding", "exclude", "not", "nor", "unless", "rather"};
  return kWords.contains(lower_word);
}

bool ends_item(std::string_view lower_word) {
  return lower_word == "without" || lower_word == "lacking" || lower_word == "lack" ||
         lower_word == "lacks";
}

// A heading that announces what to leave out.
bool heading_is_against(std::string_view lower_heading) {
  for (std::string_view cue : {"irrelevant", "unrelated", "exclude", "avoid", "hint", "not ",
                               "ignore", "negative", "out of scope"}) {
    if (lower_heading.find(cue) != std::string_view::npos) return true;
  }
  return false;
}

// "Mixture" stays "Mixture" in a phrase's display only when it is an acronym or a name; plain
// capitalized words are lower-cased, so comments read "pruning, quantization, KV cache".
std::string display_word(std::string_view word) {
  bool rest_lower = std::all_of(word.begin() + (word.empty() ? 0 : 1), word.end(),
                                [](char c) { return !(c >= 'A' && c <= 'Z'); });
  if (!word.empty() && word[0] >= 'A' && word[0] <= 'Z' && rest_lower) return ascii_lower(word);
  return std::string(word);
}

struct Piece {
  TermId stem;
  std::size_t begin;  // span of the word in its item variant, for the display
  std::size_t end;
};

class Extractor {
 public:
  explicit Extractor(Vocabulary& vocabulary) : vocabulary_(vocabulary) {}

  int add_criterion(std::string number, std::string name) {
    result_.criteria.push_back(CriterionInfo{std::move(number), std::move(name)});
    return static_cast<int>(result_.criteria.size()) - 1;
  }

  // Splits `text` into items and adds their terms.
  void add_text(std::string_view text, double weight, int criterion) {
    std::string item;
    auto flush = [&] {
      add_item(item, weight, criterion);
      item.clear();
    };
    last_phrase_ = kNone;
    for (char c : text) {
      if (c == '(') {
        // What follows may abbreviate the phrase just read: "Mixture-of-Experts (MoE)".
        flush();
        abbreviates_ = last_phrase_;
      } else if (c == ',' || c == ';' || c == ':' || c == ')' || c == '[' || c == ']' || c == '.' ||
                 c == '?' || c == '!' || c == '"') {
        flush();
        abbreviates_ = kNone;
      } else {
        item += c;
      }
    }
    flush();
    abbreviates_ = kNone;
  }

  CriteriaTerms finish() {
    for (std::size_t i = 0; i < result_.terms.size(); ++i) {
      const Merged& merged = merged_[i];
      CriteriaTerm& term = result_.terms[i];
      term.weight = merged.best_for > 0.0 ? merged.best_for : merged.worst_against;
      term.display = merged.best_for > 0.0 ? merged.display_for : merged.display_against;
    }
    return std::move(result_);
  }

 private:
  struct Merged {
    double best_for = 0.0;
    double worst_against = 0.0;
    std::string display_for;
    std::string display_against;
  };

  // One item: words split further at "and"/"or", polarity cues applied, slashes expanded.
  void add_item(std::string_view item, double weight, int criterion) {
    last_phrase_ = kNone;
    std::vector<std::string_view> words;
    auto flush = [&](double w) {
      add_words(words, w, criterion);
      words.clear();
    };
    std::size_t i = 0;
    while (i < item.size()) {
      while (i < item.size() && (item[i] == ' ' || item[i] == '\t')) ++i;
      std::size_t begin = i;
      while (i < item.size() && item[i] != ' ' && item[i] != '\t') ++i;
      if (i == begin) continue;
      std::string_view word = item.substr(begin, i - begin);
      std::string lower = ascii_lower(word);
      if (lower == "and" || lower == "or" || lower == "&" || lower == "vs" || lower == "versus") {
        flush(weight);
      } else if (ends_item(lower)) {
        flush(weight);
        return;
      } else if (flips_polarity(lower)) {
        flush(weight);
        // Against a wanted thing means against; "not" inside an unwanted thing says nothing.
        if (weight < 0.0) return;
        weight = criterion >= 0 ? kTopicIrrelevantWeight : kAgainstWeight;
      } else {
        words.push_back(word);
      }
    }
    flush(weight);
  }

  // Expands "a/b c" into "a c" and "b c", then adds each variant's terms.
  void add_words(const std::vector<std::string_view>& words, double weight, int criterion) {
    if (words.empty()) return;
    std::vector<std::string> variants = {""};
    for (std::string_view word : words) {
      std::vector<std::string> choices;
      if (word.find('/') != std::string_view::npos && word.find("://") == std::string_view::npos)
        choices = split_trimmed(word, '/');
      if (choices.empty()) choices.emplace_back(word);
      std::vector<std::string> next;
      for (const std::string& variant : variants) {
        for (std::size_t c = 0; c < choices.size(); ++c) {
          if (c > 0 && next.size() >= kMaxSlashVariants) break;
          next.push_back(variant.empty() ? choices[c] : variant + " " + choices[c]);
        }
      }
      variants = std::move(next);
    }
    for (const std::string& variant : variants) add_variant(variant, weight, criterion);
  }

  void add_variant(const std::string& variant, double weight, int criterion) {
    std::vector<Piece> pieces;
    for_each_word(variant, [&](std::string_view original, std::string_view lower) {
      if (boilerplate_words().contains(lower)) return;
      TermId id = vocabulary_.word_id(lower);
      if (id == kNoTerm) return;
      auto begin = static_cast<std::size_t>(original.data() - variant.data());
      pieces.push_back(Piece{id, begin, begin + original.size()});
    });
    if (pieces.empty()) return;

    // A short item is a phrase: whole at full weight, its parts weaker. A long one is a
    // description: only its words and word pairs, weakly.
    std::size_t n = pieces.size();
    bool phrase = n <= kMaxPhraseWords;
    if (n == 1 && abbreviates_ != kNone) {
      std::size_t term = add_term(variant, pieces, 0, 1, weight, criterion);
      if (term != abbreviates_ && result_.terms[term].same_as == CriteriaTerm::kNotAnAbbreviation)
        result_.terms[term].same_as = abbreviates_;
      return;
    }
    if (phrase) last_phrase_ = add_term(variant, pieces, 0, n, weight, criterion);
    for (std::size_t length = std::min<std::size_t>(n - 1, 2); length >= 1; --length) {
      double share = 0.0;
      if (length == 2) {
        share = phrase ? kPairOfPhraseShare : kPairOfDescriptionShare;
      } else if (phrase) {
        share = weight > 0.0 ? kWordOfPhraseShareFor : kWordOfPhraseShareAgainst;
      } else {
        share = kWordOfDescriptionShare;
      }
      if (share == 0.0) continue;
      for (std::size_t start = 0; start + length <= n; ++start)
        add_term(variant, pieces, start, start + length, weight * share, criterion);
    }
  }

  // Adds or merges one term; returns its index.
  std::size_t add_term(const std::string& variant, const std::vector<Piece>& pieces,
                       std::size_t from, std::size_t to, double weight, int criterion) {
    std::vector<TermId> stems;
    for (std::size_t i = from; i < to; ++i) stems.push_back(pieces[i].stem);
    std::string display;
    std::string_view span(variant.data() + pieces[from].begin,
                          pieces[to - 1].end - pieces[from].begin);
    for_each_word(span, [&](std::string_view original, std::string_view) {
      std::size_t at = static_cast<std::size_t>(original.data() - span.data());
      if (!display.empty()) display += at > 0 && span[at - 1] == '-' ? "-" : " ";
      display += display_word(original);
    });

    auto [found, inserted] = index_.try_emplace(stems, result_.terms.size());
    if (inserted) {
      result_.terms.push_back(CriteriaTerm{stems, "", 0.0, {}});
      merged_.emplace_back();
    }
    CriteriaTerm& term = result_.terms[found->second];
    Merged& merged = merged_[found->second];
    if (weight > merged.best_for) {
      merged.best_for = weight;
      merged.display_for = display;
    }
    if (weight < merged.worst_against) {
      merged.worst_against = weight;
      merged.display_against = display;
    }
    if (weight > 0.0 && criterion >= 0 &&
        std::find(term.criteria.begin(), term.criteria.end(), criterion) == term.criteria.end())
      term.criteria.push_back(criterion);
    return found->second;
  }

  static constexpr std::size_t kNone = CriteriaTerm::kNotAnAbbreviation;

  Vocabulary& vocabulary_;
  std::size_t last_phrase_ = kNone;  // the last whole phrase of the text being read
  std::size_t abbreviates_ = kNone;  // inside parentheses: the phrase they may abbreviate
  CriteriaTerms result_;
  std::vector<Merged> merged_;
  std::map<std::vector<TermId>, std::size_t> index_;
};

// A line without its markdown: heading marks, quote marks, bullets and bold.
struct CleanLine {
  std::string text;
  bool heading = false;  // "## ...", or a line that is bold as a whole
};

CleanLine clean_line(std::string_view line) {
  CleanLine clean;
  line = trim(line);
  while (!line.empty() && (line[0] == '#' || line[0] == '>')) {
    clean.heading = clean.heading || line[0] == '#';
    line = trim(line.substr(1));
  }
  if (line.size() >= 2 && (line[0] == '-' || line[0] == '*' || line[0] == '+') && line[1] == ' ')
    line = trim(line.substr(2));
  if (line.size() > 4 && line.starts_with("**") && line.ends_with("**")) clean.heading = true;
  for (char c : line) {
    if (c != '*' && c != '`') clean.text += c;
  }
  clean.text = std::string(trim(clean.text));
  return clean;
}

// "3. Model Compression" -> ("3", "Model Compression").
bool split_numbered(std::string_view text, std::string& number, std::string& rest) {
  std::size_t i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  if (i == 0 || i > 3 || i + 1 >= text.size() || (text[i] != '.' && text[i] != ')') ||
      text[i + 1] != ' ')
    return false;
  number = std::string(text.substr(0, i));
  rest = std::string(trim(text.substr(i + 1)));
  return true;
}

// A topic's name for comments: its title up to the first colon, at most eight words.
std::string topic_name(std::string_view title) {
  title = trim(title.substr(0, title.find(':')));
  std::string name;
  int words = 0;
  for (std::string_view rest = title; !rest.empty() && words < 8; ++words) {
    std::size_t space = rest.find(' ');
    if (!name.empty()) name += ' ';
    name += rest.substr(0, space);
    rest = space == std::string_view::npos ? "" : trim(rest.substr(space + 1));
    if (words == 7 && !rest.empty()) name += " ...";
  }
  return name;
}

// True when `text` has a word that is neither a stop word nor research boilerplate.
bool has_topic_words(std::string_view text) {
  bool found = false;
  for_each_word(text, [&](std::string_view, std::string_view lower) {
    found = found ||
            (lower.size() >= 2 && !is_stop_word(lower) && !boilerplate_words().contains(lower));
  });
  return found;
}

}  // namespace

CriteriaTerms extract_criteria_terms(std::string_view topics, Vocabulary& vocabulary) {
  Extractor extractor(vocabulary);
  int criterion = -1;
  double section_weight = kForWeight;

  std::size_t start = 0;
  while (start <= topics.size()) {
    std::size_t end = topics.find('\n', start);
    if (end == std::string_view::npos) end = topics.size();
    CleanLine line = clean_line(topics.substr(start, end - start));
    start = end + 1;
    if (line.text.empty()) continue;
    std::string lower = ascii_lower(line.text);

    // A numbered topic: its title counts for it, and the lines below belong to it.
    std::string number;
    std::string title;
    if (split_numbered(line.text, number, title)) {
      criterion = extractor.add_criterion(number, topic_name(title));
      section_weight = kForWeight;
      extractor.add_text(title, kTopicTitleWeight, criterion);
      continue;
    }

    // "Relevant: ..." / "Irrelevant: ..." / any short label before a colon.
    std::size_t colon = lower.find(':');
    std::string_view label = colon == std::string::npos || colon > 40
                                 ? std::string_view()
                                 : std::string_view(lower).substr(0, colon);
    bool label_against = !label.empty() && (heading_is_against(label) ||
                                            label.find("not relevant") != std::string_view::npos);
    bool label_for = !label.empty() && !label_against && label.find("relevant") != label.npos;
    std::string_view rest = label.empty() ? std::string_view(line.text)
                                          : trim(std::string_view(line.text).substr(colon + 1));

    // A heading (or a label with nothing after it) opens a section for or against. A heading
    // for something with words of its own ("## Efficient Inference") is a topic of its own.
    if (line.heading || (!label.empty() && rest.empty())) {
      criterion = -1;
      section_weight = heading_is_against(lower) ? kAgainstWeight : kForWeight;
      if (rest.empty()) continue;
      if (section_weight > 0.0 && has_topic_words(rest)) {
        criterion = extractor.add_criterion("", topic_name(rest));
        extractor.add_text(rest, kTopicTitleWeight, criterion);
        continue;
      }
    }

    double weight = section_weight;
    if (label_against)
      weight = criterion >= 0 ? kTopicIrrelevantWeight : kAgainstWeight;
    else if (label_for)
      weight = kForWeight;
    extractor.add_text(rest, weight, criterion);
  }
  return extractor.finish();
}

}  // namespace paperbot::score_detail
