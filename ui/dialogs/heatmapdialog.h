#pragma once

#include "core/analysis/sweep.h"
#include "ui/dialogs/heatmapdata.h"
#include "ui/models/storagesnapshot.h"

#include <QDialog>
#include <QList>
#include <QMap>
#include <QStringList>

#include <map>
#include <memory>

class QComboBox;
class QHBoxLayout;
class QLabel;
class QProgressBar;
class QPushButton;

namespace sigscope::ui {

class HeatmapWidget;
class JobRunner;

// View ▸ Sweep Heatmap (Ctrl+Shift+H; "Sweep Heatmap…" on a type node of the tree): the signal
// variants of one type laid out by two of their parameters (core::sweep), coloured by a metric.
// The metrics are computed in the background when a type is chosen (progress and Cancel in the
// dialog) and kept per type until the storage changes. A combo per further parameter fixes it
// to one value or reduces over it ("best", "median"). A click on a cell asks the window to chart
// that cell's variants; Shift+click or a drag over several cells asks for them as an overlay.
// The choices are remembered per type in QSettings ("heatmap/...").
class HeatmapDialog : public QDialog
{
    Q_OBJECT
public:
    explicit HeatmapDialog(QWidget* parent = nullptr);
    ~HeatmapDialog() override;

    // The dialog of a window (one per window), shown and raised.
    static HeatmapDialog* showFor(QWidget* window);

    // A new snapshot or pricing drops what was measured; the type shown is measured again.
    void setStorage(std::shared_ptr<const StorageSnapshot> snapshot, const HeatmapPricing& pricing);
    [[nodiscard]] const HeatmapPricing& pricing() const { return m_pricing; }
    void showType(const QString& type); // one of the storage's signal types
    [[nodiscard]] QString type() const;

    [[nodiscard]] HeatmapWidget* heatmap() const { return m_heatmap; }
    [[nodiscard]] QComboBox* typeCombo() const { return m_type; }
    [[nodiscard]] QComboBox* metricCombo() const { return m_metric; }
    [[nodiscard]] QComboBox* xCombo() const { return m_x; }
    [[nodiscard]] QComboBox* yCombo() const { return m_y; }
    // The combo of a further parameter (its values, then "best" and "median"); nullptr for none.
    [[nodiscard]] QComboBox* parameterCombo(const QString& name) const;
    [[nodiscard]] JobRunner* job() const { return m_job; }
    [[nodiscard]] std::shared_ptr<const core::sweep::Grid> grid() const { return m_grid; }
    [[nodiscard]] QString statusText() const;
    // The variants behind cells (indexes into grid()->cells), in cell order.
    [[nodiscard]] QStringList pathsOf(const QList<int>& cells) const;

Q_SIGNALS:
    void tracesChosen(const QStringList& paths, bool overlay);
    void gridShown(); // the heatmap shows a new grid (or none)

private:
    void measure();
    void onMeasured(const std::shared_ptr<const HeatmapData>& data);
    void rebuildAxes();
    void rebuildFurther();
    void updateGrid();
    void remember() const;
    [[nodiscard]] core::sweep::Request request() const;
    [[nodiscard]] QString settingsKey(const QString& what) const;

    std::shared_ptr<const StorageSnapshot> m_snapshot;
    HeatmapPricing m_pricing;
    std::map<QString, std::shared_ptr<const HeatmapData>> m_measured; // by type
    std::shared_ptr<const HeatmapData> m_data;  // the type shown
    std::vector<core::sweep::Axis> m_axes;      // its varying parameters
    std::shared_ptr<const core::sweep::Grid> m_grid;
    QMap<QString, QComboBox*> m_further;
    bool m_building = false; // combos being filled: their signals are not the user's

    QComboBox* m_type = nullptr;
    QComboBox* m_metric = nullptr;
    QComboBox* m_x = nullptr;
    QComboBox* m_y = nullptr;
    QHBoxLayout* m_furtherRow = nullptr;
    HeatmapWidget* m_heatmap = nullptr;
    QLabel* m_status = nullptr;
    QProgressBar* m_progress = nullptr;
    QPushButton* m_cancel = nullptr;
    JobRunner* m_job = nullptr;
    QString m_summary;
};

} // namespace sigscope::ui
