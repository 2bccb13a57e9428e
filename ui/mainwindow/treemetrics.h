#pragma once

#include "core/analysis/metrics.h"
#include "ui/models/treeextracolumns.h"

#include <QObject>
#include <QStringList>

#include <memory>
#include <string>
#include <unordered_map>

class QPoint;

namespace sigscope::ui {

class JobRunner;
class MainWindow;

// Metric columns in the storage tree (issue 14): one per core::metrics::metricNames(), hidden
// until chosen in the tree header's context menu (remembered in QSettings "tree/metricColumns").
// While any is shown, the metrics of every signal trace of the storage are computed in the
// background on open and re-read (progress in the status bar; the unchanged ones taken from the
// metrics cache, core/analysis/metricscache.h, so a second open is instant), over all bars, priced as
// `sigscope metrics DIR` prices them (the storage's market files, the chart's price offset);
// the columns then sort by value (a trace without metrics sorts below every value).
class TreeMetrics : public QObject, public TreeExtraColumns
{
    Q_OBJECT
public:
    explicit TreeMetrics(MainWindow* window);

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

private:
    void compute();
    void showHeaderMenu(const QPoint& pos);
    void applyShown(); // the header's hidden sections follow m_shown
    void filterChanged(); // a filter that compares metrics ("sharpe>1") needs them computed
    [[nodiscard]] bool needed() const { return !m_shown.isEmpty() || m_filterNeeds; }

    MainWindow* m_window;
    JobRunner* m_job = nullptr;
    QStringList m_shown;
    bool m_filterNeeds = false;
    std::shared_ptr<const Values> m_values;
};

} // namespace sigscope::ui
