#pragma once

#include "core/util/progress.h"

#include <filesystem>
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
    bool cancelled = false;
    [[nodiscard]] bool clean() const; // no Warning or Error finding
};

VerifyResult verifyStorage(const std::filesystem::path& root, const ProgressCallback& progress = {});

} // namespace sigscope::core
