// Whole migrations (issue 3): the real 963-file run, a version-0 storage folder, generated trees
// with duplicates, conflicts, several runs and broken files; idempotency, untouched sources,
// dry run, symlinks, cancellation and resumption, the JSON report and verify-against-sources.
#include "core/migration/migration.h"
#include "core/storage/storage.h"
#include "core/storage/traceio.h"
#include "tests/core/migration_testutil.h"
#include "tests/support/testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace sigscope::core;
using namespace sigscope::core::migration;
using namespace sigscope::test::migration;

namespace {

const FileOutcome* outcome(const MigrationReport& r, std::string_view fileName)
{
    for (const auto& f : r.files)
        if (fs::path(f.path).filename() == fileName)
            return &f;
    return nullptr;
}

// A tree of legacy inputs of every kind, with one of each outcome.
struct GeneratedTree
{
    fs::path src;
    void build(const fs::path& root)
    {
        src = root / "workspaces";
        const fs::path run1 = src / "tmp/20250101_100000";
        const fs::path run2 = src / "tmp/20250102_100000";
        const std::string a = l2Dump("strategy_SPY_rsi_14", 40,
                                     l2Change(10, "SPY", "SPY_rsi_14", "1") + "," + l2Change(20, "SPY", "SPY_rsi_14", "-1"));
        writeText(run1 / "signals_strategy_SPY_rsi_14_20250101_100000.json", a);
        // A copy within the run: same identity, same changes.
        writeText(run1 / "zz_copy_signals_strategy_SPY_rsi_14_20250101_100000.json", a);
        // An edited copy: same identity, other changes.
        writeText(run1 / "zz_edit_signals_strategy_SPY_rsi_14_20250101_100000.json",
                  l2Dump("strategy_SPY_rsi_14", 40,
                         l2Change(10, "SPY", "SPY_rsi_14", "1") + "," + l2Change(21, "SPY", "SPY_rsi_14", "-1")));
        // The same strategy in another run.
        writeText(run2 / "signals_strategy_SPY_rsi_14_20250102_100000.json",
                  l2Dump("strategy_SPY_rsi_14", 40, l2Change(11, "SPY", "SPY_rsi_14", "1")));
        // Several strategies and symbols in one file, and a classifier.
        writeText(run2 / "signals_strategy_mixed_20250102_100000.json",
                  l2Dump("strategy_mixed", 9,
                         l2Change(1, "SPY", "SPY_macd_12_26", "1") + "," + l2Change(2, "QQQ", "QQQ_macd_12_26", "-1") + ","
                             + l2Change(3, "SPY", "SPY_trend_regime", "\"up\"") + ","
                             + l2Change(4, "SPY", "SPY_trend_regime", "\"down\"")));
        writeText(src / "signals/signals_20250103.jsonl",
                  "{\"t\": 1735900000, \"s\": \"SPY\", \"v\": 1, \"id\": \"SPY_momentum_1\"}\n"
                  "{\"t\": 1735900060, \"s\": \"SPY\", \"v\": 1, \"id\": \"SPY_momentum_1\"}\n"
                  "{\"t\": 1735900120, \"s\": \"SPY\", \"v\": 0, \"id\": \"SPY_momentum_1\"}\n");
        writeText(src / "old/bollinger_dict.json", R"({"5": 1, "9": 0})");
        writeText(src / "old/breakout_list.json", R"([{"bar_idx": 3, "signal": -1, "price": 101.5}])");
        writeText(src / "old/truncated.json", a.substr(0, 60));
        writeText(src / "old/notes.json", R"({"comment": "not a trace"})");
        writeText(src / "old/readme.txt", "ignored: not *.json");
    }
};

} // namespace

class TestMigrationRun : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tmp;
    fs::path tmp() const { return fs::path(m_tmp.path().toStdString()); }

private Q_SLOTS:
    void realRunAllMigratedThenUnchanged()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        const fs::path sources = fixtures / "legacy-tmp/workspaces";
        const fs::path dest = tmp() / "real";
        MigrationOptions options;
        options.jobs = 2;
        const MigrationReport r = migrate({sources}, dest, options);
        QCOMPARE(r.totals.filesSeen, 963u);
        QCOMPARE(r.totals.migrated, 963u);
        QCOMPARE(r.totals.failed + r.totals.unrecognised + r.totals.duplicates + r.totals.conflicts, 0u);
        QCOMPARE(r.totals.traces, 963u);
        QCOMPARE(r.totals.tracesWritten, 963u);
        QCOMPARE(r.totals.changesRead, 16321u);
        QCOMPARE(r.totals.changesWritten, 16321u);
        QCOMPARE(r.exitCode(), 0);

        // Every stored change equals the source's, checked with another JSON parser (Qt's).
        std::size_t classifiers = 0;
        std::set<std::string> regimes;
        for (const FileOutcome& f : r.files) {
            QCOMPARE(f.variant, Variant::L2);
            QCOMPARE(f.traces.size(), std::size_t(1));
            const TraceOutcome& t = f.traces[0];
            QCOMPARE(t.run.value_or(""), std::string("20250615_163513"));
            const Trace stored = loadTrace(dest / t.filePath);
            const QJsonArray changes = QJsonDocument::fromJson(QByteArray::fromStdString(readText(f.path)))
                                           .object()
                                           .value(QStringLiteral("changes"))
                                           .toArray();
            QCOMPARE(stored.size(), std::size_t(changes.size()));
            classifiers += stored.kind() == Kind::Classifier ? 1 : 0;
            for (qsizetype i = 0; i < changes.size(); ++i) {
                const QJsonObject c = changes[i].toObject();
                const auto k = std::size_t(i);
                QCOMPARE(stored.bar(k), c.value(QStringLiteral("idx")).toInteger());
                QCOMPARE(stored.timeText(k), c.value(QStringLiteral("ts")).toString().toStdString());
                QCOMPARE(stored.price(k), c.value(QStringLiteral("px")).toDouble());
                const QJsonValue val = c.value(QStringLiteral("val"));
                if (val.isString()) {
                    QCOMPARE(stored.kind(), Kind::Classifier);
                    QCOMPARE(std::string(stored.regimeName(k)), val.toString().toStdString());
                    regimes.insert(val.toString().toStdString());
                } else {
                    QCOMPARE(stored.value(k), val.toInt());
                }
            }
        }
        QCOMPARE(classifiers, std::size_t(81));
        QVERIFY(regimes.size() >= 2);
        QVERIFY(regimes.count("uncertainty"));

        std::size_t entries = 0;
        for (const auto& index : Storage::open(dest).readAllIndexes())
            entries += index.entries.size();
        QCOMPARE(entries, std::size_t(963));

        // Idempotent: everything unchanged, not a byte or an mtime touched.
        const auto before = treeState(dest);
        const MigrationReport again = migrate({sources}, dest, options);
        QCOMPARE(again.totals.unchanged, 963u);
        QCOMPARE(again.totals.tracesWritten, 0u);
        QCOMPARE(again.totals.changesWritten, 0u);
        QCOMPARE(again.totals.changesUnchanged, 16321u);
        QCOMPARE(again.exitCode(), 0);
        QVERIFY(treeState(dest) == before);
    }

    void versionZeroFolder()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        const fs::path dest = tmp() / "l3";
        const MigrationReport r = migrate({fixtures / "upstream/analytics_storage"}, dest);
        QCOMPARE(r.totals.filesSeen, 3u);
        QCOMPARE(r.totals.migrated, 3u);
        QCOMPARE(r.totals.changesWritten, 14u);
        QCOMPARE(r.exitCode(), 0);
        std::size_t skippedIndexes = 0;
        for (const auto& n : r.notes)
            skippedIndexes += n.code == "index-skipped" ? 1 : 0;
        QCOMPARE(skippedIndexes, std::size_t(3));
        for (const auto& f : r.files)
            QCOMPARE(f.variant, Variant::L3);
        const Storage storage = Storage::open(dest);
        QCOMPARE(storage.formatVersion(), 1);
        QCOMPARE(storage.types(Kind::Classifier), (std::vector<std::string>{"regime", "trend"}));
    }

    void generatedTree()
    {
        GeneratedTree tree;
        tree.build(tmp() / "gen");
        const fs::path dest = tmp() / "gen-dest";
        const auto sourcesBefore = treeState(tree.src);
        const auto tmpBefore = treeState(tmp());

        const MigrationReport r = migrate({tree.src}, dest);
        QCOMPARE(r.totals.filesSeen, 11u); // readme.txt is seen and skipped, never read
        auto status = [&](std::string_view name) {
            const FileOutcome* f = outcome(r, name);
            return f ? std::string(statusName(f->status)) + (f->reason.empty() ? "" : ": " + f->reason) : std::string("absent");
        };
        QCOMPARE(status("signals_strategy_SPY_rsi_14_20250101_100000.json"), std::string("migrated"));
        QCOMPARE(status("zz_copy_signals_strategy_SPY_rsi_14_20250101_100000.json"), std::string("duplicate"));
        QCOMPARE(status("zz_edit_signals_strategy_SPY_rsi_14_20250101_100000.json"), std::string("conflict"));
        QCOMPARE(status("signals_strategy_SPY_rsi_14_20250102_100000.json"), std::string("migrated"));
        QCOMPARE(status("signals_strategy_mixed_20250102_100000.json"), std::string("migrated"));
        QCOMPARE(status("signals_20250103.jsonl"), std::string("migrated"));
        QCOMPARE(status("bollinger_dict.json"), std::string("migrated"));
        QCOMPARE(status("breakout_list.json"), std::string("migrated"));
        QCOMPARE(status("truncated.json"), std::string("failed: line 2, column 59: unexpected end of input"));
        QCOMPARE(status("notes.json"), std::string("unrecognised: a JSON object with keys comment, no legacy trace"));
        QCOMPARE(status("readme.txt"), std::string("skipped: not a .json, .jsonl or .parquet file (a .txt file): not read"));
        QCOMPARE(r.totals.skipped, 1u);
        QCOMPARE(r.exitCode(), 3);

        const FileOutcome* original = outcome(r, "signals_strategy_SPY_rsi_14_20250101_100000.json");
        const FileOutcome* copy = outcome(r, "zz_copy_signals_strategy_SPY_rsi_14_20250101_100000.json");
        const FileOutcome* edit = outcome(r, "zz_edit_signals_strategy_SPY_rsi_14_20250101_100000.json");
        const FileOutcome* run2 = outcome(r, "signals_strategy_SPY_rsi_14_20250102_100000.json");
        QCOMPARE(copy->traces.at(0).duplicateOf, original->path);
        QCOMPARE(copy->traces.at(0).filePath, original->traces.at(0).filePath);
        QCOMPARE(edit->traces.at(0).variant.value_or(0), 2);
        QVERIFY(edit->traces.at(0).filePath != original->traces.at(0).filePath);
        QCOMPARE(run2->traces.at(0).run.value_or(""), std::string("20250102_100000"));
        QVERIFY(run2->traces.at(0).filePath != original->traces.at(0).filePath);
        const Trace kept = loadTrace(dest / edit->traces.at(0).filePath);
        QCOMPARE(kept.identity.variant.value_or(0), 2);
        QCOMPARE(kept.bar(1), 21);
        const FileOutcome* mixed = outcome(r, "signals_strategy_mixed_20250102_100000.json");
        QCOMPARE(mixed->traces.size(), std::size_t(3));
        QCOMPARE(mixed->traces[2].kind, Kind::Classifier);
        QCOMPARE(mixed->traces[2].name, std::string("trend_regime"));

        // changes_read = written + duplicates + unchanged (the failed file was never read as changes).
        QCOMPARE(r.totals.changesRead, r.totals.changesWritten + r.totals.changesDuplicate + r.totals.changesUnchanged);
        QCOMPARE(r.totals.changesDuplicate, 2u);
        QCOMPARE(r.totals.duplicates, 1u);
        QCOMPARE(r.totals.conflicts, 1u);

        // Sources untouched; nothing written outside the destination.
        QVERIFY(treeState(tree.src) == sourcesBefore);
        for (const auto& [path, state] : treeState(tmp())) {
            if (!tmpBefore.count(path))
                QVERIFY2(path.starts_with("gen-dest/"), path.c_str());
            else
                QVERIFY2(tmpBefore.at(path) == state, path.c_str());
        }

        // Second run: nothing to write; the duplicate is still one, the conflict's variant found unchanged.
        const auto destBefore = treeState(dest);
        const MigrationReport again = migrate({tree.src}, dest);
        QCOMPARE(again.totals.tracesWritten, 0u);
        QCOMPARE(again.totals.unchanged, 7u);
        QCOMPARE(again.totals.duplicates, 1u);
        QCOMPARE(std::string(statusName(outcome(again, "zz_edit_signals_strategy_SPY_rsi_14_20250101_100000.json")->status)),
                 std::string("unchanged"));
        QVERIFY(treeState(dest) == destBefore);
        QVERIFY(treeState(tree.src) == sourcesBefore);

        // verify --against: every source change is in the storage; a lost file is found.
        SourceCheck check = verifyAgainstSources(dest, {tree.src});
        QCOMPARE(check.findings.size(), std::size_t(1));
        QCOMPARE(check.findings[0].code, std::string("source-unreadable"));
        fs::remove(dest / run2->traces.at(0).filePath);
        check = verifyAgainstSources(dest, {tree.src});
        QCOMPARE(check.findings.size(), std::size_t(2));
        QCOMPARE(check.findings[1].code, std::string("missing-trace"));
        QVERIFY(check.findings[1].message.starts_with("rsi_14 SPY run 20250102_100000: not in the storage"));
    }

    void dryRunWritesNothing()
    {
        GeneratedTree tree;
        tree.build(tmp() / "dry");
        const fs::path dest = tmp() / "dry-dest";
        MigrationOptions options;
        options.dryRun = true;
        const MigrationReport plan = migrate({tree.src}, dest, options);
        QVERIFY(!fs::exists(dest));
        QVERIFY(plan.dryRun);
        const MigrationReport real = migrate({tree.src}, dest);
        QCOMPARE(plan.files.size(), real.files.size());
        for (std::size_t i = 0; i < plan.files.size(); ++i) {
            QCOMPARE(plan.files[i].status, real.files[i].status);
            QCOMPARE(plan.files[i].traces.size(), real.files[i].traces.size());
            for (std::size_t k = 0; k < plan.files[i].traces.size(); ++k)
                QCOMPARE(plan.files[i].traces[k].filePath, real.files[i].traces[k].filePath);
        }
        QCOMPARE(plan.totals.changesWritten, real.totals.changesWritten);
    }

    void symlinksAndLoops()
    {
        const fs::path root = tmp() / "links";
        const fs::path src = root / "src";
        writeText(src / "run/20250101_100000/signals_strategy_SPY_rsi_14.json",
                  l2Dump("x", 5, l2Change(1, "SPY", "SPY_rsi_14", "1")));
        writeText(root / "outside/signals_strategy_SPY_macd.json", l2Dump("x", 5, l2Change(1, "SPY", "SPY_macd", "1")));
        fs::create_directory_symlink(src, src / "run/loop");               // back into the tree: a loop
        fs::create_directory_symlink(root / "outside", src / "run/out");   // out of the tree
        fs::create_symlink(src / "run/20250101_100000/signals_strategy_SPY_rsi_14.json", src / "alias.json"); // same file
        const MigrationReport r = migrate({src}, root / "dest");
        QCOMPARE(r.totals.filesSeen, 1u);
        QCOMPARE(r.totals.migrated, 1u);
        std::multiset<std::string> codes;
        for (const auto& n : r.notes)
            codes.insert(n.code);
        QCOMPARE(codes.count("symlink-skipped"), std::size_t(2));
        QCOMPARE(codes.count("same-file"), std::size_t(1));
    }

    void destinationInsideSourceIsSkipped()
    {
        const fs::path src = tmp() / "inside";
        writeText(src / "signals_strategy_SPY_rsi_14.json", l2Dump("x", 5, l2Change(1, "SPY", "SPY_rsi_14", "1")));
        const MigrationReport first = migrate({src}, src / "storage");
        QCOMPARE(first.totals.migrated, 1u);
        const MigrationReport second = migrate({src}, src / "storage");
        QCOMPARE(second.totals.filesSeen, 1u); // the storage's own files are not sources
        QCOMPARE(second.totals.unchanged, 1u);
    }

    void cancelThenResume()
    {
        const fs::path src = tmp() / "many/workspaces/tmp/20250105_090000";
        for (int i = 0; i < 40; ++i) {
            const std::string strat = "SPY_rsi_grid_" + std::to_string(i);
            writeText(src / ("signals_strategy_" + strat + "_20250105_090000.json"),
                      l2Dump("strategy_" + strat, 50,
                             l2Change(5, "SPY", strat, "1") + "," + l2Change(10 + i, "SPY", strat, "-1")));
        }
        const fs::path reference = tmp() / "many-reference";
        QCOMPARE(migrate({src}, reference).totals.migrated, 40u);

        const fs::path dest = tmp() / "many-dest";
        MigrationOptions options;
        options.jobs = 2;
        std::uint64_t calls = 0;
        const MigrationReport cancelled = migrate({src}, dest, options, [&](const Progress& p) {
            ++calls;
            return p.done < 5;
        });
        QVERIFY(cancelled.cancelled);
        QCOMPARE(cancelled.exitCode(), 1);
        QVERIFY(cancelled.totals.cancelled > 0);
        QVERIFY(calls > 0);
        const MigrationReport resumed = migrate({src}, dest, options);
        QCOMPARE(resumed.totals.migrated + resumed.totals.unchanged, 40u);
        QCOMPARE(resumed.totals.unchanged, 40u - resumed.totals.migrated);
        QCOMPARE(storageContent(dest), storageContent(reference));
    }

    void reportShape()
    {
        GeneratedTree tree;
        tree.build(tmp() / "rep");
        const MigrationReport r = migrate({tree.src}, tmp() / "rep-dest");
        const QJsonObject root = QJsonDocument::fromJson(QByteArray::fromStdString(reportToJson(r))).object();
        QCOMPARE(root.value(QStringLiteral("destination")).toString().toStdString(), (tmp() / "rep-dest").generic_string());
        QCOMPARE(root.value(QStringLiteral("dry_run")).toBool(true), false);
        const QJsonObject totals = root.value(QStringLiteral("totals")).toObject();
        for (const char* key : {"files_seen", "migrated", "unchanged", "duplicates", "conflicts", "unrecognised", "failed",
                                "traces_written", "changes_read", "changes_written"})
            QVERIFY2(totals.value(QLatin1String(key)).isDouble(), key);
        QCOMPARE(totals.value(QStringLiteral("files_seen")).toInt(), 11);
        QCOMPARE(totals.value(QStringLiteral("skipped")).toInt(), 1);
        QCOMPARE(totals.value(QStringLiteral("failed")).toInt(), 1);
        const QJsonArray files = root.value(QStringLiteral("files")).toArray();
        QCOMPARE(files.size(), 11);
        bool sawTrace = false;
        for (const auto& fv : files) {
            const QJsonObject f = fv.toObject();
            for (const char* key : {"path", "variant", "status", "reason"})
                QVERIFY2(f.value(QLatin1String(key)).isString(), key);
            QVERIFY(f.value(QStringLiteral("traces")).isArray());
            for (const auto& tv : f.value(QStringLiteral("traces")).toArray()) {
                const QJsonObject t = tv.toObject();
                for (const char* key : {"kind", "name", "file_path"})
                    QVERIFY2(t.value(QLatin1String(key)).isString(), key);
                QVERIFY(t.value(QStringLiteral("changes")).isDouble());
                QVERIFY(t.contains(QStringLiteral("symbol")) && t.contains(QStringLiteral("run")));
                sawTrace = true;
            }
        }
        QVERIFY(sawTrace);
        const QJsonObject first = files[0].toObject();
        QCOMPARE(first.value(QStringLiteral("variant")).toString(), QStringLiteral("L5")); // byte order: old/ first
        QCOMPARE(first.value(QStringLiteral("path")).toString().toStdString(),
                 (tree.src / "old/bollinger_dict.json").generic_string());
    }

    void destinationNotUsable()
    {
        const fs::path file = tmp() / "a-file";
        writeText(file, "x");
        QVERIFY_THROWS_EXCEPTION(MigrationError, migrate({tmp() / "gen"}, file));
    }
};

QTEST_GUILESS_MAIN(TestMigrationRun)
#include "tst_migration_run.moc"
