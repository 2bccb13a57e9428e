#include "core/util/naturalorder.h"

namespace sigscope::core {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

std::size_t digitsEnd(std::string_view s, std::size_t from)
{
    while (from < s.size() && isDigit(s[from]))
        ++from;
    return from;
}

// A run of digits right after "<digit>." is a fraction: compared digit by digit.
bool isFraction(std::string_view s, std::size_t runStart)
{
    return runStart >= 2 && s[runStart - 1] == '.' && isDigit(s[runStart - 2]);
}

} // namespace

bool naturalLess(std::string_view a, std::string_view b)
{
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < a.size() && j < b.size()) {
        if (isDigit(a[i]) && isDigit(b[j])) {
            const std::size_t ae = digitsEnd(a, i);
            const std::size_t be = digitsEnd(b, j);
            const std::string_view ra = a.substr(i, ae - i);
            const std::string_view rb = b.substr(j, be - j);
            if (isFraction(a, i) && isFraction(b, j)) {
                if (ra != rb)
                    return ra < rb; // "0005" < "001", "25" < "5"
            } else {
                const std::string_view na = ra.substr(std::min(ra.find_first_not_of('0'), ra.size()));
                const std::string_view nb = rb.substr(std::min(rb.find_first_not_of('0'), rb.size()));
                if (na.size() != nb.size())
                    return na.size() < nb.size();
                if (na != nb)
                    return na < nb;
            }
            i = ae;
            j = be;
            continue;
        }
        if (a[i] != b[j])
            return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
        ++i;
        ++j;
    }
    if (i < a.size() || j < b.size())
        return i == a.size(); // a prefix comes first
    return a < b;             // equal as numbers ("07" and "7"): byte order decides
}

} // namespace sigscope::core
