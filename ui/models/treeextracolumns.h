#pragma once

#include "core/storage/storage.h"

#include <QVariant>

namespace sigscope::ui {

// Columns that StorageTreeModel shows after its own (TreeColumn::Count and on) for trace rows,
// filled by someone else (the metrics of every trace, ui/mainwindow/treemetrics.h): the tree
// stays a view of the indexes, and what is computed from the data files lives beside it.
class TreeExtraColumns
{
public:
    virtual ~TreeExtraColumns() = default;
    [[nodiscard]] virtual int extraColumnCount() const = 0;
    [[nodiscard]] virtual QVariant extraHeader(int column, int role) const = 0;
    // Display, Role::Sort, tooltip, alignment of a trace row's extra cell (column from 0).
    [[nodiscard]] virtual QVariant extraData(const core::IndexEntry& entry, int column, int role) const = 0;
    // "name=value" lines that only the filter's comparisons see ("sharpe>1"): Role::ComparedFilterText.
    [[nodiscard]] virtual QString extraComparedFields(const core::IndexEntry& entry) const = 0;
};

} // namespace sigscope::ui
