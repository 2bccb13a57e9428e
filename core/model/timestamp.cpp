#include "core/model/timestamp.h"

#include <algorithm>
#include <chrono>
#include <limits>

namespace sigscope::core {

std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

namespace {

struct Civil
{
    std::int64_t y;
    unsigned m, d;
};

Civil civilFromDays(std::int64_t z)
{
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {y + (m <= 2), m, d};
}

bool isLeap(std::int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned daysInMonth(std::int64_t y, unsigned m)
{
    static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeap(y) ? 29 : days[m - 1];
}

bool readDigits(std::string_view s, std::size_t pos, std::size_t count, int& out)
{
    if (pos + count > s.size())
        return false;
    int v = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const char c = s[pos + i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    out = v;
    return true;
}

constexpr std::int64_t kMicrosPerDay = 86'400'000'000;

} // namespace

std::optional<ParsedTime> parseIsoTime(std::string_view s)
{
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!readDigits(s, 0, 4, year) || s.size() < 16 || s[4] != '-' || !readDigits(s, 5, 2, month) || s[7] != '-'
        || !readDigits(s, 8, 2, day))
        return std::nullopt;
    ParsedTime result;
    if (s[10] != 'T' && s[10] != ' ')
        return std::nullopt;
    result.format.separator = s[10];
    if (!readDigits(s, 11, 2, hour) || s[13] != ':' || !readDigits(s, 14, 2, minute))
        return std::nullopt;
    std::size_t pos = 16;
    if (pos < s.size() && s[pos] == ':') {
        if (!readDigits(s, pos + 1, 2, second))
            return std::nullopt;
        pos += 3;
    } else {
        return std::nullopt; // minutes-only times are not written by any producer we know
    }
    std::int64_t micros = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        std::size_t digits = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (digits < 6)
                micros = micros * 10 + (s[pos] - '0');
            else if (s[pos] != '0')
                return std::nullopt; // sub-microsecond precision cannot be reproduced
            ++digits;
            ++pos;
        }
        if (digits == 0)
            return std::nullopt;
        for (std::size_t i = digits; i < 6; ++i)
            micros *= 10;
        result.format.fractionDigits = static_cast<std::uint8_t>(digits < 6 ? digits : 6);
    }
    int offsetMinutes = 0;
    if (pos == s.size()) {
        result.format.zone = TimeFormat::Zone::Naive;
    } else if (s[pos] == 'Z' && pos + 1 == s.size()) {
        result.format.zone = TimeFormat::Zone::Z;
    } else if ((s[pos] == '+' || s[pos] == '-') && pos + 6 == s.size() && s[pos + 3] == ':') {
        int oh = 0, om = 0;
        if (!readDigits(s, pos + 1, 2, oh) || !readDigits(s, pos + 4, 2, om) || oh > 23 || om > 59)
            return std::nullopt;
        offsetMinutes = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
        result.format.zone = TimeFormat::Zone::Offset;
    } else {
        return std::nullopt;
    }
    if (month < 1 || month > 12 || day < 1 || static_cast<unsigned>(day) > daysInMonth(year, static_cast<unsigned>(month))
        || hour > 23 || minute > 59 || second > 59)
        return std::nullopt;
    result.format.offsetMinutes = static_cast<std::int16_t>(offsetMinutes);
    const std::int64_t days = daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    const std::int64_t localMicros =
        days * kMicrosPerDay + ((hour * 60LL + minute) * 60 + second) * 1'000'000LL + micros;
    result.utcMicros = localMicros - offsetMinutes * 60'000'000LL;
    return result;
}

std::size_t writeIsoTime(std::int64_t utcMicros, const TimeFormat& format, IsoTimeBuffer& buffer)
{
    if (utcMicros == kNoTime)
        return 0;
    const std::int64_t local =
        utcMicros + (format.zone == TimeFormat::Zone::Offset ? format.offsetMinutes * 60'000'000LL : 0);
    std::int64_t days = local / kMicrosPerDay;
    std::int64_t rem = local % kMicrosPerDay;
    if (rem < 0) {
        rem += kMicrosPerDay;
        --days;
    }
    char* const begin = buffer.data();
    char* p = begin;
    auto two = [&p](int v) {
        p[0] = static_cast<char>('0' + v / 10);
        p[1] = static_cast<char>('0' + v % 10);
        p += 2;
    };
    // Consecutive changes mostly fall on the same day: its "YYYY-MM-DD" is kept per thread.
    struct DateCache
    {
        std::int64_t days = std::numeric_limits<std::int64_t>::min();
        std::array<char, 24> text{};
        std::size_t length = 0;
    };
    thread_local DateCache cache;
    if (cache.days != days) {
        const Civil c = civilFromDays(days);
        char* q = cache.text.data();
        auto twoInto = [&q](int v) {
            q[0] = static_cast<char>('0' + v / 10);
            q[1] = static_cast<char>('0' + v % 10);
            q += 2;
        };
        if (c.y >= 0 && c.y <= 9999) {
            twoInto(static_cast<int>(c.y / 100));
            twoInto(static_cast<int>(c.y % 100));
        } else { // years the format never meant: the decimal text, left-padded with zeros to 4 characters
            std::string year = std::to_string(c.y);
            while (year.size() < 4)
                year.insert(year.begin(), '0');
            q = std::copy(year.begin(), year.end(), q);
        }
        *q++ = '-';
        twoInto(static_cast<int>(c.m));
        *q++ = '-';
        twoInto(static_cast<int>(c.d));
        cache.length = static_cast<std::size_t>(q - cache.text.data());
        cache.days = days;
    }
    p = std::copy_n(cache.text.data(), cache.length, p);
    *p++ = format.separator;
    const std::int64_t secs = rem / 1'000'000;
    two(static_cast<int>(secs / 3600));
    *p++ = ':';
    two(static_cast<int>(secs / 60 % 60));
    *p++ = ':';
    two(static_cast<int>(secs % 60));
    if (format.fractionDigits > 0) {
        *p++ = '.';
        std::int64_t frac = rem % 1'000'000;
        char digits[6];
        for (int i = 5; i >= 0; --i) {
            digits[i] = static_cast<char>('0' + frac % 10);
            frac /= 10;
        }
        p = std::copy(digits, digits + std::min<int>(format.fractionDigits, 6), p);
    }
    switch (format.zone) {
    case TimeFormat::Zone::Naive: break;
    case TimeFormat::Zone::Z: *p++ = 'Z'; break;
    case TimeFormat::Zone::Offset: {
        const int off = format.offsetMinutes;
        *p++ = off < 0 ? '-' : '+';
        const int a = off < 0 ? -off : off;
        two(a / 60);
        *p++ = ':';
        two(a % 60);
        break;
    }
    }
    return static_cast<std::size_t>(p - begin);
}

std::string formatIsoTime(std::int64_t utcMicros, const TimeFormat& format)
{
    IsoTimeBuffer buffer;
    return std::string(buffer.data(), writeIsoTime(utcMicros, format, buffer));
}

std::string formatUtcMicrosZ(std::int64_t utcMicros)
{
    return formatIsoTime(utcMicros, TimeFormat{'T', 6, TimeFormat::Zone::Z, 0});
}

std::int64_t nowUtcMicros()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

} // namespace sigscope::core
