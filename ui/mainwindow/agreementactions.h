#pragma once

#include <QObject>
#include <QPointer>

class QAction;
class QMenu;

namespace sigscope::ui {

class AgreementMatrixDialog;
struct AgreementInput;
class MainWindow;

// The Analysis menu of the explorer window: Agreement Matrix (Ctrl+Shift+M, and "Agreement
// Matrix…" on the tree's context menu of a selection of two or more traces) for the charted
// signals (ChartMetrics::prepare(): the lanes' signals over the chart's selected bars, or the
// overview's rows), a click on a cell charting its two signals; and Trading Cost (Ctrl+Shift+B),
// the cost in bps the details panel, the equity lane and the heatmap charge
// (ChartMetrics::setCostBps, remembered).
class AgreementActions : public QObject
{
    Q_OBJECT
public:
    AgreementActions(MainWindow* window, QMenu* analysisMenu);

    AgreementMatrixDialog* open(); // on the charted signals
    [[nodiscard]] QAction* matrixAction() const { return m_matrix; }
    [[nodiscard]] QAction* costAction() const { return m_cost; }
    [[nodiscard]] AgreementMatrixDialog* dialog() const; // nullptr before the first open()
    // The dialog's input from the charted signals, in the tree's order.
    [[nodiscard]] AgreementInput chartedSignals() const;

private:
    void askCost();

    MainWindow* m_window = nullptr;
    QAction* m_matrix = nullptr;
    QAction* m_cost = nullptr;
    QPointer<AgreementMatrixDialog> m_dialog;
};

} // namespace sigscope::ui
