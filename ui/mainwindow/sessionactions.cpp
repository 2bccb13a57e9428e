#include "ui/mainwindow/sessionactions.h"

#include "ui/charts/tracechart.h"
#include "ui/mainwindow/chartpanel.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/mainwindow/storagepanel.h"

#include <QAction>
#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLineEdit>
#include <QMenu>
#include <QStandardPaths>

namespace sigscope::ui {

namespace {

constexpr int kSaveDelayMs = 1000;
const QString kFilter = QStringLiteral("sigscope sessions (*.sigscope-session.json *.json)");

} // namespace

SessionActions::SessionActions(MainWindow* window, QMenu* fileMenu, QAction* before)
    : QObject(window)
    , m_window(window)
{
    auto* save = new QAction(tr("Save &Session…"), window);
    save->setObjectName(QStringLiteral("actionSaveSession"));
    connect(save, &QAction::triggered, this, [this]() {
        const QString path = QFileDialog::getSaveFileName(m_window, tr("Save Session"),
                                                          QDir::homePath() + QStringLiteral("/session.sigscope-session.json"), kFilter);
        QString error;
        if (!path.isEmpty() && !saveSession(path, &error))
            m_window->reportError(tr("Cannot save the session"), error);
    });
    auto* open = new QAction(tr("Open S&ession…"), window);
    open->setObjectName(QStringLiteral("actionOpenSession"));
    connect(open, &QAction::triggered, this, [this]() {
        const QString path = QFileDialog::getOpenFileName(m_window, tr("Open Session"), QDir::homePath(), kFilter);
        if (!path.isEmpty())
            openSession(path);
    });
    fileMenu->insertActions(before, {open, save});
    fileMenu->insertSeparator(before);

    m_saveDelay.setSingleShot(true);
    m_saveDelay.setInterval(kSaveDelayMs);
    connect(&m_saveDelay, &QTimer::timeout, this, &SessionActions::saveLastSession);
    connect(window->storagePanel(), &StoragePanel::selectionChanged, this, &SessionActions::saveLastSessionSoon);
    connect(window->chartPanel(), &ChartPanel::axisModeChanged, this, &SessionActions::saveLastSessionSoon);
    connect(window->chartPanel(), &ChartPanel::overlayChanged, this, &SessionActions::saveLastSessionSoon);
    connect(window->chartPanel(), &ChartPanel::linkedChanged, this, &SessionActions::saveLastSessionSoon);
    connect(window->chartPanel()->chart(), &TraceChart::historyChanged, this, &SessionActions::saveLastSessionSoon);
    connect(window->chartPanel()->chart(), &TraceChart::selectedBarsChanged, this,
            &SessionActions::saveLastSessionSoon);
    connect(qApp, &QCoreApplication::aboutToQuit, this, &SessionActions::saveLastSession);
}

SessionState SessionActions::capture() const
{
    SessionState state;
    state.storage = m_window->session()->root();
    state.filter = m_window->storagePanel()->filterEdit()->text();
    state.selection = m_window->storagePanel()->selectedTracePaths();
    ChartPanel* panel = m_window->chartPanel();
    state.chartMode = panel->isOverviewShown() ? QStringLiteral("overview")
        : panel->overlay()                     ? QStringLiteral("overlay")
                                               : QStringLiteral("lanes");
    state.axis = panel->axisMode() == AxisMode::Time ? QStringLiteral("time") : QStringLiteral("bars");
    const BarRange view = panel->chart()->visibleRange();
    if (view.span() > 0)
        state.zoom = std::make_pair(view.first, view.last);
    state.selectedBars = panel->chart()->selectedBars();
    state.panels = m_window->panelStates();
    state.linkedViews = panel->linked();
    return state;
}

bool SessionActions::apply(const SessionState& state, const QString& sourceFile)
{
    if (!QFileInfo(state.storage).isDir()) {
        m_window->reportError(tr("Cannot open the session"),
                              tr("The session %1 names the storage %2, which no longer exists.")
                                  .arg(QDir::toNativeSeparators(sourceFile), QDir::toNativeSeparators(state.storage)));
        return false;
    }
    m_applying = true;
    m_window->openStorage(state.storage);
    m_window->whenSettled([this, state]() {
        m_window->restorePanelStates(state.panels);
        m_window->storagePanel()->setFilterText(state.filter);
        if (state.chartMode == QLatin1String("overview"))
            m_window->showOverviewOfFilter();
        else
            m_window->storagePanel()->selectPaths(state.selection);
        m_window->whenSettled([this, state]() {
            ChartPanel* panel = m_window->chartPanel();
            panel->setAxisMode(state.axis == QLatin1String("time") ? AxisMode::Time : AxisMode::Bars);
            panel->setOverlay(state.chartMode == QLatin1String("overlay"));
            panel->setLinked(state.linkedViews);
            if (state.zoom)
                panel->chart()->setVisibleRange({state.zoom->first, state.zoom->second});
            panel->chart()->setSelectedBars(state.selectedBars);
            m_applying = false;
        });
    });
    return true;
}

bool SessionActions::saveSession(const QString& path, QString* error) const
{
    return writeSessionFile(path, capture(), error);
}

bool SessionActions::openSession(const QString& path)
{
    QString error;
    const auto state = readSessionFile(path, &error);
    if (!state) {
        m_window->reportError(tr("Cannot open the session"), error);
        return false;
    }
    return apply(*state, path);
}

QString SessionActions::lastSessionPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + QStringLiteral("/last-session.json");
}

bool SessionActions::restoreLastSession()
{
    QString error;
    const auto state = readSessionFile(lastSessionPath(), &error);
    if (!state || !QFileInfo(state->storage).isDir())
        return false; // a stale last session is no error: start empty
    return apply(*state, lastSessionPath());
}

void SessionActions::saveLastSession() const
{
    if (!m_enabled || m_applying || !m_window->session()->isOpen())
        return;
    QDir().mkpath(QFileInfo(lastSessionPath()).absolutePath());
    QString error;
    writeSessionFile(lastSessionPath(), capture(), &error); // best effort: quitting shows no dialog
}

void SessionActions::saveLastSessionSoon()
{
    if (m_enabled && !m_applying)
        m_saveDelay.start();
}

} // namespace sigscope::ui
