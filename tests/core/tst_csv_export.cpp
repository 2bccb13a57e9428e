// CSV export: exact text for small traces (times as recorded, regime names, prices and
// confidences), RFC 4180 quoting, ranges, dense per-bar values with steps::expand semantics,
// and the atomic file write.
#include "core/export/csv.h"
#include "core/storage/storage.h"

#include "tests/support/testsupport.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

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
