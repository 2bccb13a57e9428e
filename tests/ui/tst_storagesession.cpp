// The session behind the window (ui/session): traces load in the order asked for, load failures
// arrive as core::Finding naming the file, a cancelled request reports nothing, a market file
// that cannot be read is a failure and no exception, and the lanes of loaded traces carry the
// tree's names (core::query rules); entries without a changes hash are hashed in the background
// for the tree's identical variants.
#include "core/storage/storage.h"
#include "core/storage/traceio.h"
#include "tests/support/testsupport.h"
#include "tests/ui/uitestdata.h"
#include "tests/ui/windowtestutil.h"
#include "ui/charts/pricedata.h"
#include "ui/jobs/jobmonitor.h"
#include "ui/models/storagetreemodel.h"
#include "ui/session/laneselection.h"
#include "ui/session/storagesession.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <fstream>

using namespace sigscope;

namespace {

using test::kTimeout;
using test::pathOf;

bool openAndWait(ui::StorageSession& session, const QString& dir)
{
    QSignalSpy done(&session, &ui::StorageSession::opened);
    session.open(dir);
    return done.wait(kTimeout);
}

// Waits for the next tracesLoaded and returns it.
std::optional<ui::LoadedTraces> waitLoaded(ui::StorageSession& session, const QStringList& paths,
                                           ui::LoadedTraces::Purpose purpose = ui::LoadedTraces::Purpose::Lanes)
{
    std::optional<ui::LoadedTraces> loaded;
    const auto connection = QObject::connect(&session, &ui::StorageSession::tracesLoaded,
                                             [&loaded](const ui::LoadedTraces& result) { loaded = result; });
    session.loadTraces(paths, purpose);
    const bool arrived = QTest::qWaitFor([&loaded]() { return loaded.has_value(); }, kTimeout);
    QObject::disconnect(connection);
    return arrived ? loaded : std::nullopt;
}

} // namespace

class TestStorageSession : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        test::writeSampleStorage(m_dir.path().toStdString());
    }

    void loadsInTheOrderAsked()
    {
        ui::StorageSession session;
        session.setVerifyAfterRead(false);
        QVERIFY(openAndWait(session, m_dir.path()));
        const QStringList paths{pathOf(*session.model(), QStringLiteral("trend_classifier")),
                                pathOf(*session.model(), QStringLiteral("rsi_14"))};
        const auto loaded = waitLoaded(session, paths, ui::LoadedTraces::Purpose::Overview);
        QVERIFY(loaded);
        QCOMPARE(loaded->purpose, ui::LoadedTraces::Purpose::Overview);
        QCOMPARE(loaded->paths, paths);
        QCOMPARE(loaded->traces.size(), std::size_t(2));
        QCOMPARE(loaded->traces[0]->identity.name, std::string("trend_classifier"));
        QCOMPARE(loaded->traces[1]->identity.name, std::string("rsi_14"));
        QVERIFY(loaded->failures.empty());
        QVERIFY(!loaded->cancelled);
        QCOMPARE(session.cachedTrace(paths[1]), loaded->traces[1]);
    }

    void loadFailuresAreFindings()
    {
        QTemporaryDir dir;
        test::writeSampleStorage(dir.path().toStdString());
        ui::StorageSession session;
        session.setVerifyAfterRead(false);
        QVERIFY(openAndWait(session, dir.path()));
        const QString good = pathOf(*session.model(), QStringLiteral("rsi_21"));
        const QString bad = pathOf(*session.model(), QStringLiteral("rsi_14"));
        {
            QFile file(dir.path() + QLatin1Char('/') + bad);
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write("{\"metadata\": {\"strategy_name\": ");
        }
        // What the core reader says about the file: the finding carries it without the path.
        std::string reason;
        std::int64_t line = -1;
        try {
            core::loadTrace(QString(dir.path() + QLatin1Char('/') + bad).toStdString());
        } catch (const core::StorageError& e) {
            reason = e.reason();
            line = e.line();
        }
        QVERIFY(!reason.empty());

        QSignalSpy failed(&session, &ui::StorageSession::loadFailed);
        const auto loaded = waitLoaded(session, {bad, good});
        QVERIFY(loaded);
        QCOMPARE(loaded->paths, QStringList{good});
        QCOMPARE(loaded->traces.size(), std::size_t(1));
        const std::vector<core::Finding> expected{
            {core::Finding::Severity::Error, "load-failed", bad.toStdString(), line, reason}};
        QCOMPARE(loaded->failures, expected);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().at(0).value<std::vector<core::Finding>>(), expected);
        const QString where = line > 0 ? bad + QLatin1Char(':') + QString::number(line) : bad;
        QCOMPARE(ui::findingsText(expected), where + QStringLiteral(": ") + QString::fromStdString(reason));
    }

    void cancelledLoadReportsNothing()
    {
        ui::StorageSession session;
        session.setVerifyAfterRead(false);
        QVERIFY(openAndWait(session, m_dir.path()));
        QStringList paths;
        for (const QModelIndex& index : session.model()->traceIndexes({}))
            paths << index.data(ui::Role::FilePath).toString();
        QSignalSpy loaded(&session, &ui::StorageSession::tracesLoaded);
        QSignalSpy failed(&session, &ui::StorageSession::loadFailed);
        QSignalSpy idle(session.jobs(), &ui::JobMonitor::idle);
        session.loadTraces(paths, ui::LoadedTraces::Purpose::Lanes);
        session.cancelTraceLoading();
        QVERIFY(idle.wait(kTimeout) || !session.jobs()->isBusy());
        QTest::qWait(50); // a dropped result would arrive within the event loop turn
        QCOMPARE(loaded.size(), 0);
        QCOMPARE(failed.size(), 0);
        // The session stays usable: the next request loads.
        const auto next = waitLoaded(session, paths.mid(0, 1));
        QVERIFY(next);
        QCOMPARE(next->paths, paths.mid(0, 1));
    }

    void unreadableMarketFileIsAFailure()
    {
        ui::StorageSession session;
        QTemporaryDir dir;
        const QString csv = dir.path() + QStringLiteral("/SPY_1m.csv");
        {
            QFile file(csv);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("not,a,price,file\n");
        }
        const QString reason = ui::loadPriceSeries(csv).error;
        QVERIFY(!reason.isEmpty());
        QSignalSpy failed(&session, &ui::StorageSession::priceFailed);
        QSignalSpy loaded(&session, &ui::StorageSession::priceLoaded);
        session.loadPrice(csv);
        QVERIFY(failed.wait(kTimeout));
        QCOMPARE(failed.first().at(0).toString(), csv);
        QCOMPARE(failed.first().at(1).toString(), reason);
        QCOMPARE(loaded.size(), 0);
    }

    void lanesCarryTheTreeNames()
    {
        QTemporaryDir dir;
        test::writeSampleStorage(dir.path().toStdString());
        ui::StorageSession session;
        session.setVerifyAfterRead(false);
        QVERIFY(openAndWait(session, dir.path()));
        const ui::StorageTreeModel& model = *session.model();
        const QStringList paths{pathOf(model, QStringLiteral("trend_classifier")),
                                pathOf(model, QStringLiteral("rsi_14")),
                                pathOf(model, QStringLiteral("rsi_bands_14_70"))};
        const auto loaded = waitLoaded(session, paths);
        QVERIFY(loaded);
        const core::query::LaneSelection lanes = ui::laneSelection(*loaded, model);
        // Two symbols (SPY, QQQ): every label names its symbol; classifiers go to the bands.
        QCOMPARE(ui::toQStringList(lanes.signalLabels),
                 (QStringList{QStringLiteral("rsi_14 SPY"), QStringLiteral("rsi_bands_14_70 QQQ")}));
        QCOMPARE(ui::toQStringList(lanes.classifierLabels), QStringList{QStringLiteral("trend_classifier SPY")});
        QCOMPARE(ui::laneLabels(*loaded, model),
                 (QStringList{QStringLiteral("trend_classifier SPY"), QStringLiteral("rsi_14 SPY"),
                              QStringLiteral("rsi_bands_14_70 QQQ")}));
        QCOMPARE(ui::priceCsvFor(lanes, session.root()), QString());
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("market")));
        std::ofstream(QString(dir.path() + QStringLiteral("/market/SPY_1m.csv")).toStdString()) << "x\n";
        QCOMPARE(ui::priceCsvFor(lanes, session.root()), session.root() + QStringLiteral("/market/SPY_1m.csv"));
    }

    // The L6 workspace fixture has no changes hashes: with grouping on, a background job hashes
    // its 108 traces and the tree groups the 9 and 27 identical classifiers (as `sigscope info`).
    void unhashedEntriesAreHashedInTheBackground()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        const QString dir = QString::fromStdString(
            (fixtures / "parquet-schema-b" / "workspaces" / "expansive_grid_search_554da6c6").string());
        ui::StorageSession session;
        session.setVerifyAfterRead(false);
        ui::StorageTreeModel& model = *session.model();
        QVERIFY(openAndWait(session, dir));
        const QModelIndex micro = model.typeIndex(core::Kind::Classifier, QStringLiteral("microstructure_grid"));
        QCOMPARE(model.rowCount(micro), 9);
        QVERIFY(!session.jobs()->isBusy() || QTest::qWaitFor([&]() { return !session.jobs()->isBusy(); }, kTimeout));
        QVERIFY(model.computedHashes().empty()); // grouping off: nothing read

        QSignalSpy idle(session.jobs(), &ui::JobMonitor::idle);
        model.setGroupVariants(true);
        QVERIFY(idle.wait(kTimeout));
        QCOMPARE(model.computedHashes().size(), std::size_t(108));
        QCOMPARE(model.rowCount(micro), 1);
        QCOMPARE(model.index(0, 0, micro).data().toString(), QStringLiteral("9 variants, one classifier"));
        const QModelIndex vol = model.typeIndex(core::Kind::Classifier, QStringLiteral("volatility_momentum_grid"));
        QCOMPARE(model.rowCount(vol), 1);
        QCOMPARE(model.index(0, 0, vol).data(ui::Role::TraceCount).toInt(), 27);
        QCOMPARE(model.traceCount(), 108);
        // A re-read of the same folder reads no file again.
        QSignalSpy reloaded(&session, &ui::StorageSession::reloaded);
        session.reload();
        QVERIFY(reloaded.wait(kTimeout));
        QVERIFY(!session.jobs()->isBusy() || idle.wait(kTimeout));
        QCOMPARE(model.rowCount(micro), 1);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestStorageSession)
#include "tst_storagesession.moc"
