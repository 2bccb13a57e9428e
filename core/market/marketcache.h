#pragma once

#include "core/market/priceseries.h"
#include "core/model/identity.h"

#include <filesystem>
#include <map>
#include <memory>
#include <string>

namespace sigscope::core {

// Market series by file, each read once, for scoring many traces (sigscope metrics, the sweep
// heatmap). Not thread-safe: one cache per job.
class MarketCache
{
public:
    // The series of the CSV at path, read on first use; nullptr when it cannot be read. The
    // first call for such a file sets error to "market file <path>: <reason>"; later calls
    // return nullptr without a message, so a file is reported once.
    const PriceSeries* get(const std::filesystem::path& path, std::string* error);

    // The bar prices of a trace in metrics: the storage's own market/<SYMBOL>_<timeframe>.csv
    // when the trace has a symbol and a timeframe and that file exists, else nullptr (the prices
    // recorded with the changes). error as for get().
    const PriceSeries* forTrace(const TraceIdentity& identity, const std::filesystem::path& storageRoot,
                                std::string* error);

private:
    std::map<std::filesystem::path, std::shared_ptr<const PriceSeries>> m_series;
};

} // namespace sigscope::core
