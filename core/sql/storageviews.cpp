#include "core/sql/storageviews.h"

#include "core/market/priceseries.h"
#include "core/model/timestamp.h"
#include "core/model/trace.h"
#include "core/sql/parquetviews.h"
#include "core/storage/parquetstorage.h"
#include "core/storage/traceio.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <thread>

namespace sigscope::core::sql {

namespace {

namespace fs = std::filesystem;

constexpr const char* kTracesTable = R"sql(
CREATE TABLE traces (
    file_path VARCHAR NOT NULL, kind VARCHAR NOT NULL, type VARCHAR NOT NULL, name VARCHAR NOT NULL,
    symbol VARCHAR, timeframe VARCHAR, run VARCHAR, variant BIGINT, parameters VARCHAR NOT NULL,
    changes BIGINT NOT NULL, first_bar BIGINT, last_bar BIGINT, first_time TIMESTAMP, last_time TIMESTAMP,
    total_bars BIGINT NOT NULL, hash VARCHAR NOT NULL);
)sql";
constexpr const char* kChangesTable = R"sql(
CREATE TABLE changes (
    file_path VARCHAR NOT NULL, kind VARCHAR NOT NULL, bar BIGINT NOT NULL, time TIMESTAMP,
    value VARCHAR NOT NULL, signal INTEGER, price DOUBLE, next_bar BIGINT NOT NULL);
)sql";
constexpr const char* kJoinedViews = R"sql(
CREATE VIEW signals AS
    SELECT t.file_path, t.type, t.name, t.symbol, t.timeframe, t.run, t.parameters, t.hash,
           c.bar, c.next_bar, c.time, c.signal, c.price
    FROM changes c JOIN traces t USING (file_path) WHERE c.kind = 'signal';
CREATE VIEW classifiers AS
    SELECT t.file_path, t.type, t.name, t.symbol, t.timeframe, t.run, t.parameters, t.hash,
           c.bar, c.next_bar, c.time, c.value AS regime, c.price
    FROM changes c JOIN traces t USING (file_path) WHERE c.kind = 'classifier';
)sql";

// Trades and metrics with the prices recorded with the changes (core::metrics with no market data
// and cost 0; storageviews.h). Only the last change on a bar holds (next_bar > bar); a run is a
// held change whose position differs from the one before it. Sums, products and the drawdown are
// folded in trade order (list_reduce), as core::metrics folds them, so the numbers are the same
// to the last bit.
constexpr const char* kMetricsViews = R"sql(
CREATE VIEW sigscope_runs AS
    WITH held AS (
        SELECT file_path, bar, next_bar, signal, price,
               coalesce(lag(signal) OVER w, 0) AS before,
               last_value(price) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last_price,
               max(next_bar) OVER (PARTITION BY file_path) AS end_bar
        FROM signals WHERE next_bar > bar
        WINDOW w AS (PARTITION BY file_path ORDER BY bar))
    SELECT file_path, bar AS start_bar, signal, before, price, last_price, end_bar,
           lead(bar) OVER w AS next_start, lead(price) OVER w AS next_price
    FROM held WHERE signal <> before
    WINDOW w AS (PARTITION BY file_path ORDER BY bar);
CREATE VIEW trades AS
    SELECT file_path, entry_bar, exit_bar, position, entry_price, exit_price,
           position * (exit_price / entry_price - 1.0) AS "return", open
    FROM (SELECT file_path, start_bar AS entry_bar, coalesce(next_start, end_bar) AS exit_bar, signal AS position,
                 price AS entry_price, CASE WHEN next_start IS NULL THEN last_price ELSE next_price END AS exit_price,
                 next_start IS NULL AS open
          FROM sigscope_runs WHERE signal <> 0);
CREATE VIEW metrics AS
    WITH per AS (
        SELECT file_path, count(*) AS trades, count(*) FILTER (WHERE "return" > 0) AS wins,
               sum(exit_bar - entry_bar) AS exposed, bool_or("return" IS NULL) AS unpriced,
               list("return" ORDER BY entry_bar) AS r
        FROM trades GROUP BY file_path),
    folded AS (
        SELECT file_path, trades, wins, exposed, unpriced,
               list_reduce(r, lambda a, x: a + x, 0.0) AS total,
               list_reduce(list_filter(r, lambda x: x > 0), lambda a, x: a + x, 0.0) AS gains,
               list_reduce(list_filter(r, lambda x: x <= 0), lambda a, x: a - x, 0.0) AS losses,
               list_reduce(list_transform(r, lambda x: {'e': 1.0 + x, 'p': 1.0::DOUBLE, 'd': 0.0::DOUBLE}),
                           lambda a, g: {'e': a.e * g.e, 'p': greatest(a.p, a.e * g.e),
                                         'd': greatest(a.d, 1.0 - a.e * g.e / greatest(a.p, a.e * g.e))},
                           {'e': 1.0::DOUBLE, 'p': 1.0::DOUBLE, 'd': 0.0::DOUBLE}) AS equity
        FROM per WHERE NOT unpriced),
    flips AS (
        SELECT file_path, count(*) FILTER (WHERE before * signal < 0) AS flips FROM sigscope_runs GROUP BY file_path)
    SELECT t.file_path, t.type, t.name, t.symbol, t.timeframe, t.run,
           CASE WHEN p.unpriced THEN NULL ELSE coalesce(f.trades, 0) END AS trades,
           f.wins::DOUBLE / f.trades AS win_rate,
           f.total / f.trades AS avg_trade,
           CASE WHEN f.trades IS NULL THEN NULL WHEN f.losses > 0 THEN f.gains / f.losses
                ELSE 'infinity'::DOUBLE END AS profit_factor,
           CASE WHEN p.unpriced THEN NULL ELSE coalesce(f.equity.e, 1.0) - 1.0 END AS total_return,
           CASE WHEN p.unpriced THEN NULL ELSE coalesce(f.equity.d, 0.0) END AS max_drawdown,
           CASE WHEN p.unpriced OR t.total_bars = 0 THEN NULL
                ELSE coalesce(f.exposed, 0)::DOUBLE / t.total_bars END AS exposure,
           f.exposed::DOUBLE / f.trades AS mean_hold,
           CASE WHEN p.unpriced THEN NULL ELSE coalesce(n.flips, 0) END AS flips
    FROM traces t LEFT JOIN per p USING (file_path) LEFT JOIN folded f USING (file_path)
         LEFT JOIN flips n USING (file_path)
    WHERE t.kind = 'signal';
)sql";

// Version 2 (docs/format.md "Version 2 (Parquet)"): changes is a view straight over the Parquet
// changes files, each row named by its trace's file_path through this table (one row per listed
// trace: the newest part of each hash), in the order the version-1 table is filled.
constexpr const char* kPartsTable = R"sql(
CREATE TABLE sigscope_parts (
    seq BIGINT NOT NULL, file_path VARCHAR NOT NULL, changes_file VARCHAR NOT NULL, hash VARCHAR NOT NULL,
    kind VARCHAR NOT NULL, total_bars BIGINT NOT NULL);
)sql";
constexpr const char* kParquetChanges = R"sql(
CREATE VIEW changes AS
    SELECT p.file_path, p.kind, c.bar, c.time, coalesce(CAST(c.value AS VARCHAR), c.regime) AS value,
           c.value AS signal, NULLIF(c.price, 0.0) AS price,
           coalesce(lead(c.bar) OVER (PARTITION BY p.seq ORDER BY c.file_row_number), p.total_bars) AS next_bar
    FROM read_parquet([%FILES%], filename = true, file_row_number = true, hive_partitioning = false) c
    JOIN sigscope_parts p ON p.changes_file = c.filename AND p.hash = c.hash
    ORDER BY p.seq, c.file_row_number;
)sql";

constexpr const char* kMarketSchema =
    "CREATE TABLE market (symbol VARCHAR, timeframe VARCHAR, bar BIGINT NOT NULL, time TIMESTAMP, close DOUBLE)";

// Traces load in batches (bounded memory), each batch on several threads, then go to DuckDB in order.
constexpr std::size_t kBatch = 512;

// The one place that turns an index entry into its trace: a storage kind that Storage learns
// later (Parquet) is loaded here through Storage's own path for the entry.
Trace loadEntry(const Storage& storage, const IndexEntry& entry)
{
    return loadTrace(storage.absolutePath(entry));
}

struct Loaded {
    std::optional<Trace> trace;
    std::string error;
};

void loadBatch(const Storage& storage, const std::vector<const IndexEntry*>& entries, std::vector<Loaded>& out)
{
    out.assign(entries.size(), {});
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t i = next++; i < entries.size(); i = next++) {
            try {
                out[i].trace = loadEntry(storage, *entries[i]);
            } catch (const std::exception& e) {
                out[i].error = e.what();
            }
        }
    };
    const std::size_t threads =
        std::min<std::size_t>(std::max(1U, std::thread::hardware_concurrency()), (entries.size() + 7) / 8);
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t)
        pool.emplace_back(work);
    work();
    for (std::thread& thread : pool)
        thread.join();
}

void appendOptional(Appender& appender, const std::optional<std::string>& text)
{
    if (text)
        appender.append(std::string_view(*text));
    else
        appender.appendNull();
}

void appendTime(Appender& appender, std::int64_t micros)
{
    if (micros == kNoTime)
        appender.appendNull();
    else
        appender.appendTimestamp(micros);
}

// The columns of traces from file_path to parameters.
void appendIdentity(Appender& appender, const std::string& filePath, const std::string& type, const TraceIdentity& id)
{
    appender.append(std::string_view(filePath));
    appender.append(kindName(id.kind));
    appender.append(std::string_view(type));
    appender.append(std::string_view(id.name));
    appendOptional(appender, id.symbol);
    appendOptional(appender, id.timeframe);
    appendOptional(appender, id.run);
    if (id.variant)
        appender.append(*id.variant);
    else
        appender.appendNull();
    appender.append(std::string_view(id.parameters.canonicalJson()));
}

void appendTraceRow(Appender& appender, const IndexEntry& entry, const Trace& trace)
{
    const TraceIdentity& id = trace.identity;
    appendIdentity(appender, entry.filePath, entry.type, id);
    appender.append(static_cast<std::int64_t>(trace.size()));
    if (trace.empty()) {
        for (int i = 0; i < 4; ++i)
            appender.appendNull();
    } else {
        appender.append(trace.bar(0));
        appender.append(trace.bar(trace.size() - 1));
        appendTime(appender, trace.time(0));
        appendTime(appender, trace.time(trace.size() - 1));
    }
    appender.append(trace.effectiveTotalBars());
    appender.append(std::string_view(id.hashHex()));
    appender.endRow();
}

void appendChangeRows(Appender& appender, const IndexEntry& entry, const Trace& trace)
{
    const bool signal = trace.kind() == Kind::Signal;
    const std::string_view kind = kindName(trace.kind());
    const std::int64_t end = trace.effectiveTotalBars();
    for (std::size_t i = 0; i < trace.size(); ++i) {
        appender.append(std::string_view(entry.filePath));
        appender.append(kind);
        appender.append(trace.bar(i));
        appendTime(appender, trace.time(i));
        if (signal) {
            const std::int32_t v = trace.value(i);
            appender.append(std::string_view(std::to_string(v)));
            appender.append(static_cast<std::int64_t>(v));
        } else {
            appender.append(trace.regimeName(i));
            appender.appendNull();
        }
        const double price = trace.price(i);
        if (price == 0.0)
            appender.appendNull();
        else
            appender.append(price);
        appender.append(i + 1 < trace.size() ? trace.bar(i + 1) : end);
        appender.endRow();
    }
}

// <root>/market/*.csv through core's market reader; false when there is none.
bool createMarket(Database& db, const fs::path& root, StorageViewsReport& report)
{
    const fs::path folder = root / "market";
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        return false;
    std::vector<fs::path> files;
    for (const auto& item : fs::directory_iterator(folder, ec))
        if (item.path().extension() == ".csv" && item.is_regular_file(ec))
            files.push_back(item.path());
    if (files.empty())
        return false;
    std::sort(files.begin(), files.end());
    db.execute(kMarketSchema);
    Appender appender(db, "market");
    for (const fs::path& file : files) {
        const MarketCsvResult read = readMarketCsv(file);
        if (!read.ok) {
            report.findings.push_back(read.error);
            continue;
        }
        const PriceSeries& s = read.series;
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (s.symbol.empty())
                appender.appendNull();
            else
                appender.append(std::string_view(s.symbol));
            if (s.timeframe.empty())
                appender.appendNull();
            else
                appender.append(std::string_view(s.timeframe));
            appender.append(s.bars[i]);
            appendTime(appender, s.times[i]);
            appender.append(s.closes[i]);
            appender.endRow();
        }
        report.marketRows += s.size();
    }
    appender.close();
    return true;
}

void appendEntryRow(Appender& appender, const IndexEntry& entry)
{
    const TraceIdentity id = entry.identity();
    appendIdentity(appender, entry.filePath, entry.type, id);
    appender.append(entry.totalItems);
    for (const auto& bar : {entry.firstIdx, entry.lastIdx}) {
        if (bar)
            appender.append(*bar);
        else
            appender.appendNull();
    }
    for (const std::string* text : {&entry.firstTs, &entry.lastTs}) {
        const auto parsed = parseIsoTime(*text);
        appendTime(appender, parsed ? parsed->utcMicros : kNoTime);
    }
    appender.append(entry.totalBars);
    appender.append(std::string_view(id.hashHex()));
    appender.endRow();
}

// traces from the listing (no change is read), changes as a view over the Parquet files.
void createParquetViews(Database& db, const Storage& storage, const std::vector<const IndexEntry*>& entries,
                        StorageViewsReport& report)
{
    db.execute(kTracesTable);
    db.execute(kPartsTable);
    std::set<std::string> files;
    {
        Appender traces(db, "traces"), parts(db, "sigscope_parts");
        std::int64_t seq = 0;
        for (const IndexEntry* e : entries) {
            appendEntryRow(traces, *e);
            const std::string part = e->filePath.substr(0, e->filePath.rfind('#'));
            std::error_code ec;
            const fs::path changes = storage.root() / kChangesFolder / fs::path(part).lexically_relative(kTracesFolder);
            const fs::path absolute = fs::absolute(changes, ec).lexically_normal();
            files.insert(absolute.string());
            parts.append(seq++);
            parts.append(std::string_view(e->filePath));
            parts.append(std::string_view(absolute.string()));
            parts.append(std::string_view(e->fileHash));
            parts.append(kindName(e->kind));
            parts.append(e->totalBars);
            parts.endRow();
            ++report.traces;
            report.changes += static_cast<std::size_t>(e->totalItems);
        }
        traces.close();
        parts.close();
    }
    if (files.empty()) {
        db.execute(kChangesTable);
    } else {
        std::string list;
        for (const auto& f : files)
            list += (list.empty() ? "" : ", ") + literal(f);
        std::string view = kParquetChanges;
        view.replace(view.find("%FILES%"), 7, list);
        db.execute(view);
    }
    db.execute(kJoinedViews);
    db.execute(kMetricsViews);
}

// The views over the tables (or views) traces and changes, and the market.
void finishViews(Database& db, const fs::path& root, StorageViewsReport& report, const ProgressCallback& progress)
{
    db.execute(kJoinedViews);
    db.execute(kMetricsViews);
    report.market = createMarket(db, root, report);
    if (progress)
        progress({.done = report.traces, .total = report.traces, .itemsDone = report.changes, .current = {}});
}

void lockDown(OpenedStorage& opened, const fs::path& root)
{
    std::error_code ec;
    const fs::path absolute = fs::absolute(root, ec);
    opened.database.lockDown({(ec ? root : absolute).lexically_normal().string()});
}

} // namespace

StorageViewsReport createStorageViews(Database& db, const Storage& storage, const ProgressCallback& progress)
{
    StorageViewsReport report;
    if (storage.formatVersion() == kParquetFormatVersion && createUnlistedParquetViews(db, storage.root(), report)) {
        finishViews(db, storage.root(), report, progress);
        return report;
    }
    const std::vector<TypeIndex> indexes = storage.readAllIndexes(&report.findings);
    std::vector<const IndexEntry*> all;
    for (const TypeIndex& index : indexes)
        for (const IndexEntry& entry : index.entries)
            all.push_back(&entry);

    if (storage.formatVersion() == kParquetFormatVersion) {
        createParquetViews(db, storage, all, report);
        report.market = createMarket(db, storage.root(), report);
        if (progress)
            progress({.done = all.size(), .total = all.size(), .itemsDone = report.changes, .current = {}});
        return report;
    }
    db.execute(kTracesTable);
    db.execute(kChangesTable);
    db.execute(kJoinedViews);
    db.execute(kMetricsViews);
    Appender traces(db, "traces");
    Appender changes(db, "changes");
    std::vector<Loaded> loaded;
    for (std::size_t first = 0; first < all.size(); first += kBatch) {
        const std::vector<const IndexEntry*> batch(all.begin() + std::ptrdiff_t(first),
                                                   all.begin() + std::ptrdiff_t(std::min(all.size(), first + kBatch)));
        if (progress && !progress({.done = first, .total = all.size(), .itemsDone = report.changes,
                                   .current = batch.front()->filePath})) {
            report.cancelled = true;
            break;
        }
        loadBatch(storage, batch, loaded);
        for (std::size_t i = 0; i < batch.size(); ++i) {
            if (!loaded[i].trace) {
                report.findings.push_back({Finding::Severity::Error, "unreadable-trace", batch[i]->filePath, 0,
                                           loaded[i].error});
                continue;
            }
            appendTraceRow(traces, *batch[i], *loaded[i].trace);
            appendChangeRows(changes, *batch[i], *loaded[i].trace);
            ++report.traces;
            report.changes += loaded[i].trace->size();
        }
    }
    traces.close();
    changes.close();
    report.market = createMarket(db, storage.root(), report);
    if (progress)
        progress({.done = all.size(), .total = all.size(), .itemsDone = report.changes, .current = {}});
    return report;
}

OpenedStorage openStorageDatabase(const fs::path& root, const ProgressCallback& progress)
{
    {
        // A version-2 storage is not listed when every row of its files is listed anyway.
        OpenedStorage opened;
        if (createUnlistedParquetViews(opened.database, root, opened.report)) {
            finishViews(opened.database, root, opened.report, progress);
            lockDown(opened, root);
            return opened;
        }
    }
    return openStorageDatabase(Storage::open(root), progress);
}

OpenedStorage openStorageDatabase(const Storage& storage, const ProgressCallback& progress)
{
    OpenedStorage opened;
    opened.report = createStorageViews(opened.database, storage, progress);
    lockDown(opened, storage.root());
    return opened;
}

bool insideFolder(const fs::path& file, const fs::path& root)
{
    std::error_code ec;
    const fs::path f = fs::weakly_canonical(fs::absolute(file, ec), ec);
    const fs::path r = fs::weakly_canonical(fs::absolute(root, ec), ec);
    if (ec)
        return false;
    const auto [rootEnd, fileAt] = std::mismatch(r.begin(), r.end(), f.begin(), f.end());
    return rootEnd == r.end() || (std::next(rootEnd) == r.end() && rootEnd->empty());
}

} // namespace sigscope::core::sql
