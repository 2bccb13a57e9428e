#pragma once

#include "core/model/trace.h"
#include "core/storage/storage.h"
#include "core/util/progress.h"

#include <filesystem>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace sigscope::core {

struct WriteOptions
{
    std::string createdBy; // "sigscope <version>" when empty
};

struct WriteResult
{
    std::string filePath; // relative to the root
    std::string fileHash; // 16 hex digits
    bool longHash = false; // 16-digit file name because the 8-digit one held another identity
    bool unchanged = false; // the file already held this identity with the same changes: nothing written
};

// Writes traces into a version-1 storage (storage-format.md §8): every file replaced
// atomically (temp file in the same folder, fsync, rename), index upserts under an exclusive
// flock on <type>/.index.lock, never overwriting a file of another identity. Creates the root
// and storage.json when missing. Safe to use from several processes at once.
class StorageWriter
{
public:
    explicit StorageWriter(std::filesystem::path root, WriteOptions options = {});

    [[nodiscard]] const std::filesystem::path& root() const { return m_root; }

    // Throws StorageError (previous file and index entry left intact) on failure.
    WriteResult write(const Trace& trace);
    // Same result as writing one by one, with one index update per type folder.
    std::vector<WriteResult> writeBatch(std::span<const Trace> traces, const ProgressCallback& progress = {});

private:
    std::filesystem::path m_root;
    WriteOptions m_options;
    std::set<std::string> m_cleanedFolders; // type folders whose stale temporaries are removed
};

// Removes the temporary files (".<name>.tmp.<pid>.<n>") that a killed writer left beside the data
// files, the indexes and storage.json of root; those of processes still running are kept. Returns
// the removed paths. A migration calls it before it starts; every writer does the same for each
// folder it opens for writing (detail::removeStaleTemporariesIn), so a SIGKILL leaves no litter.
std::vector<std::filesystem::path> removeStaleTemporaries(const std::filesystem::path& root);

// Atomically replaces path with content: temp file in the same folder, fsync, rename, fsync of
// the folder. Throws StorageError on failure (the old file stays as it was).
void writeFileAtomically(const std::filesystem::path& path, std::string_view content);

} // namespace sigscope::core
