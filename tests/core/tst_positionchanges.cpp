// Where a signal enters and leaves positions and at which price (the chart's price-lane markers
// and the readout's change price), on a hand-made trace and price series.
#include "core/analysis/positionchanges.h"

#include <QTest>

using namespace sigscope::core;

namespace {

// bar   2: long @100.5 (recorded)   5: long again (no change of position)
// bar   8: flat, then short on the same bar (no recorded price)
// bar  12: short again @99          14: flat @98.25
Trace handTrades()
{
    Trace t(TraceIdentity{Kind::Signal, "trades", {}, "SPY", "1m", {}, {}}, "trades");
    t.metadata.totalBars = 20;
    t.appendSignal(2, "", 1, 100.5);
    t.appendSignal(5, "", 1);
    t.appendSignal(8, "", 0);
    t.appendSignal(8, "", -1);
    t.appendSignal(12, "", -1, 99.0);
    t.appendSignal(14, "", 0, 98.25);
    return t;
}

// Closes 50, 51, ... 55 on price bars 5..10.
PriceSeries handPrices()
{
    PriceSeries p;
    for (std::int64_t bar = 5; bar <= 10; ++bar) {
        p.bars.push_back(bar);
        p.times.push_back(kNoTime);
        p.closes.push_back(45.0 + static_cast<double>(bar));
    }
    return p;
}

using K = PositionChangeKind;

} // namespace

class TestPositionChanges : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void changePrice()
    {
        const Trace t = handTrades();
        const PriceSeries p = handPrices();
        using P = std::optional<double>;
        QCOMPARE(sigscope::core::changePrice(t, 0, nullptr, 0), P(100.5)); // recorded price wins
        QCOMPARE(sigscope::core::changePrice(t, 0, &p, 1), P(100.5));
        QCOMPARE(sigscope::core::changePrice(t, 2, nullptr, 0), P()); // no price anywhere
        QCOMPARE(sigscope::core::changePrice(t, 2, &p, 0), P(53.0));  // close of price bar 8
        QCOMPARE(sigscope::core::changePrice(t, 2, &p, 1), P(52.0));  // price bar = 8 - 1
        QCOMPARE(sigscope::core::changePrice(t, 2, &p, 4), P());      // price bar 4 is not in the file
    }

    void positionChangesWithPrices()
    {
        const Trace t = handTrades();
        const PriceSeries p = handPrices();
        const std::vector<PositionChange> expected{
            {0, 2, K::EnterLong, 100.5}, {2, 8, K::Exit, 52.0}, {3, 8, K::EnterShort, 52.0}, {5, 14, K::Exit, 98.25}};
        QCOMPARE(positionChanges(t, 0, 20, &p, 1), expected);
    }

    void changesWithoutAPriceAreLeftOut()
    {
        const Trace t = handTrades();
        const PriceSeries p = handPrices();
        const std::vector<PositionChange> recorded{{0, 2, K::EnterLong, 100.5}, {5, 14, K::Exit, 98.25}};
        QCOMPARE(positionChanges(t, 0, 20, nullptr, 0), recorded);
        QCOMPARE(positionChanges(t, 0, 20, &p, 4), recorded);
    }

    void barRangeIsHalfOpen()
    {
        const Trace t = handTrades();
        const PriceSeries p = handPrices();
        const std::vector<PositionChange> onBar8{{2, 8, K::Exit, 52.0}, {3, 8, K::EnterShort, 52.0}};
        QCOMPARE(positionChanges(t, 3, 14, &p, 1), onBar8); // bar 14 is outside, bar 12 no change
        QCOMPARE(positionChanges(t, 8, 9, &p, 1), onBar8);
        QCOMPARE(positionChanges(t, 9, 14, &p, 1), std::vector<PositionChange>());
        QCOMPARE(positionChanges(t, 9, 8, &p, 1), std::vector<PositionChange>());
        QCOMPARE(positionChanges(t, 2, 3, &p, 1), (std::vector<PositionChange>{{0, 2, K::EnterLong, 100.5}}));
    }

    void emptyTrace()
    {
        Trace t(TraceIdentity{Kind::Signal, "none", {}, {}, {}, {}, {}});
        t.metadata.totalBars = 10;
        const PriceSeries p = handPrices();
        QCOMPARE(positionChanges(t, 0, 10, &p, 0), std::vector<PositionChange>());
    }
};

QTEST_GUILESS_MAIN(TestPositionChanges)
#include "tst_positionchanges.moc"
