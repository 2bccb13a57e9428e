#include "core/storage/parquetwriter.h"

#include "core/model/timestamp.h"
#include "core/sql/database.h"
#include "core/storage/indexio.h"
#include "core/storage/naming.h"
#include "core/storage/parquetstorage.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <variant>
#include <utility>

namespace sigscope::core {

namespace fs = std::filesystem;

namespace {

// Rows per row group: a row group's dictionaries (bars, times and prices of a whole sweep) cost
// about 2 bytes a change at 16,384 rows and 0.1 at 262,144 (bench/sweep1m.cpp); a one-trace read
// decodes one row group (or two) of hash-sorted rows, pruned by the hash statistics.
constexpr int kRowGroupRows = 262144;

// Rows into one table of the writer's database (sql::Appender, with NULL for an empty optional).
class Rows
{
public:
    Rows(sql::FileWriter& db, const char* table) : m_appender(db, table) {}

    Rows& operator<<(std::int64_t v) { return m_appender.append(v), *this; }
    Rows& operator<<(std::int32_t v) { return m_appender.append(std::int64_t{v}), *this; }
    Rows& operator<<(double v) { return m_appender.append(v), *this; }
    Rows& operator<<(std::string_view v) { return m_appender.append(v), *this; }
    Rows& operator<<(std::nullptr_t) { return m_appender.appendNull(), *this; }
    template <typename T>
    Rows& operator<<(const std::optional<T>& v)
    {
        return v ? *this << *v : *this << nullptr;
    }
    Rows& timestamp(std::int64_t utcMicros) { return m_appender.appendTimestamp(utcMicros), *this; }
    void endRow() { m_appender.endRow(); }
    void close() { m_appender.close(); }

private:
    sql::Appender m_appender;
};

// Runs a statement of ours; DuckDB's refusal becomes a StorageError naming path.
void run(sql::FileWriter& db, const std::string& statement, const fs::path& path)
{
    try {
        db.execute(statement);
    } catch (const sql::SqlError& e) {
        throw StorageError(path, e.what());
    }
}

// Creates every folder of rel below root, refusing symbolic links (detail::checkFolderForWrite).
fs::path makeFolders(const fs::path& root, const std::string& rel)
{
    fs::path dir = root;
    for (const auto& part : fs::path(rel)) {
        dir /= part;
        detail::checkFolderForWrite(dir, true);
    }
    detail::removeStaleTemporariesIn(dir);
    return dir;
}

std::uint64_t nextPart(const fs::path& a, const fs::path& b)
{
    std::uint64_t next = 0;
    for (const auto& dir : {a, b}) {
        std::error_code ec;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
            if (const auto n = partNumber(it->path().filename().string()))
                next = std::max(next, *n + 1);
    }
    return next;
}

// The highest part number of the partition's traces folder when none of those parts lists a hash
// of table t (then the new part replaces no row: docs/format.md, "sigscope_replaces_none_through"),
// -1 when the folder has no part; nullopt when one of them does.
std::optional<std::int64_t> replacesNoneThrough(sql::FileWriter& db, const fs::path& tracesDir)
{
    std::int64_t highest = -1;
    std::string files;
    std::error_code ec;
    for (fs::directory_iterator it(tracesDir, ec), end; !ec && it != end; it.increment(ec))
        if (const auto n = partNumber(it->path().filename().string())) {
            highest = std::max(highest, static_cast<std::int64_t>(*n));
            files += (files.empty() ? "" : ", ") + sql::literal(it->path().string());
        }
    if (files.empty())
        return highest;
    try {
        const sql::Table t = db.query("SELECT count(*) FROM read_parquet([" + files
                                      + "], hive_partitioning = false) WHERE hash IN (SELECT hash FROM t)");
        return t.columns.at(0).integers.at(0) == 0 ? std::optional(highest) : std::nullopt;
    } catch (const sql::SqlError&) {
        return std::nullopt; // a damaged part: readers find it; this one claims nothing
    }
}

// The text of metadata keys that version 1 keeps without knowing them, as [key, raw] pairs.
std::optional<std::string> extrasText(const Trace& trace)
{
    if (trace.metadata.extras.empty())
        return std::nullopt;
    nlohmann::json pairs = nlohmann::json::array();
    for (const auto& [key, raw] : trace.metadata.extras)
        pairs.push_back({key, raw});
    return pairs.dump();
}

std::optional<std::string> textOrNull(std::string text)
{
    return text.empty() ? std::nullopt : std::optional(std::move(text));
}

// A parameter of every trace of a partition with one type throughout: a typed column beside the
// JSON text (docs/format.md "The traces table").
struct TypedParameter
{
    std::string key;
    std::string column;  // param_<key>, bytes outside [A-Za-z0-9_] as '_'
    std::size_t kind{0}; // ParamValue's index: int64, double or string
};

std::vector<TypedParameter> typedParameters(std::span<const Trace> traces,
                                            const std::vector<std::pair<std::string, std::size_t>>& members)
{
    std::vector<TypedParameter> out;
    if (members.empty())
        return out;
    std::set<std::string> columns{"hash", "name", "parameters", "symbol", "timeframe", "variant", "changes", "total_bars",
                                  "first_bar", "last_bar", "first_time", "last_time", "changes_hash", "created_at", "extras"};
    for (const auto& entry : traces[members.front().second].identity.parameters.entries()) {
        const std::string& key = entry.first; // a named reference, not a binding: clang 14 cannot capture bindings
        const ParamValue& value = entry.second;
        const std::size_t kind = value.index();
        if (!std::holds_alternative<std::int64_t>(value) && !std::holds_alternative<double>(value)
            && !std::holds_alternative<std::string>(value))
            continue;
        const bool uniform = std::all_of(members.begin(), members.end(), [&](const auto& m) {
            const ParamValue* v = traces[m.second].identity.parameters.find(key);
            return v && v->index() == kind;
        });
        std::string column = "param_" + key;
        for (char& c : column)
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
                c = '_';
        std::string lower = column;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        if (uniform && columns.insert(lower).second) // two keys of one column name: neither gets a second
            out.push_back({key, std::move(column), kind});
    }
    return out;
}

std::string tracesTableStatement(const std::vector<TypedParameter>& typed)
{
    std::string s = "CREATE OR REPLACE TABLE t (hash VARCHAR, name VARCHAR, parameters VARCHAR, symbol VARCHAR, "
                    "timeframe VARCHAR, variant BIGINT, changes BIGINT, total_bars BIGINT, first_bar BIGINT, "
                    "last_bar BIGINT, first_time VARCHAR, last_time VARCHAR, changes_hash VARCHAR, created_at VARCHAR, "
                    "extras VARCHAR";
    for (const auto& p : typed) {
        const bool integer = p.kind == ParamValue(std::int64_t{0}).index();
        const bool real = p.kind == ParamValue(0.0).index();
        s += ", \"" + p.column + "\" " + (integer ? "BIGINT" : real ? "DOUBLE" : "VARCHAR");
    }
    return s + ")";
}

// created_at is the time of writing when the trace has none, as the version-1 writer does.
void appendTraceRow(Rows& rows, const Trace& t, const std::string& hash, const std::string& now,
                    const std::vector<TypedParameter>& typed)
{
    const std::size_t n = t.size();
    const auto& id = t.identity;
    rows << std::string_view(hash) << std::string_view(id.name) << std::string_view(id.parameters.canonicalJson())
         << id.symbol << id.timeframe << id.variant << static_cast<std::int64_t>(n) << t.metadata.totalBars
         << (n ? std::optional(t.bar(0)) : std::nullopt) << (n ? std::optional(t.bar(n - 1)) : std::nullopt)
         << (n ? textOrNull(t.timeText(0)) : std::nullopt) << (n ? textOrNull(t.timeText(n - 1)) : std::nullopt)
         << std::string_view(hex16(changesHash(t))) << std::string_view(t.metadata.createdAt.empty() ? now : t.metadata.createdAt) << extrasText(t);
    for (const auto& p : typed) {
        const ParamValue& v = *id.parameters.find(p.key);
        if (const auto* i = std::get_if<std::int64_t>(&v))
            rows << *i;
        else if (const auto* d = std::get_if<double>(&v))
            rows << *d;
        else
            rows << std::string_view(std::get<std::string>(v));
    }
    rows.endRow();
}

// One row per change; time_text only where `time` in the trace's usual form would not give it
// back, and always for the first valid time (it gives the reader that form).
void appendChangeRows(Rows& rows, const Trace& t, const std::string& hash)
{
    std::optional<TimeFormat> format;
    IsoTimeBuffer buffer, again;
    const bool signal = t.kind() == Kind::Signal;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const std::string_view text = t.timeText(i, buffer);
        rows << std::string_view(hash) << t.bar(i);
        if (t.time(i) == kNoTime) {
            rows << nullptr;
            if (text.empty())
                rows << nullptr;
            else
                rows << text;
        } else {
            rows.timestamp(t.time(i));
            bool keep = !format;
            if (!format)
                format = parseIsoTime(text).value_or(ParsedTime{}).format;
            else
                keep = std::string_view(again.data(), writeIsoTime(t.time(i), *format, again)) != text;
            if (keep)
                rows << text;
            else
                rows << nullptr;
        }
        if (signal)
            rows << t.value(i) << nullptr;
        else
            rows << nullptr << t.regimeName(i);
        rows << t.price(i);
        if (signal)
            rows << nullptr;
        else
            rows << t.confidence(i);
        rows.endRow();
    }
}

// Puts a written temporary at dir/part-<n>.parquet without replacing anything: false when that
// name is taken (another writer was faster).
bool linkIntoPlace(const fs::path& temporary, const fs::path& target)
{
    if (::link(temporary.c_str(), target.c_str()) == 0) {
        ::unlink(temporary.c_str());
        return true;
    }
    const int err = errno;
    if (err == EEXIST)
        return false;
    ::unlink(temporary.c_str());
    throw StorageError(target, std::string("cannot link the written file into place: ") + std::strerror(err));
}

struct Partition
{
    Kind kind = Kind::Signal;
    std::string type;
    std::optional<std::string> run;
    std::vector<std::pair<std::string, std::size_t>> members; // (hash, index into the span), one per hash (the last given), by hash
};

std::vector<Partition> partitionsOf(std::span<const Trace> traces)
{
    std::vector<Partition> out;
    std::map<std::tuple<Kind, std::string, std::optional<std::string>>, std::size_t> index;
    for (std::size_t i = 0; i < traces.size(); ++i) {
        const Trace& t = traces[i];
        const std::string type = naming::typeFor(t.kind(), t.identity.name, t.type);
        auto [it, inserted] = index.emplace(std::tuple{t.kind(), type, t.identity.run}, out.size());
        if (inserted)
            out.push_back(Partition{t.kind(), type, t.identity.run, {}});
        out[it->second].members.emplace_back(t.identity.hashHex(), i);
    }
    // By hash, the last given of a hash kept: the order the rows are written in.
    for (Partition& p : out) {
        std::stable_sort(p.members.begin(), p.members.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        std::vector<std::pair<std::string, std::size_t>> unique;
        unique.reserve(p.members.size());
        for (auto& m : p.members) {
            if (!unique.empty() && unique.back().first == m.first)
                unique.back() = std::move(m);
            else
                unique.push_back(std::move(m));
        }
        p.members = std::move(unique);
    }
    return out;
}

} // namespace

ParquetStorageWriter::ParquetStorageWriter(fs::path root, WriteOptions options)
    : m_root(std::move(root))
    , m_options(std::move(options))
{
    if (m_options.createdBy.empty())
        m_options.createdBy = std::string("sigscope ") + SIGSCOPE_VERSION;
    if (detectWorkspaces(m_root).shape != WorkspaceShape::None)
        throw StorageError(m_root, workspaceReadOnlyReason());
    std::error_code ec;
    const bool hasManifest = fs::exists(m_root / "storage.json", ec);
    if (hasManifest && !isParquetStorage(m_root))
        throw StorageError(m_root, "not a version-2 (Parquet) storage; --format parquet writes into a new folder or a "
                                   "version-2 storage only");
    if (!hasManifest && (fs::exists(m_root / kindFolder(Kind::Signal), ec) || fs::exists(m_root / kindFolder(Kind::Classifier), ec)))
        throw StorageError(m_root, "holds a version-0 storage (signals/ or classifiers/ without storage.json); "
                                   "--format parquet writes into a new folder or a version-2 storage only");
    fs::create_directories(m_root, ec);
    if (ec)
        throw StorageError(m_root, "cannot create the storage folder: " + ec.message());
    detail::removeStaleTemporariesIn(m_root);
    if (!hasManifest)
        detail::replaceFile(m_root / "storage.json", detail::manifestText(m_options.createdBy, kParquetFormatVersion), true);
}

ParquetWriteResult ParquetStorageWriter::write(std::span<const Trace> traces, const ProgressCallback& progress)
{
    ParquetWriteResult result;
    sql::FileWriter db;
    run(db, "CREATE TABLE c (hash VARCHAR, bar BIGINT, time TIMESTAMP, time_text VARCHAR, value INTEGER, "
           "regime VARCHAR, price DOUBLE, confidence DOUBLE)", m_root);
    Progress p;
    p.total = traces.size();
    for (const Partition& part : partitionsOf(traces)) {
        const std::string partition = partitionPath(part.kind, part.type, part.run);
        if (progress) {
            p.current = partition;
            if (!progress(p)) {
                result.cancelled = true;
                return result;
            }
        }
        const std::string tracesRel = std::string(kTracesFolder) + "/" + partition;
        const std::string changesRel = std::string(kChangesFolder) + "/" + partition;
        const fs::path tracesDir = makeFolders(m_root, tracesRel), changesDir = makeFolders(m_root, changesRel);
        const std::vector<TypedParameter> typed = typedParameters(traces, part.members);
        run(db, tracesTableStatement(typed) + "; DELETE FROM c", tracesDir);
        try {
            Rows traceRows(db, "t"), changeRows(db, "c");
            const std::string now = formatUtcMicrosZ(nowUtcMicros());
            // Appended in hash order, which COPY keeps (insertion order): no sort of the rows.
            for (const auto& [hash, i] : part.members) {
                appendTraceRow(traceRows, traces[i], hash, now, typed);
                appendChangeRows(changeRows, traces[i], hash);
                result.changes += traces[i].size();
            }
            traceRows.close();
            changeRows.close();
        } catch (const sql::SqlError& e) {
            throw StorageError(tracesDir, e.what());
        }
        const auto through = replacesNoneThrough(db, tracesDir);
        std::uint64_t n = nextPart(tracesDir, changesDir);
        const fs::path changesTmp = detail::temporaryPathFor(changesDir / partFileName(n));
        const fs::path tracesTmp = detail::temporaryPathFor(tracesDir / partFileName(n));
        const std::string options = " (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE " + std::to_string(kRowGroupRows) + ")";
        try {
            run(db, "COPY c TO " + sql::literal(changesTmp.string()) + options,
                changesDir / partFileName(n));
            const std::string marker = through ? ", KV_METADATA {sigscope_replaces_none_through: '"
                    + std::to_string(*through) + "'})" : ")";
            run(db, "COPY t TO " + sql::literal(tracesTmp.string()) + options.substr(0, options.size() - 1) + marker,
                tracesDir / partFileName(n));
            detail::syncFile(changesTmp);
            detail::syncFile(tracesTmp);
        } catch (...) {
            ::unlink(changesTmp.c_str());
            ::unlink(tracesTmp.c_str());
            throw;
        }
        while (!linkIntoPlace(changesTmp, changesDir / partFileName(n)))
            n = nextPart(tracesDir, changesDir);
        if (!linkIntoPlace(tracesTmp, tracesDir / partFileName(n))) {
            ::unlink(tracesTmp.c_str());
            throw StorageError(tracesDir / partFileName(n), "exists without its changes file; left as it is");
        }
        detail::syncFolder(changesDir);
        detail::syncFolder(tracesDir);
        result.files.push_back(changesRel + "/" + partFileName(n));
        result.files.push_back(tracesRel + "/" + partFileName(n));
        result.traces += part.members.size();
        p.done += part.members.size();
    }
    if (progress)
        progress(p);
    return result;
}

} // namespace sigscope::core
