#pragma once

// Waiting on the main window in ui tests: on signals, never on time (header-only).
#include "ui/mainwindow/mainwindow.h"
#include "ui/models/roles.h"
#include "ui/models/storagetreemodel.h"

#include <QTest>

namespace sigscope::test {

inline constexpr int kTimeout = 60000;

// True once every background job of the window has finished and its results are in.
inline bool waitSettled(ui::MainWindow& window)
{
    bool settled = false;
    window.whenSettled([&settled]() { settled = true; });
    return QTest::qWaitFor([&settled]() { return settled; }, kTimeout);
}

// File path of the trace row whose name is `name` (empty when there is none).
inline QString pathOf(const ui::StorageTreeModel& model, const QString& name)
{
    for (const QModelIndex& index : model.traceIndexes({})) {
        if (index.data().toString() == name)
            return index.data(ui::Role::FilePath).toString();
    }
    return {};
}

} // namespace sigscope::test
