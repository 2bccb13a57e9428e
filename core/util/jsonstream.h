#pragma once

// A streaming JSON reader that drives a handler with the callbacks of nlohmann::json::sax_parse
// (null, boolean, number_integer, number_unsigned, number_float, string, key, start_object,
// end_object, start_array, end_array), reading a file descriptor in chunks so that memory stays
// at one buffer plus the longest token, whatever the size of the file.
//
// It exists for speed: nlohmann's lexer builds every token one character at a time from the
// stream (about 4x slower on legacy dumps). It is deliberately strict: it accepts only what
// nlohmann accepts with the same events in the same order, and it gives up (SyntaxError) on
// anything it does not handle itself: any syntax error, a byte order mark, a number outside
// the range of a double, nesting deeper than kMaxJsonDepth (depthExceeded() then says so; the
// handlers of the second parse refuse it with their message). The caller then parses the file again with nlohmann, whose messages
// ("line 1, column 3812: unexpected end of input") are the ones users see. Header-only so that
// the handler calls inline; no nlohmann include here.

#include "core/util/jsonlimits.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sigscope::core::jsonstream {

enum class Result : std::uint8_t {
    Ok,          // one whole document, handler accepted every event
    Stopped,     // the handler returned false (its own state says why)
    SyntaxError, // not (or not certainly) valid JSON: parse again with nlohmann for the message
    ReadError,   // read(2) failed; errno kept in Reader::error()
};

class Reader
{
public:
    explicit Reader(int fd, std::size_t chunk = std::size_t{1} << 20)
        : m_fd(fd)
        , m_chunk(chunk)
        , m_cap(chunk + 1)
        , m_buf(std::make_unique_for_overwrite<char[]>(m_cap)) // filled by read(2): no zeroing
    {
    }

    template <class Handler>
    Result parse(Handler& h);

    [[nodiscard]] int error() const { return m_errno; }
    // The parse gave up (SyntaxError) because arrays and objects nest deeper than kMaxJsonDepth.
    [[nodiscard]] bool depthExceeded() const { return m_depthExceeded; }
    // Bytes consumed so far (for tests and progress).
    [[nodiscard]] std::uint64_t offset() const { return m_consumed + m_pos; }

private:
    enum class Lex : std::uint8_t { Ok, Error, Read };

    // The steps of parse(), each at c, the next byte (-1: end of input); nullopt: go on.
    // One value: a scalar goes to the handler; a container is opened (*opened: a member follows).
    template <class Handler>
    std::optional<Result> readValue(Handler& h, int& c, bool& opened);
    // After a value: commas and closers up to the next value or key, or the end of the document.
    template <class Handler>
    std::optional<Result> afterValue(Handler& h, int& c);
    // A key and its colon; c is then the first byte of the member's value.
    template <class Handler>
    std::optional<Result> readKey(Handler& h, int& c);

    static Result lexFailure(Lex r) { return r == Lex::Read ? Result::ReadError : Result::SyntaxError; }
    [[nodiscard]] Result endOfInput() const { return m_readFailed ? Result::ReadError : Result::SyntaxError; }
    // c where something else had to be.
    [[nodiscard]] Result unexpected(int c) const { return c == -1 ? endOfInput() : Result::SyntaxError; }

    // Makes at least one byte available at m_pos unless the input is over. Keeps the bytes from
    // `keep` (<= m_pos) on: they are moved to the front of the buffer and `keep` is updated.
    bool fill(std::size_t& keep)
    {
        if (m_eof)
            return false;
        if (keep > 0) {
            std::memmove(m_buf.get(), m_buf.get() + keep, m_end - keep);
            m_consumed += keep;
            m_end -= keep;
            m_pos -= keep;
            keep = 0;
        }
        if (m_cap - 1 - m_end < std::max<std::size_t>(m_chunk / 2, 1)) { // a long token: grow
            const std::size_t cap = std::max(m_cap * 2, m_end + m_chunk + 1);
            auto grown = std::make_unique_for_overwrite<char[]>(cap);
            std::memcpy(grown.get(), m_buf.get(), m_end);
            m_buf = std::move(grown);
            m_cap = cap;
        }
        for (;;) {
            const ssize_t n = ::read(m_fd, m_buf.get() + m_end, m_cap - 1 - m_end);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                m_errno = errno;
                m_readFailed = true;
                m_eof = true;
                return false;
            }
            if (n == 0) {
                m_eof = true;
                return false;
            }
            m_end += static_cast<std::size_t>(n);
            return true;
        }
    }
    bool more()
    {
        std::size_t keep = m_pos;
        return fill(keep);
    }
    // Current byte, or -1 at the end of input (after skipping nothing).
    int peek()
    {
        if (m_pos == m_end && !more())
            return -1;
        return static_cast<unsigned char>(m_buf[m_pos]);
    }
    int skipSpace()
    {
        for (;;) {
            while (m_pos < m_end) {
                const char c = m_buf[m_pos];
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
                    return static_cast<unsigned char>(c);
                ++m_pos;
            }
            if (!more())
                return -1;
        }
    }

    Lex literal(const char* word, std::size_t length)
    {
        std::size_t start = m_pos;
        while (m_end - start < length) {
            if (!fill(start))
                return m_readFailed ? Lex::Read : Lex::Error;
        }
        if (std::memcmp(m_buf.get() + start, word, length) != 0)
            return Lex::Error;
        m_pos = start + length;
        return Lex::Ok;
    }

    // Bytes a string copies as they are: printable ASCII but the quote and the backslash.
    static constexpr std::array<bool, 256> kPlain = [] {
        std::array<bool, 256> table{};
        for (unsigned c = 0x20; c < 0x80; ++c)
            table[c] = c != '"' && c != '\\';
        return table;
    }();
    static bool plainByte(unsigned char c) { return kPlain[c]; }

    // A string from the opening quote at m_pos into m_text (decoded, UTF-8 checked).
    Lex lexString()
    {
        std::size_t start = m_pos + 1; // after the quote
        std::size_t i = start;
        m_text.clear();
        for (;;) {
            while (i < m_end && plainByte(static_cast<unsigned char>(m_buf[i])))
                ++i;
            if (i == m_end) {
                m_text.append(m_buf.get() + start, i - start);
                m_pos = i;
                if (!more())
                    return m_readFailed ? Lex::Read : Lex::Error;
                start = i = m_pos;
                continue;
            }
            const auto c = static_cast<unsigned char>(m_buf[i]);
            if (c == '"') {
                m_text.append(m_buf.get() + start, i - start);
                m_pos = i + 1;
                return Lex::Ok;
            }
            m_text.append(m_buf.get() + start, i - start);
            m_pos = i;
            const Lex r = c == '\\' ? lexEscape() : c < 0x20 ? Lex::Error : lexUtf8();
            if (r != Lex::Ok)
                return r;
            start = i = m_pos;
        }
    }
    // A key: a view into the buffer when it needs no decoding and lies in it whole (the common
    // case: no copy), else decoded into m_text. Valid until the reader moves on.
    Lex lexKey(std::string_view& out)
    {
        std::size_t i = m_pos + 1;
        while (i < m_end && plainByte(static_cast<unsigned char>(m_buf[i])))
            ++i;
        if (i < m_end && m_buf[i] == '"') {
            out = std::string_view(m_buf.get() + m_pos + 1, i - m_pos - 1);
            m_pos = i + 1;
            return Lex::Ok;
        }
        const Lex r = lexString();
        out = m_text;
        return r;
    }

    // Makes n bytes available from m_pos (a multi-byte sequence or an escape).
    Lex need(std::size_t n)
    {
        while (m_end - m_pos < n) {
            std::size_t keep = m_pos;
            if (!fill(keep))
                return m_readFailed ? Lex::Read : Lex::Error;
        }
        return Lex::Ok;
    }
    Lex lexUtf8()
    {
        const auto b0 = static_cast<unsigned char>(m_buf[m_pos]);
        std::size_t n = 0;
        unsigned char lo = 0x80, hi = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF)
            n = 2;
        else if (b0 >= 0xE0 && b0 <= 0xEF) {
            n = 3;
            if (b0 == 0xE0)
                lo = 0xA0;
            else if (b0 == 0xED)
                hi = 0x9F;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            n = 4;
            if (b0 == 0xF0)
                lo = 0x90;
            else if (b0 == 0xF4)
                hi = 0x8F;
        } else {
            return Lex::Error;
        }
        if (const Lex r = need(n); r != Lex::Ok)
            return r;
        const auto* p = reinterpret_cast<const unsigned char*>(m_buf.get() + m_pos);
        if (p[1] < lo || p[1] > hi)
            return Lex::Error;
        for (std::size_t k = 2; k < n; ++k)
            if (p[k] < 0x80 || p[k] > 0xBF)
                return Lex::Error;
        m_text.append(m_buf.get() + m_pos, n);
        m_pos += n;
        return Lex::Ok;
    }
    bool hex4(std::size_t at, unsigned& out) const
    {
        out = 0;
        for (std::size_t k = 0; k < 4; ++k) {
            const char c = m_buf[at + k];
            out <<= 4;
            if (c >= '0' && c <= '9')
                out |= static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f')
                out |= static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                out |= static_cast<unsigned>(c - 'A' + 10);
            else
                return false;
        }
        return true;
    }
    Lex lexEscape()
    {
        if (const Lex r = need(2); r != Lex::Ok)
            return r;
        const char e = m_buf[m_pos + 1];
        char plain = 0;
        switch (e) {
        case '"': plain = '"'; break;
        case '\\': plain = '\\'; break;
        case '/': plain = '/'; break;
        case 'b': plain = '\b'; break;
        case 'f': plain = '\f'; break;
        case 'n': plain = '\n'; break;
        case 'r': plain = '\r'; break;
        case 't': plain = '\t'; break;
        case 'u': break;
        default: return Lex::Error;
        }
        if (plain) {
            m_text.push_back(plain);
            m_pos += 2;
            return Lex::Ok;
        }
        if (const Lex r = need(6); r != Lex::Ok)
            return r;
        unsigned cp = 0;
        if (!hex4(m_pos + 2, cp))
            return Lex::Error;
        std::size_t used = 6;
        if (cp >= 0xDC00 && cp <= 0xDFFF)
            return Lex::Error;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (const Lex r = need(12); r != Lex::Ok)
                return r;
            unsigned low = 0;
            if (m_buf[m_pos + 6] != '\\' || m_buf[m_pos + 7] != 'u' || !hex4(m_pos + 8, low) || low < 0xDC00 || low > 0xDFFF)
                return Lex::Error;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            used = 12;
        }
        if (cp < 0x80) {
            m_text.push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
            m_text.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            m_text.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            m_text.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            m_text.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            m_text.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
            m_text.push_back(static_cast<char>(0xF0 | (cp >> 18)));
            m_text.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
            m_text.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            m_text.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
        m_pos += used;
        return Lex::Ok;
    }

    static constexpr bool numberByte(char c)
    {
        return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
    }

    // A number at m_pos: validated against the JSON grammar, then delivered as nlohmann would
    // (unsigned when non-negative and in range, integer when negative and in range, else float).
    template <class Handler>
    Lex lexNumber(Handler& h, bool& accepted)
    {
        std::size_t start = m_pos;
        std::size_t i = m_pos;
        for (;;) {
            while (i < m_end && numberByte(m_buf[i]))
                ++i;
            if (i < m_end)
                break;
            const std::size_t offsetInToken = i - start;
            m_pos = i;
            if (!fill(start)) {
                if (m_readFailed)
                    return Lex::Read;
                i = start + offsetInToken;
                break;
            }
            i = start + offsetInToken;
        }
        const char* const b = m_buf.get() + start;
        const char* const e = m_buf.get() + i;
        // Grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
        const char* p = b;
        const bool negative = p < e && *p == '-';
        if (negative)
            ++p;
        if (p == e || *p < '0' || *p > '9')
            return Lex::Error;
        if (*p == '0')
            ++p;
        else
            while (p < e && *p >= '0' && *p <= '9')
                ++p;
        bool isFloat = false;
        if (p < e && *p == '.') {
            isFloat = true;
            ++p;
            if (p == e || *p < '0' || *p > '9')
                return Lex::Error;
            while (p < e && *p >= '0' && *p <= '9')
                ++p;
        }
        if (p < e && (*p == 'e' || *p == 'E')) {
            isFloat = true;
            ++p;
            if (p < e && (*p == '+' || *p == '-'))
                ++p;
            if (p == e || *p < '0' || *p > '9')
                return Lex::Error;
            while (p < e && *p >= '0' && *p <= '9')
                ++p;
        }
        if (p != e)
            return Lex::Error; // e.g. "1-2": nlohmann stops at another place; let it say where
        m_pos = i;
        if (!isFloat && e - b <= 18) { // at most 18 digits: no overflow, the common case
            std::int64_t v = 0;
            for (const char* q = negative ? b + 1 : b; q < e; ++q)
                v = v * 10 + (*q - '0');
            accepted = negative ? h.number_integer(-v) : h.number_unsigned(static_cast<std::uint64_t>(v));
            return Lex::Ok;
        }
        if (!isFloat) {
            if (negative) {
                std::int64_t v = 0;
                if (const auto r = std::from_chars(b, e, v); r.ec == std::errc() && r.ptr == e) {
                    accepted = h.number_integer(v);
                    return Lex::Ok;
                }
            } else {
                std::uint64_t v = 0;
                if (const auto r = std::from_chars(b, e, v); r.ec == std::errc() && r.ptr == e) {
                    accepted = h.number_unsigned(v);
                    return Lex::Ok;
                }
            }
            // Out of range of 64 bits: nlohmann makes it a float.
        }
        double d = 0.0;
        const auto r = std::from_chars(b, e, d);
        if (r.ec != std::errc() || r.ptr != e || !std::isfinite(d))
            return Lex::Error; // overflow/underflow: nlohmann's own rules and message
        m_text.assign(b, e);
        accepted = h.number_float(d, m_text);
        return Lex::Ok;
    }

    int m_fd;
    std::size_t m_chunk;
    std::size_t m_cap;
    std::unique_ptr<char[]> m_buf;
    std::string m_text;
    std::vector<bool> m_stack; // true: object
    std::size_t m_pos = 0;
    std::size_t m_end = 0;
    std::uint64_t m_consumed = 0;
    bool m_eof = false;
    bool m_readFailed = false;
    bool m_depthExceeded = false;
    int m_errno = 0;
};

template <class Handler>
Result Reader::parse(Handler& h)
{
    int c = skipSpace();
    if (c == -1)
        return endOfInput();
    m_stack.clear();
    m_depthExceeded = false;
    // The loop reads one value, then what follows it (a comma, a closer, or the end).
    for (;;) {
        bool opened = false;
        if (const auto r = readValue(h, c, opened))
            return *r;
        if (opened) {
            if (!m_stack.back())
                continue; // c is the array's first value
        } else {
            if (const auto r = afterValue(h, c))
                return *r;
            if (!m_stack.back())
                continue; // next array value
        }
        // An object's member: c must start its key.
        if (c != '"')
            return unexpected(c);
        if (const auto r = readKey(h, c))
            return *r;
    }
}

template <class Handler>
std::optional<Result> Reader::readValue(Handler& h, int& c, bool& opened)
{
    constexpr auto unknownSize = static_cast<std::size_t>(-1);
    bool accepted = true;
    switch (c) {
    case '{':
    case '[': {
        const bool object = c == '{';
        if (m_stack.size() >= kMaxJsonDepth) {
            m_depthExceeded = true;
            return Result::SyntaxError;
        }
        ++m_pos;
        if (!(object ? h.start_object(unknownSize) : h.start_array(unknownSize)))
            return Result::Stopped;
        c = skipSpace();
        if (c == (object ? '}' : ']')) {
            ++m_pos;
            accepted = object ? h.end_object() : h.end_array();
        } else {
            m_stack.push_back(object);
            opened = true;
        }
        break;
    }
    case '"':
        if (const Lex r = lexString(); r != Lex::Ok)
            return lexFailure(r);
        accepted = h.string(m_text);
        break;
    case 't':
        if (const Lex r = literal("true", 4); r != Lex::Ok)
            return lexFailure(r);
        accepted = h.boolean(true);
        break;
    case 'f':
        if (const Lex r = literal("false", 5); r != Lex::Ok)
            return lexFailure(r);
        accepted = h.boolean(false);
        break;
    case 'n':
        if (const Lex r = literal("null", 4); r != Lex::Ok)
            return lexFailure(r);
        accepted = h.null();
        break;
    default:
        if (c == '-' || (c >= '0' && c <= '9')) {
            if (const Lex r = lexNumber(h, accepted); r != Lex::Ok)
                return lexFailure(r);
            break;
        }
        return unexpected(c);
    }
    if (!accepted)
        return Result::Stopped;
    return std::nullopt;
}

template <class Handler>
std::optional<Result> Reader::afterValue(Handler& h, int& c)
{
    for (;;) {
        c = skipSpace();
        if (m_stack.empty()) {
            if (c == -1)
                return m_readFailed ? Result::ReadError : Result::Ok;
            return Result::SyntaxError; // text after the document
        }
        const bool object = m_stack.back();
        if (c == ',') {
            ++m_pos;
            c = skipSpace();
            return std::nullopt;
        }
        if (c == (object ? '}' : ']')) {
            ++m_pos;
            m_stack.pop_back();
            if (!(object ? h.end_object() : h.end_array()))
                return Result::Stopped;
            continue;
        }
        return unexpected(c);
    }
}

template <class Handler>
std::optional<Result> Reader::readKey(Handler& h, int& c)
{
    // Handlers with key_view(std::string_view) get the key without a copy.
    if constexpr (requires(Handler& x, std::string_view v) { x.key_view(v); }) {
        std::string_view k;
        if (const Lex r = lexKey(k); r != Lex::Ok)
            return lexFailure(r);
        if (!h.key_view(k))
            return Result::Stopped;
    } else {
        if (const Lex r = lexString(); r != Lex::Ok)
            return lexFailure(r);
        if (!h.key(m_text))
            return Result::Stopped;
    }
    c = skipSpace();
    if (c != ':')
        return unexpected(c);
    ++m_pos;
    c = skipSpace();
    return std::nullopt;
}

} // namespace sigscope::core::jsonstream
