#include "core/analysis/metricstable.h"

#include "core/analysis/variants.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>
#include <unordered_map>
#include <utility>

namespace sigscope::core::metrics {

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

const PriceSeries* marketFor(const TraceIdentity& identity, const std::filesystem::path& storageRoot,
                             const PriceSeries* shared, MarketCache& cache, std::string* error)
{
    if (shared)
        return shared;
    if (!identity.symbol || !identity.timeframe)
        return nullptr;
    const auto path = findMarketCsv(storageRoot, *identity.symbol, *identity.timeframe);
    return path ? cache.get(*path, error) : nullptr;
}

Scorer::Scorer(std::filesystem::path storageRoot, const Options& options, const PriceSeries* shared, MarketCache& cache,
               std::function<void(const std::string&)> warn)
    : m_root(std::move(storageRoot))
    , m_options(options)
    , m_shared(shared)
    , m_cache(cache)
    , m_warn(std::move(warn))
{
    m_options.keepBarSeries = false;
}

Options Scorer::optionsFor(const Trace& trace)
{
    Options options = m_options;
    std::string error;
    options.market = marketFor(trace.identity, m_root, m_shared, m_cache, &error);
    if (!error.empty() && m_warn)
        m_warn(error + "; using the recorded prices");
    if (!options.market)
        return options;
    std::unique_ptr<BarMoves>& moves = m_moves[options.market];
    const std::int64_t bars = trace.effectiveTotalBars();
    if (!moves || !moves->serves(options.market, options.priceOffset, bars)) // twice as long when it grows
        moves = std::make_unique<BarMoves>(*options.market, options.priceOffset, moves ? 2 * bars : bars);
    options.moves = moves.get();
    return options;
}

TraceMetrics Scorer::score(const Trace& trace)
{
    return compute(trace, optionsFor(trace));
}

bool measure(std::vector<Row>& rows, const std::filesystem::path& storageRoot, const Options& options,
             const PriceSeries* shared, MarketCache& cache, const std::function<void(const std::string&)>& warn,
             const ProgressCallback& progress)
{
    Scorer scorer(storageRoot, options, shared, cache, warn);
    Progress p;
    p.total = rows.size();
    for (Row& row : rows) {
        if (progress) {
            p.current = row.label;
            if (!progress(p))
                return false;
            ++p.done;
        }
        row.metrics = scorer.score(*row.trace);
    }
    return true;
}

const Row* classifierFor(const TraceIdentity& signal, const std::vector<Row>& classifiers)
{
    const Row* sameSymbol = nullptr;
    const Row* noSymbol = nullptr;
    for (const Row& c : classifiers) {
        const TraceIdentity& id = c.trace->identity;
        if (id.symbol && id.symbol == signal.symbol) {
            if (id.timeframe == signal.timeframe)
                return &c;
            if (!sameSymbol)
                sameSymbol = &c;
        } else if (!id.symbol && !noSymbol) {
            noSymbol = &c;
        }
    }
    return sameSymbol ? sameSymbol : noSymbol;
}

std::vector<RegimeRow> measureByRegime(const std::vector<Row>& rows, const std::vector<Row>& classifiers,
                                       const std::filesystem::path& storageRoot, const Options& options,
                                       const PriceSeries* shared, MarketCache& cache,
                                       const std::function<void(const std::string&)>& warn)
{
    Scorer scorer(storageRoot, options, shared, cache, warn);
    std::vector<RegimeRow> out;
    for (const Row& row : rows) {
        const Row* classifier = classifierFor(row.trace->identity, classifiers);
        if (!classifier) {
            RegimeRow none{&row, nullptr, {}, {}};
            none.metrics.reason = "no classifier for symbol " + row.trace->identity.symbol.value_or("(none)");
            out.push_back(std::move(none));
            continue;
        }
        std::vector<RegimeMetrics> regimes = byRegime(*row.trace, *classifier->trace, scorer.optionsFor(*row.trace));
        if (regimes.empty()) {
            RegimeRow none{&row, classifier, {}, {}};
            none.metrics.reason = "no bar of the range has a regime of " + classifier->label;
            out.push_back(std::move(none));
        }
        for (RegimeMetrics& r : regimes)
            out.push_back({&row, classifier, std::move(r.regime), std::move(r.metrics)});
    }
    return out;
}

void markIdentical(std::vector<Row>& rows)
{
    std::unordered_map<const IndexEntry*, Row*> byEntry;
    std::vector<const IndexEntry*> entries;
    for (Row& r : rows) {
        if (!r.entry)
            continue;
        byEntry.emplace(r.entry, &r);
        entries.push_back(r.entry);
    }
    const auto result =
        variants::findGroups(entries, [&byEntry](const IndexEntry& e) { return byEntry.at(&e)->trace; });
    for (const auto& [entry, first] : variants::sameAs(result.groups)) {
        Row* row = byEntry.at(entry);
        row->sameAs = first;
        row->sameAsLabel = byEntry.at(first)->label;
    }
}

namespace {

bool isCount(std::string_view name)
{
    return name == "trades" || name == "flips";
}

std::string fixed(double value, int decimals)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

} // namespace

std::string filterFields(const TraceMetrics& metrics)
{
    std::string fields;
    if (!metrics.ok)
        return fields;
    for (const std::string& name : metricNames()) {
        const double value = metricValue(metrics, name);
        if (std::isnan(value))
            continue;
        char buffer[64];
        const auto end = std::isinf(value) ? std::copy_n(value > 0 ? "inf" : "-inf", value > 0 ? 3 : 4, buffer)
                                           : std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
        if (!fields.empty())
            fields += '\n';
        fields += name + '=' + std::string(buffer, end);
    }
    return fields;
}

bool comparesMetrics(const query::Filter& filter)
{
    const auto& names = metricNames();
    return std::any_of(names.begin(), names.end(), [&filter](const std::string& name) { return filter.compares(name); });
}

std::string cellText(std::string_view name, double value)
{
    if (std::isnan(value))
        return "n/a";
    if (std::isinf(value))
        return "\u2014";
    if (isCount(name))
        return std::to_string(std::int64_t(value));
    if (name == "win_rate" || name == "exposure" || name == "profit_factor" || name == "sharpe")
        return fixed(value, 3);
    if (name == "mean_hold")
        return fixed(value, 1);
    return fixed(value, 6); // returns
}

} // namespace sigscope::core::metrics
