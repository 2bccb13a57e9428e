#include "core/analysis/metricscache.h"

#include "core/storage/writer.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <utility>

namespace sigscope::core::metrics {

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr const char* kFormatKey = "sigscope_metrics_cache";
constexpr int kFormatVersion = 1;
constexpr int kVersion1 = 1; // the storage format version written into

std::string hex16(std::uint64_t value)
{
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(value));
    return buffer;
}

std::string number(double value)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
    return buffer;
}

// "<size> <mtime in ns>" of a file, or "missing".
std::string fileStamp(const fs::path& file)
{
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    if (ec)
        return "missing";
    const auto time = fs::last_write_time(file, ec);
    if (ec)
        return "missing";
    return std::to_string(size) + " " +
           std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count());
}

std::string contentKey(const fs::path& root, const IndexEntry& entry)
{
    const std::string counts = " bars " + std::to_string(entry.totalBars) + " items " + std::to_string(entry.totalItems);
    if (!entry.changesHash.empty())
        return "changes " + entry.changesHash + counts;
    std::string file = entry.filePath;
    if (const auto hash = file.rfind('#'); hash != std::string::npos) // a trace inside a Parquet file
        file.resize(hash);
    return "file " + entry.fileHash + " " + fileStamp(root / fs::path(file)) + counts;
}

// The pricing key of an entry; empty when the pricing cannot be named (a market without a file).
std::string pricingKey(const CacheSetup& setup, const IndexEntry& entry, const Options& options,
                       const PriceSeries* shared)
{
    std::optional<fs::path> market;
    if (shared) {
        if (setup.sharedMarket.empty())
            return {};
        market = setup.sharedMarket;
    } else if (entry.symbol && entry.timeframe) {
        market = findMarketCsv(setup.root, *entry.symbol, *entry.timeframe);
    }
    std::string key;
    if (market) {
        std::error_code ec;
        const fs::path absolute = fs::absolute(*market, ec).lexically_normal();
        key = "market " + absolute.generic_string() + " " + fileStamp(absolute) + " offset " +
              std::to_string(options.priceOffset);
    } else {
        key = "recorded prices";
    }
    return key + " cost " + number(options.costBps) + " bpy " + number(barsPerYear(entry.timeframe.value_or("")));
}

Json encode(double value)
{
    if (std::isnan(value))
        return nullptr;
    if (std::isinf(value))
        return value > 0 ? "inf" : "-inf";
    return value;
}

double decode(const Json& value)
{
    if (value.is_null())
        return std::numeric_limits<double>::quiet_NaN();
    if (value.is_string()) {
        if (value == "inf")
            return std::numeric_limits<double>::infinity();
        if (value == "-inf")
            return -std::numeric_limits<double>::infinity();
        throw std::runtime_error("a number, null, \"inf\" or \"-inf\" expected");
    }
    if (!value.is_number())
        throw std::runtime_error("a number, null, \"inf\" or \"-inf\" expected");
    return value.get<double>();
}

struct Cached
{
    std::string content;
    std::string pricing;
    TraceMetrics metrics;
};

Json toJson(const std::string& filePath, const Cached& c)
{
    const TraceMetrics& m = c.metrics;
    return Json{{"file_path", filePath},     {"content", c.content},
                {"pricing", c.pricing},      {"ok", m.ok},
                {"reason", m.reason},        {"bars", m.bars},
                {"bar_prices", m.barPrices}, {"trades", m.trades},
                {"win_rate", encode(m.winRate)}, {"avg_trade", encode(m.avgTrade)},
                {"profit_factor", encode(m.profitFactor)}, {"total_return", encode(m.totalReturn)},
                {"max_drawdown", encode(m.maxDrawdown)}, {"exposure", encode(m.exposure)},
                {"mean_hold", encode(m.meanHold)}, {"flips", m.flips},
                {"sharpe", encode(m.sharpe)}};
}

const Json& field(const Json& entry, const char* name)
{
    const auto it = entry.find(name);
    if (it == entry.end())
        throw std::runtime_error(std::string("no \"") + name + "\"");
    return *it;
}

template <typename T>
T typed(const Json& entry, const char* name)
{
    const Json& value = field(entry, name);
    const bool fits = std::is_same_v<T, std::string> ? value.is_string()
                      : std::is_same_v<T, bool>      ? value.is_boolean()
                                                     : value.is_number_integer();
    if (!fits)
        throw std::runtime_error(std::string("\"") + name + "\" of the wrong type");
    return value.get<T>();
}

std::pair<std::string, Cached> fromJson(const Json& e)
{
    if (!e.is_object())
        throw std::runtime_error("not an object");
    Cached c;
    c.content = typed<std::string>(e, "content");
    c.pricing = typed<std::string>(e, "pricing");
    TraceMetrics& m = c.metrics;
    m.ok = typed<bool>(e, "ok");
    m.reason = typed<std::string>(e, "reason");
    m.bars = typed<std::int64_t>(e, "bars");
    m.barPrices = typed<bool>(e, "bar_prices");
    m.trades = typed<std::int64_t>(e, "trades");
    m.flips = typed<std::int64_t>(e, "flips");
    std::pair<const char*, double*> doubles[] = {
        {"win_rate", &m.winRate},         {"avg_trade", &m.avgTrade}, {"profit_factor", &m.profitFactor},
        {"total_return", &m.totalReturn}, {"max_drawdown", &m.maxDrawdown}, {"exposure", &m.exposure},
        {"mean_hold", &m.meanHold},       {"sharpe", &m.sharpe}};
    for (auto& [name, value] : doubles) {
        try {
            *value = decode(field(e, name));
        } catch (const std::runtime_error& error) {
            throw std::runtime_error(std::string("\"") + name + "\": " + error.what());
        }
    }
    return {typed<std::string>(e, "file_path"), std::move(c)};
}

// file_path -> its cached entries (one per pricing).
using Entries = std::multimap<std::string, Cached>;

// Adds the entries of a cache file; a damaged file is reported and adds nothing.
void readCacheFile(const fs::path& file, Entries& out, const std::function<void(const std::string&)>& warn)
{
    std::error_code ec;
    if (!fs::exists(file, ec))
        return;
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    const auto fail = [&](const std::string& reason) {
        if (warn)
            warn("metrics cache " + file.string() + ": " + reason + "; ignored");
    };
    if (!in) {
        fail("cannot be read");
        return;
    }
    const Json doc = Json::parse(text.str(), nullptr, false);
    if (doc.is_discarded()) {
        fail("not valid JSON");
        return;
    }
    if (!doc.is_object() || !doc.contains(kFormatKey) || doc[kFormatKey] != kFormatVersion || !doc.contains("entries") ||
        !doc["entries"].is_array()) {
        fail(std::string("not a metrics cache of version ") + std::to_string(kFormatVersion));
        return;
    }
    Entries read;
    std::size_t index = 0;
    try {
        for (const Json& e : doc["entries"]) {
            read.insert(fromJson(e));
            ++index;
        }
    } catch (const std::runtime_error& error) {
        fail("entry " + std::to_string(index) + ": " + error.what());
        return;
    }
    out.merge(read);
}

const Cached* lookup(const Entries& entries, const std::string& filePath, const std::string& content,
                     const std::string& pricing)
{
    const auto [first, last] = entries.equal_range(filePath);
    for (auto it = first; it != last; ++it)
        if (it->second.content == content && it->second.pricing == pricing)
            return &it->second;
    return nullptr;
}

struct Folder
{
    Kind kind = Kind::Signal;
    std::string type;
    Entries cached;
    Entries fresh;                    // computed now
    std::map<std::string, std::string> contents; // file_path -> content key of every entry scored
};

std::string serialise(const Folder& folder, const fs::path& root)
{
    Json entries = Json::array();
    // Fresh first; then the other pricings of a trace whose content did not change.
    Entries all = folder.fresh;
    for (const auto& [path, c] : folder.cached) {
        const auto content = folder.contents.find(path);
        if (content != folder.contents.end() && content->second != c.content)
            continue; // stale
        if (!lookup(all, path, c.content, c.pricing))
            all.emplace(path, c);
    }
    for (const auto& [path, c] : all)
        entries.push_back(toJson(path, c));
    std::error_code ec;
    const Json doc = {{kFormatKey, kFormatVersion},
                      {"storage", fs::absolute(root, ec).lexically_normal().generic_string()},
                      {"kind", std::string(kindName(folder.kind))},
                      {"type", folder.type},
                      {"entries", std::move(entries)}};
    return doc.dump(1) + "\n";
}

// Writes the folder's cache file: beside the index in version 1, else (or when that fails) in cacheDir.
void writeFolder(const Folder& folder, const CacheSetup& setup, CacheReport& report,
                 const std::function<void(const std::string&)>& warn)
{
    const std::string text = serialise(folder, setup.root);
    std::string failure;
    if (setup.formatVersion == kVersion1) {
        const fs::path beside = cacheFileBeside(setup.root, folder.kind, folder.type);
        try {
            writeFileAtomically(beside, text);
            report.written.push_back(beside);
            return;
        } catch (const StorageError& e) {
            failure = e.what();
        }
    }
    if (setup.cacheDir.empty()) {
        if (!failure.empty() && warn)
            warn("metrics cache not kept: " + failure);
        return;
    }
    const fs::path file = cacheFileIn(setup.cacheDir, setup.root, folder.kind, folder.type);
    try {
        std::error_code ec;
        fs::create_directories(file.parent_path(), ec);
        writeFileAtomically(file, text);
        report.written.push_back(file);
    } catch (const StorageError& e) {
        if (warn)
            warn("metrics cache not kept: " + std::string(e.what()));
    }
}

} // namespace

fs::path cacheFileBeside(const fs::path& root, Kind kind, const std::string& type)
{
    return root / std::string(kindFolder(kind)) / type / "index.metrics";
}

fs::path cacheFileIn(const fs::path& cacheDir, const fs::path& root, Kind kind, const std::string& type)
{
    std::error_code ec;
    const fs::path absolute = fs::absolute(root, ec).lexically_normal();
    std::string key = absolute.generic_string();
    while (key.size() > 1 && key.back() == '/')
        key.pop_back();
    return cacheDir / "metrics" / hex16(xxh3(key)) /
           (std::string(kindName(kind)) + "-" + hex16(xxh3(type)) + ".json");
}

std::vector<TraceMetrics> scoreCached(const std::vector<const IndexEntry*>& entries, const CacheSetup& setup,
                                      const Options& options, const PriceSeries* shared, MarketCache& markets,
                                      const TraceLoader& load, CacheReport& report,
                                      const std::function<void(const std::string&)>& warn,
                                      const ProgressCallback& progress)
{
    report = {};
    report.cacheable = options.from <= 0 && options.to == std::numeric_limits<std::int64_t>::max();
    bool marketFailed = false;
    Scorer scorer(setup.root, options, shared, markets, [&](const std::string& warning) {
        marketFailed = true;
        if (warn)
            warn(warning);
    });
    std::map<std::pair<Kind, std::string>, Folder> folders;
    std::map<std::pair<std::optional<std::string>, std::optional<std::string>>, std::string> pricings;
    std::vector<TraceMetrics> out(entries.size());
    Progress p;
    p.total = entries.size();
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const IndexEntry& entry = *entries[i];
        if (progress) {
            p.current = entry.filePath;
            if (!progress(p)) {
                report.cancelled = true;
                return out;
            }
            ++p.done;
        }
        if (entry.kind != Kind::Signal) {
            out[i].reason = "not a signal trace";
            continue;
        }
        std::string pricing;
        if (report.cacheable) { // named once per market: it looks the market file up and stats it
            auto [it, added] = pricings.try_emplace({entry.symbol, entry.timeframe});
            if (added)
                it->second = pricingKey(setup, entry, options, shared);
            pricing = it->second;
        }
        report.cacheable = report.cacheable && !pricing.empty(); // a market without a file cannot be named
        Folder* folder = nullptr;
        std::string content;
        if (!pricing.empty()) {
            auto [it, added] = folders.try_emplace({entry.kind, entry.type});
            folder = &it->second;
            if (added) {
                folder->kind = entry.kind;
                folder->type = entry.type;
                if (setup.formatVersion == kVersion1)
                    readCacheFile(cacheFileBeside(setup.root, entry.kind, entry.type), folder->cached, warn);
                if (!setup.cacheDir.empty())
                    readCacheFile(cacheFileIn(setup.cacheDir, setup.root, entry.kind, entry.type), folder->cached, warn);
            }
            content = contentKey(setup.root, entry);
            folder->contents[entry.filePath] = content;
            if (const Cached* hit = lookup(folder->cached, entry.filePath, content, pricing)) {
                out[i] = hit->metrics;
                ++report.hits;
                continue;
            }
        }
        ++report.computed;
        try {
            marketFailed = false;
            out[i] = scorer.score(*load(entry));
        } catch (const std::exception& e) {
            out[i] = {};
            out[i].reason = e.what();
            continue;
        }
        out[i].tradeList.clear();
        if (folder && !marketFailed)
            folder->fresh.emplace(entry.filePath, Cached{content, pricing, out[i]});
    }
    if (setup.write)
        for (const auto& [key, folder] : folders)
            if (!folder.fresh.empty())
                writeFolder(folder, setup, report, warn);
    return out;
}

} // namespace sigscope::core::metrics
