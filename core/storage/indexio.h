#pragma once

// Internal to core/storage: reading and writing index.json, shared by Storage, the writer,
// rebuild and verify.

#include "core/model/trace.h"
#include "core/storage/storage.h"
#include "core/storage/traceio.h"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sigscope::core::detail {

// Entries exactly as listed in an index.json (no dedupe, file_path not yet resolved: filePath
// == storedFilePath). Throws StorageError with line/column on damaged JSON.
TypeIndex parseIndex(std::string_view text, Kind kind, const std::filesystem::path& pathForMessages);
// parseIndex's fast path (simdjson On-Demand, indexfast.cpp): false, with out untouched, when the
// text holds anything but the flat layout this library and upstream write (then the SAX reader
// of parseIndex reads it, and reports any damage with line and column).
bool parseIndexFast(std::string_view text, Kind kind, TypeIndex& out);

// Deterministic text of an index (entries must already be sorted by filePath).
std::string serializeIndex(const TypeIndex& index);

// index.json as this library writes it, one entry per line kept as text, so that a writer's
// upsert after every trace does not re-parse every entry.
struct IndexLines
{
    std::string type;
    std::vector<std::pair<std::string, std::string>> entries; // file_path -> entry JSON text
};
std::string entryLine(const IndexEntry& entry);
std::string joinIndexLines(const IndexLines& index, const std::string& updatedAt);
// nullopt when the text is not in exactly that layout (then parse it with parseIndex).
std::optional<IndexLines> splitIndexLines(std::string_view text);

// The index entry describing a trace stored at filePath (relative to the root).
IndexEntry entryFor(const Trace& trace, const std::string& type, const std::string& filePath,
                    const std::string& fileHash);

// Sorts by filePath and keeps one entry per filePath (the later one).
void sortUnique(std::vector<IndexEntry>& entries);

// Data files of a type folder (*.json except index.json and hidden files), sorted by name. Names
// that cannot be data files go to *problems (when given) instead, with rel (the folder relative
// to the root) in their path: "invalid-name" for a name that is not UTF-8 (no JSON text can hold
// it: shown with its bytes escaped), "not-a-file" for a FIFO, socket, device, folder or dangling
// symbolic link named *.json.
std::vector<std::string> listDataFiles(const std::filesystem::path& typeDir, const std::string& rel = {},
                                       std::vector<Finding>* problems = nullptr);

// Every type folder of a storage with its data files, in kind/type order; *fileCount gets the
// number of data files in all (the total of a progress bar over them). Type folders whose name is
// not UTF-8 are left out ("invalid-name"); problems as listDataFiles, plus "symlinked-folder"
// for a kind or type folder that is a symbolic link (read through, but never written).
struct DataFolder
{
    Kind kind;
    std::string type;
    std::vector<std::string> files;
};
std::vector<DataFolder> listDataFolders(const Storage& storage, std::uint64_t* fileCount,
                                        std::vector<Finding>* problems = nullptr);

// Writes never follow a symbolic link out of the storage. The kind folder (signals/,
// classifiers/) and the type folder of root must be real folders: created when missing (create;
// else a missing one passes), a StorageError naming the folder when one is a symbolic link or
// not a folder.
// Files are created with O_NOFOLLOW | O_EXCL and put in place by rename(2), which replaces a
// link instead of writing through it. Returns <root>/<kind>/<type>.
std::filesystem::path checkTypeFolderForWrite(const std::filesystem::path& root, Kind kind, const std::string& type,
                                              bool create);
// The same rule for any folder the library writes into (the demo's market/).
void checkFolderForWrite(const std::filesystem::path& dir, bool create);

// Removes the temporary files (".<name>.tmp.<pid>.<n>") of writers that no longer run from one
// folder; appends the removed paths. Every writer calls it on the folders it opens for writing.
void removeStaleTemporariesIn(const std::filesystem::path& dir, std::vector<std::filesystem::path>* removed = nullptr);
// The path of a new temporary file for path, in its folder, named as removeStaleTemporariesIn expects.
std::filesystem::path temporaryPathFor(const std::filesystem::path& path);

// An exclusive flock on <typeDir>/.index.lock for the lifetime of the object. The lock file is
// opened with O_NOFOLLOW: a symbolic link there (dangling or not) is refused, never followed.
class IndexLock
{
public:
    explicit IndexLock(const std::filesystem::path& typeDir);
    ~IndexLock();
    IndexLock(const IndexLock&) = delete;
    IndexLock& operator=(const IndexLock&) = delete;

private:
    int m_fd = -1;
};

// Writes content to a temporary file beside path, fsyncs and renames it over path; the folder
// is fsynced only when syncDir is set (a batch syncs it once at the end).
void replaceFile(const std::filesystem::path& path, std::string_view content, bool syncDir);
// The same with the text handed over in pieces by a producer, so that a large file is never
// held whole in memory.
using TextProducer = std::function<void(const TextSink&)>;
void replaceFile(const std::filesystem::path& path, const TextProducer& produce, bool syncDir);
// For batches: writes the temporary file beside path without syncing it; returns its path. The
// batch then calls syncFileSystem once and renameIntoPlace for each file, so that a file appears
// under its name only when its content is on disk.
std::filesystem::path writeUnsynced(const std::filesystem::path& path, const TextProducer& produce);
void syncFileSystem(const std::filesystem::path& dir); // syncfs(2) of the file system holding dir
void syncFile(const std::filesystem::path& file);     // fsync(2) of a written file
// rename(2); the temporary file is removed when that fails.
void renameIntoPlace(const std::filesystem::path& temporary, const std::filesystem::path& path);
void syncFolder(const std::filesystem::path& dir);

// The text of storage.json for format version 1 or 2 (docs/format.md "Versions and layout").
std::string manifestText(const std::string& createdBy, int formatVersion);

} // namespace sigscope::core::detail
