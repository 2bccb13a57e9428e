#include "core/storage/indexio.h"

// Writing index.json (entries as text, one per line) and the lock that serialises its writers.

#include "core/storage/jsonsax.h"
#include "core/util/canonical.h"
#include "core/util/inputfile.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sigscope::core::detail {

namespace {

void appendOptionalInt(std::string& out, const std::optional<std::int64_t>& v)
{
    if (v)
        appendInt(out, *v);
    else
        out += "null";
}

std::string errnoText(int err)
{
    return std::strerror(err);
}

} // namespace

std::string entryLine(const IndexEntry& e)
{
    std::string out;
    out.reserve(420);
    out += "{\"type\": ";
    canonical::appendString(out, e.type);
    out += ", \"name\": ";
    canonical::appendString(out, e.name);
    out += ", \"parameters\": ";
    out += e.parameters.canonicalJson();
    out += ", \"symbol\": ";
    appendOptionalString(out, e.symbol);
    out += ", \"timeframe\": ";
    appendOptionalString(out, e.timeframe);
    out += ", \"run\": ";
    appendOptionalString(out, e.run);
    if (e.variant) {
        out += ", \"variant\": ";
        appendInt(out, *e.variant);
    }
    out += ", \"total_items\": ";
    appendInt(out, e.totalItems);
    out += ", \"total_bars\": ";
    appendInt(out, e.totalBars);
    out += ", \"compression_ratio\": ";
    canonical::appendDouble(out, e.compressionRatio);
    out += ", \"first_idx\": ";
    appendOptionalInt(out, e.firstIdx);
    out += ", \"last_idx\": ";
    appendOptionalInt(out, e.lastIdx);
    out += ", \"first_ts\": ";
    canonical::appendString(out, e.firstTs);
    out += ", \"last_ts\": ";
    canonical::appendString(out, e.lastTs);
    out += ", \"created_at\": ";
    canonical::appendString(out, e.createdAt);
    out += ", \"file_hash\": ";
    canonical::appendString(out, e.fileHash);
    if (!e.changesHash.empty()) {
        out += ", \"changes_hash\": ";
        canonical::appendString(out, e.changesHash);
    }
    out += ", \"file_path\": ";
    canonical::appendString(out, e.filePath);
    out.push_back('}');
    return out;
}

std::string joinIndexLines(const IndexLines& index, const std::string& updatedAt)
{
    std::size_t size = 256;
    for (const auto& [key, line] : index.entries)
        size += line.size() + 6;
    std::string out;
    out.reserve(size);
    out += "{\n  \"type\": ";
    canonical::appendString(out, index.type);
    out += ",\n  \"format_version\": 1,\n  \"updated_at\": ";
    canonical::appendString(out, updatedAt);
    out += ",\n  \"files\": [";
    bool first = true;
    for (const auto& [key, line] : index.entries) {
        out += first ? "\n    " : ",\n    ";
        first = false;
        out += line;
    }
    out += index.entries.empty() ? "]\n}\n" : "\n  ]\n}\n";
    return out;
}

std::string serializeIndex(const TypeIndex& index)
{
    IndexLines lines;
    lines.type = index.type;
    lines.entries.reserve(index.entries.size());
    for (const auto& e : index.entries)
        lines.entries.emplace_back(e.filePath, entryLine(e));
    return joinIndexLines(lines, index.updatedAt);
}

IndexEntry entryFor(const Trace& trace, const std::string& type, const std::string& filePath,
                    const std::string& fileHash)
{
    IndexEntry e;
    const auto& id = trace.identity;
    e.kind = id.kind;
    e.type = type;
    e.name = id.name;
    e.parameters = id.parameters;
    e.symbol = id.symbol;
    e.timeframe = id.timeframe;
    e.run = id.run;
    e.variant = id.variant;
    e.totalItems = static_cast<std::int64_t>(trace.size());
    e.totalBars = trace.effectiveTotalBars();
    e.compressionRatio = e.totalBars > 0 ? static_cast<double>(e.totalItems) / static_cast<double>(e.totalBars) : 0.0;
    if (!trace.empty()) {
        e.firstIdx = trace.bar(0);
        e.lastIdx = trace.bar(trace.size() - 1);
        e.firstTs = trace.timeText(0);
        e.lastTs = trace.timeText(trace.size() - 1);
    }
    e.createdAt = trace.metadata.createdAt;
    e.fileHash = fileHash;
    e.changesHash = hex16(changesHash(trace));
    e.filePath = filePath;
    e.storedFilePath = filePath;
    return e;
}

void sortUnique(std::vector<IndexEntry>& entries)
{
    std::stable_sort(entries.begin(), entries.end(),
                     [](const IndexEntry& a, const IndexEntry& b) { return a.filePath < b.filePath; });
    // Among equal paths the later one (stable order) wins.
    std::vector<IndexEntry> out;
    out.reserve(entries.size());
    for (auto& e : entries) {
        if (!out.empty() && out.back().filePath == e.filePath)
            out.back() = std::move(e);
        else
            out.push_back(std::move(e));
    }
    entries = std::move(out);
}

IndexLock::IndexLock(const std::filesystem::path& typeDir)
{
    const auto lockPath = typeDir / ".index.lock";
    m_fd = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
    if (m_fd < 0) {
        const int err = errno;
        if (err == ELOOP)
            throw StorageError(lockPath, "the index lock is a symbolic link; not followed (remove it)");
        throw StorageError(lockPath, "cannot open the index lock: " + errnoText(err));
    }
    struct stat st {};
    if (::fstat(m_fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(m_fd);
        m_fd = -1;
        throw StorageError(lockPath, "the index lock is not a regular file (" + fileTypeName(st.st_mode) + ")");
    }
    while (::flock(m_fd, LOCK_EX) != 0) {
        if (errno == EINTR)
            continue;
        const int err = errno;
        ::close(m_fd);
        m_fd = -1;
        throw StorageError(lockPath, "cannot lock the index: " + errnoText(err));
    }
}

IndexLock::~IndexLock()
{
    if (m_fd >= 0) {
        ::flock(m_fd, LOCK_UN);
        ::close(m_fd);
    }
}

} // namespace sigscope::core::detail
