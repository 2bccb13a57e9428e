#pragma once

#include "core/model/trace.h"
#include "ui/models/roles.h"

#include <QAbstractTableModel>

#include <memory>

namespace sigscope::ui {

// The changes of one trace as a table, computed on demand row by row: a million rows cost no
// more than the trace itself. Columns: bar, time (UTC), value, bars held, price, confidence.
class TransitionsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    explicit TransitionsModel(QObject* parent = nullptr);

    void setTrace(std::shared_ptr<const core::Trace> trace);
    [[nodiscard]] const std::shared_ptr<const core::Trace>& trace() const { return m_trace; }
    // Bar of a row (for "select a row -> centre the chart").
    [[nodiscard]] qint64 barAt(int row) const;
    // Row of the change in force at bar (last change at or before it), -1 before the first.
    [[nodiscard]] int rowForBar(qint64 bar) const;

    static QString valueLabel(const core::Trace& trace, std::size_t i);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const core::Trace> m_trace;
    bool m_milliseconds = false; // some change of the trace has a sub-second time
};

} // namespace sigscope::ui
