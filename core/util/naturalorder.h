#pragma once

#include <string_view>

// The order people expect for names that carry numbers: "momentum_5" before "momentum_10", and
// the digits after a decimal point as a fraction ("0.0005" before "0.001", "0.25" before "0.5").
// A strict weak order with equality only for equal strings (numerically equal runs such as "07"
// and "7" fall back to byte order), so it can key sorted containers and merges.
namespace sigscope::core {

[[nodiscard]] bool naturalLess(std::string_view a, std::string_view b);

struct NaturalLess
{
    bool operator()(std::string_view a, std::string_view b) const { return naturalLess(a, b); }
};

} // namespace sigscope::core
