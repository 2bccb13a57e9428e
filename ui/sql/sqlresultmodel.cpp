#include "ui/sql/sqlresultmodel.h"

#include "ui/models/roles.h"

#include <QSet>

namespace sigscope::ui {

namespace {

bool numeric(const core::sql::Column& column)
{
    return column.type == core::sql::ColumnType::Integer || column.type == core::sql::ColumnType::Real;
}

} // namespace

void SqlResultModel::setTable(std::shared_ptr<const core::sql::Table> table)
{
    beginResetModel();
    m_table = std::move(table);
    m_pathColumn = m_table ? m_table->columnIndex("file_path") : std::nullopt;
    m_barColumn = m_table ? m_table->columnIndex("bar") : std::nullopt;
    if (m_barColumn && m_table->columns[*m_barColumn].type != core::sql::ColumnType::Integer)
        m_barColumn.reset();
    endResetModel();
}

QString SqlResultModel::filePathAt(int row) const
{
    if (!m_pathColumn || row < 0 || row >= rowCount() || m_table->isNull(*m_pathColumn, std::size_t(row)))
        return {};
    return QString::fromStdString(m_table->text(*m_pathColumn, std::size_t(row)));
}

std::optional<qint64> SqlResultModel::barAt(int row) const
{
    if (!m_barColumn || row < 0 || row >= rowCount() || m_table->isNull(*m_barColumn, std::size_t(row)))
        return std::nullopt;
    return m_table->columns[*m_barColumn].integers[std::size_t(row)];
}

QStringList SqlResultModel::filePaths() const
{
    QStringList paths;
    QSet<QString> seen;
    for (int row = 0; row < rowCount(); ++row) {
        const QString path = filePathAt(row);
        if (!path.isEmpty() && !seen.contains(path)) {
            seen.insert(path);
            paths.append(path);
        }
    }
    return paths;
}

int SqlResultModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_table ? 0 : int(m_table->rows);
}

int SqlResultModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_table ? 0 : int(m_table->columns.size());
}

QVariant SqlResultModel::data(const QModelIndex& index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const auto column = std::size_t(index.column());
    const auto row = std::size_t(index.row());
    const core::sql::Column& c = m_table->columns[column];
    const bool null = m_table->isNull(column, row);
    switch (role) {
    case Qt::DisplayRole:
        return null ? QStringLiteral("NULL") : QString::fromStdString(m_table->text(column, row));
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(numeric(c) ? Qt::AlignRight | Qt::AlignVCenter : Qt::AlignLeft | Qt::AlignVCenter);
    case Role::Sort:
        if (null)
            return {};
        switch (c.type) {
        case core::sql::ColumnType::Real:
            return c.reals[row];
        case core::sql::ColumnType::Text:
            return QString::fromStdString(c.texts[row]);
        default:
            return qlonglong(c.integers[row]);
        }
    default:
        return {};
    }
}

QVariant SqlResultModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (!m_table)
        return {};
    if (orientation == Qt::Vertical)
        return role == Qt::DisplayRole ? QVariant(section + 1) : QVariant();
    if (section < 0 || section >= columnCount())
        return {};
    const core::sql::Column& c = m_table->columns[std::size_t(section)];
    if (role == Qt::DisplayRole)
        return QString::fromStdString(c.name);
    if (role == Qt::ToolTipRole)
        return QString::fromStdString(c.typeName);
    return {};
}

} // namespace sigscope::ui
