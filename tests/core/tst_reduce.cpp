// Exact per-pixel step reduction (core/analysis/reduce.h): hand-made cases with every column
// written out, then the pyramid against the linear brute force and against an independent
// reference that walks the drawn polyline of contract point 2, on seeded random traces. The
// reduction of a per-bar series (core/analysis/seriesreduce.h), drawdowns and equal-width
// histograms (core/analysis/histogram.h) by hand.
#include "core/analysis/histogram.h"
#include "core/analysis/reduce.h"
#include "core/analysis/seriesreduce.h"
#include "tests/core/analysis_traces.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

using namespace sigscope::core;

namespace {

StepColumn col(std::int32_t enter, std::int32_t min, std::int32_t max, std::int32_t leave, std::uint32_t changes)
{
    return StepColumn{enter, min, max, leave, changes, true};
}

const StepColumn undef{};

QByteArray describe(const std::vector<StepColumn>& columns)
{
    QByteArray out;
    for (std::size_t c = 0; c < columns.size(); ++c) {
        const auto& k = columns[c];
        out += QByteArray::number(qulonglong(c)) + ':';
        if (!k.defined) {
            out += (k == undef ? "-" : "-(dirty)");
        } else {
            out += QByteArray::number(k.enter) + '/' + QByteArray::number(k.min) + '/' + QByteArray::number(k.max) + '/'
                + QByteArray::number(k.leave) + '#' + QByteArray::number(k.changes);
        }
        out += ' ';
    }
    return out;
}

// A plain description of one random trace, for the spans constructor.
struct Steps
{
    std::vector<std::int64_t> bars;
    std::vector<std::int32_t> values;
    std::int64_t totalBars = 0;
    std::int32_t valueBefore = 0;
    bool unknownBefore = false;
};

// Independent reference: builds the polyline of contract point 2 and, per column, walks its
// pieces in drawing order, keeping those that touch [c, c+1): horizontals as half-open
// [x1, x2), verticals (one per change) as the point floor(x) == c.
std::vector<StepColumn> reduceByPolyline(const Steps& s, double first, double last, int columns)
{
    std::vector<StepColumn> out(std::size_t(std::max(columns, 0)));
    if (!(columns > 0 && last > first))
        return out;
    const auto X = [&](double x) { return StepReducer::columnPosition(x, first, last, columns); };
    struct Piece
    {
        bool vertical;
        double x1, x2;
        std::int32_t a, b;
    };
    std::vector<Piece> pieces;
    const std::size_t n = s.bars.size();
    const std::int64_t end = std::max(s.totalBars, n ? s.bars.back() + 1 : 0);
    if (s.unknownBefore && n == 0)
        return out;
    double x = 0;
    std::int32_t v = 0;
    std::size_t i = 0;
    if (s.unknownBefore) {
        x = X(double(s.bars[0]));
        v = s.values[0];
        pieces.push_back({true, x, x, v, v}); // the starting vertex
        i = 1;
    } else {
        x = X(double(std::min<std::int64_t>(0, n ? s.bars[0] : 0)));
        v = s.valueBefore;
    }
    for (; i < n; ++i) {
        const double xi = X(double(s.bars[i]));
        pieces.push_back({false, x, xi, v, v});
        pieces.push_back({true, xi, xi, v, s.values[i]});
        x = xi;
        v = s.values[i];
    }
    pieces.push_back({false, x, X(double(end)), v, v});

    for (int c = 0; c < columns; ++c) {
        std::vector<std::int32_t> visited;
        for (const auto& p : pieces) {
            if (p.vertical ? (p.x1 >= c && p.x1 < c + 1) : (p.x1 < p.x2 && p.x1 < c + 1 && p.x2 > c)) {
                visited.push_back(p.a);
                visited.push_back(p.b);
            }
        }
        if (visited.empty())
            continue;
        StepColumn& k = out[std::size_t(c)];
        k.defined = true;
        k.enter = visited.front();
        k.leave = visited.back();
        k.min = *std::min_element(visited.begin(), visited.end());
        k.max = *std::max_element(visited.begin(), visited.end());
        for (std::size_t j = 0; j < n; ++j)
            k.changes += std::floor(X(double(s.bars[j]))) == c ? 1 : 0;
    }
    return out;
}

Steps randomSteps(std::mt19937_64& rng, std::size_t maxChanges)
{
    Steps s;
    const std::size_t n = std::uniform_int_distribution<std::size_t>(0, maxChanges)(rng);
    std::int64_t bar = std::uniform_int_distribution<std::int64_t>(0, 20)(rng);
    std::int32_t value = 0;
    const int spread = std::uniform_int_distribution<int>(1, 4)(rng);
    for (std::size_t i = 0; i < n; ++i) {
        // Same-bar changes, neighbouring bars and long gaps all occur.
        const int kind = std::uniform_int_distribution<int>(0, 9)(rng);
        bar += kind == 0 ? 0 : kind < 6 ? 1 : std::uniform_int_distribution<std::int64_t>(2, 60)(rng);
        std::int32_t next = value;
        while (next == value)
            next = std::uniform_int_distribution<std::int32_t>(-spread, spread)(rng);
        value = next;
        s.bars.push_back(bar);
        s.values.push_back(value);
    }
    s.totalBars = (n ? bar + 1 : 0) + std::uniform_int_distribution<std::int64_t>(-3, 40)(rng);
    s.unknownBefore = std::uniform_int_distribution<int>(0, 2)(rng) == 0;
    s.valueBefore = std::uniform_int_distribution<std::int32_t>(-1, 1)(rng);
    return s;
}

struct View
{
    double first, last;
    int columns;
};

// Views at many zoom levels: whole trace, columns far narrower than a bar, far wider, views
// shifted past either end, and views aligned so that bars land exactly on column edges.
std::vector<View> randomViews(std::mt19937_64& rng, std::int64_t end, int maxColumns)
{
    std::vector<View> views;
    const double span = double(std::max<std::int64_t>(end, 1));
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::uniform_int_distribution<int> cols(1, maxColumns);
    views.push_back({0.0, span, cols(rng)});
    views.push_back({0.0, span, 1});
    for (int k = 0; k < 14; ++k) {
        const double zoom = std::pow(10.0, -3.0 + 4.5 * unit(rng)); // width 0.001 .. 30x the trace
        const double width = span * zoom;
        const double first = -0.3 * width + (span + 0.3 * width) * unit(rng);
        views.push_back({first, first + width, cols(rng)});
    }
    for (int k = 0; k < 6; ++k) { // exact edges: integer bars per column or columns per bar
        const int columns = cols(rng);
        const double perColumn = k % 2 ? double(1 + k) : 1.0 / double(1 + k);
        const double first = std::floor(span * unit(rng)) - 3.0;
        views.push_back({first, first + perColumn * columns, columns});
    }
    return views;
}

} // namespace

#define COMPARE_COLUMNS(actual, expected) QCOMPARE(describe(actual), describe(expected))

class TestReduce : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // bars 2, 5, 5, 9 with values 1, -1, 2, 0, totalBars 12: bar 5 visits -1 on the way to 2.
    void handSignal()
    {
        const std::vector<std::int64_t> bars{2, 5, 5, 9};
        const std::vector<std::int32_t> values{1, -1, 2, 0};
        const StepReducer r(bars, values, 12);
        QCOMPARE(r.endBar(), std::int64_t(12));

        // One bar per column.
        COMPARE_COLUMNS(r.reduce(0, 12, 12),
                        (std::vector<StepColumn>{col(0, 0, 0, 0, 0), col(0, 0, 0, 0, 0), col(0, 0, 1, 1, 1),
                                                 col(1, 1, 1, 1, 0), col(1, 1, 1, 1, 0), col(1, -1, 2, 2, 2),
                                                 col(2, 2, 2, 2, 0), col(2, 2, 2, 2, 0), col(2, 2, 2, 2, 0),
                                                 col(2, 0, 2, 0, 1), col(0, 0, 0, 0, 0), col(0, 0, 0, 0, 0)}));
        // Three bars per column.
        COMPARE_COLUMNS(r.reduce(0, 12, 4), (std::vector<StepColumn>{col(0, 0, 1, 1, 1), col(1, -1, 2, 2, 2),
                                                                     col(2, 2, 2, 2, 0), col(2, 0, 2, 0, 1)}));
        // Two bars per column, the view one column wider than the trace on each side: the
        // trace starts at bar 0 (X = 1, so column 0 is empty) and ends exactly at X = 7.
        COMPARE_COLUMNS(r.reduce(-2, 14, 8),
                        (std::vector<StepColumn>{undef, col(0, 0, 0, 0, 0), col(0, 0, 1, 1, 1), col(1, -1, 2, 2, 2),
                                                 col(2, 2, 2, 2, 0), col(2, 0, 2, 0, 1), col(0, 0, 0, 0, 0), undef}));
        // Zoomed into bar 5 (columns a quarter of a bar): the changes lie left of the view.
        COMPARE_COLUMNS(r.reduce(5.5, 6.5, 4), (std::vector<StepColumn>{col(2, 2, 2, 2, 0), col(2, 2, 2, 2, 0),
                                                                        col(2, 2, 2, 2, 0), col(2, 2, 2, 2, 0)}));
        // Bar 5 lands exactly on the left edge of column 1: it belongs to column 1, whose
        // enter is the value before it.
        COMPARE_COLUMNS(r.reduce(4.5, 5.5, 2), (std::vector<StepColumn>{col(1, 1, 1, 1, 0), col(1, -1, 2, 2, 2)}));
        // Whole trace in one column.
        COMPARE_COLUMNS(r.reduce(0, 12, 1), (std::vector<StepColumn>{col(0, -1, 2, 0, 4)}));
        // valueBefore other than 0.
        const StepReducer shifted(bars, values, 12, -1);
        COMPARE_COLUMNS(shifted.reduce(0, 12, 4), (std::vector<StepColumn>{col(-1, -1, 1, 1, 1), col(1, -1, 2, 2, 2),
                                                                           col(2, 2, 2, 2, 0), col(2, 0, 2, 0, 1)}));
    }

    // The same through a Trace, with the shared hand-made signal (one bar per column).
    void traceSignal()
    {
        const Trace t = sigscope::test::handSignal();
        const StepReducer r(t);
        const auto columns = r.reduce(0, 20, 20);
        QCOMPARE(columns.size(), std::size_t(20));
        COMPARE_COLUMNS(std::vector<StepColumn>(columns.begin() + 2, columns.begin() + 8),
                        (std::vector<StepColumn>{col(0, 0, 0, 0, 0), col(0, 0, 1, 1, 1), col(1, 1, 1, 1, 0),
                                                 col(1, 1, 1, 1, 0), col(1, 1, 1, 1, 0), col(1, -1, 1, 0, 2)}));
        COMPARE_COLUMNS(r.reduce(0, 20, 20), reduceStepsBruteForce(t, 0, 20, 20));
    }

    // Classifiers: nothing is drawn before the first change.
    void classifierUnknownBefore()
    {
        const std::vector<std::int64_t> bars{3, 6};
        const std::vector<std::int32_t> values{0, 1};
        const StepReducer r(bars, values, 8, 0, true);
        COMPARE_COLUMNS(r.reduce(0, 8, 4), (std::vector<StepColumn>{undef, col(0, 0, 0, 0, 1), col(0, 0, 0, 0, 0),
                                                                    col(0, 0, 1, 1, 1)}));
        // The first change sits on the left edge of column 1.
        COMPARE_COLUMNS(r.reduce(1, 5, 2), (std::vector<StepColumn>{undef, col(0, 0, 0, 0, 1)}));

        const Trace t = sigscope::test::handClassifier();
        // calm=0 squeeze=1 volatile=2 trend=3; 4 bars per column over 0..20.
        COMPARE_COLUMNS(StepReducer(t).reduce(0, 20, 5),
                        (std::vector<StepColumn>{undef, col(0, 0, 0, 0, 1), col(0, 0, 2, 2, 2), col(2, 0, 3, 3, 2),
                                                 col(3, 0, 3, 0, 1)}));
    }

    void emptyAndDegenerate()
    {
        const std::vector<std::int64_t> noBars;
        const std::vector<std::int32_t> noValues;
        // A signal without changes is flat 0 over [0, totalBars); it ends inside column 2.
        COMPARE_COLUMNS(StepReducer(noBars, noValues, 5).reduce(0, 10, 5),
                        (std::vector<StepColumn>{col(0, 0, 0, 0, 0), col(0, 0, 0, 0, 0), col(0, 0, 0, 0, 0), undef,
                                                 undef}));
        COMPARE_COLUMNS(StepReducer(noBars, noValues, 0).reduce(0, 10, 3), (std::vector<StepColumn>(3)));
        COMPARE_COLUMNS(StepReducer(noBars, noValues, 5, 0, true).reduce(0, 10, 3), (std::vector<StepColumn>(3)));
        const Trace emptyClassifier = sigscope::test::emptyTrace(Kind::Classifier, 9);
        COMPARE_COLUMNS(StepReducer(emptyClassifier).reduce(0, 9, 3), (std::vector<StepColumn>(3)));

        const std::vector<std::int64_t> bars{1};
        const std::vector<std::int32_t> values{1};
        const StepReducer r(bars, values, 4);
        QVERIFY(r.reduce(0, 4, 0).empty());
        QVERIFY(r.reduce(0, 4, -3).empty());
        COMPARE_COLUMNS(r.reduce(4, 4, 2), (std::vector<StepColumn>(2)));
        COMPARE_COLUMNS(r.reduce(4, 0, 2), (std::vector<StepColumn>(2)));
        COMPARE_COLUMNS(r.reduce(0, std::nan(""), 2), (std::vector<StepColumn>(2)));
        COMPARE_COLUMNS(r.reduce(-INFINITY, 4, 2), (std::vector<StepColumn>(2)));
        // Entirely left or right of the trace.
        COMPARE_COLUMNS(r.reduce(-10, -2, 4), (std::vector<StepColumn>(4)));
        COMPARE_COLUMNS(r.reduce(4, 9, 4), (std::vector<StepColumn>(4)));
        // totalBars smaller than the last change: the trace still reaches past its last bar.
        COMPARE_COLUMNS(StepReducer(bars, values, 0).reduce(0, 4, 4),
                        (std::vector<StepColumn>{col(0, 0, 0, 0, 0), col(0, 0, 1, 1, 1), undef, undef}));
    }

    // Small traces: pyramid == brute force == the polyline walk, at many zoom levels.
    void randomAgainstPolyline()
    {
        std::mt19937_64 rng(20240611);
        int views = 0;
        for (int round = 0; round < 300; ++round) {
            const Steps s = randomSteps(rng, 60);
            const StepReducer r(s.bars, s.values, s.totalBars, s.valueBefore, s.unknownBefore);
            for (const View& v : randomViews(rng, r.endBar(), 48)) {
                const auto fast = r.reduce(v.first, v.last, v.columns);
                const auto brute = reduceStepsBruteForce(s.bars, s.values, s.totalBars, s.valueBefore, s.unknownBefore,
                                                         v.first, v.last, v.columns);
                const auto walk = reduceByPolyline(s, v.first, v.last, v.columns);
                if (fast != walk || brute != walk) {
                    qWarning("round %d view [%.17g, %.17g) x %d", round, v.first, v.last, v.columns);
                    COMPARE_COLUMNS(fast, walk);
                    COMPARE_COLUMNS(brute, walk);
                }
                ++views;
            }
        }
        QVERIFY(views > 6000);
    }

    // Larger traces exercise every pyramid level (blocks of 16, then pairs): pyramid == brute force.
    void randomAgainstBruteForce()
    {
        std::mt19937_64 rng(77);
        for (int round = 0; round < 60; ++round) {
            const Steps s = randomSteps(rng, round % 10 == 0 ? 40000 : 3000);
            const StepReducer r(s.bars, s.values, s.totalBars, s.valueBefore, s.unknownBefore);
            for (const View& v : randomViews(rng, r.endBar(), 1600)) {
                const auto fast = r.reduce(v.first, v.last, v.columns);
                const auto brute = reduceStepsBruteForce(s.bars, s.values, s.totalBars, s.valueBefore, s.unknownBefore,
                                                         v.first, v.last, v.columns);
                if (fast != brute) {
                    qWarning("round %d view [%.17g, %.17g) x %d", round, v.first, v.last, v.columns);
                    COMPARE_COLUMNS(fast, brute);
                }
            }
        }
    }

    // Contract point 3: neighbouring defined columns join, leave(c) == enter(c+1).
    void joinsAreContinuous()
    {
        std::mt19937_64 rng(5);
        for (int round = 0; round < 50; ++round) {
            const Steps s = randomSteps(rng, 500);
            const StepReducer r(s.bars, s.values, s.totalBars, s.valueBefore, s.unknownBefore);
            for (const View& v : randomViews(rng, r.endBar(), 400)) {
                const auto columns = r.reduce(v.first, v.last, v.columns);
                for (std::size_t c = 0; c + 1 < columns.size(); ++c) {
                    if (columns[c].defined && columns[c + 1].defined)
                        QCOMPARE(columns[c].leave, columns[c + 1].enter);
                    QVERIFY(!columns[c].defined
                            || (columns[c].min <= std::min(columns[c].enter, columns[c].leave)
                                && columns[c].max >= std::max(columns[c].enter, columns[c].leave)));
                }
            }
        }
    }

    // Bars 10..15; column edges in bars, a bar sampled at its centre b + 0.5.
    void seriesByHand()
    {
        const std::vector<double> v{1, 2, 0.5, 3, 3, 1.5};
        const auto col = [](double first, double min, double max, double last) {
            return SeriesColumn{first, min, max, last, true};
        };
        // [10,12): bars 10, 11; [12,13.6): 12, 13 (13.5 < 13.6); [13.6,16): 14, 15; [16,18): none.
        QCOMPARE(reduceSeries(v, 10, std::vector<double>{10, 12, 13.6, 16, 18}),
                 (std::vector<SeriesColumn>{col(1, 1, 2, 2), col(0.5, 0.5, 3, 3), col(3, 1.5, 3, 1.5), {}}));
        // Zoomed in: bar 10's centre 10.5 lies in the third quarter only.
        QCOMPARE(reduceSeries(v, 10, std::vector<double>{10, 10.25, 10.5, 10.75, 11}),
                 (std::vector<SeriesColumn>{{}, {}, col(1, 1, 1, 1), {}}));
        // Columns before the data hold nothing.
        QCOMPARE(reduceSeries(v, 10, std::vector<double>{0, 5, 10.6}),
                 (std::vector<SeriesColumn>{{}, col(1, 1, 1, 1)}));
        QVERIFY(reduceSeries(v, 10, std::vector<double>{3}).empty());
        QCOMPARE(reduceSeries({}, 0, std::vector<double>{0, 1}), (std::vector<SeriesColumn>{{}}));
    }

    void drawdownByHand()
    {
        // Peaks 1, 2, 2, 4, 4: 1.5 / 2 - 1 = -0.25, 1 / 4 - 1 = -0.75.
        QCOMPARE(drawdownSeries(std::vector<double>{1, 2, 1.5, 4, 1}), (std::vector<double>{0, 0, -0.25, 0, -0.75}));
        QVERIFY(drawdownSeries({}).empty());
    }

    void histogramByHand()
    {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double inf = std::numeric_limits<double>::infinity();
        // [0, 10] in 5 bins of 2: {0, 1} {2, 3} {4} {} {10: the last bin holds max}; NaN, inf left out.
        QCOMPARE(histogram(std::vector<double>{0, 1, 2, 3, 4, 10, nan, inf, -inf}, 5),
                 (Histogram{{0, 2, 4, 6, 8, 10}, {2, 2, 1, 0, 1}}));
        // A value on an edge goes to the bin starting there, whatever the division rounds to:
        // 0.3 / 3 is 0.09999999999999999, so 0.1 and 0.2 sit at or above edges 1 and 2.
        const Histogram tenths = histogram(std::vector<double>{0, 0.1, 0.2, 0.3}, 3);
        QCOMPARE(tenths.counts, (std::vector<std::int64_t>{1, 1, 2}));
        QCOMPARE(tenths.edges.front(), 0.0);
        QCOMPARE(tenths.edges.back(), 0.3);
        // All equal: one bin around the value.
        QCOMPARE(histogram(std::vector<double>{3, 3, 3}, 4), (Histogram{{2.5, 3.5}, {3}}));
        QCOMPARE(histogram(std::vector<double>{}, 4), Histogram{});
        QCOMPARE(histogram(std::vector<double>{nan}, 4), Histogram{});
        QCOMPARE(histogram(std::vector<double>{1, 2}, 0), Histogram{});
    }
};

QTEST_GUILESS_MAIN(TestReduce)
#include "tst_reduce.moc"
