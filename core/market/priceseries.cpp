#include "core/market/priceseries.h"

#include "core/model/timestamp.h"
#include "core/util/inputfile.h"

#include <algorithm>
#include <charconv>

namespace sigscope::core {

std::optional<std::size_t> PriceSeries::rowOfBar(std::int64_t bar) const
{
    const auto it = std::lower_bound(bars.begin(), bars.end(), bar);
    if (it == bars.end() || *it != bar)
        return std::nullopt;
    return static_cast<std::size_t>(it - bars.begin());
}

std::optional<double> PriceSeries::closeAt(std::int64_t bar) const
{
    if (const auto row = rowOfBar(bar))
        return closes[*row];
    return std::nullopt;
}

namespace {

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '"'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '"'))
        s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> splitCommas(std::string_view line)
{
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = line.find(',', start);
        fields.push_back(trim(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
        if (comma == std::string_view::npos)
            break;
        start = comma + 1;
    }
    return fields;
}

template<typename T>
bool parseNumber(std::string_view text, T& out)
{
    const auto* end = text.data() + text.size();
    const auto result = std::from_chars(text.data(), end, out);
    return !text.empty() && result.ec == std::errc() && result.ptr == end;
}

Finding makeFinding(Finding::Severity severity, const std::string& path, std::int64_t line, std::string message)
{
    return Finding{severity, "market-csv", path, line, std::move(message)};
}

// "SPY_1m.csv" -> ("SPY", "1m"); the symbol itself may hold underscores ("BRK_B_5m").
void symbolFromFileName(const std::string& path, PriceSeries& series)
{
    const std::string stem = std::filesystem::path(path).stem().string();
    const std::size_t underscore = stem.rfind('_');
    if (underscore == std::string::npos || underscore == 0 || underscore + 1 == stem.size())
        return;
    series.symbol = stem.substr(0, underscore);
    series.timeframe = stem.substr(underscore + 1);
}

} // namespace

MarketCsvResult parseMarketCsv(std::string_view text, const std::string& pathForMessages)
{
    MarketCsvResult result;
    symbolFromFileName(pathForMessages, result.series);

    std::size_t pos = 0;
    std::int64_t lineNo = 0;
    auto nextLine = [&](std::string_view& line) {
        if (pos >= text.size())
            return false;
        const std::size_t nl = text.find('\n', pos);
        line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
        ++lineNo;
        return true;
    };

    std::string_view line;
    if (!nextLine(line)) {
        result.error = makeFinding(Finding::Severity::Error, pathForMessages, 0, "empty file: no header line");
        return result;
    }
    if (line.substr(0, 3) == "\xEF\xBB\xBF")
        line.remove_prefix(3);
    const auto header = splitCommas(line);
    auto column = [&](std::string_view name) -> std::optional<std::size_t> {
        for (std::size_t i = 0; i < header.size(); ++i) {
            std::string lower(header[i]);
            std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
            if (lower == name)
                return i;
        }
        return std::nullopt;
    };
    const auto barCol = column("bar_index");
    const auto closeCol = column("close");
    const auto timeCol = column("timestamp");
    if (!barCol || !closeCol) {
        result.error = makeFinding(Finding::Severity::Error, pathForMessages, 1,
                                   "header must name the columns bar_index and close");
        return result;
    }
    const std::size_t needed = std::max({*barCol, *closeCol, timeCol.value_or(0)}) + 1;

    auto& s = result.series;
    s.bars.reserve(text.size() / 60);
    s.times.reserve(text.size() / 60);
    s.closes.reserve(text.size() / 60);
    while (nextLine(line)) {
        if (trim(line).empty())
            continue;
        const auto fields = splitCommas(line);
        if (fields.size() < needed) {
            result.warnings.push_back(makeFinding(Finding::Severity::Warning, pathForMessages, lineNo,
                                                  "row has " + std::to_string(fields.size()) + " fields, skipped"));
            continue;
        }
        std::int64_t bar = 0;
        double close = 0;
        if (!parseNumber(fields[*barCol], bar) || !parseNumber(fields[*closeCol], close)) {
            result.warnings.push_back(
                makeFinding(Finding::Severity::Warning, pathForMessages, lineNo, "bad bar_index or close, skipped"));
            continue;
        }
        if (!s.bars.empty() && bar <= s.bars.back()) {
            result.warnings.push_back(makeFinding(Finding::Severity::Warning, pathForMessages, lineNo,
                                                  "bar_index " + std::to_string(bar) + " not increasing, skipped"));
            continue;
        }
        std::int64_t time = kNoTime;
        if (timeCol) {
            if (const auto parsed = parseIsoTime(fields[*timeCol]))
                time = parsed->utcMicros;
        }
        s.bars.push_back(bar);
        s.times.push_back(time);
        s.closes.push_back(close);
    }
    result.ok = true;
    return result;
}

MarketCsvResult readMarketCsv(const std::filesystem::path& path)
{
    // Through InputFile like every input: a FIFO named *.csv fails at once instead of blocking.
    std::string text;
    try {
        text = readInputFile(path);
    } catch (const InputFileError& e) {
        const std::string reason = e.what();
        MarketCsvResult result;
        result.error = makeFinding(Finding::Severity::Error, path.string(), 0,
                                   reason.starts_with("cannot open") ? std::string("cannot open file") : reason);
        return result;
    }
    return parseMarketCsv(text, path.string());
}

std::filesystem::path marketCsvPath(const std::filesystem::path& storageRoot, std::string_view symbol,
                                    std::string_view timeframe)
{
    std::string file;
    file.append(symbol).append("_").append(timeframe).append(".csv");
    return storageRoot / "market" / file;
}

std::optional<std::filesystem::path> findMarketCsv(const std::filesystem::path& storageRoot, std::string_view symbol,
                                                   std::string_view timeframe)
{
    auto path = marketCsvPath(storageRoot, symbol, timeframe);
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec))
        return path;
    return std::nullopt;
}

} // namespace sigscope::core
