// Independent checks of e-mail messages for the tests: small decoders written here (not the
// product's encoders run backwards), Python's standard `email` package as an outside MIME parser,
// and digests to build newsletters from.
#pragma once

#include "core/common/digest.hpp"

#include <boost/json/value.hpp>

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace paperbot::testing {

// Quoted-printable back to bytes: "=XX" escapes decoded, soft breaks ("=" at a line end)
// removed, CRLF line breaks turned into LF. Throws std::invalid_argument on a malformed escape.
std::string decode_quoted_printable(std::string_view encoded);

// A header value with its RFC 2047 encoded words (B or Q, any case) decoded and the whitespace
// between two adjacent encoded words dropped, as RFC 2047 section 6.2 says. Folding (CRLF before
// a space) is removed first. Throws std::invalid_argument on a malformed word.
std::string decode_header_value(std::string_view value);

// The lines of a CRLF message or part, without their line ends.
std::vector<std::string> crlf_lines(std::string_view text);

// Whether every line of `text` (CRLF-separated) is a well-formed UTF-8 string once its own
// quoted-printable escapes are decoded: a soft break never cut a character in two.
bool every_line_decodes_to_utf8(std::string_view quoted_printable);

// A digest of `papers` made-up papers with TeX accents in names, markup in titles and
// `abstract_bytes` of abstract each; every third paper is an author match.
Digest sample_digest(std::size_t papers, std::size_t abstract_bytes = 900, std::size_t authors = 4);

// What Python's email package (policy=email.policy.default) makes of `message`: a JSON object
// with "defects" (all defects found, as strings), "content_type", "headers" (name -> decoded
// value, first occurrence), "header_names" (all names, in order), "parts" (each with
// "content_type", "charset", "transfer_encoding", "content": the decoded text with LF line
// ends, and "html_problems": elements of an HTML part left unclosed or closed out of order) and
// "max_line" (the longest raw line, without CRLF). Runs the `python3` on PATH; a failure to run it
// fails the calling test.
boost::json::value python_mime_summary(const std::string& message,
                                       const std::filesystem::path& work_dir);

}  // namespace paperbot::testing
