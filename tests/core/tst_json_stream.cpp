// The streaming JSON reader (jsonstream.h) against nlohmann::json::sax_parse: the same recording
// handler is driven by both, and wherever the reader says Ok or Stopped its event log must be
// nlohmann's, byte for byte; it must never say Ok where nlohmann rejects. Every input goes
// through a real file descriptor (memfd, a file in a temporary folder, a pipe), read in chunks
// small enough that every token crosses a chunk boundary at every position.
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

using sigscope::core::jsonstream::Reader;
using sigscope::core::jsonstream::Result;

namespace {

constexpr std::size_t kDefaultChunk = std::size_t{1} << 20;
constexpr std::size_t kNoStop = std::numeric_limits<std::size_t>::max();
// Chunk 1 puts every token across a chunk boundary (it once read 0 bytes into a full buffer).
const std::vector<std::size_t> kChunks{1, 2, 3, 7, 64, kDefaultChunk};

// Bytes as readable text: printable ASCII as is, a backslash doubled, anything else \xHH.
std::string printable(std::string_view bytes)
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
ReaderRun readFdWith(int fd, std::size_t chunk, std::size_t stopAt)
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
ReaderRun readFd(int fd, std::size_t chunk, std::size_t stopAt = kNoStop)
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
ReaderRun readBytes(std::string_view bytes, std::size_t chunk, std::size_t stopAt = kNoStop)
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

NlohmannRun parseNlohmann(const std::string& bytes, std::size_t stopAt = kNoStop)
{
    Recorder rec(stopAt);
    NlohmannRun run;
    run.accepted = nlohmann::json::sax_parse(bytes, &rec);
    run.failed = rec.failed();
    run.log = rec.log();
    run.events = rec.events();
    return run;
}

std::string lines(std::initializer_list<const char*> events)
{
    std::string out;
    for (const char* e : events) {
        out += e;
        out += '\n';
    }
    return out;
}

QString q(const std::string& s)
{
    return QString::fromStdString(printable(s));
}

const char* name(Result r)
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
std::string legacyDump(int n)
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
std::string changeLog(int idx, const std::string& ts, const std::string& val, const std::string& px)
{
    return "{\nk:idx\nu:" + std::to_string(idx) + "\nk:ts\ns:" + ts + "\nk:sym\ns:SPY\nk:val\n" + val +
           "\nk:strat\ns:SPY_x\nk:px\n" + px + "\n}\n";
}

} // namespace

class TestJsonStream : public QObject
{
    Q_OBJECT

private slots:
    void validDocuments_data();
    void validDocuments();
    void chunkOfOneByte_data();
    void chunkOfOneByte();
    void randomDocuments();
    void invalidDocuments_data();
    void invalidDocuments();
    void truncatedAtEveryByte();
    void mutatedDocuments();
    void stoppedAfterEveryEvent_data();
    void stoppedAfterEveryEvent();
    void readErrors();
    void legacyDumpFromFile();
    void pipeInput();
};

void TestJsonStream::validDocuments_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("expected"); // the event log; empty: compared with nlohmann's only

    auto row = [](const char* name, QByteArray json, const std::string& expected) {
        QTest::newRow(name) << json << QByteArray::fromStdString(expected);
    };
    row("empty object", "{}", lines({"{", "}"}));
    row("empty array", "[]", lines({"[", "]"}));
    row("empty string", R"("")", lines({"s:"}));
    row("nested empties", R"([[],{},[[]],{"a":{}},""])",
        lines({"[", "[", "]", "{", "}", "[", "[", "]", "]", "{", "k:a", "{", "}", "}", "s:", "]"}));
    row("nested", R"({"a":{"b":[1,[2,{"c":null}]]},"d":[]})",
        lines({"{", "k:a", "{", "k:b", "[", "u:1", "[", "u:2", "{", "k:c", "null", "}", "]", "]", "}", "k:d", "[", "]",
               "}"}));
    row("literals", "[true,false,null]", lines({"[", "b:true", "b:false", "null", "]"}));
    row("top-level true", "true", lines({"b:true"}));
    row("top-level null", "null", lines({"null"}));
    row("top-level false in spaces", " \n false\t ", lines({"b:false"}));
    row("top-level string", R"("SPY")", lines({"s:SPY"}));
    row("top-level digit in spaces", "  7 \n", lines({"u:7"}));
    row("top-level number", "42", lines({"u:42"}));
    row("top-level negative float", "-1.5e-3", lines({"f:-0.0015|-1.5e-3"}));
    row("simple escapes", R"(["\" \\ \/ \b \f \n \r \t"])", lines({"[", R"(s:" \\ / \x08 \x0c \x0a \x0d \x09)", "]"}));
    row("escape at string edges", R"(["\n","\tx","x\r","\\\\"])",
        lines({"[", R"(s:\x0a)", R"(s:\x09x)", R"(s:x\x0d)", R"(s:\\\\)", "]"}));
    row("u escape 2 bytes", R"("\u00e9")", lines({R"(s:\xc3\xa9)"}));
    row("u escapes upper case", R"("\u0041\u00E9\u20AC\uFFFF")", lines({R"(s:A\xc3\xa9\xe2\x82\xac\xef\xbf\xbf)"}));
    row("surrogate pair", R"("\ud83d\ude00")", lines({R"(s:\xf0\x9f\x98\x80)"}));
    row("highest surrogate pair", R"("\uDBFF\uDFFF")", lines({R"(s:\xf4\x8f\xbf\xbf)"}));
    row("u0000", R"(["a\u0000b","\u0000"])", lines({"[", R"(s:a\x00b)", R"(s:\x00)", "]"}));
    row("raw utf8 2 3 4 bytes",
        "[\"\xc3\xa9\",\"\xe2\x82\xac\",\"\xf0\x9f\x98\x80\",\"a\xc3\xa9"
        "b\xe2\x82\xac"
        "c\xf0\x9f\x98\x80"
        "d\"]",
        lines({"[", R"(s:\xc3\xa9)", R"(s:\xe2\x82\xac)", R"(s:\xf0\x9f\x98\x80)",
               R"(s:a\xc3\xa9b\xe2\x82\xacc\xf0\x9f\x98\x80d)", "]"}));
    row("raw utf8 boundaries",
        "[\"\xc2\x80\",\"\xdf\xbf\",\"\xe0\xa0\x80\",\"\xed\x9f\xbf\",\"\xee\x80\x80\",\"\xef\xbf\xbf\","
        "\"\xf0\x90\x80\x80\",\"\xf4\x8f\xbf\xbf\"]",
        lines({"[", R"(s:\xc2\x80)", R"(s:\xdf\xbf)", R"(s:\xe0\xa0\x80)", R"(s:\xed\x9f\xbf)", R"(s:\xee\x80\x80)",
               R"(s:\xef\xbf\xbf)", R"(s:\xf0\x90\x80\x80)", R"(s:\xf4\x8f\xbf\xbf)", "]"}));
    row("raw DEL", "\"a\x7f\"", lines({R"(s:a\x7f)"}));
    row("escaped key", R"({"k\u00e9y":1,"\n":2,"":3})",
        lines({"{", R"(k:k\xc3\xa9y)", "u:1", R"(k:\x0a)", "u:2", "k:", "u:3", "}"}));
    row("numbers",
        "[0,-0,1e5,1E+5,-1.5e-3,9223372036854775807,-9223372036854775808,18446744073709551615,"
        "18446744073709551616,-9223372036854775809,0.1,1.0,-0.0,0e0,5E-1,123456789.25,1e-300,1.7976931348623157e308]",
        lines({"[",
               "u:0",
               "i:0",
               "f:1e+05|1e5",
               "f:1e+05|1E+5",
               "f:-0.0015|-1.5e-3",
               "u:9223372036854775807",
               "i:-9223372036854775808",
               "u:18446744073709551615",
               "f:18446744073709551616|18446744073709551616",
               "f:-9223372036854775808|-9223372036854775809",
               "f:0.1|0.1",
               "f:1|1.0",
               "f:-0|-0.0",
               "f:0|0e0",
               "f:0.5|5E-1",
               "f:123456789.25|123456789.25",
               "f:1e-300|1e-300",
               "f:1.7976931348623157e+308|1.7976931348623157e308",
               "]"}));
    row("subnormal", "[5e-324,2.2250738585072014e-308]",
        lines({"[", "f:5e-324|5e-324", "f:2.2250738585072014e-308|2.2250738585072014e-308", "]"}));
    row("whitespace everywhere", " \t\n\r{ \n\"a\" \t:\r\n[ 1 , -2 ,\ttrue ] ,\"b\" : { } , \"c\":\"x\" } \n",
        lines({"{", "k:a", "[", "u:1", "i:-2", "b:true", "]", "k:b", "{", "}", "k:c", "s:x", "}"}));
    row("legacy L2 dump",
        R"({"metadata":{"format":"l2","symbol":"SPY"},"changes":[{"idx":30,"ts":"2024-03-26T13:59:00+00:00",)"
        R"("sym":"SPY","val":1,"strat":"SPY_x","px":512.3},{"idx":31,"ts":"2024-03-26T14:00:00+00:00","sym":"SPY",)"
        R"("val":-1,"strat":"SPY_x","px":0}]})",
        "{\nk:metadata\n{\nk:format\ns:l2\nk:symbol\ns:SPY\n}\nk:changes\n[\n" +
            changeLog(30, "2024-03-26T13:59:00+00:00", "u:1", "f:512.3|512.3") +
            changeLog(31, "2024-03-26T14:00:00+00:00", "i:-1", "u:0") + "]\n}\n");

    // Tokens longer than the small chunks and the buffer growth they cause.
    const std::string longNumber = "0." + std::string(300, '0') + "1";
    row("long number", QByteArray::fromStdString("[" + longNumber + "]"), "[\nf:1e-301|" + longNumber + "\n]\n");
    const std::string longText(5000, 'q');
    row("long string and key", QByteArray::fromStdString("{\"" + longText + "\":\"" + longText + "\\n\"}"),
        "{\nk:" + longText + "\ns:" + longText + "\\x0a\n}\n");
    // As deep as the reader goes (kMaxJsonDepth); one level more is tst_hostile's.
    row("deep nesting", QByteArray(256, '[') + QByteArray(256, ']'), [] {
        std::string log;
        for (int i = 0; i < 256; ++i)
            log += "[\n";
        for (int i = 0; i < 256; ++i)
            log += "]\n";
        return log;
    }());
    row("generated legacy dump", QByteArray::fromStdString(legacyDump(200)), std::string());
}

void TestJsonStream::validDocuments()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, expected);
    const std::string doc = json.toStdString();

    const NlohmannRun reference = parseNlohmann(doc);
    QVERIFY(reference.accepted);
    QVERIFY(!reference.failed);
    if (!expected.isEmpty())
        QCOMPARE(q(reference.log), q(expected.toStdString()));

    for (const std::size_t chunk : kChunks) {
        const ReaderRun run = readBytes(doc, chunk);
        QVERIFY2(run.result == Result::Ok,
                 qPrintable(QStringLiteral("chunk %1: %2").arg(chunk).arg(QLatin1String(name(run.result)))));
        QCOMPARE(q(run.log), q(reference.log));
        QCOMPARE(run.events, reference.events);
        QCOMPARE(run.offset, std::uint64_t(doc.size()));
        QCOMPARE(run.error, 0);
    }
}

// Chunk 1 on its own: every literal, number, escape and UTF-8 sequence crosses a boundary.
void TestJsonStream::chunkOfOneByte_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("expected"); // Result
    QTest::addColumn<QByteArray>("log");

    QTest::newRow("plain strings and containers")
        << QByteArray(R"({"a":["bc",{}],"d":""})") << int(Result::Ok)
        << QByteArray::fromStdString(lines({"{", "k:a", "[", "s:bc", "{", "}", "]", "k:d", "s:", "}"}));
    QTest::newRow("one digit") << QByteArray("5") << int(Result::Ok) << QByteArray("u:5\n");
    QTest::newRow("literal") << QByteArray("true") << int(Result::Ok) << QByteArray("b:true\n");
    QTest::newRow("number in array") << QByteArray("[1]") << int(Result::Ok) << QByteArray("[\nu:1\n]\n");
    QTest::newRow("escape") << QByteArray(R"("\n")") << int(Result::Ok) << QByteArray("s:\\x0a\n");
    QTest::newRow("utf8") << QByteArray("\"\xc3\xa9\"") << int(Result::Ok) << QByteArray("s:\\xc3\\xa9\n");
    QTest::newRow("two digits") << QByteArray("12") << int(Result::Ok) << QByteArray("u:12\n");
    QTest::newRow("leading zero") << QByteArray("01") << int(Result::SyntaxError) << QByteArray("");
    QTest::newRow("digit then text") << QByteArray("1 x") << int(Result::SyntaxError) << QByteArray("");
}

void TestJsonStream::chunkOfOneByte()
{
    QFETCH(QByteArray, json);
    QFETCH(int, expected);
    QFETCH(QByteArray, log);
    const std::string doc = json.toStdString();

    const NlohmannRun reference = parseNlohmann(doc);
    QCOMPARE(reference.accepted, expected == int(Result::Ok));
    if (reference.accepted)
        QCOMPARE(q(reference.log), q(log.toStdString()));
    QCOMPARE(int(readBytes(doc, 2).result), expected);

    const ReaderRun one = readBytes(doc, 1);
    const bool right = int(one.result) == expected && (expected != int(Result::Ok) || one.log == log.toStdString());
    QVERIFY2(right, qPrintable(QStringLiteral("%1 with log %2").arg(QLatin1String(name(one.result)), q(one.log))));
}

void TestJsonStream::randomDocuments()
{
    DocGenerator gen(20240326);
    int documents = 0;
    std::size_t events = 0;
    for (int i = 0; i < 400; ++i) {
        const std::string doc = gen.document();
        const NlohmannRun reference = parseNlohmann(doc);
        QVERIFY2(reference.accepted, qPrintable(q(doc)));
        for (const std::size_t chunk : kChunks) {
            const ReaderRun run = readBytes(doc, chunk);
            QVERIFY2(
                run.result == Result::Ok,
                qPrintable(QStringLiteral("chunk %1, %2: %3").arg(chunk).arg(QLatin1String(name(run.result)), q(doc))));
            QCOMPARE(q(run.log), q(reference.log));
            QCOMPARE(run.offset, std::uint64_t(doc.size()));
        }
        events += reference.events;
        ++documents;
    }
    QCOMPARE(documents, 400);
    QCOMPARE(events, std::size_t{7403}); // fixed seed: the same documents every run
}

void TestJsonStream::invalidDocuments_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("nlohmannLog"); // what nlohmann accepts it as; empty: nlohmann rejects it

    auto bad = [](const char* name, QByteArray json) { QTest::newRow(name) << json << QByteArray(); };
    bad("empty", "");
    bad("only whitespace", " \n\t\r ");
    bad("trailing comma in array", "[1,2,]");
    bad("trailing comma in object", R"({"a":1,})");
    bad("leading comma", "[,1]");
    bad("double comma", "[1,,2]");
    bad("missing colon", R"({"a" 1})");
    bad("missing value", R"({"a":})");
    bad("missing comma", "[1 2]");
    bad("missing comma between members", R"({"a":1 "b":2})");
    bad("unclosed array", "[1,2");
    bad("unclosed object", R"({"a":1)");
    bad("unclosed string", R"("abc)");
    bad("mismatched closer", "[1}");
    bad("extra closer", "[1]]");
    bad("lone closer", "]");
    bad("number key", "{1:2}");
    bad("single quotes", "'a'");
    bad("bad escape x", R"("\x41")");
    bad("bad escape U", R"("\U00e9")");
    bad("bad escape at end", "\"\\");
    bad("short u escape", R"("\u12")");
    bad("non-hex u escape", R"("\u12g4")");
    bad("lone high surrogate", R"("\ud800")");
    bad("high surrogate then text", R"("\ud800abcdefgh")");
    bad("high surrogate then non-low", R"("\ud800\u0041")");
    bad("two high surrogates", R"("\ud800\ud800")");
    bad("lone low surrogate", R"("\udc00")");
    bad("control character", "\"a\x01"
                             "b\"");
    bad("raw newline in string", "\"a\nb\"");
    bad("raw tab in string", "\"a\tb\"");
    bad("raw NUL in string", QByteArray("\"a\0b\"", 5));
    bad("utf8 overlong C0 80", "\"\xc0\x80\"");
    bad("utf8 overlong C1 BF", "\"\xc1\xbf\"");
    bad("utf8 surrogate ED A0 80", "\"\xed\xa0\x80\"");
    bad("utf8 overlong E0 80 80", "\"\xe0\x80\x80\"");
    bad("utf8 overlong F0 80 80 80", "\"\xf0\x80\x80\x80\"");
    bad("utf8 above 10FFFF", "\"\xf4\x90\x80\x80\"");
    bad("utf8 F5", "\"\xf5\x80\x80\x80\"");
    bad("utf8 FF", "\"\xff\"");
    bad("utf8 lone continuation", "\"\x80\"");
    bad("utf8 truncated before quote", "\"\xe2\x82\"");
    bad("utf8 truncated at end", "\"\xe2\x82");
    bad("utf8 lead then ASCII", "\"\xc3"
                                "A\"");
    bad("utf8 outside string", "\xc3\xa9");
    bad("leading zero", "01");
    bad("negative leading zero", "-01");
    bad("double zero", "[00]");
    bad("leading zero in array", "[01]");
    bad("dot without fraction", "1.");
    bad("dot without integer", ".5");
    bad("dot then exponent", "1.e5");
    bad("exponent without digits", "1e");
    bad("exponent sign without digits", "[1e+]");
    bad("minus alone", "-");
    bad("minus then space", "- 1");
    bad("plus sign", "+1");
    bad("hex number", "0x10");
    bad("minus inside", "[1-2]");
    bad("NaN", "NaN");
    bad("nan in array", "[nan]");
    bad("Infinity", "Infinity");
    bad("minus Infinity", "-Infinity");
    bad("truncated true", "tru");
    bad("capital True", "True");
    bad("truncated null", "[nul]");
    bad("falsy", "falsy");
    bad("true then letter", "truex");
    bad("text after document", "{} x");
    bad("two documents", "[] []");
    bad("two objects", "{}{}");
    bad("two numbers", "1 2");
    bad("two strings", R"("a""b")");
    bad("comma after document", "null,");
    bad("partial BOM", "\xef\xbb{}");
    bad("number overflow", "1e400");
    bad("negative overflow in array", "[-1e400]");
    bad("huge exponent", "[1e999999999999]");
    // nlohmann handles these itself; the reader declines them (a BOM, a number that is not a
    // normal double) so that the caller re-parses with nlohmann.
    QTest::newRow("BOM") << QByteArray("\xef\xbb\xbf{}") << QByteArray::fromStdString(lines({"{", "}"}));
    QTest::newRow("BOM before number") << QByteArray("\xef\xbb\xbf"
                                                     "1")
                                       << QByteArray("u:1\n");
    QTest::newRow("underflow") << QByteArray("1e-400") << QByteArray("f:0|1e-400\n");
    // nlohmann's lexer takes a NUL byte between tokens for the end of the input (it is there for
    // C strings) and so ignores whatever follows a document and a NUL; the reader does not.
    QTest::newRow("NUL after document") << QByteArray("[1]\0", 4)
                                        << QByteArray::fromStdString(lines({"[", "u:1", "]"}));
    QTest::newRow("NUL then text after document")
        << QByteArray("[1] \0 x}", 8) << QByteArray::fromStdString(lines({"[", "u:1", "]"}));
    QTest::newRow("underflow in array") << QByteArray("[-1e-999]")
                                        << QByteArray::fromStdString(lines({"[", "f:-0|-1e-999", "]"}));
}

void TestJsonStream::invalidDocuments()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, nlohmannLog);
    const std::string doc = json.toStdString();

    const NlohmannRun reference = parseNlohmann(doc);
    QCOMPARE(reference.accepted, !nlohmannLog.isEmpty());
    QCOMPARE(reference.failed, nlohmannLog.isEmpty());
    if (reference.accepted)
        QCOMPARE(q(reference.log), q(nlohmannLog.toStdString()));

    for (const std::size_t chunk : kChunks) {
        const ReaderRun run = readBytes(doc, chunk);
        QVERIFY2(run.result == Result::SyntaxError,
                 qPrintable(QStringLiteral("chunk %1: %2").arg(chunk).arg(QLatin1String(name(run.result)))));
        QCOMPARE(run.error, 0);
    }
}

void TestJsonStream::truncatedAtEveryByte()
{
    const std::vector<std::string> docs = {
        R"({"a":[1,-2.5e3,true,false,null,"x\u00e9\ud83d\ude00\n"],"b":{"c":"d"}})",
        "{\"k\xc3\xa9y\" : [ 0 , 18446744073709551616 , \"\xf0\x9f\x98\x80\" ] }",
        legacyDump(2),
    };
    int prefixes = 0;
    for (const std::string& doc : docs) {
        QVERIFY(parseNlohmann(doc).accepted);
        for (std::size_t length = 0; length < doc.size(); ++length) {
            const std::string prefix = doc.substr(0, length);
            const NlohmannRun reference = parseNlohmann(prefix);
            QVERIFY2(!reference.accepted && reference.failed, qPrintable(q(prefix)));
            for (const std::size_t chunk : kChunks) {
                const ReaderRun run = readBytes(prefix, chunk);
                QVERIFY2(
                    run.result == Result::SyntaxError,
                    qPrintable(
                        QStringLiteral("chunk %1, %2: %3").arg(chunk).arg(QLatin1String(name(run.result)), q(prefix))));
            }
            const ReaderRun one = readBytes(prefix, 1);
            QVERIFY2(one.result == Result::SyntaxError, qPrintable(q(prefix))); // all start with '{'
            ++prefixes;
        }
    }
    QCOMPARE(prefixes, int(docs[0].size() + docs[1].size() + docs[2].size()));
}

// One byte replaced, inserted or removed: the reader says Ok exactly when nlohmann accepts, and
// then with nlohmann's events (the generated numbers are all normal doubles and no mutation
// makes a BOM, so there is nothing here the reader should decline).
void TestJsonStream::mutatedDocuments()
{
    std::vector<std::string> seeds = {
        R"({"a":[1,-2.5e3,true,false,null,"x\u00e9\ud83d\ude00\n"],"b":{"c":"d"}})",
        "{\"k\xc3\xa9y\" : [ 0 , 18446744073709551615 , -9223372036854775808, \"\xf0\x9f\x98\x80\xe2\x82\xac\" ] }",
        legacyDump(3),
        "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0000\"]",
    };
    DocGenerator gen(7);
    for (int i = 0; i < 30; ++i)
        seeds.push_back(gen.document());
    static const unsigned char interesting[] = {'{',  '}',  '[',  ']',  ',',  ':',  '"',  '\\', '0',  '1',  '-',  '+',
                                                '.',  'e',  'E',  'u',  'n',  't',  'f',  ' ',  '\n', 0x00, 0x1F, 0x7F,
                                                0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0xF5, 0xFF};
    std::mt19937_64 rng(99);
    int accepted = 0;
    int rejected = 0;
    int nulTail = 0;
    for (int i = 0; i < 6000; ++i) {
        std::string doc = seeds[rng() % seeds.size()];
        if (doc.empty())
            continue;
        const std::size_t at = rng() % doc.size();
        const auto byte = static_cast<char>(rng() % 2 ? interesting[rng() % std::size(interesting)] : rng() % 256);
        switch (rng() % 3) {
        case 0:
            doc[at] = byte;
            break;
        case 1:
            doc.insert(doc.begin() + static_cast<std::ptrdiff_t>(at), byte);
            break;
        default:
            doc.erase(at, 1);
        }
        const NlohmannRun reference = parseNlohmann(doc);
        const ReaderRun run = readBytes(doc, kDefaultChunk);
        const ReaderRun small = readBytes(doc, 3);
        QCOMPARE(QLatin1String(name(small.result)), QLatin1String(name(run.result)));
        if (reference.accepted && doc.find('\0') != std::string::npos) {
            // A NUL after the document ends nlohmann's input (see invalidDocuments); the reader declines.
            QCOMPARE(QLatin1String(name(run.result)), QLatin1String("SyntaxError"));
            QCOMPARE(q(reference.log), q(parseNlohmann(doc.substr(0, doc.find('\0'))).log));
            ++nulTail;
        } else if (reference.accepted) {
            QVERIFY2(run.result == Result::Ok, qPrintable(QLatin1String(name(run.result)) + QLatin1Char(' ') + q(doc)));
            QCOMPARE(q(run.log), q(reference.log));
            QCOMPARE(q(small.log), q(reference.log));
            ++accepted;
        } else {
            QVERIFY2(run.result == Result::SyntaxError,
                     qPrintable(QLatin1String(name(run.result)) + QLatin1Char(' ') + q(doc)));
            ++rejected;
        }
    }
    QCOMPARE(accepted + rejected + nulTail, 6000);
    QCOMPARE(nulTail, 7); // fixed seed: the same mutations every run
    QCOMPARE(rejected, 4491);
    QCOMPARE(accepted, 1502);
}

void TestJsonStream::stoppedAfterEveryEvent_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("total"); // events nlohmann delivers without stopping
    QTest::addColumn<int>("stops"); // the handler stops at event 1, 2, ... stops

    QTest::newRow("every token kind") << QByteArray(R"({"a":[1,-2,2.5,true,false,null,"s",{},[]],"b":{"c":"\u00e9"}})")
                                      << 21 << 21;
    QTest::newRow("top-level scalar") << QByteArray("\"x\"") << 1 << 1;
    QTest::newRow("legacy dump") << QByteArray::fromStdString(legacyDump(2)) << 51 << 51;
    // The handler stops before the reader reaches the broken tail: Stopped, as nlohmann.
    QTest::newRow("text after document") << QByteArray("[1,2] x") << 4 << 4;
    // nlohmann delivers the 0 of "01" before its error, the reader declines the whole token:
    // stops up to the event before it only.
    QTest::newRow("broken tail") << QByteArray(R"({"a":[true,"b"],"c":01})") << 8 << 7;
}

void TestJsonStream::stoppedAfterEveryEvent()
{
    QFETCH(QByteArray, json);
    QFETCH(int, total);
    QFETCH(int, stops);
    const std::string doc = json.toStdString();
    const NlohmannRun whole = parseNlohmann(doc);
    QCOMPARE(int(whole.events), total);

    for (std::size_t n = 1; n <= std::size_t(stops); ++n) {
        const NlohmannRun reference = parseNlohmann(doc, n);
        QVERIFY(!reference.accepted);
        QVERIFY(!reference.failed);
        QCOMPARE(reference.events, n);
        for (const std::size_t chunk : {std::size_t{2}, std::size_t{3}, std::size_t{7}, kDefaultChunk}) {
            const ReaderRun run = readBytes(doc, chunk, n);
            QVERIFY2(
                run.result == Result::Stopped,
                qPrintable(
                    QStringLiteral("stop at %1, chunk %2: %3").arg(n).arg(chunk).arg(QLatin1String(name(run.result)))));
            QCOMPARE(run.events, n);
            QCOMPARE(q(run.log), q(reference.log));
        }
    }
    if (stops < total) { // the next stop point: nlohmann stops, the reader has declined already
        QVERIFY(!parseNlohmann(doc, std::size_t(stops) + 1).failed);
        const ReaderRun run = readBytes(doc, kDefaultChunk, std::size_t(stops) + 1);
        QCOMPARE(QLatin1String(name(run.result)), QLatin1String("SyntaxError"));
        QCOMPARE(run.events, std::size_t(stops));
    }
}

void TestJsonStream::readErrors()
{
    // read(2) on a directory fails with EISDIR.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const int dirFd = ::open(QFile::encodeName(dir.path()).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    QVERIFY(dirFd >= 0);
    for (const std::size_t chunk : {std::size_t{7}, kDefaultChunk}) {
        const ReaderRun run = readFd(dirFd, chunk);
        QCOMPARE(QLatin1String(name(run.result)), QLatin1String("ReadError"));
        QCOMPARE(run.error, EISDIR);
        QCOMPARE(run.events, std::size_t{0});
        QCOMPARE(run.offset, std::uint64_t{0});
    }
    ::close(dirFd);

    // A descriptor that was open and is closed now, and -1: EBADF.
    const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    QVERIFY(fd >= 0);
    ::close(fd);
    for (const int badFd : {fd, -1}) {
        const ReaderRun run = readFd(badFd, kDefaultChunk);
        QCOMPARE(QLatin1String(name(run.result)), QLatin1String("ReadError"));
        QCOMPARE(run.error, EBADF);
        QCOMPARE(run.events, std::size_t{0});
    }

    // A write-only descriptor fails after nothing was read: EBADF as well.
    const int writeOnly = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    QVERIFY(writeOnly >= 0);
    const ReaderRun run = readFd(writeOnly, 64);
    ::close(writeOnly);
    QCOMPARE(QLatin1String(name(run.result)), QLatin1String("ReadError"));
    QCOMPARE(run.error, EBADF);

    // An empty regular file is a syntax error, not a read error.
    const ReaderRun empty = readBytes("", kDefaultChunk);
    QCOMPARE(QLatin1String(name(empty.result)), QLatin1String("SyntaxError"));
    QCOMPARE(empty.error, 0);
}

void TestJsonStream::legacyDumpFromFile()
{
    // 12,000 changes (about 1.4 MB) cross the default 1 MiB chunk.
    const std::string doc = legacyDump(12000);
    QVERIFY(doc.size() > kDefaultChunk);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("legacy.json"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(doc.data(), qint64(doc.size())), qint64(doc.size()));
    }
    const NlohmannRun reference = parseNlohmann(doc);
    QVERIFY(reference.accepted);
    // metadata: 19 events; changes: "k:changes", "[", "]", "}" plus 14 per change.
    QCOMPARE(reference.events, std::size_t{19 + 4 + 12000 * 14});

    for (const std::size_t chunk : {std::size_t{4096}, kDefaultChunk}) {
        const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
        QVERIFY(fd >= 0);
        const ReaderRun run = readFd(fd, chunk);
        ::close(fd);
        QCOMPARE(QLatin1String(name(run.result)), QLatin1String("Ok"));
        QCOMPARE(run.events, reference.events);
        QCOMPARE(run.offset, std::uint64_t(doc.size()));
        QVERIFY(run.log == reference.log);
        const std::string head = lines({"{",
                                        "k:metadata",
                                        "{",
                                        "k:format",
                                        "s:l2",
                                        "k:version",
                                        "u:2",
                                        "k:symbol",
                                        "s:SPY",
                                        "k:source",
                                        R"(s:legacy \xc3\xa9xport)",
                                        "k:created",
                                        "s:2024-03-26T13:59:00+00:00",
                                        "k:tags",
                                        "[",
                                        "]",
                                        "k:extra",
                                        "null",
                                        "}",
                                        "k:changes",
                                        "["}) +
                                 changeLog(30, "2024-03-26T13:59:00+00:00", "u:1", "f:512.1|512.1") +
                                 changeLog(31, "2024-03-26T13:59:00+00:00", "i:-1", "f:513.2|513.2");
        QCOMPARE(q(run.log.substr(0, head.size())), q(head));
        const std::string tail = lines({"k:px", "f:611.1|611.10", "}", "]", "}"});
        QCOMPARE(q(run.log.substr(run.log.size() - tail.size())), q(tail));
    }
}

void TestJsonStream::pipeInput()
{
    // Larger than a pipe's buffer, so the reader sees short reads and waits for the writer.
    const std::string doc = legacyDump(3000);
    const NlohmannRun reference = parseNlohmann(doc);
    QVERIFY(reference.accepted);
    for (const std::size_t chunk : {std::size_t{7}, std::size_t{4096}, kDefaultChunk}) {
        int fds[2];
        QCOMPARE(::pipe2(fds, O_CLOEXEC), 0);
        std::thread writer([&doc, fd = fds[1]] {
            std::size_t done = 0;
            while (done < doc.size()) {
                const ssize_t n = ::write(fd, doc.data() + done, std::min<std::size_t>(1000, doc.size() - done));
                if (n <= 0)
                    break;
                done += static_cast<std::size_t>(n);
            }
            ::close(fd);
        });
        const ReaderRun run = readFd(fds[0], chunk);
        writer.join();
        ::close(fds[0]);
        QCOMPARE(QLatin1String(name(run.result)), QLatin1String("Ok"));
        QCOMPARE(run.events, reference.events);
        QCOMPARE(run.offset, std::uint64_t(doc.size()));
        QVERIFY(run.log == reference.log);
    }
}

QTEST_GUILESS_MAIN(TestJsonStream)
#include "tst_json_stream.moc"
