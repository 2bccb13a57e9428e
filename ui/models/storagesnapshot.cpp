#include "ui/models/storagesnapshot.h"

#include "core/storage/parquetstorage.h"

#include <system_error>

namespace sigscope::ui {

std::size_t StorageSnapshot::traceCount() const
{
    std::size_t count = 0;
    for (const auto& index : indexes)
        count += index.entries.size();
    return count;
}

std::vector<std::filesystem::path> StorageSnapshot::watchedPaths() const
{
    std::vector<std::filesystem::path> paths{root};
    if (formatVersion == core::kParquetFormatVersion) {
        // Version 2: a part is linked into traces/kind=…/type=…/run=…/ (a new run or type makes
        // its folder one level up first), so every folder of traces/ down to the runs.
        const auto traces = root / std::string(core::kTracesFolder);
        std::error_code ec;
        if (!std::filesystem::is_directory(traces, ec))
            return paths;
        paths.push_back(traces);
        for (std::filesystem::recursive_directory_iterator it(traces, ec), end; !ec && it != end; it.increment(ec))
            if (it.depth() < 3 && it->is_directory(ec) && !it->is_symlink(ec))
                paths.push_back(it->path());
        return paths;
    }
    for (const core::Kind kind : {core::Kind::Signal, core::Kind::Classifier}) {
        const auto kindDir = root / std::string(core::kindFolder(kind));
        std::error_code ec;
        if (!std::filesystem::is_directory(kindDir, ec))
            continue;
        paths.push_back(kindDir);
        // Type folders: a sweep creating a new type shows up on the kind folder first.
        for (const auto& item : std::filesystem::directory_iterator(kindDir, ec)) {
            if (item.is_directory(ec)) {
                paths.push_back(item.path());
                paths.push_back(item.path() / "index.json");
                paths.push_back(item.path() / "index.journal"); // one-by-one writes append here
            }
        }
    }
    return paths;
}

StorageSnapshot readStorageSnapshot(const std::filesystem::path& root, const core::ProgressCallback& progress)
{
    const core::Storage storage = core::Storage::open(root);
    StorageSnapshot snapshot;
    snapshot.root = storage.root();
    snapshot.formatVersion = storage.formatVersion();
    snapshot.indexes = storage.readAllIndexes(&snapshot.findings, progress);
    return snapshot;
}

} // namespace sigscope::ui
