#include "ui/mainwindow/heatmapactions.h"

#include "ui/charts/heatmap.h"
#include "ui/dialogs/heatmapdialog.h"
#include "ui/jobs/jobmonitor.h"
#include "ui/mainwindow/chartmetrics.h"
#include "ui/mainwindow/chartpanel.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/mainwindow/storagepanel.h"
#include "ui/models/roles.h"

#include <QAction>
#include <QMenu>
#include <QTreeView>

namespace sigscope::ui {

HeatmapActions::HeatmapActions(MainWindow* window, QMenu* viewMenu)
    : QObject(window)
    , m_window(window)
{
    m_action = viewMenu->addAction(tr("Sweep &Heatmap…"), this, [this]() { open(); });
    m_action->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_H));
    m_action->setObjectName(QStringLiteral("actionSweepHeatmap"));
    QTreeView* tree = window->storagePanel()->view();
    tree->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(tree, &QWidget::customContextMenuRequested, this, [this, tree](const QPoint& pos) {
        if (QMenu* menu = contextMenuAt(pos)) {
            menu->setAttribute(Qt::WA_DeleteOnClose);
            menu->popup(tree->viewport()->mapToGlobal(pos));
        }
    });
    // A re-read storage or another one: the dialog measures again.
    connect(window->session(), &StorageSession::opened, this, [this]() {
        if (m_dialog && m_dialog->isVisible())
            open(m_dialog->type());
    });
    connect(window->session(), &StorageSession::reloaded, this, [this]() {
        if (m_dialog && m_dialog->isVisible())
            open(m_dialog->type());
    });
    // File > Open Market Data, Analysis > Trading Cost, the price offset: priced again.
    connect(window->chartMetrics(), &ChartMetrics::pricingChanged, this, [this]() {
        if (m_dialog && m_dialog->isVisible())
            open(m_dialog->type());
    });
}

HeatmapDialog* HeatmapActions::open(const QString& type)
{
    QString wanted = type;
    const QModelIndex group = m_window->storagePanel()->selectedGroup();
    if (wanted.isEmpty() && group.isValid() && group.data(Role::Level).toInt() == int(NodeLevel::Type))
        wanted = group.data(Role::TypeName).toString();
    const bool fresh = !m_dialog;
    m_dialog = HeatmapDialog::showFor(m_window);
    if (fresh) {
        m_window->session()->jobs()->addRunner(m_dialog->job()); // status bar, settled()
        connect(m_dialog, &HeatmapDialog::tracesChosen, this, &HeatmapActions::chart);
    }
    m_dialog->heatmap()->setDark(m_window->palette().window().color().lightness() < 128);
    const ChartMetrics* metrics = m_window->chartMetrics(); // priced as the details panel's metrics
    HeatmapPricing pricing;
    pricing.market = metrics->market();
    pricing.priceOffset = metrics->options().priceOffset;
    pricing.costBps = metrics->options().costBps;
    m_dialog->setStorage(m_window->session()->snapshot(), pricing);
    if (!wanted.isEmpty())
        m_dialog->showType(wanted);
    return m_dialog;
}

HeatmapDialog* HeatmapActions::dialog() const
{
    return m_dialog;
}

QMenu* HeatmapActions::contextMenuAt(const QPoint& viewportPos)
{
    const QModelIndex index = m_window->storagePanel()->view()->indexAt(viewportPos);
    auto* menu = new QMenu(m_window->storagePanel()->view());
    if (index.isValid() && index.data(Role::Level).toInt() == int(NodeLevel::Type)
        && index.data(Role::TraceKind).toInt() == int(core::Kind::Signal)) {
        const QString type = index.data(Role::TypeName).toString();
        menu->addAction(tr("Sweep Heatmap…"), this, [this, type]() { open(type); })
            ->setObjectName(QStringLiteral("actionSweepHeatmapOfType"));
    }
    Q_EMIT contextMenuFilling(menu, index);
    if (menu->actions().isEmpty()) {
        delete menu;
        return nullptr;
    }
    return menu;
}

void HeatmapActions::chart(const QStringList& paths, bool overlay)
{
    if (overlay)
        m_window->chartPanel()->setOverlay(true);
    m_window->storagePanel()->selectPaths(paths);
}

} // namespace sigscope::ui
