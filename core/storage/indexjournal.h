#pragma once

// Internal to core/storage: the index journal, <type>/index.journal (docs/format.md, "The index
// journal"). A write of one trace appends its entry line here (one write, one fdatasync) instead
// of rewriting index.json; readers apply the journal's lines after the index's entries (later
// lines win); a writer that finds the journal large folds it into index.json and removes it. A
// killed append leaves a last line without its newline, which readers skip and the next append
// cuts off.

#include "core/model/identity.h"
#include "core/storage/storage.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sigscope::core::detail {

inline constexpr const char* kJournalName = "index.journal";
// Folded into index.json once it is this large and at least a quarter of the index's size: a
// write of one trace costs O(1) amortised.
inline constexpr std::uintmax_t kJournalMinCompactBytes = std::uintmax_t{64} * 1024;
inline constexpr std::uintmax_t kJournalIndexShare = 4;

// The complete lines of a journal's text (empty lines and a tail without its newline left out).
std::vector<std::string_view> journalLines(std::string_view text);
// The journal's text, or nullopt when the folder has none.
std::optional<std::string> readJournal(const std::filesystem::path& typeDir);
// Its entries in order, file_path as stored. A damaged line is left out with an "index-error"
// finding naming <rel>/index.journal and its line.
std::vector<IndexEntry> parseJournal(std::string_view text, Kind kind, const std::string& rel,
                                     std::vector<Finding>* findings);
// For folding into index.json: (file_path, entry line) in order. Throws StorageError when any
// line is not an index entry, so that a damaged journal changes nothing.
std::vector<std::pair<std::string, std::string>> journalEntryLines(std::string_view text, Kind kind,
                                                                   const std::string& rel);

struct JournalAppend
{
    bool created = false;   // the journal was empty or missing: the caller syncs the folder
    std::uint64_t size = 0; // bytes after the append
};
// Appends the lines (entry lines without newlines) in one write(2) and fdatasyncs the journal.
// The caller holds the folder's IndexLock. StorageError naming the journal on failure.
JournalAppend appendJournal(const std::filesystem::path& typeDir, const std::vector<std::string>& lines);
// Whether the folder's journal is due to be folded into index.json (true when the journal
// exists and index.json does not).
bool journalNeedsCompaction(const std::filesystem::path& typeDir);
// Removes the journal once index.json holds its entries (a missing journal is fine).
void removeJournal(const std::filesystem::path& typeDir);

} // namespace sigscope::core::detail
