#include "ui/session/varianthashes.h"

#include "core/model/identity.h"
#include "core/model/trace.h"
#include "core/storage/traceio.h"
#include "ui/models/storagesnapshot.h"

#include <utility>

namespace sigscope::ui {

namespace {

bool needsHash(const core::IndexEntry& e, const ComputedHashes& known)
{
    return e.changesHash.empty() && !known.contains(e.filePath);
}

} // namespace

bool hasUnhashedEntries(const StorageSnapshot& snapshot, const ComputedHashes& known)
{
    for (const auto& index : snapshot.indexes)
        for (const auto& e : index.entries)
            if (needsHash(e, known))
                return true;
    return false;
}

ComputedHashes hashUnhashedEntries(const StorageSnapshot& snapshot, ComputedHashes known,
                                   const core::ProgressCallback& progress)
{
    core::Progress p;
    for (const auto& index : snapshot.indexes)
        for (const auto& e : index.entries)
            p.total += needsHash(e, known) ? 1 : 0;
    ComputedHashes hashes = std::move(known);
    for (const auto& index : snapshot.indexes) {
        for (const auto& e : index.entries) {
            if (!needsHash(e, hashes))
                continue;
            try {
                hashes.emplace(e.filePath, core::hex16(core::changesHash(core::loadTrace(snapshot.root / e.filePath))));
            } catch (const core::StorageError&) {
                // Unreadable: stays ungrouped; verification reports the file.
            }
            ++p.done;
            p.current = e.filePath;
            if (progress && !progress(p))
                return hashes;
        }
    }
    return hashes;
}

} // namespace sigscope::ui
