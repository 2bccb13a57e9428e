#include "core/storage/writer.h"

#include "core/model/timestamp.h"
#include "core/storage/indexio.h"
#include "core/storage/indexjournal.h"
#include "core/storage/jsonsax.h"
#include "core/storage/naming.h"
#include "core/storage/parquetstorage.h"
#include "core/storage/traceio.h"
#include "core/storage/workspace.h"
#include "core/util/canonical.h"

#include <algorithm>
#include <map>
#include <set>
#include <optional>
#include <utility>
#include <unistd.h>
#include <signal.h>
#include <cerrno>
#include <charconv>

#ifndef SIGSCOPE_VERSION
#define SIGSCOPE_VERSION "0"
#endif

namespace sigscope::core {

namespace fs = std::filesystem;

namespace {

// What a file on disk holds, as far as the collision rule and "unchanged" need to know.
struct Existing
{
    std::string bytes;
    std::optional<Trace> trace; // empty when the file does not parse
};

std::optional<Existing> readExisting(const fs::path& path)
{
    std::error_code ec;
    if (!fs::exists(path, ec))
        return std::nullopt;
    Existing e;
    e.bytes = detail::readWholeFile(path);
    try {
        e.trace = parseTrace(e.bytes, path);
    } catch (const StorageError&) {
        // A file we cannot read is treated as another identity: never overwritten.
    }
    return e;
}

// Same content apart from created_at (a write time, not content).
bool sameContent(const Trace& onDisk, const Trace& trace, const std::string& type)
{
    return onDisk.identity == trace.identity && onDisk.type == type && onDisk.metadata.formatVersion == 1
        && onDisk.metadata.storedHash == trace.identity.hashHex()
        && onDisk.effectiveTotalBars() == trace.effectiveTotalBars() && onDisk.metadata.extras == trace.metadata.extras
        && onDisk.sameChanges(trace);
}

// One data file written (or found unchanged) while the folder's index lock is held.
struct Placed
{
    WriteResult result;
    IndexEntry entry;
    fs::path absolute;
    std::optional<std::string> previousBytes; // to restore when the index update fails
    std::filesystem::path temporary;          // written, not yet renamed into place
    bool written = false;                     // renamed into place
};

// Merges `added` (file_path -> entry line; of one path the later one wins) into `entries`, which
// ends sorted by file_path with one entry per path: one sort of `added`, then one linear merge.
void upsertLines(std::vector<std::pair<std::string, std::string>>& entries,
                 std::vector<std::pair<std::string, std::string>> added)
{
    auto byPath = [](const auto& a, const auto& b) { return a.first < b.first; };
    std::stable_sort(added.begin(), added.end(), byPath);
    std::stable_sort(entries.begin(), entries.end(), byPath);
    std::vector<std::pair<std::string, std::string>> merged;
    merged.reserve(entries.size() + added.size());
    std::size_t e = 0;
    for (std::size_t a = 0; a < added.size(); ++a) {
        if (a + 1 < added.size() && added[a + 1].first == added[a].first)
            continue; // a later line for the same file follows
        while (e < entries.size() && entries[e].first < added[a].first)
            merged.push_back(std::move(entries[e++]));
        if (e < entries.size() && entries[e].first == added[a].first)
            ++e; // replaced
        merged.push_back(std::move(added[a]));
    }
    while (e < entries.size())
        merged.push_back(std::move(entries[e++]));
    entries = std::move(merged);
}

class TypeFolderWrite
{
public:
    // append: a write of one trace, which appends its entry to the index journal instead of
    // rewriting index.json, unless the journal is due to be folded into the index.
    // cleaned: the folders whose stale temporaries this writer already removed (once each: a
    // listing of a large folder per trace would cost more than the write).
    TypeFolderWrite(const fs::path& root, Kind kind, std::string type, bool append, std::set<std::string>& cleaned)
        : m_root(root)
        , m_type(std::move(type))
        , m_rel(std::string(kindFolder(kind)) + "/" + m_type)
        , m_dir(root / m_rel)
    {
        std::error_code ec;
        detail::checkTypeFolderForWrite(root, kind, m_type, true);
        m_lock.emplace(m_dir);
        // A killed writer's temporary files go when the next writer opens the folder.
        if (cleaned.insert(m_rel).second)
            detail::removeStaleTemporariesIn(m_dir);
        const fs::path indexPath = m_dir / "index.json";
        // Only beside a regular index.json: anything else there is refused by the full read below.
        m_append = append && fs::is_regular_file(fs::symlink_status(indexPath, ec))
            && !detail::journalNeedsCompaction(m_dir);
        if (m_append)
            return;
        // Read the index before touching any data file, so a damaged index changes nothing.
        if (fs::exists(indexPath, ec)) {
            const std::string text = detail::readWholeFile(indexPath);
            if (auto lines = detail::splitIndexLines(text)) {
                m_index = std::move(*lines);
            } else {
                // Not our layout (an upstream index, or edited by hand): full parse, entries kept.
                const TypeIndex parsed = detail::parseIndex(text, kind, m_rel + "/index.json");
                for (const auto& e : parsed.entries)
                    m_index.entries.emplace_back(e.filePath, detail::entryLine(e));
                m_rewriteAnyway = true;
            }
        }
        m_index.type = m_type;
        m_oldEntries = m_index.entries;
        foldJournal(kind);
    }

    Placed place(const Trace& trace)
    {
        const TraceIdentity& id = trace.identity;
        Placed out;
        out.result.fileHash = id.hashHex();
        std::string rel = naming::relativePath(id, m_type, false);
        std::optional<Existing> existing = readExisting(m_root / rel);
        if (existing && !(existing->trace && existing->trace->identity == id)) {
            out.result.longHash = true;
            rel = naming::relativePath(id, m_type, true);
            existing = readExisting(m_root / rel);
            if (existing && !(existing->trace && existing->trace->identity == id))
                throw StorageError(rel, "holds another trace identity; not overwritten");
        }
        out.result.filePath = rel;
        out.absolute = m_root / rel;

        if (existing && existing->trace && sameContent(*existing->trace, trace, m_type)) {
            out.result.unchanged = true;
            out.entry = detail::entryFor(*existing->trace, m_type, rel, out.result.fileHash);
            return out;
        }
        // The text streams into a temporary file: it is renamed into place at commit(), after one
        // sync of the file system for the whole batch.
        auto writeTemporary = [&out](const Trace& t) {
            out.temporary = detail::writeUnsynced(out.absolute, [&t](const TextSink& sink) { serializeTrace(t, sink); });
        };
        if (trace.metadata.createdAt.empty() || trace.type != m_type) {
            Trace copy = trace; // callers that care about memory (migration) set both beforehand
            copy.type = m_type;
            if (copy.metadata.createdAt.empty())
                copy.metadata.createdAt = formatUtcMicrosZ(nowUtcMicros());
            writeTemporary(copy);
            out.entry = detail::entryFor(copy, m_type, rel, out.result.fileHash);
        } else {
            writeTemporary(trace);
            out.entry = detail::entryFor(trace, m_type, rel, out.result.fileHash);
        }
        if (existing)
            out.previousBytes = std::move(existing->bytes);
        return out;
    }

    void add(Placed placed) { m_placed.push_back(std::move(placed)); }

    TypeFolderWrite(const TypeFolderWrite&) = delete;
    TypeFolderWrite& operator=(const TypeFolderWrite&) = delete;
    ~TypeFolderWrite()
    {
        for (const auto& p : m_placed) // never committed (an exception on the way): nothing appears
            if (!p.temporary.empty())
                ::unlink(p.temporary.c_str());
    }

    // Syncs the new files, renames them into place, syncs the folder, then upserts every placed
    // entry into index.json. On failure the data files written here are put back as they were
    // and the error is rethrown.
    void commit()
    {
        if (m_placed.empty())
            return;
        try {
            std::size_t temporaries = 0;
            const fs::path* onlyTemporary = nullptr;
            for (const auto& p : m_placed) {
                if (!p.temporary.empty()) {
                    ++temporaries;
                    onlyTemporary = &p.temporary;
                }
            }
            if (temporaries > 0) {
                // Every new file's content on disk before any rename: one file is synced alone, a
                // batch with one syncfs instead of a flush per file.
                if (temporaries == 1)
                    detail::syncFile(*onlyTemporary);
                else
                    detail::syncFileSystem(m_dir);
                for (auto& p : m_placed) {
                    if (p.temporary.empty())
                        continue;
                    const fs::path temporary = std::exchange(p.temporary, fs::path());
                    detail::renameIntoPlace(temporary, p.absolute);
                    p.written = true;
                }
            }
            if (m_append) {
                // The renames and the journal's new lines become durable with the journal's sync;
                // a journal just created needs its folder entry synced as well.
                std::vector<std::string> lines;
                lines.reserve(m_placed.size());
                for (const auto& p : m_placed)
                    lines.push_back(detail::entryLine(p.entry));
                if (detail::appendJournal(m_dir, lines).created)
                    detail::syncFolder(m_dir);
                return;
            }
            bool anyWritten = false;
            for (const auto& p : m_placed)
                anyWritten = anyWritten || p.written;
            std::vector<std::pair<std::string, std::string>> added;
            added.reserve(m_placed.size());
            for (const auto& p : m_placed)
                added.emplace_back(p.entry.filePath, detail::entryLine(p.entry));
            auto& entries = m_index.entries;
            upsertLines(entries, std::move(added));
            if (entries == m_oldEntries && !m_rewriteAnyway) {
                // Nothing new for the index: keep index.json (and its mtime) as it is.
                if (anyWritten)
                    detail::syncFolder(m_dir);
                return;
            }
            // The index rename and the data renames before it share one folder sync.
            detail::replaceFile(m_dir / "index.json",
                                detail::joinIndexLines(m_index, formatUtcMicrosZ(nowUtcMicros())), true);
            if (m_foldedJournal) {
                // Synced: a journal that came back after a crash would override newer entries.
                detail::removeJournal(m_dir);
                detail::syncFolder(m_dir);
            }
        } catch (...) {
            rollback();
            throw;
        }
    }

private:
    // The journal's entries go into the index about to be rewritten (later ones win), and the
    // journal is removed once the index holds them.
    void foldJournal(Kind kind)
    {
        const auto journal = detail::readJournal(m_dir);
        if (!journal)
            return;
        upsertLines(m_index.entries, detail::journalEntryLines(*journal, kind, m_rel));
        m_foldedJournal = true;
        m_rewriteAnyway = true;
    }

    void rollback() noexcept
    {
        for (auto it = m_placed.rbegin(); it != m_placed.rend(); ++it) {
            if (!it->temporary.empty()) {
                ::unlink(it->temporary.c_str());
                it->temporary.clear();
            }
            if (!it->written)
                continue;
            try {
                if (it->previousBytes)
                    detail::replaceFile(it->absolute, *it->previousBytes, true);
                else
                    ::unlink(it->absolute.c_str());
            } catch (...) {
                // Best effort: the original error is what the caller needs to see.
            }
        }
    }

    fs::path m_root;
    std::string m_type;
    std::string m_rel;
    fs::path m_dir;
    std::optional<detail::IndexLock> m_lock;
    detail::IndexLines m_index;
    std::vector<std::pair<std::string, std::string>> m_oldEntries;
    bool m_rewriteAnyway = false;
    bool m_append = false;        // this write appends to the journal; index.json is not read
    bool m_foldedJournal = false; // the journal's entries are in m_index: remove it after the rewrite
    std::vector<Placed> m_placed;
};

std::string typeOf(const Trace& trace)
{
    return naming::typeFor(trace.kind(), trace.identity.name, trace.type);
}

} // namespace

StorageWriter::StorageWriter(fs::path root, WriteOptions options)
    : m_root(std::move(root))
    , m_options(std::move(options))
{
    if (m_options.createdBy.empty())
        m_options.createdBy = std::string("sigscope ") + SIGSCOPE_VERSION;
    std::error_code ec;
    // Nothing is ever written into a Parquet workspace of the Python system.
    if (detectWorkspaces(m_root).shape != WorkspaceShape::None)
        throw StorageError(m_root, workspaceReadOnlyReason());
    if (isParquetStorage(m_root))
        throw StorageError(m_root, parquetStorageReason());
    fs::create_directories(m_root, ec);
    if (ec)
        throw StorageError(m_root, "cannot create the storage folder: " + ec.message());
    detail::removeStaleTemporariesIn(m_root);
    const fs::path manifest = m_root / "storage.json";
    if (!fs::exists(manifest, ec))
        detail::replaceFile(manifest, detail::manifestText(m_options.createdBy, 1), true);
}

WriteResult StorageWriter::write(const Trace& trace)
{
    TypeFolderWrite folder(m_root, trace.kind(), typeOf(trace), true, m_cleanedFolders);
    Placed placed = folder.place(trace);
    WriteResult result = placed.result;
    folder.add(std::move(placed));
    folder.commit();
    return result;
}

std::vector<WriteResult> StorageWriter::writeBatch(std::span<const Trace> traces, const ProgressCallback& progress)
{
    // Group by type folder, in order of first appearance, so each index is updated once.
    std::vector<std::pair<std::pair<Kind, std::string>, std::vector<std::size_t>>> groups;
    std::map<std::pair<Kind, std::string>, std::size_t> groupOf;
    for (std::size_t i = 0; i < traces.size(); ++i) {
        auto key = std::make_pair(traces[i].kind(), typeOf(traces[i]));
        auto [it, inserted] = groupOf.emplace(key, groups.size());
        if (inserted)
            groups.push_back({key, {}});
        groups[it->second].second.push_back(i);
    }

    std::vector<WriteResult> results(traces.size());
    Progress p;
    p.total = traces.size();
    for (const auto& [key, members] : groups) {
        TypeFolderWrite folder(m_root, key.first, key.second, false, m_cleanedFolders);
        bool cancelled = false;
        try {
            for (const std::size_t i : members) {
                if (progress && !progress(p)) {
                    cancelled = true;
                    break;
                }
                Placed placed = folder.place(traces[i]);
                results[i] = placed.result;
                p.current = placed.result.filePath;
                folder.add(std::move(placed));
                ++p.done;
            }
        } catch (...) {
            folder.commit(); // what was written before the failure keeps its entries, as one by one
            throw;
        }
        folder.commit();
        if (cancelled)
            return results; // traces not written have an empty filePath
    }
    if (progress)
        progress(p);
    return results;
}

std::vector<fs::path> removeStaleTemporaries(const fs::path& root)
{
    std::vector<fs::path> removed;
    detail::removeStaleTemporariesIn(root, &removed);
    for (const Kind kind : {Kind::Signal, Kind::Classifier}) {
        std::error_code ec;
        if (fs::is_symlink(root / kindFolder(kind), ec))
            continue; // not ours to clean: writes refuse such a storage
        for (fs::directory_iterator it(root / kindFolder(kind), ec), end; !ec && it != end; it.increment(ec)) {
            std::error_code dirEc;
            if (it->is_directory(dirEc) && !it->is_symlink(dirEc))
                detail::removeStaleTemporariesIn(it->path(), &removed);
        }
    }
    return removed;
}

namespace detail {

std::string manifestText(const std::string& createdBy, int formatVersion)
{
    std::string out = "{\n  \"format\": \"hierarchical-signal-storage\",\n  \"format_version\": "
        + std::to_string(formatVersion) + ",\n";
    if (formatVersion == kParquetFormatVersion)
        out += "  \"layout\": \"hive-parquet\",\n";
    out += "  \"hash\": \"xxh3_64\",\n  \"created_at\": ";
    canonical::appendString(out, formatUtcMicrosZ(nowUtcMicros()));
    out += ",\n  \"created_by\": ";
    canonical::appendString(out, createdBy);
    out += "\n}\n";
    return out;
}

} // namespace detail

void writeFileAtomically(const fs::path& path, std::string_view content)
{
    detail::replaceFile(path, content, true);
}

} // namespace sigscope::core
