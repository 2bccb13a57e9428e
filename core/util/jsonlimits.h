#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sigscope::core {

// The deepest nesting of arrays and objects any reader of this library accepts (JSON data files,
// indexes, manifests, parameters, legacy dumps, configuration files). Real files nest four or five
// levels; the limit keeps every reader, and every recursive walk over what it read, far from the
// end of the stack.
inline constexpr std::size_t kMaxJsonDepth = 256;

// "nesting deeper than 256 levels": the reason every reader gives.
std::string nestingTooDeepReason();

// The deepest nesting of '[' and '{' in a JSON text, counted without recursion (strings skipped,
// escapes honoured). It stops counting once past `limit`, so a huge hostile text costs one scan.
std::size_t jsonNestingDepth(std::string_view text, std::size_t limit = kMaxJsonDepth);

// The same for YAML: flow collections ('[' '{'), block indentation levels and "- " sequence
// entries that open a level on one line, outside quotes and comments. An upper bound of what a
// YAML parser nests, which is what matters for the limit.
std::size_t yamlNestingDepth(std::string_view text, std::size_t limit = kMaxJsonDepth);

} // namespace sigscope::core
