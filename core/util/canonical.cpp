#include "core/util/canonical.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace sigscope::core::canonical {

void appendString(std::string& out, std::string_view text)
{
    static constexpr char hex[] = "0123456789abcdef";
    out.push_back('"');
    // Most texts (times, names) need no escape: appended in one piece.
    std::size_t plain = 0;
    while (plain < text.size()) {
        const auto u = static_cast<unsigned char>(text[plain]);
        if (u < 0x20 || u == '"' || u == '\\')
            break;
        ++plain;
    }
    out.append(text.data(), plain);
    text.remove_prefix(plain);
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (u < 0x20) {
                out += "\\u00";
                out.push_back(hex[u >> 4]);
                out.push_back(hex[u & 0xF]);
            } else {
                out.push_back(c);
            }
        }
    }
    out.push_back('"');
}

void appendDouble(std::string& out, double value)
{
    if (!std::isfinite(value)) {
        out += "null";
        return;
    }
    if (value == 0.0) {
        out += std::signbit(value) ? "-0.0" : "0.0";
        return;
    }
    // Shortest round-trip digits in scientific form, e.g. "-1.2345e-05".
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
    const std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));
    const auto ePos = sci.find('e');
    std::string_view mantissa = sci.substr(0, ePos);
    int exponent = 0;
    const std::string_view expText = sci.substr(ePos + 1);
    std::from_chars(expText.data() + (expText.front() == '+' ? 1 : 0), expText.data() + expText.size(), exponent);
    const bool negative = !mantissa.empty() && mantissa.front() == '-';
    if (negative)
        mantissa.remove_prefix(1);
    char digitBuffer[32]; // at most 17 significant digits
    std::size_t digitCount = 0;
    for (const char c : mantissa)
        if (c != '.')
            digitBuffer[digitCount++] = c;
    const std::string_view digits(digitBuffer, digitCount);

    if (negative)
        out.push_back('-');
    if (exponent < -4 || exponent >= 16) {
        out.push_back(digits.front());
        if (digits.size() > 1) {
            out.push_back('.');
            out.append(digits.substr(1));
        }
        out.push_back('e');
        out.push_back(exponent < 0 ? '-' : '+');
        const int absExp = std::abs(exponent);
        if (absExp < 10)
            out.push_back('0');
        out += std::to_string(absExp);
        return;
    }
    if (exponent < 0) {
        out += "0.";
        out.append(static_cast<std::size_t>(-exponent - 1), '0');
        out += digits;
        return;
    }
    const auto intDigits = static_cast<std::size_t>(exponent) + 1;
    if (digits.size() <= intDigits) {
        out += digits;
        out.append(intDigits - digits.size(), '0');
        out += ".0";
    } else {
        out.append(digits.substr(0, intDigits));
        out.push_back('.');
        out.append(digits.substr(intDigits));
    }
}

std::string doubleText(double value)
{
    std::string s;
    appendDouble(s, value);
    return s;
}

} // namespace sigscope::core::canonical
