#pragma once

// Helpers shared by the tst_migration*.cpp tests: writing legacy inputs, fingerprints of trees.
#include "core/migration/legacy.h"
#include "core/model/identity.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>

namespace sigscope::test::migration {

namespace fs = std::filesystem;

inline void writeText(const fs::path& path, std::string_view content)
{
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

inline std::string readText(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// One file read as migrate reads it (a size of 0 for what is not a regular file, e.g. a FIFO).
inline core::migration::ParsedSource readLegacyPath(const fs::path& path)
{
    core::migration::SourceFile f;
    f.path = path;
    f.displayPath = path.generic_string();
    f.sourcePath = path.filename().generic_string();
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    f.size = ec ? 0 : size;
    return core::migration::readLegacyFile(f);
}

// One L2 change as the tracer wrote it.
inline std::string l2Change(long idx, std::string_view sym, std::string_view strat, std::string_view val,
                            std::string_view ts = "2024-03-26T13:59:00+00:00", std::string_view px = "0.0")
{
    return "{\"idx\": " + std::to_string(idx) + ", \"ts\": \"" + std::string(ts) + "\", \"sym\": \"" + std::string(sym)
        + "\", \"val\": " + std::string(val) + ", \"strat\": \"" + std::string(strat) + "\", \"px\": " + std::string(px)
        + "}";
}

// An L2 dump: metadata + the given changes (comma-joined by the caller).
inline std::string l2Dump(std::string_view runId, long totalBars, std::string_view changes,
                          std::string_view extraMetadata = {})
{
    std::string out = "{\n  \"metadata\": {\"run_id\": \"" + std::string(runId)
        + "\", \"total_bars\": " + std::to_string(totalBars) + ", \"total_changes\": 0";
    if (!extraMetadata.empty())
        out += ", " + std::string(extraMetadata);
    out += "},\n  \"changes\": [" + std::string(changes) + "]\n}\n";
    return out;
}

struct FileState
{
    std::uint64_t hash = 0;
    fs::file_time_type mtime;
    bool operator==(const FileState&) const = default;
};

// Every regular file below root (relative path -> content hash and mtime).
inline std::map<std::string, FileState> treeState(const fs::path& root)
{
    std::map<std::string, FileState> out;
    if (!fs::exists(root))
        return out;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
        if (!e.is_regular_file() || e.is_symlink())
            continue;
        out[e.path().lexically_relative(root).generic_string()] = {core::xxh3(readText(e.path())),
                                                                    fs::last_write_time(e.path())};
    }
    return out;
}

// Data and index files of a storage with the write times (created_at, updated_at) blanked, so
// two migrations of the same sources compare equal. Hidden files (temporaries) are left out.
inline std::map<std::string, std::string> storageContent(const fs::path& root)
{
    std::map<std::string, std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
        const std::string name = e.path().filename().string();
        if (!e.is_regular_file() || name.starts_with(".") || name == "storage.json")
            continue;
        std::string text = readText(e.path());
        for (const std::string key : {"\"created_at\": \"", "\"updated_at\": \""}) {
            for (std::size_t p = text.find(key); p != std::string::npos; p = text.find(key, p + 1)) {
                const std::size_t start = p + key.size();
                const std::size_t end = text.find('"', start);
                text.replace(start, end - start, "T");
            }
        }
        out[e.path().lexically_relative(root).generic_string()] = text;
    }
    return out;
}

} // namespace sigscope::test::migration
