// The trace model: time texts kept exactly, regime dictionary, column memory, total bars.
#include "core/model/trace.h"
#include "core/storage/traceio.h"

#include <QTest>

using namespace sigscope::core;

class TestTraceModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void timeTextRoundTrip_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<qint64>("micros");
        QTest::newRow("offset") << QStringLiteral("2024-03-26T13:59:00+00:00") << true << qint64(1711461540000000);
        QTest::newRow("naive micros") << QStringLiteral("2025-06-13T11:28:25.541274") << true
                                      << qint64(1749814105541274);
        QTest::newRow("Z") << QStringLiteral("2024-03-26T13:59:00Z") << true << qint64(1711461540000000);
        QTest::newRow("negative offset") << QStringLiteral("2024-03-26T08:59:00-05:00") << true
                                         << qint64(1711461540000000);
        QTest::newRow("invalid day") << QStringLiteral("2024-01-32T10:00:00") << false << qint64(0);
        QTest::newRow("garbage") << QStringLiteral("yesterday") << false << qint64(0);
        QTest::newRow("empty") << QString() << false << qint64(0);
    }
    void timeTextRoundTrip()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(qint64, micros);
        Trace t;
        t.appendSignal(0, text.toStdString(), 1);
        QCOMPARE(QString::fromStdString(t.timeText(0)), text);
        QCOMPARE(t.time(0) != kNoTime, valid);
        if (valid)
            QCOMPARE(t.time(0), std::int64_t(micros));
    }

    void mixedFormatsInOneTrace()
    {
        const std::vector<std::string> texts = {"2024-03-26T13:59:00+00:00", "2024-03-26T14:00:00+00:00",
                                                "2025-06-13T11:28:25.541274", "2024-01-32T10:00:00", "",
                                                "2024-03-26 14:02:00Z", "2024-03-26T14:03:00+00:00"};
        Trace t;
        for (std::size_t i = 0; i < texts.size(); ++i)
            t.appendSignal(std::int64_t(i), texts[i], i % 2 ? 1 : -1);
        for (std::size_t i = 0; i < texts.size(); ++i)
            QCOMPARE(t.timeText(i), texts[i]);
        QCOMPARE(t.time(3), kNoTime);
        QCOMPARE(t.time(4), kNoTime);
        // Also through a file.
        const Trace back = parseTrace(serializeTrace(t), "x.json");
        for (std::size_t i = 0; i < texts.size(); ++i)
            QCOMPARE(back.timeText(i), texts[i]);
    }

    void regimeDictionary()
    {
        Trace t(TraceIdentity{Kind::Classifier, "trend", {}, std::nullopt, std::nullopt, std::nullopt, {}});
        t.appendRegime(0, "", "up");
        t.appendRegime(3, "", "down", 0.5);
        t.appendRegime(7, "", "up", 0.25, 12.5);
        QCOMPARE(t.regimes(), (std::vector<std::string>{"up", "down"}));
        QCOMPARE(std::vector<std::int32_t>(t.values().begin(), t.values().end()), (std::vector<std::int32_t>{0, 1, 0}));
        QCOMPARE(std::string(t.regimeName(2)), std::string("up"));
        QCOMPARE(t.valueText(1), std::string("down"));
        QCOMPARE(t.confidence(0), 1.0);
        QCOMPARE(t.confidence(1), 0.5);
        QCOMPARE(t.price(2), 12.5);
        QCOMPARE(t.price(0), 0.0);
        QCOMPARE(t.regimeId("down"), 1);
        QCOMPARE(t.regimeId("flat"), 2);
    }

    // A non-default price or confidence on the very first change must be kept.
    void firstChangeColumns()
    {
        Trace s;
        s.appendSignal(1, "", 1, 522.0);
        s.appendSignal(2, "", -1);
        QCOMPARE(s.price(0), 522.0);
        QCOMPARE(s.price(1), 0.0);
        Trace c(TraceIdentity{Kind::Classifier, "x", {}, std::nullopt, std::nullopt, std::nullopt, {}});
        c.appendRegime(0, "", "a", 0.5);
        c.appendRegime(1, "", "b");
        QCOMPARE(c.confidence(0), 0.5);
        QCOMPARE(c.confidence(1), 1.0);
    }

    void memoryPerChange_data()
    {
        QTest::addColumn<bool>("classifier");
        QTest::addColumn<bool>("prices");
        QTest::newRow("signal") << false << false;
        QTest::newRow("signal with prices") << false << true;
        QTest::newRow("classifier with confidences") << true << false;
    }
    void memoryPerChange()
    {
        QFETCH(bool, classifier);
        QFETCH(bool, prices);
        constexpr std::size_t n = 100000;
        Trace t(TraceIdentity{classifier ? Kind::Classifier : Kind::Signal, "m", {}, "SPY", "1m", std::nullopt, {}});
        for (std::size_t i = 0; i < n; ++i) {
            const std::int64_t micros = 1711461540000000 + std::int64_t(i) * 60000000;
            const TimeFormat format{'T', 0, TimeFormat::Zone::Offset, 0};
            if (classifier)
                t.appendRegimeAt(std::int64_t(i), micros, format, i % 3 ? "low" : "high", 0.5 + double(i % 5) / 10);
            else
                t.appendSignalAt(std::int64_t(i), micros, format, i % 2 ? 1 : -1, prices ? 500.0 + double(i) : 0.0);
        }
        t.shrinkToFit();
        QVERIFY2(t.memoryBytes() <= 32 * n, qPrintable(QString::number(double(t.memoryBytes()) / n)));
        if (!prices)
            return;
        // Loading a file holds no more than that either (the widest case; kept to one row for speed).
        const Trace back = parseTrace(serializeTrace(t), "m.json");
        QCOMPARE(back.size(), n);
        QVERIFY2(back.memoryBytes() <= 32 * n, qPrintable(QString::number(double(back.memoryBytes()) / n)));
        QCOMPARE(back.timeText(n - 1), t.timeText(n - 1));
    }

    void effectiveTotalBars_data()
    {
        QTest::addColumn<qint64>("recorded");
        QTest::addColumn<qint64>("lastIdx"); // -1: no changes
        QTest::addColumn<qint64>("expected");
        QTest::newRow("recorded wins") << qint64(1000) << qint64(41) << qint64(1000);
        QTest::newRow("upstream zero") << qint64(0) << qint64(41) << qint64(42);
        QTest::newRow("upstream last index") << qint64(41) << qint64(41) << qint64(42);
        QTest::newRow("empty trace") << qint64(7) << qint64(-1) << qint64(7);
    }
    void effectiveTotalBars()
    {
        QFETCH(qint64, recorded);
        QFETCH(qint64, lastIdx);
        QFETCH(qint64, expected);
        Trace t;
        t.metadata.totalBars = recorded;
        if (lastIdx >= 0) {
            t.appendSignal(0, "", 1);
            t.appendSignal(lastIdx, "", 0);
        }
        QCOMPARE(t.effectiveTotalBars(), std::int64_t(expected));
    }
};

QTEST_GUILESS_MAIN(TestTraceModel)
#include "tst_trace_model.moc"
