#pragma once

// Helpers shared by the tst_json_stream*.cpp tests: a handler that records SAX events as text, the
// streaming reader and nlohmann driven over the same bytes, and generators of valid documents.
#include "core/util/jsonstream.h"

#include <QTemporaryDir>
#include <QTest>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <fcntl.h>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace sigscope::test::jsonstream {

using sigscope::core::jsonstream::Reader;
using sigscope::core::jsonstream::Result;

inline constexpr std::size_t kDefaultChunk = std::size_t{1} << 20;
inline constexpr std::size_t kNoStop = std::numeric_limits<std::size_t>::max();
// Chunk 1 puts every token across a chunk boundary (it once read 0 bytes into a full buffer).
inline const std::vector<std::size_t> kChunks{1, 2, 3, 7, 64, kDefaultChunk};

// Bytes as readable text: printable ASCII as is, a backslash doubled, anything else \xHH.
inline std::string printable(std::string_view bytes)
{
    std::string out;
    for (const char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '\\') {
            out += "\\\\";
        } else if (c >= 0x20 && c < 0x7F) {
            out += ch;
        } else {
            static constexpr char digits[] = "0123456789abcdef";
            out += "\\x";
            out += digits[c >> 4];
            out += digits[c & 0xF];
        }
    }
    return out;
}

// Turns every SAX event into one line of text; returns false at the stopAt-th event.
class Recorder
{
public:
    explicit Recorder(std::size_t stopAt = kNoStop) : m_stopAt(stopAt) {}

    bool null() { return add("null"); }
    bool boolean(bool b) { return add(b ? "b:true" : "b:false"); }
    bool number_integer(std::int64_t v) { return add("i:" + std::to_string(v)); }
    bool number_unsigned(std::uint64_t v) { return add("u:" + std::to_string(v)); }
    bool number_float(double v, const std::string& text)
    {
        char buf[64];
        const auto r = std::to_chars(buf, buf + sizeof buf, v); // shortest exact form, "-0" kept
        return add("f:" + std::string(buf, r.ptr) + '|' + text);
    }
    bool string(std::string& s) { return add("s:" + printable(s)); }
    bool key(std::string& s) { return add("k:" + printable(s)); }
    bool binary(nlohmann::json::binary_t&) { return add("binary"); }
    bool start_object(std::size_t n) { return add(n == std::size_t(-1) ? "{" : "{#" + std::to_string(n)); }
    bool end_object() { return add("}"); }
    bool start_array(std::size_t n) { return add(n == std::size_t(-1) ? "[" : "[#" + std::to_string(n)); }
    bool end_array() { return add("]"); }
    bool parse_error(std::size_t, const std::string&, const nlohmann::json::exception&)
    {
        m_failed = true;
        return false;
    }

    const std::string& log() const { return m_log; }
    std::size_t events() const { return m_events; }
    bool failed() const { return m_failed; }

private:
    bool add(const std::string& event)
    {
        m_log += event;
        m_log += '\n';
        return ++m_events != m_stopAt;
    }

    std::size_t m_stopAt;
    std::string m_log;
    std::size_t m_events = 0;
    bool m_failed = false;
};

struct ReaderRun
{
    Result result = Result::ReadError;
    std::string log;
    std::size_t events = 0;
    std::uint64_t offset = 0;
    int error = -1;
};

struct NlohmannRun
{
    bool accepted = false; // sax_parse returned true
    bool failed = false;   // parse_error was called
    std::string log;
    std::size_t events = 0;
};

// The same events, with keys taken as views into the reader's buffer (the path the legacy and
// trace handlers use).
class ViewRecorder : public Recorder
{
public:
    using Recorder::Recorder;
    bool key_view(std::string_view k)
    {
        std::string copy(k);
        return key(copy);
    }
};

static_assert(requires(ViewRecorder& x, std::string_view v) { x.key_view(v); }, "the reader must see key_view");

template<class Handler>
inline ReaderRun readFdWith(int fd, std::size_t chunk, std::size_t stopAt)
{
    Reader reader(fd, chunk);
    Handler rec(stopAt);
    ReaderRun run;
    run.result = reader.parse(rec);
    run.log = rec.log();
    run.events = rec.events();
    run.offset = reader.offset();
    run.error = reader.error();
    return run;
}

// Reads fd with key(std::string&); when fd can be rewound, reads it again with key_view and
// makes any difference between the two show in the log.
inline ReaderRun readFd(int fd, std::size_t chunk, std::size_t stopAt = kNoStop)
{
    ReaderRun run = readFdWith<Recorder>(fd, chunk, stopAt);
    if (::lseek(fd, 0, SEEK_SET) == 0) {
        const ReaderRun viewed = readFdWith<ViewRecorder>(fd, chunk, stopAt);
        if (viewed.result != run.result || viewed.log != run.log || viewed.offset != run.offset)
            run.log += "\nkey_view read differs:\n" + viewed.log;
    }
    return run;
}

// The bytes in an anonymous in-memory file, read from its start.
inline ReaderRun readBytes(std::string_view bytes, std::size_t chunk, std::size_t stopAt = kNoStop)
{
    const int fd = ::memfd_create("tst_json_stream", MFD_CLOEXEC);
    if (fd < 0)
        qFatal("memfd_create failed: %s", std::strerror(errno));
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n <= 0)
            qFatal("write to memfd failed");
        done += static_cast<std::size_t>(n);
    }
    ::lseek(fd, 0, SEEK_SET);
    ReaderRun run = readFd(fd, chunk, stopAt);
    ::close(fd);
    return run;
}

inline NlohmannRun parseNlohmann(const std::string& bytes, std::size_t stopAt = kNoStop)
{
    Recorder rec(stopAt);
    NlohmannRun run;
    run.accepted = nlohmann::json::sax_parse(bytes, &rec);
    run.failed = rec.failed();
    run.log = rec.log();
    run.events = rec.events();
    return run;
}

inline std::string lines(std::initializer_list<const char*> events)
{
    std::string out;
    for (const char* e : events) {
        out += e;
        out += '\n';
    }
    return out;
}

inline QString q(const std::string& s)
{
    return QString::fromStdString(printable(s));
}

inline const char* name(Result r)
{
    switch (r) {
    case Result::Ok:
        return "Ok";
    case Result::Stopped:
        return "Stopped";
    case Result::SyntaxError:
        return "SyntaxError";
    case Result::ReadError:
        return "ReadError";
    }
    return "?";
}

std::string utf8(std::uint32_t cp)
{
    std::string out;
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return out;
}

// Random valid JSON text with every token kind, escapes, raw UTF-8 and whitespace between
// tokens. Only the raw engine output is used (modulo), so the documents are the same with
// every standard library.
class DocGenerator
{
public:
    explicit DocGenerator(std::uint64_t seed) : m_rng(seed) {}

    std::string document()
    {
        m_out.clear();
        space();
        if (below(8) == 0)
            value(0); // now and then a scalar document
        else
            container(0);
        space();
        return m_out;
    }
    std::uint64_t below(std::uint64_t n) { return m_rng() % n; }

private:
    void space()
    {
        static const char* const ws[] = {"", "", "", "", " ", "\n", "\t", "\r\n", "  \n\t "};
        m_out += ws[below(std::size(ws))];
    }
    void digits(std::size_t count, bool leadingNonZero)
    {
        for (std::size_t i = 0; i < count; ++i)
            m_out += static_cast<char>('0' + (i == 0 && leadingNonZero ? 1 + below(9) : below(10)));
    }
    void integer()
    {
        static const char* const extremes[] = {"0",
                                               "-0",
                                               "9223372036854775807",
                                               "9223372036854775808",
                                               "-9223372036854775808",
                                               "-9223372036854775809",
                                               "18446744073709551615",
                                               "18446744073709551616",
                                               "99999999999999999999999"};
        switch (below(4)) {
        case 0:
            m_out += extremes[below(std::size(extremes))];
            break;
        case 1:
            m_out += std::to_string(m_rng());
            break;
        case 2:
            m_out += std::to_string(static_cast<std::int64_t>(m_rng()));
            break;
        default:
            if (below(2))
                m_out += '-';
            digits(1 + below(4), true);
        }
    }
    void floating()
    {
        if (below(2))
            m_out += '-';
        if (below(3) == 0)
            m_out += '0';
        else
            digits(1 + below(8), true);
        const bool fraction = below(2);
        if (fraction) {
            m_out += '.';
            digits(1 + below(8), false);
        }
        if (!fraction || below(2)) {
            m_out += below(2) ? 'e' : 'E';
            const auto sign = below(3);
            if (sign == 1)
                m_out += '+';
            else if (sign == 2)
                m_out += '-';
            m_out += std::to_string(below(31)); // |exponent| <= 30 (plus mantissa digits): a finite, normal double
        }
    }
    void hex4(std::uint32_t v)
    {
        static constexpr char lower[] = "0123456789abcdef";
        static constexpr char upper[] = "0123456789ABCDEF";
        const char* digitsOf = below(2) ? lower : upper;
        for (int shift = 12; shift >= 0; shift -= 4)
            m_out += digitsOf[(v >> shift) & 0xF];
    }
    std::uint32_t codePoint()
    {
        switch (below(4)) {
        case 0:
            return 0x80 + static_cast<std::uint32_t>(below(0x800 - 0x80));
        case 1: {
            const auto cp = 0x800 + static_cast<std::uint32_t>(below(0x10000 - 0x800));
            return cp >= 0xD800 && cp <= 0xDFFF ? cp + 0x800 : cp;
        }
        case 2:
            return 0x10000 + static_cast<std::uint32_t>(below(0x110000 - 0x10000));
        default:
            return 0x20 + static_cast<std::uint32_t>(below(0x60));
        }
    }
    void string()
    {
        static const char* const escapes[] = {"\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u0000"};
        m_out += '"';
        const auto pieces = below(3) == 0 ? 0 : below(12);
        for (std::uint64_t i = 0; i < pieces; ++i) {
            switch (below(6)) {
            case 0:
                m_out += escapes[below(std::size(escapes))];
                break;
            case 1: {
                const auto cp = codePoint();
                if (cp >= 0x10000) {
                    const auto v = cp - 0x10000;
                    m_out += "\\u";
                    hex4(0xD800 + (v >> 10));
                    m_out += "\\u";
                    hex4(0xDC00 + (v & 0x3FF));
                } else {
                    m_out += "\\u";
                    hex4(cp);
                }
                break;
            }
            case 2: {
                const auto cp = codePoint();
                m_out += cp == '"' || cp == '\\' ? std::string("y") : utf8(cp);
                break;
            }
            default: {
                char c = static_cast<char>(0x20 + below(0x5F)); // 0x20..0x7E
                if (c == '"' || c == '\\')
                    c = 'x';
                m_out += c;
            }
            }
        }
        m_out += '"';
    }
    void value(int depth)
    {
        switch (below(depth >= 4 ? 6 : 10)) {
        case 0:
            m_out += "null";
            break;
        case 1:
            m_out += "true";
            break;
        case 2:
            m_out += "false";
            break;
        case 3:
            integer();
            break;
        case 4:
            floating();
            break;
        case 5:
            string();
            break;
        case 6:
            m_out += below(2) ? "[]" : "{}";
            break;
        default:
            container(depth);
        }
    }
    void container(int depth)
    {
        const bool object = below(2);
        m_out += object ? '{' : '[';
        space();
        const auto n = below(7);
        for (std::uint64_t i = 0; i < n; ++i) {
            if (i > 0) {
                m_out += ',';
                space();
            }
            if (object) {
                string();
                space();
                m_out += ':';
                space();
            }
            value(depth + 1);
            space();
        }
        m_out += object ? '}' : ']';
    }

    std::mt19937_64 m_rng;
    std::string m_out;
};

// The shape of a legacy L2 dump with n changes.
inline std::string legacyDump(int n)
{
    std::string out = R"({"metadata":{"format":"l2","version":2,"symbol":"SPY","source":"legacy \u00e9xport",)"
                      R"("created":"2024-03-26T13:59:00+00:00","tags":[],"extra":null},"changes":[)";
    for (int i = 0; i < n; ++i) {
        if (i > 0)
            out += ',';
        out += R"({"idx":)" + std::to_string(30 + i) + R"(,"ts":"2024-03-26T13:59:00+00:00","sym":"SPY","val":)" +
               (i % 3 == 0   ? "1"
                : i % 3 == 1 ? "-1"
                             : "0") +
               R"(,"strat":"SPY_x","px":)" + std::to_string(512 + i % 100) + '.' + std::to_string(i % 10 + 1) + '}';
    }
    out += "]}";
    return out;
}

// The events of one change of a legacy dump.
inline std::string changeLog(int idx, const std::string& ts, const std::string& val, const std::string& px)
{
    return "{\nk:idx\nu:" + std::to_string(idx) + "\nk:ts\ns:" + ts + "\nk:sym\ns:SPY\nk:val\n" + val +
           "\nk:strat\ns:SPY_x\nk:px\n" + px + "\n}\n";
}
} // namespace sigscope::test::jsonstream
