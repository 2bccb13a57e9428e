// CSV export: exact text for small traces (times as recorded, regime names, prices and
// confidences), RFC 4180 quoting, ranges, dense per-bar values with steps::expand semantics,
// and the atomic file write.
#include "core/analysis/steps.h"
#include "core/export/csv.h"
#include "core/storage/storage.h"

#include "tests/support/testsupport.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <array>
#include <charconv>
#include <cstdio>

using namespace sigscope::core;

namespace {

Trace signal()
{
    Trace t(TraceIdentity{Kind::Signal, "rsi_14", {}, "SPY", "1m", {}, {}}, "rsi");
    t.metadata.totalBars = 10;
    // Mixed time forms stay exactly as recorded; one change without a time.
    t.appendSignal(2, "2024-01-02T09:32:00", 1, 471.25);
    t.appendSignal(5, "2024-01-02 09:35:00.500000+01:00", -1, 470.5);
    t.appendSignal(7, "", 0);
    return t;
}

Trace classifier()
{
    Trace t(TraceIdentity{Kind::Classifier, "vol", {}, "SPY", "1m", {}, {}}, "vol");
    t.metadata.totalBars = 10;
    t.appendRegime(3, "2024-01-02T09:33:00Z", "calm", 0.75);
    t.appendRegime(6, "2024-01-02T09:36:00Z", "high, \"wild\"", 1.0, 12.5);
    return t;
}

// Large traces for the streamed exports: 120,000 changes (past several 1 MiB chunks), prices and
// confidences of every kind of double, times recorded in several forms, regime names that need
// quoting.
Trace largeSignal()
{
    Trace t(TraceIdentity{Kind::Signal, "big", {}, "SPY", "1m", {}, {}}, "big");
    char time[64];
    for (std::int64_t i = 0; i < 120000; ++i) {
        const auto minute = static_cast<int>(i % 1440);
        if (i % 7 == 3)
            time[0] = '\0';
        else if (i % 5 == 1)
            std::snprintf(time, sizeof time, "2024-01-%02d %02d:%02d:00.250000+01:00", int(1 + (i / 1440) % 28),
                          minute / 60, minute % 60);
        else
            std::snprintf(time, sizeof time, "2024-01-%02dT%02d:%02d:00Z", int(1 + (i / 1440) % 28), minute / 60,
                          minute % 60);
        const double price = i % 11 == 0 ? 0.0 : 100.0 + double(i) / 3.0 - double(i % 97) * 1e-7;
        t.appendSignal(i * 3, time, static_cast<std::int32_t>(i % 3) - 1, price);
    }
    t.metadata.totalBars = 360000;
    return t;
}

Trace largeClassifier()
{
    Trace t(TraceIdentity{Kind::Classifier, "regimes", {}, "SPY", "1m", {}, {}}, "regimes");
    const char* const names[] = {"calm", "high, \"wild\"", " padded", "multi\nline"};
    for (std::int64_t i = 0; i < 80000; ++i)
        t.appendRegime(i * 4 + 1, i % 3 == 0 ? "" : "2024-02-01T10:00:00Z", names[i % 4], double(i % 1000) / 999.0,
                       1e-3 * double(i));
    return t;
}

// The exports as they were written before they were streamed: one vector of strings per row,
// each field through escapeField, std::to_string for integers, shortest round-trip doubles.
std::string referenceNumber(double value)
{
    std::array<char, 32> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    return std::string(buffer.data(), result.ptr);
}

void referenceRow(std::string& out, const std::vector<std::string>& fields)
{
    for (std::size_t i = 0; i < fields.size(); ++i)
        out += (i > 0 ? "," : "") + csv::escapeField(fields[i]);
    out += '\n';
}

std::string referenceChanges(const std::vector<csv::LabelledTrace>& traces, bool traceColumn)
{
    bool confidence = false;
    for (const auto& t : traces)
        confidence = confidence || t.trace->kind() == Kind::Classifier;
    std::vector<std::string> header;
    if (traceColumn)
        header.emplace_back("trace");
    header.insert(header.end(), {"bar", "time", "value", "price"});
    if (confidence)
        header.emplace_back("confidence");
    std::string out;
    referenceRow(out, header);
    for (const auto& t : traces) {
        for (std::size_t i = 0; i < t.trace->size(); ++i) {
            std::vector<std::string> fields;
            if (traceColumn)
                fields.push_back(t.label);
            fields.push_back(std::to_string(t.trace->bar(i)));
            fields.push_back(t.trace->timeText(i));
            fields.push_back(t.trace->valueText(i));
            fields.push_back(referenceNumber(t.trace->price(i)));
            if (confidence)
                fields.push_back(t.trace->kind() == Kind::Classifier ? referenceNumber(t.trace->confidence(i)) : "");
            referenceRow(out, fields);
        }
    }
    return out;
}

std::string referenceDense(const std::vector<csv::LabelledTrace>& traces, std::int64_t from, std::int64_t to)
{
    std::vector<std::string> header{"bar"};
    for (const auto& t : traces)
        header.push_back(t.label);
    std::string out;
    referenceRow(out, header);
    std::vector<std::vector<std::int32_t>> columns;
    for (const auto& t : traces)
        columns.push_back(steps::expand(*t.trace, from, to));
    for (std::int64_t bar = from; bar < to; ++bar) {
        std::vector<std::string> fields{std::to_string(bar)};
        for (std::size_t c = 0; c < traces.size(); ++c) {
            const std::int32_t value = columns[c][static_cast<std::size_t>(bar - from)];
            if (traces[c].trace->kind() != Kind::Classifier)
                fields.push_back(std::to_string(value));
            else
                fields.push_back(value == steps::kUnknown ? std::string()
                                                          : traces[c].trace->regimes()[static_cast<std::size_t>(value)]);
        }
        referenceRow(out, fields);
    }
    return out;
}

std::filesystem::path tempPath(const QTemporaryDir& dir, const char* name)
{
    return std::filesystem::path(dir.path().toStdString()) / name;
}

} // namespace

class TestCsvExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Long exports report rows every 65,536 and stop when told; the text is the same as without.
    void progressAndCancel()
    {
        Trace t(TraceIdentity{Kind::Signal, "many", {}, "SPY", "1m", {}, {}}, "many");
        for (std::int64_t bar = 0; bar < 150000; ++bar)
            t.appendSignal(bar, "", bar % 2 == 0 ? 1 : -1);
        t.metadata.totalBars = 200000;
        const std::vector<csv::LabelledTrace> traces{{"many", &t}};

        std::vector<std::pair<std::uint64_t, std::uint64_t>> calls;
        const ProgressCallback record = [&calls](const Progress& p) {
            calls.emplace_back(p.done, p.total);
            return true;
        };
        const auto dense = csv::dense(traces, 0, 200000, record);
        QVERIFY(dense.has_value());
        QCOMPARE(*dense, csv::dense(traces, 0, 200000));
        QCOMPARE(calls, (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{65536, 200000}, {131072, 200000}, {196608, 200000}}));

        calls.clear();
        const auto changes = csv::changes(traces, 10, 140000, record);
        QVERIFY(changes.has_value());
        QCOMPARE(*changes, csv::changes(traces, 10, 140000));
        QCOMPARE(calls, (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{65536, 139990}, {131072, 139990}}));

        int asked = 0;
        const ProgressCallback stopSecond = [&asked](const Progress&) { return ++asked < 2; };
        QVERIFY(!csv::dense(traces, 0, 200000, stopSecond).has_value());
        QCOMPARE(asked, 2);
        asked = 0;
        QVERIFY(!csv::changes(traces, 0, 200000, stopSecond).has_value());
        QCOMPARE(asked, 2);
    }

    // Streamed exports write exactly the text the string exports give, and that text is
    // byte for byte what the row-by-row formatter wrote before (a large trace, many chunks).
    void largeExportsMatchReference()
    {
        const Trace s = largeSignal();
        const Trace c = largeClassifier();
        const std::vector<csv::LabelledTrace> single{{"big", &s}};
        const std::vector<csv::LabelledTrace> both{{"big, \"one\"", &s}, {"regimes", &c}};
        const std::vector<csv::LabelledTrace> classifierOnly{{"regimes", &c}};

        const std::string signalText = referenceChanges(single, false);
        QVERIFY(signalText.size() > 4u << 20); // several 1 MiB chunks
        QVERIFY(csv::changes(s) == signalText);
        QVERIFY(csv::changes(c) == referenceChanges(classifierOnly, false));
        const std::string bothText = referenceChanges(both, true);
        QVERIFY(csv::changes(both) == bothText);
        const std::string denseText = referenceDense(both, 0, 360003);
        QVERIFY(csv::dense(both, 0, 360003) == denseText);

        QTemporaryDir dir;
        QVERIFY(csv::writeChanges(tempPath(dir, "signal.csv"), s));
        QVERIFY(sigscope::test::readFile(tempPath(dir, "signal.csv")) == signalText);
        QVERIFY(csv::writeChanges(tempPath(dir, "classifier.csv"), c));
        QVERIFY(sigscope::test::readFile(tempPath(dir, "classifier.csv")) == referenceChanges(classifierOnly, false));
        QVERIFY(csv::writeChanges(tempPath(dir, "both.csv"), both));
        QVERIFY(sigscope::test::readFile(tempPath(dir, "both.csv")) == bothText);
        QVERIFY(csv::writeDense(tempPath(dir, "dense.csv"), both, 0, 360003));
        QVERIFY(sigscope::test::readFile(tempPath(dir, "dense.csv")) == denseText);
        // A range: the same text as the string export of that range.
        QVERIFY(csv::writeChanges(tempPath(dir, "range.csv"), s, 1000, 300001));
        QVERIFY(sigscope::test::readFile(tempPath(dir, "range.csv")) == csv::changes(s, 1000, 300001));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
                 (QStringList{QStringLiteral("both.csv"), QStringLiteral("classifier.csv"), QStringLiteral("dense.csv"),
                              QStringLiteral("range.csv"), QStringLiteral("signal.csv")}));
    }

    // Streamed exports report the same progress; stopped, they leave the target as it was and
    // no temporary file behind.
    void streamedProgressAndCancel()
    {
        const Trace s = largeSignal();
        const std::vector<csv::LabelledTrace> traces{{"big", &s}};
        QTemporaryDir dir;
        const auto path = tempPath(dir, "out.csv");

        std::vector<std::pair<std::uint64_t, std::uint64_t>> calls;
        const ProgressCallback record = [&calls](const Progress& p) {
            calls.emplace_back(p.done, p.total);
            return true;
        };
        QVERIFY(csv::writeChanges(path, s, 0, 420000, record));
        QCOMPARE(calls, (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{65536, 120000}}));
        QVERIFY(sigscope::test::readFile(path) == csv::changes(s, 0, 420000));
        calls.clear();
        QVERIFY(csv::writeDense(path, traces, 0, 200000, record));
        QCOMPARE(calls, (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{65536, 200000}, {131072, 200000}, {196608, 200000}}));
        QVERIFY(sigscope::test::readFile(path) == csv::dense(traces, 0, 200000));

        csv::writeFile(path, "old\n");
        int asked = 0;
        // Stopped at the first report (row 65,536): past the first 1 MiB chunk, which is on disk.
        const ProgressCallback stopFirst = [&asked](const Progress&) { return ++asked < 1; };
        QVERIFY(!csv::writeChanges(path, s, INT64_MIN, INT64_MAX, stopFirst));
        QCOMPARE(asked, 1);
        asked = 0;
        QVERIFY(!csv::writeChanges(path, traces, INT64_MIN, INT64_MAX, stopFirst));
        QCOMPARE(asked, 1);
        asked = 0;
        QVERIFY(!csv::writeDense(path, traces, 0, 360000, stopFirst));
        QCOMPARE(asked, 1);
        QCOMPARE(QString::fromStdString(sigscope::test::readFile(path)), QStringLiteral("old\n"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("out.csv")});
        // Stopped before any file existed: still none.
        asked = 0;
        QVERIFY(!csv::writeChanges(tempPath(dir, "new.csv"), s, INT64_MIN, INT64_MAX, stopFirst));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("out.csv")});
    }

    // A folder that does not exist: StorageError naming the file, as for writeFile.
    void streamedWriteError()
    {
        QTemporaryDir dir;
        try {
            csv::writeChanges(tempPath(dir, "missing") / "out.csv", signal());
            QFAIL("no error");
        } catch (const StorageError& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("out.csv")), e.what());
        }
    }

    void escapeField_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("expected");
        const auto row = [](const char* name, const char* field, const char* expected) {
            QTest::newRow(name) << QString::fromUtf8(field) << QString::fromUtf8(expected);
        };
        row("plain", "rsi_14", "rsi_14");
        row("empty", "", "");
        row("comma", "a,b", "\"a,b\"");
        row("quote", "say \"hi\"", "\"say \"\"hi\"\"\"");
        row("newline", "two\nlines", "\"two\nlines\"");
        row("carriage return", "a\rb", "\"a\rb\"");
        row("leading space", " x", "\" x\"");
        row("trailing space", "x ", "\"x \"");
        row("inner space", "a b", "a b");
        row("utf-8", "Zürich", "Zürich");
    }

    void escapeField()
    {
        QFETCH(QString, field);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(csv::escapeField(field.toStdString())), expected);
    }

    void table()
    {
        const std::string text = csv::table({"name", "note"}, {{"a", "x,y"}, {"b\"c", ""}, {"only"}});
        QCOMPARE(QString::fromStdString(text), QStringLiteral("name,note\na,\"x,y\"\n\"b\"\"c\",\nonly\n"));
        QCOMPARE(QString::fromStdString(csv::table({"h"}, {})), QStringLiteral("h\n"));
    }

    void signalChanges()
    {
        QCOMPARE(QString::fromStdString(csv::changes(signal())),
                 QStringLiteral("bar,time,value,price\n"
                                "2,2024-01-02T09:32:00,1,471.25\n"
                                "5,2024-01-02 09:35:00.500000+01:00,-1,470.5\n"
                                "7,,0,0\n"));
    }

    void classifierChanges()
    {
        QCOMPARE(QString::fromStdString(csv::changes(classifier())),
                 QStringLiteral("bar,time,value,price,confidence\n"
                                "3,2024-01-02T09:33:00Z,calm,0,0.75\n"
                                "6,2024-01-02T09:36:00Z,\"high, \"\"wild\"\"\",12.5,1\n"));
    }

    void changesInRange()
    {
        // [3, 7): only the change at bar 5.
        QCOMPARE(QString::fromStdString(csv::changes(signal(), 3, 7)),
                 QStringLiteral("bar,time,value,price\n5,2024-01-02 09:35:00.500000+01:00,-1,470.5\n"));
        QCOMPARE(QString::fromStdString(csv::changes(signal(), 8, 100)), QStringLiteral("bar,time,value,price\n"));
        QCOMPARE(QString::fromStdString(csv::changes(signal(), 5, 5)), QStringLiteral("bar,time,value,price\n"));
    }

    void severalTracesChanges()
    {
        const Trace s = signal();
        const Trace c = classifier();
        const std::vector<csv::LabelledTrace> traces{{"rsi 14", &s}, {"vol, SPY", &c}};
        QCOMPARE(QString::fromStdString(csv::changes(traces)),
                 QStringLiteral("trace,bar,time,value,price,confidence\n"
                                "rsi 14,2,2024-01-02T09:32:00,1,471.25,\n"
                                "rsi 14,5,2024-01-02 09:35:00.500000+01:00,-1,470.5,\n"
                                "rsi 14,7,,0,0,\n"
                                "\"vol, SPY\",3,2024-01-02T09:33:00Z,calm,0,0.75\n"
                                "\"vol, SPY\",6,2024-01-02T09:36:00Z,\"high, \"\"wild\"\"\",12.5,1\n"));
        // Only signals: no confidence column.
        const std::vector<csv::LabelledTrace> one{{"a", &s}};
        QCOMPARE(QString::fromStdString(csv::changes(one, 0, 3)),
                 QStringLiteral("trace,bar,time,value,price\na,2,2024-01-02T09:32:00,1,471.25\n"));
    }

    void dense()
    {
        const Trace s = signal();
        const Trace c = classifier();
        const std::vector<csv::LabelledTrace> traces{{"rsi", &s}, {"vol", &c}};
        // Signal flat before its first change, regime unknown (empty) before the classifier's.
        QCOMPARE(QString::fromStdString(csv::dense(traces, 1, 9)),
                 QStringLiteral("bar,rsi,vol\n"
                                "1,0,\n"
                                "2,1,\n"
                                "3,1,calm\n"
                                "4,1,calm\n"
                                "5,-1,calm\n"
                                "6,-1,\"high, \"\"wild\"\"\"\n"
                                "7,0,\"high, \"\"wild\"\"\"\n"
                                "8,0,\"high, \"\"wild\"\"\"\n"));
        QCOMPARE(QString::fromStdString(csv::dense(traces, 4, 4)), QStringLiteral("bar,rsi,vol\n"));
    }

    void denseSameBarLastWins()
    {
        Trace t(TraceIdentity{Kind::Signal, "x", {}, "SPY", "1m", {}, {}}, "x");
        t.appendSignal(1, "", 1);
        t.appendSignal(1, "", -1);
        const std::vector<csv::LabelledTrace> traces{{"x", &t}};
        QCOMPARE(QString::fromStdString(csv::dense(traces, 0, 3)), QStringLiteral("bar,x\n0,0\n1,-1\n2,-1\n"));
    }

    void writeFile()
    {
        QTemporaryDir dir;
        const std::filesystem::path path = std::filesystem::path(dir.path().toStdString()) / "out.csv";
        csv::writeFile(path, "old\n");
        csv::writeFile(path, csv::changes(signal()));
        QCOMPARE(QString::fromStdString(sigscope::test::readFile(path)), QString::fromStdString(csv::changes(signal())));
        // Only the file itself: no temporary left behind.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("out.csv")});
        // A folder that does not exist: StorageError naming the file.
        const auto bad = std::filesystem::path(dir.path().toStdString()) / "missing" / "out.csv";
        try {
            csv::writeFile(bad, "x");
            QFAIL("no error");
        } catch (const StorageError& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("out.csv")), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestCsvExport)
#include "tst_csv_export.moc"
