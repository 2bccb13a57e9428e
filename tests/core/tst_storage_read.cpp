// Reading a storage (storage-format.md §5-§7): the real upstream folder (version 0), index
// dedupe and the three file_path forms, parse errors with positions, rebuild.
#include "core/storage/storage.h"
#include "core/storage/traceio.h"
#include "core/storage/writer.h"
#include "tests/support/testsupport.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace sigscope::core;
namespace fs = std::filesystem;

namespace {

void writeText(const fs::path& p, const std::string& text)
{
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
}

std::string upstreamSignalFile(const std::string& name, int changes)
{
    std::string s = R"({"metadata": {"strategy_name": ")" + name
        + R"(", "strategy_type": null, "parameters": {}, "total_bars": 0, "signal_changes": 1, "compression_ratio": 0,
 "created_at": "2025-06-13T11:28:27.830093", "symbol": "UNKNOWN", "timeframe": "1m", "workflow_id": "tmp"}, "changes": [)";
    for (int i = 0; i < changes; ++i)
        s += std::string(i ? ", " : "") + R"({"idx": 0, "ts": "2025-06-13T11:28:25.574891", "sym": "SPY", "val": )"
            + std::to_string(i % 2 ? 0 : -1) + R"(, "strat": "SPY_x", "px": 0.0})";
    return s + "]}";
}

std::string entryJson(const std::string& name, const std::string& path, const std::string& createdAt, int items)
{
    return R"({"type": "rsi", "name": ")" + name + R"(", "parameters": {}, "total_items": )" + std::to_string(items)
        + R"(, "compression_ratio": 0, "created_at": ")" + createdAt + R"(", "file_hash": "99914b93", "file_path": ")"
        + path + "\"}";
}

std::vector<std::string> codes(const std::vector<Finding>& findings)
{
    std::vector<std::string> out;
    for (const auto& f : findings)
        out.push_back(f.code);
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

class TestStorageRead : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void upstreamFolder()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        const fs::path root = fixtures / "upstream/analytics_storage";
        const Storage s = Storage::open(root);
        QCOMPARE(s.formatVersion(), 0);
        QCOMPARE(s.types(Kind::Signal), std::vector<std::string>{"mean_reversion"});
        QCOMPARE(s.types(Kind::Classifier), (std::vector<std::string>{"regime", "trend"}));

        std::vector<Finding> findings;
        const auto all = s.readAllIndexes(&findings);
        QCOMPARE(all.size(), std::size_t(3));
        QCOMPARE(codes(findings), std::vector<std::string>(3, "upstream-writer-relative-path"));
        for (const auto& f : findings)
            QCOMPARE(f.severity, Finding::Severity::Info);

        const TypeIndex& mr = all[0];
        QCOMPARE(mr.kind, Kind::Signal);
        QCOMPARE(mr.type, std::string("mean_reversion"));
        QCOMPARE(mr.updatedAt, std::string("2025-06-13T11:28:27.830822"));
        QCOMPARE(mr.entries.size(), std::size_t(1));
        const IndexEntry& e = mr.entries[0];
        QCOMPARE(e.name, std::string("mean_reversion_bb"));
        QCOMPARE(e.filePath, std::string("signals/mean_reversion/mean_reversion_99914b93.json"));
        QCOMPARE(e.storedFilePath, std::string("analytics_storage/signals/mean_reversion/mean_reversion_99914b93.json"));
        QCOMPARE(e.fileHash, std::string("99914b93"));
        QCOMPARE(e.totalItems, std::int64_t(12));
        QVERIFY(e.parameters.empty());
        QCOMPARE(e.symbol, std::optional<std::string>("SPY")); // from the file's container id
        QCOMPARE(s.absolutePath(e), root / "signals/mean_reversion/mean_reversion_99914b93.json");

        QCOMPARE(all[1].entries.at(0).name, std::string("volatility_regime"));
        QCOMPARE(all[1].entries.at(0).filePath, std::string("classifiers/regime/volatility_regime_99914b93.json"));
        QCOMPARE(all[2].entries.at(0).name, std::string("trend_classifier"));
        QCOMPARE(all[2].entries.at(0).filePath, std::string("classifiers/trend/trend_classifier_99914b93.json"));

        const Trace t = loadTrace(s.absolutePath(e));
        QCOMPARE(t.kind(), Kind::Signal);
        QCOMPARE(t.identity.name, std::string("mean_reversion_bb"));
        QCOMPARE(t.identity.symbol, std::optional<std::string>("SPY"));
        QCOMPARE(t.identity.timeframe, std::optional<std::string>("1m"));
        QVERIFY(!t.identity.run);
        QCOMPARE(t.type, std::string("mean_reversion")); // strategy_type null: the folder
        QCOMPARE(t.metadata.formatVersion, 0);
        QCOMPARE(t.metadata.totalBars, std::int64_t(0));
        QCOMPARE(t.effectiveTotalBars(), std::int64_t(1));
        QCOMPARE(t.metadata.createdAt, std::string("2025-06-13T11:28:27.830093"));
        QVERIFY(t.metadata.storedHash.empty());
        QCOMPARE(t.metadata.extras, (std::vector<std::pair<std::string, std::string>>{
                                        {"workflow_id", "\"tmp\""}, {"container_id", "\"strategy_SPY_mean_reversion_bb\""}}));
        QCOMPARE(t.size(), std::size_t(12));
        const std::vector<std::int32_t> values = {-1, 0, -1, 0, -1, 0, 1, 0, -1, 0, -1, 0};
        QCOMPARE(std::vector<std::int32_t>(t.values().begin(), t.values().end()), values);
        QCOMPARE(t.timeText(0), std::string("2025-06-13T11:28:25.574891"));
        QCOMPARE(t.timeText(11), std::string("2025-06-13T11:28:25.808970"));
        for (std::size_t i = 0; i < t.size(); ++i)
            QCOMPARE(t.bar(i), std::int64_t(0));

        const Trace trend = loadTrace(root / "classifiers/trend/trend_classifier_99914b93.json");
        QCOMPARE(trend.kind(), Kind::Classifier);
        QCOMPARE(trend.type, std::string("trend"));
        QCOMPARE(trend.size(), std::size_t(1));
        QCOMPARE(std::string(trend.regimeName(0)), std::string("ranging"));
        QCOMPARE(trend.confidence(0), 0.991114153763697);
        QCOMPARE(trend.timeText(0), std::string("2025-06-13T11:28:25.541274"));
    }

    void rootWithTrailingSlashAndRelative()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        const Storage s = Storage::open((fixtures / "upstream/analytics_storage/").string());
        const TypeIndex ti = s.readIndex(Kind::Classifier, "trend");
        QCOMPARE(ti.entries.at(0).filePath, std::string("classifiers/trend/trend_classifier_99914b93.json"));
    }

    // A generated upstream index: appended duplicates and all three file_path forms.
    void dedupeAndPathForms()
    {
        QTemporaryDir tmp;
        const fs::path root = fs::path(tmp.path().toStdString()) / "analytics_storage";
        const fs::path dir = root / "signals/rsi";
        for (const char* f : {"a.json", "b.json", "c.json", "d.json"})
            writeText(dir / f, upstreamSignalFile(std::string("rsi_") + f[0], 1));
        const std::string absB = (dir / "b.json").string();
        std::string index = R"({"type": "rsi", "files": [)";
        index += entryJson("rsi_a", "analytics_storage/signals/rsi/a.json", "2025-06-13T10:00:00.000000", 1) + ",";
        index += entryJson("rsi_b", absB, "2025-06-13T10:00:00.000000", 1) + ",";
        index += entryJson("rsi_c", "signals/rsi/c.json", "2025-06-13T10:00:00.000000", 1) + ",";
        index += entryJson("rsi_d", "/somewhere/else/run/d.json", "2025-06-13T10:00:00.000000", 1) + ",";
        // Appended later: newer a (kept), an older b listed after the newer one (not kept).
        index += entryJson("rsi_a", "analytics_storage/signals/rsi/a.json", "2025-06-13T11:00:00.000000", 2) + ",";
        index += entryJson("rsi_b", absB, "2025-06-13T09:00:00.000000", 7) + ",";
        index += entryJson("rsi_c", "signals/rsi/c.json", "2025-06-13T10:00:00.000000", 3);
        index += R"(], "updated_at": "2025-06-13T11:00:00.1"})";
        writeText(dir / "index.json", index);

        const Storage s = Storage::open(root);
        QCOMPARE(s.formatVersion(), 0);
        std::vector<Finding> findings;
        const TypeIndex ti = s.readIndex(Kind::Signal, "rsi", &findings);
        QCOMPARE(ti.entries.size(), std::size_t(4));
        QCOMPARE(ti.entries[0].filePath, std::string("signals/rsi/a.json"));
        QCOMPARE(ti.entries[0].totalItems, std::int64_t(2));
        QCOMPARE(ti.entries[0].createdAt, std::string("2025-06-13T11:00:00.000000"));
        QCOMPARE(ti.entries[1].filePath, std::string("signals/rsi/b.json"));
        QCOMPARE(ti.entries[1].totalItems, std::int64_t(1));
        QCOMPARE(ti.entries[1].storedFilePath, absB);
        QCOMPARE(ti.entries[2].filePath, std::string("signals/rsi/c.json"));
        QCOMPARE(ti.entries[2].totalItems, std::int64_t(3)); // same created_at: the later one
        QCOMPARE(ti.entries[3].filePath, std::string("signals/rsi/d.json"));
        QCOMPARE(ti.entries[3].storedFilePath, std::string("/somewhere/else/run/d.json"));
        QCOMPARE(codes(findings), (std::vector<std::string>{"upstream-absolute-path", "upstream-appended-entries",
                                                            "upstream-unresolved-path", "upstream-writer-relative-path"}));
        for (const auto& e : ti.entries)
            QVERIFY(fs::is_regular_file(s.absolutePath(e)));
    }

    void missingAndDamagedIndex()
    {
        QTemporaryDir tmp;
        const fs::path root = fs::path(tmp.path().toStdString());
        writeText(root / "signals/rsi/a.json", upstreamSignalFile("rsi_a", 1));
        writeText(root / "signals/macd/index.json", "{\"type\": \"macd\", \"files\": [\n{\"name\": ");
        const Storage s = Storage::open(root);
        std::vector<Finding> findings;
        QVERIFY(s.readIndex(Kind::Signal, "rsi", &findings).entries.empty());
        QVERIFY(s.readIndex(Kind::Signal, "macd", &findings).entries.empty());
        QCOMPARE(findings.size(), std::size_t(2));
        QCOMPARE(findings[0].code, std::string("index-error"));
        QCOMPARE(findings[0].path, std::string("signals/rsi/index.json"));
        QCOMPARE(findings[0].severity, Finding::Severity::Warning);
        QCOMPARE(findings[1].code, std::string("index-error"));
        QCOMPARE(findings[1].severity, Finding::Severity::Error);
        QCOMPARE(findings[1].line, std::int64_t(2));
        QVERIFY2(findings[1].message.starts_with("line 2, column 10: "), findings[1].message.c_str());
    }

    void openErrors()
    {
        QTemporaryDir tmp;
        const fs::path root = fs::path(tmp.path().toStdString());
        QVERIFY_THROWS_EXCEPTION(StorageError, Storage::open(root / "nope"));
        writeText(root / "storage.json", R"({"format": "hierarchical-signal-storage", "format_version": 3})");
        try {
            Storage::open(root);
            QFAIL("no error");
        } catch (const StorageError& e) {
            QCOMPARE(e.reason(), std::string("unsupported format_version 3 (this program reads versions 0, 1 and 2)"));
        }
        writeText(root / "storage.json", "{\"format\": ");
        QVERIFY_THROWS_EXCEPTION(StorageError, Storage::open(root));
    }

    void parseErrors_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<int>("line");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("the file is empty") << 0;
        QTest::newRow("blank") << QByteArray(" \n ") << QStringLiteral("the file is empty") << 0;
        QTest::newRow("truncated")
            << QByteArray("{\n  \"metadata\": {\"strategy_name\": \"x\"},\n  \"changes\": [\n    {\"idx\": 1, \"val\"")
            << QStringLiteral("line 4, column 21: syntax error while parsing object separator - unexpected end of "
                              "input; expected ':'")
            << 4;
        QTest::newRow("garbage")
            << QByteArray("{\"metadata\": {\"strategy_name\": \"x\"}, \"changes\": [}")
            << QStringLiteral("line 1, column 50: syntax error while parsing value - unexpected '}'; expected '[', "
                              "'{', or a literal")
            << 1;
        // A colon where a comma belongs, after a value the reader takes as it is in the text (a
        // string without escapes, a number, null): On-Demand skipped what followed it unchecked.
        QTest::newRow("colon after a metadata string")
            << QByteArray(R"({"metadata": {"strategy_name": "x", "strategy_type": "y": 1, "w": 2}, "symbol": "z"}, "changes": []})")
            << QStringLiteral("line 1, column 57: syntax error while parsing object - unexpected ':'; expected '}'") << 1;
        QTest::newRow("colon after a metadata number")
            << QByteArray(R"({"metadata": {"strategy_name": "x", "total_bars": 5: 1, "w": 2}, "symbol": "z"}, "changes": []})")
            << QStringLiteral("line 1, column 52: syntax error while parsing object - unexpected ':'; expected '}'") << 1;
        QTest::newRow("colon after a metadata null")
            << QByteArray(R"({"metadata": {"strategy_name": "x", "run": null: 1, "w": 2}, "symbol": "z"}, "changes": []})")
            << QStringLiteral("line 1, column 48: syntax error while parsing object - unexpected ':'; expected '}'") << 1;
        QTest::newRow("colon after a change's string")
            << QByteArray(R"({"metadata": {"strategy_name": "x"}, "changes": [{"idx": 1, "val": 1, "sym": "SPY": 3, "q": 1}, {"idx": 2, "val": -1}]}]})")
            << QStringLiteral("line 1, column 83: syntax error while parsing object - unexpected ':'; expected '}'") << 1;
        QTest::newRow("idx string")
            << QByteArray(R"({"metadata": {"strategy_name": "x"}, "changes": [{"idx": 1, "val": 1}, {"idx": "abc", "val": 0}]})")
            << QStringLiteral("change 2: idx is a string") << 0;
        QTest::newRow("idx float")
            << QByteArray(R"({"metadata": {"strategy_name": "x"}, "changes": [{"idx": 1.5, "val": 1}]})")
            << QStringLiteral("change 1: idx is not an integer") << 0;
        QTest::newRow("val string in a signal")
            << QByteArray(R"({"metadata": {"strategy_name": "x"}, "changes": [{"idx": 1, "val": "BULL"}]})")
            << QStringLiteral("change 1: val is a string") << 0;
        QTest::newRow("missing idx")
            << QByteArray(R"({"metadata": {"classifier_name": "x"}, "changes": [{"regime": "a"}]})")
            << QStringLiteral("change 1: idx is missing") << 0;
        QTest::newRow("regime missing")
            << QByteArray(R"({"changes": [{"idx": 3}], "metadata": {"classifier_name": "x"}})")
            << QStringLiteral("change 1: regime is missing") << 0;
        QTest::newRow("no name")
            << QByteArray(R"({"metadata": {"symbol": "SPY"}, "changes": []})")
            << QStringLiteral("metadata has neither strategy_name nor classifier_name") << 0;
        QTest::newRow("array") << QByteArray("[1, 2]") << QStringLiteral("the file is not a JSON object") << 0;
        QTest::newRow("symbol number")
            << QByteArray(R"({"metadata": {"strategy_name": "x", "symbol": 5}, "changes": []})")
            << QStringLiteral("metadata.symbol is an integer, not a string") << 0;
    }
    void parseErrors()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, reason);
        QFETCH(int, line);
        try {
            parseTrace(std::string_view(text.constData(), static_cast<std::size_t>(text.size())),
                       "signals/rsi/rsi_14_1a2b3c4d.json");
            QFAIL("no error");
        } catch (const StorageError& e) {
            QCOMPARE(QString::fromStdString(e.reason()), reason);
            QCOMPARE(e.line(), std::int64_t(line));
            QCOMPARE(QString::fromUtf8(e.what()), QStringLiteral("signals/rsi/rsi_14_1a2b3c4d.json: ") + reason);
            QCOMPARE(e.path(), fs::path("signals/rsi/rsi_14_1a2b3c4d.json"));
        }
    }

    void changesBeforeMetadata()
    {
        const Trace t = parseTrace(
            R"({"changes": [{"idx": 3, "val": "BULL"}, {"idx": 5, "regime": "BEAR", "confidence": 0.5}],
                "metadata": {"classifier_name": "trend_x", "format_version": 1}})",
            "x.json");
        QCOMPARE(t.kind(), Kind::Classifier);
        QCOMPARE(t.size(), std::size_t(2));
        QCOMPARE(t.valueText(0), std::string("BULL"));
        QCOMPARE(t.confidence(1), 0.5);
        QCOMPARE(t.type, std::string("trend"));
        QCOMPARE(t.metadata.formatVersion, 1);
    }

    void loadMissingFile()
    {
        try {
            loadTrace("/nonexistent/x.json");
            QFAIL("no error");
        } catch (const StorageError& e) {
            QVERIFY(e.reason().starts_with("cannot open: "));
            QCOMPARE(e.path(), fs::path("/nonexistent/x.json"));
        }
    }

    void rebuildFromDataFiles()
    {
        QTemporaryDir tmp;
        const fs::path root = fs::path(tmp.path().toStdString());
        StorageWriter writer(root);
        TraceIdentity id;
        id.name = "rsi_14";
        id.parameters = Parameters{{"period", std::int64_t{14}}};
        Trace t(id);
        t.metadata.createdAt = "2026-01-05T14:03:11.120000Z";
        t.appendSignal(4, "2024-03-26T13:50:00Z", 1);
        const WriteResult r = writer.write(t);
        id.parameters = Parameters{{"period", std::int64_t{21}}};
        Trace t2(id);
        t2.metadata.createdAt = t.metadata.createdAt;
        t2.appendSignal(9, "2024-03-26T13:55:00Z", -1);
        const WriteResult r2 = writer.write(t2);
        const TypeIndex before = Storage::open(root).readIndex(Kind::Signal, "rsi");

        fs::remove(root / "signals/rsi/index.json");
        writeText(root / "signals/rsi/broken.json", "{\"metadata\": ");
        const RebuildResult rebuilt = rebuildIndexes(root);
        QCOMPARE(rebuilt.types, std::size_t(1));
        QCOMPARE(rebuilt.traces, std::size_t(2));
        QCOMPARE(rebuilt.findings.size(), std::size_t(1));
        QCOMPARE(rebuilt.findings[0].code, std::string("parse-error"));
        QCOMPARE(rebuilt.findings[0].path, std::string("signals/rsi/broken.json"));
        const TypeIndex after = Storage::open(root).readIndex(Kind::Signal, "rsi");
        QCOMPARE(after.entries, before.entries);
        QCOMPARE(after.entries.size(), std::size_t(2));
        QVERIFY(r.filePath != r2.filePath);
    }

    void rebuildUpstreamCopy()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        QTemporaryDir tmp;
        const fs::path root = fs::path(tmp.path().toStdString()) / "analytics_storage";
        sigscope::test::copyTree(fixtures / "upstream/analytics_storage", root);
        const RebuildResult rebuilt = rebuildIndexes(root);
        QCOMPARE(rebuilt.traces, std::size_t(3));
        QVERIFY(rebuilt.findings.empty());
        const Storage s = Storage::open(root);
        std::vector<Finding> findings;
        const TypeIndex ti = s.readIndex(Kind::Signal, "mean_reversion", &findings);
        QVERIFY(findings.empty());
        QCOMPARE(ti.entries.at(0).filePath, std::string("signals/mean_reversion/mean_reversion_99914b93.json"));
        QCOMPARE(ti.entries.at(0).totalItems, std::int64_t(12));
        QCOMPARE(ti.entries.at(0).totalBars, std::int64_t(1));
        QCOMPARE(ti.entries.at(0).symbol, std::optional<std::string>("SPY"));
    }
};

QTEST_GUILESS_MAIN(TestStorageRead)
#include "tst_storage_read.moc"
