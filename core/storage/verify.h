#pragma once

#include "core/storage/storage.h"
#include "core/util/progress.h"

#include <filesystem>
#include <string>
#include <vector>

namespace sigscope::core {

// Checks a storage (storage-format.md): index <-> files both ways, hash <-> identity, bar
// indexes non-decreasing, no change repeating the previous value, legal values, files parse.
// Findings codes: "missing-file", "orphan-file", "hash-mismatch", "non-monotonic", "repeated-value",
// "illegal-value", "parse-error", "index-error", "invalid-name" (a file or folder name that is not
// UTF-8), "not-a-file" (a FIFO, folder or dangling link named *.json), "symlinked-folder", and for
// the metadata fields of §5-§6: "metadata-missing", "metadata-null", "metadata-type",
// "type-mismatch" (strategy_type / classifier_type is not the type folder), "count-mismatch",
// "ratio-mismatch", "bad-time" (created_at), "unsupported-version"; plus "upstream-*" Info findings
// for version-0 quirks (MD5 hashes, appended index entries, writer-relative paths), which are not
// damage.
struct VerifyResult
{
    std::vector<Finding> findings;
    std::size_t filesChecked = 0;
    std::size_t entriesChecked = 0;
    std::size_t filesRead = 0; // data files read and checked (the rest came from the cache)
    bool cancelled = false;
    std::string cacheError;    // verifyChanged: why the cache could not be written (the findings stand)
    [[nodiscard]] bool clean() const; // no Warning or Error finding
};

VerifyResult verifyStorage(const std::filesystem::path& root, const ProgressCallback& progress = {});

// Verification on open: the same checks against indexes the caller has just read (a snapshot:
// never read again), reading only the data files whose size, mtime, ctime, inode or index entry
// changed since the last verification; the others keep the findings it recorded. That record is
// cacheFile (in the user's cache folder, never in the storage), rewritten afterwards; an empty
// path reads every file and records nothing. Findings of reading the indexes are the snapshot's
// and not repeated here. L6 workspaces and version-2 storages are verified whole (verifyStorage).
VerifyResult verifyChanged(const std::filesystem::path& root, const std::vector<TypeIndex>& indexes,
                           const std::filesystem::path& cacheFile, const ProgressCallback& progress = {});

} // namespace sigscope::core
