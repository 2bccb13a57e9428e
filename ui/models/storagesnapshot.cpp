#include "ui/models/storagesnapshot.h"

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
