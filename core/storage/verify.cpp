#include "core/storage/verify.h"

#include "core/storage/indexio.h"
#include "core/storage/storage.h"
#include "core/storage/jsonsax.h"
#include "core/storage/parquetstorage.h"
#include "core/storage/traceio.h"
#include "core/storage/verifycache.h"
#include "core/util/canonical.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace sigscope::core {

namespace {

using Severity = Finding::Severity;

struct Reporter
{
    std::vector<Finding>& out;
    void add(Severity severity, const char* code, const std::string& path, std::string message, std::int64_t line = 0)
    {
        Finding f;
        f.severity = severity;
        f.code = code;
        f.path = path;
        f.line = line;
        f.message = std::move(message);
        out.push_back(std::move(f));
    }
};

bool isMd5Hash(const std::string& hash)
{
    return hash.size() == 8 && hash.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// The changes of one trace: order, repeats and values (every kind of storage, L6 workspaces too).
void checkChanges(const Trace& t, const std::string& rel, Reporter& r)
{
    bool reportedOrder = false, reportedRepeat = false, reportedIllegal = false;
    auto illegal = [&](std::size_t i, const std::string& what) {
        if (!reportedIllegal)
            r.add(Severity::Error, "illegal-value", rel, "change " + std::to_string(i + 1) + ": " + what);
        reportedIllegal = true;
    };
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t.bar(i) < 0)
            illegal(i, "idx " + std::to_string(t.bar(i)) + " is negative");
        if (!std::isfinite(t.price(i)) || t.price(i) < 0.0)
            illegal(i, "px is negative or not finite");
        if (t.kind() == Kind::Classifier) {
            const double c = t.confidence(i);
            if (!(c >= 0.0 && c <= 1.0))
                illegal(i, "confidence " + std::to_string(c) + " outside [0, 1]");
            if (t.regimeName(i).empty())
                illegal(i, "empty regime");
        }
        if (i == 0)
            continue;
        if (t.bar(i) < t.bar(i - 1) && !reportedOrder) {
            r.add(Severity::Error, "non-monotonic", rel,
                  "change " + std::to_string(i + 1) + ": idx " + std::to_string(t.bar(i)) + " after "
                      + std::to_string(t.bar(i - 1)));
            reportedOrder = true;
        }
        if (t.value(i) == t.value(i - 1) && !reportedRepeat) {
            r.add(Severity::Warning, "repeated-value", rel,
                  "change " + std::to_string(i + 1) + " repeats the value " + t.valueText(i));
            reportedRepeat = true;
        }
    }
}

// Checks one data file's content. upstream: the file was written by the Python implementation.
void checkTrace(const Trace& t, Kind folderKind, const std::string& rel, Reporter& r)
{
    const bool upstream = t.metadata.formatVersion == 0;
    if (t.kind() != folderKind)
        r.add(Severity::Error, "illegal-value", rel,
              "a " + std::string(kindName(t.kind())) + " trace in the " + std::string(kindFolder(folderKind)) + " folder");

    // Hash <-> identity, and the file name carries the hash.
    const std::string hash = t.identity.hashHex();
    if (upstream && (t.metadata.storedHash.empty() || isMd5Hash(t.metadata.storedHash))) {
        r.add(Severity::Info, "upstream-md5-hash", rel,
              "upstream file without an identity hash (the name carries an MD5-8 of the parameters)");
    } else {
        if (t.metadata.storedHash != hash)
            r.add(Severity::Error, "hash-mismatch", rel,
                  "file_hash " + t.metadata.storedHash + " is not the identity hash " + hash);
        const std::string name = std::filesystem::path(rel).filename().string();
        if (!name.ends_with("_" + hash.substr(0, 8) + ".json") && !name.ends_with("_" + hash + ".json"))
            r.add(Severity::Error, "hash-mismatch", rel, "file name does not end with the identity hash " + hash.substr(0, 8));
    }

    checkChanges(t, rel, r);
    if (upstream && t.metadata.totalBars < t.effectiveTotalBars())
        r.add(Severity::Info, "upstream-total-bars", rel,
              "total_bars " + std::to_string(t.metadata.totalBars) + " is below the last idx + 1 (upstream quirk)");
    else if (!upstream && t.metadata.totalBars < t.effectiveTotalBars())
        r.add(Severity::Warning, "illegal-value", rel,
              "total_bars " + std::to_string(t.metadata.totalBars) + " is below the last idx + 1");
}
// Every metadata field of storage-format.md §5-§6, checked against the file and its folder; one
// finding code per kind of problem. Version-0 (upstream) files follow older rules: only what
// upstream always wrote is required of them.
void checkMetadata(const Trace& t, const MetadataFacts& facts, const std::string& folderType, int storageVersion,
                   const std::string& rel, Reporter& r)
{
    using Type = MetadataField::Type;
    const bool signal = t.kind() == Kind::Signal;
    const char* const typeKey = signal ? "strategy_type" : "classifier_type";
    const char* const countKey = signal ? "signal_changes" : "regime_changes";
    const MetadataField* version = facts.find("format_version");
    const bool current = version && version->type == Type::Integer && version->number >= 1;

    if (!version && storageVersion >= 1)
        r.add(Severity::Error, "metadata-missing", rel,
              "metadata.format_version is missing (the storage is version " + std::to_string(storageVersion) + ")");
    if (version && version->type == Type::Integer && version->number > 1)
        r.add(Severity::Error, "unsupported-version", rel,
              "metadata.format_version " + version->text + " is newer than this program (version 1)");

    // Identity fields are always written (§5) so that the hash can be recomputed from the file.
    std::vector<const char*> required;
    if (current)
        required = {typeKey, "parameters", "symbol", "timeframe", "run", "total_bars", countKey, "compression_ratio",
                    "created_at", "file_hash"};
    for (const char* key : required) {
        const MetadataField* f = facts.find(key);
        if (!f) {
            r.add(Severity::Error, "metadata-missing", rel, "metadata." + std::string(key) + " is missing");
            continue;
        }
        const std::string_view k(key);
        const bool nullable = k == "symbol" || k == "timeframe" || k == "run";
        if (f->type == Type::Null && !nullable) {
            r.add(Severity::Error, "metadata-null", rel, "metadata." + std::string(key) + " is null");
            continue;
        }
        const bool numeric = k == "total_bars" || k == countKey || k == "compression_ratio";
        const bool integral = k == "total_bars" || k == countKey;
        if ((numeric && f->type != Type::Integer && f->type != Type::Float && f->type != Type::BigInteger)
            || (integral && f->type == Type::Float) || (!numeric && !nullable && k != "parameters" && f->type != Type::String)
            || (k == "parameters" && f->type != Type::Object))
            r.add(Severity::Error, "metadata-type", rel, "metadata." + std::string(key) + " has the wrong type");
    }
    for (const char* key : {"format_version", "variant", "strategy_name", "classifier_name"})
        if (const MetadataField* f = facts.find(key); f && f->type == Type::Null)
            r.add(Severity::Error, "metadata-null", rel, "metadata." + std::string(key) + " is null");

    if (const MetadataField* f = facts.find(typeKey); f && f->type == Type::String && f->text != folderType && current)
        r.add(Severity::Error, "type-mismatch", rel,
              "metadata." + std::string(typeKey) + " is \"" + f->text + "\" but the file is in the type folder \""
                  + folderType + "\"");
    if (const MetadataField* f = facts.find(countKey);
        f && f->type == Type::Integer && current && f->number != static_cast<double>(t.size()))
        r.add(Severity::Warning, "count-mismatch", rel,
              "metadata." + std::string(countKey) + " is " + f->text + ", the file holds " + std::to_string(t.size())
                  + " changes");
    if (const MetadataField* f = facts.find("compression_ratio");
        f && (f->type == Type::Integer || f->type == Type::Float) && current) {
        const std::int64_t bars = t.effectiveTotalBars();
        const double expected = bars > 0 ? static_cast<double>(t.size()) / static_cast<double>(bars) : 0.0;
        if (std::abs(f->number - expected) > 1e-9 * std::max(1.0, std::abs(expected)))
            r.add(Severity::Warning, "ratio-mismatch", rel,
                  "metadata.compression_ratio is " + f->text + ", changes / total_bars is "
                      + canonical::doubleText(expected));
    }
    if (const MetadataField* f = facts.find("total_bars"); f && f->type == Type::Integer && f->number < 0)
        r.add(Severity::Error, "illegal-value", rel, "metadata.total_bars " + f->text + " is negative");
    if (const MetadataField* f = facts.find("created_at"); f && f->type == Type::String && current && !parseIsoTime(f->text))
        r.add(Severity::Warning, "bad-time", rel, "metadata.created_at \"" + f->text + "\" is no valid time");
}

// A version-2 trace against its row of the traces table: counts and both hashes.
void checkParquetRow(const IndexEntry& e, const Trace& trace, Reporter& r)
{
    if (e.totalItems != static_cast<std::int64_t>(trace.size()))
        r.add(Severity::Error, "index-error", e.filePath,
              "the traces row says " + std::to_string(e.totalItems) + " changes, the changes file holds "
                  + std::to_string(trace.size()));
    if (e.fileHash != trace.identity.hashHex())
        r.add(Severity::Error, "hash-mismatch", e.filePath,
              "the traces row says hash " + e.fileHash + ", the identity hashes to " + trace.identity.hashHex());
    if (const std::string changes = hex16(changesHash(trace)); e.changesHash != changes)
        r.add(Severity::Error, "hash-mismatch", e.filePath,
              "the traces row says changes_hash " + e.changesHash + ", the changes hash to " + changes);
}

// An L6 workspace (read-only) or a version-2 storage: every listed trace read back and checked
// against its listing.
VerifyResult verifyWorkspace(const Storage& storage, const ProgressCallback& progress)
{
    const bool parquet = storage.formatVersion() == kParquetFormatVersion;
    VerifyResult result;
    Reporter r{result.findings};
    const auto indexes = storage.readAllIndexes(&result.findings);
    Progress p;
    for (const auto& index : indexes)
        p.total += index.entries.size();
    for (const auto& index : indexes) {
        for (const auto& e : index.entries) {
            if (progress) {
                p.current = e.filePath;
                if (!progress(p)) {
                    result.cancelled = true;
                    return result;
                }
            }
            ++p.done;
            ++result.entriesChecked;
            ++result.filesChecked;
            Trace trace;
            try {
                trace = loadTrace(storage.absolutePath(e));
            } catch (const StorageError& error) {
                r.add(Severity::Error, "parse-error", e.filePath, error.reason(), error.line());
                continue;
            }
            checkChanges(trace, e.filePath, r);
            if (!parquet && e.totalItems != static_cast<std::int64_t>(trace.size()))
                r.add(Severity::Error, "index-error", e.filePath,
                      "the footer says " + std::to_string(e.totalItems) + " rows, the file holds "
                          + std::to_string(trace.size()));
            if (parquet)
                checkParquetRow(e, trace, r);
        }
    }
    if (progress)
        progress(p);
    return result;
}

} // namespace

bool VerifyResult::clean() const
{
    for (const auto& f : findings)
        if (f.severity != Severity::Info)
            return false;
    return true;
}

namespace {

// The checks of one data file (fileRel, relative to the root) against its index entry (when it
// has one), into out.
void checkDataFile(const std::filesystem::path& root, const detail::DataFolder& folder, const std::string& fileRel,
                   const IndexEntry* entry, int storageVersion, std::vector<Finding>& out)
{
    Reporter r{out};
    Trace trace;
    MetadataFacts facts;
    try {
        const std::string text = detail::readWholeFile(root / fileRel);
        trace = parseTrace(text, root / fileRel);
        facts = readMetadataFacts(text);
    } catch (const StorageError& e) {
        r.add(Severity::Error, "parse-error", fileRel, e.reason(), e.line());
        return;
    }
    checkTrace(trace, folder.kind, fileRel, r);
    checkMetadata(trace, facts, folder.type, storageVersion, fileRel, r);
    if (!entry)
        return;
    // The index is a cache of the file: say where they disagree.
    const IndexEntry& e = *entry;
    const bool upstreamFile = trace.metadata.formatVersion == 0;
    if (!e.fileHash.empty() && !trace.metadata.storedHash.empty() && e.fileHash != trace.metadata.storedHash)
        r.add(Severity::Error, "hash-mismatch", fileRel,
              "index says file_hash " + e.fileHash + ", the file says " + trace.metadata.storedHash);
    if (e.name != trace.identity.name)
        r.add(Severity::Warning, "index-error", fileRel, "index says name " + e.name + ", the file says " + trace.identity.name);
    if (e.totalItems != static_cast<std::int64_t>(trace.size()))
        r.add(Severity::Warning, "index-error", fileRel,
              "index says " + std::to_string(e.totalItems) + " changes, the file holds " + std::to_string(trace.size()));
    if (!upstreamFile && !(e.identity() == trace.identity) && e.name == trace.identity.name)
        r.add(Severity::Warning, "index-error", fileRel, "index entry identity differs from the file's");
}

// One verification walk over the type folders; with caches, files whose facts match the last
// verification's keep its findings instead of being read.
struct Walk
{
    const Storage& storage;
    const ProgressCallback& progress;
    VerifyResult& result;
    const detail::VerifyCache* previous = nullptr;
    detail::VerifyCache* next = nullptr;
    Progress p{};
};

const IndexEntry* entryAt(const TypeIndex& index, const std::string& fileRel)
{
    const auto it = std::lower_bound(index.entries.begin(), index.entries.end(), fileRel,
                                     [](const IndexEntry& e, const std::string& path) { return e.filePath < path; });
    return it != index.entries.end() && it->filePath == fileRel ? &*it : nullptr;
}

// One data file: from the cache when its facts are unchanged, else read and checked.
void verifyFile(Walk& w, const detail::DataFolder& folder, const std::string& fileRel, const IndexEntry* entry)
{
    const auto& root = w.storage.root();
    detail::FileFacts facts;
    const bool cached = w.next && detail::fileFacts(root / fileRel, facts);
    if (cached) {
        facts.entryStamp = entry ? xxh3(detail::entryLine(*entry)) : 0;
        if (const auto it = w.previous->files.find(fileRel); it != w.previous->files.end() && it->second.facts == facts) {
            w.result.findings.insert(w.result.findings.end(), it->second.findings.begin(), it->second.findings.end());
            w.next->files.emplace(fileRel, it->second);
            return;
        }
    }
    ++w.result.filesRead;
    std::vector<Finding> found;
    checkDataFile(root, folder, fileRel, entry, w.storage.formatVersion(), found);
    w.result.findings.insert(w.result.findings.end(), found.begin(), found.end());
    if (cached)
        w.next->files.emplace(fileRel, detail::VerifiedFile{facts, std::move(found)});
}

// False when cancelled.
bool verifyFolder(Walk& w, const detail::DataFolder& folder, const TypeIndex& index)
{
    Reporter r{w.result.findings};
    const std::string rel = std::string(kindFolder(folder.kind)) + "/" + folder.type;
    for (const auto& e : index.entries) {
        ++w.result.entriesChecked;
        // A version-1 path names a file of this folder: the listing says whether it is there.
        const bool inFolder = e.filePath.size() > rel.size() + 1 && e.filePath.starts_with(rel)
                              && e.filePath[rel.size()] == '/' && e.filePath.find('/', rel.size() + 1) == std::string::npos;
        bool exists = false;
        if (inFolder) {
            exists = std::binary_search(folder.files.begin(), folder.files.end(), e.filePath.substr(rel.size() + 1));
        } else {
            std::error_code ec;
            exists = std::filesystem::is_regular_file(w.storage.absolutePath(e), ec);
        }
        if (!exists)
            r.add(Severity::Error, "missing-file", e.filePath, "listed in " + rel + "/index.json but the file does not exist");
    }
    for (const auto& name : folder.files) {
        const std::string fileRel = rel + "/" + name;
        if (w.progress) {
            w.p.current = fileRel;
            if (!w.progress(w.p)) {
                w.result.cancelled = true;
                return false;
            }
        }
        ++w.p.done;
        ++w.result.filesChecked;
        const IndexEntry* entry = entryAt(index, fileRel);
        if (!entry)
            r.add(Severity::Warning, "orphan-file", fileRel, "not listed in " + rel + "/index.json");
        verifyFile(w, folder, fileRel, entry);
    }
    return true;
}

// The storage, or nullopt with the reason in result.
std::optional<Storage> openForVerify(const std::filesystem::path& root, VerifyResult& result)
{
    try {
        return Storage::open(root);
    } catch (const StorageError& e) {
        Reporter{result.findings}.add(Severity::Error, "index-error",
                                      e.path().filename() == "storage.json" ? "storage.json" : std::string(), e.reason(),
                                      e.line());
        return std::nullopt;
    }
}

// An index of the snapshot by kind and type (an empty one when the snapshot has none).
const TypeIndex& indexOf(const std::vector<TypeIndex>& indexes, const detail::DataFolder& folder)
{
    static const TypeIndex none;
    for (const auto& index : indexes)
        if (index.kind == folder.kind && index.type == folder.type)
            return index;
    return none;
}

} // namespace

VerifyResult verifyStorage(const std::filesystem::path& root, const ProgressCallback& progress)
{
    VerifyResult result;
    const std::optional<Storage> storage = openForVerify(root, result);
    if (!storage)
        return result;
    if (storage->isWorkspace() || storage->formatVersion() == kParquetFormatVersion)
        return verifyWorkspace(*storage, progress);

    Walk w{*storage, progress, result, nullptr, nullptr, {}};
    const auto folders = detail::listDataFolders(*storage, &w.p.total, &result.findings);
    for (const auto& folder : folders) {
        const TypeIndex index = storage->readIndex(folder.kind, folder.type, &result.findings);
        if (!verifyFolder(w, folder, index))
            return result;
    }
    if (progress)
        progress(w.p);
    return result;
}

VerifyResult verifyChanged(const std::filesystem::path& root, const std::vector<TypeIndex>& indexes,
                           const std::filesystem::path& cacheFile, const ProgressCallback& progress)
{
    VerifyResult result;
    const std::optional<Storage> storage = openForVerify(root, result);
    if (!storage)
        return result;
    if (storage->isWorkspace() || storage->formatVersion() == kParquetFormatVersion) {
        result = verifyWorkspace(*storage, progress);
        result.filesRead = result.filesChecked;
        return result;
    }
    const std::string rootText = std::filesystem::absolute(storage->root()).lexically_normal().string();
    const detail::VerifyCache previous = detail::readVerifyCache(cacheFile, rootText, storage->formatVersion());
    detail::VerifyCache next{rootText, storage->formatVersion(), {}};
    Walk w{*storage, progress, result, &previous, cacheFile.empty() ? nullptr : &next, {}};
    const auto folders = detail::listDataFolders(*storage, &w.p.total, &result.findings);
    for (const auto& folder : folders)
        if (!verifyFolder(w, folder, indexOf(indexes, folder)))
            return result;
    if (progress)
        progress(w.p);
    if (!cacheFile.empty()) {
        try {
            detail::writeVerifyCache(cacheFile, next);
        } catch (const StorageError& e) {
            result.cacheError = e.what();
        }
    }
    return result;
}

} // namespace sigscope::core
