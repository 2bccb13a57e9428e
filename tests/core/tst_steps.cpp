// A trace read as a step function (storage-format.md §9): value as of a bar and dense expansion.
#include "core/analysis/steps.h"
#include "tests/core/analysis_traces.h"

#include <QTest>

using namespace sigscope::core;
using sigscope::test::handClassifier;
using sigscope::test::handSignal;

namespace {

std::optional<std::int32_t> none()
{
    return std::nullopt;
}

} // namespace

class TestSteps : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void changeIndexAt()
    {
        const Trace t = handSignal();
        QCOMPARE(steps::changeIndexAt(t, -1), std::optional<std::size_t>());
        QCOMPARE(steps::changeIndexAt(t, 2), std::optional<std::size_t>());
        QCOMPARE(steps::changeIndexAt(t, 3), std::optional<std::size_t>(0));
        QCOMPARE(steps::changeIndexAt(t, 6), std::optional<std::size_t>(0));
        QCOMPARE(steps::changeIndexAt(t, 7), std::optional<std::size_t>(2)); // last of the two on bar 7
        QCOMPARE(steps::changeIndexAt(t, 9), std::optional<std::size_t>(2));
        QCOMPARE(steps::changeIndexAt(t, 10), std::optional<std::size_t>(3));
        QCOMPARE(steps::changeIndexAt(t, 15), std::optional<std::size_t>(5));
        QCOMPARE(steps::changeIndexAt(t, 1000), std::optional<std::size_t>(5));
    }

    void signalValueAt_data()
    {
        QTest::addColumn<qint64>("bar");
        QTest::addColumn<int>("value");
        const int expected[20] = {0, 0, 0, 1, 1, 1, 1, 0, 0, 0, -1, -1, 1, 1, 1, 0, 0, 0, 0, 0};
        for (int bar = 0; bar < 20; ++bar)
            QTest::addRow("bar %d", bar) << qint64(bar) << expected[bar];
        QTest::newRow("before 0") << qint64(-5) << 0;
        QTest::newRow("past the end keeps the last value") << qint64(25) << 0;
    }
    void signalValueAt()
    {
        QFETCH(qint64, bar);
        QFETCH(int, value);
        QCOMPARE(steps::valueAt(handSignal(), bar), std::optional<std::int32_t>(value));
    }

    void classifierValueAt()
    {
        const Trace t = handClassifier();
        QCOMPARE(t.regimes(), (std::vector<std::string>{"calm", "squeeze", "volatile", "trend"}));
        QCOMPARE(steps::valueAt(t, 0), none());
        QCOMPARE(steps::valueAt(t, 3), none());
        QCOMPARE(steps::valueAt(t, 4), std::optional<std::int32_t>(0));
        QCOMPARE(steps::valueAt(t, 8), std::optional<std::int32_t>(0));
        QCOMPARE(steps::valueAt(t, 9), std::optional<std::int32_t>(2)); // squeeze held zero bars
        QCOMPARE(steps::valueAt(t, 14), std::optional<std::int32_t>(3));
        QCOMPARE(steps::valueAt(t, 16), std::optional<std::int32_t>(3));
        QCOMPARE(steps::valueAt(t, 17), std::optional<std::int32_t>(0));
        QCOMPARE(steps::valueAt(t, 19), std::optional<std::int32_t>(0));
    }

    void emptyTraces()
    {
        const Trace signal = sigscope::test::emptyTrace(Kind::Signal, 3);
        QCOMPARE(steps::changeIndexAt(signal, 0), std::optional<std::size_t>());
        QCOMPARE(steps::valueAt(signal, 0), std::optional<std::int32_t>(0));
        QCOMPARE(steps::expand(signal, 0, 3), (std::vector<std::int32_t>{0, 0, 0}));

        const Trace classifier = sigscope::test::emptyTrace(Kind::Classifier, 0);
        QCOMPARE(steps::valueAt(classifier, 0), none());
        QCOMPARE(steps::expand(classifier, 0, 2), (std::vector<std::int32_t>{steps::kUnknown, steps::kUnknown}));
    }

    void expandSignal()
    {
        const Trace t = handSignal();
        QCOMPARE(steps::expand(t, 0, 20),
                 (std::vector<std::int32_t>{0, 0, 0, 1, 1, 1, 1, 0, 0, 0, -1, -1, 1, 1, 1, 0, 0, 0, 0, 0}));
        // Starting after several changes: the value entering the range comes from before it.
        QCOMPARE(steps::expand(t, 5, 13), (std::vector<std::int32_t>{1, 1, 0, 0, 0, -1, -1, 1}));
        QCOMPARE(steps::expand(t, 7, 8), (std::vector<std::int32_t>{0}));
        QCOMPARE(steps::expand(t, -2, 1), (std::vector<std::int32_t>{0, 0, 0}));
        QCOMPARE(steps::expand(t, 18, 22), (std::vector<std::int32_t>{0, 0, 0, 0}));
        QVERIFY(steps::expand(t, 5, 5).empty());
        QVERIFY(steps::expand(t, 5, 3).empty());
    }

    void expandClassifier()
    {
        const Trace t = handClassifier();
        QCOMPARE(steps::expand(t, 2, 6), (std::vector<std::int32_t>{-1, -1, 0, 0}));
        QCOMPARE(steps::expand(t, 8, 11), (std::vector<std::int32_t>{0, 2, 2}));
        QCOMPARE(steps::expand(t, 13, 18), (std::vector<std::int32_t>{2, 3, 3, 3, 0}));
    }

    // expand() agrees with valueAt() bar by bar on a longer irregular trace.
    void expandMatchesValueAt()
    {
        Trace t(TraceIdentity{Kind::Signal, "s", {}, {}, {}, {}, {}});
        std::int64_t bar = 1;
        for (int i = 0; i < 200; ++i) {
            bar += (i * 7) % 5; // includes same-bar changes
            t.appendSignal(bar, "", (i % 3) - 1);
        }
        const auto dense = steps::expand(t, -3, bar + 4);
        QCOMPARE(dense.size(), std::size_t(bar + 7));
        for (std::int64_t b = -3; b < bar + 4; ++b)
            QCOMPARE(dense[std::size_t(b + 3)], *steps::valueAt(t, b));
    }
};

QTEST_GUILESS_MAIN(TestSteps)
#include "tst_steps.moc"
