#include "ui/mainwindow/agreementactions.h"

#include "core/query/lanes.h"
#include "ui/charts/agreementview.h"
#include "ui/dialogs/agreementdialog.h"
#include "ui/jobs/jobmonitor.h"
#include "ui/mainwindow/chartmetrics.h"
#include "ui/mainwindow/heatmapactions.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/mainwindow/storagepanel.h"
#include "ui/session/storagesession.h"

#include <QAction>
#include <QInputDialog>
#include <QKeySequence>
#include <QMenu>

#include <algorithm>

namespace sigscope::ui {

AgreementActions::AgreementActions(MainWindow* window, QMenu* analysisMenu)
    : QObject(window)
    , m_window(window)
{
    m_matrix = analysisMenu->addAction(tr("Agreement &Matrix…"), this, [this]() { open(); });
    m_matrix->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    m_matrix->setObjectName(QStringLiteral("actionAgreementMatrix"));
    m_cost = analysisMenu->addAction(tr("Trading &Cost…"), this, &AgreementActions::askCost);
    m_cost->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B));
    m_cost->setObjectName(QStringLiteral("actionTradingCost"));
    connect(window->heatmapActions(), &HeatmapActions::contextMenuFilling, this, [this](QMenu* menu) {
        if (m_window->storagePanel()->selectedTracePaths().size() < 2)
            return;
        menu->addAction(tr("Agreement Matrix…"), this, [this]() { open(); })
            ->setObjectName(QStringLiteral("actionAgreementMatrixOfSelection"));
    });
    // The lanes or their range changed while the window is open: the matrix follows (a new
    // price or cost changes the metrics, not the agreement).
    connect(window->chartMetrics(), &ChartMetrics::tableChanged, this, [this]() {
        if (!m_dialog || !m_dialog->isVisible())
            return;
        AgreementInput next = chartedSignals();
        const AgreementInput& shown = m_dialog->input();
        if (next.traces != shown.traces || next.range != shown.range)
            m_dialog->setInput(std::move(next));
    });
}

AgreementInput AgreementActions::chartedSignals() const
{
    MetricsTable table = m_window->chartMetrics()->prepare();
    // The tree's order, as `sigscope compare --select` takes the traces.
    std::stable_sort(table.rows.begin(), table.rows.end(), [](const core::metrics::Row& a, const core::metrics::Row& b) {
        return core::query::treeOrderLess(*a.entry, *b.entry);
    });
    AgreementInput input;
    input.range = table.range;
    for (const core::metrics::Row& row : table.rows) {
        input.labels << QString::fromStdString(row.label);
        input.paths << QString::fromStdString(row.entry->filePath);
        input.traces.push_back(row.trace);
    }
    return input;
}

AgreementMatrixDialog* AgreementActions::open()
{
    const bool fresh = !m_dialog;
    m_dialog = AgreementMatrixDialog::showFor(m_window);
    if (fresh) {
        m_window->session()->jobs()->addRunner(m_dialog->job()); // status bar, settled()
        connect(m_dialog, &AgreementMatrixDialog::tracesChosen, m_window->storagePanel(), &StoragePanel::selectPaths);
    }
    m_dialog->view()->setDark(m_window->palette().window().color().lightness() < 128);
    m_dialog->setInput(chartedSignals());
    return m_dialog;
}

AgreementMatrixDialog* AgreementActions::dialog() const
{
    return m_dialog;
}

void AgreementActions::askCost()
{
    ChartMetrics* metrics = m_window->chartMetrics();
    bool ok = false;
    const double bps = QInputDialog::getDouble(
        m_window, tr("Trading Cost"),
        tr("Cost in basis points per unit of position traded\n(as sigscope metrics --cost BPS; 0 for none):"),
        metrics->costBps(), 0.0, 10000.0, 2, &ok);
    if (ok)
        metrics->setCostBps(bps);
}

} // namespace sigscope::ui
