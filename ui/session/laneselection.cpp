#include "ui/session/laneselection.h"

#include "ui/models/storagetreemodel.h"

namespace sigscope::ui {

std::vector<core::query::LaneTrace> laneTraces(const LoadedTraces& loaded, const StorageTreeModel& model)
{
    std::vector<core::query::LaneTrace> lanes;
    lanes.reserve(loaded.traces.size());
    for (std::size_t i = 0; i < loaded.traces.size(); ++i) {
        const QModelIndex index = model.indexForPath(loaded.paths.value(qsizetype(i)));
        const core::IndexEntry* entry = model.entry(index);
        std::string name = entry ? core::query::traceName(*entry) : index.data().toString().toStdString();
        lanes.push_back({std::move(name), loaded.traces[i]});
    }
    return lanes;
}

core::query::LaneSelection laneSelection(const LoadedTraces& loaded, const StorageTreeModel& model)
{
    return core::query::buildLanes(laneTraces(loaded, model));
}

QStringList laneLabels(const LoadedTraces& loaded, const StorageTreeModel& model)
{
    return toQStringList(core::query::laneLabels(laneTraces(loaded, model)));
}

QString priceCsvFor(const core::query::LaneSelection& lanes, const QString& storageRoot)
{
    const auto csv = core::query::priceFile(lanes, storageRoot.toStdString());
    return csv ? QString::fromStdString(csv->string()) : QString();
}

PriceCsvs priceCsvsFor(const core::query::LaneSelection& lanes, const QString& storageRoot)
{
    PriceCsvs out;
    for (const auto& lane : core::query::priceLanes(lanes, storageRoot.toStdString())) {
        if (lane.file) {
            out.paths << QString::fromStdString(lane.file->string());
            out.labels << QString::fromStdString(lane.label());
        }
    }
    if (out.paths.size() == 1)
        out.labels = QStringList{QString()};
    return out;
}

QStringList toQStringList(const std::vector<std::string>& texts)
{
    QStringList list;
    list.reserve(qsizetype(texts.size()));
    for (const std::string& text : texts)
        list << QString::fromStdString(text);
    return list;
}

} // namespace sigscope::ui
