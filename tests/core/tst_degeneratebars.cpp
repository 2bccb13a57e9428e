// Degenerate bar indices (upstream's idx 0 for every change) and their replacement by the rank
// of each change's time: on a generated trace and on the version-0 fixture.
#include "core/analysis/degeneratebars.h"
#include "core/storage/storage.h"
#include "core/storage/traceio.h"
#include "tests/support/testsupport.h"

#include <QTest>

using namespace sigscope::core;

namespace {

using TracePtr = std::shared_ptr<const Trace>;

// Like upstream's mean_reversion_bb: every change on bar 0, times 10 ms apart.
TracePtr allOnBarZero(int changes, std::int64_t bar = 0)
{
    auto t = std::make_shared<Trace>(TraceIdentity{Kind::Signal, "mr", {}, "SPY", "1m", {}, {}}, "mean_reversion");
    for (int i = 0; i < changes; ++i)
        t->appendSignal(bar, "2025-06-13T11:28:25." + std::to_string(500 + 10 * i) + "000", i % 2 == 0 ? -1 : 0);
    return t;
}

TracePtr regimeAt(const std::string& time)
{
    auto t = std::make_shared<Trace>(TraceIdentity{Kind::Classifier, "trend", {}, "SPY", "1m", {}, {}}, "trend");
    t->appendRegime(0, time, "ranging", 0.5);
    return t;
}

} // namespace

class TestDegenerateBars : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void detection()
    {
        QVERIFY(degenerateBars({allOnBarZero(12)}));
        QVERIFY(degenerateBars({allOnBarZero(2, 7)})); // one bar, whichever it is
        QVERIFY(!degenerateBars({allOnBarZero(1)}));   // one time only
        QVERIFY(!degenerateBars({}));
        QVERIFY(!degenerateBars({allOnBarZero(3, 0), allOnBarZero(3, 1)})); // two bars
        // Two traces with one change each at distinct times on the same bar: degenerate together.
        QVERIFY(degenerateBars({regimeAt("2025-06-13T11:28:25.541274"), regimeAt("2025-06-13T11:28:25.600000")}));
        auto noTimes = std::make_shared<Trace>(TraceIdentity{Kind::Signal, "n", {}, {}, {}, {}, {}}, "n");
        noTimes->appendSignal(0, "", 1);
        noTimes->appendSignal(0, "", 0);
        QVERIFY(!degenerateBars({noTimes}));
    }

    void barsAreTimeRanks()
    {
        const auto out = barsFromTimes({allOnBarZero(4), regimeAt("2025-06-13T11:28:25.515000")});
        QCOMPARE(out.size(), std::size_t(2));
        const Trace& s = *out[0];
        QCOMPARE(std::vector<std::int64_t>(s.bars().begin(), s.bars().end()), (std::vector<std::int64_t>{0, 1, 3, 4}));
        QCOMPARE(std::vector<std::int32_t>(s.values().begin(), s.values().end()), (std::vector<std::int32_t>{-1, 0, -1, 0}));
        QCOMPARE(QString::fromStdString(s.timeText(1)), QStringLiteral("2025-06-13T11:28:25.510000"));
        QCOMPARE(s.identity, out[0]->identity);
        QCOMPARE(out[1]->bar(0), std::int64_t(2)); // 11:28:25.515 falls between the second and third
        QCOMPARE(std::string(out[1]->regimeName(0)), std::string("ranging"));
        QCOMPARE(out[1]->confidence(0), 0.5);
        QVERIFY(!degenerateBars(out));
    }

    void containerSymbol()
    {
        QCOMPARE(symbolFromContainer(Kind::Signal, "mean_reversion_bb", "strategy_SPY_mean_reversion_bb"),
                 std::optional<std::string>("SPY"));
        QCOMPARE(symbolFromContainer(Kind::Classifier, "trend", "classifier_QQQ_trend"), std::optional<std::string>("QQQ"));
        QCOMPARE(symbolFromContainer(Kind::Classifier, "trend", "strategy_QQQ_trend"), std::nullopt);
        QCOMPARE(symbolFromContainer(Kind::Signal, "mr", "strategy__mr"), std::nullopt);
    }

    void upstreamFixture()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        const auto root = fixtures / "upstream" / "analytics_storage";
        const TracePtr signal = std::make_shared<Trace>(
            loadTrace(root / "signals" / "mean_reversion" / "mean_reversion_99914b93.json"));
        const TracePtr trend = std::make_shared<Trace>(
            loadTrace(root / "classifiers" / "trend" / "trend_classifier_99914b93.json"));
        QCOMPARE(signal->size(), std::size_t(12));
        // One symbol everywhere: the files say "UNKNOWN" or nothing, their container ids say SPY.
        QCOMPARE(signal->identity.symbol, std::optional<std::string>("SPY"));
        QCOMPARE(trend->identity.symbol, std::optional<std::string>("SPY"));
        const Storage storage = Storage::open(root);
        const TypeIndex index = storage.readIndex(Kind::Signal, "mean_reversion");
        QCOMPARE(index.entries.size(), std::size_t(1));
        QCOMPARE(index.entries[0].symbol, std::optional<std::string>("SPY"));
        QVERIFY(degenerateBars({signal}));
        QVERIFY(degenerateBars({signal, trend}));
        const auto out = barsFromTimes({signal, trend});
        QCOMPARE(out[1]->bar(0), std::int64_t(0)); // the classifier's change is the earliest
        QCOMPARE(out[0]->bar(0), std::int64_t(1));
        QCOMPARE(out[0]->bar(11), std::int64_t(12));
    }
};

QTEST_GUILESS_MAIN(TestDegenerateBars)
#include "tst_degeneratebars.moc"
