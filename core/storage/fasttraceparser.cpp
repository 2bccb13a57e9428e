#include "core/storage/fasttraceparser.h"

#include "core/storage/fastjsonscanner.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>
#include <unordered_set>
#include <vector>

// Mirrors the SAX reader in traceio.cpp rule by rule (same key handling, same type checks, same
// compact text for kept metadata), so that any input accepted here yields the same Trace. Where
// the SAX reader would fail, or where matching it exactly would take effort for inputs nobody
// writes (changes before metadata, repeated keys, fractional total_bars, BOM, very deep nesting),
// this one gives up and lets the SAX reader decide (and word the error).

namespace sigscope::core {

namespace {

// The stages after the scanner (fastjsonscanner.h): the root object, the metadata object and
// the changes array, each checked as the SAX reader checks it.
using detail::asDouble;
using detail::asInt;
using detail::decodeEscapes;
using detail::isDigit;
using detail::Value;

bool isLeap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int daysInMonth(int y, int m)
{
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeap(y) ? 29 : days[m - 1];
}

int twoDigits(const char* p)
{
    return (p[0] - '0') * 10 + (p[1] - '0');
}

class FastParser : private detail::FastJsonScanner
{
public:
    using FastJsonScanner::FastJsonScanner;

    bool run(Trace& out)
    {
        m_trace = &out;
        out = Trace();
        if (!consume('{'))
            return false;
        bool first = true;
        for (;;) {
            ws();
            if (first && m_p < m_end && *m_p == '}') {
                ++m_p;
                break;
            }
            first = false;
            std::string_view key;
            if (!readKey(m_keyBuf, key) || !m_rootKeys.emplace(key).second || !consume(':'))
                return false;
            ws();
            if (m_p >= m_end)
                return false;
            if (key == "metadata") {
                if (m_sawMetadata || *m_p != '{' || !parseMetadata())
                    return false;
                m_sawMetadata = true;
            } else if (key == "changes") {
                if (m_sawChanges || *m_p != '[' || !parseChanges())
                    return false;
                m_sawChanges = true;
            } else if (!value(nullptr, 1)) {
                return false;
            }
            const Next n = next('}');
            if (n == Next::More)
                continue;
            if (n == Next::Bad)
                return false;
            break;
        }
        ws();
        if (m_p != m_end || !m_sawMetadata || !m_kindKnown || !m_sawChanges)
            return false;
        if (!m_sawFormatVersion)
            out.metadata.formatVersion = 0;
        out.shrinkToFit();
        return true;
    }

private:

    static unsigned changeKeyBit(std::string_view k)
    {
        static constexpr std::string_view kKeys[] = {"idx", "ts", "sym", "val", "strat", "px", "regime", "confidence",
                                                     "previous_regime"};
        for (unsigned i = 0; i < std::size(kKeys); ++i)
            if (k == kKeys[i])
                return 1u << i;
        return 0;
    }

    static bool isKnownMetadataKey(std::string_view k)
    {
        return k == "strategy_name" || k == "classifier_name" || k == "strategy_type" || k == "classifier_type"
            || k == "symbol" || k == "timeframe" || k == "run" || k == "variant" || k == "total_bars"
            || k == "signal_changes" || k == "regime_changes" || k == "compression_ratio" || k == "created_at"
            || k == "file_hash" || k == "format_version";
    }

    static bool optionalText(const Value& v, std::optional<std::string>& out)
    {
        if (v.type == Value::Type::Null) {
            out.reset();
            return true;
        }
        if (v.type != Value::Type::String)
            return false;
        out = std::string(v.text);
        return true;
    }

    bool setName(const Value& v, Kind kind)
    {
        if (v.type != Value::Type::String || (m_kindKnown && m_trace->identity.kind != kind))
            return false;
        m_trace->identity.kind = kind;
        m_trace->identity.name = std::string(v.text);
        m_kindKnown = true;
        return true;
    }

    bool metadataScalar(std::string_view k, const Value& v)
    {
        Trace& t = *m_trace;
        if (k == "strategy_name")
            return setName(v, Kind::Signal);
        if (k == "classifier_name")
            return setName(v, Kind::Classifier);
        if (k == "strategy_type" || k == "classifier_type") {
            if (v.type == Value::Type::Null)
                t.type.clear();
            else if (v.type == Value::Type::String)
                t.type = std::string(v.text);
            else
                return false;
            return true;
        }
        if (k == "parameters")
            return v.type == Value::Type::Null;
        if (k == "symbol")
            return optionalText(v, t.identity.symbol);
        if (k == "timeframe")
            return optionalText(v, t.identity.timeframe);
        if (k == "run")
            return optionalText(v, t.identity.run);
        if (k == "variant") {
            std::int64_t n = 0;
            if (v.type == Value::Type::Null)
                t.identity.variant.reset();
            else if (asInt(v, n))
                t.identity.variant = n;
            else
                return false;
            return true;
        }
        if (k == "total_bars") {
            std::int64_t n = 0;
            if (asInt(v, n))
                t.metadata.totalBars = n;
            else if (v.type != Value::Type::Null)
                return false; // fractional forms are left to the SAX reader
            return true;
        }
        if (k == "signal_changes" || k == "regime_changes") {
            std::int64_t n = 0;
            if (asInt(v, n) && n > 0)
                m_declaredChanges = static_cast<std::uint64_t>(n); // a hint for reserve(), never trusted
            return true; // recomputed on write
        }
        if (k == "compression_ratio")
            return true; // recomputed on write
        if (k == "created_at" || k == "file_hash") {
            std::string& target = k == "created_at" ? t.metadata.createdAt : t.metadata.storedHash;
            if (v.type == Value::Type::String)
                target = std::string(v.text);
            else if (v.type != Value::Type::Null)
                return false;
            return true;
        }
        if (k == "format_version") {
            std::int64_t n = 0;
            if (!asInt(v, n) || n < 0 || n > 1000)
                return false;
            t.metadata.formatVersion = static_cast<int>(n);
            m_sawFormatVersion = true;
            return true;
        }
        return false; // unknown keys are captured by the caller
    }

    bool parseMetadata()
    {
        ++m_p; // '{'
        ws();
        if (m_p < m_end && *m_p == '}') {
            ++m_p;
            return true;
        }
        std::string key;
        std::unordered_set<std::string> keys;
        for (;;) {
            std::string_view k;
            if (!readKey(m_keyBuf, k) || !keys.emplace(k).second || !consume(':'))
                return false;
            key.assign(k);
            ws();
            if (m_p >= m_end)
                return false;
            const char c = *m_p;
            if (key == "parameters" && c == '{') {
                std::string text;
                if (!value(&text, 1))
                    return false;
                try {
                    m_trace->identity.parameters = Parameters::fromJson(text);
                } catch (...) {
                    return false;
                }
            } else if (isKnownMetadataKey(key) || key == "parameters") {
                Value v;
                if (c == '{' || c == '[' || !readScalar(v, m_valBuf) || !metadataScalar(key, v))
                    return false;
            } else {
                std::string text;
                if (!value(&text, 1))
                    return false;
                m_trace->metadata.extras.emplace_back(std::move(key), std::move(text));
                key = std::string();
            }
            const Next n = next('}');
            if (n == Next::More)
                continue;
            if (n == Next::Bad)
                return false;
            return true;
        }
    }

    bool parseChanges()
    {
        ++m_p; // '['
        ws();
        if (m_p < m_end && *m_p == ']') {
            ++m_p;
            return true;
        }
        // Reserve what the metadata declares, capped by what the rest of the text can hold (a
        // change takes at least 40 bytes), so the columns never grow by copying nor shrink at the end.
        if (m_declaredChanges > 0)
            m_trace->reserve(static_cast<std::size_t>(
                std::min<std::uint64_t>(m_declaredChanges, static_cast<std::uint64_t>(m_end - m_p) / 40 + 1)));
        for (;;) {
            ws();
            // Changes before the metadata (kind unknown) are left to the SAX reader.
            if (m_p >= m_end || *m_p != '{' || !m_kindKnown || !parseChange())
                return false;
            const Next n = next(']');
            if (n == Next::More)
                continue;
            if (n == Next::Bad)
                return false;
            return true;
        }
    }

    // "YYYY-MM-DD[T ]HH:MM:SS[.f{1,6}][Z|+HH:MM|-HH:MM]" that formatIsoTime writes back
    // unchanged; anything else (even if parseIsoTime takes it) goes the text way.
    bool fastTime(std::string_view s, std::int64_t& utc, TimeFormat& f)
    {
        const std::size_t n = s.size();
        const char* c = s.data();
        if (n < 19 || c[4] != '-' || c[7] != '-' || (c[10] != 'T' && c[10] != ' ') || c[13] != ':' || c[16] != ':')
            return false;
        for (const int i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18})
            if (!isDigit(c[i]))
                return false;
        const int hour = twoDigits(c + 11), minute = twoDigits(c + 14), second = twoDigits(c + 17);
        if (hour > 23 || minute > 59 || second > 59)
            return false;
        std::size_t pos = 19;
        std::int64_t micros = 0;
        int digits = 0;
        if (pos < n && c[pos] == '.') {
            ++pos;
            while (pos < n && isDigit(c[pos])) {
                if (digits == 6)
                    return false;
                micros = micros * 10 + (c[pos] - '0');
                ++digits;
                ++pos;
            }
            if (digits == 0)
                return false;
            for (int i = digits; i < 6; ++i)
                micros *= 10;
        }
        int offset = 0;
        if (pos == n) {
            f.zone = TimeFormat::Zone::Naive;
        } else if (c[pos] == 'Z' && pos + 1 == n) {
            f.zone = TimeFormat::Zone::Z;
        } else if ((c[pos] == '+' || c[pos] == '-') && pos + 6 == n && c[pos + 3] == ':' && isDigit(c[pos + 1])
                   && isDigit(c[pos + 2]) && isDigit(c[pos + 4]) && isDigit(c[pos + 5])) {
            const int oh = twoDigits(c + pos + 1), om = twoDigits(c + pos + 4);
            if (oh > 23 || om > 59)
                return false;
            offset = (oh * 60 + om) * (c[pos] == '-' ? -1 : 1);
            if (c[pos] == '-' && offset == 0)
                return false; // "-00:00" is written back as "+00:00"
            f.zone = TimeFormat::Zone::Offset;
        } else {
            return false;
        }
        // Consecutive changes mostly share their date.
        if (!m_hasLastDate || std::memcmp(c, m_lastDate, 10) != 0) {
            const int year = (c[0] - '0') * 1000 + (c[1] - '0') * 100 + twoDigits(c + 2);
            const int month = twoDigits(c + 5), day = twoDigits(c + 8);
            if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
                return false;
            std::memcpy(m_lastDate, c, 10);
            m_lastDays = daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
            m_hasLastDate = true;
        }
        f.separator = c[10];
        f.fractionDigits = static_cast<std::uint8_t>(digits);
        f.offsetMinutes = static_cast<std::int16_t>(offset);
        constexpr std::int64_t kMicrosPerDay = 86'400'000'000;
        utc = m_lastDays * kMicrosPerDay + ((hour * 60LL + minute) * 60 + second) * 1'000'000LL + micros
            - offset * 60'000'000LL;
        return true;
    }

    // One change as read so far; appendChange() turns it into a row of the trace.
    struct ChangeFields
    {
        enum class Ts : std::uint8_t { None, Parsed, Text };
        Ts ts = Ts::None;
        std::int64_t utc = kNoTime;
        TimeFormat format;
        std::string_view tsText;
        bool hasIdx = false, hasVal = false, hasRegime = false;
        std::int64_t idx = 0, val = 0;
        std::string_view regime;
        double confidence = 1.0, price = 0.0;
        unsigned seenKeys = 0;
        std::vector<std::string> otherKeys;
    };

    bool parseChange()
    {
        ++m_p; // '{'
        ChangeFields f;
        ws();
        if (m_p < m_end && *m_p == '}') {
            ++m_p;
            return false; // no idx
        }
        for (;;) {
            ws();
            if (m_p >= m_end || *m_p != '"')
                return false;
            std::string_view key;
            if (!readString(m_keyBuf, key) || !consume(':') || !firstTimeSeen(key, f))
                return false;
            ws();
            if (m_p >= m_end || !changeMember(key, f))
                return false;
            const Next n = next('}');
            if (n == Next::More)
                continue;
            if (n == Next::Bad)
                return false;
            break;
        }
        return f.hasIdx && appendChange(f);
    }

    // A repeated key: the SAX reader words the error. Known keys by a bit each, others (rare) by
    // name.
    static bool firstTimeSeen(std::string_view key, ChangeFields& f)
    {
        if (const unsigned bit = changeKeyBit(key)) {
            if (f.seenKeys & bit)
                return false;
            f.seenKeys |= bit;
        } else {
            if (std::find(f.otherKeys.begin(), f.otherKeys.end(), key) != f.otherKeys.end())
                return false;
            f.otherKeys.emplace_back(key);
        }
        return true;
    }

    // The value of one member of a change, at m_p.
    bool changeMember(std::string_view key, ChangeFields& f)
    {
        const char c = *m_p;
        const bool number = c == '-' || isDigit(c);
        Value v;
        if (key == "idx") {
            if (!number || !readNumber(v) || !asInt(v, f.idx))
                return false;
            f.hasIdx = true;
        } else if (key == "ts") {
            return changeTime(c, f);
        } else if (key == "val") {
            if (c == '"') {
                // Legacy classifier dumps carry the regime in val.
                if (!readString(m_regimeBuf, f.regime))
                    return false;
                f.hasRegime = true;
                f.hasVal = false;
            } else {
                if (!number || !readNumber(v) || !asInt(v, f.val) || f.val < std::numeric_limits<std::int32_t>::min()
                    || f.val > std::numeric_limits<std::int32_t>::max())
                    return false;
                f.hasVal = true;
            }
        } else if (key == "regime") {
            if (c != '"' || !readString(m_regimeBuf, f.regime))
                return false;
            f.hasRegime = true;
        } else if (key == "px" || key == "confidence") {
            double& target = key == "px" ? f.price : f.confidence;
            if (number) {
                if (!readNumber(v) || !asDouble(v, target))
                    return false;
            } else if (literal("null")) {
                target = &target == &f.price ? 0.0 : 1.0;
            } else {
                return false;
            }
        } else if (!value(nullptr, 1)) { // sym, strat, previous_regime, anything else: not ours
            return false;
        }
        return true;
    }

    // "ts": a time fastTime() takes is parsed here, any other text is kept for the trace to parse.
    bool changeTime(char c, ChangeFields& f)
    {
        using Ts = ChangeFields::Ts;
        if (c != '"')
            return literal("null");
        std::string_view raw;
        bool escaped = false;
        if (!scanString(raw, escaped))
            return false;
        if (!escaped && fastTime(raw, f.utc, f.format)) {
            f.ts = Ts::Parsed;
            f.tsText = raw;
        } else {
            if (escaped) {
                decodeEscapes(raw, m_tsBuf);
                raw = m_tsBuf;
            }
            f.tsText = raw;
            f.ts = raw.empty() ? Ts::None : Ts::Text;
        }
        return true;
    }

    // A complete change with its idx, as a row of the trace; false when the kind's value is missing.
    bool appendChange(ChangeFields& f)
    {
        using Ts = ChangeFields::Ts;
        // A time in another format than the trace's usual one keeps its text; passing that text
        // (rather than the parsed time) makes the kept copy exactly the one the SAX reader keeps.
        if (f.ts == Ts::Parsed && m_hasUsualFormat && !(f.format == m_usualFormat))
            f.ts = Ts::Text;
        Trace& t = *m_trace;
        const std::int64_t utc = f.ts == Ts::Parsed ? f.utc : kNoTime;
        if (t.identity.kind == Kind::Signal) {
            if (!f.hasVal)
                return false;
            const auto v32 = static_cast<std::int32_t>(f.val);
            if (f.ts == Ts::Text)
                t.appendSignal(f.idx, f.tsText, v32, f.price);
            else
                t.appendSignalAt(f.idx, utc, f.format, v32, f.price);
        } else {
            if (!f.hasRegime)
                return false;
            if (f.ts == Ts::Text)
                t.appendRegime(f.idx, f.tsText, f.regime, f.confidence, f.price);
            else
                t.appendRegimeAt(f.idx, utc, f.format, f.regime, f.confidence, f.price);
        }
        if (!m_hasUsualFormat && t.time(t.size() - 1) != kNoTime) { // the first time sets the usual format
            m_usualFormat = f.ts == Ts::Parsed ? f.format : parseIsoTime(f.tsText)->format;
            m_hasUsualFormat = true;
        }
        return true;
    }

    Trace* m_trace = nullptr;
    bool m_sawMetadata = false;
    bool m_sawChanges = false;
    bool m_kindKnown = false;
    bool m_sawFormatVersion = false;
    std::uint64_t m_declaredChanges = 0; // signal_changes / regime_changes of the metadata
    std::unordered_set<std::string> m_rootKeys;
    std::string m_keyBuf, m_valBuf, m_tsBuf, m_regimeBuf; // decoded escaped strings
    TimeFormat m_usualFormat; // as Trace keeps it: the format of the first change with a time
    bool m_hasUsualFormat = false;
    char m_lastDate[10] = {};
    bool m_hasLastDate = false;
    std::int64_t m_lastDays = 0;
};

} // namespace

bool parseTraceFast(std::string_view json, Trace& out)
{
    try {
        FastParser parser(json);
        return parser.run(out);
    } catch (...) {
        return false; // allocation failure and the like: the SAX reader reports it
    }
}

} // namespace sigscope::core