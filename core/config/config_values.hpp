// Parsing single config.ini values the way gpt_paper_assistant reads them through configparser.
// Internal to the config component. Every function is pure and returns nothing on bad input, so
// that the caller can say which file, line and key it was.
#pragma once

#include <optional>
#include <string_view>

namespace paperbot::config_values {

// configparser's getboolean(): true/yes/on/1 and false/no/off/0, any case.
std::optional<bool> parse_boolean(std::string_view text);

// A whole number: "12", "-3", "+4". "15.0" is accepted too, because the reference reads some
// whole-number keys (author_match_score, hcutoff) with float().
std::optional<long long> parse_whole_number(std::string_view text);

// A finite decimal number: "3", "0.5", "2.5e1".
std::optional<double> parse_decimal(std::string_view text);

// Whether `text` is spelled like an arXiv category or archive: "cs.LG", "math.AG", "hep-th",
// "astro-ph.CO", "cond-mat.mes-hall", "eess.AS", "cs". Whether arXiv has it is not checked.
bool is_arxiv_category(std::string_view text);

// Whether a key's name says it holds a secret: a word api_key/apikey, token, password, passwd,
// secret or credentials ("bot_token", "openai_api_key", "smtp_password"). Words are separated by
// '_' or '-', so "max_tokens" is not a secret.
bool is_secret_key(std::string_view key);

}  // namespace paperbot::config_values
