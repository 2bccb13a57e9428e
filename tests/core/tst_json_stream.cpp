// The streaming JSON reader (jsonstream.h) against nlohmann::json::sax_parse: the same recording
// handler is driven by both, and wherever the reader says Ok or Stopped its event log must be
// nlohmann's, byte for byte; it must never say Ok where nlohmann rejects. Every input goes
// through a real file descriptor (memfd, a file in a temporary folder, a pipe), read in chunks
// small enough that every token crosses a chunk boundary at every position. This file: valid
// documents, and handlers that stop; rejected input is in tst_json_stream_invalid.cpp, the
// kinds of file descriptor in tst_json_stream_input.cpp.
#include "tests/core/json_stream_testutil.h"

#include <QTest>

using namespace sigscope::test::jsonstream;

class TestJsonStream : public QObject
{
    Q_OBJECT

private slots:
    void validDocuments_data();
    void validDocuments();
    void chunkOfOneByte_data();
    void chunkOfOneByte();
    void randomDocuments();
    void stoppedAfterEveryEvent_data();
    void stoppedAfterEveryEvent();
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

QTEST_GUILESS_MAIN(TestJsonStream)
#include "tst_json_stream.moc"
