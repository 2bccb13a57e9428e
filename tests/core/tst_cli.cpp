// The sigscope command line, run as a process: exit codes 0/1/2, usage errors, help, and the
// demo -> info -> index -> verify round trip on a generated storage.
#include "core/storage/storage.h"
#include "core/storage/writer.h"

#include "tests/support/testsupport.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <fstream>

using namespace sigscope::core;
namespace fs = std::filesystem;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run runSigscope(const QStringList& arguments)
{
    QProcess process;
    process.start(sigscope::test::sigscopeBinary(), arguments);
    Run run;
    if (!process.waitForFinished(120'000) || process.exitStatus() != QProcess::NormalExit) {
        run.err = QStringLiteral("did not finish: ") + process.errorString();
        return run;
    }
    run.exitCode = process.exitCode();
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

QByteArray describe(const Run& run)
{
    return (QStringLiteral("exit %1\nstdout:\n%2\nstderr:\n%3").arg(run.exitCode).arg(run.out, run.err)).toUtf8();
}

fs::path pathOf(const QTemporaryDir& dir)
{
    return fs::path(dir.path().toStdString());
}

// A signal (value +1/-1 per bar) or classifier ("up"/"down") trace named for the identical-variant tests.
Trace variant(Kind kind, const std::string& type, const std::string& name, std::int64_t period,
              const std::string& symbol, const std::vector<std::pair<std::int64_t, int>>& changes)
{
    Trace t(TraceIdentity{kind, name, Parameters{{"period", period}}, symbol, "1m", std::string("r1"), {}}, type);
    t.metadata.totalBars = 10;
    for (const auto& [bar, value] : changes) {
        if (kind == Kind::Signal)
            t.appendSignal(bar, "", value, 100.0);
        else
            t.appendRegime(bar, "", value > 0 ? "up" : "down", 1.0, 100.0);
    }
    return t;
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_storage; // one demo storage shared by the read-only tests

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_storage = m_dir.path() + QStringLiteral("/demo");
        const Run run = runSigscope({QStringLiteral("demo"), QStringLiteral("--into"), m_storage, QStringLiteral("--bars"),
                                  QStringLiteral("500"), QStringLiteral("--variants"), QStringLiteral("10"),
                                  QStringLiteral("--seed"), QStringLiteral("3")});
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        QVERIFY2(run.out.contains(QStringLiteral("traces: 10 signal, 8 classifier\n")), describe(run).constData());
        QVERIFY2(run.out.contains(QStringLiteral("market: 2 symbols x 500 bars of 1m")), describe(run).constData());
        QVERIFY(QFile::exists(m_storage + QStringLiteral("/market/SPY_1m.csv")));
    }

    void globalHelpListsCommands()
    {
        const Run run = runSigscope({QStringLiteral("--help")});
        QCOMPARE(run.exitCode, 0);
        for (const char* name : {"demo", "info", "index", "verify"})
            QVERIFY2(run.out.contains(QStringLiteral("  ") + QLatin1String(name) + QLatin1Char(' ')), describe(run).constData());
    }

    void commandHelp_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("demo") << QStringLiteral("demo") << QStringLiteral("--variants <N>");
        QTest::newRow("info") << QStringLiteral("info") << QStringLiteral("DIR");
        QTest::newRow("index") << QStringLiteral("index") << QStringLiteral("--rebuild");
        QTest::newRow("verify") << QStringLiteral("verify") << QStringLiteral("DIR");
    }
    void commandHelp()
    {
        QFETCH(QString, command);
        QFETCH(QString, mentions);
        const Run run = runSigscope({command, QStringLiteral("--help")});
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        QVERIFY2(run.out.startsWith(QStringLiteral("Usage: sigscope ") + command + QLatin1Char(' ')), describe(run).constData());
        QVERIFY2(run.out.contains(mentions), describe(run).constData());
        QVERIFY(run.err.isEmpty());
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("demo without --into") << QStringList{QStringLiteral("demo")}
                                             << QStringLiteral("sigscope: --into DIR is required\nTry 'sigscope demo --help'.\n");
        QTest::newRow("demo bad number")
            << QStringList{QStringLiteral("demo"), QStringLiteral("--into"), QStringLiteral("x"), QStringLiteral("--bars"), QStringLiteral("ten")}
            << QStringLiteral("sigscope: --bars needs a whole number, not 'ten'\nTry 'sigscope demo --help'.\n");
        QTest::newRow("demo zero bars")
            << QStringList{QStringLiteral("demo"), QStringLiteral("--into"), QStringLiteral("x"), QStringLiteral("--bars"), QStringLiteral("0")}
            << QStringLiteral("sigscope: --bars must be between 1 and 100000000\nTry 'sigscope demo --help'.\n");
        QTest::newRow("info without dir") << QStringList{QStringLiteral("info")}
                                          << QStringLiteral("sigscope: missing argument\nTry 'sigscope info --help'.\n");
        QTest::newRow("info two dirs") << QStringList{QStringLiteral("info"), QStringLiteral("a"), QStringLiteral("b")}
                                       << QStringLiteral("sigscope: unexpected argument 'b'\nTry 'sigscope info --help'.\n");
        QTest::newRow("verify unknown option")
            << QStringList{QStringLiteral("verify"), QStringLiteral("--bogus"), QStringLiteral("x")}
            << QStringLiteral("sigscope: Unknown option 'bogus'.\nTry 'sigscope verify --help'.\n");
        QTest::newRow("index without dir") << QStringList{QStringLiteral("index"), QStringLiteral("--rebuild")}
                                           << QStringLiteral("sigscope: missing argument\nTry 'sigscope index --help'.\n");
    }
    void usageErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const Run run = runSigscope(arguments);
        QVERIFY2(run.exitCode == 2, describe(run).constData());
        QCOMPARE(run.err, message);
        QVERIFY(run.out.isEmpty());
    }

    void infoOnDemoStorage()
    {
        const Run run = runSigscope({QStringLiteral("info"), m_storage});
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        // The same totals, counted independently from the indexes.
        const Storage storage = Storage::open(m_storage.toStdString());
        std::int64_t changes[2] = {0, 0};
        for (const auto& index : storage.readAllIndexes())
            for (const auto& e : index.entries)
                changes[index.kind == Kind::Signal ? 0 : 1] += e.totalItems;
        const QStringList lines = run.out.split(QLatin1Char('\n'));
        QCOMPARE(lines.value(0), QStringLiteral("storage: ") + m_storage);
        QCOMPARE(lines.value(1), QStringLiteral("format version: 1"));
        QCOMPARE(lines.value(2), QStringLiteral("signals: 5 types, 10 traces, %1 changes, 5000 bars").arg(changes[0]));
        QVERIFY2(lines.value(3).startsWith(QStringLiteral("  breakout ")), describe(run).constData());
        QVERIFY2(lines.value(3).endsWith(QStringLiteral(" 2 traces, %1 changes, 1000 bars").arg(
                     [&] {
                         std::int64_t n = 0;
                         for (const auto& e : storage.readIndex(Kind::Signal, "breakout").entries)
                             n += e.totalItems;
                         return n;
                     }())),
                 describe(run).constData());
        QCOMPARE(lines.value(8), QStringLiteral("classifiers: 2 types, 8 traces, %1 changes, 4000 bars").arg(changes[1]));
        QCOMPARE(lines.value(11),
                 QStringLiteral("total: 18 traces, %1 changes, 9000 bars").arg(changes[0] + changes[1]));
        QVERIFY2(run.err.isEmpty(), describe(run).constData());
    }

    // trend: a1..a6 share one change list (a6 under another period), b differs; regime: the same
    // classifier for SPY and QQQ. One index entry loses its changes hash and is hashed from its file.
    void infoListsIdenticalVariants()
    {
        QTemporaryDir dir;
        const fs::path root = pathOf(dir) / "s";
        {
            StorageWriter writer(root);
            const std::vector<std::pair<std::int64_t, int>> same{{1, 1}, {4, -1}, {8, 0}};
            for (const char* name : {"a1", "a2", "a3", "a4", "a5"})
                writer.write(variant(Kind::Signal, "trend", name, 5, "SPY", same));
            writer.write(variant(Kind::Signal, "trend", "a6", 7, "SPY", same));
            writer.write(variant(Kind::Signal, "trend", "b", 5, "SPY", {{1, 1}, {5, 0}}));
            writer.write(variant(Kind::Signal, "solo", "a1", 5, "SPY", same)); // another type: not grouped
            writer.write(variant(Kind::Classifier, "regime", "calm", 5, "SPY", same));
            writer.write(variant(Kind::Classifier, "regime", "calm", 5, "QQQ", same));
        }
        const fs::path index = root / "signals" / "trend" / "index.json";
        std::string text = sigscope::test::readFile(index);
        const auto at = text.find("\"changes_hash\"");
        QVERIFY(at != std::string::npos);
        text.erase(at, text.find(',', at) + 1 - at);
        std::ofstream(index, std::ios::trunc) << text;

        const Run run = runSigscope({QStringLiteral("info"), QString::fromStdString(root.string())});
        QVERIFY2(run.exitCode == 0 && run.err.isEmpty(), describe(run).constData());
        QCOMPARE(run.out, QStringLiteral("storage: %1\n").arg(QString::fromStdString(root.string())) + QStringLiteral(
            "format version: 1\n"
            "signals: 2 types, 8 traces, 23 changes, 80 bars\n"
            "  solo                     1 traces, 3 changes, 10 bars\n"
            "  trend                    7 traces, 20 changes, 70 bars\n"
            "classifiers: 1 types, 2 traces, 6 changes, 20 bars\n"
            "  regime                   2 traces, 6 changes, 20 bars\n"
            "total: 10 traces, 29 changes, 100 bars\n"
            "identical variants: 2 groups, 8 traces (1 hashed from their files: no changes hash in the index)\n"
            "  trend: 6 variants, one signal: a1 = a2, a3, a4 and 2 others\n"
            "  regime: 2 variants, one classifier: calm SPY = calm QQQ\n"));

        const Run demo = runSigscope({QStringLiteral("info"), m_storage});
        QVERIFY2(demo.out.endsWith(QStringLiteral("\nidentical variants: none\n")), describe(demo).constData());
    }

    void infoOnMissingFolder()
    {
        const QString missing = m_dir.path() + QStringLiteral("/nothing-here");
        const Run run = runSigscope({QStringLiteral("info"), missing});
        QVERIFY2(run.exitCode == 1, describe(run).constData());
        QVERIFY2(run.err.startsWith(QStringLiteral("sigscope: ")) && run.err.contains(missing), describe(run).constData());
    }

    void indexListsEntries()
    {
        const Run run = runSigscope({QStringLiteral("index"), m_storage});
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        const QStringList lines = run.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 18);
        QVERIFY2(lines.first().startsWith(QStringLiteral("classifiers/trend/")) || lines.first().startsWith(QStringLiteral("signals/")),
                 describe(run).constData());
        QVERIFY(run.out.contains(QStringLiteral("\tSPY\t1m\t")));
    }

    void verifyCleanDemo()
    {
        const Run run = runSigscope({QStringLiteral("verify"), m_storage});
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        QVERIFY2(run.out.endsWith(QStringLiteral(": 18 files, 18 index entries checked: clean\n")), describe(run).constData());
    }

    void verifyFindsDamageAndRebuildRepairsIndex()
    {
        QTemporaryDir dir;
        const fs::path root = pathOf(dir) / "copy";
        sigscope::test::copyTree(m_storage.toStdString(), root);
        const Storage storage = Storage::open(root);
        const auto entries = storage.readIndex(Kind::Signal, "momentum").entries;
        QCOMPARE(entries.size(), std::size_t(2));
        fs::remove(storage.absolutePath(entries[0])); // entry without file
        std::ofstream(storage.absolutePath(entries[1]), std::ios::trunc) << "{\"metadata\": {"; // cut short

        const QString rootText = QString::fromStdString(root.string());
        Run run = runSigscope({QStringLiteral("verify"), rootText});
        QVERIFY2(run.exitCode == 1, describe(run).constData());
        const QString missingPath = QString::fromStdString(entries[0].filePath);
        const QString brokenPath = QString::fromStdString(entries[1].filePath);
        bool missingSeen = false, brokenSeen = false;
        for (const QString& line : run.out.split(QLatin1Char('\n'))) {
            if (line.startsWith(QStringLiteral("error missing-file ")) && line.contains(missingPath))
                missingSeen = true;
            if (line.startsWith(QStringLiteral("error parse-error ")) && line.contains(brokenPath))
                brokenSeen = true;
        }
        QVERIFY2(missingSeen && brokenSeen, describe(run).constData());
        QVERIFY2(run.out.contains(QStringLiteral("problems found\n")), describe(run).constData());

        // A rebuild drops the entry of the missing file; the unreadable file is reported (exit 1).
        fs::remove(storage.absolutePath(entries[1]));
        run = runSigscope({QStringLiteral("index"), rootText, QStringLiteral("--rebuild")});
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        QCOMPARE(run.out, QStringLiteral("rebuilt 7 indexes: 16 traces\n"));
        run = runSigscope({QStringLiteral("verify"), rootText});
        QVERIFY2(run.exitCode == 0, describe(run).constData());
    }

    void exportSkipsAnEntryWithoutFile()
    {
        QTemporaryDir dir;
        const fs::path root = pathOf(dir) / "copy";
        sigscope::test::copyTree(m_storage.toStdString(), root);
        const Storage storage = Storage::open(root);
        const auto entries = storage.readIndex(Kind::Signal, "momentum").entries;
        QCOMPARE(entries.size(), std::size_t(2));
        fs::remove(storage.absolutePath(entries[0]));
        const QString rootText = QString::fromStdString(root.string());
        const QString csv = dir.path() + QStringLiteral("/momentum.csv");

        // The other trace is exported; the missing one is named on stderr; the exit status says so.
        Run run = runSigscope({QStringLiteral("export"), rootText, QStringLiteral("--select"), QStringLiteral("momentum"),
                               QStringLiteral("--out"), csv});
        QVERIFY2(run.exitCode == 1, describe(run).constData());
        QCOMPARE(run.out, csv + QLatin1Char('\n'));
        QCOMPARE(run.err, QStringLiteral("sigscope: %1: cannot open: No such file or directory (not exported)\n")
                              .arg(QString::fromStdString(storage.absolutePath(entries[0]).string())));
        const std::string text = sigscope::test::readFile(csv.toStdString());
        // One trace left: its changes, one a line after the header.
        QCOMPARE(std::count(text.begin(), text.end(), '\n'), std::ptrdiff_t(entries[1].totalItems + 1));
        QVERIFY2(text.starts_with("bar,time,value,price\n" + std::to_string(*entries[1].firstIdx) + ","), text.c_str());

        // Nothing left to export: no file, exit 1.
        fs::remove(storage.absolutePath(entries[1]));
        const QString none = dir.path() + QStringLiteral("/none.csv");
        run = runSigscope({QStringLiteral("export"), rootText, QStringLiteral("--select"), QStringLiteral("momentum"),
                           QStringLiteral("--out"), none});
        QVERIFY2(run.exitCode == 1, describe(run).constData());
        QVERIFY(run.out.isEmpty());
        QCOMPARE(run.err.count(QStringLiteral("(not exported)")), 2);
        QVERIFY(!QFile::exists(none));

        run = runSigscope({QStringLiteral("export"), QStringLiteral("--help")});
        QVERIFY2(run.out.contains(QStringLiteral("the others are still exported and the exit status is then 1")),
                 describe(run).constData());
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
