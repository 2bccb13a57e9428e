#pragma once

#include <QModelIndex>
#include <QObject>
#include <QPointer>

class QAction;
class QMenu;
class QPoint;

namespace sigscope::ui {

class HeatmapDialog;
class MainWindow;

// The sweep heatmap on the explorer window: View ▸ Sweep Heatmap (Ctrl+Shift+H) for the selected
// type (else the one shown last), "Sweep Heatmap…" in the context menu of a signal type node in
// the tree, and the dialog's choices charted through the tree's selection (several cells: the
// overlay). Priced as the details panel's metrics are (ChartMetrics: the market file opened, the
// trading cost, the price offset), and priced again when they change.
class HeatmapActions : public QObject
{
    Q_OBJECT
public:
    HeatmapActions(MainWindow* window, QMenu* viewMenu);

    // Opens the dialog on the open storage; on `type` when it is a signal type of it.
    HeatmapDialog* open(const QString& type = {});
    [[nodiscard]] QAction* action() const { return m_action; }
    [[nodiscard]] HeatmapDialog* dialog() const; // nullptr before the first open()
    // The tree's context menu at a point of its viewport (nullptr where it has nothing to offer).
    QMenu* contextMenuAt(const QPoint& viewportPos);

Q_SIGNALS:
    // The tree's context menu at `index` (maybe invalid) is being filled: others add their entries.
    void contextMenuFilling(QMenu* menu, const QModelIndex& index);

private:
    void chart(const QStringList& paths, bool overlay);

    MainWindow* m_window = nullptr;
    QAction* m_action = nullptr;
    QPointer<HeatmapDialog> m_dialog;
};

} // namespace sigscope::ui
