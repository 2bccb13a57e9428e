#pragma once

#include <string>
#include <string_view>

// Building blocks of the canonical JSON of storage-format.md §2. Shared by the identity hash and
// every writer so that the bytes we hash are the bytes we write.
namespace sigscope::core::canonical {

// Appends a JSON string literal: UTF-8 kept as is, only '"', '\\' and control characters escaped
// (\b \f \n \r \t, else \u00xx), as Python's json.dumps(ensure_ascii=False) does.
void appendString(std::string& out, std::string_view text);
// Appends the shortest text that reads back to the same double, Python repr style: "2.0",
// "0.02", "1e-05", "1e+16". NaN and infinities are written as null (JSON has no such numbers).
void appendDouble(std::string& out, double value);
std::string doubleText(double value);

} // namespace sigscope::core::canonical
