#include "app/cli/selection.h"

#include "core/storage/traceio.h"

namespace sigscope::cli {

namespace {

std::vector<core::query::LaneTrace> laneTraces(const std::vector<SelectedTrace>& selected)
{
    std::vector<core::query::LaneTrace> lanes;
    lanes.reserve(selected.size());
    for (const auto& s : selected)
        lanes.push_back({core::query::traceName(*s.entry), s.trace});
    return lanes;
}

} // namespace

std::vector<SelectedTrace> selectTraces(const core::Storage& storage, const std::vector<core::TypeIndex>& indexes,
                                        const QString& select, const QString& classifiers,
                                        std::vector<core::StorageError>* loadErrors)
{
    std::vector<SelectedTrace> selected;
    const auto entries = core::query::selectEntries(indexes, core::query::Filter(select.toStdString()),
                                                    core::query::Filter(classifiers.toStdString()));
    for (const core::IndexEntry* entry : entries) {
        try {
            selected.push_back(
                {entry, std::make_shared<const core::Trace>(core::loadTrace(storage.absolutePath(*entry))), {}});
        } catch (const core::StorageError& e) {
            if (!loadErrors)
                throw;
            loadErrors->push_back(e);
        }
    }
    const std::vector<std::string> labels = core::query::laneLabels(laneTraces(selected));
    for (std::size_t i = 0; i < selected.size(); ++i)
        selected[i].label = QString::fromStdString(labels[i]);
    return selected;
}

core::query::LaneSelection laneSelection(const std::vector<SelectedTrace>& selected)
{
    return core::query::buildLanes(laneTraces(selected));
}

namespace {

std::optional<qint64> parseBar(const QString& text, bool* ok)
{
    *ok = true;
    if (text.isEmpty())
        return std::nullopt;
    const qint64 value = text.toLongLong(ok);
    *ok = *ok && value >= 0;
    return value;
}

} // namespace

QString parseBarRange(const QString& fromText, const QString& toText, std::optional<qint64>* from,
                      std::optional<qint64>* to)
{
    bool ok = true;
    *from = parseBar(fromText, &ok);
    if (!ok)
        return QStringLiteral("--from wants a bar index (0 or more), not '%1'").arg(fromText);
    *to = parseBar(toText, &ok);
    if (!ok)
        return QStringLiteral("--to wants a bar index (0 or more), not '%1'").arg(toText);
    if (*from && *to && **to <= **from)
        return QStringLiteral("--to (%1) must be after --from (%2)").arg(**to).arg(**from);
    return {};
}

} // namespace sigscope::cli
