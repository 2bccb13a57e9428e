#pragma once

#include "core/util/progress.h"

#include <string>
#include <unordered_map>

namespace sigscope::ui {

struct StorageSnapshot;

// Changes hashes (16 hex digits, core::changesHash) by file path for the entries of a snapshot
// whose index has none (older indexes, upstream folders, L6 workspaces read in place), so that
// the tree can group their identical variants too. Files that cannot be read are left out.
using ComputedHashes = std::unordered_map<std::string, std::string>;

// Loads and hashes every such trace, one at a time (memory: one trace). Runs in a background
// job (StorageSession); progress counts traces, a cancel returns what was hashed so far.
// Entries already in `known` keep their hash (a re-read of the same folder does not read them again).
ComputedHashes hashUnhashedEntries(const StorageSnapshot& snapshot, ComputedHashes known,
                                   const core::ProgressCallback& progress);

// Whether the snapshot has an entry without a changes hash that `known` does not have.
bool hasUnhashedEntries(const StorageSnapshot& snapshot, const ComputedHashes& known);

} // namespace sigscope::ui
