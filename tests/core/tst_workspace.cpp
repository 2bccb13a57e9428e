// Parquet workspaces of the Python system (L6) read in place: the two shared fixture workspaces
// (schema A and B) listed with the exact counts of their README, every change compared with the
// Parquet files read through plain DuckDB SQL, the folder left byte-identical by every writing
// action, and the command line's info on them.
#include "core/model/identity.h"
#include "core/sql/database.h"
#include "core/storage/storage.h"
#include "core/storage/traceio.h"
#include "core/storage/workspace.h"
#include "core/storage/writer.h"

#include "tests/support/testsupport.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

using namespace sigscope::core;
namespace fs = std::filesystem;

Q_DECLARE_METATYPE(std::string)

namespace {

const std::string kRunA = "expansive_grid_search_73511fd8";
const std::string kRunB = "expansive_grid_search_554da6c6";

// kind/type -> {traces, changes}
using TypeCounts = std::map<std::string, std::pair<std::int64_t, std::int64_t>>;

TypeCounts typeCounts(const std::vector<TypeIndex>& indexes)
{
    TypeCounts out;
    for (const auto& index : indexes) {
        auto& c = out[std::string(kindFolder(index.kind)) + "/" + index.type];
        for (const auto& e : index.entries) {
            ++c.first;
            c.second += e.totalItems;
        }
    }
    return out;
}

fs::path schemaRoot(const fs::path& shared, bool schemaB)
{
    return shared / (schemaB ? "parquet-schema-b" : "parquet");
}

const char* const kReadOnly = "a Parquet workspace of the Python system (L6), read-only; migrate it with sigscope migrate";

} // namespace

class TestWorkspace : public QObject
{
    Q_OBJECT

private slots:
    void detectsEveryShape_data()
    {
        QTest::addColumn<bool>("schemaB");
        QTest::addColumn<std::string>("sub");
        QTest::addColumn<int>("shape");
        QTest::addColumn<std::string>("prefix"); // of every file path
        QTest::newRow("A folder holding workspaces/") << false << std::string() << int(WorkspaceShape::FolderOfWorkspaces)
                                                      << "workspaces/" + kRunA + "/traces/SPY_1m/";
        QTest::newRow("A workspaces/") << false << std::string("workspaces") << int(WorkspaceShape::FolderOfWorkspaces)
                                       << kRunA + "/traces/SPY_1m/";
        QTest::newRow("A workspace") << false << "workspaces/" + kRunA << int(WorkspaceShape::Workspace)
                                     << std::string("traces/SPY_1m/");
        QTest::newRow("A traces/") << false << "workspaces/" + kRunA + "/traces" << int(WorkspaceShape::TracesFolder)
                                   << std::string("SPY_1m/");
        QTest::newRow("B workspace") << true << "workspaces/" + kRunB << int(WorkspaceShape::Workspace)
                                     << std::string("traces/SPY_1m/");
        QTest::newRow("B traces/") << true << "workspaces/" + kRunB + "/traces/" << int(WorkspaceShape::TracesFolder)
                                   << std::string("SPY_1m/");
    }

    void detectsEveryShape()
    {
        SIGSCOPE_REQUIRE_FIXTURES(shared);
        QFETCH(bool, schemaB);
        QFETCH(std::string, sub);
        QFETCH(int, shape);
        QFETCH(std::string, prefix);
        const fs::path root = schemaRoot(shared, schemaB) / sub;
        QCOMPARE(int(detectWorkspaces(root).shape), shape);
        const Storage s = Storage::open(root);
        QVERIFY(s.isWorkspace());
        std::vector<Finding> findings;
        const auto indexes = s.readAllIndexes(&findings);
        QVERIFY(findings.empty());
        std::size_t traces = 0;
        for (const auto& index : indexes) {
            for (const auto& e : index.entries) {
                ++traces;
                QVERIFY2(e.filePath.starts_with(prefix), e.filePath.c_str());
                QVERIFY(fs::is_regular_file(s.absolutePath(e)));
                QCOMPARE(e.run, std::optional<std::string>(schemaB ? kRunB : kRunA));
            }
        }
        QCOMPARE(traces, std::size_t(schemaB ? 108 : 258));
    }

    void storagesAreNoWorkspaces()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        QCOMPARE(int(detectWorkspaces(fixtures / "upstream/analytics_storage").shape), int(WorkspaceShape::None));
        QVERIFY(!Storage::open(fixtures / "upstream/analytics_storage").isWorkspace());
        QTemporaryDir empty;
        QCOMPARE(int(detectWorkspaces(empty.path().toStdString()).shape), int(WorkspaceShape::None));
    }

    void countsOfTheReadme_data()
    {
        QTest::addColumn<bool>("schemaB");
        QTest::newRow("schema A") << false;
        QTest::newRow("schema B") << true;
    }

    void countsOfTheReadme()
    {
        SIGSCOPE_REQUIRE_FIXTURES(shared);
        QFETCH(bool, schemaB);
        const Storage s = Storage::open(schemaRoot(shared, schemaB));
        const auto indexes = s.readAllIndexes();
        const TypeCounts expected = schemaB
            ? TypeCounts{{"signals/dema_crossover_grid", {16, 469}},     {"signals/dema_sma_crossover_grid", {8, 178}},
                         {"signals/ema_crossover_grid", {16, 257}},      {"signals/ema_sma_crossover_grid", {8, 167}},
                         {"signals/rsi_threshold_grid", {8, 383}},       {"signals/sma_crossover_grid", {8, 200}},
                         {"signals/tema_sma_crossover_grid", {8, 188}},  {"classifiers/microstructure_grid", {9, 9}},
                         {"classifiers/volatility_momentum_grid", {27, 1890}}}
            : TypeCounts{{"signals/breakout_grid", {24, 24}},           {"signals/ma_crossover_grid", {16, 586}},
                         {"signals/mean_reversion_grid", {72, 7704}},    {"signals/momentum_grid", {54, 255}},
                         {"signals/rsi_grid", {27, 2679}},               {"classifiers/market_state_grid", {8, 8}},
                         {"classifiers/momentum_regime_grid", {27, 3033}}, {"classifiers/trend_grid", {12, 12}},
                         {"classifiers/volatility_grid", {18, 18}}};
        QCOMPARE(typeCounts(indexes), expected);

        // Per kind: traces, changes, idx range; and the runs.
        std::map<Kind, std::int64_t> traces, changes, lo, hi;
        std::set<std::string> runs;
        for (const auto& index : indexes) {
            for (const auto& e : index.entries) {
                ++traces[e.kind];
                changes[e.kind] += e.totalItems;
                lo[e.kind] = lo.contains(e.kind) ? std::min(lo[e.kind], *e.firstIdx) : *e.firstIdx;
                hi[e.kind] = std::max(hi[e.kind], *e.lastIdx);
                runs.insert(*e.run);
            }
        }
        QCOMPARE(traces[Kind::Signal], schemaB ? 72 : 193);
        QCOMPARE(changes[Kind::Signal], schemaB ? 1842 : 11248);
        QCOMPARE(traces[Kind::Classifier], schemaB ? 36 : 65);
        QCOMPARE(changes[Kind::Classifier], schemaB ? 1899 : 3071);
        QCOMPARE(lo[Kind::Signal], schemaB ? 20 : 12);
        QCOMPARE(hi[Kind::Signal], schemaB ? 322 : 1000);
        QCOMPARE(lo[Kind::Classifier], schemaB ? 25 : 20);
        QCOMPARE(hi[Kind::Classifier], schemaB ? 310 : 946);
        QCOMPARE(runs, std::set<std::string>{schemaB ? kRunB : kRunA});
    }

    void identityFromThePath()
    {
        SIGSCOPE_REQUIRE_FIXTURES(shared);
        const Storage s = Storage::open(schemaRoot(shared, false) / "workspaces" / kRunA);
        const TypeIndex rsi = s.readIndex(Kind::Signal, "rsi_grid");
        const auto it = std::find_if(rsi.entries.begin(), rsi.entries.end(),
                                     [](const IndexEntry& e) { return e.name == "rsi_grid_7_20_75"; });
        QVERIFY(it != rsi.entries.end());
        QCOMPARE(it->filePath, std::string("traces/SPY_1m/signals/rsi_grid/SPY_rsi_grid_7_20_75.parquet"));
        QCOMPARE(it->symbol, std::optional<std::string>("SPY"));
        QCOMPARE(it->timeframe, std::optional<std::string>("1m"));
        QVERIFY(it->parameters.empty());
        QCOMPARE(it->totalItems, std::int64_t(175));
        QCOMPARE(it->firstIdx, std::optional<std::int64_t>(12));
        QCOMPARE(it->lastIdx, std::optional<std::int64_t>(970));
        QCOMPARE(it->totalBars, std::int64_t(1000)); // the run's metadata.json
        QCOMPARE(it->firstTs, std::string("2025-06-13T15:43:58.293029"));
        QCOMPARE(it->lastTs, std::string("2025-06-13T15:44:12.314834"));
        QCOMPARE(it->fileHash, it->identity().hashHex());

        const Trace t = loadTrace(s.absolutePath(*it));
        QCOMPARE(t.identity, it->identity());
        QCOMPARE(t.type, std::string("rsi_grid"));
        QCOMPARE(t.size(), std::size_t(175));
        QCOMPARE(t.bar(1), std::int64_t(19));
        QCOMPARE(t.valueText(1), std::string("-1"));
        QCOMPARE(t.timeText(1), std::string("2025-06-13T15:43:58.329192"));
        QCOMPARE(t.metadata.totalBars, std::int64_t(1000));

        // Schema B: no metadata.json, total_bars is the last idx; a classifier's value is its regime.
        const Storage b = Storage::open(schemaRoot(shared, true));
        const TypeIndex vm = b.readIndex(Kind::Classifier, "volatility_momentum_grid");
        QCOMPARE(vm.entries.size(), std::size_t(27));
        const IndexEntry& first = vm.entries.front();
        QCOMPARE(first.run, std::optional<std::string>(kRunB));
        QCOMPARE(first.totalBars, *first.lastIdx);
        const Trace c = loadTrace(b.absolutePath(first));
        QCOMPARE(c.kind(), Kind::Classifier);
        QCOMPARE(c.metadata.totalBars, *first.lastIdx);
    }

    // Every change of every trace against plain DuckDB SQL over the same files.
    void everyChangeAsDuckDbReadsIt_data() { countsOfTheReadme_data(); }

    void everyChangeAsDuckDbReadsIt()
    {
        SIGSCOPE_REQUIRE_FIXTURES(shared);
        QFETCH(bool, schemaB);
        const fs::path root = schemaRoot(shared, schemaB);
        const Storage s = Storage::open(root);
        sql::Database db;
        const std::string glob = (fs::absolute(root) / "workspaces/*/traces/*/*/*/*.parquet").lexically_normal().string();
        const sql::Table t = db.query("SELECT filename, idx, ts, CAST(val AS VARCHAR) AS v, px FROM read_parquet("
                                      + sql::literal(glob) + ", filename = true, union_by_name = true) "
                                      "ORDER BY filename, idx");
        QCOMPARE(t.rows, std::size_t(schemaB ? 3741 : 14319));
        std::map<std::string, std::vector<std::size_t>> rowsOf; // file -> its rows in t
        for (std::size_t r = 0; r < t.rows; ++r)
            rowsOf[t.text(0, r)].push_back(r);

        std::size_t traces = 0, changes = 0;
        std::map<std::string, std::int64_t> values;
        for (const auto& index : s.readAllIndexes()) {
            for (const auto& e : index.entries) {
                const fs::path file = fs::absolute(s.absolutePath(e)).lexically_normal();
                const auto& rows = rowsOf.at(file.string());
                const Trace trace = loadTrace(file);
                QCOMPARE(trace.size(), rows.size());
                QCOMPARE(std::int64_t(rows.size()), e.totalItems);
                for (std::size_t i = 0; i < rows.size(); ++i) {
                    const std::size_t r = rows[i];
                    if (trace.bar(i) != t.columns[1].integers[r] || trace.timeText(i) != t.text(2, r)
                        || trace.valueText(i) != t.text(3, r) || trace.price(i) != t.columns[4].reals[r])
                        QFAIL(qPrintable(QStringLiteral("%1 change %2 differs").arg(QString::fromStdString(e.filePath)).arg(i)));
                    ++values[std::string(kindName(trace.kind())) + ":" + trace.valueText(i)];
                }
                QCOMPARE(e.firstIdx, std::optional<std::int64_t>(trace.bar(0)));
                QCOMPARE(e.lastIdx, std::optional<std::int64_t>(trace.bar(trace.size() - 1)));
                ++traces;
                changes += rows.size();
            }
        }
        QCOMPARE(traces, rowsOf.size());
        QCOMPARE(changes, t.rows);
        const std::map<std::string, std::int64_t> expected = schemaB
            ? std::map<std::string, std::int64_t>{{"signal:-1", 936}, {"signal:1", 906},
                                                  {"classifier:low_vol_bullish", 702}, {"classifier:neutral", 675},
                                                  {"classifier:low_vol_bearish", 513}, {"classifier:consolidation", 9}}
            : std::map<std::string, std::int64_t>{{"signal:-1", 2661}, {"signal:0", 5262}, {"signal:1", 3325},
                                                  {"classifier:weak_momentum", 1530}, {"classifier:strong_momentum", 1503},
                                                  {"classifier:normal_volatility", 18}, {"classifier:ranging", 12},
                                                  {"classifier:ranging_low_vol", 8}};
        QCOMPARE(values, expected);
    }

    // What is not a trace is left out and named; the traces are still listed.
    void filesThatAreNoTraces()
    {
        SIGSCOPE_REQUIRE_FIXTURES(shared);
        QTemporaryDir dir;
        const fs::path ws = fs::path(dir.path().toStdString()) / kRunB;
        sigscope::test::copyTree(schemaRoot(shared, true) / "workspaces" / kRunB, ws);
        const fs::path type = ws / "traces/SPY_1m/signals/sma_crossover_grid";
        {
            std::ofstream(type / "notes.txt") << "x";
            std::ofstream(type / "SPY_broken.parquet") << "PAR1 not really";
        }
        sql::Database db;
        db.execute("COPY (SELECT 1 AS a) TO " + sql::literal((type / "SPY_bars.parquet").string()) + " (FORMAT parquet)");
        const Storage s = Storage::open(ws);
        std::vector<Finding> findings;
        const auto indexes = s.readAllIndexes(&findings);
        std::map<std::string, std::string> byPath;
        for (const auto& f : findings)
            byPath[f.path] = f.code + " " + std::string(severityName(f.severity));
        QCOMPARE(byPath, (std::map<std::string, std::string>{
                             {"traces/SPY_1m/signals/sma_crossover_grid/SPY_bars.parquet", "not-a-trace warning"},
                             {"traces/SPY_1m/signals/sma_crossover_grid/SPY_broken.parquet", "parse-error error"},
                             {"traces/SPY_1m/signals/sma_crossover_grid/notes.txt", "not-a-trace info"}}));
        std::size_t traces = 0;
        for (const auto& index : indexes)
            traces += index.entries.size();
        QCOMPARE(traces, std::size_t(108));
    }

    // index --rebuild, the writer and the command line refuse; not one byte of the folder changes.
    void neverWritesIntoAWorkspace_data() { countsOfTheReadme_data(); }

    void neverWritesIntoAWorkspace()
    {
        SIGSCOPE_REQUIRE_FIXTURES(shared);
        QFETCH(bool, schemaB);
        const fs::path root = schemaRoot(shared, schemaB);
        const auto before = sigscope::test::hashTree(root);
        for (const fs::path& folder : {root, root / "workspaces" / (schemaB ? kRunB : kRunA)}) {
            try {
                rebuildIndexes(folder);
                QFAIL("rebuildIndexes wrote into a workspace");
            } catch (const StorageError& e) {
                QCOMPARE(e.reason(), std::string(kReadOnly));
                QCOMPARE(std::string(e.what()), folder.string() + ": " + kReadOnly);
            }
            try {
                StorageWriter writer(folder);
                QFAIL("StorageWriter opened a workspace");
            } catch (const StorageError& e) {
                QCOMPARE(e.reason(), std::string(kReadOnly));
            }
        }
        const QString dir = QString::fromStdString(root.string());
        const auto run = sigscope::test::runSigscope({QStringLiteral("index"), dir, QStringLiteral("--rebuild")});
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.err, QStringLiteral("sigscope: %1: %2\n").arg(dir, QString::fromLatin1(kReadOnly)));
        QCOMPARE(run.out, QString());
        QCOMPARE(sigscope::test::hashTree(root), before);
    }

    void infoOnAWorkspace()
    {
        SIGSCOPE_REQUIRE_FIXTURES(shared);
        const QString dir = QString::fromStdString((schemaRoot(shared, true) / "workspaces" / kRunB).string());
        const auto run = sigscope::test::runSigscope({QStringLiteral("info"), dir});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.err, QString());
        QCOMPARE(run.out, QStringLiteral("storage: %1\n").arg(dir) + QStringLiteral(
            "format: L6, Parquet workspace of the Python system (read-only)\n"
            "runs: 1\n"
            "signals: 7 types, 72 traces, 1842 changes, 22574 bars\n"
            "  dema_crossover_grid      16 traces, 469 changes, 5005 bars\n"
            "  dema_sma_crossover_grid  8 traces, 178 changes, 2493 bars\n"
            "  ema_crossover_grid       16 traces, 257 changes, 5001 bars\n"
            "  ema_sma_crossover_grid   8 traces, 167 changes, 2504 bars\n"
            "  rsi_threshold_grid       8 traces, 383 changes, 2566 bars\n"
            "  sma_crossover_grid       8 traces, 200 changes, 2501 bars\n"
            "  tema_sma_crossover_grid  8 traces, 188 changes, 2504 bars\n"
            "classifiers: 2 types, 36 traces, 1899 changes, 8631 bars\n"
            "  microstructure_grid      9 traces, 9 changes, 234 bars\n"
            "  volatility_momentum_grid 27 traces, 1890 changes, 8397 bars\n"
            "total: 108 traces, 3741 changes, 31205 bars\n"
            // A workspace has no changes hashes: every trace is hashed from its file.
            "identical variants: 2 groups, 36 traces (108 hashed from their files: no changes hash in the index)\n"
            "  microstructure_grid: 9 variants, one classifier: microstructure_grid_0003_0001 = "
            "microstructure_grid_0003_0002, microstructure_grid_0003_0003, microstructure_grid_0005_0001 and 5 others\n"
            "  volatility_momentum_grid: 27 variants, one classifier: volatility_momentum_grid_10_60_30 = "
            "volatility_momentum_grid_10_60_35, volatility_momentum_grid_10_60_40, volatility_momentum_grid_10_65_30 and "
            "23 others\n"));

        const QString a = QString::fromStdString(schemaRoot(shared, false).string());
        const auto info = sigscope::test::runSigscope({QStringLiteral("info"), a});
        QCOMPARE(info.exitCode, 0);
        QVERIFY2(info.out.contains(QStringLiteral("total: 258 traces, 14319 changes, 258002 bars\nidentical variants: 40 "
                                                 "groups, 231 traces (258 hashed from their files: no changes hash "
                                                 "in the index)\n")),
                 qPrintable(info.out));
        const auto verify = sigscope::test::runSigscope({QStringLiteral("verify"), a});
        QCOMPARE(verify.exitCode, 0);
        QCOMPARE(verify.out, a + QStringLiteral(": 258 files, 258 index entries checked: clean\n"));
    }
};

QTEST_GUILESS_MAIN(TestWorkspace)
#include "tst_workspace.moc"
