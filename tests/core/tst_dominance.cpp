// Which regime dominates a stretch of bars (the colour of one pixel column of a regime band),
// on hand-worked intervals whose weights are written beside each case.
#include "core/analysis/dominance.h"
#include "tests/core/analysis_traces.h"

#include <QTest>
#include <vector>

using namespace sigscope::core;

namespace {

// Regimes 0, 1, 2 over bars [0, 11):
//   bar  0 1 2 3 | 4 5 | 6 7 8 9 | 10
//   id   0 0 0 0 | 1 1 | 2 2 2 2 |  0
const std::vector<std::int64_t> kBars{0, 4, 6, 10};
const std::vector<std::int32_t> kValues{0, 1, 2, 0};
constexpr std::int64_t kEnd = 11;

std::optional<std::int32_t> pick(double from, double to, std::int32_t enter)
{
    return dominantRegime(kBars, kValues, kEnd, from, to, enter);
}

std::optional<std::int32_t> id(std::int32_t v)
{
    return v;
}

} // namespace

class TestDominance : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void oneRegime()
    {
        QCOMPARE(pick(1, 3, 0), id(0));      // 0 holds [1, 3)
        QCOMPARE(pick(6.5, 9.25, 2), id(2)); // 2 holds all of it
        QCOMPARE(pick(10, 10.5, 0), id(0));
    }

    void severalSpans()
    {
        QCOMPARE(pick(2, 9, 0), id(2));      // 0: 2 (2..4), 1: 2 (4..6), 2: 3 (6..9)
        QCOMPARE(pick(3, 7, 0), id(1));      // 0: 1, 1: 2, 2: 1
        QCOMPARE(pick(0, 11, 0), id(0));     // 0: 4 + 1 = 5, 1: 2, 2: 4 (the two spans of 0 add up)
        QCOMPARE(pick(3.5, 4.25, 0), id(0)); // 0: 0.5, 1: 0.25
        QCOMPARE(pick(3.75, 4.5, 0), id(1)); // 0: 0.25, 1: 0.5
    }

    void ties()
    {
        QCOMPARE(pick(2, 6, 0), id(0));  // 0: 2, 1: 2 -> the lower id
        QCOMPARE(pick(5, 7, 1), id(1));  // 1: 1, 2: 1
        QCOMPARE(pick(9, 11, 2), id(0)); // 2: 1, 0: 1
    }

    void endOfTraceClips()
    {
        // 2: 2 (8..10), 0: 1 (10..11); without the clip at bar 11, 0 would hold 4 and win.
        QCOMPARE(pick(8, 14, 2), id(2));
        QCOMPARE(pick(10.5, 12, 0), id(0)); // 0: 0.5
    }

    void enterHoldsUpToTheFirstChange()
    {
        // A change on bar floor(from) is taken as already in `enter`: at 4.5 the caller says 1 holds.
        QCOMPARE(pick(4.5, 7, 1), id(1)); // 1: 1.5 (4.5..6), 2: 1
        // On an integer edge the change on bar `from` itself is part of `enter` too: the caller's
        // value holds up to the next change (0: 2 for 4..6, 2: 1 for 6..7).
        QCOMPARE(pick(4, 7, 0), id(0));
        QCOMPARE(pick(4, 7, 1), id(1));
    }

    void severalChangesOnOneBar()
    {
        // 0 until 4, then 1 and 2 on bar 4 (1 holds zero bars), 0 from 6.
        const std::vector<std::int64_t> bars{0, 4, 4, 6};
        const std::vector<std::int32_t> values{0, 1, 2, 0};
        QCOMPARE(dominantRegime(bars, values, 10, 3, 6.5, 0), id(2));   // 0: 1 + 0.5, 1: 0, 2: 2
        QCOMPARE(dominantRegime(bars, values, 10, 3.5, 4.5, 0), id(0)); // 0: 0.5, 2: 0.5 -> the lower id
    }

    void empty()
    {
        QCOMPARE(pick(5, 5, 1), std::optional<std::int32_t>());
        QCOMPARE(pick(6, 5, 1), std::optional<std::int32_t>());
        QCOMPARE(dominantRegime({}, {}, 0, 0, 4, -1), std::optional<std::int32_t>()); // unknown throughout
        QCOMPARE(pick(12, 13, 0), std::optional<std::int32_t>());                     // past the end: nothing holds
    }

    void onATrace()
    {
        // handClassifier: calm 4..8, volatile 9..13 (squeeze zero bars on 9), trend 14..16, calm 17..19.
        const Trace t = sigscope::test::handClassifier();
        QCOMPARE(dominantRegime(t, 7, 12, 0), id(2));  // calm: 2, volatile: 3
        QCOMPARE(dominantRegime(t, 12, 18, 2), id(3)); // volatile: 2, trend: 3, calm: 1
        QCOMPARE(dominantRegime(t, 15, 19, 3), id(0)); // trend: 2, calm: 2 -> calm (id 0)
        QCOMPARE(dominantRegime(t, 19, 25, 0), id(0)); // calm: 1, clipped at bar 20
    }
};

QTEST_GUILESS_MAIN(TestDominance)
#include "tst_dominance.moc"
