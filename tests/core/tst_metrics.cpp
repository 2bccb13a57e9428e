// Performance metrics of signal traces (core/analysis/metrics.h): hand-worked cases with the
// arithmetic beside each, bar prices from a market series (offset, Sharpe), and a bar-by-bar
// reference computation over seeded traces. Also identical variants (core/analysis/variants.h):
// the changes hash and the grouping that an equal hash proposes and equal changes confirm. And the
// sweep heatmap's grid (core/analysis/sweep.h): axes, value order, fixed and reduced parameters.
#include "core/analysis/metrics.h"
#include "core/analysis/metricstable.h"
#include "core/analysis/sweep.h"
#include "core/analysis/variants.h"
#include "core/demo/market.h"
#include "core/migration/legacy.h"
#include "tests/support/testsupport.h"

#include <QTest>
#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <limits>
#include <stdexcept>

using namespace sigscope::core;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Change
{
    std::int64_t bar;
    std::int32_t value;
    double price;
};

Trace signal(std::int64_t totalBars, const std::vector<Change>& changes, const std::string& timeframe = "1m")
{
    Trace t(TraceIdentity{Kind::Signal, "s", {}, "SPY", timeframe, {}, {}}, "s");
    t.metadata.totalBars = totalBars;
    for (const Change& c : changes)
        t.appendSignal(c.bar, "", c.value, c.price);
    return t;
}

bool same(double a, double b)
{
    if (std::isnan(a) || std::isnan(b))
        return std::isnan(a) && std::isnan(b);
    if (std::isinf(a) || std::isinf(b))
        return a == b;
    return std::abs(a - b) <= 1e-12 * std::max(1.0, std::abs(b));
}

QByteArray describe(const metrics::TraceMetrics& m)
{
    QByteArray out = "ok=" + QByteArray::number(int(m.ok)) + " reason='" + QByteArray::fromStdString(m.reason) + "'";
    for (const std::string& name : metrics::metricNames())
        out += ' ' + QByteArray::fromStdString(name) + '=' + QByteArray::number(metrics::metricValue(m, name), 'g', 17);
    return out;
}

// Expected values, in the order of metricNames().
struct Expected
{
    std::int64_t trades;
    double winRate;
    double avgTrade;
    double profitFactor;
    double totalReturn;
    double maxDrawdown;
    double exposure;
    double meanHold;
    std::int64_t flips;
};

} // namespace

Q_DECLARE_METATYPE(Trace)
Q_DECLARE_METATYPE(Expected)

class TestMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void handCases_data()
    {
        QTest::addColumn<Trace>("trace");
        QTest::addColumn<double>("cost");
        QTest::addColumn<qint64>("from");
        QTest::addColumn<qint64>("to");
        QTest::addColumn<Expected>("expected");
        const qint64 all = std::numeric_limits<qint64>::max();

        // Long bars 2..4, 100 -> 110: r = 110/100 - 1 = 0.1; 3 of 10 bars exposed.
        QTest::newRow("long") << signal(10, {{2, 1, 100}, {5, 0, 110}}) << 0.0 << qint64(0) << all
                              << Expected{1, 1.0, 0.1, kInf, 0.1, 0.0, 0.3, 3.0, 0};
        // Short bars 2..4, 100 -> 110: r = -1 * (1.1 - 1) = -0.1; equity 0.9 -> drawdown 0.1; pf 0 / 0.1 = 0.
        QTest::newRow("short") << signal(10, {{2, -1, 100}, {5, 0, 110}}) << 0.0 << qint64(0) << all
                               << Expected{1, 0.0, -0.1, 0.0, -0.1, 0.1, 0.3, 3.0, 0};
        // Long 1..3 at 100 -> 120 (r 0.2), flip at bar 4: short 4..7 at 120 -> 90 (r = -(0.75 - 1) = 0.25).
        // total = 1.2 * 1.25 - 1 = 0.5; avg (0.2 + 0.25) / 2 = 0.225; 7 of 10 bars; hold 7 / 2 = 3.5.
        const Trace flip = signal(10, {{1, 1, 100}, {4, -1, 120}, {8, 0, 90}});
        QTest::newRow("flip") << flip << 0.0 << qint64(0) << all
                              << Expected{2, 1.0, 0.225, kInf, 0.5, 0.0, 0.7, 3.5, 1};
        // Same with 10 bps: c = 0.001, each trade pays entry + exit = 0.002: 0.198 and 0.248;
        // total = 1.198 * 1.248 - 1 = 0.495104; avg 0.223.
        QTest::newRow("flip, costs") << flip << 10.0 << qint64(0) << all
                                     << Expected{2, 1.0, 0.223, kInf, 0.495104, 0.0, 0.7, 3.5, 1};
        // Bars [2, 6) of the flip: long 2..3 enters at the last price known at bar 2 (100, bar 1's),
        // exits at 120 (r 0.2); short 4..5 is open at the end: exits at the last known price, 120
        // (r 0); 4 of 4 bars exposed.
        QTest::newRow("flip, range") << flip << 0.0 << qint64(2) << qint64(6)
                                     << Expected{2, 0.5, 0.1, kInf, 0.2, 0.0, 1.0, 2.0, 1};
        // Long from bar 3 at 50, still long at the end: the repeated change at bar 6 gives the last
        // known price, 55: r = 0.1, open; 5 of 8 bars.
        const Trace open = signal(8, {{3, 1, 50}, {6, 1, 55}});
        QTest::newRow("open trade") << open << 0.0 << qint64(0) << all
                                    << Expected{1, 1.0, 0.1, kInf, 0.1, 0.0, 0.625, 5.0, 0};
        // An open trade pays its entry only: 0.1 - 10 / 10^4 = 0.099.
        QTest::newRow("open trade, costs")
            << open << 10.0 << qint64(0) << all << Expected{1, 1.0, 0.099, kInf, 0.099, 0.0, 0.625, 5.0, 0};
        // Long 2 at 10 -> 11 (r 0.1), short 3 at 11 -> 12 (r = -(12/11 - 1) = -1/11), one bar each.
        // total = 1.1 * (10/11) - 1 = 0; pf = 0.1 / (1/11) = 1.1; drawdown 1 - 1 / 1.1 = 1/11.
        QTest::newRow("one-bar trades") << signal(6, {{2, 1, 10}, {3, -1, 11}, {4, 0, 12}}) << 0.0 << qint64(0) << all
                                        << Expected{2, 0.5, (0.1 - 1.0 / 11) / 2, 1.1, 0.0, 1.0 / 11, 2.0 / 6, 1.0, 1};
        // Long 0..1 100 -> 90 (r -0.1), long 4..5 90 -> 99 (r 0.1), flip: short 6..7 99 -> 108.9 (r -0.1).
        // Equity 0.9, 0.99, 0.891 below the peak 1: drawdown 0.109; pf 0.1 / 0.2 = 0.5; 6 of 10 bars.
        QTest::newRow("losses") << signal(10, {{0, 1, 100}, {2, 0, 90}, {4, 1, 90}, {6, -1, 99}, {8, 0, 108.9}}) << 0.0
                                << qint64(0) << all << Expected{3, 1.0 / 3, -0.1 / 3, 0.5, -0.109, 0.109, 0.6, 2.0, 1};
        // A change superseded on its bar holds no bar and makes no trade.
        QTest::newRow("superseded") << signal(6, {{2, 1, 10}, {2, 0, 10}}) << 0.0 << qint64(0) << all
                                    << Expected{0, kNaN, kNaN, kNaN, 0.0, 0.0, 0.0, kNaN, 0};
        QTest::newRow("empty trace") << signal(5, {}) << 0.0 << qint64(0) << all
                                     << Expected{0, kNaN, kNaN, kNaN, 0.0, 0.0, 0.0, kNaN, 0};
        QTest::newRow("empty range") << flip << 0.0 << qint64(10) << qint64(20)
                                     << Expected{0, kNaN, kNaN, kNaN, 0.0, 0.0, kNaN, kNaN, 0};
    }
    void handCases()
    {
        QFETCH(Trace, trace);
        QFETCH(double, cost);
        QFETCH(qint64, from);
        QFETCH(qint64, to);
        QFETCH(Expected, expected);
        const metrics::TraceMetrics m = metrics::compute(trace, {cost, from, to, nullptr, 0});
        QVERIFY2(m.ok, describe(m).constData());
        QVERIFY(!m.barPrices);
        QVERIFY2(m.barReturns.empty() && std::isnan(m.sharpe), describe(m).constData());
        const std::vector<double> want = {
            double(expected.trades), expected.winRate,  expected.avgTrade, expected.profitFactor,  expected.totalReturn,
            expected.maxDrawdown,    expected.exposure, expected.meanHold, double(expected.flips), kNaN};
        for (std::size_t i = 0; i < want.size(); ++i)
            QVERIFY2(
                same(metrics::metricValue(m, metrics::metricNames()[i]), want[i]),
                (metrics::metricNames()[i] + " expected " + std::to_string(want[i]) + ": " + describe(m).toStdString())
                    .c_str());
    }

    void tradeList()
    {
        const metrics::TraceMetrics m = metrics::compute(signal(8, {{1, 1, 100}, {4, -1, 120}, {6, -1, 90}}));
        QVERIFY(m.ok);
        // Long 1..3 closed at the flip; short from 4, open: exits at 90, the last price known at bar 7.
        const std::vector<metrics::Trade> want = {{1, 1, 4, 100, 120, 0.2, false}, {-1, 4, 8, 120, 90, 0.25, true}};
        QCOMPARE(m.tradeList.size(), want.size());
        for (std::size_t i = 0; i < want.size(); ++i) {
            const auto& t = m.tradeList[i];
            QCOMPARE(t.position, want[i].position);
            QCOMPARE(t.entryBar, want[i].entryBar);
            QCOMPARE(t.exitBar, want[i].exitBar);
            QCOMPARE(t.entryPrice, want[i].entryPrice);
            QCOMPARE(t.exitPrice, want[i].exitPrice);
            QVERIFY(same(t.ret, want[i].ret));
            QCOMPARE(t.open, want[i].open);
        }
        QCOMPARE(m.tradeList[1].bars(), std::int64_t(4));
    }

    void noPrice_data()
    {
        QTest::addColumn<Trace>("trace");
        QTest::addColumn<QString>("reason");
        // The real 963-dump run records 0 at every change.
        QTest::newRow("entry 0") << signal(10, {{2, 1, 0}, {5, 0, 0}})
                                 << QStringLiteral("no price recorded at bar 2 (price 0) and no market data");
        QTest::newRow("exit 0") << signal(10, {{2, 1, 100}, {5, 0, 0}})
                                << QStringLiteral("no price recorded at bar 5 (price 0) and no market data");
        QTest::newRow("open, last 0") << signal(10, {{2, -1, 100}, {5, -1, 0}})
                                      << QStringLiteral("no price recorded at bar 9 (price 0) and no market data");
    }
    void noPrice()
    {
        QFETCH(Trace, trace);
        QFETCH(QString, reason);
        const metrics::TraceMetrics m = metrics::compute(trace);
        QVERIFY(!m.ok);
        QCOMPARE(QString::fromStdString(m.reason), reason);
        QCOMPARE(m.trades, std::int64_t(0));
        QVERIFY(std::isnan(metrics::metricValue(m, "total_return")));
        // Flat-only traces need no price at all.
        QVERIFY(metrics::compute(signal(10, {{2, 0, 0}})).ok);
    }

    void classifierHasNone()
    {
        Trace c(TraceIdentity{Kind::Classifier, "c", {}, {}, {}, {}, {}});
        c.appendRegime(1, "", "calm", 1.0, 10.0);
        const metrics::TraceMetrics m = metrics::compute(c);
        QVERIFY(!m.ok);
        QCOMPARE(m.reason, std::string("not a signal trace"));
    }

    void barsPerYear_data()
    {
        QTest::addColumn<QString>("timeframe");
        QTest::addColumn<double>("bars");
        QTest::newRow("1m") << QStringLiteral("1m") << 98280.0; // 252 * 390
        QTest::newRow("5m") << QStringLiteral("5m") << 19656.0; // 252 * 390 / 5
        QTest::newRow("15m") << QStringLiteral("15m") << 6552.0;
        QTest::newRow("1h") << QStringLiteral("1h") << 1638.0;     // 252 * 6.5
        QTest::newRow("30s") << QStringLiteral("30s") << 196560.0; // 252 * 23400 / 30
        QTest::newRow("1d") << QStringLiteral("1d") << 252.0;
        QTest::newRow("1w") << QStringLiteral("1w") << 52.0;
        QTest::newRow("empty") << QString() << 0.0;
        QTest::newRow("m") << QStringLiteral("m") << 0.0;
        QTest::newRow("0m") << QStringLiteral("0m") << 0.0;
        QTest::newRow("1x") << QStringLiteral("1x") << 0.0;
        QTest::newRow("tick") << QStringLiteral("tick") << 0.0;
    }
    void barsPerYear()
    {
        QFETCH(QString, timeframe);
        QFETCH(double, bars);
        QCOMPARE(metrics::barsPerYear(timeframe.toStdString()), bars);
    }

    void marketPricesAndSharpe()
    {
        // Long from bar 1 (recorded price 0: the market closes are used instead), daily bars.
        const Trace t = signal(4, {{1, 1, 0}}, "1d");
        PriceSeries market;
        market.bars = {0, 1, 2, 3};
        market.times = {0, 0, 0, 0};
        market.closes = {10, 11, 12.1, 12.1};
        const metrics::TraceMetrics m = metrics::compute(t, {0.0, 0, INT64_MAX, &market, 0});
        QVERIFY2(m.ok, describe(m).constData());
        QVERIFY(m.barPrices);
        // Open trade 11 -> 12.1 (last bar): r = 0.1.
        QCOMPARE(m.trades, std::int64_t(1));
        QVERIFY(m.tradeList[0].open);
        QVERIFY(same(m.totalReturn, 0.1));
        // r_t: bar 0 flat (0), bar 1 enters (p_0 = 0: 0), bar 2 = 12.1/11 - 1 = 0.1, bar 3 = 0.
        const std::vector<double> returns = {0, 0, 0.1, 0};
        QCOMPARE(m.barReturns.size(), returns.size());
        for (std::size_t i = 0; i < returns.size(); ++i)
            QVERIFY(same(m.barReturns[i], returns[i]));
        QVERIFY(same(m.equity.back(), 1.1));
        // mean 0.025; squares 3 * 0.025^2 + 0.075^2 = 0.0075; sample variance 0.0075 / 3 = 0.0025,
        // std 0.05; sharpe = 0.5 * sqrt(252) = 7.937253933193772.
        QVERIFY2(same(m.sharpe, 0.5 * std::sqrt(252.0)), describe(m).constData());
        // Scores only: the same Sharpe ratio from one pass, no series kept.
        metrics::Options scoresOnly{0.0, 0, INT64_MAX, &market, 0};
        scoresOnly.keepBarSeries = false;
        const metrics::TraceMetrics lean = metrics::compute(t, scoresOnly);
        QVERIFY(lean.barReturns.empty() && lean.equity.empty());
        QVERIFY2(same(lean.sharpe, 0.5 * std::sqrt(252.0)), describe(lean).constData());
        QVERIFY(same(lean.totalReturn, 0.1));
        const metrics::BarMoves moves(market, 0, 4);
        scoresOnly.moves = &moves;
        QVERIFY2(same(metrics::compute(t, scoresOnly).sharpe, 0.5 * std::sqrt(252.0)), describe(lean).constData());
        QVERIFY(!moves.serves(&market, 1, 4) && !moves.serves(&market, 0, 5) && moves.serves(&market, 0, 3));

        // A trace without a timeframe takes the market series' ("1d" from a file named SPY_1d.csv).
        Trace untimed = t;
        untimed.identity.timeframe.reset();
        QVERIFY(std::isnan(metrics::compute(untimed, {0.0, 0, INT64_MAX, &market, 0}).sharpe));
        market.timeframe = "1d";
        QVERIFY(same(metrics::compute(untimed, {0.0, 0, INT64_MAX, &market, 0}).sharpe, 0.5 * std::sqrt(252.0)));

        // With costs per bar: 10 bps on entering at bar 1: r_1 = -0.001, and nothing more (open).
        const metrics::TraceMetrics c = metrics::compute(t, {10.0, 0, INT64_MAX, &market, 0});
        QVERIFY(same(c.barReturns[1], -0.001));
        QVERIFY(same(c.totalReturn, 0.099));

        // Offset 1 (trace bar = market bar + 1, as in the real run): entry at trace bar 1 takes
        // market bar 0 (10), the exit at trace bar 3 market bar 2 (12.1): r = 0.21.
        market.closes = {10, 11, 12.1, 13.31};
        const metrics::TraceMetrics shifted = metrics::compute(t, {0.0, 0, INT64_MAX, &market, 1});
        QVERIFY2(shifted.ok, describe(shifted).constData());
        QVERIFY(same(shifted.tradeList[0].entryPrice, 10.0));
        QVERIFY(same(shifted.tradeList[0].exitPrice, 12.1));
        QVERIFY(same(shifted.totalReturn, 0.21));

        // No market bar at or before the entry's.
        const metrics::TraceMetrics none = metrics::compute(t, {0.0, 0, INT64_MAX, &market, 5});
        QVERIFY(!none.ok);
        QCOMPARE(none.reason, std::string("no market close at or before bar 1 (market bar -4)"));
    }

    // Per regime: the flip case split by a classifier up [0,2), down [2,6), up [6,10).
    void byRegime()
    {
        // Long 0..3 at 100 -> 110 (the change at bar 4), short 4..7 at 110 -> 99, flat 8..9.
        const Trace s = signal(10, {{0, 1, 100}, {4, -1, 110}, {8, 0, 99}});
        Trace c(TraceIdentity{Kind::Classifier, "trend", {}, "SPY", "1m", {}, {}}, "trend");
        c.metadata.totalBars = 10;
        c.appendRegime(0, "", "up");
        c.appendRegime(2, "", "down");
        c.appendRegime(6, "", "up");
        // Recorded prices: a boundary inside a trade is priced at the last recorded change (bar 2:
        // 100, bar 6: 110). Long pieces [0,2) 100 -> 100 (r 0, up) and [2,4) 100 -> 110 (r 0.1, down);
        // short pieces [4,6) 110 -> 110 (r 0, down) and [6,8) 110 -> 99 (r = -(0.9 - 1) = 0.1, up).
        // The flip at bar 4 has bar 3 in "down" too. up: 4 of 6 bars exposed; down: 4 of 4.
        auto check = [](const metrics::RegimeMetrics& r, const char* regime, const Expected& e, std::int64_t bars) {
            QCOMPARE(r.regime, std::string(regime));
            QVERIFY2(r.metrics.ok, describe(r.metrics).constData());
            QCOMPARE(r.metrics.bars, bars);
            const metrics::TraceMetrics& m = r.metrics;
            const bool all = m.trades == e.trades && same(m.winRate, e.winRate) && same(m.avgTrade, e.avgTrade)
                             && same(m.profitFactor, e.profitFactor) && same(m.totalReturn, e.totalReturn)
                             && same(m.maxDrawdown, e.maxDrawdown) && same(m.exposure, e.exposure)
                             && same(m.meanHold, e.meanHold) && m.flips == e.flips;
            QVERIFY2(all, QByteArray(QByteArray(regime) + ": " + describe(m)).constData());
        };
        std::vector<metrics::RegimeMetrics> regimes = metrics::byRegime(s, c);
        QCOMPARE(regimes.size(), std::size_t(2));
        check(regimes[0], "up", Expected{2, 0.5, 0.05, kInf, 0.1, 0.0, 4.0 / 6, 2.0, 0}, 6);
        check(regimes[1], "down", Expected{2, 0.5, 0.05, kInf, 0.1, 0.0, 1.0, 2.0, 1}, 4);
        const metrics::Trade& piece = regimes[1].metrics.tradeList[0];
        QCOMPARE(piece.position, 1);
        QCOMPARE((std::array{piece.entryBar, piece.exitBar}), (std::array<std::int64_t, 2>{2, 4}));
        QVERIFY(piece.entryPrice == 100.0 && piece.exitPrice == 110.0 && same(piece.ret, 0.1) && !piece.open);

        // 10 bps: each trade pays its entry on its first piece and its exit on its last. up: -0.001
        // (long's entry), 0.099 (short's exit): total 0.999 * 1.099 - 1 = 0.097901, drawdown 0.001,
        // pf 0.099 / 0.001 = 99. down: 0.099 (long's exit), -0.001 (short's entry), the same totals.
        regimes = metrics::byRegime(s, c, {10.0});
        check(regimes[0], "up", Expected{2, 0.5, 0.049, 99.0, 0.097901, 0.001, 4.0 / 6, 2.0, 0}, 6);
        check(regimes[1], "down", Expected{2, 0.5, 0.049, 99.0, 0.097901, 1.0 - 0.999, 1.0, 2.0, 1}, 4);

        // Bars before the classifier's first change belong to no regime: x holds [3,10). The long
        // piece [3,4) enters at the price known at bar 3 (100): r 0.1; the short r 0.1 as before.
        Trace late(TraceIdentity{Kind::Classifier, "late", {}, "SPY", "1m", {}, {}}, "late");
        late.metadata.totalBars = 10;
        late.appendRegime(3, "", "x");
        regimes = metrics::byRegime(s, late);
        QCOMPARE(regimes.size(), std::size_t(1));
        check(regimes[0], "x", Expected{2, 1.0, 0.1, kInf, 0.21, 0.0, 5.0 / 7, 2.5, 1}, 7);

        // With bar prices every bar's return is the whole range's, kept for the regime's bars.
        PriceSeries market;
        for (std::int64_t b = 0; b < 10; ++b) {
            market.bars.push_back(b);
            market.times.push_back(0);
            market.closes.push_back(100.0 + double(b * b));
        }
        const metrics::TraceMetrics whole = metrics::compute(s, {0.0, 0, INT64_MAX, &market, 0});
        regimes = metrics::byRegime(s, c, {0.0, 0, INT64_MAX, &market, 0});
        const std::vector<double> up = {whole.barReturns[0], whole.barReturns[1], whole.barReturns[6],
                                        whole.barReturns[7], whole.barReturns[8], whole.barReturns[9]};
        QCOMPARE(regimes[0].metrics.barReturns, up);
        QCOMPARE(regimes[1].metrics.barReturns.size(), std::size_t(4));
        // Long [0,4) at closes 100 -> 116 splits at bar 2 (104): 104/100 - 1 and 116/104 - 1.
        QVERIFY(same(regimes[0].metrics.tradeList[0].ret, 0.04));
        QVERIFY(same(regimes[1].metrics.tradeList[0].ret, 116.0 / 104.0 - 1.0));

        // No price recorded: every regime says why.
        const Trace unpriced = signal(10, {{0, 1, 0}, {4, 0, 0}});
        regimes = metrics::byRegime(unpriced, c);
        QCOMPARE(regimes.size(), std::size_t(2));
        QVERIFY(!regimes[0].metrics.ok);
        QCOMPARE(regimes[0].metrics.reason, std::string("no price recorded at bar 0 (price 0) and no market data"));
    }

    // The metrics as fields only comparisons see (query::Filter::matches with compared fields).
    void filterFields()
    {
        const metrics::TraceMetrics m = metrics::compute(signal(10, {{1, 1, 100}, {4, -1, 120}, {8, 0, 90}}));
        const std::string fields = metrics::filterFields(m);
        QCOMPARE(fields, std::string("trades=2\nwin_rate=1\navg_trade=0.22499999999999998\nprofit_factor=inf\n"
                                     "total_return=0.5\nmax_drawdown=0\nexposure=0.7\nmean_hold=3.5\nflips=1"));
        const auto matches = [&](const char* text) { return query::Filter(text).matches("s\nsignal", fields); };
        QVERIFY(matches("sharpe>1") == false); // no sharpe without bar prices
        QVERIFY(matches("trades>=2 exposure<0.8"));
        QVERIFY(matches("profit_factor>1000"));
        QVERIFY(!matches("trades>2"));
        QVERIFY(!matches("0.7"));      // a plain token never sees them
        QVERIFY(!matches("trades"));
        QVERIFY(metrics::comparesMetrics(query::Filter("rsi sharpe>1")));
        QVERIFY(!metrics::comparesMetrics(query::Filter("rsi period>=14 sharpe")));
        QCOMPARE(metrics::filterFields(metrics::compute(signal(5, {{1, 1, 0}}))), std::string());
    }

    // Three traces of the real 963-dump run (all prices recorded as 0) priced by the SPY bars that
    // run read, with the price lane's offset for it: idx = bar_index + 1, so trace bar b takes
    // the close of market bar b - 1.
    void realRun()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        const std::filesystem::path run = fixtures / "legacy-tmp/workspaces/tmp/20250615_163513";
        const auto read = [&](const std::string& name) {
            migration::SourceFile f;
            f.path = run / ("signals_strategy_SPY_" + name + "_20250615_163513.json");
            f.displayPath = f.path.generic_string();
            f.sourcePath = f.path.filename().generic_string();
            f.size = std::filesystem::file_size(f.path);
            migration::ParsedSource parsed = migration::readLegacyFile(f);
            return parsed.traces.empty() ? Trace() : parsed.traces.front();
        };
        const MarketCsvResult market = readMarketCsv(fixtures / "market/SPY_1m.csv");
        QVERIFY(market.ok);
        const metrics::Options options{0.0, 0, INT64_MAX, &market.series, 1};

        // mfi_bands_grid_14_15_75: changes (idx, val) (30, 0) (93, -1) (95, 0) (165, 1) (166, 0);
        // total_bars 166 is the last idx: 167 bars. Without prices it has no metrics.
        const Trace mfi = read("mfi_bands_grid_14_15_75");
        QCOMPARE(mfi.size(), std::size_t(5));
        QCOMPARE(metrics::compute(mfi).reason, std::string("no price recorded at bar 93 (price 0) and no market data"));
        // Short 93..94: close[92] 521.29 -> close[94] 521.2, r1 = -(521.2 / 521.29 - 1) = 0.09 / 521.29
        // = 0.000172648...; long 165: close[164] 521.18 -> close[165] 521.17, r2 = -0.01 / 521.18
        // = -0.0000191872...; pf = r1 / -r2 = 8.9981...; total = (1 + r1)(1 + r2) - 1 = 0.000153458...;
        // drawdown from the peak after r1: -r2; 3 of 167 bars exposed, 1.5 bars a trade.
        const double r1 = -(521.2 / 521.29 - 1.0);
        const double r2 = 521.17 / 521.18 - 1.0;
        const metrics::TraceMetrics a = metrics::compute(mfi, options);
        QVERIFY2(a.ok, describe(a).constData());
        const std::vector<double> wantA = {2,   0.5,       (r1 + r2) / 2, r1 / -r2, (1 + r1) * (1 + r2) - 1,
                                           -r2, 3.0 / 167, 1.5,           0};
        for (std::size_t i = 0; i < wantA.size(); ++i)
            QVERIFY2(same(metrics::metricValue(a, metrics::metricNames()[i]), wantA[i]), describe(a).constData());
        QVERIFY(std::abs(a.totalReturn - 0.00015345808005928774) < 1e-15);
        // Per-bar returns over the 167 bars (bars 94, 95: short, 166: long), timeframe from
        // SPY_1m.csv: mean / sample std * sqrt(98,280) = 29.99253693... (computed by a separate
        // per-bar script over the same closes).
        QVERIFY2(std::abs(a.sharpe - 29.99253693202306) < 1e-9, describe(a).constData());

        // sma_crossover_grid_11_61: (66, -1) (92, 1) (134, -1) (146, 1) (161, -1); 162 bars.
        // Closes of bars 65, 91, 133, 145, 160: 520.98, 521.3136, 521.15, 521.39, 521.2. Trades:
        // short 520.98 -> 521.3136 (-0.00064033), long -> 521.15 (-0.00031382), short -> 521.39
        // (-0.00046052), long -> 521.2 (-0.00036441), short from bar 161, open: enters and exits
        // at close[160] (0). No winner: win_rate 0, pf 0 / losses = 0; the equity only falls:
        // drawdown = -total = 0.00177792927...; bars 66..161 exposed: 96 of 162, 96 / 5 = 19.2 a
        // trade; 4 flips.
        const Trace sma = read("sma_crossover_grid_11_61");
        QCOMPARE(sma.size(), std::size_t(5));
        const std::vector<double> r = {-(521.3136 / 520.98 - 1), 521.15 / 521.3136 - 1, -(521.39 / 521.15 - 1),
                                       521.2 / 521.39 - 1, 0.0};
        double equity = 1.0;
        for (const double x : r)
            equity *= 1.0 + x;
        const metrics::TraceMetrics b = metrics::compute(sma, options);
        QVERIFY2(b.ok, describe(b).constData());
        QVERIFY(b.tradeList.back().open);
        const std::vector<double> wantB = {
            5, 0.0, (r[0] + r[1] + r[2] + r[3]) / 5, 0.0, equity - 1, 1 - equity, 96.0 / 162, 19.2, 4};
        for (std::size_t i = 0; i < wantB.size(); ++i)
            QVERIFY2(same(metrics::metricValue(b, metrics::metricNames()[i]), wantB[i]),
                     (metrics::metricNames()[i] + ": " + describe(b).toStdString()).c_str());
        QVERIFY(std::abs(b.totalReturn - -0.0017779292708240968) < 1e-15);
        QVERIFY2(std::abs(b.sharpe - -38.71768519331248) < 1e-9, describe(b).constData());

        // rsi_bands_grid_7_30_80: long only, (60, 1) (65, 0) (129, 1) (130, 0) (156, 1) (158, 0)
        // (167, 1) (168, 0) (171, 1) (174, 0) (176, 1) (177, 0) after (30, 0); the last change at
        // bar 177 makes 178 bars. Entry / exit closes (bar - 1): 521.07 -> 520.99, 521.13 -> 521.185,
        // 521.2 -> 521.25, 521.11 -> 521.1504, 521.0 -> 521.01, 520.96 -> 520.98: one loser
        // (-0.00015353), five winners; pf = (sum of the five) / 0.00015353 = 2.19229577...; the
        // drawdown is the first trade's loss; 13 of 178 bars exposed, 13 / 6 a trade; no flip.
        // total 0.000183044318554..., sharpe 7.47833315942... (the same per-bar script).
        const Trace rsi = read("rsi_bands_grid_7_30_80");
        QCOMPARE(rsi.size(), std::size_t(13));
        const std::vector<double> rc = {520.99 / 521.07 - 1, 521.185 / 521.13 - 1, 521.25 / 521.2 - 1,
                                        521.1504 / 521.11 - 1, 521.01 / 521.0 - 1, 520.98 / 520.96 - 1};
        double gains = 0.0;
        double rsiEquity = 1.0;
        for (const double x : rc) {
            gains += x > 0 ? x : 0.0;
            rsiEquity *= 1.0 + x;
        }
        const metrics::TraceMetrics c = metrics::compute(rsi, options);
        QVERIFY2(c.ok, describe(c).constData());
        const std::vector<double> wantC = {
            6, 5.0 / 6, (gains + rc[0]) / 6, gains / -rc[0], rsiEquity - 1, -rc[0], 13.0 / 178, 13.0 / 6, 0};
        for (std::size_t i = 0; i < wantC.size(); ++i)
            QVERIFY2(same(metrics::metricValue(c, metrics::metricNames()[i]), wantC[i]),
                     (metrics::metricNames()[i] + ": " + describe(c).toStdString()).c_str());
        QVERIFY(std::abs(c.totalReturn - 0.0001830443185542041) < 1e-15);
        QVERIFY2(std::abs(c.sharpe - 7.478333159428824) < 1e-9, describe(c).constData());
    }

    // An independent bar-by-bar walk (a price and a position per bar) over seeded traces gives
    // the same trades, total return and exposure as the change-based computation; for long-only
    // traces without costs the compounded per-bar returns give the same total return.
    // The changes hash ignores name and parameters and sees every field of every change.
    void changesHashFollowsTheChanges()
    {
        const Trace a = signal(20, {{3, 1, 100.5}, {7, -1, 0}, {12, 0, 0}});
        Trace b(TraceIdentity{Kind::Signal, "other_name", {{"fast", "5"}}, "QQQ", "1m", {}, {}}, "other_name");
        b.metadata.totalBars = 99;
        b.appendSignal(3, "", 1, 100.5);
        b.appendSignal(7, "", -1, 0);
        b.appendSignal(12, "", 0, 0);
        QCOMPARE(hex16(changesHash(a)), hex16(changesHash(b)));
        QCOMPARE(hex16(changesHash(a)).size(), std::size_t(16));
        QVERIFY(changesHash(a) != changesHash(signal(20, {{3, 1, 100.5}, {7, -1, 0}, {13, 0, 0}})));  // a bar
        QVERIFY(changesHash(a) != changesHash(signal(20, {{3, 1, 100.5}, {7, 1, 0}, {12, 0, 0}})));   // a value
        QVERIFY(changesHash(a) != changesHash(signal(20, {{3, 1, 100.25}, {7, -1, 0}, {12, 0, 0}}))); // a price
        QVERIFY(changesHash(a) != changesHash(signal(20, {{3, 1, 100.5}, {7, -1, 0}})));              // one fewer
    }

    // Five entries: a, b and d share their changes, c differs, e is a classifier with a's hash.
    // b carries no hash (an older index) and is hashed from its trace; d claims c's hash but its
    // changes are a's: the comparison splits the candidate and counts a collision.
    void identicalVariantsGroup()
    {
        const auto same = std::make_shared<const Trace>(signal(20, {{3, 1, 0}, {9, 0, 0}}));
        const auto other = std::make_shared<const Trace>(signal(20, {{4, -1, 0}}));
        const std::string sameHash = hex16(changesHash(*same));
        const std::string otherHash = hex16(changesHash(*other));
        std::vector<IndexEntry> entries(5);
        const char* names[] = {"a", "b", "c", "d", "e"};
        for (std::size_t i = 0; i < entries.size(); ++i) {
            entries[i].type = "sma";
            entries[i].filePath = std::string("signals/sma/") + names[i] + ".json";
        }
        entries[0].changesHash = sameHash;
        entries[2].changesHash = otherHash;
        entries[3].changesHash = otherHash;
        entries[4].changesHash = sameHash;
        entries[4].kind = Kind::Classifier;
        std::vector<const IndexEntry*> pointers;
        for (const auto& e : entries)
            pointers.push_back(&e);

        const auto byHash = variants::groupByHash(pointers);
        QCOMPARE(byHash.size(), std::size_t(1)); // c and d; b has no hash, e is another kind
        QCOMPARE(byHash[0].members, (std::vector<const IndexEntry*>{&entries[2], &entries[3]}));

        const auto load = [&](const IndexEntry& e) -> std::shared_ptr<const Trace> {
            return &e == &entries[2] ? other : same;
        };
        const auto result = variants::findGroups(pointers, load);
        QCOMPARE(result.hashed, std::size_t(1));
        QCOMPARE(result.collisions, std::size_t(1));
        QCOMPARE(result.groups.size(), std::size_t(1));
        QCOMPARE(result.groups[0].members, (std::vector<const IndexEntry*>{&entries[0], &entries[1]}));
        QCOMPARE(result.groups[0].changesHash, sameHash);
        QCOMPARE(variants::groupTitle(result.groups[0]), std::string("2 variants, one signal"));
        const auto sameAs = variants::sameAs(result.groups);
        QCOMPARE(sameAs.size(), std::size_t(1));
        QCOMPARE(sameAs.at(&entries[1]), &entries[0]);
    }

    void barByBarReference()
    {
        for (std::uint64_t seed = 1; seed <= 40; ++seed) {
            demo::Rng rng(seed);
            const std::int64_t total = 200 + std::int64_t(rng.next() % 200);
            const bool longOnly = seed % 3 == 0;
            const bool useMarket = seed % 2 == 0;
            Trace t(TraceIdentity{Kind::Signal, "r", {}, "SPY", "1m", {}, {}}, "r");
            t.metadata.totalBars = total;
            for (std::int64_t bar = std::int64_t(rng.next() % 5); bar < total; bar += std::int64_t(rng.next() % 9)) {
                const std::int32_t value = longOnly ? std::int32_t(rng.next() % 2) : std::int32_t(rng.next() % 3) - 1;
                t.appendSignal(bar, "", value, 50.0 + 10.0 * rng.uniform());
            }
            PriceSeries market;
            for (std::int64_t b = 0; b < total; ++b) {
                market.bars.push_back(b);
                market.times.push_back(0);
                market.closes.push_back(100.0 + 5.0 * rng.normal());
            }
            const double cost = longOnly ? 0.0 : double(seed % 4);
            const std::int64_t from = std::int64_t(seed % 17);
            const std::int64_t to = total - std::int64_t(seed % 13);
            const metrics::TraceMetrics m = metrics::compute(t, {cost, from, to, useMarket ? &market : nullptr, 0});
            QVERIFY2(m.ok, describe(m).constData());

            // Per bar: the position held and the price (market close, or the last recorded price).
            std::vector<std::int32_t> held(std::size_t(total), 0);
            std::vector<double> price(std::size_t(total), 0.0);
            std::size_t k = 0;
            for (std::int64_t b = 0; b < total; ++b) {
                if (b > 0) {
                    held[std::size_t(b)] = held[std::size_t(b - 1)];
                    price[std::size_t(b)] = price[std::size_t(b - 1)];
                }
                for (; k < t.size() && t.bar(k) == b; ++k) {
                    held[std::size_t(b)] = t.value(k);
                    price[std::size_t(b)] = t.price(k);
                }
                if (useMarket)
                    price[std::size_t(b)] = market.closes[std::size_t(b)];
            }
            double equity = 1.0;
            std::int64_t trades = 0;
            std::int64_t exposed = 0;
            double entry = 0.0;
            for (std::int64_t b = from; b < to; ++b) {
                const std::int32_t p = held[std::size_t(b)];
                const std::int32_t before = b > from ? held[std::size_t(b - 1)] : 0;
                exposed += p != 0 ? 1 : 0;
                if (p == before)
                    continue;
                if (before != 0) // close
                    equity *= 1.0 + before * (price[std::size_t(b)] / entry - 1.0) - 2.0 * cost / 1e4;
                if (p != 0) {
                    entry = price[std::size_t(b)];
                    ++trades;
                }
            }
            if (held[std::size_t(to - 1)] != 0) // open at the end
                equity *= 1.0 + held[std::size_t(to - 1)] * (price[std::size_t(to - 1)] / entry - 1.0) - cost / 1e4;
            const QByteArray where = "seed " + QByteArray::number(qulonglong(seed)) + ": " + describe(m);
            QVERIFY2(m.trades == trades, where.constData());
            QVERIFY2(std::abs(m.totalReturn - (equity - 1.0)) < 1e-9, where.constData());
            QVERIFY2(same(m.exposure, double(exposed) / double(to - from)), where.constData());
            if (useMarket) {
                QCOMPARE(m.barReturns.size(), std::size_t(to - from));
                if (longOnly)
                    QVERIFY2(std::abs(m.equity.back() - 1.0 - m.totalReturn) < 1e-9, where.constData());
                // Scores only, per bar and from prepared moves: the Sharpe ratio of the kept series.
                metrics::Options lean{cost, from, to, &market, 0};
                lean.keepBarSeries = false;
                const double perBar = metrics::compute(t, lean).sharpe;
                const metrics::BarMoves moves(market, 0, total);
                lean.moves = &moves;
                const double fromMoves = metrics::compute(t, lean).sharpe;
                QVERIFY2(std::abs(perBar - m.sharpe) <= 1e-9 * std::abs(m.sharpe), where.constData());
                QVERIFY2(std::abs(fromMoves - m.sharpe) <= 1e-9 * std::abs(m.sharpe),
                         QByteArray(where + " sharpe from moves " + QByteArray::number(fromMoves, 'g', 17)).constData());
            }
        }
    }

    void sweepParameters()
    {
        using sweep::heatmapParameters;
        QCOMPARE(heatmapParameters({}, "rsi_grid_7_20_75"), (Parameters{{"p1", 7}, {"p2", 20}, {"p3", 75}}));
        QCOMPARE(heatmapParameters({}, "SPY_rsi_bands_Grid_11_1.5_fast"),
                 (Parameters{{"p1", 11}, {"p2", 1.5}, {"p3", std::string("fast")}}));
        QCOMPARE(heatmapParameters({{"period", 14}}, "rsi_grid_7"), (Parameters{{"period", 14}}));
        QCOMPARE(heatmapParameters({}, "momentum_10"), Parameters());
        QCOMPARE(heatmapParameters({}, "rsi_grid"), Parameters());
    }

    void sweepValueOrder()
    {
        // Numbers by value (an integer before an equal float), booleans, text, null last.
        std::vector<ParamValue> values = {std::string("x"), true, 2.5, std::int64_t(10), 10.0, false,
                                          nullptr, std::int64_t(2), std::string("b10")};
        std::sort(values.begin(), values.end(), sweep::valueLess);
        const std::vector<ParamValue> expected = {std::int64_t(2), 2.5, std::int64_t(10), 10.0, false, true,
                                                  std::string("b10"), std::string("x"), nullptr};
        QVERIFY(values == expected);
    }

    void sweepGrid()
    {
        // fast x slow x th; item 3 has no value; fast = 2 exists only for slow 20, th 0.1.
        const auto p = [](std::int64_t fast, std::int64_t slow, double th) {
            return Parameters{{"fast", fast}, {"slow", slow}, {"th", th}, {"sym", std::string("SPY")}};
        };
        const std::vector<Parameters> items = {p(5, 20, 0.1), p(5, 20, 0.2), p(10, 20, 0.1), p(10, 20, 0.2),
                                               p(5, 50, 0.1), p(5, 50, 0.2), p(10, 50, 0.1), p(10, 50, 0.2),
                                               p(2, 20, 0.1)};
        const std::vector<double> values = {1.0, 3.0, 2.0, kNaN, -1.0, 4.0, 0.5, 0.5, 7.0};

        const auto axes = sweep::varyingParameters(items); // sym never varies
        QCOMPARE(axes.size(), std::size_t(3));
        QCOMPARE(axes[0].name, std::string("fast"));
        QVERIFY((axes[0].values == std::vector<ParamValue>{std::int64_t(2), std::int64_t(5), std::int64_t(10)}));
        QCOMPARE(axes[1].name, std::string("slow"));
        QCOMPARE(axes[2].name, std::string("th"));
        QVERIFY((axes[2].values == std::vector<ParamValue>{0.1, 0.2}));

        // th not named: best (the maximum); NaN left out; the empty cell (2, 50) is NaN.
        sweep::Grid g = sweep::grid(items, values, {"fast", "slow", {}});
        QCOMPARE(g.columns(), std::size_t(3));
        QCOMPARE(g.rows(), std::size_t(2));
        QVERIFY((g.xValues == std::vector<ParamValue>{std::int64_t(2), std::int64_t(5), std::int64_t(10)}));
        QVERIFY((g.yValues == std::vector<ParamValue>{std::int64_t(20), std::int64_t(50)}));
        QCOMPARE(g.at(0, 0).value, 7.0);
        QVERIFY(std::isnan(g.at(0, 1).value));
        QVERIFY(g.at(0, 1).items.empty());
        QCOMPARE(g.at(1, 0).value, 3.0); // max(1, 3)
        QCOMPARE(g.at(2, 0).value, 2.0); // max(2, NaN)
        QCOMPARE(g.at(1, 1).value, 4.0); // max(-1, 4)
        QCOMPARE(g.at(2, 1).value, 0.5);
        QVERIFY((g.at(1, 0).items == std::vector<std::size_t>{0, 1}));
        QVERIFY((g.at(2, 0).items == std::vector<std::size_t>{2, 3}));
        QCOMPARE(g.min, 0.5);
        QCOMPARE(g.max, 7.0);

        // th median: (1 + 3) / 2 = 2; median(2) = 2; (-1 + 4) / 2 = 1.5; 0.5.
        g = sweep::grid(items, values, {"fast", "slow", {{"th", {sweep::Reduce::Median, {}}}}});
        QCOMPARE(g.at(1, 0).value, 2.0);
        QCOMPARE(g.at(2, 0).value, 2.0);
        QCOMPARE(g.at(1, 1).value, 1.5);
        QCOMPARE(g.at(2, 1).value, 0.5);

        // th fixed at 0.2: fast = 2 leaves the axis; (10, 20) holds item 3 and no value.
        g = sweep::grid(items, values, {"fast", "slow", {{"th", {sweep::Reduce::Fixed, 0.2}}}});
        QVERIFY((g.xValues == std::vector<ParamValue>{std::int64_t(5), std::int64_t(10)}));
        QCOMPARE(g.at(0, 0).value, 3.0);
        QVERIFY(std::isnan(g.at(1, 0).value));
        QVERIFY((g.at(1, 0).items == std::vector<std::size_t>{3}));
        QCOMPARE(g.at(0, 1).value, 4.0);
        QCOMPARE(g.at(1, 1).value, 0.5);
        QCOMPARE(g.min, 0.5);
        QCOMPARE(g.max, 4.0);

        // Swapped axes: slow across, fast down.
        g = sweep::grid(items, values, {"slow", "fast", {}});
        QCOMPARE(g.columns(), std::size_t(2));
        QCOMPARE(g.rows(), std::size_t(3));
        QCOMPARE(g.at(0, 1).value, 3.0);

        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sweep::grid(items, values, {"fast", "fast", {}}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sweep::grid(items, {1.0}, {"fast", "slow", {}}));
    }

    void sweepBestOfMedians()
    {
        // One cell; c best, d median: c = 1 -> median(1, 5, 6) = 5, c = 2 -> median(4, 4) = 4; best 5.
        const auto p = [](std::int64_t c, std::int64_t d) {
            return Parameters{{"a", 1}, {"b", 1}, {"c", c}, {"d", d}};
        };
        const std::vector<Parameters> items = {p(1, 1), p(1, 2), p(1, 3), p(2, 1), p(2, 2)};
        const std::vector<double> values = {1.0, 5.0, 6.0, 4.0, 4.0};
        const sweep::Grid g = sweep::grid(
            items, values, {"a", "b", {{"c", {sweep::Reduce::Best, {}}}, {"d", {sweep::Reduce::Median, {}}}}});
        QCOMPARE(g.cells.size(), std::size_t(1));
        QCOMPARE(g.at(0, 0).value, 5.0);
        // Both median: median(1, 5, 6, 4, 4) = 4.
        const sweep::Grid m = sweep::grid(
            items, values, {"a", "b", {{"c", {sweep::Reduce::Median, {}}}, {"d", {sweep::Reduce::Median, {}}}}});
        QCOMPARE(m.at(0, 0).value, 4.0);
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
