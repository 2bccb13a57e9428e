#include "core/storage/storage.h"

#include "core/model/timestamp.h"
#include "core/storage/indexio.h"
#include "core/storage/indexjournal.h"
#include "core/storage/jsonsax.h"
#include "core/storage/parquetstorage.h"
#include "core/storage/traceio.h"
#include "core/storage/workspace.h"
#include "core/util/jsonlimits.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <mutex>
#include <sys/stat.h>
#include <thread>
#include <utility>
#include <nlohmann/json.hpp>

namespace sigscope::core {

namespace fs = std::filesystem;

namespace {

// The device and inode of a file, to tell whether it was replaced (renamed over) meanwhile.
std::pair<std::uint64_t, std::uint64_t> fileIdentity(const fs::path& path)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return {0, 0};
    return {static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
}

// The text of index.json, with its journal's text in journal. The two must belong together: a
// writer that folds the journal renames a new index.json into place before it removes the
// journal, so when index.json is still the same file after the journal was read, the two match;
// otherwise both are read again.
std::string readIndexWithJournal(const fs::path& indexPath, const fs::path& typeDir, std::optional<std::string>& journal)
{
    for (int attempt = 0;; ++attempt) {
        const auto before = fileIdentity(indexPath);
        std::string text = detail::readWholeFile(indexPath);
        journal = detail::readJournal(typeDir);
        if (attempt < 8 && fileIdentity(indexPath) != before)
            continue;
        return text;
    }
}

std::string messageFor(const fs::path& path, const std::string& reason)
{
    return path.empty() ? reason : path.string() + ": " + reason;
}

std::vector<std::string> listTypes(const fs::path& kindDir)
{
    std::vector<std::string> types;
    std::error_code ec;
    for (fs::directory_iterator it(kindDir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.empty() || name.front() == '.' || !it->is_directory(ec))
            continue;
        types.push_back(name);
    }
    std::sort(types.begin(), types.end());
    return types;
}

bool isRegularFile(const fs::path& p)
{
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

// p (lexically normal, relative) inside the root: no leading "..".
bool staysInside(const fs::path& relative)
{
    if (relative.empty() || relative.is_absolute())
        return false;
    const auto first = *relative.begin();
    return first != ".." && first != ".";
}

// A relative path of '/'-separated names, none empty, "." or "..": already lexically normal.
bool isPlainRelative(std::string_view p)
{
    if (p.empty() || p.front() == '/')
        return false;
    for (std::size_t start = 0;;) {
        const auto end = p.find('/', start);
        const auto name = p.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (name.empty() || name == "." || name == "..")
            return false;
        if (end == std::string_view::npos)
            return true;
        start = end + 1;
    }
}

std::string genericString(const fs::path& p)
{
    return p.generic_string();
}

// Time of an entry's created_at for "newest wins"; kNoTime when unreadable.
std::int64_t createdTime(const IndexEntry& e)
{
    const auto t = parseIsoTime(e.createdAt);
    return t ? t->utcMicros : kNoTime;
}

Finding makeFinding(Finding::Severity severity, std::string code, std::string path, std::string message,
                    std::int64_t line = 0)
{
    Finding f;
    f.severity = severity;
    f.code = std::move(code);
    f.path = std::move(path);
    f.line = line;
    f.message = std::move(message);
    return f;
}

// Upstream indexes hold no symbol and its files say "UNKNOWN"; the file's container id names it
// (settled by loadTrace). Version-0 folders are small: one read per entry.
void settleUpstreamSymbols(const fs::path& root, std::vector<IndexEntry>& entries)
{
    for (auto& e : entries) {
        if (e.symbol && *e.symbol != "UNKNOWN")
            continue;
        try {
            e.symbol = loadTrace(root / fs::path(e.filePath)).identity.symbol;
        } catch (const StorageError&) {
            // the file's damage is reported where the trace is read
        }
    }
}

// One entry per file, sorted by file_path: the later one in the list, unless its created_at is
// older; entries from index `indexed` on (the journal's) always win and are no repeated entries.
std::vector<IndexEntry> keepNewest(std::vector<IndexEntry>& entries, std::size_t indexed, std::size_t& duplicates)
{
    // What this library writes: sorted, one entry per file, no journal.
    const auto notIncreasing = [](const IndexEntry& a, const IndexEntry& b) { return a.filePath >= b.filePath; };
    if (indexed == entries.size() && std::adjacent_find(entries.begin(), entries.end(), notIncreasing) == entries.end())
        return std::move(entries);
    std::map<std::string, std::size_t> byPath;
    std::vector<IndexEntry> kept;
    kept.reserve(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        auto& e = entries[i];
        auto [it, inserted] = byPath.emplace(e.filePath, kept.size());
        if (inserted) {
            kept.push_back(std::move(e));
            continue;
        }
        IndexEntry& old = kept[it->second];
        if (i >= indexed) { // the journal's entry replaces the index's: not a repeated entry
            old = std::move(e);
            continue;
        }
        ++duplicates;
        const auto oldTime = createdTime(old), newTime = createdTime(e);
        if (oldTime == kNoTime || newTime == kNoTime || newTime >= oldTime)
            old = std::move(e);
    }
    std::sort(kept.begin(), kept.end(), [](const IndexEntry& a, const IndexEntry& b) { return a.filePath < b.filePath; });
    return kept;
}

} // namespace

StorageError::StorageError(fs::path path, std::string reason, std::int64_t line)
    : std::runtime_error(messageFor(path, reason))
    , m_path(std::move(path))
    , m_reason(std::move(reason))
    , m_line(line)
{
}

TraceIdentity IndexEntry::identity() const
{
    TraceIdentity id;
    id.kind = kind;
    id.name = name;
    id.parameters = parameters;
    id.symbol = symbol;
    id.timeframe = timeframe;
    id.run = run;
    id.variant = variant;
    return id;
}

Storage Storage::open(const fs::path& root)
{
    std::error_code ec;
    if (!fs::is_directory(root, ec))
        throw StorageError(root, fs::exists(root, ec) ? "is not a folder" : "no such folder");
    Storage s;
    // "a/b/" and "a/b" are the same root; the root's parent matters for upstream paths.
    s.m_root = root.has_filename() ? root : root.parent_path();
    const fs::path manifest = root / "storage.json";
    if (fs::exists(manifest, ec)) {
        const std::string text = detail::readWholeFile(manifest);
        if (jsonNestingDepth(text) > kMaxJsonDepth)
            throw StorageError(manifest, nestingTooDeepReason());
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(text);
        } catch (const nlohmann::json::parse_error& e) {
            const auto pos = detail::textPosition(text, e.byte);
            throw StorageError(manifest,
                               "line " + std::to_string(pos.line) + ", column " + std::to_string(pos.column) + ": "
                                   + detail::parseErrorReason(e.what()),
                               pos.line);
        }
        if (!j.is_object() || j.value("format", std::string()) != "hierarchical-signal-storage")
            throw StorageError(manifest, "not a hierarchical-signal-storage manifest");
        const auto it = j.find("format_version");
        if (it == j.end() || !it->is_number_integer())
            throw StorageError(manifest, "format_version is missing or not an integer");
        const auto version = it->get<std::int64_t>();
        if (version != 1 && version != kParquetFormatVersion)
            throw StorageError(manifest, "unsupported format_version " + std::to_string(version)
                                             + " (this program reads versions 0, 1 and 2)");
        s.m_formatVersion = static_cast<int>(version);
    }
    if (s.m_formatVersion == kParquetFormatVersion) {
        // Listed from the traces files alone; signals/ and classifiers/ are not part of it.
        auto listing = std::make_shared<WorkspaceListing>(listParquetStorage(s.m_root));
        for (const auto& index : listing->indexes)
            (index.kind == Kind::Signal ? s.m_signalTypes : s.m_classifierTypes).push_back(index.type);
        s.m_listing = std::move(listing);
        return s;
    }
    s.m_signalTypes = listTypes(root / kindFolder(Kind::Signal));
    s.m_classifierTypes = listTypes(root / kindFolder(Kind::Classifier));
    if (s.m_formatVersion == 0 && s.m_signalTypes.empty() && s.m_classifierTypes.empty()) {
        if (const WorkspaceLayout layout = detectWorkspaces(root); layout.shape != WorkspaceShape::None) {
            auto listing = std::make_shared<WorkspaceListing>(listWorkspace(layout));
            for (const auto& index : listing->indexes)
                (index.kind == Kind::Signal ? s.m_signalTypes : s.m_classifierTypes).push_back(index.type);
            s.m_listing = std::move(listing);
        }
    }
    return s;
}

void Storage::refuseWriteIfWorkspace() const
{
    if (isWorkspace())
        throw StorageError(m_root, workspaceReadOnlyReason());
    if (m_formatVersion == kParquetFormatVersion)
        throw StorageError(m_root, parquetStorageReason());
}

const std::vector<std::string>& Storage::types(Kind kind) const
{
    return kind == Kind::Signal ? m_signalTypes : m_classifierTypes;
}

fs::path Storage::absolutePath(const IndexEntry& entry) const
{
    return m_root / fs::path(entry.filePath);
}

TypeIndex Storage::readIndex(Kind kind, const std::string& type, std::vector<Finding>* findings) const
{
    if (m_listing) {
        for (const auto& index : m_listing->indexes)
            if (index.kind == kind && index.type == type)
                return index;
        TypeIndex none;
        none.kind = kind;
        none.type = type;
        return none;
    }
    const std::string folder = std::string(kindFolder(kind)) + "/" + type;
    const std::string indexRel = folder + "/index.json";
    const fs::path indexPath = m_root / indexRel;
    const bool upstream = m_formatVersion == 0;
    auto report = [&](Finding f) {
        if (findings)
            findings->push_back(std::move(f));
    };

    TypeIndex raw;
    raw.kind = kind;
    raw.type = type;
    // Whether the index is missing is decided before the read: a writer may create it between a
    // failed open and a later check, which would then report "cannot open" as damage.
    std::error_code existsError;
    const bool existedBefore = fs::exists(indexPath, existsError);
    std::optional<std::string> journal;
    try {
        raw = detail::parseIndex(readIndexWithJournal(indexPath, m_root / folder, journal), kind, indexRel);
    } catch (const StorageError& e) {
        std::error_code ec;
        const bool missing = !existedBefore || !fs::exists(indexPath, ec);
        report(makeFinding(missing ? Finding::Severity::Warning : Finding::Severity::Error, "index-error", indexRel,
                           missing ? "index.json is missing (rebuild the index)" : e.reason(), e.line()));
        TypeIndex empty;
        empty.kind = kind;
        empty.type = type;
        return empty;
    }
    raw.kind = kind;
    if (raw.type.empty())
        raw.type = type;
    // Entries appended by one-by-one writes since index.json was last written: they come after
    // the index's own and always win over them.
    const std::size_t indexed = raw.entries.size();
    if (journal) {
        for (auto& e : detail::parseJournal(*journal, kind, folder, findings))
            raw.entries.push_back(std::move(e));
    }

    const fs::path rootAbs = fs::absolute(m_root).lexically_normal();
    const fs::path rootParent = rootAbs.parent_path();
    const std::string kindPrefix = std::string(kindFolder(kind)) + "/";
    std::size_t writerRelative = 0, absolute = 0, fallback = 0;
    for (auto& e : raw.entries) {
        e.kind = kind;
        if (e.type.empty())
            e.type = type;
        if (e.storedFilePath.starts_with(kindPrefix) && isPlainRelative(e.storedFilePath)) {
            e.filePath = e.storedFilePath; // the version-1 form, as the lexical check below would find it
            continue;
        }
        const fs::path stored = fs::path(e.storedFilePath).lexically_normal();
        std::string resolved;
        if (stored.is_relative() && staysInside(stored) && genericString(stored).starts_with(kindPrefix)) {
            resolved = genericString(stored); // the version-1 form: no file system look-up needed
        } else if (stored.is_absolute()) {
            const fs::path rel = stored.lexically_relative(rootAbs);
            if (staysInside(rel) && isRegularFile(stored)) {
                resolved = genericString(rel);
                ++absolute;
            }
        } else if (!rootParent.empty() && isRegularFile(rootParent / stored)) {
            const fs::path rel = (rootParent / stored).lexically_normal().lexically_relative(rootAbs);
            if (staysInside(rel)) {
                resolved = genericString(rel);
                ++writerRelative;
            }
        }
        if (resolved.empty()) {
            // Last resort (§7): the file name inside this type folder.
            std::string name = stored.filename().string();
            if (name.empty() || name == "." || name == "..")
                name = "index-entry-without-file-name";
            resolved = folder + "/" + name;
            ++fallback;
        }
        e.filePath = resolved;
    }

    std::size_t duplicates = 0;
    std::vector<IndexEntry> kept = keepNewest(raw.entries, indexed, duplicates);
    if (upstream)
        settleUpstreamSymbols(m_root, kept);

    const auto quirk = upstream ? Finding::Severity::Info : Finding::Severity::Warning;
    auto quirkCode = [&](const char* code) { return upstream ? std::string("upstream-") + code : std::string("index-error"); };
    if (duplicates)
        report(makeFinding(quirk, quirkCode("appended-entries"), indexRel,
                           std::to_string(duplicates) + " repeated entries for one file (newest kept)"));
    if (writerRelative)
        report(makeFinding(quirk, quirkCode("writer-relative-path"), indexRel,
                           std::to_string(writerRelative) + " file_path values relative to the writer's folder"));
    if (absolute)
        report(makeFinding(quirk, quirkCode("absolute-path"), indexRel,
                           std::to_string(absolute) + " absolute file_path values"));
    if (fallback)
        report(makeFinding(quirk, quirkCode("unresolved-path"), indexRel,
                           std::to_string(fallback) + " file_path values resolved by file name in the folder"));

    TypeIndex out;
    out.kind = kind;
    out.type = raw.type;
    out.updatedAt = raw.updatedAt;
    out.entries = std::move(kept);
    return out;
}

std::vector<TypeIndex> Storage::readAllIndexes(std::vector<Finding>* findings, const ProgressCallback& progress) const
{
    std::vector<std::pair<Kind, const std::string*>> folders;
    for (const Kind kind : {Kind::Signal, Kind::Classifier})
        for (const auto& type : types(kind))
            folders.emplace_back(kind, &type);
    if (m_listing && findings) // the listing's findings, once per read of every index
        findings->insert(findings->end(), m_listing->findings.begin(), m_listing->findings.end());
    // Type folders are read in parallel (a listing is in memory already); results and findings
    // are kept per folder and handed out in kind/type order.
    std::vector<TypeIndex> read(folders.size());
    std::vector<std::vector<Finding>> found(folders.size());
    std::vector<char> done(folders.size(), 0);
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    std::exception_ptr failure; // a worker's exception, thrown again here
    std::mutex failureMutex;
    const auto work = [&]() {
        try {
            for (std::size_t i; !stop && (i = next++) < folders.size();) {
                read[i] = readIndex(folders[i].first, *folders[i].second, &found[i]);
                done[i] = 1;
            }
        } catch (...) {
            stop = true;
            const std::lock_guard lock(failureMutex);
            failure = std::current_exception();
        }
    };
    const std::size_t threads = m_listing ? 0 : std::min<std::size_t>(folders.size(), std::max(1U, std::thread::hardware_concurrency())) - 1;
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < threads && folders.size() > 1; ++t)
        pool.emplace_back(work);
    Progress p;
    p.total = folders.size();
    // This thread reads too, one folder at a time, and reports progress between them.
    try {
        for (std::size_t i; !stop && (i = next++) < folders.size();) {
            if (progress) {
                p.current = std::string(kindFolder(folders[i].first)) + "/" + *folders[i].second;
                if (!progress(p))
                    stop = true;
            }
            if (stop)
                break;
            read[i] = readIndex(folders[i].first, *folders[i].second, &found[i]);
            done[i] = 1;
            ++p.done;
            p.itemsDone += read[i].entries.size();
        }
    } catch (...) {
        stop = true;
        const std::lock_guard lock(failureMutex);
        failure = std::current_exception();
    }
    for (auto& thread : pool)
        thread.join();
    if (failure)
        std::rethrow_exception(failure);
    std::vector<TypeIndex> out;
    out.reserve(read.size());
    for (std::size_t i = 0; i < read.size() && done[i]; ++i) { // cancelled: the folders read up to the first not read
        out.push_back(std::move(read[i]));
        if (findings)
            findings->insert(findings->end(), found[i].begin(), found[i].end());
    }
    if (progress && !stop) {
        p.done = out.size();
        p.itemsDone = 0;
        for (const auto& index : out)
            p.itemsDone += index.entries.size();
        progress(p);
    }
    return out;
}

RebuildResult rebuildIndexes(const fs::path& root, const ProgressCallback& progress)
{
    const Storage storage = Storage::open(root);
    storage.refuseWriteIfWorkspace();
    RebuildResult result;
    Progress p;
    std::vector<Finding> problems;
    const auto folders = detail::listDataFolders(storage, &p.total, &problems);
    // Nothing is written through a symbolic link: every folder is checked before the first index.
    for (const auto& folder : folders)
        detail::checkTypeFolderForWrite(root, folder.kind, folder.type, false);
    for (auto& f : problems) {
        f.message += f.code == "invalid-name" ? std::string() : std::string(" (left out of the index)");
        result.findings.push_back(std::move(f));
    }

    for (const auto& folder : folders) {
        const std::string rel = std::string(kindFolder(folder.kind)) + "/" + folder.type;
        const fs::path dir = root / rel;
        TypeIndex index;
        index.kind = folder.kind;
        index.type = folder.type;
        for (const auto& name : folder.files) {
            const std::string fileRel = rel + "/" + name;
            if (progress) {
                p.current = fileRel;
                if (!progress(p)) {
                    result.cancelled = true;
                    return result; // indexes already rebuilt stay; this one is left as it was
                }
            }
            try {
                const Trace trace = loadTrace(dir / name);
                if (trace.kind() != folder.kind) {
                    result.findings.push_back(makeFinding(Finding::Severity::Error, "illegal-value", fileRel,
                                                          "a " + std::string(kindName(trace.kind()))
                                                              + " trace in the " + std::string(kindFolder(folder.kind))
                                                              + " folder; left out of the index"));
                } else {
                    const std::string hash =
                        trace.metadata.storedHash.empty() ? trace.identity.hashHex() : trace.metadata.storedHash;
                    index.entries.push_back(detail::entryFor(trace, folder.type, fileRel, hash));
                    ++result.traces;
                }
            } catch (const StorageError& e) {
                result.findings.push_back(
                    makeFinding(Finding::Severity::Error, "parse-error", fileRel, e.reason() + " (left out of the index)",
                                e.line()));
            }
            ++p.done;
        }
        detail::sortUnique(index.entries);
        index.updatedAt = formatUtcMicrosZ(nowUtcMicros());
        {
            detail::IndexLock lock(dir);
            detail::replaceFile(dir / "index.json", detail::serializeIndex(index), true);
            detail::removeJournal(dir); // the rebuilt index holds every data file
        }
        ++result.types;
    }
    if (progress)
        progress(p);
    return result;
}

} // namespace sigscope::core
