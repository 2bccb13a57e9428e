#pragma once

// A storage copied into another format (docs/format.md "Version 2 (Parquet)"): version 0, 1 or 2
// (or an L6 workspace) into version 1 (JSON) or version 2 (Parquet), trace by trace, exactly.

#include "core/storage/storage.h"
#include "core/storage/storageformat.h"
#include "core/util/progress.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sigscope::core {

struct CopyResult
{
    std::size_t traces = 0;
    std::size_t changes = 0;
    std::size_t marketFiles = 0;
    std::size_t alreadyPresent = 0; // Parquet: traces dest held already with the same changes (not written again)
    std::size_t filesWritten = 0;  // trace data files (json) or part files (parquet)
    std::vector<Finding> findings; // traces that could not be read (left out)
    bool cancelled = false;
};

// Writes every trace of source into dest (a new folder or a storage of that format; the
// writers refuse anything else) and copies source's market/*.csv. Into a Parquet storage, a
// trace that dest holds already (same identity hash and changes hash) is counted in
// alreadyPresent and not written, so copying the same source twice adds no part. Parquet writes go in batches
// of about batchChanges changes, each batch one new part per partition. Throws StorageError
// when writing fails.
CopyResult copyStorage(const Storage& source, const std::filesystem::path& dest, StorageFormat format,
                       const ProgressCallback& progress = {}, std::size_t batchChanges = 4'000'000);

// Commands that produce version 1 (the demo's tracer, a migration) and store version 2 write into
// a hidden staging folder inside dest, "<dest>/.v1-staging.<pid>", then move it in as Parquet.
// Making one first removes those of processes that no longer run (a killed command's).
std::filesystem::path makeStagingFolder(const std::filesystem::path& dest);
// copyStorage(staging -> dest, Parquet), then the staging folder removed.
CopyResult moveStagingIntoParquet(const std::filesystem::path& staging, const std::filesystem::path& dest,
                                  const ProgressCallback& progress = {});

} // namespace sigscope::core
