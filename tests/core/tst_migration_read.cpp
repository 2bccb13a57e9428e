// Reading legacy inputs (legacy-formats.md): detection by structure, mapping, exact reasons for
// broken files. Real upstream files where they exist, generated ones for the rest.
#include "core/migration/legacy.h"
#include "core/storage/naming.h"
#include "tests/core/migration_testutil.h"
#include "tests/support/testsupport.h"

#include <QTemporaryDir>
#include <QTest>

using namespace sigscope::core;
using namespace sigscope::core::migration;
using namespace sigscope::test::migration;
using Result = ParsedSource::Result;

Q_DECLARE_METATYPE(ParsedSource::Result)

class TestMigrationRead : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tmp;

    fs::path tmp() const { return fs::path(m_tmp.path().toStdString()); }

    ParsedSource read(const std::string& relative, std::string_view content)
    {
        const fs::path path = tmp() / relative;
        writeText(path, content);
        return readLegacyPath(path);
    }
    static std::string extra(const Trace& t, std::string_view key)
    {
        for (const auto& [k, v] : t.metadata.extras)
            if (k == key)
                return v;
        return {};
    }

private Q_SLOTS:
    void realL1()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        const ParsedSource p = readLegacyPath(fixtures / "upstream/sparse_signals/signals_test_20250611_153548.json");
        QCOMPARE(p.result, Result::Ok);
        QCOMPARE(p.variant, Variant::L1);
        QCOMPARE(p.traces.size(), std::size_t(1));
        const Trace& t = p.traces[0];
        QCOMPARE(t.identity.name, std::string("ma_crossover"));
        QCOMPARE(t.identity.symbol.value_or(""), std::string("SPY"));
        QCOMPARE(t.identity.run.value_or(""), std::string("signals_test_20250611_153548")); // no run folder, no run_id: file stem
        QCOMPARE(t.type, std::string("ma_crossover"));
        QCOMPARE(t.size(), std::size_t(3));
        QCOMPARE(t.bar(0), 20);
        QCOMPARE(t.bar(2), 41);
        QCOMPARE(t.value(1), -1);
        QCOMPARE(t.price(0), 522.0);
        QCOMPARE(t.price(1), 517.9);
        QCOMPARE(t.price(2), 521.05);
        // The invalid date stays as written; its time is unknown.
        QCOMPARE(t.timeText(1), std::string("2024-01-32T10:00:00"));
        QCOMPARE(t.time(1), kNoTime);
        QCOMPARE(t.timeText(2), std::string("2024-02-01T10:00:00"));
        QCOMPARE(t.metadata.totalBars, 51); // max(total_bars 51, last idx 41 + 1)
        QCOMPARE(extra(t, "source"),
                 std::string(R"({"path":"signals_test_20250611_153548.json","run_id":"signals_test_20250611_153548"})"));
        QCOMPARE(p.digests.size(), std::size_t(1));
        QCOMPARE(p.digests[0], traceDigest(t));
    }

    void realL3Files()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        const fs::path root = fixtures / "upstream/analytics_storage";
        const ParsedSource s = readLegacyPath(root / "signals/mean_reversion/mean_reversion_99914b93.json");
        QCOMPARE(s.result, Result::Ok);
        QCOMPARE(s.variant, Variant::L3);
        const Trace& t = s.traces.at(0);
        QCOMPARE(t.kind(), Kind::Signal);
        QCOMPARE(t.identity.name, std::string("mean_reversion_bb"));
        QCOMPARE(t.identity.symbol.value_or(""), std::string("SPY")); // "UNKNOWN" in the file, SPY in the changes
        QCOMPARE(t.identity.timeframe.value_or(""), std::string("1m"));
        QCOMPARE(t.type, std::string("mean_reversion"));
        QCOMPARE(t.size(), std::size_t(12));
        QCOMPARE(t.bar(11), 0);
        QCOMPARE(t.value(6), 1);
        QCOMPARE(t.timeText(0), std::string("2025-06-13T11:28:25.574891"));
        QCOMPARE(t.metadata.totalBars, 1);
        QCOMPARE(extra(t, "workflow_id"), std::string("\"tmp\""));
        QCOMPARE(extra(t, "container_id"), std::string("\"strategy_SPY_mean_reversion_bb\""));

        const ParsedSource c = readLegacyPath(root / "classifiers/trend/trend_classifier_99914b93.json");
        QCOMPARE(c.result, Result::Ok);
        const Trace& ct = c.traces.at(0);
        QCOMPARE(ct.kind(), Kind::Classifier);
        QCOMPARE(ct.identity.name, std::string("trend_classifier"));
        QCOMPARE(ct.identity.symbol.value_or(""), std::string("SPY")); // from container_id
        QCOMPARE(ct.type, std::string("trend"));
        QCOMPARE(std::string(ct.regimeName(0)), std::string("ranging"));
        QCOMPARE(ct.confidence(0), 0.991114153763697);

        const ParsedSource index = readLegacyPath(root / "classifiers/trend/index.json");
        QCOMPARE(index.result, Result::Unrecognised);
        QCOMPARE(index.variant, Variant::Index);
    }

    void realL2()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        const fs::path run = fixtures / "legacy-tmp/workspaces/tmp/20250615_163513";
        const ParsedSource c = readLegacyPath(run / "signals_classifier_SPY_hidden_markov_grid_11_0001_05_20250615_163513.json");
        QCOMPARE(c.result, Result::Ok);
        QCOMPARE(c.variant, Variant::L2);
        const Trace& ct = c.traces.at(0);
        QCOMPARE(ct.kind(), Kind::Classifier);
        QCOMPARE(ct.identity.name, std::string("hidden_markov_grid_11_0001_05"));
        QCOMPARE(ct.identity.run.value_or(""), std::string("20250615_163513"));
        QCOMPARE(ct.type, std::string("hidden_markov_grid"));
        QCOMPARE(std::string(ct.regimeName(0)), std::string("uncertainty"));
        QCOMPARE(ct.bar(0), 55);
        QCOMPARE(ct.metadata.totalBars, 56);
        QCOMPARE(extra(ct, "workflow_id"), std::string("\"tmp\""));
        QCOMPARE(extra(ct, "container_id"), std::string("\"classifier_SPY_hidden_markov_grid_11_0001_05\""));

        const ParsedSource s = readLegacyPath(run / "signals_strategy_SPY_accumulation_distribution_grid_10_20250615_163513.json");
        QCOMPARE(s.result, Result::Ok);
        const Trace& st = s.traces.at(0);
        QCOMPARE(st.kind(), Kind::Signal);
        QCOMPARE(st.identity.name, std::string("accumulation_distribution_grid_10"));
        QCOMPARE(st.type, std::string("accumulation_distribution_grid"));
        QCOMPARE(st.timeText(0), std::string("2024-03-26T13:59:00+00:00"));
        QCOMPARE(st.value(0), 1);
        QVERIFY(st.identity.parameters.empty());
    }

    void multiStrategyAndSymbol()
    {
        const std::string changes = l2Change(3, "SPY", "SPY_rsi_14", "1") + ",\n" + l2Change(4, "QQQ", "QQQ_rsi_14", "-1")
            + ",\n" + l2Change(5, "SPY", "SPY_ma_crossover_5_20", "1", "2024-03-26T14:00:00", "512.5") + ",\n"
            + l2Change(9, "SPY", "SPY_rsi_14", "0") + ",\n" + l2Change(10, "SPY", "SPY_vol_regime", "\"high\"");
        const std::string params = R"("strategy_parameters": {"rsi_14": {"type": "rsi_custom", "params": {"period": 14, "overbought": 70.0}, "name": "rsi_14"}, "classifier_vol_regime": {"type": "volatility", "params": {"window": 20}, "name": "vol_regime"}})";
        const ParsedSource p = read("workspaces/grid/20250101_120000/signals_strategy_mix_20250101_120000.json",
                                    l2Dump("strategy_mix", 7, changes, params));
        QCOMPARE(p.result, Result::Ok);
        QCOMPARE(p.variant, Variant::L2);
        QCOMPARE(p.traces.size(), std::size_t(4));
        const Trace& rsi = p.traces[0];
        QCOMPARE(rsi.identity.name, std::string("rsi_14"));
        QCOMPARE(rsi.identity.symbol.value_or(""), std::string("SPY"));
        QCOMPARE(rsi.identity.parameters.canonicalJson(), std::string(R"({"overbought":70.0,"period":14})"));
        QCOMPARE(rsi.type, std::string("rsi_custom"));
        QCOMPARE(rsi.size(), std::size_t(2));
        QCOMPARE(rsi.metadata.totalBars, 10);
        QCOMPARE(rsi.identity.run.value_or(""), std::string("20250101_120000"));
        QCOMPARE(extra(rsi, "workflow_id"), std::string("\"grid\""));
        QCOMPARE(extra(rsi, "container_id"), std::string("\"strategy_mix\""));
        const Trace& qqq = p.traces[1];
        QCOMPARE(qqq.identity.name, std::string("rsi_14"));
        QCOMPARE(qqq.identity.symbol.value_or(""), std::string("QQQ"));
        QCOMPARE(qqq.identity.parameters.canonicalJson(), std::string(R"({"overbought":70.0,"period":14})"));
        const Trace& ma = p.traces[2];
        QCOMPARE(ma.identity.name, std::string("ma_crossover_5_20"));
        QCOMPARE(ma.type, std::string("ma_crossover"));
        QVERIFY(ma.identity.parameters.empty());
        QCOMPARE(ma.price(0), 512.5);
        QCOMPARE(ma.timeText(0), std::string("2024-03-26T14:00:00"));
        const Trace& vol = p.traces[3];
        QCOMPARE(vol.kind(), Kind::Classifier);
        QCOMPARE(vol.identity.name, std::string("vol_regime"));
        QCOMPARE(vol.type, std::string("volatility"));
        QCOMPARE(vol.identity.parameters.canonicalJson(), std::string(R"({"window":20})"));
        QCOMPARE(std::string(vol.regimeName(0)), std::string("high"));
    }

    // metadata.total_changes sizes the columns before the changes arrive; it is only a hint:
    // absurd, too small or shared by several strategies, the traces are the same and hold no
    // more memory than the file's text allows.
    void changeCountHint_data()
    {
        QTest::addColumn<QString>("hint");
        QTest::newRow("absent") << QString();
        QTest::newRow("exact") << QStringLiteral("3");
        QTest::newRow("too small") << QStringLiteral("1");
        QTest::newRow("absurd") << QStringLiteral("999999999999999");
        QTest::newRow("negative") << QStringLiteral("-5");
        QTest::newRow("not a number") << QStringLiteral("\"many\"");
    }
    void changeCountHint()
    {
        QFETCH(QString, hint);
        const std::string changes = l2Change(3, "SPY", "SPY_rsi_14", "1") + ",\n" + l2Change(4, "QQQ", "QQQ_rsi_14", "-1")
            + ",\n" + l2Change(9, "SPY", "SPY_rsi_14", "0", "2024-03-26T14:00:00", "512.5");
        std::string text = l2Dump("strategy_mix", 7, changes);
        const std::string zero = "\"total_changes\": 0";
        const ParsedSource reference = read("hint/reference.json", text);
        if (!hint.isEmpty())
            text.replace(text.find(zero), zero.size(), "\"total_changes\": " + hint.toStdString());
        const ParsedSource p = read("hint/dump.json", text);
        QCOMPARE(p.result, Result::Ok);
        QCOMPARE(p.traces.size(), std::size_t(2));
        for (std::size_t i = 0; i < p.traces.size(); ++i) {
            QVERIFY(p.traces[i].sameChanges(reference.traces[i]));
            QCOMPARE(p.digests[i], reference.digests[i]);
            QVERIFY2(p.traces[i].memoryBytes() <= 64 * (text.size() / 30 + 1),
                     std::to_string(p.traces[i].memoryBytes()).c_str());
        }
        // One strategy: the hint is its exact size, capped by the text.
        const std::string one = l2Dump("strategy_one", 7, l2Change(3, "SPY", "SPY_rsi_14", "1"));
        std::string hinted = one;
        hinted.replace(hinted.find(zero), zero.size(), "\"total_changes\": 999999999999999");
        const ParsedSource single = read("hint/one.json", hinted);
        QCOMPARE(single.result, Result::Ok);
        QCOMPARE(single.traces.front().size(), std::size_t(1));
        QVERIFY(single.traces.front().memoryBytes() <= 28 * (hinted.size() / 30));
    }

    void timeframeFromParquetCopies()
    {
        const std::string change
            = R"({"idx": 7, "ts": "2024-03-26T14:00:00Z", "sym": "SPY", "val": 1, "strat": "SPY_momentum_10", "px": 0.0, "tf": "5m", "src_file": "x.parquet", "src_type": "strategy"})";
        const ParsedSource p = read("tf/signals_strategy_SPY_momentum_10.json", l2Dump("strategy_SPY_momentum_10", 7, change));
        QCOMPARE(p.result, Result::Ok);
        QCOMPARE(p.traces.at(0).identity.timeframe.value_or(""), std::string("5m"));
        QCOMPARE(p.traces.at(0).identity.run.value_or(""), std::string("strategy_SPY_momentum_10")); // metadata.run_id
        QCOMPARE(p.traces.at(0).timeText(0), std::string("2024-03-26T14:00:00Z"));
    }

    void jsonLines()
    {
        // Dense log: one line per bar and pair; only the first value and the changes are kept.
        std::string lines;
        const int values[] = {1, 1, -1, -1, 0};
        for (int i = 0; i < 5; ++i) {
            lines += "{\"t\": " + std::to_string(1711461540 + 60 * i) + ", \"s\": \"SPY\", \"v\": " + std::to_string(values[i])
                + ", \"id\": \"SPY_momentum_fast\"}\n";
            lines += "{\"t\": " + std::to_string(1711461540 + 60 * i) + ".5, \"s\": \"QQQ\", \"v\": 1, \"id\": \"QQQ_momentum_fast\"}\n";
        }
        const ParsedSource p = read("signals/signals_20240326.jsonl", lines);
        QCOMPARE(p.result, Result::Ok);
        QCOMPARE(p.variant, Variant::L4);
        QCOMPARE(p.traces.size(), std::size_t(2));
        const Trace& spy = p.traces[0];
        QCOMPARE(spy.identity.name, std::string("momentum_fast"));
        QCOMPARE(spy.identity.symbol.value_or(""), std::string("SPY"));
        QCOMPARE(spy.identity.run.value_or(""), std::string("signals_20240326"));
        QCOMPARE(spy.type, std::string("momentum"));
        QCOMPARE(spy.size(), std::size_t(3));
        QCOMPARE(spy.bar(0), 0);
        QCOMPARE(spy.bar(1), 2);
        QCOMPARE(spy.bar(2), 4);
        QCOMPARE(spy.value(1), -1);
        QCOMPARE(spy.timeText(0), std::string("2024-03-26T13:59:00+00:00"));
        QCOMPARE(spy.timeText(1), std::string("2024-03-26T14:01:00+00:00"));
        QCOMPARE(spy.metadata.totalBars, 5);
        const Trace& qqq = p.traces[1];
        QCOMPARE(qqq.size(), std::size_t(1));
        QCOMPARE(qqq.timeText(0), std::string("2024-03-26T13:59:00.500000+00:00"));
    }

    void l5Dictionaries()
    {
        const ParsedSource s = read("l5/sma_fast.json", R"({"456": -1, "123": 1, "789": 0})");
        QCOMPARE(s.result, Result::Ok);
        QCOMPARE(s.variant, Variant::L5);
        const Trace& t = s.traces.at(0);
        QCOMPARE(t.identity.name, std::string("sma_fast"));
        QVERIFY(!t.identity.symbol);
        QCOMPARE(t.type, std::string("ma_crossover"));
        QCOMPARE(t.size(), std::size_t(3));
        QCOMPARE(t.bar(0), 123); // sorted by bar
        QCOMPARE(t.value(1), -1);
        QCOMPARE(t.metadata.totalBars, 790);

        const ParsedSource r = read("l5/market_regime.json", R"({"10": "BULL", "20": "BEAR"})");
        QCOMPARE(r.result, Result::Ok);
        QCOMPARE(r.traces.at(0).kind(), Kind::Classifier);
        QCOMPARE(std::string(r.traces.at(0).regimeName(1)), std::string("BEAR"));
    }

    void l5List()
    {
        const ParsedSource s = read("l5/breakout_list.json",
                                    R"([{"bar_idx": 5, "signal": 1, "timestamp": "2024-03-26T14:00:00", "price": 520.25},
                                        {"bar_idx": 9, "signal": 0}])");
        QCOMPARE(s.result, Result::Ok);
        QCOMPARE(s.variant, Variant::L5);
        const Trace& t = s.traces.at(0);
        QCOMPARE(t.identity.name, std::string("breakout_list"));
        QCOMPARE(t.type, std::string("breakout"));
        QCOMPARE(t.size(), std::size_t(2));
        QCOMPARE(t.price(0), 520.25);
        QCOMPARE(t.timeText(0), std::string("2024-03-26T14:00:00"));
        QCOMPARE(t.timeText(1), std::string());
    }

    void broken_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<ParsedSource::Result>("result");
        QTest::addColumn<QString>("reason");

        const std::string good = l2Dump("strategy_SPY_rsi_14", 10, l2Change(3, "SPY", "SPY_rsi_14", "1"));
        const std::string oneLine = R"({"metadata": {"total_bars": 5}, "changes": [{"idx": 1, "ts": "2024-03-26T13:59:00+00:00", "sym": "SPY", "val": 1, "strat": "SPY_x", "px": 0.0}]})";
        QTest::newRow("truncated") << QStringLiteral("t.json") << QByteArray::fromStdString(oneLine.substr(0, 100))
                                   << Result::Failed << QStringLiteral("line 1, column 101: unexpected end of input");
        QTest::newRow("truncated multi-line")
            << QStringLiteral("t2.json") << QByteArray::fromStdString(good.substr(0, good.size() - 6)) << Result::Failed
            << QStringLiteral("line 3, column %1: unexpected end of input").arg(good.size() - 6 - good.find("  \"changes\"") + 1);
        QTest::newRow("binary") << QStringLiteral("b.json") << QByteArray("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", 16)
                                << Result::Unrecognised
                                << QStringLiteral("not JSON: line 1, column 1: unexpected byte 0x89 (binary data, not JSON text)");
        // nlohmann takes a NUL for the end of the input: the reason must still name the byte.
        QTest::newRow("NUL bytes") << QStringLiteral("z0.json") << QByteArray("\x00\x01\x02", 3) << Result::Unrecognised
                                   << QStringLiteral("not JSON: line 1, column 1: unexpected byte 0x00 (binary data, not JSON text)");
        QTest::newRow("control byte") << QStringLiteral("z1.json") << QByteArray("\x01\x02") << Result::Unrecognised
                                      << QStringLiteral("not JSON: line 1, column 1: unexpected byte 0x01 (binary data, not JSON text)");
        // A dump cut by a crash and padded with zeros by the file system.
        QTest::newRow("zero-filled tail")
            << QStringLiteral("z2.json") << QByteArray::fromStdString(oneLine.substr(0, 100) + std::string(64, '\0'))
            << Result::Failed << QStringLiteral("line 1, column 101: unexpected byte 0x00 (binary data, not JSON text)");
        QTest::newRow("empty") << QStringLiteral("e.json") << QByteArray() << Result::Unrecognised << QStringLiteral("empty file");
        QTest::newRow("empty jsonl") << QStringLiteral("e.jsonl") << QByteArray() << Result::Unrecognised
                                     << QStringLiteral("empty file");
        QTest::newRow("whitespace") << QStringLiteral("w.json") << QByteArray(" \n\n  ") << Result::Unrecognised
                                    << QStringLiteral("no JSON value (only white space)");
        QTest::newRow("idx string")
            << QStringLiteral("i.json")
            << QByteArray::fromStdString(l2Dump("r", 10, l2Change(3, "SPY", "SPY_a", "1") + "," + R"({"idx": "abc", "val": 1, "strat": "SPY_a"})"))
            << Result::Failed << QStringLiteral("change 2: idx is a string");
        QTest::newRow("idx float") << QStringLiteral("f.json")
                                   << QByteArray(R"({"changes": [{"idx": 3.5, "val": 1, "strat": "a"}]})") << Result::Failed
                                   << QStringLiteral("change 1: idx is a number with a fraction");
        QTest::newRow("idx negative") << QStringLiteral("n.json")
                                      << QByteArray(R"({"changes": [{"idx": -3, "val": 1, "strat": "a"}]})")
                                      << Result::Failed << QStringLiteral("change 1: idx is negative");
        QTest::newRow("val boolean") << QStringLiteral("v.json")
                                     << QByteArray(R"({"changes": [{"idx": 3, "val": true, "strat": "a"}]})")
                                     << Result::Failed << QStringLiteral("change 1: val is a boolean");
        QTest::newRow("val fraction") << QStringLiteral("v2.json")
                                      << QByteArray(R"({"changes": [{"idx": 3, "val": 0.5, "strat": "a"}]})")
                                      << Result::Failed << QStringLiteral("change 1: val is a number with a fraction");
        QTest::newRow("val missing") << QStringLiteral("v3.json") << QByteArray(R"({"changes": [{"idx": 3, "strat": "a"}]})")
                                     << Result::Failed << QStringLiteral("change 1: val is missing");
        QTest::newRow("px string") << QStringLiteral("p.json")
                                   << QByteArray(R"({"changes": [{"idx": 3, "val": 1, "strat": "a", "px": "1.5"}]})")
                                   << Result::Failed << QStringLiteral("change 1: px is a string");
        QTest::newRow("change not an object") << QStringLiteral("c.json") << QByteArray(R"({"changes": [[3, 1]]})")
                                              << Result::Failed << QStringLiteral("change 1: is a list, not an object");
        QTest::newRow("strat missing") << QStringLiteral("s.json") << QByteArray(R"({"changes": [{"idx": 3, "val": 1}]})")
                                       << Result::Failed << QStringLiteral("change 1: strat is missing");
        QTest::newRow("python NaN")
            << QStringLiteral("nan.json")
            << QByteArray("{\"changes\": [{\"idx\": 3, \"val\": 1, \"strat\": \"a\", \"px\": NaN}]}") << Result::Failed
            << QStringLiteral("line 1, column 55: NaN or Infinity is not valid JSON (written by Python's json.dump)");
        QTest::newRow("no changes") << QStringLiteral("z.json") << QByteArray(R"({"metadata": {"total_bars": 0}, "changes": []})")
                                    << Result::Unrecognised << QStringLiteral("no changes in the file (nothing to migrate)");
        QTest::newRow("other object") << QStringLiteral("o.json") << QByteArray(R"({"name": "x", "rows": [1, 2]})")
                                      << Result::Unrecognised
                                      << QStringLiteral("a JSON object with keys name, rows, no legacy trace");
        QTest::newRow("number") << QStringLiteral("num.json") << QByteArray("42") << Result::Unrecognised
                                << QStringLiteral("a single JSON value, no trace");
        QTest::newRow("list of numbers") << QStringLiteral("l.json") << QByteArray("[1, 2]") << Result::Unrecognised
                                         << QStringLiteral("a JSON list without bar_idx/signal items");
        // One object per line is JSON lines (an event log, say), not a broken dump.
        QTest::newRow("two documents") << QStringLiteral("two.json") << QByteArray("{\"a\": 1}\n{\"a\": 2}\n")
                                       << Result::Unrecognised << QStringLiteral("JSON lines, not a signal dump");
        QTest::newRow("two documents on a line")
            << QStringLiteral("two1.json") << QByteArray("{\"a\": 1} {\"a\": 2}\n") << Result::Failed
            << QStringLiteral("line 1, column 10: more text after the end of the JSON document");
        QTest::newRow("jsonl wrong type")
            << QStringLiteral("x.jsonl")
            << QByteArray("{\"t\": 1, \"s\": \"SPY\", \"v\": 1, \"id\": \"a\"}\n{\"t\": 2, \"s\": \"SPY\", \"v\": \"up\", \"id\": \"a\"}\n")
            << Result::Failed << QStringLiteral("line 2: v is not an integer");
        QTest::newRow("jsonl truncated")
            << QStringLiteral("y.jsonl") << QByteArray("{\"t\": 1, \"s\": \"SPY\", \"v\": 1, \"id\": \"a\"}\n{\"t\": 2, \"s\": \"SP")
            << Result::Failed << QStringLiteral("line 2, column 18: unexpected end of input");
        QTest::newRow("dict value") << QStringLiteral("d.json") << QByteArray(R"({"12": 1, "13": null})") << Result::Failed
                                    << QStringLiteral("key 13: value is null");
        QTest::newRow("list item") << QStringLiteral("li.json") << QByteArray(R"([{"bar_idx": 1, "signal": 1}, {"bar_idx": "2", "signal": 1}])")
                                   << Result::Failed << QStringLiteral("item 2: bar_idx is a string");
    }
    void broken()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, content);
        QFETCH(ParsedSource::Result, result);
        QFETCH(QString, reason);
        const ParsedSource p = read("broken/" + name.toStdString(), std::string_view(content.constData(), std::size_t(content.size())));
        QCOMPARE(QString::fromStdString(p.reason), reason);
        QCOMPARE(p.result, result);
        QVERIFY(p.traces.empty());
    }

    void hostileNames()
    {
        const std::string changes = l2Change(1, "SPY", "SPY_../../../etc/passwd", "1") + ","
            + l2Change(2, "../..", "../../x", "1") + "," + l2Change(3, "SPY", "SPY_a\\\\b/c\\u0000d\\n", "1") + ","
            + l2Change(4, "SPY", std::string(300, 'z'), "1") + "," + l2Change(5, "SPY", "SPY_..", "1");
        const std::string params = R"("strategy_parameters": {"../../../etc/passwd": {"type": "../../types", "params": {}}})";
        const ParsedSource p = read("hostile/signals_x.json", l2Dump("r", 1, changes, params));
        QCOMPARE(p.result, Result::Ok);
        QCOMPARE(p.traces.size(), std::size_t(5));
        QCOMPARE(p.traces[0].identity.name, std::string("../../../etc/passwd")); // the name is data, kept as is
        QCOMPARE(p.traces[2].identity.name, std::string("a\\b/c") + std::string(1, '\0') + "d\n");
        for (const Trace& t : p.traces) {
            const std::string rel = naming::relativePath(t.identity, t.type);
            const fs::path normal = fs::path(rel).lexically_normal();
            QVERIFY2(!normal.empty() && *normal.begin() != "..", rel.c_str());
            QVERIFY2(rel.find('\0') == std::string::npos && rel.find('\\') == std::string::npos, rel.c_str());
            QCOMPARE(std::count(rel.begin(), rel.end(), '/'), 2);
        }
        QCOMPARE(p.traces[0].type, std::string("_.._types")); // sanitised: one harmless path component
    }
};

QTEST_GUILESS_MAIN(TestMigrationRead)
#include "tst_migration_read.moc"
