#pragma once

#include "core/model/identity.h"
#include "core/util/progress.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace sigscope::core {

struct WorkspaceListing;

// A failure that names the file and the reason, e.g.
// "signals/rsi/rsi_14_1a2b3c4d.json: line 1, column 3812: unexpected end of input".
class StorageError : public std::runtime_error
{
public:
    StorageError(std::filesystem::path path, std::string reason, std::int64_t line = 0);
    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    [[nodiscard]] const std::string& reason() const { return m_reason; }
    [[nodiscard]] std::int64_t line() const { return m_line; }

private:
    std::filesystem::path m_path;
    std::string m_reason;
    std::int64_t m_line = 0;
};

// One entry of a type folder's index.json (storage-format.md §7).
struct IndexEntry
{
    Kind kind = Kind::Signal;
    std::string type;
    std::string name;
    Parameters parameters;
    std::optional<std::string> symbol;
    std::optional<std::string> timeframe;
    std::optional<std::string> run;
    std::optional<std::int64_t> variant;
    std::int64_t totalItems = 0; // number of changes
    std::int64_t totalBars = 0;
    double compressionRatio = 0.0;
    std::optional<std::int64_t> firstIdx;
    std::optional<std::int64_t> lastIdx;
    std::string firstTs;
    std::string lastTs;
    std::string createdAt;
    std::string fileHash;       // as stored (16 hex digits; upstream MD5-8 in version 0)
    std::string changesHash;    // core::changesHash as 16 hex digits; empty when the index has none (older indexes)
    std::string filePath;       // relative to the root, '/' separated, after resolving upstream forms
    std::string storedFilePath; // exactly as written in index.json

    [[nodiscard]] TraceIdentity identity() const;
    bool operator==(const IndexEntry&) const = default;
};

struct TypeIndex
{
    Kind kind = Kind::Signal;
    std::string type;
    std::string updatedAt;
    std::vector<IndexEntry> entries; // one per data file, sorted by filePath
};

// A storage folder opened for reading. Cheap: opening lists the type folders; indexes and
// traces are read on demand. Version-0 (upstream Python) folders open as they are, and so do
// Parquet workspaces of the Python system (core/storage/workspace.h): opening one lists its
// traces from the Parquet footers, its indexes are that listing, and it is never written. A
// version-2 (Parquet) storage (core/storage/parquetstorage.h) is listed from its traces files
// the same way; only the Parquet writer writes into it.
class Storage
{
public:
    // Throws StorageError when root is not a readable folder or storage.json is damaged.
    static Storage open(const std::filesystem::path& root);

    [[nodiscard]] const std::filesystem::path& root() const { return m_root; }
    [[nodiscard]] int formatVersion() const { return m_formatVersion; } // storage.json's (1 or 2), else 0
    // True for an L6 Parquet workspace (or a folder of them, or a traces/ folder): read-only.
    [[nodiscard]] bool isWorkspace() const { return m_listing != nullptr && m_formatVersion == 0; }
    // Throws StorageError "<root>: a Parquet workspace of the Python system (L6), read-only; ..."
    // when the folder is one, and "<root>: a version-2 (Parquet) storage; ..." for version 2;
    // every writing action of version 1 calls it before it writes.
    void refuseWriteIfWorkspace() const;
    [[nodiscard]] const std::vector<std::string>& types(Kind kind) const;

    // Reads <kind>/<type>/index.json: newest entry per file kept, all three file_path forms
    // resolved (root, root's parent, file name in the folder). Problems go to findings; a
    // missing or unreadable index yields an empty TypeIndex plus a finding.
    TypeIndex readIndex(Kind kind, const std::string& type, std::vector<Finding>* findings = nullptr) const;
    // Every index of the storage, in kind/type order.
    std::vector<TypeIndex> readAllIndexes(std::vector<Finding>* findings = nullptr,
                                          const ProgressCallback& progress = {}) const;

    [[nodiscard]] std::filesystem::path absolutePath(const IndexEntry& entry) const;

private:
    std::filesystem::path m_root;
    int m_formatVersion = 0;
    std::vector<std::string> m_signalTypes;
    std::vector<std::string> m_classifierTypes;
    std::shared_ptr<const WorkspaceListing> m_listing; // L6 workspace or version 2: the indexes, listed once
};

// Index rebuilt from the data files of every type folder (storage-format.md §7 "rebuild").
struct RebuildResult
{
    std::size_t types = 0;
    std::size_t traces = 0;
    std::vector<Finding> findings; // files that could not be read, left out of the index
    bool cancelled = false;
};
RebuildResult rebuildIndexes(const std::filesystem::path& root, const ProgressCallback& progress = {});

} // namespace sigscope::core
