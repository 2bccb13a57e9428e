#include "core/storage/parquetstorage.h"

#include "core/sql/database.h"
#include "core/storage/jsonsax.h"
#include "core/storage/naming.h"
#include "core/util/naturalorder.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <nlohmann/json.hpp>

namespace sigscope::core {

namespace fs = std::filesystem;

namespace {

bool plainByte(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
        || c == '-';
}

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

// The value of "<key>=<value>" when the folder name has that key.
std::optional<std::string_view> partitionValue(std::string_view folder, std::string_view key)
{
    if (folder.size() <= key.size() || !folder.starts_with(key) || folder[key.size()] != '=')
        return std::nullopt;
    return folder.substr(key.size() + 1);
}

// Folders of dir whose names are "<key>=<value>", by natural order; hidden ones left out.
std::vector<fs::path> partitionFolders(const fs::path& dir, std::string_view key)
{
    std::vector<fs::path> out;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        std::error_code typeEc;
        if (partitionValue(name, key) && it->is_directory(typeEc))
            out.push_back(it->path());
    }
    std::sort(out.begin(), out.end(),
              [](const fs::path& a, const fs::path& b) { return naturalLess(a.filename().string(), b.filename().string()); });
    return out;
}

std::string absoluteText(const fs::path& p)
{
    std::error_code ec;
    const fs::path abs = fs::absolute(p, ec);
    return (ec ? p : abs).lexically_normal().string();
}

std::optional<std::string> optionalText(const sql::Table& t, std::size_t column, std::size_t row)
{
    return t.isNull(column, row) ? std::nullopt : std::optional(t.text(column, row));
}

std::optional<std::int64_t> optionalInteger(const sql::Table& t, std::size_t column, std::size_t row)
{
    return t.isNull(column, row) ? std::nullopt : std::optional(t.columns.at(column).integers.at(row));
}

// One traces file found by the walk.
struct PartFile
{
    Kind kind = Kind::Signal;
    std::string type;
    std::optional<std::string> run;
    std::string rel;      // relative to the root
    std::string absolute; // as given to DuckDB
    std::uint64_t part = 0;
    std::string partition; // the run folder, relative to the root: newest part wins inside it
};

std::vector<PartFile> walkTraces(const fs::path& root, std::vector<Finding>& findings)
{
    std::vector<PartFile> out;
    const fs::path traces = root / kTracesFolder;
    for (const auto& kindDir : partitionFolders(traces, "kind")) {
        const auto kind = kindFromName(*partitionValue(kindDir.filename().string(), "kind"));
        if (!kind) {
            findings.push_back(Finding{Finding::Severity::Warning, "not-a-trace",
                                       fs::relative(kindDir, root).generic_string(), 0,
                                       "kind is neither signal nor classifier (left out)"});
            continue;
        }
        for (const auto& typeDir : partitionFolders(kindDir, "type")) {
            for (const auto& runDir : partitionFolders(typeDir, "run")) {
                std::error_code ec;
                for (fs::directory_iterator it(runDir, ec), end; !ec && it != end; it.increment(ec)) {
                    const std::string name = it->path().filename().string();
                    const auto n = partNumber(name);
                    std::error_code fileEc;
                    if (!n || !it->is_regular_file(fileEc))
                        continue; // temporaries (hidden) and anything else in the folder are no part
                    PartFile f;
                    f.kind = *kind;
                    f.type = decodePartitionValue(*partitionValue(typeDir.filename().string(), "type")).value_or("");
                    f.run = decodePartitionValue(*partitionValue(runDir.filename().string(), "run"));
                    f.partition = fs::relative(runDir, root).generic_string();
                    f.rel = f.partition + "/" + name;
                    f.absolute = absoluteText(it->path());
                    f.part = *n;
                    out.push_back(std::move(f));
                }
            }
        }
    }
    return out;
}

constexpr const char* kListColumns = "filename, hash, name, parameters, symbol, timeframe, variant, changes, total_bars, "
                                     "first_bar, last_bar, first_time, last_time, changes_hash, created_at";

sql::Table readTraceRows(const std::vector<std::string>& files)
{
    std::string list;
    for (const auto& f : files)
        list += (list.empty() ? "" : ", ") + sql::literal(f);
    return sql::readShared(std::string("SELECT ") + kListColumns + " FROM read_parquet([" + list
                           + "], filename = true, hive_partitioning = false)");
}

IndexEntry entryFromRow(const PartFile& file, const sql::Table& t, std::size_t row)
{
    IndexEntry e;
    e.kind = file.kind;
    e.type = file.type;
    e.run = file.run;
    e.fileHash = t.text(1, row);
    e.name = t.text(2, row);
    e.parameters = Parameters::fromJson(t.text(3, row));
    e.symbol = optionalText(t, 4, row);
    e.timeframe = optionalText(t, 5, row);
    e.variant = optionalInteger(t, 6, row);
    e.totalItems = optionalInteger(t, 7, row).value_or(0);
    e.firstIdx = optionalInteger(t, 9, row);
    e.lastIdx = optionalInteger(t, 10, row);
    e.totalBars = std::max(optionalInteger(t, 8, row).value_or(0), e.lastIdx ? *e.lastIdx + 1 : 0);
    e.compressionRatio = e.totalBars > 0 ? static_cast<double>(e.totalItems) / static_cast<double>(e.totalBars) : 0.0;
    e.firstTs = t.text(11, row);
    e.lastTs = t.text(12, row);
    e.changesHash = t.text(13, row);
    e.createdAt = t.text(14, row);
    e.filePath = file.rel; // the name after '#' is given once the newest rows are known
    return e;
}

// The rows of every file, asked in one query; a damaged file fails it, then each file is asked
// alone so that the finding names it.
std::vector<std::pair<const PartFile*, sql::Table>> readAllRows(const std::vector<PartFile>& files,
                                                                std::vector<Finding>& findings)
{
    std::vector<std::pair<const PartFile*, sql::Table>> out;
    std::vector<std::string> all;
    all.reserve(files.size());
    for (const auto& f : files)
        all.push_back(f.absolute);
    if (all.empty())
        return out;
    try {
        out.emplace_back(nullptr, readTraceRows(all)); // rows name their file
        return out;
    } catch (const sql::SqlError&) {
        for (const auto& f : files) {
            try {
                out.emplace_back(&f, readTraceRows({f.absolute}));
            } catch (const sql::SqlError& e) {
                findings.push_back(Finding{Finding::Severity::Error, "parse-error", f.rel, 0,
                                           std::string("damaged Parquet file: ") + e.what()});
            }
        }
    }
    return out;
}

} // namespace

std::string parquetStorageReason()
{
    return "a version-2 (Parquet) storage; this command writes version 1 only (write into it with "
           "--format parquet, or convert it with sigscope migrate)";
}

bool isParquetStorage(const fs::path& root)
{
    std::error_code ec;
    const fs::path manifest = root / "storage.json";
    if (!fs::is_regular_file(manifest, ec))
        return false;
    try {
        const auto j = nlohmann::json::parse(detail::readWholeFile(manifest), nullptr, false);
        return j.is_object() && j.contains("format_version") && j["format_version"].is_number_integer()
            && j["format_version"].get<std::int64_t>() == kParquetFormatVersion;
    } catch (const std::exception&) {
        return false;
    }
}

std::string encodePartitionValue(const std::optional<std::string>& value)
{
    if (!value)
        return std::string(kNullPartition);
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (std::size_t i = 0; i < value->size(); ++i) {
        const auto c = static_cast<unsigned char>((*value)[i]);
        // A run literally named like the NULL folder keeps its first byte escaped.
        if (plainByte(c) && !(i == 0 && *value == kNullPartition)) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        }
    }
    return out;
}

std::optional<std::string> decodePartitionValue(std::string_view folderValue)
{
    if (folderValue == kNullPartition)
        return std::nullopt;
    std::string out;
    for (std::size_t i = 0; i < folderValue.size(); ++i) {
        if (folderValue[i] == '%' && i + 2 < folderValue.size() && hexDigit(folderValue[i + 1]) >= 0
            && hexDigit(folderValue[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hexDigit(folderValue[i + 1]) * 16 + hexDigit(folderValue[i + 2])));
            i += 2;
        } else {
            out.push_back(folderValue[i]);
        }
    }
    return out;
}

std::string partitionPath(Kind kind, const std::string& type, const std::optional<std::string>& run)
{
    return "kind=" + std::string(kindName(kind)) + "/type=" + encodePartitionValue(type) + "/run="
        + encodePartitionValue(run);
}

std::string partFileName(std::uint64_t n)
{
    return "part-" + std::to_string(n) + ".parquet";
}

std::optional<std::uint64_t> partNumber(const std::string& name)
{
    constexpr std::string_view prefix = "part-", suffix = ".parquet";
    if (name.size() <= prefix.size() + suffix.size() || !name.starts_with(prefix) || !name.ends_with(suffix))
        return std::nullopt;
    const std::string digits = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
    if (digits.empty() || digits.size() > 18 || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    return std::stoull(digits);
}

std::vector<ParquetPart> listParquetParts(const fs::path& root, std::vector<Finding>& findings)
{
    std::vector<ParquetPart> out;
    for (PartFile& f : walkTraces(root, findings)) {
        const fs::path name = fs::path(f.rel).filename();
        out.push_back(ParquetPart{f.kind, std::move(f.type), std::move(f.run), f.absolute,
                                  absoluteText(root / kChangesFolder / fs::path(f.partition).lexically_relative(kTracesFolder) / name),
                                  f.rel, f.partition, f.part});
    }
    return out;
}

WorkspaceListing listParquetStorage(const fs::path& root)
{
    WorkspaceListing listing;
    const std::vector<PartFile> files = walkTraces(root, listing.findings);
    std::map<std::string, const PartFile*> byAbsolute;
    for (const auto& f : files)
        byAbsolute.emplace(f.absolute, &f);
    // Partitions and part files by rank in byte order: the listing compares ranks, not the long
    // path texts (a million traces share a few of them).
    std::vector<std::uint32_t> partitionRank(files.size()), fileRank(files.size());
    {
        std::map<std::string, std::uint32_t> partitions, rels;
        for (const auto& f : files) {
            partitions.emplace(f.partition, 0);
            rels.emplace(f.rel, 0);
        }
        std::uint32_t n = 0;
        for (auto& [name, rank] : partitions)
            rank = n++;
        n = 0;
        for (auto& [name, rank] : rels)
            rank = n++;
        for (std::size_t i = 0; i < files.size(); ++i) {
            partitionRank[i] = partitions[files[i].partition];
            fileRank[i] = rels[files[i].rel];
        }
    }
    struct Slot
    {
        std::uint32_t partition = 0, file = 0;
        std::uint64_t part = 0;
        IndexEntry entry;
    };
    // Newest part wins per (partition, hash).
    std::vector<Slot> slots;
    std::unordered_map<std::string, std::size_t> slotOf; // "<partition rank>:<hash>" -> slots index
    for (const auto& [only, t] : readAllRows(files, listing.findings)) {
        std::string lastName;
        const PartFile* lastFile = nullptr;
        for (std::size_t row = 0; row < t.rows; ++row) {
            const PartFile* file = only;
            if (!file) {
                // Rows come file by file: resolve a file name once.
                if (t.columns[0].texts[row] != lastName) {
                    lastName = t.columns[0].texts[row];
                    const auto it = byAbsolute.find(absoluteText(lastName));
                    lastFile = it == byAbsolute.end() ? nullptr : it->second;
                }
                if (!lastFile)
                    continue;
                file = lastFile;
            }
            IndexEntry e;
            try {
                e = entryFromRow(*file, t, row);
            } catch (const std::exception& error) {
                listing.findings.push_back(Finding{Finding::Severity::Error, "parse-error", file->rel, 0,
                                                   "row " + std::to_string(row + 1) + ": " + error.what()});
                continue;
            }
            const auto at = static_cast<std::size_t>(file - files.data());
            auto [it, fresh] = slotOf.emplace(std::to_string(partitionRank[at]) + ":" + e.fileHash, slots.size());
            if (fresh)
                slots.push_back(Slot{partitionRank[at], fileRank[at], file->part, std::move(e)});
            else if (file->part >= slots[it->second].part)
                slots[it->second] = Slot{partitionRank[at], fileRank[at], file->part, std::move(e)};
        }
    }
    slotOf.clear();
    // In (partition, hash) order: the first of two traces of one part sharing 8 digits keeps them.
    // Indexes are sorted, not the entries (moving an IndexEntry costs a dozen strings).
    std::vector<std::size_t> order(slots.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&slots](std::size_t a, std::size_t b) {
        const Slot &x = slots[a], &y = slots[b];
        return x.partition != y.partition ? x.partition < y.partition : x.entry.fileHash < y.entry.fileHash;
    });
    std::map<std::pair<Kind, std::string>, std::vector<std::size_t>> byType;
    std::unordered_set<std::string> names;
    names.reserve(slots.size());
    for (const std::size_t i : order) {
        IndexEntry& e = slots[i].entry;
        // "<part>#<stem>_<hash8>": the order of version 1's file names; all 16 digits when taken.
        const std::string base = e.filePath + "#" + naming::fileStem(e.identity()) + "_";
        e.filePath = base + e.fileHash.substr(0, 8);
        if (!names.insert(e.filePath).second) {
            e.filePath = base + e.fileHash;
            names.insert(e.filePath);
        }
        e.storedFilePath = e.filePath;
        byType[{e.kind, e.type}].push_back(i);
        ++listing.traces;
    }
    for (auto& [key, members] : byType) {
        // By filePath: the part file's rank, then the text after '#'.
        const auto tail = [&slots](std::size_t i) {
            const std::string_view path = slots[i].entry.filePath;
            return path.substr(path.rfind('#'));
        };
        std::sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) {
            return slots[a].file != slots[b].file ? slots[a].file < slots[b].file : tail(a) < tail(b);
        });
        TypeIndex index;
        index.kind = key.first;
        index.type = key.second;
        index.entries.reserve(members.size());
        for (const std::size_t i : members)
            index.entries.push_back(std::move(slots[i].entry));
        listing.indexes.push_back(std::move(index));
    }
    return listing;
}

namespace {

// The hash digits (8 or 16) at the end of "<part>.parquet#<stem>_<hash>", or "" for another path.
std::string hashKeyOf(const std::string& text)
{
    const auto mark = text.rfind(".parquet#");
    const auto cut = text.rfind('_');
    if (mark == std::string::npos || cut == std::string::npos || cut < mark)
        return {};
    const std::string key = text.substr(cut + 1);
    const bool hex = std::all_of(key.begin(), key.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
    return hex && (key.size() == 8 || key.size() == 16) ? key : std::string();
}

} // namespace

bool isParquetTracePath(const fs::path& file)
{
    return !hashKeyOf(file.string()).empty();
}

bool isParquetTraceFile(const fs::path& file)
{
    return isParquetTracePath(file) || file.extension() == ".parquet";
}

namespace {

// The two files of a trace's part and its partition, from "<traces file>#<stem>_<hash>".
struct PartOf
{
    fs::path tracesFile, changesFile;
    Kind kind = Kind::Signal;
    std::string typeValue, runValue; // as the folders write them
    std::string key;                 // the 8 or 16 hash digits of the path
};

PartOf partOf(const fs::path& file)
{
    const std::string text = file.string();
    PartOf p;
    p.key = hashKeyOf(text);
    p.tracesFile = text.substr(0, text.rfind('#'));
    const fs::path runDir = p.tracesFile.parent_path(), typeDir = runDir.parent_path(), kindDir = typeDir.parent_path();
    const fs::path root = kindDir.parent_path().parent_path();
    const std::string kindName = kindDir.filename().string(), typeName = typeDir.filename().string(),
                      runName = runDir.filename().string(); // the values below are views of these
    const auto kindValue = partitionValue(kindName, "kind");
    const auto typeValue = partitionValue(typeName, "type");
    const auto runValue = partitionValue(runName, "run");
    const auto kind = kindValue ? kindFromName(*kindValue) : std::nullopt;
    if (!kind || !typeValue || !runValue || kindDir.parent_path().filename() != kTracesFolder || p.key.empty())
        throw StorageError(file, "not a trace of a version-2 storage (traces/kind=…/type=…/run=…/part-<N>.parquet#<name>_<hash>)");
    p.kind = *kind;
    p.typeValue = std::string(*typeValue);
    p.runValue = std::string(*runValue);
    p.changesFile = root / kChangesFolder / kindDir.filename() / typeDir.filename() / runDir.filename() / p.tracesFile.filename();
    return p;
}

sql::Table readTable(const std::string& statement, const fs::path& file)
{
    try {
        return sql::readShared(statement);
    } catch (const sql::SqlError& e) {
        throw StorageError(file, e.what());
    }
}

constexpr const char* kTraceColumns = "SELECT name, parameters, symbol, timeframe, variant, total_bars, created_at, extras, hash FROM ";
constexpr const char* kChangeColumns = "SELECT bar, time, time_text, value, regime, price, confidence, hash FROM ";

// The trace of row r of `rows` (kTraceColumns) with the changes [from, to) of `changes` (kChangeColumns).
Trace buildTrace(const PartOf& part, const sql::Table& rows, std::size_t r, const sql::Table& changes, std::size_t from,
                 std::size_t to)
{
    const std::string hash = rows.text(8, r);
    TraceIdentity id;
    id.kind = part.kind;
    try {
        id.name = rows.text(0, r);
        id.parameters = Parameters::fromJson(rows.text(1, r));
    } catch (const std::exception& e) {
        throw StorageError(part.tracesFile, std::string("parameters of ") + hash + ": " + e.what());
    }
    id.symbol = optionalText(rows, 2, r);
    id.timeframe = optionalText(rows, 3, r);
    id.run = decodePartitionValue(part.runValue);
    id.variant = optionalInteger(rows, 4, r);
    Trace trace(std::move(id), decodePartitionValue(part.typeValue).value_or(""));
    trace.metadata.totalBars = optionalInteger(rows, 5, r).value_or(0);
    trace.metadata.createdAt = rows.text(6, r);
    trace.metadata.storedHash = hash;
    if (!rows.isNull(7, r)) {
        const auto extras = nlohmann::json::parse(rows.text(7, r), nullptr, false);
        if (!extras.is_array())
            throw StorageError(part.tracesFile, "extras of " + hash + " is not a JSON array of [key, text] pairs");
        for (const auto& pair : extras) {
            if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string())
                throw StorageError(part.tracesFile, "extras of " + hash + " is not a JSON array of [key, text] pairs");
            trace.metadata.extras.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
        }
    }
    const auto& c = changes.columns;
    if (c.at(0).type != sql::ColumnType::Integer || c.at(1).type != sql::ColumnType::Timestamp)
        throw StorageError(part.changesFile, "bar or time has another type than BIGINT and TIMESTAMP");
    trace.reserve(to - from);
    std::optional<TimeFormat> format; // the form of the trace's first valid time, whose text is always kept
    const bool signal = part.kind == Kind::Signal;
    for (std::size_t i = from; i < to; ++i) {
        std::string ts;
        if (!changes.isNull(2, i)) {
            ts = c[2].texts[i];
            if (!format && !changes.isNull(1, i))
                if (const auto parsed = parseIsoTime(ts))
                    format = parsed->format;
        } else if (!changes.isNull(1, i)) {
            if (!format)
                throw StorageError(part.changesFile, "row of " + hash + " with a time before the one that gives its form");
            if (signal && !changes.isNull(3, i)) {
                trace.appendSignalAt(c[0].integers[i], c[1].integers[i], *format, static_cast<std::int32_t>(c[3].integers[i]),
                                     changes.isNull(5, i) ? 0.0 : c[5].reals[i]);
                continue;
            }
            ts = formatIsoTime(c[1].integers[i], *format);
        }
        const double price = changes.isNull(5, i) ? 0.0 : c[5].reals[i];
        if (signal) {
            if (changes.isNull(3, i))
                throw StorageError(part.changesFile, "a signal change of " + hash + " without a value");
            trace.appendSignal(c[0].integers[i], ts, static_cast<std::int32_t>(c[3].integers[i]), price);
        } else {
            trace.appendRegime(c[0].integers[i], ts, changes.text(4, i), changes.isNull(6, i) ? 1.0 : c[6].reals[i], price);
        }
    }
    return trace;
}

std::string readerOf(const fs::path& file, bool rowNumbers)
{
    return "read_parquet(" + sql::literal(absoluteText(file)) + ", hive_partitioning = false"
        + (rowNumbers ? ", file_row_number = true)" : ")");
}

} // namespace

Trace loadParquetTrace(const fs::path& file)
{
    const PartOf part = partOf(file);
    const sql::Table row = readTable(kTraceColumns + readerOf(part.tracesFile, false) + " WHERE starts_with(hash, "
                                         + sql::literal(part.key) + ")", part.tracesFile);
    if (row.rows != 1)
        throw StorageError(part.tracesFile, "holds " + std::to_string(row.rows) + " rows of the trace " + part.key + " (expected 1)");
    const sql::Table changes = readTable(kChangeColumns + readerOf(part.changesFile, true) + " WHERE hash = "
                                             + sql::literal(row.text(8, 0)) + " ORDER BY file_row_number", part.changesFile);
    return buildTrace(part, row, 0, changes, 0, changes.rows);
}

std::vector<Trace> loadParquetTraces(std::span<const fs::path> files)
{
    std::vector<PartOf> parts;
    parts.reserve(files.size());
    std::map<fs::path, std::vector<std::size_t>> byPart; // traces file -> indexes into files
    for (std::size_t i = 0; i < files.size(); ++i) {
        parts.push_back(partOf(files[i]));
        byPart[parts.back().tracesFile].push_back(i);
    }
    std::vector<Trace> out(files.size());
    for (const auto& [tracesFile, members] : byPart) {
        const PartOf& part = parts[members.front()];
        std::string keys;
        for (const std::size_t i : members)
            keys += (keys.empty() ? "" : ", ") + sql::literal(parts[i].key.substr(0, 8));
        const sql::Table rows = readTable(kTraceColumns + readerOf(tracesFile, false) + " WHERE left(hash, 8) IN (" + keys
                                              + ") ORDER BY hash", tracesFile);
        std::string hashes;
        for (std::size_t r = 0; r < rows.rows; ++r)
            hashes += (r ? ", " : "") + sql::literal(rows.text(8, r));
        const sql::Table changes = hashes.empty() ? sql::Table{}
            : readTable(kChangeColumns + readerOf(part.changesFile, true) + " WHERE hash IN (" + hashes
                            + ") ORDER BY hash, file_row_number", part.changesFile);
        // Both are sorted by hash: walk them together.
        std::map<std::string, std::pair<std::size_t, std::pair<std::size_t, std::size_t>>> found; // hash -> row, changes
        std::size_t at = 0;
        for (std::size_t r = 0; r < rows.rows; ++r) {
            const std::string hash = rows.text(8, r);
            const std::size_t from = at;
            while (at < changes.rows && changes.columns[7].texts[at] == hash)
                ++at;
            found[hash] = {r, {from, at}};
        }
        for (const std::size_t i : members) {
            const std::string& key = parts[i].key;
            auto it = found.lower_bound(key);
            std::size_t matches = 0;
            for (auto m = it; m != found.end() && m->first.starts_with(key); ++m)
                ++matches;
            if (matches != 1)
                throw StorageError(tracesFile, "holds " + std::to_string(matches) + " rows of the trace " + key + " (expected 1)");
            out[i] = buildTrace(part, rows, it->second.first, changes, it->second.second.first, it->second.second.second);
        }
    }
    return out;
}

} // namespace sigscope::core
