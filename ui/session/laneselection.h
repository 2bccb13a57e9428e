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
// The market files of core::query::priceLanes (one per symbol charted) that exist, and their
// labels: "<SYM> close" when there are several, empty (the chart's "<SYM> <tf> close") for one.
struct PriceCsvs
{
    QStringList paths;
    QStringList labels;
};
PriceCsvs priceCsvsFor(const core::query::LaneSelection& lanes, const QString& storageRoot);

QStringList toQStringList(const std::vector<std::string>& texts);

} // namespace sigscope::ui
