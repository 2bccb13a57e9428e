// Agreement of two signal variants: exact counts on hand-made traces (the hand signal's bars are
// written out in analysis_traces.h), identical and opposite variants, ranges and ends, and a
// comparison with a bar-by-bar count over seeded random traces.
#include "core/analysis/agreementmatrix.h"
#include "core/analysis/compare.h"
#include "core/analysis/steps.h"
#include "tests/core/analysis_traces.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace sigscope::core;
namespace test = sigscope::test;

namespace {

//   bar  0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 | 20..24
//   val  1 1 1 1 1 0 0 0 0 0 -1 -1 -1 -1 -1 -1  0  0  0  0 |  0 (totalBars 25)
Trace other()
{
    Trace t(TraceIdentity{Kind::Signal, "other", {}, "SPY", "1m", {}, {}}, "other");
    t.metadata.totalBars = 25;
    t.appendSignal(0, "", 1);
    t.appendSignal(5, "", 0);
    t.appendSignal(10, "", -1);
    t.appendSignal(16, "", 0);
    return t;
}

Trace randomSignal(std::uint64_t seed, std::int64_t totalBars)
{
    std::mt19937_64 rng(seed);
    Trace t(TraceIdentity{Kind::Signal, "r" + std::to_string(seed), {}, "SPY", "1m", {}, {}}, "r");
    t.metadata.totalBars = totalBars;
    for (std::int64_t bar = std::int64_t(rng() % 5); bar < totalBars; bar += std::int64_t(rng() % 9)) // gaps of 0: same bar
        t.appendSignal(bar, "", std::int32_t(rng() % 3) - 1);
    return t;
}

} // namespace

class TestCompare : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void handCounts()
    {
        // Bars 0..19 (the hand signal ends there):
        //   hand   0 0 0 1 1 | 1 1 0 0 0 | -1 -1  1  1  1 | 0 0 0 0 0
        //   other  1 1 1 1 1 | 0 0 0 0 0 | -1 -1 -1 -1 -1 | -1 0 0 0 0
        const stats::Agreement a = stats::agreement(test::handSignal(), other());
        QCOMPARE(a.bars, 20);
        QCOMPARE(a.bothLong, 2);  // bars 3, 4
        QCOMPARE(a.bothShort, 2); // bars 10, 11
        QCOMPARE(a.bothFlat, 7);  // bars 7, 8, 9, 16..19
        QCOMPARE(a.same, 11);
        QCOMPARE(a.opposite, 3);  // bars 12, 13, 14
        QCOMPARE(a.share(a.same), 0.55);
        // Pearson over the 20 pairs, by hand: sums a 5, b -1, aa 9, bb 11, ab 1.
        QCOMPARE(a.correlation, (1.0 - 5.0 * -1.0 / 20.0) / std::sqrt((9.0 - 25.0 / 20.0) * (11.0 - 1.0 / 20.0)));
        // Symmetric.
        const stats::Agreement b = stats::agreement(other(), test::handSignal());
        QCOMPARE(b.same, a.same);
        QCOMPARE(b.opposite, a.opposite);
        QCOMPARE(b.correlation, a.correlation);
    }

    void rangeAndEnds()
    {
        const stats::Agreement a = stats::agreement(test::handSignal(), other(), 10, 15);
        QCOMPARE(a.bars, 5);
        QCOMPARE(a.bothShort, 2);
        QCOMPARE(a.opposite, 3);
        QCOMPARE(stats::agreement(test::handSignal(), other(), 20, 30).bars, 0); // past the hand signal's end
        QCOMPARE(stats::agreement(test::handSignal(), other(), -5, 3).bars, 3);  // from bar 0
        QVERIFY(std::isnan(stats::agreement(test::handSignal(), other(), 20, 30).correlation));
    }

    void identicalAndOpposite()
    {
        const Trace hand = test::handSignal();
        const stats::Agreement same = stats::agreement(hand, hand);
        QCOMPARE(same.same, same.bars);
        QCOMPARE(same.correlation, 1.0);
        Trace negated(TraceIdentity{Kind::Signal, "neg", {}, "SPY", "1m", {}, {}}, "neg");
        negated.metadata.totalBars = 20;
        for (std::size_t i = 0; i < hand.size(); ++i)
            negated.appendSignal(hand.bar(i), "", -hand.value(i));
        const stats::Agreement opposite = stats::agreement(hand, negated);
        QCOMPARE(opposite.same, opposite.bothFlat); // only where both are flat
        QCOMPARE(opposite.opposite, 9);             // every long or short bar of the hand signal
        QCOMPARE(opposite.correlation, -1.0);
        // A constant trace has no correlation.
        QVERIFY(std::isnan(stats::agreement(hand, test::emptyTrace(Kind::Signal, 20)).correlation));
    }

    // The sweep equals counting bar by bar over steps::expand.
    void matchesBarByBar()
    {
        for (std::uint64_t seed = 1; seed <= 60; ++seed) {
            const Trace a = randomSignal(seed, 300 + std::int64_t(seed % 7) * 40);
            const Trace b = randomSignal(seed * 7919, 320);
            const std::int64_t from = std::int64_t(seed % 11);
            const std::int64_t to = 250 + std::int64_t(seed % 13) * 10;
            const stats::Agreement got = stats::agreement(a, b, from, to);
            const std::int64_t end = std::min({to, a.effectiveTotalBars(), b.effectiveTotalBars()});
            const auto va = steps::expand(a, from, end);
            const auto vb = steps::expand(b, from, end);
            stats::Agreement want;
            double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
            for (std::size_t i = 0; i < va.size(); ++i) {
                ++want.bars;
                want.same += va[i] == vb[i];
                want.bothLong += va[i] > 0 && vb[i] > 0;
                want.bothShort += va[i] < 0 && vb[i] < 0;
                want.bothFlat += va[i] == 0 && vb[i] == 0;
                want.opposite += va[i] * vb[i] < 0;
                sa += va[i];
                sb += vb[i];
                saa += va[i] * va[i];
                sbb += vb[i] * vb[i];
                sab += va[i] * vb[i];
            }
            const double n = double(want.bars);
            const double r = (sab - sa * sb / n) / std::sqrt((saa - sa * sa / n) * (sbb - sb * sb / n));
            QCOMPARE(got.bars, want.bars);
            QCOMPARE(got.same, want.same);
            QCOMPARE(got.bothLong, want.bothLong);
            QCOMPARE(got.bothShort, want.bothShort);
            QCOMPARE(got.bothFlat, want.bothFlat);
            QCOMPARE(got.opposite, want.opposite);
            QVERIFY2(std::abs(got.correlation - r) < 1e-12, qPrintable(QString::number(seed)));
        }
    }

    // Average linkage: {0, 2} (0.9) merge first, then {1, 3} (0.8); the two clusters last.
    void clusterOrderByLinkage()
    {
        const std::vector<double> similarity = {1.0, 0.1, 0.9, 0.1,  //
                                                0.1, 1.0, 0.2, 0.8,  //
                                                0.9, 0.2, 1.0, 0.3,  //
                                                0.1, 0.8, 0.3, 1.0};
        QCOMPARE(stats::clusterOrder(similarity, 4), (std::vector<std::size_t>{0, 2, 1, 3}));
        // Mean linkage, not single: after {2, 3} (0.95), 0 is 0.7 from 2 but (0.7 + 0.1) / 2 = 0.4
        // from the cluster, so it joins 1 (0.5) first; single linkage would give 0, 2, 3, 1.
        const std::vector<double> chain = {1.0, 0.5, 0.7,  0.1,  //
                                           0.5, 1.0, 0.0,  0.0,  //
                                           0.7, 0.0, 1.0,  0.95, //
                                           0.1, 0.0, 0.95, 1.0};
        QCOMPARE(stats::clusterOrder(chain, 4), (std::vector<std::size_t>{0, 1, 2, 3}));
        QCOMPARE(stats::clusterOrder({}, 0), std::vector<std::size_t>{});
        QCOMPARE(stats::clusterOrder({1.0}, 1), std::vector<std::size_t>{0});
        // Ties go to the lowest indexes: all equal keeps the order.
        QCOMPARE(stats::clusterOrder(std::vector<double>(9, 0.5), 3), (std::vector<std::size_t>{0, 1, 2}));
    }

    // The matrix of shares: the hand trace, `other`, and a copy of the hand trace sit next to
    // each other in clustered order (the copy agrees on every bar).
    void agreementMatrixShares()
    {
        const Trace hand = test::handSignal();
        const Trace b = other();
        Trace copy = hand;
        const stats::AgreementMatrix m = stats::agreementMatrix({&hand, &b, &copy});
        QCOMPARE(m.size, std::size_t(3));
        const stats::Agreement ab = stats::agreement(hand, b);
        QCOMPARE(m.at(0, 1), ab.share(ab.same));
        QCOMPARE(m.at(1, 0), m.at(0, 1));
        QCOMPARE(m.at(0, 2), 1.0);
        QCOMPARE(m.at(1, 1), 1.0);
        QCOMPARE(m.order, (std::vector<std::size_t>{0, 2, 1}));
    }
};

QTEST_GUILESS_MAIN(TestCompare)
#include "tst_compare.moc"
