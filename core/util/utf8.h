#pragma once

#include <string>
#include <string_view>

namespace sigscope::core {

// Well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), the
// rule JSON readers apply to every string.
bool isValidUtf8(std::string_view text);
// text with every byte that is not part of a well-formed UTF-8 sequence written as \xNN (and
// backslashes doubled), so that a file name from disk can be shown and stored as JSON.
std::string escapeInvalidUtf8(std::string_view text);

} // namespace sigscope::core
