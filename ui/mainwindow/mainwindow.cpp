#include "ui/mainwindow/mainwindow.h"

#include "core/storage/storage.h"
#include "ui/charts/lanelimits.h"
#include "ui/charts/overview.h"
#include "ui/charts/tracechart.h"
#include "ui/dialogs/migrationdialog.h"
#include "ui/jobs/jobmonitor.h"
#include "ui/mainwindow/analysisactions.h"
#include "ui/mainwindow/chartpanel.h"
#include "ui/mainwindow/chartmetrics.h"
#include "ui/mainwindow/detailspanel.h"
#include "ui/mainwindow/exportactions.h"
#include "ui/mainwindow/heatmapactions.h"
#include "ui/mainwindow/sessionactions.h"
#include "ui/mainwindow/theme.h"
#include "ui/mainwindow/jobstatus.h"
#include "ui/mainwindow/shortcutsdialog.h"
#include "ui/mainwindow/storagepanel.h"
#include "ui/mainwindow/transitionspanel.h"
#include "ui/mainwindow/treemetrics.h"
#include "ui/mainwindow/viewtoggles.h"
#include "ui/models/roles.h"
#include "ui/models/storagesnapshot.h"
#include "ui/models/storagetreemodel.h"
#include "ui/models/tracefilterproxy.h"
#include "ui/session/laneselection.h"
#include "ui/sql/sqlconsole.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTimer>
#include <QTreeView>

namespace sigscope::ui {

namespace {

constexpr int kRecentCount = 10;

namespace Key {
const QString geometry = QStringLiteral("window/geometry");
const QString state = QStringLiteral("window/state");
const QString mainSplitter = QStringLiteral("window/mainSplitter");
const QString rightSplitter = QStringLiteral("window/rightSplitter");
const QString bottomSplitter = QStringLiteral("window/bottomSplitter");
const QString treeHeader = QStringLiteral("window/treeHeader"); // column widths and sort
const QString recent = QStringLiteral("storage/recentFolders");
const QString last = QStringLiteral("storage/last");
const QString reopen = QStringLiteral("storage/reopenLast");
const QString watch = QStringLiteral("storage/watch");
const QString axisMode = QStringLiteral("chart/axisMode");
const QString overlay = QStringLiteral("chart/overlay");
const QString priceOffset = QStringLiteral("chart/priceIndexOffset");
const QString filterHistory = QStringLiteral("filter/history");
} // namespace Key

} // namespace

// The market data of the charted traces: one series (one symbol) or a price lane per symbol.
void MainWindow::connectPrices()
{
    connect(m_session, &StorageSession::priceFailed, this, [this](const QString& path, const QString& reason) {
        m_chartPanel->setPriceStatus(tr("no price"));
        reportError(tr("Cannot read market data"), tr("%1:\n%2").arg(QDir::toNativeSeparators(path), reason));
    });
    connect(m_session, &StorageSession::priceLoaded, this,
            [this](const QString& csvPath, const std::shared_ptr<const core::PriceSeries>& price) {
                if (csvPath != m_priceCsv)
                    return;
                m_chartPanel->chart()->setPrice(price);
                m_chartPanel->setPriceStatus(QFileInfo(csvPath).fileName());
            });
    connect(m_session, &StorageSession::pricesLoaded, this,
            [this](const QStringList& paths, const std::vector<std::shared_ptr<const core::PriceSeries>>& prices) {
                if (paths.join(QLatin1Char('\n')) != m_priceCsv)
                    return;
                std::vector<PriceLaneData> lanes;
                QStringList names;
                for (std::size_t i = 0; i < prices.size(); ++i) {
                    lanes.push_back({prices[i], m_priceLabels.value(qsizetype(i))});
                    if (prices[i])
                        names << QFileInfo(paths[qsizetype(i)]).fileName();
                }
                m_chartPanel->chart()->setPrices(std::move(lanes));
                m_chartPanel->setPriceStatus(names.join(QStringLiteral(", ")));
            });
}

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_session(new StorageSession(this))
{
    setWindowTitle(QStringLiteral("sigscope"));
    setAcceptDrops(true);

    m_storagePanel = new StoragePanel(m_session->model(), this);
    // Verification after a read starts once the tree has shown the new rows.
    m_session->setVerifyWaitsForPaint(true);
    connect(m_storagePanel, &StoragePanel::treePainted, m_session, &StorageSession::treePainted);
    m_chartPanel = new ChartPanel(this);
    m_session->jobs()->addRunner(m_chartPanel->chart()->consensusJob());
    m_detailsPanel = new DetailsPanel(this);
    m_transitionsPanel = new TransitionsPanel(this);

    m_bottomSplitter = new QSplitter(Qt::Horizontal, this);
    m_bottomSplitter->addWidget(m_transitionsPanel);
    m_bottomSplitter->addWidget(m_detailsPanel);
    m_bottomSplitter->setStretchFactor(0, 3);
    m_bottomSplitter->setStretchFactor(1, 2);
    m_rightSplitter = new QSplitter(Qt::Vertical, this);
    m_rightSplitter->addWidget(m_chartPanel);
    m_rightSplitter->addWidget(m_bottomSplitter);
    m_rightSplitter->setStretchFactor(0, 3);
    m_rightSplitter->setStretchFactor(1, 1);
    m_mainSplitter = new QSplitter(Qt::Horizontal, this);
    m_mainSplitter->addWidget(m_storagePanel);
    m_mainSplitter->addWidget(m_rightSplitter);
    m_mainSplitter->setStretchFactor(0, 0);
    m_mainSplitter->setStretchFactor(1, 1);
    m_mainSplitter->setSizes({420, 980});
    m_rightSplitter->setSizes({620, 260});
    for (QSplitter* splitter : {m_mainSplitter, m_rightSplitter, m_bottomSplitter})
        splitter->setChildrenCollapsible(false);
    setCentralWidget(m_mainSplitter);

    m_chartMetrics = new ChartMetrics(this); // the details panel's metrics of the charted signals
    m_jobStatus = new JobStatusWidget(m_session->jobs(), this);
    statusBar()->addPermanentWidget(m_jobStatus);

    createActions();

    connect(m_session, &StorageSession::opened, this, &MainWindow::onOpened);
    connect(m_session, &StorageSession::reloaded, this, [this]() {
        m_readSummary = tr("Re-read: %n trace(s)", nullptr, m_session->model()->traceCount());
        statusBar()->showMessage(m_readSummary, 5000);
    });
    connect(m_session, &StorageSession::openFailed, this, [this](const QString& path, const QString& reason) {
        reportError(tr("Cannot open storage"), tr("Cannot open the storage folder %1:\n%2")
                                                   .arg(QDir::toNativeSeparators(path), reason));
    });
    connect(m_session, &StorageSession::loadFailed, this, [this](const std::vector<core::Finding>& findings) {
        reportError(tr("Cannot load traces"), findingsText(findings));
    });
    connect(m_session, &StorageSession::verified, this, [this](int problems) {
        // Verification follows every read: add to the read's summary rather than replace it.
        const QString verdict = problems == 0 ? tr("verified: no problems")
                                              : tr("verified: %n problem(s), see the marked rows", nullptr, problems);
        statusBar()->showMessage(m_readSummary.isEmpty() ? verdict : m_readSummary + QStringLiteral(" \u00b7 ") + verdict,
                                 8000);
    });
    connect(m_session, &StorageSession::opened, this, &MainWindow::updateStorageActions);
    connect(m_session, &StorageSession::openFailed, this, &MainWindow::updateStorageActions);
    connect(m_session, &StorageSession::closed, this, &MainWindow::updateStorageActions);
    connect(m_session, &StorageSession::tracesLoaded, this, &MainWindow::onTracesLoaded);
    connect(m_session, &StorageSession::statsReady, this,
            [this](const QString& path, const std::shared_ptr<const core::stats::TraceStats>& stats) {
                if (path != m_currentPath)
                    return;
                const auto trace = m_session->cachedTrace(path);
                m_detailsPanel->showStats(*stats, trace && trace->kind() == core::Kind::Classifier
                                                      ? trace->regimes()
                                                      : std::vector<std::string>{});
            });
    connect(m_session, &StorageSession::agreementsReady, this,
            [this](const QString& path, const std::shared_ptr<const AgreementRows>& rows) {
                if (path == m_currentPath)
                    m_detailsPanel->showAgreements(*rows);
            });
    connectPrices();
    connect(m_session->jobs(), &JobMonitor::idle, this, &MainWindow::checkSettled);

    connect(m_storagePanel, &StoragePanel::selectionChanged, this, [this]() {
        onSelectionChanged();
        checkSettled(); // the pending selection is handled: settled unless it started a job
    });
    connect(m_storagePanel, &StoragePanel::currentTraceChanged, this, &MainWindow::onCurrentTraceChanged);
    connect(m_chartPanel, &ChartPanel::overviewRequested, this, &MainWindow::showOverviewOfFilter);
    connect(m_chartPanel->overview(), &OverviewRaster::traceActivated, this, [this](int row) {
        if (row >= 0 && row < m_shownPaths.size())
            m_storagePanel->selectPaths({m_shownPaths[row]});
    });
    connect(m_chartPanel->chart(), &TraceChart::cursorMoved, m_transitionsPanel, &TransitionsPanel::showBar);
    connect(m_transitionsPanel, &TransitionsPanel::barActivated, this,
            [this](qint64 bar) { m_chartPanel->chart()->centerOnBar(bar); });

    m_treeMetrics = new TreeMetrics(this); // metric columns, before the tree header's state is restored
    connect(m_treeMetrics, &TreeMetrics::pendingEnded, this, &MainWindow::checkSettled);
    readSettings();
    // Settings are written when they change (a killed or crashed window keeps them); geometry,
    // splitters and columns change in bursts while dragged, so they wait for the burst to end.
    m_saveDelay.setSingleShot(true);
    m_saveDelay.setInterval(300);
    connect(&m_saveDelay, &QTimer::timeout, this, &MainWindow::persistSettings);
    for (QSplitter* splitter : {m_mainSplitter, m_rightSplitter, m_bottomSplitter})
        connect(splitter, &QSplitter::splitterMoved, this, &MainWindow::persistSettingsSoon);
    QHeaderView* header = m_storagePanel->view()->header();
    connect(header, &QHeaderView::sectionResized, this, &MainWindow::persistSettingsSoon);
    connect(header, &QHeaderView::sortIndicatorChanged, this, &MainWindow::persistSettingsSoon);
    connect(m_storagePanel, &StoragePanel::filterHistoryChanged, this, &MainWindow::persistSettings);
    connect(m_reopenAction, &QAction::toggled, this, &MainWindow::persistSettings);
    connect(m_watchAction, &QAction::toggled, this, &MainWindow::persistSettings);
    connect(m_chartPanel, &ChartPanel::axisModeChanged, this, &MainWindow::persistSettings);
    connect(m_chartPanel, &ChartPanel::overlayChanged, this, &MainWindow::persistSettings);
    connect(m_chartPanel, &ChartPanel::priceIndexOffsetChanged, this, &MainWindow::persistSettings);
    m_settingsRead = true;
    // Text fields claim some Ctrl keys (Ctrl+E is end-of-line in a line edit): see eventFilter().
    qApp->installEventFilter(this);
}

MainWindow::~MainWindow() = default;

void MainWindow::persistSettings()
{
    m_saveDelay.stop();
    if (m_scripted || !m_settingsRead)
        return;
    writeSettings();
}

void MainWindow::persistSettingsSoon()
{
    if (!m_scripted && m_settingsRead)
        m_saveDelay.start();
}

void MainWindow::resizeEvent(QResizeEvent* event)
{
    QMainWindow::resizeEvent(event);
    persistSettingsSoon();
}

void MainWindow::moveEvent(QMoveEvent* event)
{
    QMainWindow::moveEvent(event);
    persistSettingsSoon();
}

void MainWindow::updateStorageActions()
{
    // Without a storage these would silently do nothing.
    const bool open = m_session->isOpen() && m_session->snapshot();
    for (QAction* action : std::as_const(m_storageActions))
        action->setEnabled(open);
    if (m_exportActions)
        m_exportActions->setStorageOpen(open);
}

bool MainWindow::isWindowShortcut(const QKeyEvent& event) const
{
    const Qt::KeyboardModifiers modifiers = event.modifiers() & ~Qt::KeypadModifier;
    const bool functionKey = event.key() >= Qt::Key_F1 && event.key() <= Qt::Key_F35;
    // Plain keys (Home, arrows, letters) stay with the text field: they edit it.
    if (!functionKey && !(modifiers & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier)))
        return false;
    const QKeySequence pressed(QKeyCombination(modifiers, Qt::Key(event.key())));
    const auto actions = findChildren<QAction*>();
    for (const QAction* action : actions) {
        if (action->isEnabled() && action->shortcutContext() != Qt::WidgetShortcut && action->shortcuts().contains(pressed))
            return true;
    }
    return false;
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event)
{
    // A focused text field accepts the ShortcutOverride of keys it edits with, and the window's
    // action never fires. The window's own shortcuts win, whatever has focus inside it.
    if (event->type() == QEvent::ShortcutOverride && watched->isWidgetType()
        && static_cast<QWidget*>(watched)->window() == this && isWindowShortcut(*static_cast<QKeyEvent*>(event))) {
        event->ignore();
        return true;
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open Storage…"), this, [this]() {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Storage Folder"),
                                                              m_session->isOpen() ? m_session->root() : QDir::homePath());
        if (!dir.isEmpty())
            openStorage(dir);
    });
    open->setShortcut(QKeySequence::Open);
    open->setObjectName(QStringLiteral("actionOpen"));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    QAction* market = file->addAction(tr("Open &Market Data…"), this, [this]() {
        const QString csv = QFileDialog::getOpenFileName(this, tr("Open Market Data"), m_session->root(),
                                                         tr("Market data (*.csv);;All files (*)"));
        if (!csv.isEmpty())
            openMarketData(csv);
    });
    market->setObjectName(QStringLiteral("actionOpenMarket"));
    file->addSeparator();
    QAction* reload = file->addAction(tr("Re-&read Storage"), m_session, &StorageSession::reload);
    reload->setShortcut(QKeySequence(Qt::Key_F5));
    reload->setObjectName(QStringLiteral("actionReload"));
    m_verifyAction = file->addAction(tr("&Verify Storage"), m_session, &StorageSession::verify);
    m_verifyAction->setObjectName(QStringLiteral("actionVerify"));
    m_storageActions = {market, reload, m_verifyAction};
    file->addSeparator();
    m_reopenAction = file->addAction(tr("Reopen Last Storage on Start"));
    m_reopenAction->setCheckable(true);
    m_watchAction = file->addAction(tr("Watch Storage for New Traces"));
    m_watchAction->setCheckable(true);
    connect(m_watchAction, &QAction::toggled, m_session, &StorageSession::setWatching);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quit->setMenuRole(QAction::QuitRole);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* find = view->addAction(tr("&Filter Traces"), m_storagePanel, &StoragePanel::focusFilter);
    find->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_F));
    find->setObjectName(QStringLiteral("actionFilter"));
    // Zoom actions act on the view shown: the lanes or the overview.
    QAction* home = view->addAction(tr("Reset &Chart Zoom"), m_chartPanel, &ChartPanel::resetZoom);
    home->setShortcut(QKeySequence(Qt::Key_Home));
    home->setObjectName(QStringLiteral("actionResetZoom"));
    ChartPanel* chart = m_chartPanel;
    QAction* back = view->addAction(tr("&Back (Zoom)"), chart, &ChartPanel::goBack);
    back->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Left));
    back->setObjectName(QStringLiteral("actionZoomBack"));
    QAction* forward = view->addAction(tr("For&ward (Zoom)"), chart, &ChartPanel::goForward);
    forward->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Right));
    forward->setObjectName(QStringLiteral("actionZoomForward"));
    const auto updateHistoryActions = [chart, back, forward]() {
        back->setEnabled(chart->canGoBack());
        forward->setEnabled(chart->canGoForward());
    };
    connect(chart, &ChartPanel::historyChanged, this, updateHistoryActions);
    updateHistoryActions();
    QAction* focusChart = view->addAction(tr("Focus C&hart"), this, [this]() {
        QWidget* target = m_chartPanel->isOverviewShown() ? static_cast<QWidget*>(m_chartPanel->overview())
                                                          : static_cast<QWidget*>(m_chartPanel->chart());
        target->setFocus(Qt::ShortcutFocusReason);
    });
    focusChart->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));
    focusChart->setObjectName(QStringLiteral("actionFocusChart"));
    QAction* overview = view->addAction(tr("&Overview of Filter Result"), this, &MainWindow::showOverviewOfFilter);
    overview->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    overview->setObjectName(QStringLiteral("actionOverviewOfFilter"));
    m_heatmapActions = new HeatmapActions(this, view); // View > Sweep Heatmap, the type nodes' context menu
    m_chartPanel->addLinkAction(view);
    addRememberedToggle(view, tr("&Group Identical Variants"), ViewKey::groupVariants, true,
                        [this](bool on) { m_session->model()->setGroupVariants(on); })
        ->setObjectName(QStringLiteral("actionGroupVariants"));
    addAnalysisActions(this, view); // Consensus Lane, Equity Lane, Distributions
    QAction* timeAxis = view->addAction(tr("&Time Axis"));
    timeAxis->setCheckable(true);
    connect(timeAxis, &QAction::toggled, this,
            [this](bool on) { m_chartPanel->setAxisMode(on ? AxisMode::Time : AxisMode::Bars); });
    connect(m_chartPanel, &ChartPanel::axisModeChanged, timeAxis,
            [timeAxis](AxisMode mode) { timeAxis->setChecked(mode == AxisMode::Time); });

    m_exportActions = new ExportActions(this, file, view); // File > Export Chart / Data, Edit > Copy Chart
    m_sessionActions = new SessionActions(this, file, m_reopenAction); // File > Open / Save Session
    m_themeActions = new ThemeActions(this, view, [this](bool dark) { // View > Theme
        m_chartPanel->chart()->setDark(dark);
        m_chartPanel->overview()->setDark(dark);
    });
    connect(m_themeActions, &ThemeActions::themeChosen, this,
            [](Theme theme) { QSettings().setValue(QStringLiteral("view/theme"), themeName(theme)); });
    if (const auto theme = themeFromName(QSettings().value(QStringLiteral("view/theme")).toString()))
        m_themeActions->setTheme(*theme);
    updateStorageActions();
    QMenu* tools = menuBar()->addMenu(tr("&Tools"));
    tools->addAction(tr("&Migrate Legacy Dumps…"), this, [this]() {
        connect(MigrationDialog::showFor(this, m_session->root()), &MigrationDialog::openStorageRequested, this,
                &MainWindow::openStorage, Qt::UniqueConnection);
    })->setObjectName(QStringLiteral("actionMigrate"));
    tools->addAction(tr("&SQL Console…"), this, &MainWindow::showSqlConsole)->setObjectName(QStringLiteral("actionSqlConsole"));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard Shortcuts"), this, [this]() {
        auto* dialog = new ShortcutsDialog(this, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    })->setObjectName(QStringLiteral("actionKeyboardShortcuts"));
    help->addSeparator();
    help->addAction(tr("&About sigscope"), this, &MainWindow::showAbout)->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
    rebuildRecentMenu();
}

void MainWindow::showAbout()
{
    auto* box = new QMessageBox(QMessageBox::Information, tr("About sigscope"),
                                tr("<h3>sigscope %1</h3><p>Explorer for backtest signal traces: hierarchical "
                                   "signal storages of any size, step lanes, regime bands and overviews.</p>"
                                   "<p>Built with Qt %2.</p>")
                                    .arg(QStringLiteral(SIGSCOPE_VERSION), QString::fromLatin1(qVersion())),
                                QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("aboutBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::setScripted(bool scripted)
{
    m_scripted = scripted;
    m_sessionActions->setEnabled(!scripted);
    if (scripted)
        m_watchAction->setChecked(false);
}

QMap<QString, QByteArray> MainWindow::panelStates() const
{
    return {{QStringLiteral("main"), m_mainSplitter->saveState()},
            {QStringLiteral("right"), m_rightSplitter->saveState()},
            {QStringLiteral("bottom"), m_bottomSplitter->saveState()}};
}

void MainWindow::restorePanelStates(const QMap<QString, QByteArray>& states)
{
    m_mainSplitter->restoreState(states.value(QStringLiteral("main")));
    m_rightSplitter->restoreState(states.value(QStringLiteral("right")));
    m_bottomSplitter->restoreState(states.value(QStringLiteral("bottom")));
}

bool MainWindow::restoreLastSession()
{
    return m_reopenAction->isChecked() && m_sessionActions->restoreLastSession();
}

void MainWindow::readSettings()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(Key::geometry).toByteArray()))
        applyFirstStartGeometry();
    restoreState(settings.value(Key::state).toByteArray());
    m_mainSplitter->restoreState(settings.value(Key::mainSplitter).toByteArray());
    m_rightSplitter->restoreState(settings.value(Key::rightSplitter).toByteArray());
    m_bottomSplitter->restoreState(settings.value(Key::bottomSplitter).toByteArray());
    if (const QByteArray header = settings.value(Key::treeHeader).toByteArray(); !header.isEmpty())
        m_storagePanel->view()->header()->restoreState(header);
    m_recent = settings.value(Key::recent).toStringList();
    m_reopenAction->setChecked(settings.value(Key::reopen, true).toBool());
    m_watchAction->setChecked(settings.value(Key::watch, true).toBool());
    m_session->setWatching(m_watchAction->isChecked());
    m_chartPanel->setAxisMode(settings.value(Key::axisMode).toString() == QLatin1String("time") ? AxisMode::Time
                                                                                                 : AxisMode::Bars);
    m_chartPanel->setOverlay(settings.value(Key::overlay, false).toBool());
    m_chartPanel->setPriceIndexOffset(settings.value(Key::priceOffset, 0).toInt());
    m_storagePanel->setFilterHistory(settings.value(Key::filterHistory).toStringList());
    rebuildRecentMenu();
}

QRect firstStartGeometry(const QRect& available)
{
    // Room for the tree, several lanes and the tables below them, not the whole screen.
    const QSize size(available.width() * 8 / 10, available.height() * 85 / 100);
    return QRect(available.topLeft() + QPoint((available.width() - size.width()) / 2, (available.height() - size.height()) / 2),
                 size);
}

void MainWindow::applyFirstStartGeometry()
{
    if (const QScreen* shown = screen())
        setGeometry(firstStartGeometry(shown->availableGeometry()));
}

void MainWindow::writeSettings() const
{
    QSettings settings;
    settings.setValue(Key::geometry, saveGeometry());
    settings.setValue(Key::state, saveState());
    settings.setValue(Key::mainSplitter, m_mainSplitter->saveState());
    settings.setValue(Key::rightSplitter, m_rightSplitter->saveState());
    settings.setValue(Key::bottomSplitter, m_bottomSplitter->saveState());
    settings.setValue(Key::treeHeader, m_storagePanel->view()->header()->saveState());
    settings.setValue(Key::recent, m_recent);
    if (m_session->isOpen())
        settings.setValue(Key::last, m_session->root());
    settings.setValue(Key::reopen, m_reopenAction->isChecked());
    settings.setValue(Key::watch, m_watchAction->isChecked());
    settings.setValue(Key::axisMode, m_chartPanel->axisMode() == AxisMode::Time ? QStringLiteral("time")
                                                                               : QStringLiteral("bars"));
    settings.setValue(Key::overlay, m_chartPanel->overlay());
    settings.setValue(Key::priceOffset, m_chartPanel->priceIndexOffset());
    settings.setValue(Key::filterHistory, m_storagePanel->filterHistory());
    settings.sync();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    persistSettings();
    m_session->jobs()->cancelAll();
    event->accept();
}

bool MainWindow::reopenLastStorage()
{
    QSettings settings;
    const QString last = settings.value(Key::last).toString();
    if (!m_reopenAction->isChecked() || last.isEmpty() || !QFileInfo(last).isDir())
        return false;
    openStorage(last);
    return true;
}

void MainWindow::openStorage(const QString& dir)
{
    m_shownPaths.clear();
    m_currentPath.clear();
    m_priceCsv.clear();
    m_lanes = {};
    m_chartPanel->chart()->setTraces({}, {});
    m_chartPanel->chart()->setPrice(nullptr);
    m_chartPanel->setPriceStatus(QString());
    m_chartPanel->showMessage(tr("Reading %1…").arg(QDir::toNativeSeparators(dir)));
    m_transitionsPanel->setTrace(nullptr, {});
    m_detailsPanel->clear();
    m_session->open(dir);
}

void MainWindow::onOpened(const QString& root)
{
    m_storagePanel->fitColumns();
    addRecent(root);
    if (!m_scripted)
        QSettings().setValue(Key::last, root);
    const auto snapshot = m_session->snapshot();
    setWindowTitle(QStringLiteral("%1 \u2014 sigscope").arg(QDir::toNativeSeparators(root)));
    m_readSummary = tr("Opened %1: %n trace(s) in %2 type(s), format version %3", nullptr, m_session->model()->traceCount())
                        .arg(QDir::toNativeSeparators(root))
                        .arg(snapshot ? snapshot->indexes.size() : 0)
                        .arg(snapshot ? snapshot->formatVersion : 0);
    statusBar()->showMessage(m_readSummary, 8000);
    if (auto* console = findChild<SqlConsole*>(QString(), Qt::FindDirectChildrenOnly))
        console->setStorage(root);
    m_chartPanel->showMessage(m_session->model()->traceCount() == 0
                                  ? tr("This storage holds no traces yet.")
                                  : tr("Select traces to chart them, or a type for its overview."));
}

void MainWindow::addRecent(const QString& dir)
{
    m_recent.removeAll(dir);
    m_recent.prepend(dir);
    while (m_recent.size() > kRecentCount)
        m_recent.removeLast();
    rebuildRecentMenu();
    persistSettings();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    for (const QString& dir : std::as_const(m_recent))
        m_recentMenu->addAction(QDir::toNativeSeparators(dir), this, [this, dir]() { openStorage(dir); });
    if (!m_recent.isEmpty()) {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("Clear List"), this, [this]() {
            m_recent.clear();
            rebuildRecentMenu();
            persistSettings();
        });
    }
    m_recentMenu->setEnabled(!m_recent.isEmpty());
}

void MainWindow::openMarketData(const QString& csvPath)
{
    m_priceCsv = csvPath;
    m_chartPanel->setPriceStatus(tr("reading price…"));
    m_session->loadPrice(csvPath);
}

void MainWindow::reportError(const QString& title, const QString& message)
{
    Q_EMIT errorReported(title, message);
    statusBar()->showMessage(title, 8000);
    if (m_scripted)
        return;
    // Window-modal but not blocking: no nested event loop inside a job's result handler.
    auto* box = new QMessageBox(QMessageBox::Critical, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    const auto urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.front().isLocalFile() && QFileInfo(urls.front().toLocalFile()).isDir())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const auto urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.front().isLocalFile())
        return;
    event->acceptProposedAction();
    openStorage(urls.front().toLocalFile());
}

void MainWindow::onSelectionChanged()
{
    StorageTreeModel* model = m_session->model();
    const QModelIndex group = m_storagePanel->selectedGroup();
    const QStringList paths = m_storagePanel->selectedTracePaths();
    if (group.isValid() || !paths.contains(m_currentPath)) {
        // The table and the details belong to a trace no longer selected.
        m_currentPath.clear();
        m_transitionsPanel->setTrace(nullptr, {});
        m_detailsPanel->clear();
    }
    if (group.isValid()) {
        m_detailsPanel->showGroup(group.siblingAtColumn(TreeColumn::Name).data().toString(),
                                  group.data(Role::TraceCount).toInt(),
                                  group.siblingAtColumn(TreeColumn::Changes).data(Role::Sort).toLongLong(),
                                  group.data(Role::IntegrityText).toString());
        if (group.data(Role::Level).toInt() == int(NodeLevel::Type)) {
            QStringList rows;
            for (const QModelIndex& trace : model->traceIndexes(group)) {
                if (!trace.data(Role::Orphan).toBool())
                    rows << trace.data(Role::FilePath).toString();
            }
            m_chartPanel->showMessage(tr("Loading %n trace(s)…", nullptr, int(rows.size())));
            m_session->loadTraces(rows, LoadedTraces::Purpose::Overview);
        }
        return;
    }
    if (paths.isEmpty()) {
        m_session->cancelTraceLoading();
        return;
    }
    m_session->loadTraces(paths, paths.size() > kMaxLanes ? LoadedTraces::Purpose::Overview : LoadedTraces::Purpose::Lanes);
    onCurrentTraceChanged(m_storagePanel->currentTracePath());
}

void MainWindow::onCurrentTraceChanged(const QString& path)
{
    if (path.isEmpty() || path == m_currentPath)
        return;
    m_currentPath = path;
    StorageTreeModel* model = m_session->model();
    const QModelIndex index = model->indexForPath(path);
    if (const core::IndexEntry* entry = model->entry(index)) {
        const auto absolute = m_session->snapshot()->root / entry->filePath;
        m_detailsPanel->showEntry(*entry, QDir::toNativeSeparators(QString::fromStdString(absolute.string())),
                                  index.data(Role::IntegrityText).toString());
    }
    // Not loaded yet: onTracesLoaded() comes back here once it is.
    if (const auto trace = m_session->cachedTrace(path))
        showCurrentTrace(path, trace);
}

void MainWindow::showCurrentTrace(const QString& path, const std::shared_ptr<const core::Trace>& trace)
{
    const QModelIndex index = m_session->model()->indexForPath(path);
    m_transitionsPanel->setTrace(trace, index.data().toString());
    // A charted signal is compared with the other charted signals, bar by bar.
    std::vector<std::pair<QString, std::shared_ptr<const core::Trace>>> others;
    if (m_chartPanel->isLanesShown()) {
        for (auto& [label, other] : m_lanes.comparisonSet(trace))
            others.emplace_back(QString::fromStdString(label), std::move(other));
    }
    m_session->computeStats(path, trace, std::move(others));
}

void MainWindow::onTracesLoaded(const LoadedTraces& result)
{
    m_shownPaths = result.paths;
    if (result.purpose == LoadedTraces::Purpose::Overview) {
        m_chartPanel->overview()->setTraces(result.traces, laneLabels(result, *m_session->model()));
        const QModelIndex group = m_storagePanel->selectedGroup();
        // Name what the rows are: a type, the filter's result, or a hand-made selection.
        QString what = tr("selection");
        if (group.isValid())
            what = group.data(Role::TypeName).toString();
        else if (m_storagePanel->proxy()->isFiltering() && result.paths == m_storagePanel->visibleTracePaths())
            what = tr("filter \u201c%1\u201d").arg(m_storagePanel->filterEdit()->text().simplified());
        m_chartPanel->showOverview(tr("Overview of %1: %n trace(s)", nullptr, int(result.traces.size())).arg(what));
        if (const auto trace = m_session->cachedTrace(m_currentPath))
            showCurrentTrace(m_currentPath, trace); // the table follows the current row here too
        return;
    }
    showLanes(result);
}

void MainWindow::showLanes(const LoadedTraces& result)
{
    m_lanes = laneSelection(result, *m_session->model());
    const QStringList signalLabels = toQStringList(m_lanes.signalLabels);
    const QStringList classifierLabels = toQStringList(m_lanes.classifierLabels);
    TraceChart* chart = m_chartPanel->chart();
    chart->setTraces(m_lanes.signalTraces, m_lanes.classifierTraces);
    chart->setLabels(signalLabels, classifierLabels);
    QString title;
    if (!m_lanes.signalTraces.empty())
        title = tr("%n signal(s)", nullptr, int(m_lanes.signalTraces.size()));
    if (!m_lanes.classifierTraces.empty())
        title += (title.isEmpty() ? QString() : QStringLiteral(", "))
            + tr("%n classifier(s)", nullptr, int(m_lanes.classifierTraces.size()));
    if (m_lanes.size() == 1)
        title = (signalLabels + classifierLabels).front();
    m_chartPanel->showLanes(title);

    const QString current = m_currentPath;
    if (const auto trace = m_session->cachedTrace(current))
        showCurrentTrace(current, trace);
    // One price lane per symbol charted (#11), read in one job.
    if (const PriceCsvs csvs = priceCsvsFor(m_lanes, m_session->root());
        !csvs.paths.isEmpty() && csvs.paths.join(QLatin1Char('\n')) != m_priceCsv) {
        m_priceCsv = csvs.paths.join(QLatin1Char('\n'));
        m_priceLabels = csvs.labels;
        m_chartPanel->setPriceStatus(tr("reading price…"));
        m_session->loadPrices(csvs.paths);
    }
}

void MainWindow::selectMatching(const QString& filter)
{
    m_storagePanel->setFilterText(filter);
    m_storagePanel->selectPaths(m_storagePanel->visibleTracePaths());
}

bool MainWindow::showOverviewOfType(const QString& type)
{
    for (const core::Kind kind : {core::Kind::Signal, core::Kind::Classifier}) {
        const QModelIndex index = m_session->model()->typeIndex(kind, type);
        if (index.isValid()) {
            m_storagePanel->setFilterText(QString());
            m_storagePanel->selectGroup(index);
            return true;
        }
    }
    return false;
}

void MainWindow::showOverviewOfFilter()
{
    const QStringList paths = m_storagePanel->visibleTracePaths();
    if (paths.isEmpty())
        return;
    m_chartPanel->showMessage(tr("Loading %n trace(s)…", nullptr, int(paths.size())));
    m_session->loadTraces(paths, LoadedTraces::Purpose::Overview);
}

SqlConsole* MainWindow::showSqlConsole()
{
    const bool fresh = findChild<SqlConsole*>(QString(), Qt::FindDirectChildrenOnly) == nullptr;
    SqlConsole* console = SqlConsole::showFor(this, m_session->root());
    if (fresh) {
        connect(console, &SqlConsole::traceActivated, this, [this](const QString& path, std::optional<qint64> bar) {
            m_storagePanel->selectPaths({path});
            if (bar) // once the trace is charted
                whenSettled([this, at = *bar]() { m_chartPanel->chart()->centerOnBar(at); });
        });
        connect(console, &SqlConsole::chartRequested, this,
                [this](const QStringList& paths) { m_storagePanel->selectPaths(paths); });
    }
    return console;
}

void MainWindow::whenSettled(std::function<void()> fn)
{
    m_settledCallbacks.push_back(std::move(fn));
    // Asked while settled: run from the event loop, as when asked while busy.
    if (isSettled())
        QMetaObject::invokeMethod(this, &MainWindow::checkSettled, Qt::QueuedConnection);
}

bool MainWindow::isSettled() const
{
    return !m_session->jobs()->isBusy() && !m_storagePanel->isSelectionPending() && !m_treeMetrics->isPending();
}

// Runs on JobMonitor::idle and once a pending selection change is handled.
void MainWindow::checkSettled()
{
    if (!isSettled())
        return;
    Q_EMIT settled();
    auto callbacks = std::exchange(m_settledCallbacks, {});
    for (auto& callback : callbacks)
        callback();
}

} // namespace sigscope::ui
