#include "ui/dialogs/heatmapdialog.h"

#include "core/analysis/metrics.h"
#include "ui/charts/heatmap.h"
#include "ui/jobs/jobprogress.h"
#include "ui/jobs/jobrunner.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace sigscope::ui {

namespace {

// A further parameter's combo: reduce by best or median, or one of the axis' values (its index).
constexpr int kBest = -1;
constexpr int kMedian = -2;

QString choiceText(int data, const core::sweep::Axis& axis)
{
    if (data == kBest)
        return QStringLiteral("best");
    if (data == kMedian)
        return QStringLiteral("median");
    return QLatin1Char('=') + QString::fromStdString(core::canonicalText(axis.values[std::size_t(data)]));
}

QLabel* label(const QString& text, QWidget* parent)
{
    auto* l = new QLabel(text, parent);
    l->setContentsMargins(6, 0, 0, 0);
    return l;
}

// Selects the item whose data (or, for a null data, text) is `wanted`; false when none is.
bool selectData(QComboBox* combo, const QVariant& wanted)
{
    const int i = combo->findData(wanted);
    if (i < 0)
        return false;
    combo->setCurrentIndex(i);
    return true;
}

} // namespace

HeatmapDialog::HeatmapDialog(QWidget* parent)
    : QDialog(parent)
    , m_type(new QComboBox(this))
    , m_metric(new QComboBox(this))
    , m_x(new QComboBox(this))
    , m_y(new QComboBox(this))
    , m_heatmap(new HeatmapWidget(this))
    , m_status(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_job(new JobRunner(QStringLiteral("heatmap-metrics"), this))
{
    setWindowTitle(tr("Sweep Heatmap"));
    setObjectName(QStringLiteral("heatmapDialog"));
    m_type->setObjectName(QStringLiteral("heatmapType"));
    m_metric->setObjectName(QStringLiteral("heatmapMetric"));
    m_x->setObjectName(QStringLiteral("heatmapX"));
    m_y->setObjectName(QStringLiteral("heatmapY"));
    for (QComboBox* combo : {m_type, m_metric, m_x, m_y})
        combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    for (const std::string& name : core::metrics::metricNames())
        m_metric->addItem(QString::fromStdString(name), QString::fromStdString(name));
    selectData(m_metric, QSettings().value(QStringLiteral("heatmap/metric"), QStringLiteral("total_return")));

    auto* choices = new QHBoxLayout;
    choices->addWidget(label(tr("Type"), this));
    choices->addWidget(m_type);
    choices->addWidget(label(tr("Colour"), this));
    choices->addWidget(m_metric);
    choices->addWidget(label(tr("X"), this));
    choices->addWidget(m_x);
    choices->addWidget(label(tr("Y"), this));
    choices->addWidget(m_y);
    choices->addStretch(1);
    m_furtherRow = new QHBoxLayout;
    auto* status = new QHBoxLayout;
    status->addWidget(m_status, 1);
    status->addWidget(m_progress);
    status->addWidget(m_cancel);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(choices);
    layout->addLayout(m_furtherRow);
    layout->addWidget(m_heatmap, 1);
    layout->addLayout(status);
    resize(860, 640);

    connect(m_type, &QComboBox::currentIndexChanged, this, [this]() {
        if (!m_building)
            measure();
    });
    connect(m_metric, &QComboBox::currentIndexChanged, this, [this]() {
        if (!m_building) {
            remember();
            updateGrid();
        }
    });
    for (QComboBox* axis : {m_x, m_y})
        connect(axis, &QComboBox::currentIndexChanged, this, [this]() {
            if (m_building)
                return;
            rebuildFurther();
            remember();
            updateGrid();
        });
    showJobProgress(m_job, m_status, m_progress, m_cancel,
                    [this]() { return tr("Cancelled: no metrics for %1").arg(m_type->currentText()); });
    connect(m_heatmap, &HeatmapWidget::cellHovered, this,
            [this](const QString& text) { m_status->setText(text.isEmpty() ? m_summary : text); });
    connect(m_heatmap, &HeatmapWidget::cellsChosen, this, [this](const QList<int>& cells) {
        const QStringList paths = pathsOf(cells);
        if (!paths.isEmpty())
            Q_EMIT tracesChosen(paths, cells.size() > 1);
    });
}

HeatmapDialog::~HeatmapDialog() = default;

HeatmapDialog* HeatmapDialog::showFor(QWidget* window)
{
    auto* dialog = window->findChild<HeatmapDialog*>(QString(), Qt::FindDirectChildrenOnly);
    if (!dialog)
        dialog = new HeatmapDialog(window);
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
    return dialog;
}

void HeatmapDialog::setStorage(std::shared_ptr<const StorageSnapshot> snapshot, const HeatmapPricing& pricing)
{
    if (snapshot == m_snapshot && pricing == m_pricing)
        return;
    m_snapshot = std::move(snapshot);
    m_pricing = pricing;
    m_measured.clear();
    const QString shown = type();
    m_building = true;
    m_type->clear();
    if (m_snapshot)
        for (const core::TypeIndex& index : m_snapshot->indexes)
            if (index.kind == core::Kind::Signal && !index.entries.empty())
                m_type->addItem(QString::fromStdString(index.type));
    m_building = false;
    const int i = m_type->findText(shown.isEmpty() ? QSettings().value(QStringLiteral("heatmap/type")).toString() : shown);
    if (i >= 0)
        m_type->setCurrentIndex(i);
    measure();
}

void HeatmapDialog::showType(const QString& type)
{
    const int i = m_type->findText(type);
    if (i >= 0 && i != m_type->currentIndex())
        m_type->setCurrentIndex(i); // measures
    else if (!m_data || m_data->type != type)
        measure();
}

QString HeatmapDialog::type() const
{
    return m_type->currentText();
}

QComboBox* HeatmapDialog::parameterCombo(const QString& name) const
{
    return m_further.value(name, nullptr);
}

QString HeatmapDialog::statusText() const
{
    return m_status->text();
}

QStringList HeatmapDialog::pathsOf(const QList<int>& cells) const
{
    QStringList paths;
    if (!m_grid || !m_data)
        return paths;
    for (const int c : cells) {
        if (c < 0 || c >= int(m_grid->cells.size()))
            continue;
        for (const std::size_t item : m_grid->cells[std::size_t(c)].items)
            if (!paths.contains(m_data->paths[qsizetype(item)]))
                paths << m_data->paths[qsizetype(item)];
    }
    return paths;
}

void HeatmapDialog::measure()
{
    const QString shown = type();
    if (!m_snapshot || shown.isEmpty()) {
        m_job->cancel();
        onMeasured(nullptr);
        return;
    }
    QSettings().setValue(QStringLiteral("heatmap/type"), shown);
    if (const auto it = m_measured.find(shown); it != m_measured.end()) {
        m_job->cancel();
        onMeasured(it->second);
        return;
    }
    std::vector<core::IndexEntry> entries = signalEntriesOf(m_snapshot->indexes, shown);
    const std::filesystem::path root = m_snapshot->root;
    const HeatmapPricing pricing = m_pricing;
    const QString what = tr("Computing the metrics of %1 (%2)…").arg(shown, variantCount(qsizetype(entries.size())));
    m_job->run(
        what,
        [root, shown, entries = std::move(entries), pricing](const core::ProgressCallback& progress) {
            return measureType(root, shown, entries, pricing, progress);
        },
        this,
        [this](const std::shared_ptr<const HeatmapData>& data) {
            if (data->cancelled)
                return;
            m_measured[data->type] = data;
            if (data->type == type())
                onMeasured(data);
        });
}

void HeatmapDialog::onMeasured(const std::shared_ptr<const HeatmapData>& data)
{
    m_data = data;
    m_axes = data ? core::sweep::varyingParameters(data->parameters) : std::vector<core::sweep::Axis>{};
    rebuildAxes();
    rebuildFurther();
    updateGrid();
}

void HeatmapDialog::rebuildAxes()
{
    m_building = true;
    m_x->clear();
    m_y->clear();
    for (const auto& axis : m_axes) {
        const QString name = QString::fromStdString(axis.name);
        m_x->addItem(name, name);
        m_y->addItem(name, name);
    }
    // Without a remembered choice: the first two parameters, the symbol only when there are not two others.
    std::vector<int> defaults;
    for (int i = 0; i < int(m_axes.size()); ++i)
        if (m_axes[std::size_t(i)].name != "symbol")
            defaults.push_back(i);
    for (int i = 0; i < int(m_axes.size()); ++i)
        if (m_axes[std::size_t(i)].name == "symbol")
            defaults.push_back(i);
    const QSettings settings;
    if (!selectData(m_x, settings.value(settingsKey(QStringLiteral("x")))) && !defaults.empty())
        m_x->setCurrentIndex(defaults[0]);
    if (!selectData(m_y, settings.value(settingsKey(QStringLiteral("y")))) || m_y->currentIndex() == m_x->currentIndex()) {
        for (const int i : defaults)
            if (i != m_x->currentIndex()) {
                m_y->setCurrentIndex(i);
                break;
            }
    }
    m_building = false;
}

void HeatmapDialog::rebuildFurther()
{
    while (QLayoutItem* item = m_furtherRow->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_further.clear();
    const QSettings settings;
    for (const auto& axis : m_axes) {
        const QString name = QString::fromStdString(axis.name);
        if (name == m_x->currentText() || name == m_y->currentText())
            continue;
        auto* combo = new QComboBox(this);
        combo->setObjectName(QStringLiteral("heatmapParam_") + name);
        combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        combo->addItem(tr("best"), kBest);
        combo->addItem(tr("median"), kMedian);
        for (std::size_t i = 0; i < axis.values.size(); ++i)
            combo->addItem(QString::fromStdString(core::displayText(axis.values[i])), int(i));
        const QString saved = settings.value(settingsKey(QStringLiteral("param/") + name)).toString();
        for (int i = 0; i < combo->count(); ++i)
            if (choiceText(combo->itemData(i).toInt(), axis) == saved)
                combo->setCurrentIndex(i);
        connect(combo, &QComboBox::currentIndexChanged, this, [this]() {
            remember();
            updateGrid();
        });
        m_furtherRow->addWidget(label(name, this));
        m_furtherRow->addWidget(combo);
        m_further.insert(name, combo);
    }
    m_furtherRow->addStretch(1);
}

core::sweep::Request HeatmapDialog::request() const
{
    core::sweep::Request r{m_x->currentText().toStdString(), m_y->currentText().toStdString(), {}};
    for (const auto& axis : m_axes) {
        const QComboBox* combo = m_further.value(QString::fromStdString(axis.name), nullptr);
        if (!combo)
            continue;
        const int data = combo->currentData().toInt();
        if (data == kMedian)
            r.others[axis.name] = {core::sweep::Reduce::Median, {}};
        else if (data >= 0)
            r.others[axis.name] = {core::sweep::Reduce::Fixed, axis.values[std::size_t(data)]};
        else
            r.others[axis.name] = {core::sweep::Reduce::Best, {}};
    }
    return r;
}

void HeatmapDialog::updateGrid()
{
    m_grid.reset();
    const QString metric = m_metric->currentData().toString();
    if (!m_data) {
        m_summary = m_snapshot ? tr("No signal type to lay out") : tr("No storage open");
    } else if (m_axes.size() < 2) {
        m_summary = tr("%1 has %2 varying parameters: the heatmap needs two").arg(m_data->type).arg(m_axes.size());
    } else if (m_x->currentText() == m_y->currentText()) {
        m_summary = tr("Choose two different parameters for X and Y");
    } else if (const std::vector<double>* values = m_data->metric(metric.toStdString())) {
        m_grid = std::make_shared<const core::sweep::Grid>(core::sweep::grid(m_data->parameters, *values, request()));
        const auto defined = std::count_if(m_grid->cells.begin(), m_grid->cells.end(),
                                           [](const core::sweep::Cell& c) { return !std::isnan(c.value); });
        m_summary = tr("%1: %2, %3 × %4 cells, %5 with a value")
                        .arg(m_data->type, variantCount(m_data->paths.size()))
                        .arg(m_grid->columns())
                        .arg(m_grid->rows())
                        .arg(defined);
        if (!m_data->problems.isEmpty())
            m_summary += tr(" · problems (%1), the first: ").arg(m_data->problems.size()) + m_data->problems.front();
    }
    m_heatmap->setGrid(m_grid, metric);
    m_status->setText(m_summary);
    Q_EMIT gridShown();
}

void HeatmapDialog::remember() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("heatmap/metric"), m_metric->currentData());
    if (type().isEmpty() || m_x->count() == 0)
        return;
    settings.setValue(settingsKey(QStringLiteral("x")), m_x->currentText());
    settings.setValue(settingsKey(QStringLiteral("y")), m_y->currentText());
    for (const auto& axis : m_axes)
        if (const QComboBox* combo = m_further.value(QString::fromStdString(axis.name), nullptr))
            settings.setValue(settingsKey(QStringLiteral("param/") + QString::fromStdString(axis.name)),
                              choiceText(combo->currentData().toInt(), axis));
}

QString HeatmapDialog::settingsKey(const QString& what) const
{
    return QStringLiteral("heatmap/types/%1/%2").arg(type(), what);
}

} // namespace sigscope::ui
