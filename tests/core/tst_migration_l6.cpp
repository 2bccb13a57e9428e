// Migration of Parquet workspaces of the Python system (L6) into a storage: the exact counts of
// each fixture workspace, every change checked against the source, a re-run that writes nothing,
// the source byte-identical, every file of the run reported with a status and a reason, traces of
// different workspaces kept as different runs and a copy of one workspace as duplicates.
#include "core/migration/migration.h"
#include "core/storage/storage.h"

#include "tests/core/migration_testutil.h"
#include "tests/support/testsupport.h"

#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace sigscope::core;
using namespace sigscope::core::migration;
using namespace sigscope::test::migration;

namespace {

const std::string kRunA = "expansive_grid_search_73511fd8";
const std::string kRunB = "expansive_grid_search_554da6c6";

const FileOutcome* outcomeOf(const MigrationReport& r, std::string_view suffix)
{
    for (const auto& f : r.files)
        if (f.path.ends_with(suffix))
            return &f;
    return nullptr;
}

struct StoredCounts
{
    std::map<Kind, std::int64_t> traces, changes;
    std::set<std::string> runs;
};

StoredCounts storedCounts(const fs::path& root)
{
    StoredCounts c;
    for (const auto& index : Storage::open(root).readAllIndexes()) {
        for (const auto& e : index.entries) {
            ++c.traces[e.kind];
            c.changes[e.kind] += e.totalItems;
            c.runs.insert(e.run.value_or("-"));
        }
    }
    return c;
}

} // namespace

class TestMigrationL6 : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    fs::path tmp() const { return fs::path(m_dir.path().toStdString()); }

private slots:
    void eachFixtureWorkspace_data()
    {
        QTest::addColumn<bool>("schemaB");
        QTest::newRow("schema A") << false;
        QTest::newRow("schema B") << true;
    }

    void eachFixtureWorkspace()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        QFETCH(bool, schemaB);
        const std::string run = schemaB ? kRunB : kRunA;
        const fs::path src = fixtures / (schemaB ? "parquet-schema-b" : "parquet") / "workspaces" / run;
        const fs::path dest = tmp() / ("dest-" + run);
        const auto before = treeState(src);

        const MigrationReport r = migrate({src}, dest);
        const std::uint64_t traces = schemaB ? 108 : 258, changes = schemaB ? 3741 : 14319;
        QCOMPARE(r.exitCode(), 0);
        QCOMPARE(r.totals.filesSeen, traces + (schemaB ? 0 : 1)); // schema B has no metadata.json
        QCOMPARE(r.totals.migrated, traces);
        QCOMPARE(r.totals.skipped, std::uint64_t(schemaB ? 0 : 1));
        QCOMPARE(r.totals.unrecognised + r.totals.failed + r.totals.duplicates + r.totals.conflicts, std::uint64_t(0));
        QCOMPARE(r.totals.tracesWritten, traces);
        QCOMPARE(r.totals.changesRead, changes);
        QCOMPARE(r.totals.changesWritten, changes);
        QCOMPARE(r.totals.changesNormalised, std::uint64_t(0));

        StoredCounts c = storedCounts(dest);
        QCOMPARE(c.traces[Kind::Signal], schemaB ? 72 : 193);
        QCOMPARE(c.changes[Kind::Signal], schemaB ? 1842 : 11248);
        QCOMPARE(c.traces[Kind::Classifier], schemaB ? 36 : 65);
        QCOMPARE(c.changes[Kind::Classifier], schemaB ? 1899 : 3071);
        QCOMPARE(c.runs, std::set<std::string>{run});

        // Every change of the source is in the storage, and verify calls the storage clean.
        const SourceCheck check = verifyAgainstSources(dest, {src});
        QVERIFY(check.clean());
        QCOMPARE(check.traces, traces);
        QCOMPARE(check.changes, changes);
        const auto run1 = sigscope::test::runSigscope({QStringLiteral("verify"), QString::fromStdString(dest.string())});
        QCOMPARE(run1.exitCode, 0);

        // A re-run finds everything there: nothing written, nothing changed.
        const auto stored = storageContent(dest);
        const MigrationReport again = migrate({src}, dest);
        QCOMPARE(again.exitCode(), 0);
        QCOMPARE(again.totals.migrated, std::uint64_t(0));
        QCOMPARE(again.totals.unchanged, traces);
        QCOMPARE(again.totals.tracesWritten, std::uint64_t(0));
        QCOMPARE(again.totals.changesUnchanged, changes);
        QCOMPARE(storageContent(dest), stored);

        QCOMPARE(treeState(src), before);
    }

    // Both fixture roots at once: two runs, every non-trace file named with its reason.
    void bothFixturesTogether()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        const fs::path a = fixtures / "parquet", b = fixtures / "parquet-schema-b";
        const auto beforeA = treeState(a), beforeB = treeState(b);
        const fs::path dest = tmp() / "both";
        const MigrationReport r = migrate({a, b}, dest);
        QCOMPARE(r.exitCode(), 0);
        QCOMPARE(r.totals.filesSeen, std::uint64_t(258 + 108 + 3));
        QCOMPARE(r.totals.migrated, std::uint64_t(366));
        QCOMPARE(r.totals.skipped, std::uint64_t(3));
        QCOMPARE(r.totals.changesWritten, std::uint64_t(14319 + 3741));
        std::map<std::string, std::string> skipped;
        for (const auto& f : r.files)
            if (f.status == Status::Skipped)
                skipped[fs::path(f.path).lexically_relative(fixtures).generic_string()] = f.reason;
        const std::string config = "not a .json, .jsonl or .parquet file (a config file): not read";
        QCOMPARE(skipped, (std::map<std::string, std::string>{
                              {"parquet-schema-b/config/expansive_grid_search.yaml", config},
                              {"parquet/config/expansive_grid_search.yaml", config},
                              {"parquet/workspaces/" + kRunA + "/metadata.json",
                               "run metadata of a Parquet workspace (L6), not a trace (its total_bars goes to the "
                               "run's traces)"}}));
        QCOMPARE(storedCounts(dest).runs, (std::set<std::string>{kRunB, kRunA}));
        QCOMPARE(treeState(a), beforeA);
        QCOMPARE(treeState(b), beforeB);

        // The report says the same, file by file.
        const std::string json = reportToJson(r);
        QVERIFY(json.find("\"skipped\": 3") != std::string::npos || json.find("\"skipped\":3") != std::string::npos);
    }

    // The same workspace under another name is another run (never merged); the same workspace
    // reached in two folders is the same run: its traces are duplicates, nothing is lost.
    void runsStayApart()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        const fs::path src = fixtures / "parquet-schema-b/workspaces" / kRunB;
        const fs::path root = tmp() / "runs";
        sigscope::test::copyTree(src, root / "one" / kRunB);
        sigscope::test::copyTree(src, root / "two" / kRunB);
        sigscope::test::copyTree(src, root / "three/expansive_grid_search_0000beef");
        const MigrationReport r = migrate({root}, root / "dest");
        QCOMPARE(r.exitCode(), 0);
        QCOMPARE(r.totals.filesSeen, std::uint64_t(3 * 108));
        QCOMPARE(r.totals.migrated, std::uint64_t(2 * 108));
        QCOMPARE(r.totals.duplicates, std::uint64_t(108));
        QCOMPARE(r.totals.changesRead, std::uint64_t(3 * 3741));
        QCOMPARE(r.totals.changesRead, r.totals.changesWritten + r.totals.changesDuplicate);
        QCOMPARE(r.totals.changesDuplicate, std::uint64_t(3741));
        const FileOutcome* dup = outcomeOf(r, "two/" + kRunB + "/traces/SPY_1m/signals/rsi_threshold_grid/"
                                                 "SPY_rsi_threshold_grid_11_40.parquet");
        QVERIFY(dup);
        QCOMPARE(dup->status, Status::Duplicate);
        QCOMPARE(dup->traces.at(0).duplicateOf,
                 (root / "one" / kRunB / "traces/SPY_1m/signals/rsi_threshold_grid/SPY_rsi_threshold_grid_11_40.parquet")
                     .generic_string());
        StoredCounts c = storedCounts(root / "dest");
        QCOMPARE(c.traces[Kind::Signal] + c.traces[Kind::Classifier], std::int64_t(2 * 108));
        QCOMPARE(c.runs, (std::set<std::string>{"expansive_grid_search_0000beef", kRunB}));
    }

    // A truncated trace file fails with its reason; its neighbours are migrated.
    void damagedTraceFails()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        const fs::path ws = tmp() / "damaged" / kRunB;
        sigscope::test::copyTree(fixtures / "parquet-schema-b/workspaces" / kRunB, ws);
        const fs::path victim = ws / "traces/SPY_1m/signals/sma_crossover_grid/SPY_sma_crossover_grid_11_15.parquet";
        const std::string bytes = readText(victim);
        writeText(victim, bytes.substr(0, bytes.size() / 2));
        const MigrationReport r = migrate({ws}, tmp() / "damaged-dest");
        QCOMPARE(r.exitCode(), 3);
        QCOMPARE(r.totals.filesSeen, std::uint64_t(108));
        QCOMPARE(r.totals.migrated, std::uint64_t(107));
        QCOMPARE(r.totals.failed, std::uint64_t(1));
        const FileOutcome* f = outcomeOf(r, "SPY_sma_crossover_grid_11_15.parquet");
        QVERIFY(f);
        QCOMPARE(f->status, Status::Failed);
        QCOMPARE(f->reason, std::string("damaged Parquet file: no footer (truncated?)"));
    }
};

QTEST_GUILESS_MAIN(TestMigrationL6)
#include "tst_migration_l6.moc"
