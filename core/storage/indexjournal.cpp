#include "core/storage/indexjournal.h"

// The append-only journal beside index.json (docs/format.md, "The index journal"): entry lines
// that a one-by-one write appends instead of rewriting the whole index.

#include "core/storage/indexio.h"
#include "core/storage/jsonsax.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sigscope::core::detail {

namespace fs = std::filesystem;

namespace {

// The journal's lines as the entries of an index in this library's layout, so that the index's
// own parsers read them (the header lines carry nothing: the kind and type come from the folder).
std::string asIndexText(const std::vector<std::string_view>& lines)
{
    IndexLines index;
    index.entries.reserve(lines.size());
    for (const auto line : lines)
        index.entries.emplace_back(std::string(), std::string(line));
    return joinIndexLines(index, std::string());
}

std::string errnoText(int err)
{
    return std::strerror(err);
}

} // namespace

std::vector<std::string_view> journalLines(std::string_view text)
{
    std::vector<std::string_view> lines;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto nl = text.find('\n', pos);
        if (nl == std::string_view::npos)
            break; // a torn tail: the append of a killed writer
        if (nl > pos)
            lines.push_back(text.substr(pos, nl - pos));
        pos = nl + 1;
    }
    return lines;
}

std::optional<std::string> readJournal(const fs::path& typeDir)
{
    const fs::path path = typeDir / kJournalName;
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(path, ec)))
        return std::nullopt;
    return readWholeFile(path);
}

std::vector<IndexEntry> parseJournal(std::string_view text, Kind kind, const std::string& rel,
                                     std::vector<Finding>* findings)
{
    const auto lines = journalLines(text);
    if (lines.empty())
        return {};
    const std::string journalRel = rel + "/" + kJournalName;
    try {
        return parseIndex(asIndexText(lines), kind, journalRel).entries;
    } catch (const StorageError&) {
        // Some line is damaged: read them one by one, so only the damaged ones are left out.
    }
    std::vector<IndexEntry> entries;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        try {
            auto one = parseIndex(asIndexText({lines[i]}), kind, journalRel).entries;
            for (auto& e : one)
                entries.push_back(std::move(e));
        } catch (const StorageError& e) {
            if (findings) {
                Finding f;
                f.severity = Finding::Severity::Error;
                f.code = "index-error";
                f.path = journalRel;
                f.line = static_cast<std::int64_t>(i + 1);
                f.message = "not an index entry, left out (rebuild the index): " + e.reason();
                findings->push_back(std::move(f));
            }
        }
    }
    return entries;
}

std::vector<std::pair<std::string, std::string>> journalEntryLines(std::string_view text, Kind kind,
                                                                   const std::string& rel)
{
    const auto lines = journalLines(text);
    if (lines.empty())
        return {};
    const std::string indexText = asIndexText(lines);
    // Every line must be an entry before any goes into index.json: a damaged journal changes nothing.
    const TypeIndex parsed = parseIndex(indexText, kind, rel + "/" + kJournalName);
    if (auto split = splitIndexLines(indexText))
        return std::move(split->entries);
    std::vector<std::pair<std::string, std::string>> out;
    out.reserve(parsed.entries.size());
    for (const auto& e : parsed.entries)
        out.emplace_back(e.filePath, entryLine(e));
    return out;
}

JournalAppend appendJournal(const fs::path& typeDir, const std::vector<std::string>& lines)
{
    const fs::path path = typeDir / kJournalName;
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
        const int err = errno;
        throw StorageError(path, err == ELOOP ? "the index journal is a symbolic link; not followed (remove it)"
                                              : "cannot open the index journal: " + errnoText(err));
    }
    struct FdCloser
    {
        int fd;
        ~FdCloser() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        throw StorageError(path, "the index journal is not a regular file");
    JournalAppend result;
    result.created = st.st_size == 0;
    if (st.st_size > 0) {
        // A writer killed while appending left a line without its end: cut it off (the caller
        // holds the index lock, so no other writer is appending now).
        char last = '\n';
        if (::pread(fd, &last, 1, st.st_size - 1) != 1)
            throw StorageError(path, "cannot read the index journal: " + errnoText(errno));
        if (last != '\n') {
            const std::string text = readWholeFile(path);
            const auto keep = text.rfind('\n');
            const off_t size = keep == std::string::npos ? 0 : static_cast<off_t>(keep + 1);
            if (::ftruncate(fd, size) != 0)
                throw StorageError(path, "cannot cut the torn end of the index journal: " + errnoText(errno));
        }
    }
    struct stat before {};
    if (::fstat(fd, &before) != 0)
        throw StorageError(path, "cannot read the index journal: " + errnoText(errno));
    std::string text;
    for (const auto& line : lines) {
        text += line;
        text.push_back('\n');
    }
    // One write(2) with O_APPEND: a reader sees the lines whole or not at all (it skips a tail
    // without its newline).
    const char* p = text.data();
    std::size_t left = text.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            const int err = errno;
            (void)::ftruncate(fd, before.st_size); // no torn line left behind (readers would skip it)
            throw StorageError(path, "cannot append to the index journal: " + errnoText(err));
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    if (::fdatasync(fd) != 0)
        throw StorageError(path, "fdatasync of the index journal failed: " + errnoText(errno));
    if (::fstat(fd, &st) == 0)
        result.size = static_cast<std::uint64_t>(st.st_size);
    return result;
}

bool journalNeedsCompaction(const fs::path& typeDir)
{
    std::error_code ec;
    const auto journal = fs::file_size(typeDir / kJournalName, ec);
    if (ec)
        return false;
    const auto index = fs::file_size(typeDir / "index.json", ec);
    if (ec)
        return true;
    return journal >= std::max<std::uintmax_t>(kJournalMinCompactBytes, index / kJournalIndexShare);
}

void removeJournal(const fs::path& typeDir)
{
    const fs::path path = typeDir / kJournalName;
    if (::unlink(path.c_str()) != 0 && errno != ENOENT)
        throw StorageError(path, "cannot remove the index journal after folding it into index.json: "
                                     + errnoText(errno));
}

} // namespace sigscope::core::detail
