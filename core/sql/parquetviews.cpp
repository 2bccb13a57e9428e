#include "core/sql/parquetviews.h"

#include "core/model/timestamp.h"
#include "core/storage/jsonsax.h"
#include "core/storage/parquetstorage.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

namespace sigscope::core::sql {

namespace {

namespace fs = std::filesystem;

// What the views compute only when a query asks for it: file_path needs the listing (the name
// version 1 gives each trace), next_bar the order of a changes file's rows. Shared by the
// functions, which DuckDB calls on several threads at once.
struct Lazy {
    fs::path root;
    std::vector<ParquetPart> parts;

    std::once_flag listed;
    std::vector<std::unordered_map<std::string, std::string>> filePaths; // per part: hash -> file_path

    std::unique_ptr<std::once_flag[]> ordered;
    std::vector<std::vector<std::int64_t>> nextBars; // per part: by the changes file's row number

    const std::string* filePath(std::size_t part, std::string_view hash)
    {
        std::call_once(listed, [this] {
            std::vector<std::unordered_map<std::string, std::string>> out(parts.size());
            std::map<std::string, std::size_t, std::less<>> byRel;
            for (std::size_t i = 0; i < parts.size(); ++i)
                byRel.emplace(parts[i].rel, i);
            for (const TypeIndex& index : listParquetStorage(root).indexes)
                for (const IndexEntry& e : index.entries) {
                    const auto it = byRel.find(std::string_view(e.filePath).substr(0, e.filePath.rfind('#')));
                    if (it != byRel.end())
                        out[it->second].emplace(e.fileHash, e.filePath);
                }
            filePaths = std::move(out);
        });
        const auto& map = filePaths.at(part);
        const auto it = map.find(std::string(hash));
        return it == map.end() ? nullptr : &it->second;
    }

    // The bar where each change stops holding: the next change's bar, the trace's total_bars
    // (at least one past its last change) after its last one.
    std::optional<std::int64_t> nextBar(std::size_t part, std::int64_t row)
    {
        std::call_once(ordered[part], [this, part] {
            const ParquetPart& p = parts[part];
            const Table t = readShared(
                "SELECT c.file_row_number, coalesce(lead(c.bar) OVER (PARTITION BY c.hash ORDER BY c.file_row_number), "
                "greatest(coalesce(t.total_bars, 0), coalesce(t.last_bar + 1, 0))) FROM read_parquet("
                + literal(p.changesFile) + ", file_row_number = true, hive_partitioning = false) c JOIN read_parquet("
                + literal(p.tracesFile) + ", hive_partitioning = false) t USING (hash)");
            std::vector<std::int64_t> out;
            for (std::size_t r = 0; r < t.rows; ++r) {
                const auto at = static_cast<std::size_t>(t.columns[0].integers[r]);
                if (at >= out.size())
                    out.resize(at + 1, -1);
                out[at] = t.columns[1].integers[r];
            }
            nextBars[part] = std::move(out);
        });
        const auto& bars = nextBars[part];
        if (row < 0 || static_cast<std::size_t>(row) >= bars.size() || bars[static_cast<std::size_t>(row)] < 0)
            return std::nullopt;
        return bars[static_cast<std::size_t>(row)];
    }
};

// True when storage.json is a version-2 manifest that Storage::open accepts.
bool versionTwoManifest(const fs::path& root)
{
    if (!isParquetStorage(root))
        return false;
    try {
        const auto j = nlohmann::json::parse(detail::readWholeFile(root / "storage.json"), nullptr, false);
        return j.is_object() && j.value("format", std::string()) == "hierarchical-signal-storage";
    } catch (const std::exception&) {
        return false;
    }
}

std::string list(const std::vector<std::string>& files)
{
    std::string out;
    for (const std::string& f : files)
        out += (out.empty() ? "" : ", ") + literal(f);
    return out;
}

// The parts' sigscope_replaces_none_through values (docs/format.md), by traces file.
std::map<std::string, std::int64_t> replacesNoneThrough(Database& db, const std::vector<std::string>& files)
{
    std::map<std::string, std::int64_t> out;
    const Table t = db.query("SELECT file_name, TRY_CAST(decode(value) AS BIGINT) FROM parquet_kv_metadata([" + list(files)
                             + "]) WHERE decode(key) = 'sigscope_replaces_none_through'");
    for (std::size_t r = 0; r < t.rows; ++r)
        if (!t.isNull(1, r))
            out[t.columns[0].texts[r]] = t.columns[1].integers[r];
    return out;
}

// True when no partition lists a hash in two parts (then every row of every file is listed): a
// partition of one part cannot; in one of several, each part but the lowest says so of every
// lower part when its writer checked them; the others are asked.
bool everyRowListed(Database& db, const std::vector<ParquetPart>& parts)
{
    std::map<std::string, std::vector<const ParquetPart*>> byPartition;
    for (const ParquetPart& p : parts)
        byPartition[p.partition].push_back(&p);
    std::vector<std::string> several;
    for (auto& [partition, members] : byPartition)
        if (members.size() > 1)
            for (const ParquetPart* p : members)
                several.push_back(p->tracesFile);
    if (several.empty())
        return true;
    const auto through = replacesNoneThrough(db, several);
    std::vector<std::string> ask;
    for (auto& [partition, members] : byPartition) {
        if (members.size() < 2)
            continue;
        std::sort(members.begin(), members.end(), [](const auto* a, const auto* b) { return a->number < b->number; });
        bool checked = true;
        for (std::size_t i = 1; i < members.size() && checked; ++i) {
            const auto it = through.find(members[i]->tracesFile);
            checked = it != through.end() && it->second >= static_cast<std::int64_t>(members[i - 1]->number);
        }
        if (!checked)
            for (const ParquetPart* p : members)
                ask.push_back(p->tracesFile);
    }
    if (ask.empty())
        return true;
    const Table t = db.query("SELECT count(*) FROM (SELECT 1 FROM read_parquet([" + list(ask)
                             + "], filename = true, hive_partitioning = false) GROUP BY parse_dirname(filename), hash "
                               "HAVING count(*) > 1)");
    return t.columns.at(0).integers.at(0) == 0;
}

std::string nullableText(const std::optional<std::string>& text)
{
    return text ? literal(*text) : std::string("NULL::VARCHAR");
}

void registerFunctions(Database& db, const std::shared_ptr<Lazy>& lazy)
{
    db.addFunction("sigscope_file_path", {FunctionType::Integer, FunctionType::Text}, FunctionType::Text,
                   [lazy](std::span<const FunctionValue> a, std::string& text) -> std::optional<std::int64_t> {
                       if (a[0].null || a[1].null)
                           return std::nullopt;
                       const std::string* path = lazy->filePath(static_cast<std::size_t>(a[0].integer), a[1].text);
                       if (!path)
                           return std::nullopt;
                       text = *path;
                       return 0;
                   });
    db.addFunction("sigscope_next_bar", {FunctionType::Integer, FunctionType::Integer}, FunctionType::Integer,
                   [lazy](std::span<const FunctionValue> a, std::string&) -> std::optional<std::int64_t> {
                       if (a[0].null || a[1].null)
                           return std::nullopt;
                       return lazy->nextBar(static_cast<std::size_t>(a[0].integer), a[1].integer);
                   });
    db.addFunction("sigscope_time", {FunctionType::Text}, FunctionType::Timestamp,
                   [](std::span<const FunctionValue> a, std::string&) -> std::optional<std::int64_t> {
                       if (a[0].null)
                           return std::nullopt;
                       const auto parsed = parseIsoTime(a[0].text);
                       if (!parsed)
                           return std::nullopt;
                       return parsed->utcMicros;
                   });
}

// The traces and changes views: one branch per part, its number and its partition's values as
// constants, under the functions (a query that needs no column keeps a branch's first, the
// constant part number, and no function runs).
void createViews(Database& db, const std::vector<ParquetPart>& parts)
{
    std::string traces, changes;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const ParquetPart& p = parts[i];
        const std::string head = std::string(i ? "\n        UNION ALL " : "        ") + "SELECT " + std::to_string(i)
            + " AS part, " + literal(kindName(p.kind)) + " AS kind, ";
        traces += head + literal(p.type) + " AS type, " + nullableText(p.run)
            + " AS run, hash, name, symbol, timeframe, variant, parameters, changes, first_bar, last_bar, first_time, "
              "last_time, total_bars FROM read_parquet(" + literal(p.tracesFile) + ", hive_partitioning = false)";
        changes += head + "hash, bar, time, value, regime, price, file_row_number FROM read_parquet(" + literal(p.changesFile)
            + ", file_row_number = true, hive_partitioning = false)";
    }
    db.execute("CREATE VIEW traces AS\n"
               "    SELECT sigscope_file_path(part, hash) AS file_path, kind, type, name, symbol, timeframe, run, variant,\n"
               "           parameters, coalesce(changes, 0) AS changes, first_bar, last_bar,\n"
               "           sigscope_time(first_time) AS first_time, sigscope_time(last_time) AS last_time,\n"
               "           greatest(coalesce(total_bars, 0), coalesce(last_bar + 1, 0)) AS total_bars, hash\n"
               "    FROM (\n" + traces + ");\n"
               "CREATE VIEW changes AS\n"
               "    SELECT sigscope_file_path(part, hash) AS file_path, kind, bar, time,\n"
               "           coalesce(CAST(value AS VARCHAR), regime) AS value, value AS signal, NULLIF(price, 0.0) AS price,\n"
               "           sigscope_next_bar(part, file_row_number) AS next_bar\n"
               "    FROM (\n" + changes + ");");
}

} // namespace

bool createUnlistedParquetViews(Database& db, const fs::path& root, StorageViewsReport& report)
{
    if (!versionTwoManifest(root))
        return false;
    std::vector<Finding> findings;
    auto lazy = std::make_shared<Lazy>();
    lazy->root = root;
    lazy->parts = listParquetParts(root, findings);
    if (lazy->parts.empty() || !findings.empty())
        return false;
    std::vector<std::string> tracesFiles, changesFiles;
    for (const ParquetPart& p : lazy->parts) {
        tracesFiles.push_back(p.tracesFile);
        changesFiles.push_back(p.changesFile);
    }
    try {
        if (!everyRowListed(db, lazy->parts))
            return false;
        // The counts from the footers; a damaged file fails here and the listing names it.
        const Table counts = db.query("SELECT (SELECT CAST(sum(num_rows) AS BIGINT) FROM parquet_file_metadata([" + list(tracesFiles)
                                      + "])), (SELECT CAST(sum(num_rows) AS BIGINT) FROM parquet_file_metadata([" + list(changesFiles) + "]))");
        report.traces = static_cast<std::size_t>(counts.columns.at(0).integers.at(0));
        report.changes = static_cast<std::size_t>(counts.columns.at(1).integers.at(0));
    } catch (const SqlError&) {
        return false;
    }
    lazy->ordered = std::make_unique<std::once_flag[]>(lazy->parts.size());
    lazy->nextBars.resize(lazy->parts.size());
    registerFunctions(db, lazy);
    createViews(db, lazy->parts);
    return true;
}

} // namespace sigscope::core::sql
