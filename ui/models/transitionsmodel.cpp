#include "ui/models/transitionsmodel.h"

#include "core/analysis/steps.h"
#include "core/model/timestamp.h"

#include <QDateTime>

#include <algorithm>

namespace sigscope::ui {

TransitionsModel::TransitionsModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void TransitionsModel::setTrace(std::shared_ptr<const core::Trace> trace)
{
    beginResetModel();
    m_trace = std::move(trace);
    // Upstream recorded changes milliseconds apart: whole seconds would make their rows look alike.
    m_milliseconds = m_trace && std::any_of(m_trace->times().begin(), m_trace->times().end(), [](std::int64_t t) {
        return t != core::kNoTime && t % 1000000 != 0;
    });
    endResetModel();
}

qint64 TransitionsModel::barAt(int row) const
{
    return m_trace && row >= 0 && static_cast<std::size_t>(row) < m_trace->size() ? m_trace->bar(static_cast<std::size_t>(row))
                                                                                 : -1;
}

int TransitionsModel::rowForBar(qint64 bar) const
{
    if (!m_trace)
        return -1;
    const auto i = core::steps::changeIndexAt(*m_trace, bar);
    return i ? static_cast<int>(*i) : -1;
}

QString TransitionsModel::valueLabel(const core::Trace& trace, std::size_t i)
{
    if (trace.kind() == core::Kind::Classifier)
        return QString::fromUtf8(trace.regimeName(i));
    switch (trace.value(i)) {
    case 1:
        return tr("long");
    case 0:
        return tr("flat");
    case -1:
        return tr("short");
    default:
        return QString::number(trace.value(i));
    }
}

int TransitionsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_trace ? 0 : static_cast<int>(m_trace->size());
}

int TransitionsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : TransitionsColumn::Count;
}

QVariant TransitionsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    switch (section) {
    case TransitionsColumn::Bar:
        return tr("Bar");
    case TransitionsColumn::Time:
        return tr("Time (UTC)");
    case TransitionsColumn::Value:
        return m_trace && m_trace->kind() == core::Kind::Classifier ? tr("Regime") : tr("Value");
    case TransitionsColumn::Held:
        return tr("Bars held");
    case TransitionsColumn::Price:
        return tr("Price");
    case TransitionsColumn::Confidence:
        return tr("Confidence");
    default:
        return {};
    }
}

QVariant TransitionsModel::data(const QModelIndex& index, int role) const
{
    Q_ASSERT(checkIndex(index, QAbstractItemModel::CheckIndexOption::IndexIsValid
                                   | QAbstractItemModel::CheckIndexOption::ParentIsInvalid));
    const core::Trace& trace = *m_trace;
    const auto i = static_cast<std::size_t>(index.row());
    if (role == Role::RawValue)
        return trace.value(i);
    if (role == Qt::TextAlignmentRole)
        return index.column() == TransitionsColumn::Time || index.column() == TransitionsColumn::Value
            ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
            : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == TransitionsColumn::Time) {
        const std::string text = trace.timeText(i);
        return text.empty() ? tr("no time recorded") : tr("as recorded: %1").arg(QString::fromStdString(text));
    }
    if (role != Qt::DisplayRole && role != Role::Sort)
        return {};
    const bool sort = role == Role::Sort;
    switch (index.column()) {
    case TransitionsColumn::Bar:
        return sort ? QVariant(qint64(trace.bar(i))) : QVariant(QString::number(trace.bar(i)));
    case TransitionsColumn::Time: {
        const std::int64_t micros = trace.time(i);
        if (micros == core::kNoTime)
            return sort ? QVariant(qint64(micros)) : QVariant(QStringLiteral("-"));
        if (sort)
            return qint64(micros);
        const QDateTime time = QDateTime::fromMSecsSinceEpoch(micros / 1000, Qt::UTC);
        return time.toString(m_milliseconds ? QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")
                                            : QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    }
    case TransitionsColumn::Value:
        return sort ? QVariant(trace.value(i)) : QVariant(valueLabel(trace, i));
    case TransitionsColumn::Held: {
        // Until the next change, or to the trace's end for the last one (storage-format.md §9).
        const std::int64_t end = i + 1 < trace.size() ? trace.bar(i + 1) : trace.effectiveTotalBars();
        const std::int64_t held = end - trace.bar(i);
        return sort ? QVariant(qint64(held)) : QVariant(QString::number(held));
    }
    case TransitionsColumn::Price: {
        const double price = trace.price(i);
        if (sort)
            return price;
        return price == 0.0 ? QStringLiteral("-") : QString::number(price, 'f', 2);
    }
    case TransitionsColumn::Confidence:
        if (trace.kind() != core::Kind::Classifier)
            return sort ? QVariant(1.0) : QVariant();
        return sort ? QVariant(trace.confidence(i)) : QVariant(QString::number(trace.confidence(i), 'f', 3));
    default:
        return {};
    }
}

} // namespace sigscope::ui
