// Hostile and damaged legacy inputs (issue 11, migration items): deep nesting never crashes,
// "migrate exits 0 => verify is clean" (repeats dropped and counted, bars going backwards and
// negative prices fail the trace), the counts after a failed batch, and a true status and
// reason for every file migrate sees (white space, damaged dumps, JSON lines, Parquet).
#include "core/migration/discovery.h"
#include "core/migration/migration.h"
#include "core/storage/verify.h"
#include "tests/core/migration_testutil.h"
#include "tests/support/testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace sigscope::core;
using namespace sigscope::core::migration;
using namespace sigscope::test::migration;
using Result = ParsedSource::Result;

Q_DECLARE_METATYPE(ParsedSource::Result)

namespace {

// {"a": {"a": ... 1 ...}}: `levels` objects.
std::string nestedObjects(std::size_t levels)
{
    std::string out;
    out.reserve(levels * 6 + 1);
    for (std::size_t i = 0; i < levels; ++i)
        out += "{\"a\":";
    out += '1';
    out.append(levels, '}');
    return out;
}

std::string nestedLists(std::size_t levels)
{
    return std::string(levels, '[') + std::string(levels, ']');
}

const FileOutcome* outcome(const MigrationReport& r, std::string_view fileName)
{
    for (const auto& f : r.files)
        if (fs::path(f.path).filename() == fileName)
            return &f;
    return nullptr;
}

const TraceOutcome* traceNamed(const FileOutcome& f, std::string_view name)
{
    for (const auto& t : f.traces)
        if (t.name == name)
            return &t;
    return nullptr;
}

std::string verifyFindings(const VerifyResult& v)
{
    std::string out;
    for (const auto& f : v.findings)
        out += f.code + " " + f.path + ": " + f.message + "\n";
    return out;
}

} // namespace

class TestMigrationHostile : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tmp;
    int m_case = 0;

    fs::path tmp() const { return fs::path(m_tmp.path().toStdString()); }
    fs::path fresh(const std::string& name) { return tmp() / (name + "_" + std::to_string(++m_case)); }


private Q_SLOTS:
    void depthLimit_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<ParsedSource::Result>("result");
        QTest::addColumn<QString>("reason");
        QCOMPARE(kMaxLegacyDepth, std::size_t(256));
        const std::string change = l2Change(3, "SPY", "SPY_rsi_14", "1");
        const auto dump = [&](std::string_view metadata) {
            return QByteArray::fromStdString(l2Dump("r", 10, change, metadata));
        };
        QTest::newRow("parameters 50,000 deep")
            << QStringLiteral("p.json") << dump("\"parameters\": " + nestedObjects(50000)) << Result::Failed
            << QStringLiteral("a value nested deeper than 256 levels (in metadata.parameters)");
        QTest::newRow("strategy parameters")
            << QStringLiteral("sp.json")
            << dump("\"strategy_parameters\": {\"rsi_14\": {\"type\": \"rsi\", \"params\": " + nestedObjects(30000) + "}}")
            << Result::Failed
            << QStringLiteral("a value nested deeper than 256 levels (in metadata.strategy_parameters.rsi_14.params)");
        QTest::newRow("skipped key")
            << QStringLiteral("perf.json")
            << QByteArray::fromStdString("{\"performance\": " + nestedLists(40000) + ", \"changes\": [" + change + "]}")
            << Result::Failed << QStringLiteral("a value nested deeper than 256 levels (in performance)");
        QTest::newRow("inside a change")
            << QStringLiteral("c.json")
            << QByteArray::fromStdString("{\"changes\": [{\"idx\": 1, \"val\": 1, \"strat\": \"a\", \"x\": "
                                         + nestedLists(20000) + "}]}")
            << Result::Failed << QStringLiteral("a value nested deeper than 256 levels (in changes)");
        QTest::newRow("top-level list") << QStringLiteral("l.json") << QByteArray::fromStdString(nestedLists(100000))
                                        << Result::Failed << QStringLiteral("a value nested deeper than 256 levels");
        QTest::newRow("JSON lines")
            << QStringLiteral("s.jsonl")
            << QByteArray::fromStdString("{\"t\": 1, \"s\": \"SPY\", \"v\": 1, \"id\": \"a\"}\n{\"t\": 2, \"s\": \"SPY\", "
                                         "\"v\": 1, \"id\": \"a\", \"x\": " + nestedLists(20000) + "}\n")
            << Result::Failed << QStringLiteral("line 2: a value nested deeper than 256 levels");
        // The limit counts the document itself: 256 levels are read, 257 are not.
        QTest::newRow("256 levels")
            << QStringLiteral("ok.json")
            << QByteArray::fromStdString("{\"performance\": " + nestedLists(255) + ", \"changes\": [" + change + "]}")
            << Result::Ok << QString();
        QTest::newRow("257 levels")
            << QStringLiteral("deep.json")
            << QByteArray::fromStdString("{\"performance\": " + nestedLists(256) + ", \"changes\": [" + change + "]}")
            << Result::Failed << QStringLiteral("a value nested deeper than 256 levels (in performance)");
    }
    void depthLimit()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, content);
        QFETCH(ParsedSource::Result, result);
        QFETCH(QString, reason);
        const fs::path path = fresh("deep") / name.toStdString();
        writeText(path, std::string_view(content.constData(), std::size_t(content.size())));
        const ParsedSource p = readLegacyPath(path);
        QCOMPARE(QString::fromStdString(p.reason), reason);
        QCOMPARE(p.result, result);
        QCOMPARE(p.traces.size(), std::size_t(result == Result::Ok ? 1 : 0));
    }

    // A deep dump fails alone; the run goes on with the other files.
    void deepDumpInAMigration()
    {
        const fs::path src = fresh("deeprun") / "workspaces/tmp/20250101_100000";
        writeText(src / "signals_strategy_SPY_a_20250101_100000.json",
                  l2Dump("r", 10, l2Change(3, "SPY", "SPY_a", "1"), "\"parameters\": " + nestedObjects(60000)));
        writeText(src / "signals_strategy_SPY_b_20250101_100000.json", l2Dump("r", 10, l2Change(3, "SPY", "SPY_b", "1")));
        const fs::path dest = src.parent_path().parent_path().parent_path() / "dest";
        const MigrationReport r = migrate({src}, dest);
        QCOMPARE(r.files.size(), std::size_t(2));
        const FileOutcome* deep = outcome(r, "signals_strategy_SPY_a_20250101_100000.json");
        QVERIFY(deep);
        QCOMPARE(deep->status, Status::Failed);
        QCOMPARE(deep->reason, std::string("a value nested deeper than 256 levels (in metadata.parameters)"));
        QCOMPARE(outcome(r, "signals_strategy_SPY_b_20250101_100000.json")->status, Status::Migrated);
        QCOMPARE(r.exitCode(), 3);
        QVERIFY(verifyStorage(dest).clean());
    }

    // Discovery walks with a stack of its own: a deep tree is walked whole, in name order.
    void deepFolderTree()
    {
        const fs::path root = fresh("tree");
        fs::path dir = root / "src";
        for (int i = 0; i < 900; ++i)
            dir /= "d";
        writeText(dir / "b.json", l2Dump("r", 10, l2Change(3, "SPY", "SPY_b", "1")));
        writeText(dir / "a.json", l2Dump("r", 10, l2Change(3, "SPY", "SPY_a", "1")));
        writeText(root / "src/z.json", l2Dump("r", 10, l2Change(3, "SPY", "SPY_z", "1")));
        const Discovery d = discoverSources({root / "src"});
        QCOMPARE(d.files.size(), std::size_t(3));
        QCOMPARE(d.files[0].path, dir / "a.json");
        QCOMPARE(d.files[1].path, dir / "b.json");
        QCOMPARE(d.files[2].path, root / "src/z.json");
    }

    void repeatedValueIsDropped()
    {
        const fs::path root = fresh("repeat");
        const fs::path src = root / "workspaces/tmp/20250101_100000";
        const std::string changes = l2Change(30, "SPY", "SPY_rsi_14", "1") + "," + l2Change(38, "SPY", "SPY_rsi_14", "1")
            + "," + l2Change(40, "SPY", "SPY_rsi_14", "-1") + "," + l2Change(41, "SPY", "SPY_rsi_14", "-1") + ","
            + l2Change(45, "SPY", "SPY_rsi_14", "-1");
        writeText(src / "signals_strategy_SPY_rsi_14_20250101_100000.json", l2Dump("strategy_SPY_rsi_14", 50, changes));
        // A classifier and an L5 list repeat too.
        writeText(src / "signals_classifier_SPY_trend_20250101_100000.json",
                  l2Dump("classifier_SPY_trend", 50,
                         l2Change(1, "SPY", "SPY_trend", "\"up\"") + "," + l2Change(2, "SPY", "SPY_trend", "\"up\"") + ","
                             + l2Change(3, "SPY", "SPY_trend", "\"down\"")));
        writeText(src / "minimal.json", R"([{"bar_idx": 7, "signal": 1}, {"bar_idx": 5, "signal": 1}, {"bar_idx": 9, "signal": 0}])");
        const fs::path dest = root / "dest";
        const MigrationReport r = migrate({src}, dest);
        QCOMPARE(r.exitCode(), 0);
        const FileOutcome* f = outcome(r, "signals_strategy_SPY_rsi_14_20250101_100000.json");
        QVERIFY(f);
        QCOMPARE(f->status, Status::Migrated);
        QCOMPARE(f->traces.size(), std::size_t(1));
        QCOMPARE(f->traces[0].changes, std::uint64_t(2));
        QCOMPARE(f->traces[0].repeatsDropped, std::uint64_t(3));
        const FileOutcome* c = outcome(r, "signals_classifier_SPY_trend_20250101_100000.json");
        QCOMPARE(c->traces[0].changes, std::uint64_t(2));
        QCOMPARE(c->traces[0].repeatsDropped, std::uint64_t(1));
        const FileOutcome* m = outcome(r, "minimal.json");
        QCOMPARE(m->traces[0].changes, std::uint64_t(2));
        QCOMPARE(m->traces[0].repeatsDropped, std::uint64_t(1));
        QCOMPARE(r.totals.changesRead, std::uint64_t(11));
        QCOMPARE(r.totals.changesWritten, std::uint64_t(6));
        QCOMPARE(r.totals.changesNormalised, std::uint64_t(5));
        const VerifyResult v = verifyStorage(dest);
        QVERIFY2(v.clean(), verifyFindings(v).c_str());

        const QJsonObject report = QJsonDocument::fromJson(QByteArray::fromStdString(reportToJson(r))).object();
        QCOMPARE(report.value(QStringLiteral("totals")).toObject().value(QStringLiteral("changes_normalised")).toInt(), 5);
        for (const auto file : report.value(QStringLiteral("files")).toArray()) {
            if (!file.toObject().value(QStringLiteral("path")).toString().endsWith(QStringLiteral("rsi_14_20250101_100000.json")))
                continue;
            const QJsonObject t = file.toObject().value(QStringLiteral("traces")).toArray().at(0).toObject();
            QCOMPARE(t.value(QStringLiteral("repeats_dropped")).toInt(), 3);
            QCOMPARE(t.value(QStringLiteral("changes")).toInt(), 2);
        }

        // Migrating again: the normalised traces are found unchanged, and verify --against is clean.
        const MigrationReport again = migrate({src}, dest);
        QCOMPARE(again.totals.unchanged, std::uint64_t(3));
        QCOMPARE(again.totals.changesNormalised, std::uint64_t(5));
        QVERIFY(verifyAgainstSources(dest, {src}).clean());
    }

    void invalidTraceFails_data()
    {
        QTest::addColumn<QString>("changes");
        QTest::addColumn<QString>("reason");
        QTest::newRow("bars backwards")
            << QString::fromStdString(l2Change(10, "SPY", "SPY_x", "1") + "," + l2Change(5, "SPY", "SPY_x", "-1"))
            << QStringLiteral("x: change 2: idx 5 after 10 (bars go backwards)");
        QTest::newRow("negative price")
            << QString::fromStdString(l2Change(10, "SPY", "SPY_x", "1") + ","
                                      + l2Change(12, "SPY", "SPY_x", "-1", "2024-03-26T13:59:00+00:00", "-1.5"))
            << QStringLiteral("x: change 2: px -1.5 is negative");
        QTest::newRow("empty regime") << QString::fromStdString(l2Change(10, "SPY", "SPY_x", "\"\""))
                                      << QStringLiteral("x: change 1: the regime name is empty");
        QTest::newRow("confidence")
            << QStringLiteral(R"({"idx": 3, "sym": "SPY", "strat": "SPY_x", "val": "up", "confidence": 1.5})")
            << QStringLiteral("x: change 1: confidence 1.5 is outside [0, 1]");
    }
    void invalidTraceFails()
    {
        QFETCH(QString, changes);
        QFETCH(QString, reason);
        const fs::path root = fresh("invalid");
        const fs::path src = root / "workspaces/tmp/20250101_100000";
        // The file's other trace is fine and written.
        writeText(src / "signals_strategy_mixed_20250101_100000.json",
                  l2Dump("strategy_mixed", 50, changes.toStdString() + "," + l2Change(4, "SPY", "SPY_ok", "1")));
        const fs::path dest = root / "dest";
        const MigrationReport r = migrate({src}, dest);
        QCOMPARE(r.files.size(), std::size_t(1));
        const FileOutcome& f = r.files[0];
        QCOMPARE(f.status, Status::Failed);
        QCOMPARE(QString::fromStdString(f.reason), reason);
        const TraceOutcome* bad = traceNamed(f, "x");
        QVERIFY(bad);
        QCOMPARE(bad->status, Status::Failed);
        QCOMPARE(traceNamed(f, "ok")->status, Status::Migrated);
        QCOMPARE(r.exitCode(), 3);
        QCOMPARE(r.totals.tracesWritten, std::uint64_t(1));
        const VerifyResult v = verifyStorage(dest);
        QVERIFY2(v.clean(), verifyFindings(v).c_str());
    }

    // A batch that fails in its second type folder has committed the first: those traces were
    // written by this run and count as migrated, not as unchanged.
    void failedBatchCounts()
    {
        const fs::path root = fresh("batch");
        const fs::path src = root / "workspaces/tmp/20250101_100000";
        const std::string params = R"("strategy_parameters": {"rsi_14": {"type": "rsi", "params": {}}, )"
                                   R"("macd_12_26": {"type": "macd", "params": {}}})";
        writeText(src / "signals_strategy_two_20250101_100000.json",
                  l2Dump("strategy_two", 50,
                         l2Change(3, "SPY", "SPY_rsi_14", "1") + "," + l2Change(4, "SPY", "SPY_macd_12_26", "-1"), params));
        const fs::path dest = root / "dest";
        MigrationOptions dry;
        dry.dryRun = true;
        const MigrationReport plan = migrate({src}, dest, dry);
        QCOMPARE(plan.files.at(0).traces.size(), std::size_t(2));
        const std::string rsiPath = traceNamed(plan.files[0], "rsi_14")->filePath;
        const std::string macdPath = traceNamed(plan.files[0], "macd_12_26")->filePath;
        QVERIFY(fs::path(rsiPath).parent_path() != fs::path(macdPath).parent_path());
        // The index of the second folder cannot be written (as on a full disk).
        fs::create_directories(dest / fs::path(macdPath).parent_path() / "index.json" / "blocked");

        const MigrationReport r = migrate({src}, dest);
        const FileOutcome& f = r.files.at(0);
        QCOMPARE(traceNamed(f, "rsi_14")->status, Status::Migrated);
        QCOMPARE(traceNamed(f, "macd_12_26")->status, Status::Failed);
        QVERIFY(fs::exists(dest / rsiPath));
        QCOMPARE(r.totals.tracesWritten, std::uint64_t(1));
        QCOMPARE(r.totals.changesWritten, std::uint64_t(1));
        QCOMPARE(r.totals.changesUnchanged, std::uint64_t(0));
        QCOMPARE(r.totals.changesFailed, std::uint64_t(1));
    }

    void noJsonText_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<ParsedSource::Result>("result");
        QTest::addColumn<QString>("reason");
        // More spaces than the reader's first look (64 KiB) takes: the same words as for a few.
        QTest::newRow("100 KB of spaces") << QStringLiteral("spaces.json") << QByteArray(100000, ' ')
                                          << Result::Unrecognised << QStringLiteral("no JSON value (only white space)");
        QTest::newRow("a few spaces") << QStringLiteral("few.json") << QByteArray("   \n\t ") << Result::Unrecognised
                                      << QStringLiteral("no JSON value (only white space)");
        QTest::newRow("empty") << QStringLiteral("e.json") << QByteArray() << Result::Unrecognised
                               << QStringLiteral("empty file");
        // A file named as a tracer dump that holds no JSON is a damaged dump.
        QTest::newRow("empty dump") << QStringLiteral("signals_strategy_SPY_a_20250101_100000.json") << QByteArray()
                                    << Result::Failed << QStringLiteral("damaged signal dump: empty file");
        QTest::newRow("binary dump")
            << QStringLiteral("signals_strategy_SPY_b_20250101_100000.json") << QByteArray("\x89PNG\r\n\x1a\n\x00\x00", 10)
            << Result::Failed
            << QStringLiteral("damaged signal dump: not JSON: line 1, column 1: unexpected byte 0x89 (binary data, not JSON text)");
        QTest::newRow("zeros dump") << QStringLiteral("signals_classifier_SPY_c.json") << QByteArray(4096, '\0')
                                    << Result::Failed
                                    << QStringLiteral("damaged signal dump: not JSON: line 1, column 1: unexpected byte 0x00 "
                                                      "(binary data, not JSON text)");
        QTest::newRow("white space dump") << QStringLiteral("signals_strategy_SPY_d.json") << QByteArray(70000, '\n')
                                          << Result::Failed
                                          << QStringLiteral("damaged signal dump: no JSON value (only white space)");
        QTest::newRow("event log")
            << QStringLiteral("events.jsonl")
            << QByteArray("{\"event\": \"start\", \"time\": 1718000000}\n{\"event\": \"bar\", \"n\": 1}\n{\"event\": \"stop\"}\n")
            << Result::Unrecognised << QStringLiteral("JSON lines, not a signal dump");
        QTest::newRow("event log named .json")
            << QStringLiteral("log.json") << QByteArray("{\"a\": [1, 2]}\r\n\r\n{\"b\": {\"c\": null}}\r\n")
            << Result::Unrecognised << QStringLiteral("JSON lines, not a signal dump");
        QTest::newRow("Parquet without footer")
            << QStringLiteral("cut.parquet") << QByteArray("PAR1\x15\x04\x15\x10", 8) << Result::Failed
            << QStringLiteral("damaged Parquet file: no footer (truncated?)");
        // Parquet of other columns (market bars): a footer that names "ts" and "close", no "idx".
        const std::string footer = std::string("\x02") + "ts" + "\x05" + "close";
        std::string bars = "PAR1";
        bars += std::string(16, '\0') + footer;
        bars += static_cast<char>(footer.size());
        bars += std::string(3, '\0') + "PAR1";
        QTest::newRow("Parquet of bars")
            << QStringLiteral("SPY_1m.parquet") << QByteArray::fromStdString(bars) << Result::Unrecognised
            << QStringLiteral("Parquet file without the trace columns idx, ts, sym, val, strat, px (not a trace)");
    }
    void noJsonText()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, content);
        QFETCH(ParsedSource::Result, result);
        QFETCH(QString, reason);
        const fs::path path = fresh("text") / name.toStdString();
        writeText(path, std::string_view(content.constData(), std::size_t(content.size())));
        const ParsedSource p = readLegacyPath(path);
        QCOMPARE(QString::fromStdString(p.reason), reason);
        QCOMPARE(p.result, result);
        QVERIFY(p.traces.empty());
    }

    // A FIFO named like a dump fails at once with its file type; the read never blocks.
    void fifoDumpFails()
    {
        const fs::path path = fresh("fifo") / "signals_strategy_x_20250101_100000.json";
        fs::create_directories(path.parent_path());
        QCOMPARE(::mkfifo(path.c_str(), 0600), 0);
        const ParsedSource p = readLegacyPath(path);
        QCOMPARE(p.result, Result::Failed);
        QCOMPARE(QString::fromStdString(p.reason), QStringLiteral("not a regular file (FIFO)"));
    }

    // Strict JSON, as every reader of the library: a repeated key in captured parameters fails the file.
    void duplicateParameterKeyFails()
    {
        const fs::path path = fresh("dup") / "signals_strategy_x_20250101_100000.json";
        writeText(path, l2Dump("strategy_x", 50, l2Change(4, "SPY", "SPY_x", "1"),
                               R"("parameters": {"period": 5, "period": 7})"));
        const ParsedSource p = readLegacyPath(path);
        QCOMPARE(p.result, Result::Failed);
        QCOMPARE(QString::fromStdString(p.reason), QStringLiteral("duplicate key \"period\""));
    }

    // Every file migrate sees gets a status and a reason: Parquet traces (migrated), the run's
    // metadata.json (skipped), a JSON-lines event log (unrecognised).
    void everyFileReported()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        const fs::path workspace = fixtures / "parquet/workspaces/expansive_grid_search_73511fd8";
        const fs::path root = fresh("seen");
        writeText(root / "events/run.jsonl", "{\"event\": \"start\"}\n{\"event\": \"stop\"}\n");
        const MigrationReport r = migrate({workspace, root / "events"}, root / "dest");
        QCOMPARE(r.totals.filesSeen, std::uint64_t(258 + 2));
        QCOMPARE(r.totals.migrated, std::uint64_t(258));
        QCOMPARE(r.totals.skipped, std::uint64_t(1));
        QCOMPARE(r.totals.unrecognised, std::uint64_t(1));
        QCOMPARE(r.exitCode(), 3);
        std::size_t parquet = 0;
        for (const FileOutcome& f : r.files) {
            if (f.path.ends_with(".parquet")) {
                ++parquet;
                QCOMPARE(f.variant, Variant::L6);
                QCOMPARE(f.status, Status::Migrated);
                QCOMPARE(f.reason, std::string());
            }
        }
        QCOMPARE(parquet, std::size_t(258));
        const FileOutcome* meta = outcome(r, "metadata.json");
        QVERIFY(meta);
        QCOMPARE(meta->variant, Variant::L6);
        QCOMPARE(meta->status, Status::Skipped);
        QCOMPARE(meta->reason, std::string("run metadata of a Parquet workspace (L6), not a trace (its total_bars goes "
                                           "to the run's traces)"));
        QCOMPARE(outcome(r, "run.jsonl")->status, Status::Unrecognised);
        QCOMPARE(outcome(r, "run.jsonl")->reason, std::string("JSON lines, not a signal dump"));
        QCOMPARE(std::string(variantName(Variant::L6)), std::string("L6"));
    }

    // The command line: a schema-B workspace and its config beside it, every file named.
    void parquetOnlyFolderCli()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        const fs::path dest = fresh("cli") / "dest";
        const auto run = sigscope::test::runSigscope(
            {QStringLiteral("migrate"), QString::fromStdString((fixtures / "parquet-schema-b").string()),
             QStringLiteral("--into"), QString::fromStdString(dest.string())});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(QStringLiteral("  files seen            109\n  migrated              108\n")),
                 qPrintable(run.out));
        QVERIFY2(run.out.contains(QStringLiteral("  unrecognised            0\n  skipped                 1\n")),
                 qPrintable(run.out));
        QVERIFY2(run.out.contains(QStringLiteral("  changes read         3741\n  changes written      3741\n")),
                 qPrintable(run.out));
        QVERIFY(run.out.contains(QStringLiteral(
            "config/expansive_grid_search.yaml: not a .json, .jsonl or .parquet file (a config file): not read\n")));
    }

    // The command line names normalised traces and counts the dropped repeats.
    void normalisedCli()
    {
        const fs::path root = fresh("normcli");
        const fs::path src = root / "workspaces/tmp/20250101_100000";
        writeText(src / "signals_strategy_SPY_rsi_14_20250101_100000.json",
                  l2Dump("strategy_SPY_rsi_14", 50,
                         l2Change(30, "SPY", "SPY_rsi_14", "1") + "," + l2Change(38, "SPY", "SPY_rsi_14", "1")));
        const auto run = sigscope::test::runSigscope({QStringLiteral("migrate"), QString::fromStdString(src.string()),
                                                      QStringLiteral("--into"),
                                                      QString::fromStdString((root / "dest").string())});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(QStringLiteral("  repeats dropped         1\n")), qPrintable(run.out));
        QVERIFY2(run.out.contains(QStringLiteral("(1 changes) -> ")), qPrintable(run.out));
        QVERIFY2(run.out.contains(QStringLiteral(": migrated, normalised: 1 repeated values dropped\n")), qPrintable(run.out));
    }
};

QTEST_GUILESS_MAIN(TestMigrationHostile)
#include "tst_migration_hostile.moc"
