// Migration of Parquet workspaces of the Python system (L6) into a storage: the exact counts of
// each fixture workspace, every change checked against the source, a re-run that writes nothing,
// the source byte-identical, every file of the run reported with a status and a reason, traces of
// different workspaces kept as different runs and a copy of one workspace as duplicates; the
// parameters of grid names recovered from the upstream config (--config).
#include "core/migration/gridnames.h"
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

// canonical parameters by "<name> <run>", for the entries whose parameters are not {}.
std::map<std::string, std::string> storedParameters(const fs::path& root)
{
    std::map<std::string, std::string> out;
    for (const auto& index : Storage::open(root).readAllIndexes())
        for (const auto& e : index.entries)
            if (!e.parameters.empty())
                out[e.name + " " + e.run.value_or("-")] = e.parameters.canonicalJson();
    return out;
}

std::string namesOf(const std::map<std::string, std::optional<Parameters>>& names)
{
    std::string out;
    for (const auto& [name, p] : names)
        out += name + "=" + (p ? p->canonicalJson() : std::string("ambiguous")) + ";";
    return out;
}

std::string configError(std::string_view yaml)
{
    try {
        gridConfigFromYaml(yaml, "cfg.yaml");
    } catch (const GridConfigError& e) {
        return e.what();
    }
    return "accepted";
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

    // str(v) as Python writes what PyYAML read; classifiers without the dots; flow lists, YAML
    // key order, itertools.product order, scalars as parameters, the unnamed fast/slow rule.
    void gridNamesFromYaml()
    {
        QCOMPARE(pythonStr(ParamValue(1.0)), std::string("1.0"));
        QCOMPARE(pythonStr(ParamValue(0.0005)), std::string("0.0005"));
        QCOMPARE(pythonStr(ParamValue(std::int64_t{-100})), std::string("-100"));
        QCOMPARE(pythonStr(ParamValue(0.00001)), std::string("1e-05"));
        QCOMPARE(pythonStr(ParamValue(true)), std::string("True"));
        QCOMPARE(gridToken(Kind::Classifier, ParamValue(0.10)), std::string("01"));
        QCOMPARE(gridToken(Kind::Classifier, ParamValue(0.001)), std::string("0001"));
        QCOMPARE(gridToken(Kind::Signal, ParamValue(0.10)), std::string("0.1"));

        const GridConfig c = gridConfigFromYaml("strategies:\n"
                                                "  - type: t\n"
                                                "    name: s_grid\n"
                                                "    params: {b: [1.0, 0.0005, -100], a: [7,14], fixed: 3, label: \"x\"}\n"
                                                "  - type: ma\n"
                                                "    params:\n"
                                                "      fast_period: [5]\n"
                                                "      slow_period: 20\n"
                                                "  - type: unnamed\n"
                                                "    params: {period: [1, 2]}\n"
                                                "classifiers:\n"
                                                "  - type: c\n"
                                                "    name: c_grid\n"
                                                "    params:\n"
                                                "      th: [0.10, 1.5, 15, 0.001, 1e5, '7']\n",
                                                "cfg.yaml");
        QCOMPARE(c.file, std::string("cfg.yaml"));
        QCOMPARE(namesOf(c.strategyNames),
                 std::string("ma_5_20={\"fast_period\":5,\"slow_period\":20};"
                             "s_grid_-100_14={\"a\":14,\"b\":-100,\"fixed\":3,\"label\":\"x\"};"
                             "s_grid_-100_7={\"a\":7,\"b\":-100,\"fixed\":3,\"label\":\"x\"};"
                             "s_grid_0.0005_14={\"a\":14,\"b\":0.0005,\"fixed\":3,\"label\":\"x\"};"
                             "s_grid_0.0005_7={\"a\":7,\"b\":0.0005,\"fixed\":3,\"label\":\"x\"};"
                             "s_grid_1.0_14={\"a\":14,\"b\":1.0,\"fixed\":3,\"label\":\"x\"};"
                             "s_grid_1.0_7={\"a\":7,\"b\":1.0,\"fixed\":3,\"label\":\"x\"};"));
        // 1.5 and 15 both give "15": not decodable. 1e5 is a string to PyYAML (no '.'), '7' quoted.
        QCOMPARE(namesOf(c.classifierNames), std::string("c_grid_0001={\"th\":0.001};c_grid_01={\"th\":0.1};"
                                                         "c_grid_15=ambiguous;c_grid_1e5={\"th\":\"1e5\"};"
                                                         "c_grid_7={\"th\":\"7\"};"));
    }

    void gridConfigErrors()
    {
        QCOMPARE(configError("strategies: [1, 2"),
                 std::string("cfg.yaml: not valid YAML: line 1: end of sequence flow not found"));
        QCOMPARE(configError("a: 1\nstrategies: {x: 1}\n"),
                 std::string("cfg.yaml: line 2: strategies: expected a list of {type, name, params} entries"));
        QCOMPARE(configError("strategies:\n  - name: g\n    params: {a: [[1, 2]]}\n"),
                 std::string("cfg.yaml: line 3: strategies[0].params.a: a list or mapping inside a parameter's list"));
        QCOMPARE(configError("strategies:\n  - name: g\n    params: [1]\n"),
                 std::string("cfg.yaml: line 3: strategies[0].params: expected a mapping"));
        QCOMPARE(configError("name: x\n"), std::string("cfg.yaml: not an upstream config: no strategies: or "
                                                      "classifiers: entry generates a grid name"));
        QCOMPARE(configError("- 1\n"), std::string("cfg.yaml: not an upstream config: the document is not a mapping"));
    }

    // The fixtures' configs name every trace of their workspace: 258 + 108 traces get parameters,
    // the spec's examples exactly; the same input and configs give the same identities (a re-run
    // writes nothing); verify --against with the same configs calls it complete.
    void gridParametersFromFixtureConfigs()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        const fs::path a = fixtures / "parquet/workspaces" / kRunA, b = fixtures / "parquet-schema-b/workspaces" / kRunB;
        const fs::path configA = fixtures / "parquet/config/expansive_grid_search.yaml";
        const fs::path configB = fixtures / "parquet-schema-b/config/expansive_grid_search.yaml";
        QCOMPARE(readGridConfig(configA).size(), std::size_t(303));
        QCOMPARE(readGridConfig(configB).size(), std::size_t(969));
        const auto beforeA = treeState(a), beforeB = treeState(b);
        MigrationOptions options;
        options.gridConfigs = {configA, configB};
        const fs::path dest = tmp() / "grid";
        const MigrationReport r = migrate({a, b}, dest, options);
        QCOMPARE(r.exitCode(), 0);
        QCOMPARE(r.totals.migrated, std::uint64_t(366));
        std::vector<std::string> notes;
        for (const auto& n : r.notes)
            notes.push_back(std::string(severityName(n.severity)) + " " + n.code + " " + n.path + ": " + n.message);
        QCOMPARE(notes, (std::vector<std::string>{
                            "info grid-parameters " + b.generic_string() + ": parameters of its 108 grid-named traces from "
                                + configB.string(),
                            "info grid-parameters " + a.generic_string() + ": parameters of its 258 grid-named traces from "
                                + configA.string()}));
        const auto params = storedParameters(dest);
        QCOMPARE(params.size(), std::size_t(366));
        QCOMPARE(params.at("rsi_grid_7_20_75 " + kRunA),
                 std::string(R"({"overbought_threshold":75,"oversold_threshold":20,"rsi_period":7})"));
        QCOMPARE(params.at("momentum_regime_grid_65_25_005 " + kRunA),
                 std::string(R"({"momentum_threshold":0.05,"rsi_overbought":65,"rsi_oversold":25})"));
        QCOMPARE(params.at("rsi_threshold_grid_11_40 " + kRunB).empty(), false);

        const auto stored = storageContent(dest);
        const MigrationReport again = migrate({a, b}, dest, options);
        QCOMPARE(again.totals.unchanged, std::uint64_t(366));
        QCOMPARE(again.totals.tracesWritten, std::uint64_t(0));
        QCOMPARE(storageContent(dest), stored);
        QVERIFY(verifyAgainstSources(dest, {a, b}, {}, options.gridConfigs).clean());
        QCOMPARE(verifyAgainstSources(dest, {a, b}).findings.size(), std::size_t(366)); // other identities without them
        QCOMPARE(treeState(a), beforeA);
        QCOMPARE(treeState(b), beforeB);
    }

    // A config that does not generate every grid name of the workspace gives none of them
    // parameters, and says which name it lacks.
    void gridConfigMissingAName()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        const fs::path a = fixtures / "parquet/workspaces" / kRunA;
        std::string text = readText(fixtures / "parquet/config/expansive_grid_search.yaml");
        const std::string full = "overbought_threshold: [70, 75, 80]";
        QVERIFY(text.find(full) != std::string::npos);
        text.replace(text.find(full), full.size(), "overbought_threshold: [70, 75]");
        const fs::path cut = tmp() / "cut.yaml";
        writeText(cut, text);
        MigrationOptions options;
        options.gridConfigs = {cut};
        const MigrationReport r = migrate({a}, tmp() / "grid-cut", options);
        QCOMPARE(r.exitCode(), 0);
        QCOMPARE(r.notes.size(), std::size_t(1));
        QCOMPARE(r.notes[0].severity, Finding::Severity::Warning);
        QCOMPARE(r.notes[0].code, std::string("grid-parameters-missing"));
        QCOMPARE(r.notes[0].path, a.generic_string());
        QCOMPARE(r.notes[0].message, cut.string() + " does not generate strategy rsi_grid_14_20_80: parameters of its "
                                                    "258 grid-named traces kept {}");
        QCOMPARE(storedParameters(tmp() / "grid-cut").size(), std::size_t(0));

        // An unreadable config stops the migration before anything is written.
        writeText(cut, "strategies: [1, 2");
        try {
            migrate({a}, tmp() / "grid-bad", options);
            QFAIL("accepted a broken config");
        } catch (const MigrationError& e) {
            QCOMPARE(std::string(e.what()), cut.string() + ": not valid YAML: line 1: end of sequence flow not found");
        }
        QVERIFY(!fs::exists(tmp() / "grid-bad"));
    }
};

QTEST_GUILESS_MAIN(TestMigrationL6)
#include "tst_migration_l6.moc"
