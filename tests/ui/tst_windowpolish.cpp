// Issue 15's window defects, each driven as a user would (offscreen): window shortcuts whatever
// has focus, actions that need a storage, the status summary kept by verification, settings
// written when they change, the filter history, the no-match hint, filtered counts, the
// transitions table and details panel following the selection, names elided in the middle and
// the first-start size.
#include "core/storage/writer.h"
#include "tests/support/testsupport.h"
#include "tests/ui/uitestdata.h"
#include "tests/ui/windowtestutil.h"
#include "ui/dialogs/exportdialog.h"
#include "ui/mainwindow/chartpanel.h"
#include "ui/mainwindow/detailspanel.h"
#include "ui/mainwindow/transitionspanel.h"
#include "ui/models/transitionsmodel.h"
#include "ui/mainwindow/exportactions.h"
#include "ui/mainwindow/jobstatus.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/mainwindow/storagepanel.h"
#include "ui/models/roles.h"
#include "ui/models/storagetreemodel.h"
#include "ui/session/storagesession.h"

#include <QAction>
#include <QAbstractItemView>
#include <QApplication>
#include <QKeyEvent>
#include <QCompleter>
#include <QLabel>
#include <QScreen>
#include <QTextBrowser>
#include <QFile>
#include <QHeaderView>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>

using namespace sigscope;

namespace {

using test::kTimeout;
using test::pathOf;
using test::waitSettled;

bool openAndWait(ui::MainWindow& window, const QString& dir)
{
    QSignalSpy opened(window.session(), &ui::StorageSession::opened);
    window.openStorage(dir);
    return opened.wait(kTimeout) && waitSettled(window);
}

// Accepts the ShortcutOverride of Ctrl+E, as QLineEdit does where Ctrl+E is MoveToEndOfLine.
class ClaimCtrlE : public QObject
{
public:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::ShortcutOverride) {
            const auto* key = static_cast<QKeyEvent*>(event);
            if (key->key() == Qt::Key_E && key->modifiers() == Qt::ControlModifier) {
                event->accept();
                return true;
            }
        }
        return QObject::eventFilter(watched, event);
    }
};

QAction* action(const ui::MainWindow& window, const char* name)
{
    return window.findChild<QAction*>(QString::fromLatin1(name));
}

} // namespace

class TestWindowPolish : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("sigscope-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_windowpolish"));
        QVERIFY(m_dir.isValid());
        m_storage = m_dir.filePath(QStringLiteral("storage"));
        test::writeSampleStorage(m_storage.toStdString());
    }

    void init() { QSettings().clear(); }

    // #3: the filter has focus (as at start-up) and Ctrl+E still opens the export dialog.
    void shortcutsWorkFromTheFilter()
    {
        ui::MainWindow window;
        window.setScripted(true);
        window.resize(1200, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY(openAndWait(window, m_storage));
        window.storagePanel()->selectPaths({pathOf(*window.session()->model(), QStringLiteral("rsi_14"))});
        QVERIFY(waitSettled(window));

        QLineEdit* filter = window.storagePanel()->filterEdit();
        // Under the X11 keyboard scheme a line edit claims Ctrl+E (end of line) in its
        // ShortcutOverride; the offscreen theme's scheme does not, so the field claims it here
        // the same way.
        ClaimCtrlE claim;
        filter->installEventFilter(&claim);
        window.storagePanel()->focusFilter();
        QTRY_VERIFY(filter->hasFocus());
        QSignalSpy triggered(action(window, "actionExportChart"), &QAction::triggered);
        bool dialogSeen = false;
        QTimer::singleShot(0, this, [&dialogSeen]() {
            for (QWidget* top : QApplication::topLevelWidgets()) {
                if (auto* dialog = qobject_cast<ui::ExportDialog*>(top); dialog && dialog->isVisible()) {
                    dialogSeen = true;
                    dialog->reject();
                }
            }
        });
        QTest::keyClick(filter, Qt::Key_E, Qt::ControlModifier);
        QCOMPARE(triggered.size(), 1);
        QVERIFY(dialogSeen);

        // Ctrl+R (overview of the filter result) too; plain editing keys stay with the field.
        filter->setText(QStringLiteral("rsi"));
        QVERIFY(waitSettled(window));
        window.activateWindow(); // back from the dialog
        QVERIFY(QTest::qWaitForWindowActive(&window));
        window.storagePanel()->focusFilter();
        QTRY_VERIFY(filter->hasFocus());
        QSignalSpy overview(window.findChild<QAction*>(QStringLiteral("actionOverviewOfFilter")), &QAction::triggered);
        QTest::keyClick(filter, Qt::Key_R, Qt::ControlModifier);
        QCOMPARE(overview.size(), 1);
        filter->setCursorPosition(3);
        QTest::keyClick(filter, Qt::Key_Home);
        QCOMPARE(filter->cursorPosition(), 0);
    }

    // #15: nothing to verify or export before a storage is open; after it, the open summary
    // stays in the status bar with the verification's verdict.
    void storageActionsAndSummary()
    {
        ui::MainWindow window;
        window.setScripted(true);
        window.show();
        for (const char* name : {"actionVerify", "actionExportChart", "actionCopyChart", "actionReload"})
            QVERIFY2(!action(window, name)->isEnabled(), name);

        QSignalSpy verified(window.session(), &ui::StorageSession::verified);
        QVERIFY(openAndWait(window, m_storage));
        if (verified.isEmpty())
            QVERIFY(verified.wait(kTimeout));
        for (const char* name : {"actionVerify", "actionExportChart", "actionCopyChart", "actionReload"})
            QVERIFY2(action(window, name)->isEnabled(), name);
        const QString message = window.statusBar()->currentMessage();
        QCOMPARE(message, QStringLiteral("Opened %1: 7 trace(s) in 4 type(s), format version 1 \u00b7 verified: no problems")
                              .arg(QDir::toNativeSeparators(QDir::cleanPath(QFileInfo(m_storage).absoluteFilePath()))));
        // Idle, the job corner is hidden, so the message has the whole bar (it was cut at 1024 px).
        const auto* jobs = window.statusBar()->findChild<ui::JobStatusWidget*>();
        QVERIFY(jobs != nullptr);
        QVERIFY(!jobs->isVisible());

        // A folder that cannot be opened disables them again.
        window.openStorage(m_dir.filePath(QStringLiteral("missing")));
        QTRY_VERIFY_WITH_TIMEOUT(!action(window, "actionVerify")->isEnabled(), kTimeout);
        QVERIFY(!action(window, "actionExportChart")->isEnabled());
        QVERIFY(waitSettled(window));
    }

    // #14: a window that is killed never gets closeEvent(): what changed must be on disk already.
    void settingsWrittenWhenTheyChange()
    {
        ui::MainWindow window; // not scripted: it keeps settings
        window.resize(1000, 700);
        window.show();
        QVERIFY(openAndWait(window, m_storage));
        const QString root = QDir::cleanPath(QFileInfo(m_storage).absoluteFilePath());
        QCOMPARE(onDisk(QStringLiteral("storage/recentFolders")).toStringList(), QStringList{root});
        QCOMPARE(onDisk(QStringLiteral("storage/last")).toString(), root);

        window.storagePanel()->setFilterText(QStringLiteral("rsi 14"));
        window.storagePanel()->rememberFilter();
        QCOMPARE(onDisk(QStringLiteral("filter/history")).toStringList(), QStringList{QStringLiteral("rsi 14")});
        window.chartPanel()->setAxisMode(ui::AxisMode::Time);
        QCOMPARE(onDisk(QStringLiteral("chart/axisMode")).toString(), QStringLiteral("time"));

        window.resize(1111, 666);
        QTRY_COMPARE_WITH_TIMEOUT(onDisk(QStringLiteral("window/geometry")).toByteArray(), window.saveGeometry(), kTimeout);
        window.storagePanel()->view()->header()->resizeSection(ui::TreeColumn::Symbol, 99);
        QTRY_COMPARE_WITH_TIMEOUT(onDisk(QStringLiteral("window/treeHeader")).toByteArray(),
                                  window.storagePanel()->view()->header()->saveState(), kTimeout);
        QVERIFY(waitSettled(window));
    }

    // #7: only filters that were used go into the history; the history never pops up while typing.
    void filterHistoryKeepsUsedFilters()
    {
        ui::MainWindow window;
        window.setScripted(true);
        window.resize(1200, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY(openAndWait(window, m_storage));
        ui::StoragePanel* panel = window.storagePanel();
        const auto* model = window.session()->model();
        panel->selectPaths({pathOf(*model, QStringLiteral("rsi_14")), pathOf(*model, QStringLiteral("ma_crossover_5_20")),
                            pathOf(*model, QStringLiteral("ma_crossover_10_30"))});
        QVERIFY(waitSettled(window));

        QLineEdit* filter = panel->filterEdit();
        panel->focusFilter();
        // Typing filters rows out of the selection (rsi_14, then ma_crossover_10_30): that is not
        // a use of "ma" or of "ma fast_period=5".
        QTest::keyClicks(filter, QStringLiteral("ma"));
        QVERIFY(waitSettled(window));
        QVERIFY(!panel->historyCompleter()->popup()->isVisible());
        QTest::keyClicks(filter, QStringLiteral(" fast_period=5"));
        QVERIFY(waitSettled(window));
        QCOMPARE(panel->filterHistory(), QStringList());
        QVERIFY(!panel->historyCompleter()->popup()->isVisible());

        QCOMPARE(panel->selectedTracePaths(), QStringList{pathOf(*model, QStringLiteral("ma_crossover_5_20"))});
        // Picking a row of the result uses the filter (clearing the selection does not).
        panel->view()->clearSelection();
        QVERIFY(waitSettled(window));
        QCOMPARE(panel->filterHistory(), QStringList());
        panel->selectPaths({pathOf(*model, QStringLiteral("ma_crossover_5_20"))});
        QVERIFY(waitSettled(window));
        QCOMPARE(panel->filterHistory(), QStringList{QStringLiteral("ma fast_period=5")});

        // Enter uses it too.
        filter->selectAll();
        QTest::keyClicks(filter, QStringLiteral("rsi"));
        QTest::keyClick(filter, Qt::Key_Return);
        QVERIFY(waitSettled(window));
        QCOMPARE(panel->filterHistory(), (QStringList{QStringLiteral("rsi"), QStringLiteral("ma fast_period=5")}));

        // Down opens the history; choosing an entry applies it.
        QTest::keyClick(filter, Qt::Key_Down);
        QTRY_VERIFY(panel->historyCompleter()->popup()->isVisible());
        QCOMPARE(panel->historyCompleter()->completionCount(), 2);
        Q_EMIT panel->historyCompleter()->activated(QStringLiteral("ma fast_period=5"));
        QCOMPARE(filter->text(), QStringLiteral("ma fast_period=5"));
        panel->historyCompleter()->popup()->hide();
        QVERIFY(waitSettled(window));
    }

    // #8: a filter that matches nothing says so, with the parameter names that exist, nearest first.
    void noMatchSuggestsParameters()
    {
        QTemporaryDir dir;
        test::writeSampleStorage(dir.path().toStdString());
        core::StorageWriter writer(dir.path().toStdString());
        writer.write(test::makeSignal("breakout_20", "breakout", core::Parameters{{"lookback_period", std::int64_t{20}}},
                                      {{2, -1}}, 100));
        ui::MainWindow window;
        window.setScripted(true);
        window.show();
        QVERIFY(openAndWait(window, dir.path()));
        ui::StoragePanel* panel = window.storagePanel();
        QCOMPARE(panel->noMatchText(), QString());
        panel->setFilterText(QStringLiteral("lookback=20"));
        QCOMPARE(panel->view()->model()->rowCount(), 0);
        QCOMPARE(panel->noMatchText(), QStringLiteral("No trace matches \u201clookback=20\u201d.\n"
                                                      "parameters: lookback_period, fast_period, period, slow_period, upper"));
        QVERIFY(panel->findChild<QLabel*>(QStringLiteral("noMatchHint"))->isVisible());
        panel->setFilterText(QStringLiteral("slow=20 | zzz"));
        QCOMPARE(panel->noMatchText(), QStringLiteral("No trace matches \u201cslow=20 | zzz\u201d.\n"
                                                      "parameters: slow_period, fast_period, lookback_period, period, upper"));
        panel->setFilterText(QStringLiteral("lookback_period=20"));
        QCOMPARE(panel->noMatchText(), QString());
        QVERIFY(!panel->findChild<QLabel*>(QStringLiteral("noMatchHint"))->isVisible());
        QVERIFY(waitSettled(window));
    }

    // #13: group counts follow the filter; the transitions table and details drop a trace that
    // is no longer selected; long names do not break mid-word in the details.
    void labelsFollowTheFilterAndSelection()
    {
        ui::MainWindow window;
        window.setScripted(true);
        window.resize(1200, 800);
        window.show();
        QVERIFY(openAndWait(window, m_storage));
        ui::StoragePanel* panel = window.storagePanel();
        const QAbstractItemModel* tree = panel->view()->model();
        QCOMPARE(tree->index(0, 0).data().toString(), QStringLiteral("Signals (5)"));
        panel->setFilterText(QStringLiteral("rsi"));
        QCOMPARE(tree->index(0, 0).data().toString(), QStringLiteral("Signals (3 of 5)"));
        QCOMPARE(tree->index(0, 0, tree->index(0, 0)).data().toString(), QStringLiteral("rsi (3 of 3)"));
        panel->setFilterText(QStringLiteral("14"));
        QCOMPARE(tree->index(0, 0, tree->index(0, 0)).data().toString(), QStringLiteral("rsi (2 of 3)"));
        panel->setFilterText(QString());
        QCOMPARE(tree->index(0, 0).data().toString(), QStringLiteral("Signals (5)"));

        const auto* model = window.session()->model();
        panel->selectPaths({pathOf(*model, QStringLiteral("rsi_14"))});
        QVERIFY(waitSettled(window));
        QVERIFY(window.transitionsPanel()->model()->trace());
        QVERIFY(window.detailsPanel()->text().contains(QStringLiteral("rsi_14")));
        panel->selectGroup(model->typeIndex(core::Kind::Signal, QStringLiteral("ma_crossover")));
        QVERIFY(waitSettled(window));
        QVERIFY(!window.transitionsPanel()->model()->trace());
        QVERIFY(!window.detailsPanel()->text().contains(QStringLiteral("rsi_14")));
        panel->selectPaths({pathOf(*model, QStringLiteral("rsi_21"))});
        QVERIFY(waitSettled(window));
        QCOMPARE(window.transitionsPanel()->model()->rowCount(), 2);
        panel->view()->clearSelection();
        QVERIFY(waitSettled(window));
        QVERIFY(!window.transitionsPanel()->model()->trace());

        // The overview of a filter result says it is one.
        panel->setFilterText(QStringLiteral("rsi"));
        window.showOverviewOfFilter();
        QVERIFY(waitSettled(window));
        QCOMPARE(window.chartPanel()->title(), QStringLiteral("Overview of filter \u201crsi\u201d: 3 trace(s)"));

        auto* browser = window.findChild<QTextBrowser*>(QStringLiteral("detailsBrowser"));
        QVERIFY(browser);
        QCOMPARE(browser->wordWrapMode(), QTextOption::WordWrap);
    }

    // #5: the Name column fits the names on open (within limits), elides in the middle, and the
    // tooltip has the whole name.
    void namesFitAndElideInTheMiddle()
    {
        QTemporaryDir dir;
        test::writeSampleStorage(dir.path().toStdString());
        core::StorageWriter writer(dir.path().toStdString());
        const QString longName = QStringLiteral("rsi_bands_grid_7_30_70_slow_confirmation_variant");
        writer.write(test::makeSignal(longName.toStdString(), "rsi", core::Parameters{{"period", std::int64_t{7}}},
                                      {{2, 1}}, 100));
        ui::MainWindow window;
        window.setScripted(true);
        window.show();
        QVERIFY(openAndWait(window, dir.path()));
        QTreeView* view = window.storagePanel()->view();
        QCOMPARE(view->textElideMode(), Qt::ElideMiddle);
        const int width = view->header()->sectionSize(ui::TreeColumn::Name);
        QVERIFY2(width > view->fontMetrics().horizontalAdvance(longName) && width <= 460, qPrintable(QString::number(width)));
        const auto* model = window.session()->model();
        const QModelIndex source = model->indexForPath(pathOf(*model, longName));
        QVERIFY(source.isValid());
        bool found = false;
        const auto visit = [&](const auto& self, const QModelIndex& parent) -> void {
            for (int r = 0; r < view->model()->rowCount(parent); ++r) {
                const QModelIndex index = view->model()->index(r, 0, parent);
                if (index.data().toString() == longName) {
                    found = true;
                    QVERIFY(index.data(Qt::ToolTipRole).toString().startsWith(longName + QLatin1Char('\n')));
                }
                self(self, index);
            }
        };
        visit(visit, {});
        QVERIFY(found);
        QVERIFY(waitSettled(window));
    }

    // #9: without a saved geometry the window takes a share of the screen.
    void firstStartSize()
    {
        QCOMPARE(ui::firstStartGeometry(QRect(0, 0, 1600, 1000)), QRect(160, 75, 1280, 850));
        QCOMPARE(ui::firstStartGeometry(QRect(100, 20, 1000, 700)), QRect(200, 72, 800, 595));
        ui::MainWindow window;
        const QRect available = window.screen()->availableGeometry();
        QCOMPARE(window.size(), ui::firstStartGeometry(available).size());
    }

private:
    // A value as a new process would read it: from a copy of the file, not this process's cache.
    QVariant onDisk(const QString& key) const
    {
        // A new name each time: QSettings caches files by name.
        const QString copy = m_dir.filePath(QStringLiteral("settings-copy-%1.ini").arg(++m_copies));
        if (!QFile::copy(QSettings().fileName(), copy))
            return {};
        return QSettings(copy, QSettings::IniFormat).value(key);
    }

    QTemporaryDir m_dir;
    QString m_storage;
    mutable int m_copies = 0;
};

QTEST_MAIN(TestWindowPolish)
#include "tst_windowpolish.moc"
