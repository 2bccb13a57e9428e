// Duration-weighted statistics (storage-format.md §9) and their split by regime. Every expected
// figure below is counted by hand from the per-bar tables in analysis_traces.h.
#include "core/analysis/stats.h"
#include "tests/core/analysis_traces.h"

#include <QTest>

using namespace sigscope::core;
using sigscope::test::handClassifier;
using sigscope::test::handSignal;

namespace {

stats::TraceStats signalStats(std::int64_t total, std::int64_t barsLong, std::int64_t barsShort, std::int64_t barsFlat,
                              std::int64_t changes, std::int64_t flips, double mean, double median)
{
    stats::TraceStats s;
    s.totalBars = total;
    s.barsLong = barsLong;
    s.barsShort = barsShort;
    s.barsFlat = barsFlat;
    s.changes = changes;
    s.flips = flips;
    s.meanHolding = mean;
    s.medianHolding = median;
    return s;
}

// Readable failure output: QCOMPARE on the struct would only say "not equal".
QByteArray describe(const stats::TraceStats& s)
{
    const auto n = [](std::int64_t v) { return QByteArray::number(qint64(v)); };
    QByteArray out = "total=" + n(s.totalBars) + " long=" + n(s.barsLong) + " short=" + n(s.barsShort)
        + " flat=" + n(s.barsFlat) + " changes=" + n(s.changes) + " flips=" + n(s.flips)
        + " mean=" + QByteArray::number(s.meanHolding, 'g', 17)
        + " median=" + QByteArray::number(s.medianHolding, 'g', 17) + " regimes=[";
    for (const auto bars : s.barsPerRegime)
        out += n(bars) + ' ';
    return out + ']';
}

} // namespace

#define COMPARE_STATS(actual, expected) QCOMPARE(describe(actual), describe(expected))

class TestStats : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void signalWholeTrace()
    {
        // Periods: 4 (bars 3-6), 2 (10-11), 3 (12-14). One flip: -1 at bar 11 to 1 at bar 12.
        COMPARE_STATS(stats::compute(handSignal()), signalStats(20, 7, 2, 11, 6, 1, 3.0, 3.0));
    }

    void signalRange_data()
    {
        QTest::addColumn<qint64>("from");
        QTest::addColumn<qint64>("to");
        QTest::addColumn<QByteArray>("expected");
        // Bars 5..12 = 1 1 0 0 0 -1 -1 1: periods 2 (cut at 5), 2, 1 (cut at 13); changes on 7, 7, 10, 12.
        QTest::newRow("middle") << qint64(5) << qint64(13) << describe(signalStats(8, 3, 2, 3, 4, 1, 5.0 / 3.0, 2.0));
        // Bars 2..10 = 0 1 1 1 1 0 0 0 -1: periods 4 and 1, even count: median (1+4)/2.
        QTest::newRow("even median") << qint64(2) << qint64(11) << describe(signalStats(9, 4, 1, 4, 4, 0, 2.5, 2.5));
        // Bars 10..12 = -1 -1 1: the flip lies inside; bars 12..14 = 1 1 1: the flip at 12 is not (bar 11 is out).
        QTest::newRow("flip inside") << qint64(10) << qint64(13) << describe(signalStats(3, 1, 2, 0, 2, 1, 1.5, 1.5));
        QTest::newRow("flip at the edge") << qint64(12) << qint64(15)
                                          << describe(signalStats(3, 3, 0, 0, 1, 0, 3.0, 3.0));
        // Before the first change: flat, no change.
        QTest::newRow("before first") << qint64(0) << qint64(3) << describe(signalStats(3, 0, 0, 3, 0, 0, 0.0, 0.0));
        // A single bar carrying two changes: both counted, only the last (0) held.
        QTest::newRow("one bar, two changes") << qint64(7) << qint64(8)
                                              << describe(signalStats(1, 0, 0, 1, 2, 0, 0.0, 0.0));
        QTest::newRow("clamped to the trace") << qint64(-5) << qint64(100)
                                              << describe(signalStats(20, 7, 2, 11, 6, 1, 3.0, 3.0));
        QTest::newRow("empty range") << qint64(8) << qint64(8) << describe(signalStats(0, 0, 0, 0, 0, 0, 0.0, 0.0));
        QTest::newRow("reversed range") << qint64(9) << qint64(4) << describe(signalStats(0, 0, 0, 0, 0, 0, 0.0, 0.0));
        QTest::newRow("past the end") << qint64(20) << qint64(30) << describe(signalStats(0, 0, 0, 0, 0, 0, 0.0, 0.0));
    }
    void signalRange()
    {
        QFETCH(qint64, from);
        QFETCH(qint64, to);
        QFETCH(QByteArray, expected);
        QCOMPARE(describe(stats::compute(handSignal(), from, to)), expected);
    }

    void sizesAndFlipsThroughZeroLengthFlat()
    {
        // Bars 0-1: 1, 2-3: 2, 4-5: -1 (three periods of 2, since 1 and 2 differ); the flip 2 -> -1.
        Trace sized = sigscope::test::emptyTrace(Kind::Signal, 6);
        sized.appendSignal(0, "", 1);
        sized.appendSignal(2, "", 2);
        sized.appendSignal(4, "", -1);
        COMPARE_STATS(stats::compute(sized), signalStats(6, 4, 2, 0, 3, 1, 2.0, 2.0));

        // Bar 3 goes 1 -> 0 -> -1: the flat holds zero bars, so it is a flip.
        Trace flip = sigscope::test::emptyTrace(Kind::Signal, 5);
        flip.appendSignal(0, "", 1);
        flip.appendSignal(3, "", 0);
        flip.appendSignal(3, "", -1);
        COMPARE_STATS(stats::compute(flip), signalStats(5, 3, 2, 0, 3, 1, 2.5, 2.5));

        // Bar 2 goes 1 -> -1 -> 1: nothing but the count of changes moves.
        Trace blip = sigscope::test::emptyTrace(Kind::Signal, 4);
        blip.appendSignal(0, "", 1);
        blip.appendSignal(2, "", -1);
        blip.appendSignal(2, "", 1);
        COMPARE_STATS(stats::compute(blip), signalStats(4, 4, 0, 0, 3, 0, 4.0, 4.0));
    }

    void totalBarsFromLastChange()
    {
        // metadata.totalBars 0 (upstream wrote the last index): the trace covers up to its last change.
        Trace t = sigscope::test::emptyTrace(Kind::Signal, 0);
        t.appendSignal(2, "", -1);
        t.appendSignal(5, "", 1);
        COMPARE_STATS(stats::compute(t), signalStats(6, 1, 3, 2, 2, 1, 2.0, 2.0));
    }

    void emptyTraces()
    {
        COMPARE_STATS(stats::compute(sigscope::test::emptyTrace(Kind::Signal, 10)),
                      signalStats(10, 0, 0, 10, 0, 0, 0.0, 0.0));
        COMPARE_STATS(stats::compute(sigscope::test::emptyTrace(Kind::Signal, 0)), stats::TraceStats{});
        // A classifier with no change: every bar unknown, counted in totalBars only.
        stats::TraceStats unknown;
        unknown.totalBars = 7;
        COMPARE_STATS(stats::compute(sigscope::test::emptyTrace(Kind::Classifier, 7)), unknown);
    }

    void classifier()
    {
        // Spells: calm 5, volatile 5, trend 3, calm 3 -> mean 4, median (3+5)/2; unknown bars 0-3 not in any regime.
        stats::TraceStats expected;
        expected.totalBars = 20;
        expected.changes = 6;
        expected.meanHolding = 4.0;
        expected.medianHolding = 4.0;
        expected.barsPerRegime = {8, 0, 5, 3};
        COMPARE_STATS(stats::compute(handClassifier()), expected);

        // Bars 2..9: ? ? calm x5 volatile.
        stats::TraceStats part;
        part.totalBars = 8;
        part.changes = 3;
        part.meanHolding = 3.0;
        part.medianHolding = 3.0;
        part.barsPerRegime = {5, 0, 1, 0};
        COMPARE_STATS(stats::compute(handClassifier(), 2, 10), part);
    }

    void byRegime()
    {
        const auto split = stats::computeByRegime(handSignal(), handClassifier());
        QCOMPARE(split.size(), std::size_t(4));
        QCOMPARE(split[0].regime, std::string("calm"));
        QCOMPARE(split[1].regime, std::string("squeeze"));
        QCOMPARE(split[2].regime, std::string("volatile"));
        QCOMPARE(split[3].regime, std::string("trend"));
        // calm = bars 4..8 (1 1 1 0 0) + bars 17..19 (0 0 0): the period 3-6 is cut to 4-6.
        COMPARE_STATS(split[0].stats, signalStats(8, 3, 0, 5, 2, 0, 3.0, 3.0));
        // squeeze never holds.
        COMPARE_STATS(split[1].stats, signalStats(0, 0, 0, 0, 0, 0, 0.0, 0.0));
        // volatile = bars 9..13 (0 -1 -1 1 1): the flip at 12 is inside, the period 12-14 is cut at 14.
        COMPARE_STATS(split[2].stats, signalStats(5, 2, 2, 1, 2, 1, 2.0, 2.0));
        // trend = bars 14..16 (1 0 0).
        COMPARE_STATS(split[3].stats, signalStats(3, 1, 0, 2, 1, 0, 1.0, 1.0));

        // The per-regime bars add up to the bars where the regime is known (4..19).
        std::int64_t known = 0;
        for (const auto& r : split)
            known += r.stats.totalBars;
        QCOMPARE(known, std::int64_t(16));
    }

    void byRegimeCutsAtTheEnds()
    {
        // A classifier shorter than the signal: bars past its end are unknown.
        Trace shortClassifier = sigscope::test::emptyTrace(Kind::Classifier, 0);
        shortClassifier.appendRegime(0, "", "up");
        shortClassifier.appendRegime(11, "", "down"); // covers bars 0..11 only
        const auto split = stats::computeByRegime(handSignal(), shortClassifier);
        QCOMPARE(split.size(), std::size_t(2));
        // up = bars 0..10: 0 0 0 1 1 1 1 0 0 0 -1 ; down = bar 11: -1.
        COMPARE_STATS(split[0].stats, signalStats(11, 4, 1, 6, 4, 0, 2.5, 2.5));
        COMPARE_STATS(split[1].stats, signalStats(1, 0, 1, 0, 0, 0, 1.0, 1.0));

        // A classifier without changes splits nothing.
        QVERIFY(stats::computeByRegime(handSignal(), sigscope::test::emptyTrace(Kind::Classifier, 20)).empty());
    }

    // The whole-trace figures equal the sum over the regimes when the classifier covers every
    // bar with a single regime; holding periods then are not cut at all.
    void singleRegimeEqualsWhole()
    {
        Trace always = sigscope::test::emptyTrace(Kind::Classifier, 20);
        always.appendRegime(0, "", "any");
        const auto split = stats::computeByRegime(handSignal(), always);
        QCOMPARE(split.size(), std::size_t(1));
        COMPARE_STATS(split[0].stats, stats::compute(handSignal()));
    }
};

QTEST_GUILESS_MAIN(TestStats)
#include "tst_stats.moc"
