#include "core/common/paper.hpp"

namespace paperbot {

std::string_view to_string(AnnounceType type) {
  switch (type) {
    case AnnounceType::kNew: return "new";
    case AnnounceType::kCross: return "cross";
    case AnnounceType::kReplace: return "replace";
    case AnnounceType::kReplaceCross: return "replace-cross";
  }
  return "new";
}

std::optional<AnnounceType> parse_announce_type(std::string_view text) {
  if (text == "new") return AnnounceType::kNew;
  if (text == "cross") return AnnounceType::kCross;
  if (text == "replace") return AnnounceType::kReplace;
  if (text == "replace-cross") return AnnounceType::kReplaceCross;
  return std::nullopt;
}

}  // namespace paperbot
