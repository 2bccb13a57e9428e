// Sessions: the JSON file (exact keys, round trip, errors naming file and reason), Save Session →
// Open Session in a fresh window restores storage, filter, selection, chart mode, axis, zoom and
// panels exactly, a storage that no longer exists is reported, and the last session (in the app's
// config folder, never in the storage) is restored on start.
#include "ui/charts/tracechart.h"
#include "ui/mainwindow/chartpanel.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/mainwindow/sessionactions.h"
#include "ui/mainwindow/storagepanel.h"
#include "ui/session/sessionfile.h"
#include "uitestdata.h"
#include "windowtestutil.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace sigscope;
using test::kTimeout;
using test::pathOf;
using test::waitSettled;
using ui::SessionState;

namespace {

bool openAndWait(ui::MainWindow& window, const QString& dir)
{
    QSignalSpy opened(window.session(), &ui::StorageSession::opened);
    window.openStorage(dir);
    return opened.wait(kTimeout) && waitSettled(window);
}

// Settled twice: the storage, then the selection the session makes, then its view.
bool waitSessionApplied(ui::MainWindow& window)
{
    return waitSettled(window) && waitSettled(window) && waitSettled(window);
}

void writeText(const QString& path, const QByteArray& text)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
}

} // namespace

class TestSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("sigscope-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_session"));
        QVERIFY(m_dir.isValid());
        m_storage = m_dir.filePath(QStringLiteral("storage"));
        test::writeSampleStorage(m_storage.toStdString());
    }

    void init()
    {
        QSettings().clear();
        QFile::remove(ui::SessionActions::lastSessionPath());
    }

    void jsonExactAndRoundTrip()
    {
        SessionState state;
        state.storage = QStringLiteral("/data/sweep");
        state.filter = QStringLiteral("rsi period=14");
        state.selection = {QStringLiteral("/data/sweep/a.json"), QStringLiteral("/data/sweep/b.json")};
        state.chartMode = QStringLiteral("overlay");
        state.axis = QStringLiteral("time");
        state.zoom = std::make_pair(12.5, 80.0);
        state.selectedBars = std::make_pair(qint64(20), qint64(45));
        state.panels = {{QStringLiteral("main"), QByteArray("\x00\xff\x10", 3)}};
        const QByteArray json = ui::sessionToJson(state);
        const QJsonObject root = QJsonDocument::fromJson(json).object();
        QCOMPARE(root.value(QStringLiteral("sigscope_session")).toInt(), 1);
        QCOMPARE(root.value(QStringLiteral("storage")).toString(), QStringLiteral("/data/sweep"));
        QCOMPARE(root.value(QStringLiteral("chart_mode")).toString(), QStringLiteral("overlay"));
        QCOMPARE(root.value(QStringLiteral("zoom")).toArray().at(0).toDouble(), 12.5);
        QCOMPARE(root.value(QStringLiteral("selected_bars")).toArray(), (QJsonArray{20, 45}));
        QCOMPARE(root.value(QStringLiteral("panels")).toObject().value(QStringLiteral("main")).toString(),
                 QStringLiteral("AP8Q"));
        QString error;
        const auto back = ui::sessionFromJson(json, &error);
        QVERIFY2(back.has_value(), qPrintable(error));
        QVERIFY(*back == state);

        const QString path = m_dir.filePath(QStringLiteral("s.json"));
        QVERIFY(ui::writeSessionFile(path, state, &error));
        const auto read = ui::readSessionFile(path, &error);
        QVERIFY(read.has_value());
        QVERIFY(*read == state);
    }

    void badFiles_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("reason");
        QTest::newRow("not json") << QByteArray("{\"sigscope_session\": 1,") << QStringLiteral("not JSON (");
        QTest::newRow("no version") << QByteArray("{\"storage\": \"/x\"}")
                                    << QStringLiteral("not a sigscope session (no \"sigscope_session\" version)");
        QTest::newRow("version 2") << QByteArray("{\"sigscope_session\": 2, \"storage\": \"/x\"}")
                                   << QStringLiteral("session version 2 is not supported (this sigscope reads version 1)");
        QTest::newRow("no storage") << QByteArray("{\"sigscope_session\": 1}") << QStringLiteral("no \"storage\" folder");
        QTest::newRow("bad axis") << QByteArray("{\"sigscope_session\": 1, \"storage\": \"/x\", \"axis\": \"log\"}")
                                  << QStringLiteral("unknown chart_mode \"lanes\" or axis \"log\"");
    }

    void badFiles()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, reason);
        const QString path = m_dir.filePath(QStringLiteral("bad.json"));
        writeText(path, content);
        QString error;
        QVERIFY(!ui::readSessionFile(path, &error).has_value());
        QVERIFY2(error.startsWith(QDir::toNativeSeparators(path) + QStringLiteral(" is not a usable session: ") + reason),
                 qPrintable(error));
    }

    void missingFileAndGoneStorage()
    {
        ui::MainWindow window;
        window.setScripted(true);
        QSignalSpy errors(&window, &ui::MainWindow::errorReported);
        const QString missing = m_dir.filePath(QStringLiteral("nope.json"));
        QVERIFY(!window.sessionActions()->openSession(missing));
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.at(0).at(1).toString(),
                 QStringLiteral("Cannot read the session %1: No such file or directory").arg(missing));

        SessionState gone;
        gone.storage = m_dir.filePath(QStringLiteral("deleted-storage"));
        const QString path = m_dir.filePath(QStringLiteral("gone.json"));
        QString error;
        QVERIFY(ui::writeSessionFile(path, gone, &error));
        QVERIFY(!window.sessionActions()->openSession(path));
        QCOMPARE(errors.size(), 2);
        QCOMPARE(errors.at(1).at(1).toString(),
                 QStringLiteral("The session %1 names the storage %2, which no longer exists.").arg(path, gone.storage));
    }

    void saveOpenRoundTrip()
    {
        const QString path = m_dir.filePath(QStringLiteral("round.sigscope-session.json"));
        SessionState saved;
        {
            ui::MainWindow window;
            window.setScripted(true);
            window.resize(1200, 800);
            QVERIFY(openAndWait(window, m_storage));
            window.storagePanel()->setFilterText(QStringLiteral("rsi"));
            const QStringList selection = {pathOf(*window.session()->model(), QStringLiteral("rsi_14")),
                                           pathOf(*window.session()->model(), QStringLiteral("rsi_21"))};
            window.storagePanel()->selectPaths(selection);
            QVERIFY(waitSettled(window));
            window.chartPanel()->setOverlay(true);
            window.chartPanel()->chart()->setVisibleRange({10, 40});
            window.chartPanel()->chart()->setSelectedBars(std::make_pair(qint64(12), qint64(30)));
            QString error;
            QVERIFY2(window.sessionActions()->saveSession(path, &error), qPrintable(error));
            saved = window.sessionActions()->capture();
            QCOMPARE(saved.storage, m_storage);
            QCOMPARE(saved.filter, QStringLiteral("rsi"));
            QCOMPARE(saved.selection.size(), 2);
            QCOMPARE(saved.chartMode, QStringLiteral("overlay"));
            QVERIFY(saved.zoom == std::make_pair(10.0, 40.0));
            QVERIFY(saved.selectedBars == std::make_pair(qint64(12), qint64(30)));
        }
        QVERIFY(!QFileInfo::exists(QDir(m_storage).filePath(QStringLiteral("last-session.json"))));
        ui::MainWindow window;
        window.setScripted(true);
        window.resize(1200, 800);
        QVERIFY(window.sessionActions()->openSession(path));
        QVERIFY(waitSessionApplied(window));
        const SessionState restored = window.sessionActions()->capture();
        QCOMPARE(restored.storage, saved.storage);
        QCOMPARE(restored.filter, saved.filter);
        QCOMPARE(restored.selection, saved.selection);
        QCOMPARE(restored.chartMode, saved.chartMode);
        QCOMPARE(restored.axis, saved.axis);
        QVERIFY(restored.zoom == saved.zoom);
        QVERIFY(restored.selectedBars == saved.selectedBars);
        QCOMPARE(window.shownPaths().size(), 2);
    }

    void lastSessionRestoredOnStart()
    {
        {
            ui::MainWindow window; // not scripted: it keeps the last session
            window.resize(1200, 800);
            QVERIFY(openAndWait(window, m_storage));
            window.storagePanel()->selectPaths({pathOf(*window.session()->model(), QStringLiteral("ma_crossover_5_20"))});
            QVERIFY(waitSettled(window));
            window.chartPanel()->setAxisMode(ui::AxisMode::Bars);
            window.chartPanel()->chart()->setVisibleRange({20, 60});
            window.sessionActions()->saveLastSession();
        }
        const QString last = ui::SessionActions::lastSessionPath();
        QVERIFY(QFileInfo::exists(last));
        QVERIFY(last.startsWith(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)));
        QSettings().setValue(QStringLiteral("storage/reopenLast"), true);
        ui::MainWindow window;
        window.resize(1200, 800);
        QVERIFY(window.restoreLastSession());
        QVERIFY(waitSessionApplied(window));
        QCOMPARE(window.session()->root(), m_storage);
        QCOMPARE(window.shownPaths(), QStringList{pathOf(*window.session()->model(), QStringLiteral("ma_crossover_5_20"))});
        QCOMPARE(window.chartPanel()->chart()->visibleRange(), (ui::BarRange{20, 60}));
    }

private:
    QTemporaryDir m_dir;
    QString m_storage;
};

QTEST_MAIN(TestSession)
#include "tst_session.moc"
