#pragma once

#include "core/migration/legacy.h"
#include "core/util/progress.h"

#include <filesystem>
#include <vector>

namespace sigscope::core::migration {

struct Discovery
{
    std::vector<SourceFile> files; // sorted by path within each argument, arguments in the given order
    std::vector<Finding> notes;    // what was left out and why: "symlink-skipped", "unreadable-folder", "missing-source", ...
    std::uint64_t bytes = 0;
};

// Walks the given files and folders. Folders are searched recursively; *.json, *.jsonl and
// *.parquet are read, every other file is listed with otherExtension (reported as skipped, never
// read); a file given by name is read whatever its extension. Directory symlinks are never followed
// (so a link out of the tree, back into it, or a loop cannot matter); a file reached twice
// (hard or soft link) is listed once. `exclude` (the destination) and everything below it is
// left out. Nothing is opened for writing.
Discovery discoverSources(const std::vector<std::filesystem::path>& inputs, const std::filesystem::path& exclude = {});

} // namespace sigscope::core::migration
