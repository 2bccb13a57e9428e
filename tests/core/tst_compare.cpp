// Agreement of two signal variants: exact counts on hand-made traces (the hand signal's bars are
// written out in analysis_traces.h), identical and opposite variants, ranges and ends, and a
// comparison with a bar-by-bar count over seeded random traces. The consensus of several
// signals (core::consensus) likewise: by hand, over a range, and bar by bar over seeded traces.
// The clustered agreement matrix of many (core::stats::agreementMatrix): linkage order by hand.
#include "core/analysis/agreementmatrix.h"
#include "core/analysis/compare.h"
#include "core/analysis/consensus.h"
#include "core/analysis/steps.h"
#include "tests/core/analysis_traces.h"

#include <QTest>

#include <array>
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

Trace signal(const std::string& name, std::int64_t totalBars, const std::vector<std::pair<std::int64_t, std::int32_t>>& changes)
{
    Trace t(TraceIdentity{Kind::Signal, name, {}, "SPY", "1m", {}, {}}, "c");
    t.metadata.totalBars = totalBars;
    for (const auto& [bar, value] : changes)
        t.appendSignal(bar, "", value);
    return t;
}

using consensus::Step;
using consensus::Stretch;

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

    void consensusByHand()
    {
        //   bar  0  1  2  3  4  5  6  7  8  9
        //   A    0  1  1  1 -1 -1 -1 -1  0  0
        //   B    0  0  1  1  1  0  0  0  0  0
        //   C   -1 -1 -1 -1 -1 -1  1  1  1  1
        //   net -1  0  1  1 -1 -2  0  0  1  1   long 0 1 2 2 1 0 1 1 1 1, short 1 1 1 1 2 2 1 1 0 0
        // min(long, short) 0 1 1 1 1 0 1 1 0 0 of 3: most disputed 1/3 over bars 1..4 and 6..7.
        const Trace a = signal("A", 10, {{1, 1}, {4, -1}, {8, 0}});
        const Trace b = signal("B", 10, {{2, 1}, {5, 0}});
        const Trace c = signal("C", 10, {{0, -1}, {6, 1}});
        const consensus::Consensus got = consensus::compute({&a, &b, &c});
        QCOMPARE(got.from, 0);
        QCOMPARE(got.to, 10);
        QCOMPARE(got.steps, (std::vector<Step>{{0, -1, 0, 1, 3}, {1, 0, 1, 1, 3}, {2, 1, 2, 1, 3}, {4, -1, 1, 2, 3},
                                               {5, -2, 0, 2, 3}, {6, 0, 1, 1, 3}, {8, 1, 1, 0, 3}}));
        QCOMPARE(got.maxDisagreement, 1.0 / 3);
        QCOMPARE(got.mostDisputed, (std::vector<Stretch>{{1, 5}, {6, 8}}));
        QCOMPARE(got.at(3)->shareLong(), 2.0 / 3);
        QCOMPARE(got.at(3)->shareShort(), 1.0 / 3);
        QCOMPARE(got.at(9)->bar, 8);
        QCOMPARE(got.at(10), nullptr);
        QCOMPARE(got.at(-1), nullptr);

        // Pixel columns over bars [0, 2), [2, 4.5), [4.5, 5), [5, 10), [10, 12) and [8, 10).
        const double third = 1.0 / 3;
        const double twoThirds = 2.0 / 3;
        using consensus::Column;
        // Means weighted by the bars each step covers in the column, e.g. [2, 4.5): long
        // (2 x 2/3 + 0.5 x 1/3) / 2.5 = 0.6, short (2 x 1/3 + 0.5 x 2/3) / 2.5 = 0.4, net
        // (2 x 1/3 - 0.5 x 1/3) / 2.5 = 0.2; [5, 10): long (2 x 1/3 + 2 x 1/3) / 5 = 4/15.
        std::vector<Column> cols = consensus::columns(got, {0, 2, 4.5, 5, 10, 12});
        const std::vector<std::array<double, 3>> means{{1.0 / 6, third, -1.0 / 6}, {0.6, 0.4, 0.2},
                                                       {third, twoThirds, -third}, {4.0 / 15, 4.0 / 15, 0}, {0, 0, 0}};
        QCOMPARE(cols.size(), means.size());
        for (std::size_t k = 0; k < cols.size(); ++k) {
            QVERIFY2(std::abs(cols[k].meanLong - means[k][0]) < 1e-15, qPrintable(QString::number(k)));
            QVERIFY2(std::abs(cols[k].meanShort - means[k][1]) < 1e-15, qPrintable(QString::number(k)));
            QVERIFY2(std::abs(cols[k].meanNet - means[k][2]) < 1e-15, qPrintable(QString::number(k)));
            cols[k].meanLong = cols[k].meanShort = cols[k].meanNet = 0; // the rest compared exactly below
        }
        QCOMPARE(cols,
                 (std::vector<Column>{{true, third, third, -third, 0, true},
                                      {true, twoThirds, twoThirds, -third, third, true},
                                      {true, third, twoThirds, -third, -third, true},
                                      {true, third, twoThirds, -twoThirds, third, true},
                                      {}}));
        QCOMPARE(consensus::columns(got, {8, 10}),
                 (std::vector<Column>{{true, third, 0, third, third, false, third, 0, third}}));
        QVERIFY(consensus::columns(got, {3}).empty());

        // Bars [3, 7): the state at 3 starts it; the stretches are cut to the range.
        const consensus::Consensus part = consensus::compute({&a, &b, &c}, 3, 7);
        QCOMPARE(part.steps, (std::vector<Step>{{3, 1, 2, 1, 3}, {4, -1, 1, 2, 3}, {5, -2, 0, 2, 3}, {6, 0, 1, 1, 3}}));
        QCOMPARE(part.mostDisputed, (std::vector<Stretch>{{3, 5}, {6, 7}}));

        // D covers bars 0..4 only (long), E changes twice on bar 3 (the last holds: short), F is
        // always flat; from bar 5 two traces cover the bars.
        //   bar  0  1  2  3  4  5  6  7
        //   D    1  1  1  1  1  .  .  .
        //   E    0  0  0 -1 -1 -1 -1 -1
        //   F    0  0  0  0  0  0  0  0
        const Trace d = signal("D", 5, {{0, 1}});
        const Trace e = signal("E", 8, {{3, 1}, {3, -1}});
        const Trace f = signal("F", 8, {});
        const consensus::Consensus ends = consensus::compute({&d, nullptr, &e, &f});
        QCOMPARE(ends.to, 8);
        QCOMPARE(ends.steps, (std::vector<Step>{{0, 1, 1, 0, 3}, {3, 0, 1, 1, 3}, {5, -1, 0, 1, 2}}));
        QCOMPARE(ends.mostDisputed, (std::vector<Stretch>{{3, 5}}));

        // Few changes over many bars (summed by sorting rather than per bar): the same rule.
        const Trace far1 = signal("far1", 50'000'000, {{0, 1}, {20'000'000, -1}});
        const Trace far2 = signal("far2", 50'000'000, {{10'000'000, 1}, {30'000'000, -1}});
        const consensus::Consensus sparse = consensus::compute({&far1, &far2});
        QCOMPARE(sparse.steps, (std::vector<Step>{{0, 1, 1, 0, 2}, {10'000'000, 2, 2, 0, 2}, {20'000'000, 0, 1, 1, 2},
                                                  {30'000'000, -2, 0, 2, 2}}));
        QCOMPARE(sparse.maxDisagreement, 0.5);
        QCOMPARE(sparse.mostDisputed, (std::vector<Stretch>{{20'000'000, 30'000'000}}));

        // Nobody opposes: no stretch. Nothing: no step.
        const consensus::Consensus agreed = consensus::compute({&a, &a});
        QCOMPARE(agreed.maxDisagreement, 0.0);
        QVERIFY(agreed.mostDisputed.empty());
        const consensus::Consensus none = consensus::compute({});
        QVERIFY(none.steps.empty());
        QCOMPARE(none.to, 0);
        QCOMPARE(none.at(0), nullptr);
    }

    // Every bar's counts equal a count over steps::expand of each trace.
    void consensusMatchesBarByBar()
    {
        for (std::uint64_t seed = 1; seed <= 30; ++seed) {
            std::vector<Trace> traces;
            for (std::uint64_t k = 0; k < 2 + seed % 6; ++k)
                traces.push_back(randomSignal(seed * 131 + k, 200 + std::int64_t((seed + k) % 5) * 30));
            std::vector<const Trace*> pointers;
            for (const Trace& t : traces)
                pointers.push_back(&t);
            const std::int64_t from = std::int64_t(seed % 17);
            const consensus::Consensus got = consensus::compute(pointers, from);
            std::int64_t last = 0;
            for (const Trace& t : traces)
                last = std::max(last, t.effectiveTotalBars());
            QCOMPARE(got.from, from);
            QCOMPARE(got.to, last);
            std::int64_t most = 0; // min(long, short) / traces, scaled by 720720 (divisible by 1..16): exact
            std::vector<std::int64_t> disputed;
            for (std::int64_t bar = from; bar < got.to; ++bar) {
                Step want{bar, 0, 0, 0, 0};
                for (const Trace& t : traces) {
                    if (bar >= t.effectiveTotalBars())
                        continue;
                    const std::int32_t v = steps::expand(t, bar, bar + 1).front();
                    want.net += v;
                    want.longs += v > 0;
                    want.shorts += v < 0;
                    ++want.traces;
                }
                const Step* step = got.at(bar);
                QVERIFY(step);
                QCOMPARE((Step{bar, step->net, step->longs, step->shorts, step->traces}), want);
                const std::int64_t d = std::int64_t(std::min(want.longs, want.shorts)) * 720720 / want.traces;
                if (d > most)
                    disputed.clear();
                if (d >= most && d > 0)
                    disputed.push_back(bar);
                most = std::max(most, d);
            }
            std::vector<std::int64_t> marked;
            for (const Stretch& s : got.mostDisputed)
                for (std::int64_t bar = s.first; bar < s.end; ++bar)
                    marked.push_back(bar);
            QCOMPARE(marked, disputed);
            for (std::size_t i = 1; i < got.steps.size(); ++i)
                QVERIFY(!(Step{0, got.steps[i].net, got.steps[i].longs, got.steps[i].shorts, got.steps[i].traces}
                          == Step{0, got.steps[i - 1].net, got.steps[i - 1].longs, got.steps[i - 1].shorts,
                                  got.steps[i - 1].traces}));
        }
    }
};

QTEST_GUILESS_MAIN(TestCompare)
#include "tst_compare.moc"
