#pragma once

#include "core/analysis/metrics.h"
#include "ui/models/treeextracolumns.h"

#include <QObject>
#include <QStringList>
#include <QThreadPool>
#include <QTimer>

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>

class QEvent;
class QPoint;

namespace sigscope::ui {

class JobRunner;
class MainWindow;

// Metric columns in the storage tree (issue 14): one per core::metrics::metricNames(), hidden
// until chosen in the tree header's context menu (remembered in QSettings "tree/metricColumns").
// The metrics of every signal trace of the storage are computed in the background after each
// open and F5 (progress and Cancel in the status bar), once the tree is painted, on a thread of
// its own at a low priority; the unchanged ones are taken from the metrics cache
// (core/analysis/metricscache.h), so a second open is filled at once. Over all bars, priced as
// the details panel and the heatmap price (ChartMetrics: File > Open Market Data as --market,
// Analysis > Trading Cost as --cost, the chart's price offset as --price-offset), and again when
// that pricing changes. The header's menu can turn the compute on open off (QSettings
// "tree/metricsOnOpen", on by default); the metrics are then computed only while a metric column
// is shown or the filter compares one ("sharpe>1"). The columns sort by value (a trace without
// metrics sorts below every value).
class TreeMetrics : public QObject, public TreeExtraColumns
{
    Q_OBJECT
public:
    explicit TreeMetrics(MainWindow* window);
    ~TreeMetrics() override;

    // Metric values by the entry's file path.
    using Values = std::unordered_map<std::string, core::metrics::TraceMetrics>;

    [[nodiscard]] int extraColumnCount() const override;
    [[nodiscard]] QVariant extraHeader(int column, int role) const override;
    [[nodiscard]] QVariant extraData(const core::IndexEntry& entry, int column, int role) const override;
    [[nodiscard]] QString extraComparedFields(const core::IndexEntry& entry) const override;

    [[nodiscard]] QStringList shownMetrics() const; // in column order
    void setShownMetrics(const QStringList& metrics); // shows those columns; computes when needed
    [[nodiscard]] JobRunner* job() const { return m_job; }
    [[nodiscard]] const std::shared_ptr<const Values>& values() const { return m_values; }
    // What the last finished compute took from the cache and what it scored.
    [[nodiscard]] std::size_t cacheHits() const { return m_hits; }
    [[nodiscard]] std::size_t computedCount() const { return m_computed; }

    [[nodiscard]] bool computesOnOpen() const { return m_onOpen; }
    void setComputesOnOpen(bool on); // remembered; computes now when on and nothing is computed yet
    // A compute is asked for and waits: after an open or F5 for the tree's next paint (at most 1 s,
    // in case no paint comes: a hidden window), else for the event loop. The window is not settled
    // meanwhile.
    [[nodiscard]] bool isPending() const { return m_pending; }

Q_SIGNALS:
    void pendingEnded(); // the asked-for compute started (or was not needed)

protected:
    void customEvent(QEvent* event) override;

private:
    void afterPaint(); // an open or F5: compute once the tree has painted its new rows
    void schedule();   // compute once the events posted before are handled
    void startPending();
    void compute();
    void showHeaderMenu(const QPoint& pos);
    void applyShown(); // the header's hidden sections follow m_shown
    void filterChanged(); // a filter that compares metrics ("sharpe>1") needs them computed
    [[nodiscard]] bool needed() const { return m_onOpen || !m_shown.isEmpty() || m_filterNeeds; }

    MainWindow* m_window;
    JobRunner* m_job = nullptr;
    QStringList m_shown;
    bool m_filterNeeds = false;
    std::shared_ptr<const Values> m_values;
    std::size_t m_hits = 0;
    std::size_t m_computed = 0;
    bool m_onOpen = true;
    bool m_pending = false;
    QTimer m_paintWait; // runs from an open until the tree's paint
    QThreadPool m_pool; // one thread at a low priority: the job neither stalls the GUI nor the other jobs
};

} // namespace sigscope::ui
