#pragma once

// Internal to core/storage: what the last verification on open found per data file, with the
// file's facts at that time, kept in a file of the user's cache folder (never in the storage)
// so that the next open re-reads only the files that changed (issue 12).

#include "core/util/progress.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

namespace sigscope::core::detail {

// What decides whether a data file must be read again: its stat(2) facts and a hash of the
// index entry it was checked against (0: none, an orphan file).
struct FileFacts
{
    std::uint64_t size = 0;
    std::int64_t mtimeNs = 0;
    std::int64_t ctimeNs = 0;
    std::uint64_t inode = 0;
    std::uint64_t entryStamp = 0;
    bool operator==(const FileFacts&) const = default;
};

struct VerifiedFile
{
    FileFacts facts;
    std::vector<Finding> findings; // about this file alone (path: relative to the root)
};

struct VerifyCache
{
    std::string root;        // the storage's absolute path
    int formatVersion = 0;   // the storage's
    std::unordered_map<std::string, VerifiedFile> files; // by path relative to the root
};

// stat(2) of a file; false when it cannot be inspected.
bool fileFacts(const std::filesystem::path& path, FileFacts& out);

// The cache in file when it was written for this root, format version and program version;
// else (missing, damaged, another storage or program) an empty cache for them.
VerifyCache readVerifyCache(const std::filesystem::path& file, const std::string& root, int formatVersion);
// Written atomically; the folder is created when missing. Throws StorageError naming the file.
void writeVerifyCache(const std::filesystem::path& file, const VerifyCache& cache);

} // namespace sigscope::core::detail
