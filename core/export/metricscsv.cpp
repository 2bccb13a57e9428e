#include "core/export/metricscsv.h"

#include "core/export/csv.h"

#include <charconv>
#include <cmath>

namespace sigscope::core::csv {

std::string metricNumber(std::string_view name, double value)
{
    if (std::isnan(value))
        return {};
    if (std::isinf(value))
        return value > 0 ? "inf" : "-inf";
    if (name == "trades" || name == "flips")
        return std::to_string(std::int64_t(value));
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

std::vector<std::string> metricsHeader()
{
    std::vector<std::string> header = {"file_path", "kind", "type", "name", "symbol", "timeframe", "run"};
    for (const std::string& name : metrics::metricNames())
        header.push_back(name);
    header.emplace_back("same_as");
    header.emplace_back("reason");
    return header;
}

std::string metrics(const std::vector<metrics::Row>& rows)
{
    std::vector<std::vector<std::string>> lines;
    lines.reserve(rows.size());
    for (const metrics::Row& r : rows) {
        const IndexEntry& e = *r.entry;
        std::vector<std::string> line = {e.filePath,
                                         std::string(kindName(e.kind)),
                                         e.type,
                                         e.name,
                                         e.symbol.value_or(std::string()),
                                         e.timeframe.value_or(std::string()),
                                         e.run.value_or(std::string())};
        for (const std::string& name : metrics::metricNames())
            line.push_back(metricNumber(name, metrics::metricValue(r.metrics, name)));
        line.push_back(r.sameAs ? r.sameAs->filePath : std::string());
        line.push_back(r.metrics.ok ? std::string() : r.metrics.reason);
        lines.push_back(std::move(line));
    }
    return table(metricsHeader(), lines);
}

} // namespace sigscope::core::csv
