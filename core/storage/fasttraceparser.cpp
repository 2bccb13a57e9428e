#include "core/storage/fasttraceparser.h"

#include "core/util/canonical.h"
#include "core/util/jsonlimits.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
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

// value() recurses: deeper values go to the SAX reader, which refuses them with a message. The
// top-level object and metadata are two levels above a metadata value's own depth 1.
constexpr int kMaxDepth = static_cast<int>(kMaxJsonDepth) - 2;

// Byte classes inside a JSON string.
enum : std::uint8_t { kPlain = 0, kQuote, kBackslash, kControl, kHigh };

constexpr std::array<std::uint8_t, 256> makeStringClasses()
{
    std::array<std::uint8_t, 256> t{};
    for (int i = 0; i < 0x20; ++i)
        t[i] = kControl;
    t['"'] = kQuote;
    t['\\'] = kBackslash;
    for (int i = 0x80; i < 0x100; ++i)
        t[i] = kHigh;
    return t;
}
constexpr auto kStringClass = makeStringClasses();

bool isDigit(char c)
{
    return static_cast<unsigned char>(c - '0') < 10;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Four hex digits at p (caller checked the length); -1 when not hex.
int hex4(const char* p)
{
    int v = 0;
    for (int i = 0; i < 4; ++i) {
        const int h = hexValue(p[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

// Length of the well-formed UTF-8 sequence at p (RFC 3629, as nlohmann checks it), 0 if none.
std::size_t utf8Length(const unsigned char* p, const unsigned char* end)
{
    const unsigned c = p[0];
    auto cont = [&](std::size_t i, unsigned lo, unsigned hi) {
        return p + i < end && p[i] >= lo && p[i] <= hi;
    };
    if (c >= 0xC2 && c <= 0xDF)
        return cont(1, 0x80, 0xBF) ? 2 : 0;
    if (c == 0xE0)
        return cont(1, 0xA0, 0xBF) && cont(2, 0x80, 0xBF) ? 3 : 0;
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
        return cont(1, 0x80, 0xBF) && cont(2, 0x80, 0xBF) ? 3 : 0;
    if (c == 0xED)
        return cont(1, 0x80, 0x9F) && cont(2, 0x80, 0xBF) ? 3 : 0;
    if (c == 0xF0)
        return cont(1, 0x90, 0xBF) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3)
        return cont(1, 0x80, 0xBF) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
    if (c == 0xF4)
        return cont(1, 0x80, 0x8F) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
    return 0;
}

void appendUtf8(std::string& out, std::uint32_t cp)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

// Decodes the body of a string that scanString() already validated.
void decodeEscapes(std::string_view raw, std::string& out)
{
    out.clear();
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c != '\\') {
            out.push_back(c);
            continue;
        }
        const char e = raw[++i];
        switch (e) {
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
            auto cp = static_cast<std::uint32_t>(hex4(raw.data() + i + 1));
            i += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                const auto lo = static_cast<std::uint32_t>(hex4(raw.data() + i + 3));
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            }
            appendUtf8(out, cp);
            break;
        }
        default: out.push_back(e); break; // " \ /
        }
    }
}

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

struct Value
{
    enum class Type : std::uint8_t { Null, Bool, Int, UInt, Float, String };
    Type type = Type::Null;
    bool b = false;
    std::int64_t i = 0;
    std::uint64_t u = 0;
    double d = 0.0;
    std::string_view text; // decoded string, or the number as written
};

// An Int/UInt value as int64 (the SAX reader's asInt); false otherwise.
bool asInt(const Value& v, std::int64_t& out)
{
    if (v.type == Value::Type::Int) {
        out = v.i;
        return true;
    }
    if (v.type == Value::Type::UInt && v.u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        out = static_cast<std::int64_t>(v.u);
        return true;
    }
    return false;
}

bool asDouble(const Value& v, double& out)
{
    switch (v.type) {
    case Value::Type::Int: out = static_cast<double>(v.i); return true;
    case Value::Type::UInt: out = static_cast<double>(v.u); return true;
    case Value::Type::Float: out = v.d; return true;
    default: return false;
    }
}

class FastParser
{
public:
    explicit FastParser(std::string_view text)
        : m_p(text.data())
        , m_end(text.data() + text.size())
    {
    }

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
    void ws()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
            ++m_p;
    }

    bool consume(char c)
    {
        ws();
        if (m_p < m_end && *m_p == c) {
            ++m_p;
            return true;
        }
        return false;
    }

    // After a member or element: ',' (more follow) or the container's closer (done).
    enum class Next : std::uint8_t { More, Done, Bad };
    Next next(char closer)
    {
        ws();
        if (m_p < m_end && (*m_p == ',' || *m_p == closer))
            return *m_p++ == ',' ? Next::More : Next::Done;
        return Next::Bad;
    }

    bool literal(std::string_view word)
    {
        if (static_cast<std::size_t>(m_end - m_p) < word.size() || std::memcmp(m_p, word.data(), word.size()) != 0)
            return false;
        m_p += word.size();
        return true;
    }

    // At an opening quote: validates the string (escapes, UTF-8, no raw control bytes) and
    // returns its body as written.
    bool scanString(std::string_view& raw, bool& escaped)
    {
        ++m_p;
        const char* start = m_p;
        escaped = false;
        while (m_p < m_end) {
            switch (kStringClass[static_cast<unsigned char>(*m_p)]) {
            case kPlain: ++m_p; break;
            case kQuote:
                raw = std::string_view(start, static_cast<std::size_t>(m_p - start));
                ++m_p;
                return true;
            case kBackslash: {
                escaped = true;
                if (m_end - m_p < 2)
                    return false;
                const char e = m_p[1];
                if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
                    m_p += 2;
                    break;
                }
                if (e != 'u' || m_end - m_p < 6)
                    return false;
                const int cp = hex4(m_p + 2);
                if (cp < 0 || (cp >= 0xDC00 && cp <= 0xDFFF))
                    return false;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (m_end - m_p < 12 || m_p[6] != '\\' || m_p[7] != 'u')
                        return false;
                    const int lo = hex4(m_p + 8);
                    if (lo < 0xDC00 || lo > 0xDFFF)
                        return false;
                    m_p += 12;
                } else {
                    m_p += 6;
                }
                break;
            }
            case kHigh: {
                const std::size_t n = utf8Length(reinterpret_cast<const unsigned char*>(m_p),
                                                 reinterpret_cast<const unsigned char*>(m_end));
                if (n == 0)
                    return false;
                m_p += n;
                break;
            }
            default: return false; // raw control character
            }
        }
        return false;
    }

    // A string's decoded text; points into the input unless it had escapes (then into scratch).
    bool readString(std::string& scratch, std::string_view& out)
    {
        std::string_view raw;
        bool escaped = false;
        if (!scanString(raw, escaped))
            return false;
        if (escaped) {
            decodeEscapes(raw, scratch);
            out = scratch;
        } else {
            out = raw;
        }
        return true;
    }

    bool readKey(std::string& scratch, std::string_view& out)
    {
        ws();
        return m_p < m_end && *m_p == '"' && readString(scratch, out);
    }

    // At '-' or a digit: a JSON number, typed as nlohmann types it (integers that do not fit
    // 64 bits become floats; floats that overflow are an error there too).
    bool readNumber(Value& v)
    {
        const char* start = m_p;
        bool negative = false;
        bool isFloat = false;
        if (*m_p == '-') {
            negative = true;
            ++m_p;
        }
        if (m_p >= m_end)
            return false;
        if (*m_p == '0') {
            ++m_p;
        } else if (*m_p >= '1' && *m_p <= '9') {
            while (m_p < m_end && isDigit(*m_p))
                ++m_p;
        } else {
            return false;
        }
        if (m_p < m_end && *m_p == '.') {
            isFloat = true;
            ++m_p;
            if (m_p >= m_end || !isDigit(*m_p))
                return false;
            while (m_p < m_end && isDigit(*m_p))
                ++m_p;
        }
        if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
            isFloat = true;
            ++m_p;
            if (m_p < m_end && (*m_p == '+' || *m_p == '-'))
                ++m_p;
            if (m_p >= m_end || !isDigit(*m_p))
                return false;
            while (m_p < m_end && isDigit(*m_p))
                ++m_p;
        }
        v.text = std::string_view(start, static_cast<std::size_t>(m_p - start));
        if (!isFloat) {
            if (negative) {
                const auto r = std::from_chars(start, m_p, v.i);
                if (r.ec == std::errc() && r.ptr == m_p) {
                    v.type = Value::Type::Int;
                    return true;
                }
            } else {
                const auto r = std::from_chars(start, m_p, v.u);
                if (r.ec == std::errc() && r.ptr == m_p) {
                    v.type = Value::Type::UInt;
                    return true;
                }
            }
        }
        const auto r = std::from_chars(start, m_p, v.d);
        if (r.ec != std::errc() || r.ptr != m_p || !std::isfinite(v.d))
            return false;
        v.type = Value::Type::Float;
        return true;
    }

    // A scalar at m_p (after whitespace); false on containers and anything invalid.
    bool readScalar(Value& v, std::string& scratch)
    {
        if (m_p >= m_end)
            return false;
        switch (*m_p) {
        case '"': v.type = Value::Type::String; return readString(scratch, v.text);
        case 't': v.type = Value::Type::Bool; v.b = true; return literal("true");
        case 'f': v.type = Value::Type::Bool; v.b = false; return literal("false");
        case 'n': v.type = Value::Type::Null; return literal("null");
        default:
            if (*m_p == '-' || isDigit(*m_p))
                return readNumber(v);
            return false;
        }
    }

    // Any value at m_p, validated; appended as compact JSON to out (the SAX reader's RawCapture
    // form: strings re-escaped canonically, integers by value, floats as written) unless null.
    bool value(std::string* out, int depth)
    {
        ws();
        if (m_p >= m_end || depth > kMaxDepth)
            return false;
        const char c = *m_p;
        if (c == '{' || c == '[') {
            const bool object = c == '{';
            const char closer = object ? '}' : ']';
            ++m_p;
            if (out)
                out->push_back(c);
            ws();
            if (m_p < m_end && *m_p == closer) {
                ++m_p;
                if (out)
                    out->push_back(closer);
                return true;
            }
            std::unordered_set<std::string> keys; // repeated keys: the SAX reader says so
            for (;;) {
                if (object) {
                    ws();
                    if (m_p >= m_end || *m_p != '"')
                        return false;
                    std::string_view key;
                    if (!readString(m_tmp, key) || !keys.emplace(key).second)
                        return false;
                    if (out) {
                        canonical::appendString(*out, key);
                        out->push_back(':');
                    }
                    if (!consume(':'))
                        return false;
                }
                if (!value(out, depth + 1))
                    return false;
                const Next n = next(closer);
                if (n == Next::Bad)
                    return false;
                if (out)
                    out->push_back(n == Next::More ? ',' : closer);
                if (n == Next::Done)
                    return true;
            }
        }
        if (!out) {
            if (c == '"') {
                std::string_view raw;
                bool escaped = false;
                return scanString(raw, escaped);
            }
            Value v;
            return readScalar(v, m_tmp);
        }
        Value v;
        if (!readScalar(v, m_tmp))
            return false;
        switch (v.type) {
        case Value::Type::Null: *out += "null"; break;
        case Value::Type::Bool: *out += v.b ? "true" : "false"; break;
        case Value::Type::Int: *out += std::to_string(v.i); break;
        case Value::Type::UInt: *out += std::to_string(v.u); break;
        case Value::Type::Float: *out += v.text; break;
        case Value::Type::String: canonical::appendString(*out, v.text); break;
        }
        return true;
    }

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
        if (k == "signal_changes" || k == "regime_changes" || k == "compression_ratio")
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

    bool parseChange()
    {
        ++m_p; // '{'
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
            if (!readString(m_keyBuf, key) || !consume(':'))
                return false;
            // A repeated key: the SAX reader words the error. Known keys by a bit each, others
            // (rare) by name.
            if (const unsigned bit = changeKeyBit(key)) {
                if (seenKeys & bit)
                    return false;
                seenKeys |= bit;
            } else {
                if (std::find(otherKeys.begin(), otherKeys.end(), key) != otherKeys.end())
                    return false;
                otherKeys.emplace_back(key);
            }
            ws();
            if (m_p >= m_end)
                return false;
            const char c = *m_p;
            const bool number = c == '-' || isDigit(c);
            Value v;
            if (key == "idx") {
                if (!number || !readNumber(v) || !asInt(v, idx))
                    return false;
                hasIdx = true;
            } else if (key == "ts") {
                if (c == '"') {
                    std::string_view raw;
                    bool escaped = false;
                    if (!scanString(raw, escaped))
                        return false;
                    if (!escaped && fastTime(raw, utc, format)) {
                        ts = Ts::Parsed;
                        tsText = raw;
                    } else {
                        if (escaped) {
                            decodeEscapes(raw, m_tsBuf);
                            raw = m_tsBuf;
                        }
                        tsText = raw;
                        ts = raw.empty() ? Ts::None : Ts::Text;
                    }
                } else if (!literal("null")) {
                    return false;
                }
            } else if (key == "val") {
                if (c == '"') {
                    // Legacy classifier dumps carry the regime in val.
                    if (!readString(m_regimeBuf, regime))
                        return false;
                    hasRegime = true;
                    hasVal = false;
                } else {
                    if (!number || !readNumber(v) || !asInt(v, val) || val < std::numeric_limits<std::int32_t>::min()
                        || val > std::numeric_limits<std::int32_t>::max())
                        return false;
                    hasVal = true;
                }
            } else if (key == "regime") {
                if (c != '"' || !readString(m_regimeBuf, regime))
                    return false;
                hasRegime = true;
            } else if (key == "px" || key == "confidence") {
                double& target = key == "px" ? price : confidence;
                if (number) {
                    if (!readNumber(v) || !asDouble(v, target))
                        return false;
                } else if (literal("null")) {
                    target = &target == &price ? 0.0 : 1.0;
                } else {
                    return false;
                }
            } else if (!value(nullptr, 1)) { // sym, strat, previous_regime, anything else: not ours
                return false;
            }
            const Next n = next('}');
            if (n == Next::More)
                continue;
            if (n == Next::Bad)
                return false;
            break;
        }
        if (!hasIdx)
            return false;
        // A time in another format than the trace's usual one keeps its text; passing that text
        // (rather than the parsed time) makes the kept copy exactly the one the SAX reader keeps.
        if (ts == Ts::Parsed && m_hasUsualFormat && !(format == m_usualFormat))
            ts = Ts::Text;
        Trace& t = *m_trace;
        if (t.identity.kind == Kind::Signal) {
            if (!hasVal)
                return false;
            const auto v32 = static_cast<std::int32_t>(val);
            if (ts == Ts::Text)
                t.appendSignal(idx, tsText, v32, price);
            else
                t.appendSignalAt(idx, ts == Ts::Parsed ? utc : kNoTime, format, v32, price);
        } else {
            if (!hasRegime)
                return false;
            if (ts == Ts::Text)
                t.appendRegime(idx, tsText, regime, confidence, price);
            else
                t.appendRegimeAt(idx, ts == Ts::Parsed ? utc : kNoTime, format, regime, confidence, price);
        }
        if (!m_hasUsualFormat && t.time(t.size() - 1) != kNoTime) { // the first time sets the usual format
            m_usualFormat = ts == Ts::Parsed ? format : parseIsoTime(tsText)->format;
            m_hasUsualFormat = true;
        }
        return true;
    }

    const char* m_p;
    const char* m_end;
    Trace* m_trace = nullptr;
    bool m_sawMetadata = false;
    bool m_sawChanges = false;
    bool m_kindKnown = false;
    bool m_sawFormatVersion = false;
    std::unordered_set<std::string> m_rootKeys;
    std::string m_keyBuf, m_valBuf, m_tmp, m_tsBuf, m_regimeBuf; // decoded escaped strings
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
