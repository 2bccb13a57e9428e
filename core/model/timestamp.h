#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace sigscope::core {

// Microseconds since 1970-01-01T00:00:00Z, or kNoTime when a change has no valid time.
inline constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::min();

// How an ISO-8601 text was written, so that the same text can be produced again.
struct TimeFormat
{
    enum class Zone : std::uint8_t { Naive, Z, Offset };
    char separator = 'T';           // 'T' or ' '
    std::uint8_t fractionDigits = 0; // 0..6
    Zone zone = Zone::Offset;
    std::int16_t offsetMinutes = 0; // for Zone::Offset: +00:00 -> 0, -05:00 -> -300
    bool operator==(const TimeFormat&) const = default;
};

struct ParsedTime
{
    std::int64_t utcMicros = kNoTime; // naive times are taken as UTC
    TimeFormat format;
};

// Parses "YYYY-MM-DD[T| ]HH:MM[:SS[.ffffff]][Z|+HH:MM|-HH:MM|+HHMM]". Returns nullopt for text that
// is no valid time (e.g. "2024-01-32T10:00:00").
std::optional<ParsedTime> parseIsoTime(std::string_view text);
// Writes a time in the given format; formatIsoTime(parseIsoTime(t)) == t for every text this
// library writes (callers keep the original text when it does not).
std::string formatIsoTime(std::int64_t utcMicros, const TimeFormat& format);
// The same text written into a caller's buffer, without allocating (hot loops): its length.
using IsoTimeBuffer = std::array<char, 48>;
std::size_t writeIsoTime(std::int64_t utcMicros, const TimeFormat& format, IsoTimeBuffer& buffer);
// "2026-01-05T14:03:11.120000Z", the form of created_at / updated_at.
std::string formatUtcMicrosZ(std::int64_t utcMicros);
std::int64_t nowUtcMicros();

// Days since epoch for a civil date and back (proleptic Gregorian).
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d);

} // namespace sigscope::core
