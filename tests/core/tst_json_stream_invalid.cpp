// The streaming JSON reader (jsonstream.h) on input nlohmann::json::sax_parse rejects: it must never
// say Ok there. Broken documents, every truncation and every one-byte mutation of valid ones.
#include "tests/core/json_stream_testutil.h"

#include <QTest>

using namespace sigscope::test::jsonstream;

class TestJsonStreamInvalid : public QObject
{
    Q_OBJECT

private slots:
    void invalidDocuments_data();
    void invalidDocuments();
    void truncatedAtEveryByte();
    void mutatedDocuments();
};

void TestJsonStreamInvalid::invalidDocuments_data()
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

void TestJsonStreamInvalid::invalidDocuments()
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

void TestJsonStreamInvalid::truncatedAtEveryByte()
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
void TestJsonStreamInvalid::mutatedDocuments()
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

QTEST_GUILESS_MAIN(TestJsonStreamInvalid)
#include "tst_json_stream_invalid.moc"
