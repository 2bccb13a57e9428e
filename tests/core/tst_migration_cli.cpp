// `sigscope migrate` and `sigscope verify --against` as a user runs them: exit codes, the JSON
// report, the dry-run plan, and kill safety (SIGKILL at several points, then a re-run equals an
// uninterrupted migration).
#include "core/migration/migration.h"
#include "tests/core/migration_testutil.h"
#include "tests/support/testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>

#include <thread>

using namespace sigscope::core;
using namespace sigscope::test::migration;

namespace {

using Run = sigscope::test::CommandRun;
using sigscope::test::runSigscope;

QString q(const fs::path& p)
{
    return QString::fromStdString(p.string());
}

void writeRun(const fs::path& dir, int files, int offset = 0)
{
    for (int i = offset; i < offset + files; ++i) {
        const std::string strat = "SPY_cci_grid_" + std::to_string(i);
        std::string changes;
        for (int k = 0; k < 20; ++k)
            changes += (k ? "," : "") + l2Change(10 + 7 * k + i % 5, "SPY", strat, std::to_string(k % 3 - 1));
        writeText(dir / ("signals_strategy_" + strat + "_20250301_120000.json"), l2Dump("strategy_" + strat, 200, changes));
    }
}

std::size_t dataFiles(const fs::path& root)
{
    std::size_t n = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.ends_with(".json") && name != "index.json" && name != "storage.json" && !name.starts_with("."))
            ++n;
    }
    return n;
}

} // namespace

class TestMigrationCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tmp;
    fs::path tmp() const { return fs::path(m_tmp.path().toStdString()); }

private Q_SLOTS:
    void initTestCase()
    {
        writeRun(tmp() / "good/workspaces/tmp/20250301_120000", 5);
        writeRun(tmp() / "bad/workspaces/tmp/20250301_120000", 2);
        writeText(tmp() / "bad/workspaces/tmp/20250301_120000/signals_strategy_broken.json", "{\"changes\": [{\"idx\": 1,");
        writeText(tmp() / "a-file", "x");
    }

    void exitCodes_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        const QString good = q(tmp() / "good");
        const QString bad = q(tmp() / "bad");
        QTest::newRow("all migrated") << QStringList{good, QStringLiteral("--into"), q(tmp() / "d-good")} << 0;
        QTest::newRow("again: unchanged") << QStringList{good, QStringLiteral("--into"), q(tmp() / "d-good")} << 0;
        QTest::newRow("some failed") << QStringList{bad, QStringLiteral("--into"), q(tmp() / "d-bad")} << 3;
        QTest::newRow("dry run with failures") << QStringList{bad, QStringLiteral("--into"), q(tmp() / "d-dry"), QStringLiteral("--dry-run")} << 3;
        QTest::newRow("no --into") << QStringList{good} << 2;
        QTest::newRow("no source") << QStringList{QStringLiteral("--into"), q(tmp() / "d-x")} << 2;
        QTest::newRow("missing source") << QStringList{q(tmp() / "nope"), QStringLiteral("--into"), q(tmp() / "d-x")} << 2;
        QTest::newRow("bad --jobs") << QStringList{good, QStringLiteral("--into"), q(tmp() / "d-x"), QStringLiteral("--jobs"), QStringLiteral("0")} << 2;
        QTest::newRow("unknown option") << QStringList{good, QStringLiteral("--into"), q(tmp() / "d-x"), QStringLiteral("--frobnicate")} << 2;
        QTest::newRow("destination is a file") << QStringList{good, QStringLiteral("--into"), q(tmp() / "a-file")} << 1;
    }
    void exitCodes()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        const Run r = runSigscope(QStringList{QStringLiteral("migrate")} + arguments);
        QVERIFY2(r.exitCode == exitCode, qPrintable(r.out + r.err));
        QVERIFY(!fs::exists(tmp() / "d-x"));
        QVERIFY(!fs::exists(tmp() / "d-dry"));
    }

    void reportAndSummary()
    {
        const fs::path report = tmp() / "report.json";
        const Run r = runSigscope({QStringLiteral("migrate"), q(tmp() / "bad"), QStringLiteral("--into"), q(tmp() / "d-rep"),
                                QStringLiteral("--report"), q(report), QStringLiteral("--jobs"), QStringLiteral("2")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.out.contains(QStringLiteral("  migrated                2\n")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("  failed                  1\n")), qPrintable(r.out));
        QVERIFY(r.out.contains(QStringLiteral("signals_strategy_broken.json [L2]: line 1, column 24: unexpected end of input")));
        const QJsonObject root = QJsonDocument::fromJson(QByteArray::fromStdString(readText(report))).object();
        QCOMPARE(root.value(QStringLiteral("destination")).toString(), q(tmp() / "d-rep"));
        QCOMPARE(root.value(QStringLiteral("dry_run")), QJsonValue(false));
        const QJsonObject totals = root.value(QStringLiteral("totals")).toObject();
        QCOMPARE(totals.value(QStringLiteral("files_seen")).toInt(), 3);
        QCOMPARE(totals.value(QStringLiteral("migrated")).toInt(), 2);
        QCOMPARE(totals.value(QStringLiteral("failed")).toInt(), 1);
        QCOMPARE(totals.value(QStringLiteral("traces_written")).toInt(), 2);
        QCOMPARE(totals.value(QStringLiteral("changes_read")).toInt(), 40);
        QCOMPARE(totals.value(QStringLiteral("changes_written")).toInt(), 40);
        const QJsonArray files = root.value(QStringLiteral("files")).toArray();
        QCOMPARE(files.size(), 3);
        const QJsonObject broken = files[2].toObject();
        QCOMPARE(broken.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        QCOMPARE(broken.value(QStringLiteral("reason")).toString(), QStringLiteral("line 1, column 24: unexpected end of input"));
        const QJsonObject trace = files[0].toObject().value(QStringLiteral("traces")).toArray()[0].toObject();
        QCOMPARE(trace.value(QStringLiteral("kind")).toString(), QStringLiteral("signal"));
        QCOMPARE(trace.value(QStringLiteral("name")).toString(), QStringLiteral("cci_grid_0"));
        QCOMPARE(trace.value(QStringLiteral("symbol")).toString(), QStringLiteral("SPY"));
        QCOMPARE(trace.value(QStringLiteral("run")).toString(), QStringLiteral("20250301_120000"));
        QCOMPARE(trace.value(QStringLiteral("changes")).toInt(), 20);
        QVERIFY(trace.value(QStringLiteral("file_path")).toString().startsWith(QStringLiteral("signals/cci_grid/cci_grid_0_")));
        QVERIFY(fs::exists(tmp() / "d-rep" / trace.value(QStringLiteral("file_path")).toString().toStdString()));
    }

    void dryRunPlan()
    {
        const Run r = runSigscope({QStringLiteral("migrate"), q(tmp() / "good"), QStringLiteral("--into"), q(tmp() / "d-plan"),
                                QStringLiteral("--dry-run")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(!fs::exists(tmp() / "d-plan"));
        QCOMPARE(r.out.count(QStringLiteral("\n    -> signal cci_grid_")), 5);
        QVERIFY2(r.out.contains(QStringLiteral(" run 20250301_120000 (20 changes) -> signals/cci_grid/cci_grid_0_")), qPrintable(r.out));
        QVERIFY(r.out.contains(QStringLiteral("traces to write         5")));
    }

    void verifyAgainstSources()
    {
        const fs::path dest = tmp() / "d-verify";
        QCOMPARE(runSigscope({QStringLiteral("migrate"), q(tmp() / "good"), QStringLiteral("--into"), q(dest), QStringLiteral("--quiet")}).exitCode, 0);
        Run r = runSigscope({QStringLiteral("verify"), q(dest), QStringLiteral("--against"), q(tmp() / "good")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        // Lose one trace: verify names it.
        const auto report = migration::migrate({tmp() / "good"}, dest, {});
        fs::remove(dest / report.files.at(3).traces.at(0).filePath);
        r = runSigscope({QStringLiteral("verify"), q(dest), QStringLiteral("--against"), q(tmp() / "good")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(QStringLiteral("missing-trace")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("cci_grid_3 SPY run 20250301_120000: not in the storage (20 changes)")), qPrintable(r.out));
    }

    // SIGKILL while writing, at several points; a re-run then leaves exactly what an
    // uninterrupted migration leaves (data files and indexes, write times aside).
    void killAndRerun_data()
    {
        QTest::addColumn<int>("killAfter");
        QTest::newRow("at once") << 0;
        QTest::newRow("after 20 traces") << 20;
        QTest::newRow("after 120 traces") << 120;
        QTest::newRow("after 260 traces") << 260;
    }
    void killAndRerun()
    {
        QFETCH(int, killAfter);
        const fs::path src = tmp() / "kill-src/workspaces/tmp/20250301_120000";
        const fs::path reference = tmp() / "kill-reference";
        if (!fs::exists(reference)) {
            writeRun(src, 300);
            QCOMPARE(migration::migrate({src}, reference, {}).totals.migrated, 300u);
        }
        const fs::path dest = tmp() / ("kill-" + std::to_string(killAfter));
        QProcess p;
        p.start(sigscope::test::sigscopeBinary(),
                {QStringLiteral("migrate"), q(src), QStringLiteral("--into"), q(dest), QStringLiteral("--quiet")});
        QVERIFY(p.waitForStarted());
        while (p.state() == QProcess::Running && dataFiles(dest) < std::size_t(killAfter))
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        p.kill(); // SIGKILL
        p.waitForFinished();
        qInfo("killed with %zu of 300 data files written", dataFiles(dest));

        const Run rerun = runSigscope({QStringLiteral("migrate"), q(src), QStringLiteral("--into"), q(dest), QStringLiteral("--quiet")});
        QVERIFY2(rerun.exitCode == 0, qPrintable(rerun.out + rerun.err));
        QCOMPARE(dataFiles(dest), std::size_t(300));
        QVERIFY(storageContent(dest) == storageContent(reference));
        QCOMPARE(runSigscope({QStringLiteral("verify"), q(dest)}).exitCode, 0);
        // What the killed run had not renamed into place is gone too.
        for (const auto& e : fs::recursive_directory_iterator(dest))
            QVERIFY2(e.path().filename().string().find(".tmp.") == std::string::npos, e.path().c_str());
    }

    // Ctrl+C stops a migration cleanly: exit 1, a message that says how far it got, a report that
    // lists the files not reached as cancelled, only complete traces on disk; the same command
    // again finishes the job exactly as an uninterrupted migration.
    void interruptThenRerun()
    {
        const fs::path src = tmp() / "interrupt-src/workspaces/tmp/20250301_120000";
        const fs::path reference = tmp() / "interrupt-reference";
        constexpr int files = 2000;
        writeRun(src, files);
        QCOMPARE(migration::migrate({src}, reference, {}).totals.migrated, std::uint64_t(files));
        const fs::path dest = tmp() / "interrupt-dest";
        const fs::path report = tmp() / "interrupt-report.json";
        QProcess p;
        p.start(sigscope::test::sigscopeBinary(), {QStringLiteral("migrate"), q(src), QStringLiteral("--into"), q(dest),
                                                   QStringLiteral("--jobs"), QStringLiteral("1"), QStringLiteral("--report"),
                                                   q(report)});
        QVERIFY(p.waitForStarted());
        while (p.state() == QProcess::Running && dataFiles(dest) < 20)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        QCOMPARE(p.state(), QProcess::Running);
        QCOMPARE(::kill(pid_t(p.processId()), SIGINT), 0);
        QVERIFY(p.waitForFinished(60000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 1);
        QVERIFY2(err.contains(QStringLiteral(" files: what was read is written completely; run the same command again to "
                                             "finish")),
                 qPrintable(err));

        const QJsonObject json = QJsonDocument::fromJson(QByteArray::fromStdString(sigscope::test::readFile(report))).object();
        QCOMPARE(json.value(QStringLiteral("cancelled")).toBool(), true);
        const QJsonObject totals = json.value(QStringLiteral("totals")).toObject();
        const int cancelled = totals.value(QStringLiteral("cancelled")).toInt();
        const int migrated = totals.value(QStringLiteral("migrated")).toInt();
        QVERIFY2(cancelled > 0, qPrintable(err));
        QCOMPARE(migrated + cancelled, files);
        QVERIFY2(err.contains(QStringLiteral("interrupted after %1 of %2 files").arg(migrated).arg(files)), qPrintable(err));
        // What the report calls migrated is on disk, and nothing more.
        QCOMPARE(dataFiles(dest), std::size_t(migrated));
        QCOMPARE(runSigscope({QStringLiteral("verify"), q(dest)}).exitCode, 0);

        const Run rerun = runSigscope({QStringLiteral("migrate"), q(src), QStringLiteral("--into"), q(dest), QStringLiteral("--quiet"),
                                       QStringLiteral("--report"), q(report)});
        QVERIFY2(rerun.exitCode == 0, qPrintable(rerun.out + rerun.err));
        const QJsonObject again = QJsonDocument::fromJson(QByteArray::fromStdString(sigscope::test::readFile(report))).object();
        QCOMPARE(again.value(QStringLiteral("totals")).toObject().value(QStringLiteral("unchanged")).toInt(), migrated);
        QCOMPARE(again.value(QStringLiteral("totals")).toObject().value(QStringLiteral("migrated")).toInt(), cancelled);
        QVERIFY(storageContent(dest) == storageContent(reference));
    }

    // Under a locale whose decimal point is a comma, numbers keep their '.': a file that nlohmann
    // reads (the streaming reader declines a byte order mark) gives the same parameters and name.
    void commaLocaleKeepsDecimalPoint()
    {
        const fs::path locales = tmp() / "locales";
        fs::create_directories(locales);
        QProcess def;
        def.start(QStringLiteral("localedef"), {QStringLiteral("-i"), QStringLiteral("de_DE"), QStringLiteral("-f"),
                                               QStringLiteral("UTF-8"), q(locales / "de_DE.UTF-8")});
        if (!def.waitForFinished(60000) || def.exitStatus() != QProcess::NormalExit || !fs::exists(locales / "de_DE.UTF-8"))
            QSKIP("localedef cannot build de_DE.UTF-8 here (package locales' sources missing)");
        const fs::path src = tmp() / "locale-src/20250101_120000";
        writeText(src / "signals_strategy_SPY_rsi_14_20250101_120000.json",
                  "\xef\xbb\xbf" + l2Dump("strategy_SPY_rsi_14", 10, l2Change(1, "SPY", "SPY_rsi_14", "1"),
                                             R"("strategy_parameters": {"rsi_14": {"type": "rsi", "params": {"threshold": 0.5}}})"));
        const fs::path dest = tmp() / "locale-dest";
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("LOCPATH"), q(locales));
        env.insert(QStringLiteral("LC_ALL"), QStringLiteral("de_DE.UTF-8"));
        p.setProcessEnvironment(env);
        p.start(sigscope::test::sigscopeBinary(),
                {QStringLiteral("migrate"), q(tmp() / "locale-src"), QStringLiteral("--into"), q(dest), QStringLiteral("--quiet")});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(dest / "signals/rsi"))
            if (e.path().filename() != "index.json" && !e.path().filename().string().starts_with("."))
                files.push_back(e.path());
        QCOMPARE(files.size(), std::size_t(1));
        QVERIFY2(files.front().filename().string().starts_with("rsi_14_th_0.5_"), files.front().c_str());
        const std::string text = sigscope::test::readFile(files.front());
        QVERIFY2(text.find(R"("parameters": {"threshold":0.5})") != std::string::npos, text.c_str());
    }
};

QTEST_GUILESS_MAIN(TestMigrationCli)
#include "tst_migration_cli.moc"
