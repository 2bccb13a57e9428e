#include "core/market/marketcache.h"

namespace sigscope::core {

const PriceSeries* MarketCache::get(const std::filesystem::path& path, std::string* error)
{
    auto it = m_series.find(path);
    if (it == m_series.end()) {
        MarketCsvResult result = readMarketCsv(path);
        std::shared_ptr<const PriceSeries> series;
        if (result.ok)
            series = std::make_shared<const PriceSeries>(std::move(result.series));
        else if (error)
            *error = "market file " + path.string() + ": " + result.error.message;
        it = m_series.emplace(path, std::move(series)).first;
    }
    return it->second.get();
}

const PriceSeries* MarketCache::forTrace(const TraceIdentity& identity, const std::filesystem::path& storageRoot,
                                         std::string* error)
{
    if (!identity.symbol || !identity.timeframe)
        return nullptr;
    const auto path = findMarketCsv(storageRoot, *identity.symbol, *identity.timeframe);
    return path ? get(*path, error) : nullptr;
}

} // namespace sigscope::core
