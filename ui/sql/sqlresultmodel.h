#pragma once

#include "core/sql/database.h"

#include <QAbstractTableModel>

#include <memory>
#include <optional>

namespace sigscope::ui {

// A query's result (core::sql::Table) as a table model. Virtual: cells are made from the
// table's columns when a view asks, so a result of millions of rows costs no QVariant up front.
// Display is the value as core writes it ("NULL" for NULL), Role::Sort the number for numeric
// and time columns; the header's tooltip is DuckDB's type name.
class SqlResultModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    using QAbstractTableModel::QAbstractTableModel;

    void setTable(std::shared_ptr<const core::sql::Table> table);
    [[nodiscard]] const std::shared_ptr<const core::sql::Table>& table() const { return m_table; }

    // The trace a row names (its file_path column) and, when the result has a bar column, the bar.
    [[nodiscard]] QString filePathAt(int row) const;
    [[nodiscard]] std::optional<qint64> barAt(int row) const;
    // Every distinct file_path of the result, in row order.
    [[nodiscard]] QStringList filePaths() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const core::sql::Table> m_table;
    std::optional<std::size_t> m_pathColumn;
    std::optional<std::size_t> m_barColumn;
};

} // namespace sigscope::ui
