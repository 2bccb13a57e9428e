// The Tracer a trading engine links (issue 2 point 7): change detection, bar counting,
// names/types, configuration files, checkpoints, flushing and the summary.
#include "core/storage/naming.h"
#include "core/storage/traceio.h"
#include "core/tracer/tracer.h"

#include "tests/support/testsupport.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace sigscope::core;

namespace {

const char* const kT0 = "2024-03-26T13:30:00+00:00";
const char* const kT1 = "2024-03-26T13:31:00+00:00";
const char* const kT2 = "2024-03-26T13:32:00+00:00";
const char* const kT3 = "2024-03-26T13:33:00+00:00";
const char* const kT4 = "2024-03-26T13:34:00+00:00";

std::filesystem::path pathOf(const QTemporaryDir& dir)
{
    return std::filesystem::path(dir.path().toStdString());
}

TraceConfig configIn(const QTemporaryDir& dir)
{
    TraceConfig config;
    config.baseDir = pathOf(dir) / "storage";
    return config;
}

std::filesystem::path fileOf(const Tracer& tracer, std::size_t i)
{
    const Trace& t = tracer.traces().at(i);
    return tracer.config().baseDir / naming::relativePath(t.identity, t.type);
}

struct Change
{
    std::int64_t bar;
    std::string time;
    std::string value;
    bool operator==(const Change&) const = default;
};

std::vector<Change> changesOf(const Trace& t)
{
    std::vector<Change> out;
    for (std::size_t i = 0; i < t.size(); ++i)
        out.push_back({t.bar(i), t.timeText(i), t.valueText(i)});
    return out;
}

} // namespace

namespace QTest {
template<>
char* toString(const std::vector<Change>& changes)
{
    std::string text;
    for (const auto& c : changes)
        text += "(" + std::to_string(c.bar) + " " + c.time + " " + c.value + ") ";
    return qstrdup(text.c_str());
}
} // namespace QTest

class TestTracer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keepsOnlyChanges()
    {
        QTemporaryDir dir;
        Tracer tracer(configIn(dir));
        const char* times[] = {kT0, kT1, kT2, kT3, kT4};
        const char* directions[] = {"long", "long", "short", "short", "flat"};
        for (int i = 0; i < 5; ++i) {
            tracer.onBar("SPY", "1m", times[i]);
            tracer.onSignal("SPY_ma_crossover_5_20", "SPY", directions[i], 520.0 + i, times[i]);
        }
        QCOMPARE(tracer.traces().size(), std::size_t(1));
        const Trace& t = tracer.traces()[0];
        QCOMPARE(changesOf(t), (std::vector<Change>{{0, kT0, "1"}, {2, kT2, "-1"}, {4, kT4, "0"}}));
        QCOMPARE(t.price(1), 522.0);
        tracer.discard();
    }

    void firstValueKeptEvenWhenFlat()
    {
        QTemporaryDir dir;
        Tracer tracer(configIn(dir));
        for (const char* time : {kT0, kT1, kT2}) {
            tracer.onBar("SPY", "1m", time);
            tracer.onSignal("SPY_rsi_14", "SPY", "flat", 0.0, time);
        }
        QCOMPARE(changesOf(tracer.traces().at(0)), (std::vector<Change>{{0, kT0, "0"}}));
        tracer.discard();
    }

    void barsCountedPerSymbolAndTimeframe()
    {
        QTemporaryDir dir;
        Tracer tracer(configIn(dir));
        tracer.onBar("SPY", "1m", kT0);
        tracer.onBar("SPY", "1m", kT1);
        tracer.onBar("QQQ", "1m", kT1);
        tracer.onBar("SPY", "1m", kT2);
        tracer.onBar("SPY", "5m", kT0);
        tracer.onSignal("SPY_momentum_10", "SPY", 1, 0.0, kT2);             // bar 2 of SPY 1m (latest onBar)
        tracer.onSignal("QQQ_momentum_10", "QQQ", -1, 0.0, kT1);            // bar 0 of QQQ 1m
        tracer.onSignal("SPY_momentum_10_5m", "SPY", 1, 0.0, kT0, {.parameters = {}, .strategyType = {}, .timeframe = "5m"});
        tracer.onSignal("SPY_breakout", "SPY", 1, 0.0, kT2, {.parameters = {}, .strategyType = {}, .timeframe = "1m"});
        tracer.onSignal("IWM_momentum_10", "IWM", 1, 0.0, kT0); // no bar of IWM yet: bar 0, no timeframe

        const auto& traces = tracer.traces();
        QCOMPARE(traces.size(), std::size_t(5));
        // The latest onBar of SPY was 5m: a signal without a timeframe joins that one.
        QCOMPARE(traces[0].identity.timeframe, std::optional<std::string>("5m"));
        QCOMPARE(traces[0].bar(0), std::int64_t(0));
        QCOMPARE(traces[1].identity.timeframe, std::optional<std::string>("1m"));
        QCOMPARE(traces[1].bar(0), std::int64_t(0));
        QCOMPARE(traces[2].bar(0), std::int64_t(0));
        QCOMPARE(traces[3].bar(0), std::int64_t(2));
        QCOMPARE(traces[4].identity.timeframe, std::optional<std::string>());

        const TracerSummary s = tracer.summary();
        QCOMPARE(s.traces[0].totalBars, std::int64_t(1)); // SPY 5m
        QCOMPARE(s.traces[1].totalBars, std::int64_t(1)); // QQQ 1m
        QCOMPARE(s.traces[3].totalBars, std::int64_t(3)); // SPY 1m
        QCOMPARE(s.traces[4].totalBars, std::int64_t(1)); // no bars: the change itself
        tracer.discard();
    }

    void changesDetectedPerSymbolAndId()
    {
        QTemporaryDir dir;
        Tracer tracer(configIn(dir));
        tracer.onBar("SPY", "1m", kT0);
        tracer.onBar("QQQ", "1m", kT0);
        // One strategy name on two symbols: two traces, each with its own first value.
        tracer.onSignal("ma_crossover_5_20", "SPY", "long", 0.0, kT0);
        tracer.onSignal("ma_crossover_5_20", "QQQ", "long", 0.0, kT0);
        tracer.onBar("SPY", "1m", kT1);
        tracer.onSignal("ma_crossover_5_20", "SPY", "long", 0.0, kT1);
        tracer.onSignal("ma_crossover_5_20", "QQQ", "short", 0.0, kT1);
        QCOMPARE(tracer.traces().size(), std::size_t(2));
        QCOMPARE(tracer.traces()[0].size(), std::size_t(1));
        QCOMPARE(changesOf(tracer.traces()[1]), (std::vector<Change>{{0, kT0, "1"}, {0, kT1, "-1"}}));
        tracer.discard();
    }

    void directions_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("value");
        QTest::newRow("long") << QStringLiteral("long") << 1;
        QTest::newRow("short") << QStringLiteral("short") << -1;
        QTest::newRow("flat") << QStringLiteral("flat") << 0;
        QTest::newRow("upper case") << QStringLiteral("LONG") << 1;
        QTest::newRow("minus one") << QStringLiteral("-1") << -1;
        QTest::newRow("plus two") << QStringLiteral("+2") << 2;
        QTest::newRow("zero") << QStringLiteral("0") << 0;
    }
    void directions()
    {
        QFETCH(QString, text);
        QFETCH(int, value);
        QCOMPARE(Direction(text.toStdString()).value(), value);
    }

    void invalidDirectionThrows()
    {
        try {
            Direction d("up");
            QFAIL("no exception");
        } catch (const std::invalid_argument& e) {
            QCOMPARE(std::string(e.what()), std::string("invalid signal direction 'up' (accepted: long, short, flat or an integer)"));
        }
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Direction(""));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Direction("1x"));
    }

    void namesTypesAndIdentity()
    {
        QTemporaryDir dir;
        TraceConfig config = configIn(dir);
        config.runId = "run_7";
        Tracer tracer(config);
        tracer.onBar("SPY", "1m", kT0);
        const Parameters params{{"fast_period", std::int64_t{5}}, {"slow_period", std::int64_t{20}}};
        tracer.onSignal("SPY_ma_crossover_5_20", "SPY", "long", 0.0, kT0, {.parameters = params, .strategyType = {}, .timeframe = {}});
        tracer.onSignal("SPY_my_alpha", "SPY", "long", 0.0, kT0, {.parameters = {}, .strategyType = "custom/type", .timeframe = {}});
        tracer.onSignal("SPY_sma_rsi_combo", "SPY", "long", 0.0, kT0, {.parameters = {}, .strategyType = "rsi", .timeframe = {}});
        tracer.onClassification("SPY_volatility_regime_30", "SPY", "high_vol", 0.8, kT0);
        tracer.onClassification("SPY_hmm", "SPY", "bull", 1.0, kT0, {.parameters = {}, .classifierType = "trend", .timeframe = {}});

        const auto& t = tracer.traces();
        QCOMPARE(t[0].identity.name, std::string("ma_crossover_5_20"));
        QCOMPARE(t[0].type, std::string("ma_crossover"));
        QCOMPARE(t[0].identity.parameters, params);
        QCOMPARE(t[0].identity.symbol, std::optional<std::string>("SPY"));
        QCOMPARE(t[0].identity.timeframe, std::optional<std::string>("1m"));
        QCOMPARE(t[0].identity.run, std::optional<std::string>("run_7"));
        QCOMPARE(t[1].identity.name, std::string("my_alpha"));
        QCOMPARE(t[1].type, naming::typeFor(Kind::Signal, "my_alpha", "custom/type"));
        QCOMPARE(t[2].type, std::string("rsi")); // explicit type wins over the keyword rule
        QCOMPARE(t[3].kind(), Kind::Classifier);
        QCOMPARE(t[3].identity.name, std::string("volatility_regime_30"));
        QCOMPARE(t[3].type, std::string("regime")); // keyword table order: "regime" before "volatility"
        QCOMPARE(t[3].confidence(0), 0.8);
        QCOMPARE(t[4].type, std::string("trend"));
        tracer.discard();
    }

    void classificationChanges()
    {
        QTemporaryDir dir;
        Tracer tracer(configIn(dir));
        const char* times[] = {kT0, kT1, kT2, kT3};
        const char* regimes[] = {"low_vol", "low_vol", "high_vol", "low_vol"};
        for (int i = 0; i < 4; ++i) {
            tracer.onBar("SPY", "1m", times[i]);
            tracer.onClassification("SPY_volatility_regime", "SPY", regimes[i], 0.5 + 0.1 * i, times[i]);
        }
        const Trace& t = tracer.traces().at(0);
        QCOMPARE(changesOf(t), (std::vector<Change>{{0, kT0, "low_vol"}, {2, kT2, "high_vol"}, {3, kT3, "low_vol"}}));
        QCOMPARE(t.confidence(1), 0.7);
        QCOMPARE(t.regimes().size(), std::size_t(2));
        tracer.discard();
    }

    void timesFromBarsParsedAndInvalid()
    {
        QTemporaryDir dir;
        Tracer tracer(configIn(dir));
        tracer.onBar("SPY", "1m", "2024-03-26 13:30:00.250000");
        tracer.onSignal("SPY_rsi", "SPY", 1); // no time given: the bar's time, written as the bar had it
        tracer.onBar("SPY", "1m", EventTime::fromUtcMicros(1711460040000000)); // 13:34:00Z
        tracer.onSignal("SPY_rsi", "SPY", -1);
        tracer.onBar("SPY", "1m", kT0);
        tracer.onSignal("SPY_rsi", "SPY", 0, 0.0, "2024-01-32T10:00:00"); // invalid text is kept as written
        QCOMPARE(changesOf(tracer.traces().at(0)),
                 (std::vector<Change>{{0, "2024-03-26 13:30:00.250000", "1"},
                                      {1, "2024-03-26T13:34:00+00:00", "-1"},
                                      {2, "2024-01-32T10:00:00", "0"}}));
        QCOMPARE(tracer.traces()[0].time(2), kNoTime);
        tracer.discard();
    }

    void flushWritesFiles()
    {
        QTemporaryDir dir;
        Tracer tracer(configIn(dir));
        tracer.onBar("SPY", "1m", kT0);
        tracer.onSignal("SPY_ma_crossover_5_20", "SPY", "long", 521.5, kT0,
                        {.parameters = {{"fast_period", std::int64_t{5}}}, .strategyType = {}, .timeframe = {}});
        tracer.onBar("SPY", "1m", kT1);
        tracer.onBar("SPY", "1m", kT2);
        tracer.onSignal("SPY_ma_crossover_5_20", "SPY", "short", 519.0, kT2);
        tracer.onBar("SPY", "1m", kT3);
        const auto file = fileOf(tracer, 0);
        QVERIFY(!std::filesystem::exists(file));
        tracer.flush();
        QVERIFY(std::filesystem::exists(file));
        const Trace loaded = loadTrace(file);
        QCOMPARE(loaded.identity, tracer.traces()[0].identity);
        QCOMPARE(loaded.metadata.totalBars, std::int64_t(4));
        QCOMPARE(changesOf(loaded), (std::vector<Change>{{0, kT0, "1"}, {2, kT2, "-1"}}));
        QCOMPARE(loaded.price(1), 519.0);
        QCOMPARE(tracer.summary().tracesWritten, std::int64_t(1));
    }

    void destructorFlushes()
    {
        QTemporaryDir dir;
        std::filesystem::path file;
        {
            Tracer tracer(configIn(dir));
            tracer.onBar("QQQ", "1m", kT0);
            tracer.onClassification("QQQ_trend_10_50", "QQQ", "uptrend", 1.0, kT0);
            file = fileOf(tracer, 0);
            QVERIFY(!std::filesystem::exists(file));
        }
        QVERIFY(std::filesystem::exists(file));
        const Trace loaded = loadTrace(file);
        QCOMPARE(loaded.kind(), Kind::Classifier);
        QCOMPARE(changesOf(loaded), (std::vector<Change>{{0, kT0, "uptrend"}}));
        QCOMPARE(loaded.metadata.totalBars, std::int64_t(1));
    }

    void destructorDoesNotThrowWhenWritingFails()
    {
        QTemporaryDir dir;
        const auto blocker = pathOf(dir) / "file";
        std::ofstream(blocker) << "not a folder";
        {
            TraceConfig config;
            config.baseDir = blocker / "storage"; // cannot be created: a file stands in the way
            Tracer tracer(config);
            tracer.onSignal("SPY_rsi", "SPY", 1, 0.0, kT0);
            QVERIFY_THROWS_EXCEPTION(std::exception, tracer.flush());
        } // reaching here is the test: the destructor reported on stderr instead of throwing
    }

    void checkpointEveryNBars()
    {
        QTemporaryDir dir;
        TraceConfig config = configIn(dir);
        config.writeInterval = 3;
        Tracer tracer(config);
        const char* times[] = {kT0, kT1, kT2, kT3};
        tracer.onBar("SPY", "1m", times[0]);
        tracer.onSignal("SPY_momentum_5", "SPY", "long", 0.0, times[0]);
        tracer.onBar("SPY", "1m", times[1]);
        tracer.onBar("SPY", "1m", times[2]);
        tracer.onSignal("SPY_momentum_5", "SPY", "short", 0.0, times[2]);
        const auto file = fileOf(tracer, 0);
        QVERIFY(!std::filesystem::exists(file));
        tracer.onBar("SPY", "1m", times[3]); // the 4th bar starts: the first 3 are complete and written
        QVERIFY(std::filesystem::exists(file));
        const Trace loaded = loadTrace(file);
        QCOMPARE(loaded.metadata.totalBars, std::int64_t(3));
        QCOMPARE(loaded.size(), std::size_t(2));
        QCOMPARE(tracer.summary().checkpoints, std::int64_t(1));
        tracer.onSignal("SPY_momentum_5", "SPY", "flat", 0.0, times[3]);
        tracer.flush();
        QCOMPARE(loadTrace(file).size(), std::size_t(3));
        QCOMPARE(loadTrace(file).metadata.totalBars, std::int64_t(4));
    }

    void checkpointEveryNChanges()
    {
        QTemporaryDir dir;
        TraceConfig config = configIn(dir);
        config.writeOnChanges = 2;
        Tracer tracer(config);
        tracer.onBar("SPY", "1m", kT0);
        tracer.onSignal("SPY_rsi_14", "SPY", "long", 0.0, kT0);
        const auto file = fileOf(tracer, 0);
        tracer.onBar("SPY", "1m", kT1);
        tracer.onSignal("SPY_rsi_14", "SPY", "long", 0.0, kT1);
        QVERIFY(!std::filesystem::exists(file));
        tracer.onSignal("SPY_breakout_20", "SPY", "short", 0.0, kT1); // second change stored
        QVERIFY(std::filesystem::exists(file));
        QVERIFY(std::filesystem::exists(fileOf(tracer, 1)));
        QCOMPARE(tracer.summary().checkpoints, std::int64_t(1));
        tracer.discard();
    }

    void disabledTracerRecordsNothing()
    {
        QTemporaryDir dir;
        TraceConfig config = configIn(dir);
        config.enabled = false;
        {
            Tracer tracer(config);
            tracer.onBar("SPY", "1m", kT0);
            tracer.onSignal("SPY_rsi", "SPY", 1, 0.0, kT0);
            QVERIFY(tracer.traces().empty());
            QCOMPARE(tracer.summary().signalsSeen, std::int64_t(0));
        }
        QVERIFY(!std::filesystem::exists(config.baseDir));
    }

    void handleHotPath()
    {
        QTemporaryDir dir;
        Tracer tracer(configIn(dir));
        const auto h = tracer.signalHandle("SPY_ma_crossover_2_5", "SPY", {.parameters = {}, .strategyType = {}, .timeframe = "1m"});
        QCOMPARE(tracer.signalHandle("SPY_ma_crossover_2_5", "SPY"), h);
        TimeFormat format;
        for (int i = 0; i < 10; ++i) {
            const auto time = EventTime::fromUtcMicros(1711459800000000 + i * 60'000'000LL, format);
            tracer.onBar("SPY", "1m", time);
            tracer.onSignal(h, i < 5 ? 1 : -1, 500.0, time);
        }
        QCOMPARE(changesOf(tracer.traces()[0]), (std::vector<Change>{{0, kT0, "1"}, {5, "2024-03-26T13:35:00+00:00", "-1"}}));
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, tracer.onSignal(h + 7, 1, 0.0));
        tracer.discard();
    }

    void summaryNumbers()
    {
        QTemporaryDir dir;
        Tracer tracer(configIn(dir));
        const char* times[] = {kT0, kT1, kT2, kT3};
        for (int i = 0; i < 4; ++i) {
            tracer.onBar("SPY", "1m", times[i]);
            tracer.onSignal("SPY_ma_crossover_5_20", "SPY", i < 2 ? 1 : -1, 0.0, times[i]); // 2 changes
            tracer.onSignal("SPY_rsi_14", "SPY", 0, 0.0, times[i]);                          // 1 change
            if (i % 2 == 0)
                tracer.onClassification("SPY_trend", "SPY", i == 0 ? "up" : "down", 1.0, times[i]); // 2 changes
        }
        const TracerSummary s = tracer.summary();
        QCOMPARE(s.barsSeen, std::int64_t(4));
        QCOMPARE(s.signalsSeen, std::int64_t(8));
        QCOMPARE(s.classificationsSeen, std::int64_t(2));
        QCOMPARE(s.changesStored, std::int64_t(5));
        QCOMPARE(s.traces.size(), std::size_t(3));
        QCOMPARE(s.traces[0].name, std::string("ma_crossover_5_20"));
        QCOMPARE(s.traces[0].eventsSeen, std::int64_t(4));
        QCOMPARE(s.traces[0].changesStored, std::int64_t(2));
        QCOMPARE(s.traces[0].totalBars, std::int64_t(4));
        QCOMPARE(s.traces[0].compressionRatio, 0.5);
        QCOMPARE(s.traces[1].compressionRatio, 0.25);
        QCOMPARE(s.traces[2].kind, Kind::Classifier);
        QCOMPARE(s.traces[2].eventsSeen, std::int64_t(2));
        QCOMPARE(s.traces[2].changesStored, std::int64_t(2));
        const std::string text = s.text();
        QVERIFY2(text.find("signals seen: 8, classifications seen: 2\n") != std::string::npos, text.c_str());
        QVERIFY2(text.find("traces: 3, changes stored: 5 (0.5000 of events)\n") != std::string::npos, text.c_str());
        QVERIFY2(text.find("  signal ma_crossover/ma_crossover_5_20 SPY 1m: 4 seen, 2 stored, 4 bars, compression 0.5000\n")
                     != std::string::npos,
                 text.c_str());
        tracer.discard();
    }

    // ---- configuration ---------------------------------------------------------------------

    void configFromYaml()
    {
        const TraceConfig c = TraceConfig::fromYaml(R"(
name: grid_search
execution:
  enable_event_tracing: true
  trace_settings:
    storage:
      type: hierarchical
      base_dir: ./workspaces/analytics
      run_id: 20250611_171158
    write_interval: 500
    write_on_changes: 1000
)");
        QVERIFY(c.enabled);
        QCOMPARE(c.baseDir, std::filesystem::path("./workspaces/analytics"));
        QCOMPARE(c.runId, std::optional<std::string>("20250611_171158"));
        QCOMPARE(c.writeInterval, std::int64_t(500));
        QCOMPARE(c.writeOnChanges, std::int64_t(1000));
    }

    void configFromJson()
    {
        const TraceConfig c = TraceConfig::fromJson(
            R"({"execution": {"enable_event_tracing": true, "trace_settings": {"storage": {"type": "hierarchical", "run_id": null}, "write_interval": 0}}})");
        QVERIFY(c.enabled);
        QCOMPARE(c.baseDir, std::filesystem::path("./analytics_storage"));
        QCOMPARE(c.runId, std::optional<std::string>());
        QCOMPARE(c.writeInterval, std::int64_t(0));
        QCOMPARE(c.writeOnChanges, std::int64_t(0));
        QCOMPARE(c.format, StorageFormat::Json);
        const TraceConfig parquet = TraceConfig::fromYaml("execution:\n  trace_settings:\n    storage: {format: parquet}\n");
        QCOMPARE(parquet.format, StorageFormat::Parquet);
    }

    void configDefaults()
    {
        const TraceConfig yaml = TraceConfig::fromYaml("data:\n  symbols: [SPY]\n");
        QVERIFY(!yaml.enabled); // the trading system traces only when asked to
        QCOMPARE(yaml.baseDir, std::filesystem::path("./analytics_storage"));
        const TraceConfig json = TraceConfig::fromText("{}");
        QVERIFY(!json.enabled);
        QVERIFY(TraceConfig{}.enabled); // from code: on
    }

    void configErrors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("yaml storage type")
            << QStringLiteral("execution:\n  trace_settings:\n    storage:\n      type: sqlite\n")
            << QStringLiteral("cfg: execution.trace_settings.storage.type: unsupported storage type 'sqlite' (accepted: hierarchical)");
        QTest::newRow("json storage type")
            << QStringLiteral(R"({"execution": {"trace_settings": {"storage": {"type": "flat"}}}})")
            << QStringLiteral("cfg: execution.trace_settings.storage.type: unsupported storage type 'flat' (accepted: hierarchical)");
        QTest::newRow("yaml storage format")
            << QStringLiteral("execution:\n  trace_settings:\n    storage: {format: csv}\n")
            << QStringLiteral("cfg: execution.trace_settings.storage.format: unsupported storage format 'csv' (accepted: json, parquet)");
        QTest::newRow("yaml enable not bool")
            << QStringLiteral("execution:\n  enable_event_tracing: sometimes\n")
            << QStringLiteral("cfg: execution.enable_event_tracing: expected true or false");
        QTest::newRow("json negative interval")
            << QStringLiteral(R"({"execution": {"trace_settings": {"write_interval": -5}}})")
            << QStringLiteral("cfg: execution.trace_settings.write_interval: must be 0 or a positive number of bars");
        QTest::newRow("yaml interval text")
            << QStringLiteral("execution:\n  trace_settings:\n    write_on_changes: often\n")
            << QStringLiteral("cfg: execution.trace_settings.write_on_changes: expected an integer");
        QTest::newRow("json top level")
            << QStringLiteral("[1, 2]") << QStringLiteral("cfg: the configuration must be a mapping");
    }
    void configErrors()
    {
        QFETCH(QString, text);
        QFETCH(QString, message);
        try {
            TraceConfig::fromText(text.toStdString(), "cfg");
            QFAIL("no exception");
        } catch (const TraceConfigError& e) {
            QCOMPARE(QString::fromStdString(e.what()), message);
        }
    }

    void configFromFile()
    {
        QTemporaryDir dir;
        const auto yaml = pathOf(dir) / "trading.yaml";
        std::ofstream(yaml) << "execution:\n  enable_event_tracing: true\n  trace_settings:\n    storage:\n      type: "
                               "hierarchical\n      base_dir: out\n";
        const TraceConfig c = TraceConfig::fromFile(yaml);
        QVERIFY(c.enabled);
        QCOMPARE(c.baseDir, std::filesystem::path("out"));

        const auto json = pathOf(dir) / "trading.json";
        std::ofstream(json) << R"({"execution": {"trace_settings": {"storage": {"type": "csv"}}}})";
        try {
            TraceConfig::fromFile(json);
            QFAIL("no exception");
        } catch (const TraceConfigError& e) {
            QCOMPARE(std::string(e.what()), json.string() + ": execution.trace_settings.storage.type: unsupported storage "
                                                            "type 'csv' (accepted: hierarchical)");
        }
        const auto broken = pathOf(dir) / "broken.json";
        std::ofstream(broken) << "{\"execution\": ";
        QVERIFY_THROWS_EXCEPTION(TraceConfigError, TraceConfig::fromFile(broken));
        try {
            TraceConfig::fromFile(pathOf(dir) / "missing.yaml");
            QFAIL("no exception");
        } catch (const TraceConfigError& e) {
            QCOMPARE(std::string(e.what()), (pathOf(dir) / "missing.yaml").string() + ": cannot open: No such file or directory");
        }
    }
};

QTEST_GUILESS_MAIN(TestTracer)
#include "tst_tracer.moc"
