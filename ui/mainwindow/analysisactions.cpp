#include "ui/mainwindow/analysisactions.h"

#include "ui/charts/tracechart.h"
#include "ui/dialogs/distributionsdialog.h"
#include "ui/mainwindow/agreementactions.h"
#include "ui/mainwindow/chartequity.h"
#include "ui/mainwindow/chartmetrics.h"
#include "ui/mainwindow/chartpanel.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/mainwindow/viewtoggles.h"

#include <QAction>
#include <QKeySequence>
#include <QMenu>
#include <QMenuBar>

namespace sigscope::ui {

void addAnalysisActions(MainWindow* window, QMenu* view)
{
    addRememberedToggle(view, MainWindow::tr("&Consensus Lane"), ViewKey::consensusLane, false,
                        [window](bool on) { window->chartPanel()->chart()->setConsensusLane(on); })
        ->setObjectName(QStringLiteral("actionConsensusLane"));
    auto* equity = new ChartEquity(window);
    equity->setObjectName(QStringLiteral("chartEquity"));
    addRememberedToggle(view, MainWindow::tr("&Equity Lane"), ViewKey::equityLane, false,
                        [equity](bool on) { equity->setLaneShown(on); })
        ->setObjectName(QStringLiteral("actionEquityLane"));

    // One dialog, kept while the window lives, following the details panel's metrics.
    auto* dialog = new DistributionsDialog(window);
    ChartMetrics* metrics = window->chartMetrics();
    QObject::connect(metrics, &ChartMetrics::tableChanged, dialog,
                     [dialog, metrics]() { dialog->setTable(metrics->table()); });
    QAction* distributions = view->addAction(MainWindow::tr("&Distributions"), dialog, [dialog, metrics]() {
        dialog->setTable(metrics->table());
        dialog->show();
        dialog->raise();
        dialog->activateWindow();
    });
    distributions->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    distributions->setObjectName(QStringLiteral("actionDistributions"));

    // After View: File, View, Analysis, Tools, Help.
    QMenu* analysis = window->menuBar()->addMenu(MainWindow::tr("&Analysis"));
    analysis->setObjectName(QStringLiteral("menuAnalysis"));
    new AgreementActions(window, analysis);
}

} // namespace sigscope::ui
