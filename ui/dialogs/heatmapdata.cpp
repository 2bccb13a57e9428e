#include "ui/dialogs/heatmapdata.h"

#include "core/analysis/metrics.h"
#include "core/analysis/metricstable.h"
#include "core/storage/traceio.h"

#include <cmath>
#include <limits>

namespace sigscope::ui {

const std::vector<double>* HeatmapData::metric(const std::string& name) const
{
    const auto& names = core::metrics::metricNames();
    for (std::size_t i = 0; i < names.size() && i < values.size(); ++i)
        if (names[i] == name)
            return &values[i];
    return nullptr;
}

core::Parameters heatmapParametersOf(const core::IndexEntry& entry)
{
    core::Parameters p = core::sweep::heatmapParameters(entry.parameters, entry.name);
    if (entry.symbol && !p.find("symbol"))
        p.set("symbol", *entry.symbol);
    return p;
}

std::vector<core::IndexEntry> signalEntriesOf(const std::vector<core::TypeIndex>& indexes, const QString& type)
{
    const std::string wanted = type.toStdString();
    for (const core::TypeIndex& index : indexes)
        if (index.kind == core::Kind::Signal && index.type == wanted)
            return index.entries;
    return {};
}

HeatmapData measureType(const std::filesystem::path& root, const QString& type,
                        const std::vector<core::IndexEntry>& entries, const HeatmapPricing& pricing,
                        const core::ProgressCallback& progress)
{
    const auto& names = core::metrics::metricNames();
    HeatmapData data;
    data.type = type;
    data.values.assign(names.size(), std::vector<double>(entries.size(), std::numeric_limits<double>::quiet_NaN()));
    core::metrics::MarketCache markets;
    core::metrics::Options options;
    options.priceOffset = pricing.priceOffset;
    options.costBps = pricing.costBps;
    // Scored as sigscope metrics and the tree's columns score (a cell needs the numbers only).
    core::metrics::Scorer scorer(root, options, pricing.market.get(), markets,
                                 [&data](const std::string& error) { data.problems << QString::fromStdString(error); });
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const core::IndexEntry& entry = entries[i];
        core::Progress step;
        step.done = i;
        step.total = entries.size();
        step.current = entry.name;
        if (progress && !progress(step)) {
            data.cancelled = true;
            break;
        }
        data.paths << QString::fromStdString(entry.filePath);
        data.parameters.push_back(heatmapParametersOf(entry));
        try {
            const core::metrics::TraceMetrics metrics = scorer.score(core::loadTrace(root / entry.filePath));
            for (std::size_t m = 0; m < names.size(); ++m)
                data.values[m][i] = core::metrics::metricValue(metrics, names[m]);
        } catch (const std::exception& e) {
            data.problems << QString::fromUtf8(e.what());
        }
    }
    for (auto& column : data.values)
        column.resize(std::size_t(data.paths.size()));
    return data;
}

} // namespace sigscope::ui
