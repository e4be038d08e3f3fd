// The table of commands behind help_text(), usage_for(), is_mutating() and is_admin_only(): one row
// per Action alternative, in the variant's order, so that a command's row is its Action index.
// Internal to paperbot::commands.
#pragma once

#include "core/commands/command.hpp"

#include <array>
#include <string_view>

namespace paperbot::commands {

struct CommandInfo {
  std::string_view word;         // the first command word: "criteria"
  std::string_view name;         // with its subcommand: "criteria add"
  std::string_view usage;        // "criteria [global] add TEXT"
  std::string_view description;  // one line
  bool mutating;                 // changes something; admins only
  bool takes_global;             // accepts the `global` scope word
  bool private_data = false;     // shows what only admins may see (e-mail addresses)
};

inline constexpr std::size_t kCommandCount = std::variant_size_v<Action>;

const std::array<CommandInfo, kCommandCount>& command_table();

// The row of one Action alternative: info_of<Top>().
template <class T>
const CommandInfo& info_of() {
  return command_table()[Action(T{}).index()];
}

}  // namespace paperbot::commands
