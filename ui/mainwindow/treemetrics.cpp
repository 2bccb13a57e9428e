#include "ui/mainwindow/treemetrics.h"

#include "core/analysis/metricscache.h"
#include "core/analysis/metricstable.h"
#include "core/storage/traceio.h"
#include "ui/jobs/jobmonitor.h"
#include "ui/jobs/jobrunner.h"
#include "ui/mainwindow/chartmetrics.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/mainwindow/storagepanel.h"
#include "ui/models/roles.h"
#include "ui/models/storagesnapshot.h"
#include "ui/models/storagetreemodel.h"
#include "ui/models/tracefilterproxy.h"
#include "ui/session/storagesession.h"

#include <QCoreApplication>
#include <QEvent>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QSettings>
#include <QStandardPaths>
#include <QThread>
#include <QTreeView>

#include <cmath>
#include <limits>

#if defined(__linux__)
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace sigscope::ui {

namespace {

const QString kShownKey = QStringLiteral("tree/metricColumns");
const QString kOnOpenKey = QStringLiteral("tree/metricsOnOpen");
// Posted below the widgets' UpdateRequest (Qt::LowEventPriority): handled after the tree's paint.
const auto kStartEvent = QEvent::Type(QEvent::User + 14);
constexpr int kStartPriority = Qt::LowEventPriority - 1;
constexpr int kPaintWaitMs = 1000; // as the verification after a read waits (StorageSession)

// The calling thread yields the CPU to the GUI and the other jobs. Under Linux's SCHED_OTHER
// Qt's thread priorities other than IdlePriority change nothing, and IdlePriority (SCHED_IDLE)
// would starve the job on a busy machine; the thread's nice value does what is meant.
void lowerThreadPriority()
{
#if defined(__linux__)
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
#else
    QThread::currentThread()->setPriority(QThread::LowestPriority);
#endif
}

// The job's result: the values and what the cache gave.
struct Computed
{
    TreeMetrics::Values values;
    core::metrics::CacheReport report;
};

QString metricName(int column)
{
    const auto& names = core::metrics::metricNames();
    return column >= 0 && column < int(names.size()) ? QString::fromStdString(names[std::size_t(column)]) : QString();
}

} // namespace

TreeMetrics::TreeMetrics(MainWindow* window)
    : QObject(window->session()->model()) // the model asks for the columns as long as it lives
    , m_window(window)
    , m_job(new JobRunner(tr("Metrics of the storage"), this))
    , m_onOpen(QSettings().value(kOnOpenKey, true).toBool())
{
    m_pool.setMaxThreadCount(1);
    m_job->setThreadPool(&m_pool);
    StorageSession* session = window->session();
    session->jobs()->addRunner(m_job);
    session->model()->setExtraColumns(this);
    QHeaderView* header = window->storagePanel()->view()->header();
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(header, &QHeaderView::customContextMenuRequested, this, &TreeMetrics::showHeaderMenu);
    // A reset model gets a fresh header: hide the columns not chosen again.
    connect(header->model(), &QAbstractItemModel::modelReset, this, &TreeMetrics::applyShown);
    m_paintWait.setSingleShot(true);
    m_paintWait.setInterval(kPaintWaitMs);
    connect(&m_paintWait, &QTimer::timeout, this, &TreeMetrics::startPending);
    connect(window->storagePanel(), &StoragePanel::treePainted, this, [this]() {
        if (m_paintWait.isActive()) {
            m_paintWait.stop();
            startPending();
        }
    });
    connect(session, &StorageSession::opened, this, [this]() {
        m_values.reset(); // another storage's
        afterPaint();
    });
    connect(session, &StorageSession::reloaded, this, &TreeMetrics::afterPaint);
    // File > Open Market Data, Analysis > Trading Cost, the price offset: priced again.
    connect(window->chartMetrics(), &ChartMetrics::pricingChanged, this, &TreeMetrics::schedule);
    connect(window->storagePanel()->filterEdit(), &QLineEdit::textChanged, this, &TreeMetrics::filterChanged);
    const QStringList chosen = QSettings().value(kShownKey).toStringList();
    for (int c = 0; c < extraColumnCount(); ++c)
        if (chosen.contains(metricName(c)))
            m_shown << metricName(c);
    applyShown();
}

TreeMetrics::~TreeMetrics()
{
    m_job->cancel(); // before m_pool waits for its thread
}

int TreeMetrics::extraColumnCount() const
{
    return int(core::metrics::metricNames().size());
}

QVariant TreeMetrics::extraHeader(int column, int role) const
{
    if (role == Qt::DisplayRole)
        return metricName(column);
    if (role == Qt::ToolTipRole)
        return tr("%1 over all bars (README, Metrics); right-click the header to choose the columns")
            .arg(metricName(column));
    return {};
}

QVariant TreeMetrics::extraData(const core::IndexEntry& entry, int column, int role) const
{
    if (role != Qt::DisplayRole && role != Role::Sort && role != Qt::ToolTipRole)
        return {};
    const auto found = m_values ? m_values->find(entry.filePath) : Values::const_iterator{};
    if (!m_values || found == m_values->end())
        return role == Role::Sort ? QVariant(-std::numeric_limits<double>::infinity()) : QVariant();
    const core::metrics::TraceMetrics& metrics = found->second;
    const std::string name = metricName(column).toStdString();
    const double value = core::metrics::metricValue(metrics, name);
    if (role == Qt::ToolTipRole)
        return metrics.ok ? QVariant() : QVariant(tr("no metrics: %1").arg(QString::fromStdString(metrics.reason)));
    if (role == Role::Sort) // undefined below every value, so that it sorts last from the best
        return std::isnan(value) ? -std::numeric_limits<double>::infinity() : value;
    return metrics.ok ? QString::fromStdString(core::metrics::cellText(name, value)) : QString();
}

QString TreeMetrics::extraComparedFields(const core::IndexEntry& entry) const
{
    const auto found = m_values ? m_values->find(entry.filePath) : Values::const_iterator{};
    if (!m_values || found == m_values->end())
        return {};
    return QString::fromStdString(core::metrics::filterFields(found->second));
}

void TreeMetrics::filterChanged()
{
    const bool needs = core::metrics::comparesMetrics(m_window->storagePanel()->proxy()->filter());
    if (needs == m_filterNeeds)
        return;
    m_filterNeeds = needs;
    if (m_filterNeeds && !m_values && !m_job->isBusy())
        schedule();
}

QStringList TreeMetrics::shownMetrics() const
{
    return m_shown;
}

void TreeMetrics::setShownMetrics(const QStringList& metrics)
{
    QStringList shown;
    for (int c = 0; c < extraColumnCount(); ++c)
        if (metrics.contains(metricName(c)))
            shown << metricName(c);
    if (shown == m_shown)
        return;
    const bool wasEmpty = m_shown.isEmpty();
    m_shown = shown;
    QSettings().setValue(kShownKey, m_shown);
    applyShown();
    if (wasEmpty && needed() && !m_values && !m_job->isBusy())
        schedule();
}

void TreeMetrics::setComputesOnOpen(bool on)
{
    QSettings().setValue(kOnOpenKey, on);
    m_onOpen = on;
    if (on && !m_values && !m_job->isBusy())
        schedule();
}

void TreeMetrics::applyShown()
{
    QHeaderView* header = m_window->storagePanel()->view()->header();
    for (int c = 0; c < extraColumnCount(); ++c) {
        const int section = TreeColumn::Count + c;
        const bool show = m_shown.contains(metricName(c));
        // Before the parameters, which stretch to the panel's edge.
        if (show && header->visualIndex(section) > header->visualIndex(TreeColumn::Parameters)) {
            header->moveSection(header->visualIndex(section), header->visualIndex(TreeColumn::Parameters));
            header->resizeSection(section, 80);
        }
        header->setSectionHidden(section, !show);
    }
}

void TreeMetrics::showHeaderMenu(const QPoint& pos)
{
    QHeaderView* header = m_window->storagePanel()->view()->header();
    QMenu menu(header);
    menu.setObjectName(QStringLiteral("treeHeaderMenu"));
    QAction* onOpen = menu.addAction(tr("Compute Metrics on Open"));
    onOpen->setObjectName(QStringLiteral("actionMetricsOnOpen"));
    onOpen->setToolTip(tr("Every signal's metrics after each open and F5, in the background"));
    onOpen->setCheckable(true);
    onOpen->setChecked(m_onOpen);
    connect(onOpen, &QAction::toggled, this, &TreeMetrics::setComputesOnOpen);
    menu.addSection(tr("Metric columns"));
    for (int c = 0; c < extraColumnCount(); ++c) {
        QAction* action = menu.addAction(metricName(c));
        action->setCheckable(true);
        action->setChecked(m_shown.contains(metricName(c)));
        connect(action, &QAction::toggled, this, [this, name = metricName(c)](bool on) {
            QStringList shown = m_shown;
            on ? shown.append(name) : (void)shown.removeAll(name);
            setShownMetrics(shown);
        });
    }
    menu.exec(header->mapToGlobal(pos));
}

void TreeMetrics::afterPaint()
{
    m_pending = true;
    m_paintWait.start(); // the tree's paint starts it sooner
}

void TreeMetrics::schedule()
{
    if (m_pending)
        return; // an asked-for compute (or the paint it waits for) comes anyway
    m_pending = true;
    QCoreApplication::postEvent(this, new QEvent(kStartEvent), kStartPriority);
}

void TreeMetrics::customEvent(QEvent* event)
{
    if (event->type() != kStartEvent) {
        QObject::customEvent(event);
        return;
    }
    if (m_pending && !m_paintWait.isActive()) // else started already, or the paint starts it
        startPending();
}

void TreeMetrics::startPending()
{
    m_pending = false;
    compute();
    Q_EMIT pendingEnded();
}

void TreeMetrics::compute()
{
    StorageSession* session = m_window->session();
    const auto snapshot = session->snapshot();
    if (!needed() || !snapshot) {
        m_job->cancel();
        return;
    }
    // Priced as the details panel and the heatmap are (ChartMetrics).
    const ChartMetrics* pricing = m_window->chartMetrics();
    const core::metrics::Options options = pricing->options();
    const std::shared_ptr<const core::PriceSeries> market = pricing->market();
    // The metrics cache (docs/format.md "The metrics cache") makes the second open instant: beside
    // the indexes of a version-1 storage, in the user's cache folder for any other.
    const core::metrics::CacheSetup setup{
        snapshot->root, snapshot->formatVersion,
        QStandardPaths::writableLocation(QStandardPaths::CacheLocation).toStdString(),
        market ? pricing->marketPath().toStdString() : std::string(), true};
    m_job->run(
        tr("Metrics of the storage"),
        [snapshot, options, market, setup](const core::ProgressCallback& progress) {
            lowerThreadPriority();
            std::vector<const core::IndexEntry*> entries;
            for (const auto& index : snapshot->indexes)
                for (const auto& entry : index.entries)
                    if (entry.kind == core::Kind::Signal)
                        entries.push_back(&entry);
            core::metrics::MarketCache markets;
            Computed computed;
            std::vector<core::metrics::TraceMetrics> metrics = core::metrics::scoreCached(
                entries, setup, options, market.get(), markets,
                [&snapshot](const core::IndexEntry& e) {
                    return std::make_shared<const core::Trace>(core::loadTrace(snapshot->root / e.filePath));
                },
                computed.report, {}, progress);
            if (computed.report.cancelled)
                return computed; // the runner drops it
            for (std::size_t i = 0; i < entries.size(); ++i)
                computed.values.emplace(entries[i]->filePath, std::move(metrics[i]));
            return computed;
        },
        this,
        [this](const std::shared_ptr<const Computed>& computed) {
            m_values = std::shared_ptr<const Values>(computed, &computed->values);
            m_hits = computed->report.hits;
            m_computed = computed->report.computed;
            m_window->session()->model()->extraColumnsChanged();
            if (m_filterNeeds)
                m_window->storagePanel()->proxy()->refilter(); // "sharpe>1" sees the new values
        });
}

} // namespace sigscope::ui
