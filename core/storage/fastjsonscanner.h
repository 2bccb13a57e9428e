#pragma once

// Internal to core/storage: the first stage of the hand-written data file reader
// (fasttraceparser.cpp): a cursor over JSON text that validates and reads strings, numbers,
// literals and whole values exactly as nlohmann::json accepts them, and gives up (false) on
// anything else. Inline, because the reader calls it for every token of millions of changes.

#include "core/util/canonical.h"
#include "core/util/jsonlimits.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_set>

namespace sigscope::core::detail {

// value() recurses: deeper values go to the SAX reader, which refuses them with a message. The
// top-level object and metadata are two levels above a metadata value's own depth 1.
inline constexpr int kMaxDepth = static_cast<int>(kMaxJsonDepth) - 2;

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
inline constexpr auto kStringClass = makeStringClasses();

inline bool isDigit(char c)
{
    return static_cast<unsigned char>(c - '0') < 10;
}

inline int hexValue(char c)
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
inline int hex4(const char* p)
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
inline std::size_t utf8Length(const unsigned char* p, const unsigned char* end)
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

inline void appendUtf8(std::string& out, std::uint32_t cp)
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
inline void decodeEscapes(std::string_view raw, std::string& out)
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
inline bool asInt(const Value& v, std::int64_t& out)
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

inline bool asDouble(const Value& v, double& out)
{
    switch (v.type) {
    case Value::Type::Int: out = static_cast<double>(v.i); return true;
    case Value::Type::UInt: out = static_cast<double>(v.u); return true;
    case Value::Type::Float: out = v.d; return true;
    default: return false;
    }
}

class FastJsonScanner
{
public:
    explicit FastJsonScanner(std::string_view text)
        : m_p(text.data())
        , m_end(text.data() + text.size())
    {
    }

protected:
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

    const char* m_p;
    const char* m_end;

private:
    std::string m_tmp; // decoded escaped strings inside values
};

} // namespace sigscope::core::detail
