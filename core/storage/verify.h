#pragma once

#include "core/util/progress.h"

#include <filesystem>
#include <vector>

namespace sigscope::core {

// Checks a storage (storage-format.md): index <-> files both ways, hash <-> identity, bar
// indexes non-decreasing, no change repeating the previous value, legal values, files parse.
// Findings codes: "missing-file", "orphan-file", "hash-mismatch", "non-monotonic", "repeated-value",
// "illegal-value", "parse-error", "index-error", plus "upstream-*" Info findings for version-0
// quirks (MD5 hashes, appended index entries, writer-relative paths), which are not damage.
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
