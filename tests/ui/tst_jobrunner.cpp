// The "latest request wins" job helper: staleness, cancellation through the core progress
// callback, delivery only to living receivers, throttled progress, errors. No timing: jobs
// are held on semaphores and the test waits on signals.
#include "ui/jobs/jobmonitor.h"
#include "ui/jobs/jobrunner.h"

#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>

#include <atomic>
#include <stdexcept>

using namespace sigscope;
using sigscope::ui::JobRunner;

class TestJobRunner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void deliversResult();
    void newerRequestWins();
    void cancelStopsWorkThroughProgressCallback();
    void deadReceiverGetsNothing();
    void errorReachesOnError();
    void progressThrottledToPerMille();
    void monitorReportsIdleAfterFollowUpJobs();
};

void TestJobRunner::deliversResult()
{
    JobRunner runner(QStringLiteral("t"));
    QObject receiver;
    std::shared_ptr<const int> got;
    QSignalSpy finished(&runner, &JobRunner::finished);
    runner.run(QStringLiteral("answer"), [](const core::ProgressCallback&) { return 42; }, &receiver,
               [&](const std::shared_ptr<const int>& value) { got = value; });
    QVERIFY(runner.isBusy());
    QVERIFY(finished.wait(30000));
    QVERIFY(got);
    QCOMPARE(*got, 42);
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QVERIFY(!runner.isBusy());
}

void TestJobRunner::newerRequestWins()
{
    JobRunner runner(QStringLiteral("t"));
    QObject receiver;
    auto gate = std::make_shared<QSemaphore>(0);
    auto firstStarted = std::make_shared<QSemaphore>(0);
    auto firstReturned = std::make_shared<QSemaphore>(0);
    QList<int> delivered;
    runner.run(QStringLiteral("old"), [gate, firstStarted, firstReturned](const core::ProgressCallback&) {
        firstStarted->release();
        gate->acquire();
        firstReturned->release();
        return 1;
    }, &receiver, [&](const std::shared_ptr<const int>& v) { delivered << *v; });
    QVERIFY(firstStarted->tryAcquire(1, 30000)); // (a request cancelled before it starts never runs)
    QSignalSpy finished(&runner, &JobRunner::finished);
    runner.run(QStringLiteral("new"), [](const core::ProgressCallback&) { return 2; }, &receiver,
               [&](const std::shared_ptr<const int>& v) { delivered << *v; });
    QVERIFY(finished.wait(30000));
    QCOMPARE(delivered, QList<int>{2});
    // Let the stale job finish; its result must never arrive.
    gate->release();
    QVERIFY(firstReturned->tryAcquire(1, 30000));
    QSignalSpy third(&runner, &JobRunner::finished);
    runner.run(QStringLiteral("third"), [](const core::ProgressCallback&) { return 3; }, &receiver,
               [&](const std::shared_ptr<const int>& v) { delivered << *v; });
    QVERIFY(third.wait(30000));
    QCOMPARE(delivered, (QList<int>{2, 3}));
    QCOMPARE(finished.count(), 2); // one per request that was not superseded
}

void TestJobRunner::cancelStopsWorkThroughProgressCallback()
{
    JobRunner runner(QStringLiteral("t"));
    QObject receiver;
    auto started = std::make_shared<QSemaphore>(0);
    auto stopped = std::make_shared<QSemaphore>(0);
    bool delivered = false;
    runner.run(QStringLiteral("endless"), [started, stopped](const core::ProgressCallback& progress) {
        started->release();
        std::uint64_t i = 0;
        while (progress(core::Progress{i % 1000, 1000, 0, 0, 0, {}}))
            ++i;
        stopped->release();
        return i;
    }, &receiver, [&](const std::shared_ptr<const std::uint64_t>&) { delivered = true; });
    QVERIFY(started->tryAcquire(1, 30000));
    QSignalSpy finished(&runner, &JobRunner::finished);
    runner.cancel();
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QVERIFY(!runner.isBusy());
    QVERIFY(stopped->tryAcquire(1, 30000)); // the callback returned false
    QTest::qWait(0);
    QVERIFY(!delivered);
}

void TestJobRunner::deadReceiverGetsNothing()
{
    JobRunner runner(QStringLiteral("t"));
    auto receiver = std::make_unique<QObject>();
    auto gate = std::make_shared<QSemaphore>(0);
    bool delivered = false;
    runner.run(QStringLiteral("late"), [gate](const core::ProgressCallback&) {
        gate->acquire();
        return 7;
    }, receiver.get(), [&](const std::shared_ptr<const int>&) { delivered = true; });
    receiver.reset();
    QSignalSpy finished(&runner, &JobRunner::finished);
    gate->release();
    QVERIFY(finished.wait(30000));
    QVERIFY(!delivered);
}

void TestJobRunner::errorReachesOnError()
{
    JobRunner runner(QStringLiteral("t"));
    QObject receiver;
    QString error;
    QSignalSpy finished(&runner, &JobRunner::finished);
    runner.run(
        QStringLiteral("broken"),
        [](const core::ProgressCallback&) -> int { throw std::runtime_error("signals/x/a.json: bad"); }, &receiver,
        [](const std::shared_ptr<const int>&) { QFAIL("no result expected"); },
        [&](const QString& message) { error = message; });
    QVERIFY(finished.wait(30000));
    QCOMPARE(error, QStringLiteral("signals/x/a.json: bad"));
    QCOMPARE(finished.at(0).at(1).toString(), QStringLiteral("signals/x/a.json: bad"));
}

void TestJobRunner::progressThrottledToPerMille()
{
    JobRunner runner(QStringLiteral("t"));
    QObject receiver;
    QList<int> seen;
    connect(&runner, &JobRunner::progressChanged, &receiver, [&](int v) { seen << v; });
    QSignalSpy finished(&runner, &JobRunner::finished);
    runner.run(QStringLiteral("many"), [](const core::ProgressCallback& progress) {
        constexpr std::uint64_t total = 1'000'000;
        for (std::uint64_t i = 0; i <= total; ++i)
            progress(core::Progress{i, total, 0, 0, 0, {}});
        return 0;
    }, &receiver, [](const std::shared_ptr<const int>&) {});
    QVERIFY(finished.wait(30000));
    QVERIFY(seen.size() <= 1001);
    for (qsizetype i = 1; i < seen.size(); ++i)
        QVERIFY(seen[i] > seen[i - 1]);
    for (int v : seen)
        QVERIFY(v >= 0 && v <= 1000);
}

void TestJobRunner::monitorReportsIdleAfterFollowUpJobs()
{
    ui::JobMonitor monitor;
    JobRunner first(QStringLiteral("a"));
    JobRunner second(QStringLiteral("b"));
    monitor.addRunner(&first);
    monitor.addRunner(&second);
    QObject receiver;
    bool secondDone = false;
    QSignalSpy idle(&monitor, &ui::JobMonitor::idle);
    first.run(QStringLiteral("a"), [](const core::ProgressCallback&) { return 1; }, &receiver,
              [&](const std::shared_ptr<const int>&) {
                  second.run(QStringLiteral("b"), [](const core::ProgressCallback&) { return 2; }, &receiver,
                             [&](const std::shared_ptr<const int>&) { secondDone = true; });
              });
    QVERIFY(monitor.isBusy());
    QVERIFY(idle.wait(30000));
    QVERIFY(secondDone);
    QCOMPARE(idle.count(), 1);
    QVERIFY(!monitor.isBusy());
}

QTEST_MAIN(TestJobRunner)
#include "tst_jobrunner.moc"
