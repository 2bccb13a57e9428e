#include "ui/models/metricsmodel.h"

#include "ui/models/roles.h"

#include <cmath>

namespace sigscope::ui {

std::string MetricsColumn::metricName(int column)
{
    const auto& names = core::metrics::metricNames();
    const int i = column - Trades;
    return i >= 0 && i < int(names.size()) ? names[std::size_t(i)] : std::string();
}

MetricsModel::MetricsModel(QObject* parent)
    : QAbstractTableModel(parent)
{
    Q_ASSERT(core::metrics::metricNames().size() == std::size_t(MetricsColumn::Count - MetricsColumn::Trades));
    Q_ASSERT(MetricsColumn::metricName(MetricsColumn::Sharpe) == "sharpe");
}

void MetricsModel::setTable(std::shared_ptr<const MetricsTable> table)
{
    beginResetModel();
    m_table = std::move(table);
    endResetModel();
}

bool MetricsModel::hasMetrics(int row) const
{
    return m_table && row >= 0 && row < int(m_table->rows.size()) && m_table->rows[std::size_t(row)].metrics.ok;
}

int MetricsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_table ? 0 : int(m_table->rows.size());
}

int MetricsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : MetricsColumn::Count;
}

QVariant MetricsModel::data(const QModelIndex& index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const core::metrics::Row& row = m_table->rows[std::size_t(index.row())];
    const int column = index.column();
    const std::string name = MetricsColumn::metricName(column);
    const double value = core::metrics::metricValue(row.metrics, name);
    switch (role) {
    case Qt::DisplayRole:
        if (column == MetricsColumn::Trace)
            return QString::fromStdString(row.label);
        if (!row.metrics.ok)
            return column == MetricsColumn::Trades
                       ? tr("no metrics: %1").arg(QString::fromStdString(row.metrics.reason))
                       : QString();
        return QString::fromStdString(core::metrics::cellText(name, value));
    case Role::Sort:
        if (column == MetricsColumn::Trace)
            return QString::fromStdString(row.label);
        return value;
    case Role::FilePath:
        return row.entry ? QString::fromStdString(row.entry->filePath) : QString();
    case Qt::ToolTipRole: {
        QString tip = row.entry ? QString::fromStdString(row.entry->filePath) : QString::fromStdString(row.label);
        if (!row.metrics.ok)
            tip += QLatin1Char('\n') + tr("no metrics: %1").arg(QString::fromStdString(row.metrics.reason));
        else if (row.sameAs)
            tip += QLatin1Char('\n') + tr("same changes as %1").arg(QString::fromStdString(row.sameAsLabel));
        return tip;
    }
    case Qt::TextAlignmentRole:
        if (column == MetricsColumn::Trace || !row.metrics.ok)
            return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    default:
        return {};
    }
}

QVariant MetricsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= MetricsColumn::Count)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole)
        return section == MetricsColumn::Trace ? QStringLiteral("trace")
                                               : QString::fromStdString(MetricsColumn::metricName(section));
    return {};
}

QString barRangeText(const std::optional<std::pair<std::int64_t, std::int64_t>>& range)
{
    if (!range)
        return MetricsModel::tr("all bars");
    const auto [from, to] = *range;
    if (to - from == 1)
        return MetricsModel::tr("bar %1 (1 bar)").arg(from);
    return MetricsModel::tr("bars %1\u2013%2 (%3 bars)").arg(from).arg(to - 1).arg(to - from);
}

} // namespace sigscope::ui
