#include "core/query/lanes.h"

#include "core/market/priceseries.h"
#include "core/model/trace.h"
#include "core/storage/storage.h"
#include "core/util/naturalorder.h"

#include <algorithm>
#include <set>

namespace sigscope::core::query {

namespace {

const std::string& symbolOf(const Trace& trace)
{
    static const std::string none;
    return trace.identity.symbol ? *trace.identity.symbol : none;
}

} // namespace

std::string traceName(const IndexEntry& entry)
{
    if (!entry.variant)
        return entry.name;
    return entry.name + " #" + std::to_string(*entry.variant);
}

bool treeOrderLess(const IndexEntry& a, const IndexEntry& b)
{
    if (a.kind != b.kind)
        return a.kind == Kind::Signal;
    return naturalLess(a.filePath, b.filePath);
}

std::vector<const IndexEntry*> selectEntries(const std::vector<TypeIndex>& indexes, const Filter& any,
                                             const Filter& classifiers)
{
    std::vector<const IndexEntry*> selected;
    for (const auto& index : indexes) {
        for (const auto& entry : index.entries) {
            if (any.isEmpty() && classifiers.isEmpty())
                continue;
            const std::string fields = entryFields(entry);
            if (any.matches(fields) || (entry.kind == Kind::Classifier && classifiers.matches(fields)))
                selected.push_back(&entry);
        }
    }
    std::stable_sort(selected.begin(), selected.end(),
                     [](const IndexEntry* a, const IndexEntry* b) { return treeOrderLess(*a, *b); });
    return selected;
}

std::vector<std::string> laneLabels(const std::vector<LaneTrace>& traces)
{
    std::set<std::string> symbols;
    for (const auto& lane : traces)
        symbols.insert(symbolOf(*lane.trace));
    std::vector<std::string> labels;
    labels.reserve(traces.size());
    for (const auto& lane : traces) {
        std::string label = lane.name;
        if (symbols.size() > 1 && !symbolOf(*lane.trace).empty())
            label += ' ' + symbolOf(*lane.trace);
        labels.push_back(std::move(label));
    }
    return labels;
}

LaneSelection buildLanes(const std::vector<LaneTrace>& traces)
{
    LaneSelection lanes;
    std::vector<std::string> labels = laneLabels(traces);
    for (std::size_t i = 0; i < traces.size(); ++i) {
        const bool classifier = traces[i].trace->kind() == Kind::Classifier;
        (classifier ? lanes.classifierTraces : lanes.signalTraces).push_back(traces[i].trace);
        (classifier ? lanes.classifierLabels : lanes.signalLabels).push_back(std::move(labels[i]));
    }
    return lanes;
}

const Trace* LaneSelection::priceTrace() const
{
    if (!signalTraces.empty())
        return signalTraces.front().get();
    return classifierTraces.empty() ? nullptr : classifierTraces.front().get();
}

std::vector<LaneSelection::Labelled> LaneSelection::comparisonSet(const TracePtr& trace) const
{
    std::vector<Labelled> others;
    if (!trace || std::find(signalTraces.begin(), signalTraces.end(), trace) == signalTraces.end())
        return others;
    for (std::size_t i = 0; i < signalTraces.size(); ++i) {
        if (signalTraces[i] != trace)
            others.emplace_back(signalLabels[i], signalTraces[i]);
    }
    return others;
}

std::optional<std::filesystem::path> priceFile(const LaneSelection& lanes, const std::filesystem::path& storageRoot)
{
    const Trace* trace = lanes.priceTrace();
    if (!trace)
        return std::nullopt;
    return findMarketCsv(storageRoot, symbolOf(*trace), trace->identity.timeframe.value_or(std::string()));
}

std::vector<PriceLane> priceLanes(const LaneSelection& lanes, const std::filesystem::path& storageRoot)
{
    const auto& traces = lanes.signalTraces.empty() ? lanes.classifierTraces : lanes.signalTraces;
    std::vector<PriceLane> out;
    for (const auto& trace : traces) {
        const std::string& symbol = symbolOf(*trace);
        if (symbol.empty() || std::any_of(out.begin(), out.end(), [&](const PriceLane& p) { return p.symbol == symbol; }))
            continue;
        PriceLane lane{symbol, trace->identity.timeframe.value_or(std::string()), std::nullopt};
        lane.file = findMarketCsv(storageRoot, lane.symbol, lane.timeframe);
        out.push_back(std::move(lane));
    }
    return out;
}

} // namespace sigscope::core::query
