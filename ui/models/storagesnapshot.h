#pragma once

#include "core/storage/storage.h"
#include "core/util/progress.h"

#include <filesystem>
#include <string>
#include <vector>

namespace sigscope::ui {

// Everything the explorer knows about a storage without opening a data file: its indexes and
// what went wrong reading them. Built in a background job, then shared read-only.
struct StorageSnapshot
{
    std::filesystem::path root;
    int formatVersion = 0;
    std::vector<core::TypeIndex> indexes; // kind/type order
    std::vector<core::Finding> findings;  // problems met while reading the indexes

    [[nodiscard]] std::size_t traceCount() const;
    // The folders and index files a file-system watcher keeps an eye on (version 2: root, traces/
    // and its kind, type and run folders, where a written part appears).
    [[nodiscard]] std::vector<std::filesystem::path> watchedPaths() const;
};

// Opens root and reads every index.json (never a data file). Throws core::StorageError when
// root is no storage folder.
StorageSnapshot readStorageSnapshot(const std::filesystem::path& root, const core::ProgressCallback& progress = {});

} // namespace sigscope::ui
