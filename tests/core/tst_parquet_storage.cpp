// Format version 2 (docs/format.md "Version 2 (Parquet)"): v1 -> v2 -> v1 exactly, the hive
// layout read by plain DuckDB SQL as an outside engine would, a killed writer's leftovers never
// read, appending a run, and version-1 writers refusing a version-2 storage.
#include "core/demo/demo.h"
#include "core/sql/database.h"
#include "core/storage/parquetstorage.h"
#include "core/storage/parquetwriter.h"
#include "core/storage/storage.h"
#include "core/storage/storageconvert.h"
#include "core/storage/traceio.h"
#include "core/storage/verify.h"
#include "core/storage/writer.h"

#include "tests/support/testsupport.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <cstdio>
#include <map>
#include <regex>
#include <thread>

using namespace sigscope::core;
namespace fs = std::filesystem;

namespace {

// A folder inside a temporary one (the writers create it).
fs::path folderIn(const QTemporaryDir& dir, const char* name)
{
    return fs::path(dir.path().toStdString()) / name;
}

// Every file below root (relative path -> bytes), updated_at blanked (the only stamp a copy renews).
std::map<std::string, std::string> snapshot(const fs::path& root)
{
    static const std::regex stamp(R"re("updated_at"\s*:\s*"[^"]*")re");
    std::map<std::string, std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
        if (!e.is_regular_file() || e.path().filename() == "storage.json")
            continue;
        files[fs::relative(e.path(), root).generic_string()] =
            std::regex_replace(sigscope::test::readFile(e.path()), stamp, "\"updated_at\":\"\"");
    }
    return files;
}

std::map<std::string, IndexEntry> entriesByHash(const Storage& s)
{
    std::map<std::string, IndexEntry> out;
    for (const auto& index : s.readAllIndexes())
        for (const auto& e : index.entries)
            out.emplace(e.fileHash, e);
    return out;
}

// Traces that use every column: times in several forms, none, invalid text; prices; confidences;
// float, nested and text parameters; a run that needs escaping; a variant; metadata extras.
std::vector<Trace> awkwardTraces()
{
    TraceIdentity a;
    a.name = "rsi_bands_grid_11_15_65";
    a.parameters = Parameters::fromJson(R"({"band":2.0,"levels":[1,2],"mode":"x y","period":11})");
    a.symbol = "SPY";
    a.timeframe = "1m";
    a.run = "run 7/b=NULL";
    a.variant = 2;
    Trace s(a, "rsi_bands_grid");
    s.metadata.totalBars = 900;
    s.metadata.createdAt = "2026-01-05T14:03:11.120000Z";
    s.metadata.extras = {{"workflow_id", "\"grid_v1\""}, {"source", R"({"path": "a/b.json", "run_id": "r"})"}};
    s.appendSignal(3, "", 0, 0.0);
    s.appendSignal(20, "2024-03-26T13:50:00+00:00", 1, 522.25);
    s.appendSignal(31, "2024-03-26T14:01:00.5Z", -1, 517.9);
    s.appendSignal(31, "2024-01-32T10:00:00", 0, 0.0);
    s.appendSignal(41, "2024-03-26 14:11:00", 1, 1e-05);
    s.appendSignal(50, "2024-03-26T14:20:00+00:00", 0, 0.0);
    TraceIdentity b;
    b.kind = Kind::Classifier;
    b.name = "volatility_regime";
    b.parameters = Parameters{{"window", 20.0}};
    Trace c(b, "volatility");
    c.metadata.createdAt = "2026-01-05T14:03:11Z";
    c.appendRegime(0, "2024-03-26T13:30:00", "low", 0.75);
    c.appendRegime(7, "2024-03-26T13:37:00", "high", 1.0, 3.5);
    TraceIdentity e;
    e.name = "empty_one";
    Trace empty(e, "other");
    empty.metadata.createdAt = "2026-01-05T14:03:11Z";
    return {s, c, empty};
}

void compareTraces(const Trace& got, const Trace& want)
{
    QCOMPARE(got.identity, want.identity);
    QCOMPARE(got.type, want.type);
    QCOMPARE(got.metadata.totalBars, want.metadata.totalBars);
    QCOMPARE(got.metadata.createdAt, want.metadata.createdAt);
    QVERIFY(got.metadata.extras == want.metadata.extras);
    QVERIFY(got.sameChanges(want));
    QCOMPARE(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i)
        QCOMPARE(got.timeText(i), want.timeText(i));
    QCOMPARE(changesHash(got), changesHash(want));
}

std::int64_t count(sql::Database& db, const std::string& query)
{
    const sql::Table t = db.query(query);
    return t.rows == 1 ? t.columns.at(0).integers.at(0) : -1;
}

} // namespace

class TestParquetStorage : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    DemoResult m_demo;
    [[nodiscard]] fs::path v1() const { return folderIn(m_dir, "v1"); }
    [[nodiscard]] fs::path v2() const { return folderIn(m_dir, "v2"); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        DemoOptions o;
        o.bars = 1600;
        o.variants = 30;
        o.seed = 7;
        m_demo = generateDemo(v1(), o);
        const CopyResult copied = copyStorage(Storage::open(v1()), v2(), StorageFormat::Parquet);
        QVERIFY(copied.findings.empty());
        QCOMPARE(std::int64_t(copied.traces), m_demo.signalTraces + m_demo.classifierTraces);
        QCOMPARE(std::int64_t(copied.changes), m_demo.changes);
        QCOMPARE(copied.marketFiles, std::size_t{2});
    }

    void v1ToV2IsExact()
    {
        const Storage s1 = Storage::open(v1()), s2 = Storage::open(v2());
        QCOMPARE(s2.formatVersion(), 2);
        QVERIFY(!s2.isWorkspace());
        QCOMPARE(s2.types(Kind::Signal), s1.types(Kind::Signal));
        QCOMPARE(s2.types(Kind::Classifier), s1.types(Kind::Classifier));
        const auto e1 = entriesByHash(s1), e2 = entriesByHash(s2);
        QCOMPARE(e2.size(), e1.size());
        for (const auto& [hash, want] : e1) {
            const auto it = e2.find(hash);
            QVERIFY2(it != e2.end(), hash.c_str());
            IndexEntry got = it->second;
            QVERIFY(isParquetTracePath(s2.absolutePath(got)));
            got.filePath = want.filePath; // the one field that names the storage's own files
            got.storedFilePath = want.storedFilePath;
            QCOMPARE(got, want);
            compareTraces(loadTrace(s2.absolutePath(it->second)), loadTrace(s1.absolutePath(want)));
            QCOMPARE(loadTrace(s2.absolutePath(it->second)).metadata, loadTrace(s1.absolutePath(want)).metadata);
        }
        QVERIFY(verifyStorage(v2()).clean());
    }

    void v2ToV1GivesTheSameFiles()
    {
        const fs::path back = folderIn(m_dir, "v1-again");
        const CopyResult copied = copyStorage(Storage::open(v2()), back, StorageFormat::Json);
        QCOMPARE(std::int64_t(copied.changes), m_demo.changes);
        QVERIFY(snapshot(back) == snapshot(v1()));
    }

    void awkwardTracesRoundTrip()
    {
        QTemporaryDir dir;
        const fs::path root = folderIn(dir, "s");
        const auto traces = awkwardTraces();
        const ParquetWriteResult written = ParquetStorageWriter(root).write(traces);
        QCOMPARE(written.traces, std::size_t{3});
        QCOMPARE(written.files.size(), std::size_t{6});
        QCOMPARE(written.files[0], std::string("changes/kind=signal/type=rsi_bands_grid/run=run%207%2Fb%3DNULL/part-0.parquet"));
        QCOMPARE(written.files[3],
                 std::string("traces/kind=classifier/type=volatility/run=__HIVE_DEFAULT_PARTITION__/part-0.parquet"));
        const Storage s = Storage::open(root);
        std::size_t seen = 0;
        for (const auto& index : s.readAllIndexes())
            for (const auto& e : index.entries) {
                const Trace got = loadTrace(s.absolutePath(e));
                for (const auto& want : traces)
                    if (want.identity == got.identity) {
                        compareTraces(got, want);
                        ++seen;
                    }
            }
        QCOMPARE(seen, std::size_t{3});
        // Back to version 1 and again: the JSON files are the ones the v1 writer makes directly.
        const fs::path direct = folderIn(dir, "direct"), via = folderIn(dir, "via");
        StorageWriter(direct).writeBatch(traces);
        copyStorage(s, via, StorageFormat::Json);
        QVERIFY(snapshot(via) == snapshot(direct));
    }

    // verify reads every trace back and checks it against its row: a changes_hash that does not
    // match the changes is an error naming the trace.
    void verifyChecksTheRows()
    {
        QTemporaryDir dir;
        const fs::path root = folderIn(dir, "s");
        ParquetStorageWriter(root).write(awkwardTraces());
        QVERIFY(verifyStorage(root).clean());
        const fs::path part = root / "traces/kind=classifier/type=volatility/run=__HIVE_DEFAULT_PARTITION__/part-0.parquet";
        const fs::path edited = part.parent_path() / "edited.parquet";
        sql::FileWriter db;
        db.execute("COPY (SELECT * REPLACE ('0000000000000000' AS changes_hash) FROM read_parquet('" + part.string()
                   + "')) TO '" + edited.string() + "' (FORMAT parquet)");
        fs::rename(edited, part);
        const VerifyResult result = verifyStorage(root);
        QCOMPARE(result.findings.size(), std::size_t{1});
        const Finding& f = result.findings.front();
        QCOMPARE(f.code, std::string("hash-mismatch"));
        QCOMPARE(f.path, std::string("traces/kind=classifier/type=volatility/run=__HIVE_DEFAULT_PARTITION__/part-0.parquet#"
                                     "volatility_regime_eefb50be"));
        QCOMPARE(f.message, "the traces row says changes_hash 0000000000000000, the changes hash to "
                                + hex16(changesHash(awkwardTraces()[1])));
    }

    void outsideEngineReadsTheHiveLayout()
    {
        sql::Database db;
        const std::string root = fs::absolute(v2()).string();
        const std::string traces = "read_parquet('" + root + "/traces/*/*/*/*.parquet', hive_partitioning = true)";
        const std::string changes = "read_parquet('" + root + "/changes/*/*/*/*.parquet', hive_partitioning = true)";
        QCOMPARE(count(db, "SELECT count(*) FROM " + traces), m_demo.signalTraces + m_demo.classifierTraces);
        QCOMPARE(count(db, "SELECT count(*) FROM " + traces + " WHERE kind = 'signal'"), m_demo.signalTraces);
        QCOMPARE(count(db, "SELECT count(*) FROM " + changes), m_demo.changes);
        QCOMPARE(count(db, "SELECT sum(changes) FROM " + traces), m_demo.changes);
        QCOMPARE(count(db, "SELECT count(*) FROM " + traces + " WHERE run = '__HIVE_DEFAULT_PARTITION__'"),
                 m_demo.signalTraces + m_demo.classifierTraces);
        // Every change belongs to a trace of the same partition.
        QCOMPARE(count(db, "SELECT count(*) FROM " + changes + " c JOIN " + traces
                               + " t USING (kind, type, run, hash)"),
                 m_demo.changes);
    }

    // A parameter of one type in every trace of a part is also a typed column (param_<key>) that a
    // plain DuckDB query over the hive layout reads; one that changes type stays JSON text only.
    void typedParameterColumns()
    {
        QTemporaryDir dir;
        const fs::path root = folderIn(dir, "s");
        std::vector<Trace> traces;
        for (int i = 0; i < 3; ++i) {
            TraceIdentity id;
            id.name = "ma_crossover_" + std::to_string(i);
            id.parameters = Parameters{{"fast_period", std::int64_t{5 + i}}, {"band", 0.5 * i}, {"mode", std::string("x")},
                                       {"mixed", i == 1 ? ParamValue(std::string("a")) : ParamValue(std::int64_t{i})}};
            Trace t(id, "ma_crossover");
            t.appendSignal(i, "", 1, 0.0);
            traces.push_back(t);
        }
        ParquetStorageWriter(root).write(traces);
        sql::Database db;
        const std::string files = "read_parquet('" + fs::absolute(root).string()
            + "/traces/*/*/*/*.parquet', hive_partitioning = true, union_by_name = true)";
        const sql::Table t = db.query("SELECT kind, type, name, param_fast_period, param_band, param_mode, typeof(param_fast_period), "
                                      "typeof(param_band) FROM " + files + " ORDER BY name");
        QCOMPARE(t.rows, std::size_t{3});
        for (std::size_t r = 0; r < 3; ++r) {
            QCOMPARE(t.text(0, r), std::string("signal"));
            QCOMPARE(t.text(1, r), std::string("ma_crossover"));
            QCOMPARE(t.text(3, r), std::to_string(5 + r));
            QCOMPARE(t.text(5, r), std::string("x"));
            QCOMPARE(t.text(6, r), std::string("BIGINT"));
            QCOMPARE(t.text(7, r), std::string("DOUBLE"));
        }
        QCOMPARE(t.text(4, 0), std::string("0"));
        QCOMPARE(t.text(4, 1), std::string("0.5"));
        QCOMPARE(t.text(4, 2), std::string("1"));
        QVERIFY(!db.query("SELECT * FROM " + files).columnIndex("param_mixed"));
        QCOMPARE(db.query("SELECT parameters FROM " + files + " WHERE param_fast_period = 6").text(0, 0),
                 std::string(R"({"band":0.5,"fast_period":6,"mixed":"a","mode":"x"})"));
        // The reader still gives every trace exactly.
        const Storage s = Storage::open(root);
        QCOMPARE(loadTrace(s.absolutePath(s.readIndex(Kind::Signal, "ma_crossover").entries.at(1))).identity, traces[1].identity);
    }

    void killedWriterLeavesNothingVisible()
    {
        QTemporaryDir dir;
        const fs::path root = folderIn(dir, "s");
        const auto traces = awkwardTraces();
        ParquetStorageWriter(root).write(traces);
        const std::string partition = "kind=classifier/type=volatility/run=__HIVE_DEFAULT_PARTITION__";
        const fs::path tracesDir = root / "traces" / partition, changesDir = root / "changes" / partition;
        // A writer killed before its renames (pid 999999 runs nowhere), and one killed between them.
        fs::copy_file(tracesDir / "part-0.parquet", tracesDir / ".part-1.parquet.tmp.999999.0");
        fs::copy_file(changesDir / "part-0.parquet", changesDir / ".part-1.parquet.tmp.999999.1");
        fs::copy_file(changesDir / "part-0.parquet", changesDir / "part-4.parquet");
        const Storage s = Storage::open(root);
        std::size_t entries = 0;
        for (const auto& index : s.readAllIndexes())
            entries += index.entries.size();
        QCOMPARE(entries, std::size_t{3});
        for (const auto& e : s.readIndex(Kind::Classifier, "volatility").entries)
            QCOMPARE(e.filePath.substr(0, e.filePath.find('#')), "traces/" + partition + "/part-0.parquet");
        // The next writer removes the leftovers and takes the number above the orphan.
        const ParquetWriteResult next = ParquetStorageWriter(root).write(std::span(traces).subspan(1, 1));
        QCOMPARE(next.files.at(1), "traces/" + partition + "/part-5.parquet");
        QVERIFY(!fs::exists(tracesDir / ".part-1.parquet.tmp.999999.0"));
        QVERIFY(!fs::exists(changesDir / ".part-1.parquet.tmp.999999.1"));
        for (const auto& e : Storage::open(root).readIndex(Kind::Classifier, "volatility").entries)
            QCOMPARE(e.filePath.substr(0, e.filePath.find('#')), "traces/" + partition + "/part-5.parquet");
    }

    // A part that is no Parquet file is a finding naming it; the other parts still list.
    void damagedPartIsAFinding()
    {
        QTemporaryDir dir;
        const fs::path root = folderIn(dir, "s");
        ParquetStorageWriter(root).write(awkwardTraces());
        const std::string rel = "traces/kind=signal/type=other/run=__HIVE_DEFAULT_PARTITION__/part-7.parquet";
        {
            std::FILE* f = std::fopen((root / rel).c_str(), "wb");
            QVERIFY(f);
            std::fputs("not parquet", f);
            std::fclose(f);
        }
        std::vector<Finding> findings;
        std::size_t entries = 0;
        for (const auto& index : Storage::open(root).readAllIndexes(&findings))
            entries += index.entries.size();
        QCOMPARE(entries, std::size_t{3});
        QCOMPARE(findings.size(), std::size_t{1});
        QCOMPARE(findings[0].code, std::string("parse-error"));
        QCOMPARE(findings[0].path, rel);
        QVERIFY2(findings[0].message.starts_with("damaged Parquet file: "), findings[0].message.c_str());
    }

    void appendingARunTouchesNoOtherFile()
    {
        QTemporaryDir dir;
        const fs::path root = folderIn(dir, "s");
        auto traces = awkwardTraces();
        ParquetStorageWriter(root).write(traces);
        const auto before = snapshot(root);
        for (auto& t : traces)
            t.identity.run = "second";
        const ParquetWriteResult added = ParquetStorageWriter(root).write(traces);
        QCOMPARE(added.files.size(), std::size_t{6});
        auto after = snapshot(root);
        for (const auto& file : added.files) {
            QVERIFY2(!before.contains(file), file.c_str());
            after.erase(file);
        }
        QVERIFY(after == before);
        QCOMPARE(Storage::open(root).readIndex(Kind::Signal, "rsi_bands_grid").entries.size(), std::size_t{2});
    }

    // The command line: demo and migrate with --format parquet give the storage `info` describes as
    // it describes the version-1 one; index --rebuild refuses; an unknown format is a usage error.
    void commandLine()
    {
        using sigscope::test::runSigscope;
        QTemporaryDir dir;
        const QString demo = dir.filePath(QStringLiteral("demo")), migrated = dir.filePath(QStringLiteral("migrated"));
        const auto infoBody = [](const QString& root) {
            const QString out = runSigscope({QStringLiteral("info"), root}).out;
            return out.section(QLatin1Char('\n'), 2); // after "storage:" and "format version:"
        };
        const QString expected = infoBody(QString::fromStdString(v1().string()));
        QVERIFY(!expected.isEmpty());
        auto run = runSigscope({QStringLiteral("demo"), QStringLiteral("--into"), demo, QStringLiteral("--bars"),
                                QStringLiteral("1600"), QStringLiteral("--variants"), QStringLiteral("30"),
                                QStringLiteral("--seed"), QStringLiteral("7"), QStringLiteral("--format"),
                                QStringLiteral("parquet")});
        QCOMPARE(run.exitCode, 0);
        const std::size_t types = Storage::open(v1()).types(Kind::Signal).size() + Storage::open(v1()).types(Kind::Classifier).size();
        QVERIFY2(run.out.endsWith(QStringLiteral("format: version 2 (Parquet)\n")), qPrintable(run.out));
        std::size_t parts = 0;
        for (const auto& e : fs::recursive_directory_iterator(demo.toStdString()))
            parts += e.is_regular_file() && e.path().extension() == ".parquet" ? 1 : 0;
        QCOMPARE(parts, 2 * types); // one traces and one changes part per type
        QCOMPARE(runSigscope({QStringLiteral("info"), demo}).out.section(QLatin1Char('\n'), 1, 1),
                 QStringLiteral("format version: 2"));
        QCOMPARE(infoBody(demo), expected);
        QCOMPARE(QDir(demo).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
                 QStringList({QStringLiteral("changes"), QStringLiteral("market"), QStringLiteral("storage.json"),
                              QStringLiteral("traces")}));
        run = runSigscope({QStringLiteral("migrate"), QString::fromStdString(v1().string()), QStringLiteral("--into"),
                           migrated, QStringLiteral("--format"), QStringLiteral("parquet")});
        QCOMPARE(run.exitCode, 3); // the demo's market/ CSV files are no traces: unrecognised
        QVERIFY2(run.out.contains(QStringLiteral("stored as version 2 (Parquet): %1 traces, %2 changes in %3 new part files")
                                      .arg(m_demo.signalTraces + m_demo.classifierTraces)
                                      .arg(m_demo.changes)
                                      .arg(2 * types)),
                 qPrintable(run.out));
        QCOMPARE(infoBody(migrated), expected);
        QCOMPARE(runSigscope({QStringLiteral("verify"), migrated}).exitCode, 0);
        run = runSigscope({QStringLiteral("index"), demo, QStringLiteral("--rebuild")});
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.err, QStringLiteral("sigscope: %1: %2\n").arg(demo, QString::fromStdString(parquetStorageReason())));
        run = runSigscope({QStringLiteral("demo"), QStringLiteral("--into"), demo, QStringLiteral("--format"), QStringLiteral("xml")});
        QCOMPARE(run.exitCode, 2);
    }

    // `migrate --format parquet` is idempotent: a second run over the same source adds no part,
    // rewrites no file and reports every trace as already present.
    void migrateTwiceAddsNothing()
    {
        using sigscope::test::runSigscope;
        QTemporaryDir dir;
        const QString dest = dir.filePath(QStringLiteral("m"));
        const QStringList args{QStringLiteral("migrate"), QString::fromStdString(v1().string()), QStringLiteral("--into"),
                               dest, QStringLiteral("--format"), QStringLiteral("parquet")};
        const std::size_t types = Storage::open(v1()).types(Kind::Signal).size() + Storage::open(v1()).types(Kind::Classifier).size();
        const auto traces = m_demo.signalTraces + m_demo.classifierTraces;
        auto run = runSigscope(args);
        QCOMPARE(run.exitCode, 3); // the market/ CSV files are no traces: unrecognised
        QVERIFY2(run.out.contains(QStringLiteral("stored as version 2 (Parquet): %1 traces, %2 changes in %3 new part files; "
                                                 "0 traces already present (unchanged, not written again)\n")
                                      .arg(traces)
                                      .arg(m_demo.changes)
                                      .arg(2 * types)),
                 qPrintable(run.out));
        const auto first = snapshot(dest.toStdString());
        QCOMPARE(first.size(), 2 * types); // the parts (the market files are not migrated)
        run = runSigscope(args);
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.out.contains(QStringLiteral("stored as version 2 (Parquet): 0 traces, 0 changes in 0 new part files; "
                                                 "%1 traces already present (unchanged, not written again)\n")
                                      .arg(traces)),
                 qPrintable(run.out));
        QVERIFY(snapshot(dest.toStdString()) == first);
        QCOMPARE(QDir(dest).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
                 QStringList({QStringLiteral("changes"), QStringLiteral("storage.json"), QStringLiteral("traces")}));
        std::size_t listed = 0;
        for (const auto& index : Storage::open(dest.toStdString()).readAllIndexes())
            listed += index.entries.size();
        QCOMPARE(std::int64_t(listed), traces);
    }

    // SIGKILL of `demo --format parquet` (the tracer writing Parquet) at several points: what a
    // reader lists is always whole traces equal to the uninterrupted demo's, and a second run
    // completes it and leaves no temporary file behind.
    void killedDemo_data()
    {
        QTest::addColumn<int>("stage");
        QTest::newRow("at once") << 0;
        QTest::newRow("after the market files") << 1;
        QTest::newRow("after the first part") << 2;
        QTest::newRow("after six parts") << 3;
    }
    void killedDemo()
    {
        QFETCH(int, stage);
        QTemporaryDir dir;
        const fs::path dest = folderIn(dir, "demo");
        const QStringList demo{QStringLiteral("demo"), QStringLiteral("--into"), QString::fromStdString(dest.string()),
                               QStringLiteral("--bars"), QStringLiteral("1600"), QStringLiteral("--variants"),
                               QStringLiteral("30"), QStringLiteral("--seed"), QStringLiteral("7"),
                               QStringLiteral("--format"), QStringLiteral("parquet")};
        const auto parts = [&dest] {
            std::size_t n = 0;
            std::error_code ec;
            for (fs::recursive_directory_iterator it(dest, ec), end; !ec && it != end; it.increment(ec))
                n += partNumber(it->path().filename().string()).has_value() ? 1 : 0;
            return n;
        };
        QProcess p;
        p.start(sigscope::test::sigscopeBinary(), demo);
        QVERIFY(p.waitForStarted());
        while (p.state() == QProcess::Running
               && ((stage == 1 && !fs::exists(dest / "market/SPY_1m.csv")) || (stage == 2 && parts() < 1) || (stage == 3 && parts() < 6)))
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        p.kill(); // SIGKILL
        p.waitForFinished();
        qInfo("killed with %zu part files in place", parts());
        const auto reference = entriesByHash(Storage::open(v1()));
        const Storage v1Storage = Storage::open(v1());
        // Every listed trace whole and equal to the reference's; `expected` of them when not 0.
        const auto checkListed = [&](std::size_t expected) {
            if (!fs::exists(dest / "storage.json")) {
                QCOMPARE(expected, std::size_t{0});
                return;
            }
            const Storage s = Storage::open(dest);
            std::size_t listed = 0;
            for (const auto& [hash, e] : entriesByHash(s)) {
                QVERIFY2(reference.contains(hash), hash.c_str());
                const Trace got = loadTrace(s.absolutePath(e)), want = loadTrace(v1Storage.absolutePath(reference.at(hash)));
                QCOMPARE(got.identity, want.identity);
                QVERIFY(got.sameChanges(want));
                ++listed;
            }
            if (expected)
                QCOMPARE(listed, expected);
        };
        checkListed(0);
        const auto rerun = sigscope::test::runSigscope(demo);
        QCOMPARE(rerun.exitCode, 0);
        checkListed(reference.size());
        QVERIFY(verifyStorage(dest).clean());
        for (const auto& e : fs::recursive_directory_iterator(dest))
            QVERIFY2(!e.path().filename().string().starts_with('.'), e.path().c_str());
    }

    void versionOneWritersRefuse()
    {
        const std::string reason = v2().string() + ": " + parquetStorageReason();
        try {
            StorageWriter writer(v2());
            QFAIL("the version-1 writer opened a version-2 storage");
        } catch (const StorageError& e) {
            QCOMPARE(std::string(e.what()), reason);
        }
        try {
            rebuildIndexes(v2());
            QFAIL("rebuildIndexes wrote into a version-2 storage");
        } catch (const StorageError& e) {
            QCOMPARE(std::string(e.what()), reason);
        }
        QVERIFY(!fs::exists(v2() / "signals"));
        QVERIFY_THROWS_EXCEPTION(StorageError, ParquetStorageWriter writer(v1()));
    }
};

QTEST_GUILESS_MAIN(TestParquetStorage)
#include "tst_parquet_storage.moc"
