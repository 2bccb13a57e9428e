#include "core/storage/workspace.h"

#include "core/sql/database.h"
#include "core/storage/jsonsax.h"
#include "core/util/naturalorder.h"

#include <algorithm>
#include <limits>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

namespace sigscope::core {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kTraceColumns[] = {"idx", "ts", "sym", "val", "strat", "px"};

bool isDir(const fs::path& p)
{
    std::error_code ec;
    return fs::is_directory(p, ec);
}

bool isFile(const fs::path& p)
{
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

// Entries of a folder by natural order, hidden ones left out.
std::vector<fs::directory_entry> children(const fs::path& dir)
{
    std::vector<fs::directory_entry> out;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (!name.empty() && name.front() != '.')
            out.push_back(*it);
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return naturalLess(a.path().filename().string(), b.path().filename().string());
    });
    return out;
}

// "SPY_1m" -> {"SPY", "1m"}, split at the last '_' (legacy-formats.md L6); nullopt without one.
std::optional<std::pair<std::string, std::string>> splitSymbolFolder(const std::string& name)
{
    const auto cut = name.rfind('_');
    if (cut == std::string::npos || cut == 0 || cut + 1 == name.size())
        return std::nullopt;
    return std::pair{name.substr(0, cut), name.substr(cut + 1)};
}

// A traces/ folder: holds a <SYM>_<TF>/ folder with signals/ or classifiers/ in it.
bool looksLikeTraces(const fs::path& dir)
{
    for (const auto& child : children(dir)) {
        if (!child.is_directory() || !splitSymbolFolder(child.path().filename().string()))
            continue;
        if (isDir(child.path() / "signals") || isDir(child.path() / "classifiers"))
            return true;
    }
    return false;
}

bool looksLikeWorkspace(const fs::path& dir)
{
    return isDir(dir / "traces") && (isFile(dir / "metadata.json") || looksLikeTraces(dir / "traces"));
}

WorkspaceRun runOf(const fs::path& workspace, const std::string& relativeToRoot)
{
    WorkspaceRun run;
    run.run = workspace.filename().string();
    run.folder = workspace;
    run.traces = workspace / "traces";
    run.tracesRelative = relativeToRoot.empty() ? std::string("traces") : relativeToRoot + "/traces";
    return run;
}

std::string joinRel(const std::string& a, const std::string& b)
{
    return a.empty() ? b : a + "/" + b;
}

Finding finding(Finding::Severity severity, std::string code, std::string path, std::string message)
{
    Finding f;
    f.severity = severity;
    f.code = std::move(code);
    f.path = std::move(path);
    f.message = std::move(message);
    return f;
}

sql::Table runQuery(const std::string& statement)
{
    return sql::readShared(statement);
}

std::string absoluteText(const fs::path& p)
{
    std::error_code ec;
    const fs::path abs = fs::absolute(p, ec);
    return (ec ? p : abs).lexically_normal().string();
}

// What the footer of one trace file says.
struct Footer
{
    std::set<std::string> columns;
    std::string valType; // physical type of val: INT64 or BYTE_ARRAY
    std::int64_t rows = 0;
    std::optional<std::int64_t> firstIdx, lastIdx;
    std::string firstTs, lastTs;
    bool stats = true; // min/max statistics of idx and ts present in every row group
};

std::optional<std::int64_t> toInteger(const std::string& text)
{
    try {
        std::size_t used = 0;
        const long long v = std::stoll(text, &used);
        if (used == text.size())
            return v;
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

// The footers of `files` (absolute paths) in one query; throws sql::SqlError when a file is not
// readable Parquet (the caller then asks file by file).
std::map<std::string, Footer> readFooters(const std::vector<std::string>& files)
{
    std::string list;
    for (const auto& f : files)
        list += (list.empty() ? "" : ", ") + sql::literal(f);
    const sql::Table t = runQuery("SELECT file_name, path_in_schema, type, row_group_num_rows, stats_min_value, "
                                  "stats_max_value FROM parquet_metadata([" + list + "])");
    std::map<std::string, Footer> out;
    for (const auto& f : files)
        out.emplace(f, Footer{});
    for (std::size_t row = 0; row < t.rows; ++row) {
        Footer& f = out[t.text(0, row)];
        const std::string column = t.text(1, row);
        f.columns.insert(column);
        const bool isIdx = column == "idx", isTs = column == "ts";
        if (column == "val")
            f.valType = t.text(2, row);
        if (!isIdx && !isTs)
            continue;
        if (isIdx)
            f.rows += toInteger(t.text(3, row)).value_or(0);
        if (t.isNull(4, row) || t.isNull(5, row)) {
            f.stats = false;
            continue;
        }
        if (isIdx) {
            const auto lo = toInteger(t.text(4, row)), hi = toInteger(t.text(5, row));
            if (!lo || !hi) {
                f.stats = false;
                continue;
            }
            f.firstIdx = f.firstIdx ? std::min(*f.firstIdx, *lo) : *lo;
            f.lastIdx = f.lastIdx ? std::max(*f.lastIdx, *hi) : *hi;
        } else {
            // ts increases within a file (L6), so its minimum is the first change's time.
            const std::string lo = t.text(4, row), hi = t.text(5, row);
            if (f.firstTs.empty() || lo < f.firstTs)
                f.firstTs = lo;
            if (hi > f.lastTs)
                f.lastTs = hi;
        }
    }
    return out;
}

struct Candidate
{
    std::string rel;      // relative to the root
    std::string absolute; // as given to DuckDB
    WorkspaceTracePath where;
    std::int64_t runTotalBars = 0;
};

// The trace files of one run's traces/ folder; everything else there becomes a finding.
void walkRun(const WorkspaceRun& run, std::int64_t runTotalBars, std::vector<Candidate>& out,
             std::vector<Finding>& findings)
{
    using S = Finding::Severity;
    const auto notTrace = [&](const std::string& rel, const std::string& why) {
        findings.push_back(finding(S::Info, "not-a-trace", rel, why));
    };
    for (const auto& sym : children(run.traces)) {
        const std::string symName = sym.path().filename().string();
        const std::string symRel = joinRel(run.tracesRelative, symName);
        if (!sym.is_directory() || !splitSymbolFolder(symName)) {
            notTrace(symRel, "not a <SYM>_<TF> folder of traces (left out)");
            continue;
        }
        for (const auto& kindDir : children(sym.path())) {
            const std::string kindRel = symRel + "/" + kindDir.path().filename().string();
            if (!kindDir.is_directory() || !kindFromFolder(kindDir.path().filename().string())) {
                notTrace(kindRel, "neither signals/ nor classifiers/ (left out)");
                continue;
            }
            for (const auto& typeDir : children(kindDir.path())) {
                const std::string typeRel = kindRel + "/" + typeDir.path().filename().string();
                if (!typeDir.is_directory()) {
                    notTrace(typeRel, "a file where type folders belong (left out)");
                    continue;
                }
                for (const auto& file : children(typeDir.path())) {
                    const std::string fileRel = typeRel + "/" + file.path().filename().string();
                    if (!file.is_regular_file() || file.path().extension() != ".parquet") {
                        notTrace(fileRel, file.is_directory() ? "a folder below a type folder (left out)"
                                                              : "not a .parquet file (left out)");
                        continue;
                    }
                    Candidate c;
                    c.rel = fileRel;
                    c.absolute = absoluteText(file.path());
                    c.where = workspaceTracePath(c.absolute);
                    c.runTotalBars = runTotalBars;
                    out.push_back(std::move(c));
                }
            }
        }
    }
}

IndexEntry entryFor(const Candidate& c, const Footer& f)
{
    IndexEntry e;
    e.kind = c.where.kind;
    e.type = c.where.type;
    e.name = c.where.name;
    e.symbol = c.where.symbol;
    e.timeframe = c.where.timeframe;
    e.run = c.where.run;
    e.totalItems = f.rows;
    e.firstIdx = f.firstIdx;
    e.lastIdx = f.lastIdx;
    e.totalBars = c.runTotalBars > 0 ? c.runTotalBars : f.lastIdx.value_or(0);
    e.compressionRatio = e.totalBars > 0 ? static_cast<double>(f.rows) / static_cast<double>(e.totalBars) : 0.0;
    e.firstTs = f.firstTs;
    e.lastTs = f.lastTs;
    e.fileHash = e.identity().hashHex();
    e.filePath = c.rel;
    e.storedFilePath = c.rel;
    return e;
}

// Why a footer is not an L6 trace's, or "" when it is one.
std::string footerProblem(const Footer& f, Kind kind)
{
    std::string missing;
    for (const auto column : kTraceColumns)
        if (!f.columns.contains(std::string(column)))
            missing += (missing.empty() ? "" : ", ") + std::string(column);
    if (!missing.empty())
        return "Parquet file without the trace column(s) " + missing + " (not a trace; left out)";
    const char* const expected = kind == Kind::Signal ? "INT64" : "BYTE_ARRAY";
    if (f.valType != expected)
        return "val is " + f.valType + " in a " + std::string(kindFolder(kind)) + "/ folder (expected " + expected
            + "; left out)";
    return {};
}

} // namespace

std::string workspaceReadOnlyReason()
{
    return "a Parquet workspace of the Python system (L6), read-only; migrate it with sigscope migrate";
}

WorkspaceLayout detectWorkspaces(const fs::path& root)
{
    WorkspaceLayout layout;
    if (!isDir(root) || fs::exists(root / "storage.json") || isDir(root / "signals") || isDir(root / "classifiers"))
        return layout;
    const fs::path abs = fs::path(absoluteText(root));
    const fs::path named = abs.has_filename() ? abs : abs.parent_path();
    if (looksLikeWorkspace(root)) {
        layout.shape = WorkspaceShape::Workspace;
        layout.runs.push_back(runOf(named, {}));
        return layout;
    }
    if (named.filename() == "traces" && looksLikeTraces(root)) {
        layout.shape = WorkspaceShape::TracesFolder;
        WorkspaceRun run = runOf(named.parent_path(), {});
        run.traces = root;
        run.tracesRelative.clear();
        layout.runs.push_back(std::move(run));
        return layout;
    }
    // A folder of workspaces, or one that holds workspaces/ (the Python system's own layout).
    for (const auto& [dir, prefix] : {std::pair{root, std::string()}, std::pair{root / "workspaces", std::string("workspaces")}}) {
        for (const auto& child : children(dir))
            if (child.is_directory() && looksLikeWorkspace(child.path()))
                layout.runs.push_back(runOf(child.path(), joinRel(prefix, child.path().filename().string())));
        if (!layout.runs.empty()) {
            layout.shape = WorkspaceShape::FolderOfWorkspaces;
            return layout;
        }
    }
    return layout;
}

WorkspaceTracePath workspaceTracePath(const fs::path& file)
{
    const fs::path abs = fs::path(absoluteText(file));
    const fs::path typeDir = abs.parent_path(), kindDir = typeDir.parent_path(), symDir = kindDir.parent_path();
    const fs::path tracesDir = symDir.parent_path();
    const auto kind = kindFromFolder(kindDir.filename().string());
    const auto symTf = splitSymbolFolder(symDir.filename().string());
    if (!kind || !symTf || tracesDir.filename() != "traces" || tracesDir.parent_path().filename().empty())
        throw StorageError(file, "not inside a workspace's traces/<SYM>_<TF>/{signals,classifiers}/<type>/ folder");
    WorkspaceTracePath where;
    where.kind = *kind;
    where.type = typeDir.filename().string();
    where.symbol = symTf->first;
    where.timeframe = symTf->second;
    where.workspace = tracesDir.parent_path();
    where.run = where.workspace.filename().string();
    const std::string stem = abs.stem().string();
    const std::string prefix = where.symbol + "_";
    where.name = stem.starts_with(prefix) && stem.size() > prefix.size() ? stem.substr(prefix.size()) : stem;
    return where;
}

TraceIdentity WorkspaceTracePath::identity() const
{
    return TraceIdentity{.kind = kind, .name = name, .parameters = {}, .symbol = symbol, .timeframe = timeframe,
                         .run = run, .variant = std::nullopt};
}

std::int64_t workspaceTotalBars(const fs::path& workspace)
{
    const fs::path file = workspace / "metadata.json";
    std::error_code ec;
    const auto stamp = fs::last_write_time(file, ec);
    if (ec)
        return 0;
    // Loading one trace after another reads the same run's metadata.json: parse it once.
    static std::mutex m;
    static std::map<std::string, std::pair<fs::file_time_type, std::int64_t>> cache;
    const std::string key = absoluteText(file);
    {
        const std::lock_guard lock(m);
        if (const auto it = cache.find(key); it != cache.end() && it->second.first == stamp)
            return it->second.second;
    }
    std::int64_t total = 0;
    try {
        const auto j = nlohmann::json::parse(detail::readWholeFile(file), nullptr, false);
        if (j.is_object() && j.contains("total_bars") && j["total_bars"].is_number_integer())
            total = std::max<std::int64_t>(0, j["total_bars"].get<std::int64_t>());
    } catch (const std::exception&) {
        total = 0; // unreadable: the traces fall back to their last idx
    }
    const std::lock_guard lock(m);
    cache[key] = {stamp, total};
    return total;
}

WorkspaceListing listWorkspace(const WorkspaceLayout& layout, const ProgressCallback& progress)
{
    WorkspaceListing listing;
    std::vector<Candidate> candidates;
    Progress p;
    p.total = layout.runs.size() + 1;
    for (const auto& run : layout.runs) {
        if (progress) {
            p.current = run.run;
            if (!progress(p))
                return listing;
        }
        walkRun(run, workspaceTotalBars(run.folder), candidates, listing.findings);
        ++p.done;
    }
    std::vector<std::string> files;
    files.reserve(candidates.size());
    for (const auto& c : candidates)
        files.push_back(c.absolute);
    std::map<std::string, Footer> footers;
    if (!files.empty()) {
        try {
            footers = readFooters(files);
        } catch (const sql::SqlError&) {
            // A damaged file fails the whole query: ask file by file to name it.
            for (const auto& c : candidates) {
                try {
                    footers.merge(readFooters({c.absolute}));
                } catch (const sql::SqlError& e) {
                    listing.findings.push_back(finding(Finding::Severity::Error, "parse-error", c.rel,
                                                       std::string("damaged Parquet file: ") + e.what()));
                }
            }
        }
    }
    std::map<std::pair<Kind, std::string>, TypeIndex> byType;
    for (const auto& c : candidates) {
        const auto it = footers.find(c.absolute);
        if (it == footers.end())
            continue;
        Footer footer = it->second;
        if (const std::string problem = footerProblem(footer, c.where.kind); !problem.empty()) {
            listing.findings.push_back(finding(Finding::Severity::Warning, "not-a-trace", c.rel, problem));
            continue;
        }
        if (!footer.stats) {
            // No min/max statistics: the rows say it (a writer other than pyarrow's defaults).
            try {
                const Trace t = loadWorkspaceTrace(c.absolute);
                footer.firstIdx = t.empty() ? std::nullopt : std::optional(t.bar(0));
                footer.lastIdx = t.empty() ? std::nullopt : std::optional(t.bar(t.size() - 1));
                footer.firstTs = t.empty() ? std::string() : t.timeText(0);
                footer.lastTs = t.empty() ? std::string() : t.timeText(t.size() - 1);
            } catch (const StorageError& e) {
                listing.findings.push_back(finding(Finding::Severity::Error, "parse-error", c.rel, e.reason()));
                continue;
            }
        }
        TypeIndex& index = byType[{c.where.kind, c.where.type}];
        index.kind = c.where.kind;
        index.type = c.where.type;
        index.entries.push_back(entryFor(c, footer));
        ++listing.traces;
    }
    for (auto& [key, index] : byType) {
        std::sort(index.entries.begin(), index.entries.end(),
                  [](const IndexEntry& a, const IndexEntry& b) { return a.filePath < b.filePath; });
        listing.indexes.push_back(std::move(index));
    }
    if (progress) {
        p.done = p.total;
        p.itemsDone = listing.traces;
        progress(p);
    }
    return listing;
}

Trace loadWorkspaceTrace(const fs::path& file)
{
    const WorkspaceTracePath where = workspaceTracePath(file);
    sql::Table t;
    try {
        t = runQuery("SELECT idx, ts, val, px FROM read_parquet(" + sql::literal(absoluteText(file)) + ")");
    } catch (const sql::SqlError& e) {
        throw StorageError(file, e.what());
    }
    const sql::Column& val = t.columns.at(2);
    const bool signal = where.kind == Kind::Signal;
    if ((signal && val.type != sql::ColumnType::Integer) || (!signal && val.type != sql::ColumnType::Text))
        throw StorageError(file, "val is " + val.typeName + " in a " + std::string(kindFolder(where.kind)) + "/ folder");
    if (t.columns[0].type != sql::ColumnType::Integer)
        throw StorageError(file, "idx is " + t.columns[0].typeName + ", not an integer");
    Trace trace(where.identity(), where.type);
    trace.metadata.formatVersion = 0;
    trace.reserve(t.rows);
    const bool realPrice = t.columns[3].type == sql::ColumnType::Real;
    for (std::size_t row = 0; row < t.rows; ++row) {
        for (std::size_t c = 0; c < 3; ++c)
            if (t.isNull(c, row))
                throw StorageError(file, "row " + std::to_string(row + 1) + ": " + t.columns[c].name + " is null");
        const std::int64_t idx = t.columns[0].integers[row];
        const std::string& ts = t.columns[1].type == sql::ColumnType::Text ? t.columns[1].texts[row] : t.text(1, row);
        const double px = realPrice && !t.isNull(3, row) ? t.columns[3].reals[row] : 0.0;
        if (signal) {
            const std::int64_t v = val.integers[row];
            if (v < std::numeric_limits<std::int32_t>::min() || v > std::numeric_limits<std::int32_t>::max())
                throw StorageError(file, "row " + std::to_string(row + 1) + ": val " + std::to_string(v) + " out of range");
            trace.appendSignal(idx, ts, static_cast<std::int32_t>(v), px);
        } else {
            trace.appendRegime(idx, ts, val.texts[row], 1.0, px);
        }
    }
    const std::int64_t runBars = workspaceTotalBars(where.workspace);
    trace.metadata.totalBars = runBars > 0 ? runBars : (trace.empty() ? 0 : trace.bar(trace.size() - 1));
    return trace;
}

} // namespace sigscope::core
