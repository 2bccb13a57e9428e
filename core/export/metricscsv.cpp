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

namespace {

std::vector<std::string> identityCells(const IndexEntry& e)
{
    return {e.filePath,
            std::string(kindName(e.kind)),
            e.type,
            e.name,
            e.symbol.value_or(std::string()),
            e.timeframe.value_or(std::string()),
            e.run.value_or(std::string())};
}

void appendMetrics(std::vector<std::string>& line, const metrics::TraceMetrics& m)
{
    for (const std::string& name : metrics::metricNames())
        line.push_back(metricNumber(name, metrics::metricValue(m, name)));
}

} // namespace

std::string metrics(const std::vector<metrics::Row>& rows)
{
    std::vector<std::vector<std::string>> lines;
    lines.reserve(rows.size());
    for (const metrics::Row& r : rows) {
        std::vector<std::string> line = identityCells(*r.entry);
        appendMetrics(line, r.metrics);
        line.push_back(r.sameAs ? r.sameAs->filePath : std::string());
        line.push_back(r.metrics.ok ? std::string() : r.metrics.reason);
        lines.push_back(std::move(line));
    }
    return table(metricsHeader(), lines);
}

std::string metricsByRegime(const std::vector<metrics::RegimeRow>& rows)
{
    std::vector<std::string> header = {"file_path", "kind", "type", "name", "symbol", "timeframe", "run",
                                       "classifier", "regime"};
    for (const std::string& name : metrics::metricNames())
        header.push_back(name);
    header.emplace_back("reason");
    std::vector<std::vector<std::string>> lines;
    lines.reserve(rows.size());
    for (const metrics::RegimeRow& r : rows) {
        std::vector<std::string> line = identityCells(*r.row->entry);
        line.push_back(r.classifier ? r.classifier->entry->filePath : std::string());
        line.push_back(r.regime);
        appendMetrics(line, r.metrics);
        line.push_back(r.metrics.ok ? std::string() : r.metrics.reason);
        lines.push_back(std::move(line));
    }
    return table(header, lines);
}

} // namespace sigscope::core::csv
