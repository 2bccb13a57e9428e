// The deterministic demo generator (issue 2 "Demo data"): same seed -> same files, market CSV
// format, trace counts per type, batching that does not change the output, cancellation.
#include "core/demo/demo.h"
#include "core/demo/market.h"
#include "core/storage/storage.h"
#include "core/storage/traceio.h"

#include "tests/support/testsupport.h"

#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <regex>
#include <sstream>

using namespace sigscope::core;
namespace fs = std::filesystem;

namespace {

fs::path pathOf(const QTemporaryDir& dir)
{
    return fs::path(dir.path().toStdString());
}

// Every file below root (relative path -> content) with the creation/update stamps blanked:
// those are the only bytes allowed to differ between two runs.
std::map<std::string, std::string> snapshot(const fs::path& root)
{
    static const std::regex stamp(R"re("(created_at|updated_at)"\s*:\s*"[^"]*")re");
    std::map<std::string, std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
        if (!e.is_regular_file())
            continue;
        files[fs::relative(e.path(), root).generic_string()] =
            std::regex_replace(sigscope::test::readFile(e.path()), stamp, "\"$1\":\"\"");
    }
    return files;
}

std::vector<std::string> lines(const std::string& text)
{
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

DemoOptions small(std::uint64_t seed = 7)
{
    DemoOptions o;
    o.bars = 1600;
    o.variants = 30;
    o.seed = seed;
    return o;
}

} // namespace

class TestDemo : public QObject
{
    Q_OBJECT

private:
    // One storage of small() shared by the tests that only read it (writing is fsync-bound).
    QTemporaryDir m_shared;
    DemoResult m_sharedResult;
    [[nodiscard]] fs::path shared() const { return pathOf(m_shared); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_shared.isValid());
        m_sharedResult = generateDemo(shared(), small());
    }

    void sameSeedSameFiles()
    {
        QTemporaryDir b;
        generateDemo(pathOf(b), small());
        const fs::path a = shared();
        const auto first = snapshot(a);
        const auto second = snapshot(pathOf(b));
        QVERIFY(first.size() > 40);
        QCOMPARE(first.size(), second.size());
        for (const auto& [name, content] : first) {
            QVERIFY2(second.count(name), name.c_str());
            QVERIFY2(second.at(name) == content, name.c_str());
        }
        // The raw bytes differ at most in the stamps: market files are identical as they are.
        QCOMPARE(sigscope::test::readFile(a / "market/SPY_1m.csv"), sigscope::test::readFile(pathOf(b) / "market/SPY_1m.csv"));
    }

    void otherSeedOtherData()
    {
        QTemporaryDir b;
        generateDemo(pathOf(b), small(8));
        QVERIFY(sigscope::test::readFile(shared() / "market/SPY_1m.csv")
                != sigscope::test::readFile(pathOf(b) / "market/SPY_1m.csv"));
        QVERIFY(snapshot(shared()) != snapshot(pathOf(b)));
    }

    void batchesGiveTheSameStorage()
    {
        QTemporaryDir b;
        DemoOptions batched = small();
        batched.batchBudget = batched.bars * 4; // 4 variants a pass: 8 passes over the market
        const DemoResult& one = m_sharedResult;
        const DemoResult many = generateDemo(pathOf(b), batched);
        QCOMPARE(one.batches, std::int64_t(1));
        QCOMPARE(many.batches, std::int64_t(8));
        QCOMPARE(many.changes, one.changes);
        QCOMPARE(many.events, one.events);
        QVERIFY(snapshot(shared()) == snapshot(pathOf(b)));
    }

    void marketCsv()
    {
        const DemoResult& result = m_sharedResult;
        QCOMPARE(result.marketFiles.size(), std::size_t(2));
        QCOMPARE(result.marketFiles[0], shared() / "market" / "SPY_1m.csv");
        QCOMPARE(result.marketFiles[1], shared() / "market" / "QQQ_1m.csv");
        for (const auto& file : result.marketFiles) {
            const auto rows = lines(sigscope::test::readFile(file));
            QCOMPARE(rows.size(), std::size_t(1601));
            QCOMPARE(rows[0], std::string("bar_index,timestamp,open,high,low,close,volume"));
            QVERIFY(rows[1].starts_with("0,2024-03-26T13:30:00+00:00,"));
            QVERIFY(rows[391].starts_with("390,2024-03-26T20:00:00+00:00,"));
            QVERIFY(rows[392].starts_with("391,2024-03-27T13:30:00+00:00,"));
            // 2024-03-29 is a Friday: its session is followed by Monday's.
            QVERIFY2(rows[1565].starts_with("1564,2024-04-01T13:30:00+00:00,"), rows[1565].c_str());
            for (std::size_t i = 1; i < rows.size(); ++i) {
                double open = 0, high = 0, low = 0, close = 0;
                long long volume = 0;
                const auto comma = rows[i].find(',', rows[i].find(',') + 1);
                QCOMPARE(std::sscanf(rows[i].c_str() + comma + 1, "%lf,%lf,%lf,%lf,%lld", &open, &high, &low, &close, &volume), 5);
                QVERIFY2(low <= std::min(open, close) && high >= std::max(open, close) && low > 0 && volume > 0,
                         rows[i].c_str());
            }
        }
    }

    void tracesPerType()
    {
        const DemoResult& result = m_sharedResult;
        QCOMPARE(result.signalTraces, std::int64_t(30));
        QCOMPARE(result.classifierTraces, std::int64_t(8)); // 2 volatility + 2 trend per symbol
        QCOMPARE(result.events, std::int64_t(30 * 1600) + [&] {
            // classifiers report once warmed up: volatility after 30 / 120 bars, trend after 60 / 240
            return std::int64_t(2 * ((1600 - 30) + (1600 - 120) + (1600 - 59) + (1600 - 239)));
        }());

        const Storage storage = Storage::open(shared());
        QCOMPARE(storage.formatVersion(), 1);
        std::map<std::string, std::size_t> counts;
        std::int64_t changes = 0;
        for (const auto& index : storage.readAllIndexes()) {
            counts[std::string(kindName(index.kind)) + "/" + index.type] = index.entries.size();
            for (const auto& e : index.entries) {
                changes += e.totalItems;
                QCOMPARE(e.totalBars, std::int64_t(1600));
                QCOMPARE(e.timeframe, std::optional<std::string>("1m"));
                QVERIFY(e.symbol == "SPY" || e.symbol == "QQQ");
                if (index.kind == Kind::Signal)
                    QCOMPARE(e.firstIdx, std::optional<std::int64_t>(0)); // first value kept, even flat
            }
        }
        const std::map<std::string, std::size_t> expected = {
            {"signal/breakout", 6}, {"signal/ma_crossover", 6}, {"signal/mean_reversion", 6}, {"signal/momentum", 6},
            {"signal/rsi", 6},      {"classifier/trend", 4},    {"classifier/volatility", 4}};
        QCOMPARE(counts, expected);
        QCOMPARE(changes, result.changes);
        QVERIFY(result.changes > 38 && result.changes < result.events / 5);
    }

    void tracesHaveNamesAndParameters()
    {
        QTemporaryDir dir;
        DemoOptions o = small();
        o.variants = 10; // one per family and symbol
        generateDemo(pathOf(dir), o);
        const Storage storage = Storage::open(pathOf(dir));
        std::vector<std::string> names;
        for (const auto& index : storage.readAllIndexes())
            for (const auto& e : index.entries)
                names.push_back(e.symbol.value_or("") + " " + e.name + " " + e.parameters.canonicalJson());
        std::sort(names.begin(), names.end());
        const std::vector<std::string> expected = {
            R"(QQQ bollinger_bands_10_1.0 {"period":10,"std_dev":1.0})",
            R"(QQQ breakout_10_0.0 {"lookback_period":10,"threshold":0.0})",
            R"(QQQ ma_crossover_2_13 {"fast_period":2,"slow_period":13})",
            R"(QQQ momentum_5_0.0005 {"lookback_period":5,"threshold":0.0005})",
            R"(QQQ rsi_bands_7_35_65 {"overbought":65,"oversold":35,"period":7})",
            R"(QQQ trend_10_60 {"fast_period":10,"slow_period":60,"threshold":0.0008})",
            R"(QQQ trend_30_240 {"fast_period":30,"slow_period":240,"threshold":0.0008})",
            R"(QQQ volatility_regime_120 {"high_threshold":0.0011,"low_threshold":0.0005,"window":120})",
            R"(QQQ volatility_regime_30 {"high_threshold":0.0011,"low_threshold":0.0005,"window":30})",
            R"(SPY bollinger_bands_10_1.0 {"period":10,"std_dev":1.0})",
            R"(SPY breakout_10_0.0 {"lookback_period":10,"threshold":0.0})",
            R"(SPY ma_crossover_2_13 {"fast_period":2,"slow_period":13})",
            R"(SPY momentum_5_0.0005 {"lookback_period":5,"threshold":0.0005})",
            R"(SPY rsi_bands_7_35_65 {"overbought":65,"oversold":35,"period":7})",
            R"(SPY trend_10_60 {"fast_period":10,"slow_period":60,"threshold":0.0008})",
            R"(SPY trend_30_240 {"fast_period":30,"slow_period":240,"threshold":0.0008})",
            R"(SPY volatility_regime_120 {"high_threshold":0.0011,"low_threshold":0.0005,"window":120})",
            R"(SPY volatility_regime_30 {"high_threshold":0.0011,"low_threshold":0.0005,"window":30})",
        };
        QCOMPARE(names, expected);
    }

    void signalsAndRegimesHaveLegalValues()
    {
        const Storage storage = Storage::open(shared());
        for (const auto& index : storage.readAllIndexes()) {
            for (const auto& e : index.entries) {
                const Trace t = loadTrace(storage.absolutePath(e));
                QVERIFY(!t.empty());
                for (std::size_t i = 0; i < t.size(); ++i) {
                    if (i > 0) {
                        QVERIFY(t.bar(i) >= t.bar(i - 1));
                        QVERIFY(t.valueText(i) != t.valueText(i - 1));
                    }
                    if (t.kind() == Kind::Signal) {
                        QVERIFY(t.value(i) >= -1 && t.value(i) <= 1);
                    } else {
                        QVERIFY(t.confidence(i) >= 0.5 && t.confidence(i) <= 1.0);
                    }
                }
            }
        }
    }

    void cancelLeavesNoMarketFiles()
    {
        QTemporaryDir dir;
        DemoOptions o = small();
        o.bars = 4096; // progress is reported every 4096 bars
        int calls = 0;
        const DemoResult result = generateDemo(pathOf(dir), o, [&](const Progress& p) {
            ++calls;
            return p.done < 4096;
        });
        QCOMPARE(calls, 1);
        QVERIFY(result.cancelled);
        QVERIFY(!fs::exists(pathOf(dir) / "market" / "SPY_1m.csv"));
        QVERIFY(!fs::exists(pathOf(dir) / "signals"));
        QVERIFY(fs::is_empty(pathOf(dir) / "market")); // no temporary file left behind
    }

    void rejectsUnusableOptions()
    {
        QTemporaryDir dir;
        DemoOptions o = small();
        o.bars = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, generateDemo(pathOf(dir), o));
        o = small();
        o.symbols = {"../x"};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, generateDemo(pathOf(dir), o));
        o.symbols = {};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, generateDemo(pathOf(dir), o));
    }

    void rngIsPinned()
    {
        // splitmix64 / xoshiro256** reference outputs: a change of the generator changes every demo.
        std::uint64_t state = 0;
        QCOMPARE(demo::splitmix64(state), std::uint64_t(0xe220a8397b1dcdafULL));
        demo::Rng rng(42);
        const std::uint64_t first = rng.next();
        demo::Rng again(42);
        QCOMPARE(again.next(), first);
        for (int i = 0; i < 1000; ++i) {
            const double u = rng.uniform();
            QVERIFY(u >= 0.0 && u < 1.0);
        }
    }
};

QTEST_GUILESS_MAIN(TestDemo)
#include "tst_demo.moc"
