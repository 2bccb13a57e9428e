#include "core/migration/discovery.h"

#include <sys/stat.h>

#include <algorithm>
#include <optional>
#include <set>
#include <system_error>
#include <utility>

namespace sigscope::core::migration {

namespace fs = std::filesystem;

namespace {

bool hasLegacyExtension(const fs::path& p)
{
    const std::string ext = p.extension().string();
    // Parquet traces (L6) are reported as such, never passed over in silence.
    return ext == ".json" || ext == ".jsonl" || ext == ".parquet";
}

struct Walker
{
    Discovery& out;
    fs::path exclude; // canonical, or empty
    std::set<std::pair<dev_t, ino_t>> seenFiles;

    void note(std::string code, const fs::path& path, std::string message, Finding::Severity severity = Finding::Severity::Info)
    {
        Finding f;
        f.severity = severity;
        f.code = std::move(code);
        f.path = path.generic_string();
        f.message = std::move(message);
        out.notes.push_back(std::move(f));
    }

    bool excluded(const fs::path& path) const
    {
        if (exclude.empty())
            return false;
        std::error_code ec;
        const fs::path canon = fs::weakly_canonical(path, ec);
        if (ec)
            return false;
        auto [e, c] = std::mismatch(exclude.begin(), exclude.end(), canon.begin(), canon.end());
        return e == exclude.end();
    }

    void addFile(const fs::path& path, const fs::path& base, bool otherExtension = false)
    {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0) {
            note("unreadable-file", path, "cannot be read (broken link?)", Finding::Severity::Warning);
            return;
        }
        if (!S_ISREG(st.st_mode)) {
            note("not-a-file", path, "not a regular file");
            return;
        }
        if (!seenFiles.emplace(st.st_dev, st.st_ino).second) {
            note("same-file", path, "the same file was already found under another name");
            return;
        }
        SourceFile f;
        f.path = path;
        f.displayPath = path.generic_string();
        std::error_code ec;
        f.sourcePath = fs::absolute(path, ec).lexically_normal().lexically_relative(base).generic_string();
        if (f.sourcePath.empty() || f.sourcePath.starts_with(".."))
            f.sourcePath = path.filename().generic_string();
        f.size = static_cast<std::uint64_t>(st.st_size);
        f.otherExtension = otherExtension;
        out.bytes += f.size;
        out.files.push_back(std::move(f));
    }

    // The sorted entries of a folder, or nullopt when it is excluded or cannot be listed.
    std::optional<std::vector<fs::directory_entry>> list(const fs::path& dir)
    {
        if (excluded(dir))
            return std::nullopt;
        std::error_code ec;
        fs::directory_iterator it(dir, fs::directory_options::none, ec);
        if (ec) {
            note("unreadable-folder", dir, "cannot be listed: " + ec.message(), Finding::Severity::Warning);
            return std::nullopt;
        }
        std::vector<fs::directory_entry> entries;
        for (; it != fs::directory_iterator(); it.increment(ec)) {
            if (ec)
                break;
            entries.push_back(*it);
        }
        if (ec)
            note("unreadable-folder", dir, "listing stopped: " + ec.message(), Finding::Severity::Warning);
        // Byte order of names: the same tree gives the same order (and the same variants) everywhere.
        std::sort(entries.begin(), entries.end(),
                  [](const auto& a, const auto& b) { return a.path().filename().native() < b.path().filename().native(); });
        return entries;
    }

    // Depth first in name order, with a stack of its own: a tree of any depth cannot exhaust
    // the call stack.
    void walk(const fs::path& top, const fs::path& base)
    {
        struct Level
        {
            std::vector<fs::directory_entry> entries;
            std::size_t next = 0;
        };
        std::vector<Level> stack;
        if (auto entries = list(top))
            stack.push_back({std::move(*entries)});
        while (!stack.empty()) {
            Level& level = stack.back();
            if (level.next == level.entries.size()) {
                stack.pop_back();
                continue;
            }
            const fs::directory_entry entry = level.entries[level.next++];
            std::error_code e2;
            const bool link = entry.is_symlink(e2);
            if (link) {
                if (fs::is_directory(entry.path(), e2)) {
                    note("symlink-skipped", entry.path(), "directory symlink not followed");
                    continue;
                }
                if (hasLegacyExtension(entry.path()) && !excluded(entry.path()))
                    addFile(entry.path(), base);
                continue;
            }
            if (entry.is_directory(e2)) {
                if (auto entries = list(entry.path()))
                    stack.push_back({std::move(*entries)}); // `level` is not used after this
            } else if (entry.is_regular_file(e2)) {
                // Every file is reported (never passed over in silence); others are not read.
                addFile(entry.path(), base, !hasLegacyExtension(entry.path()));
            }
        }
    }
};

} // namespace

Discovery discoverSources(const std::vector<fs::path>& inputs, const fs::path& exclude)
{
    Discovery out;
    Walker walker{out, {}, {}};
    if (!exclude.empty()) {
        std::error_code ec;
        walker.exclude = fs::weakly_canonical(exclude, ec);
        if (ec)
            walker.exclude.clear();
    }
    for (const fs::path& input : inputs) {
        std::error_code ec;
        const auto status = fs::status(input, ec);
        if (ec || !fs::exists(status)) {
            walker.note("missing-source", input, "does not exist", Finding::Severity::Error);
            continue;
        }
        // metadata.source paths start at the argument's own name: "workspaces/tmp/<run>/...".
        fs::path base = fs::absolute(input, ec).lexically_normal();
        if (!base.has_filename())
            base = base.parent_path();
        base = base.parent_path();
        if (fs::is_directory(status)) {
            if (walker.excluded(input)) {
                walker.note("destination-skipped", input, "is the destination (or inside it)");
                continue;
            }
            walker.walk(input, base);
        } else {
            walker.addFile(input, base);
        }
    }
    return out;
}

} // namespace sigscope::core::migration
