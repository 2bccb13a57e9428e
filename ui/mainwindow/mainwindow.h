#pragma once

#include "core/query/lanes.h"
#include "ui/session/storagesession.h"

#include <QByteArray>
#include <QMainWindow>
#include <QMap>
#include <QRect>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <memory>
#include <vector>

class QAction;
class QKeyEvent;
class QMenu;
class QSplitter;

namespace sigscope::core {
struct PriceSeries;
}

namespace sigscope::ui {

class ChartMetrics;
class TreeMetrics;
class ChartPanel;
class ExportActions;
class HeatmapActions;
class SessionActions;
class SqlConsole;
class ThemeActions;
class DetailsPanel;
class JobStatusWidget;
class StoragePanel;
class TransitionsPanel;

// The explorer window. It only wires the panels to the session: the tree and filter
// (StoragePanel), the chart or overview (ChartPanel), details and transitions below, and the
// job status in the status bar. Settings are read here and nowhere else.
// Where the window opens when no geometry was saved: 80 % x 85 % of the available screen, centred.
QRect firstStartGeometry(const QRect& available);

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    void openStorage(const QString& dir);
    // Opens the last storage when the "reopen on start" setting is on; false when nothing to open.
    bool reopenLastStorage();
    void openMarketData(const QString& csvPath);

    // Dialog-free mode for scripted runs: errors only go to errorReported(). Settings are neither
    // read for the window state nor written back.
    void setScripted(bool scripted);

    // Runs fn once no background job runs and no selection change is pending (at the next
    // settled() at the latest).
    void whenSettled(std::function<void()> fn);
    [[nodiscard]] bool isSettled() const;

    void selectMatching(const QString& filter); // filter the tree and select every match
    bool showOverviewOfType(const QString& type); // false when no such type
    void showOverviewOfFilter();
    // Tools ▸ SQL Console on the open storage; its rows chart traces here (one console per window).
    SqlConsole* showSqlConsole();

    [[nodiscard]] StorageSession* session() const { return m_session; }
    [[nodiscard]] StoragePanel* storagePanel() const { return m_storagePanel; }
    [[nodiscard]] ChartPanel* chartPanel() const { return m_chartPanel; }
    [[nodiscard]] ChartMetrics* chartMetrics() const { return m_chartMetrics; }
    [[nodiscard]] DetailsPanel* detailsPanel() const { return m_detailsPanel; }
    [[nodiscard]] TransitionsPanel* transitionsPanel() const { return m_transitionsPanel; }
    [[nodiscard]] QStringList recentFolders() const { return m_recent; }
    [[nodiscard]] QStringList shownPaths() const { return m_shownPaths; } // lanes or overview rows
    [[nodiscard]] SessionActions* sessionActions() const { return m_sessionActions; }
    [[nodiscard]] ThemeActions* themeActions() const { return m_themeActions; }
    [[nodiscard]] HeatmapActions* heatmapActions() const { return m_heatmapActions; }
    // The splitters' states by name ("main", "right", "bottom"), for sessions.
    [[nodiscard]] QMap<QString, QByteArray> panelStates() const;
    void restorePanelStates(const QMap<QString, QByteArray>& states);
    // Restores the last session when "Reopen Last Storage on Start" is on; false when nothing to open.
    bool restoreLastSession();
    // A dialog (not in scripted runs), the status bar and errorReported().
    void reportError(const QString& title, const QString& message);

Q_SIGNALS:
    void errorReported(const QString& title, const QString& message);
    // No background job runs and no selection change is pending any more.
    void settled();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void closeEvent(QCloseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void moveEvent(QMoveEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void connectPrices();
    void readSettings();
    void writeSettings() const;
    void applyFirstStartGeometry(); // no saved geometry: a share of the screen
    void persistSettings();     // writes and syncs now (not in scripted runs)
    void persistSettingsSoon(); // after a burst of changes
    void addRecent(const QString& dir);
    void rebuildRecentMenu();
    void onOpened(const QString& root);
    void onSelectionChanged();
    void onCurrentTraceChanged(const QString& path);
    void onTracesLoaded(const LoadedTraces& result);
    void showLanes(const LoadedTraces& result);
    void showCurrentTrace(const QString& path, const std::shared_ptr<const core::Trace>& trace);
    void showAbout();
    void checkSettled();
    void updateStorageActions();
    [[nodiscard]] bool isWindowShortcut(const QKeyEvent& event) const;

    StorageSession* m_session = nullptr;
    StoragePanel* m_storagePanel = nullptr;
    ChartPanel* m_chartPanel = nullptr;
    ChartMetrics* m_chartMetrics = nullptr;
    TreeMetrics* m_treeMetrics = nullptr;
    DetailsPanel* m_detailsPanel = nullptr;
    TransitionsPanel* m_transitionsPanel = nullptr;
    JobStatusWidget* m_jobStatus = nullptr;
    QSplitter* m_mainSplitter = nullptr;
    QSplitter* m_rightSplitter = nullptr;
    QSplitter* m_bottomSplitter = nullptr;
    QMenu* m_recentMenu = nullptr;
    QAction* m_reopenAction = nullptr;
    QAction* m_watchAction = nullptr;
    QAction* m_verifyAction = nullptr;
    QList<QAction*> m_storageActions; // need an open storage
    ExportActions* m_exportActions = nullptr;
    SessionActions* m_sessionActions = nullptr;
    ThemeActions* m_themeActions = nullptr;
    HeatmapActions* m_heatmapActions = nullptr;
    QString m_readSummary; // "Opened …" or "Re-read …", kept for the verification's verdict
    QStringList m_recent;
    QStringList m_shownPaths;
    QString m_currentPath;
    QString m_priceCsv; // market file(s) shown (or being loaded), one per line
    QStringList m_priceLabels; // their price lanes' titles
    core::query::LaneSelection m_lanes; // what the chart's lanes show
    bool m_scripted = false;
    bool m_settingsRead = false;
    QTimer m_saveDelay;
    std::vector<std::function<void()>> m_settledCallbacks;
};

} // namespace sigscope::ui
