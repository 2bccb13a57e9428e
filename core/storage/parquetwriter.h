#pragma once

// Writes traces into a version-2 (Parquet) storage (docs/format.md "Version 2 (Parquet)").

#include "core/model/trace.h"
#include "core/storage/writer.h"
#include "core/util/progress.h"

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace sigscope::core {

struct ParquetWriteResult
{
    std::size_t traces = 0;
    std::size_t changes = 0;
    std::vector<std::string> files; // written, relative to the root ('/' separated), changes then traces per part
    bool cancelled = false;
};

// Adds traces to a version-2 storage, creating the root and storage.json when missing. Each
// (kind, type, run) partition of a write becomes one new part: a changes file and a traces file,
// each written under a hidden temporary name, synced and linked into place (traces last). No
// existing file is ever rewritten. A trace given twice in one write is written once (the last).
// Throws StorageError; partitions finished before the failure stay written.
class ParquetStorageWriter
{
public:
    explicit ParquetStorageWriter(std::filesystem::path root, WriteOptions options = {});

    [[nodiscard]] const std::filesystem::path& root() const { return m_root; }

    // Progress counts traces; a cancelled write keeps the partitions finished so far.
    ParquetWriteResult write(std::span<const Trace> traces, const ProgressCallback& progress = {});

private:
    std::filesystem::path m_root;
    WriteOptions m_options;
};

} // namespace sigscope::core
