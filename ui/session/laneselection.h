#pragma once

#include "core/query/lanes.h"
#include "ui/session/loadedtraces.h"

#include <QString>
#include <QStringList>
#include <string>
#include <vector>

namespace sigscope::ui {

class StorageTreeModel;

// Qt glue over core::query's lane rules for the window: loaded traces with the names the tree
// shows for them.
std::vector<core::query::LaneTrace> laneTraces(const LoadedTraces& loaded, const StorageTreeModel& model);
core::query::LaneSelection laneSelection(const LoadedTraces& loaded, const StorageTreeModel& model);
// One label per loaded trace, in order (the overview's rows).
QStringList laneLabels(const LoadedTraces& loaded, const StorageTreeModel& model);
// The price lane's market file beside the storage, or an empty string.
QString priceCsvFor(const core::query::LaneSelection& lanes, const QString& storageRoot);

QStringList toQStringList(const std::vector<std::string>& texts);

} // namespace sigscope::ui
