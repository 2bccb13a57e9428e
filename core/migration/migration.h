#pragma once

#include "core/migration/legacy.h"
#include "core/util/progress.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

// Legacy migration (issue 3): every legacy dump into a version-1 storage, each source file with
// a reported outcome, nothing lost, nothing written outside the destination, sources never
// opened for writing. Used by `sigscope migrate` and by the GUI's migration dialog.
namespace sigscope::core::migration {

enum class Status : std::uint8_t {
    Migrated,     // written (for a file: at least one trace written, none failed)
    Unchanged,    // already in the storage with the same changes: nothing written
    Duplicate,    // same identity and changes as an earlier source of this migration
    Conflict,     // same identity, other changes: kept as the next variant
    Unrecognised, // not a legacy variant (or empty)
    Skipped,      // not a trace by design (a workspace's metadata.json, a config): nothing to migrate
    Failed,       // unreadable, broken JSON, wrong types, write or read-back failure
    Cancelled,    // the migration was cancelled before this file
};
std::string_view statusName(Status status); // "migrated", "unchanged", "duplicate", "conflict", ...

struct TraceOutcome
{
    Kind kind = Kind::Signal;
    std::string name;
    std::optional<std::string> symbol;
    std::optional<std::string> timeframe;
    std::optional<std::string> run;
    std::optional<std::int64_t> variant;
    std::string type;
    std::string filePath;   // destination, relative to the storage root
    std::uint64_t changes = 0;        // as stored (repeats dropped)
    std::uint64_t repeatsDropped = 0; // normalised: changes that repeated the previous value, left out
    Status status = Status::Migrated;
    std::string reason;      // for Failed
    std::string duplicateOf; // for Duplicate: path of the source that had it first
};

struct FileOutcome
{
    std::string path;
    std::uint64_t bytes = 0;
    Variant variant = Variant::Unknown;
    Status status = Status::Cancelled;
    std::string reason; // one line for Unrecognised / Failed / Cancelled
    std::vector<TraceOutcome> traces;
};

struct MigrationTotals
{
    std::uint64_t filesSeen = 0;
    std::uint64_t migrated = 0;
    std::uint64_t unchanged = 0;
    std::uint64_t duplicates = 0;
    std::uint64_t conflicts = 0;
    std::uint64_t unrecognised = 0;
    std::uint64_t skipped = 0;
    std::uint64_t failed = 0;
    std::uint64_t cancelled = 0;
    std::uint64_t traces = 0;
    std::uint64_t tracesWritten = 0; // in a dry run: that would be written
    // = changesWritten + changesDuplicate + changesUnchanged + changesFailed + changesNormalised
    std::uint64_t changesRead = 0;
    std::uint64_t changesWritten = 0;
    std::uint64_t changesDuplicate = 0;
    std::uint64_t changesUnchanged = 0;
    std::uint64_t changesFailed = 0;
    std::uint64_t changesNormalised = 0; // repeated values dropped (verify rejects a change repeating the value before)
    std::uint64_t bytes = 0;
};

struct MigrationReport
{
    std::string destination;
    bool dryRun = false;
    bool cancelled = false;
    std::vector<FileOutcome> files; // in discovery order
    std::vector<Finding> notes;     // discovery: symlinks not followed, unreadable folders, ...
    MigrationTotals totals;
    double seconds = 0.0;

    // 0: every source migrated, unchanged, a duplicate or a kept conflict; 3: some unrecognised
    // or failed; 1: cancelled.
    [[nodiscard]] int exitCode() const;
};

struct MigrationOptions
{
    bool dryRun = false;
    unsigned jobs = 0;         // 0: one per hardware thread
    std::string createdBy;     // storage.json created_by; "sigscope <version>" when empty
    // Parsed files waiting for an earlier, slower file hold at most this much memory (one file
    // always fits), so memory follows the largest file's traces, not the tree.
    std::size_t parkingBytes = std::size_t{32} << 20;
    // Upstream YAML configs (`migrate --config`): grid-named L6 traces of a workspace a config
    // generates every grid name of take their parameters from it (core/migration/gridnames.h).
    std::vector<std::filesystem::path> gridConfigs;
};

// Destination unusable (not a folder, not writable, ...): nothing was migrated.
class MigrationError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// Discovers, reads, maps, writes and validates. Progress: done/total = files, bytes, itemsDone =
// traces; returning false cancels (files in flight finish, complete traces only). Throws
// MigrationError for a fatal destination problem.
MigrationReport migrate(const std::vector<std::filesystem::path>& sources, const std::filesystem::path& destination,
                        const MigrationOptions& options = {}, const ProgressCallback& progress = {});

// The JSON report of `sigscope migrate --report` (issue 3 shape plus a few keys).
std::string reportToJson(const MigrationReport& report);

// First difference between what should be stored and what was read back ("change 17: idx 30
// read back as 31"), or nullopt when equal in identity, idx, value, time text, price, confidence.
std::optional<std::string> firstDifference(const Trace& expected, const Trace& actual);

// `sigscope verify DEST --against SRC...`: every change of every legacy source must be in the
// storage. Findings: "missing-trace", "missing-change", "source-unreadable".
struct SourceCheck
{
    std::vector<Finding> findings;
    std::uint64_t sources = 0;
    std::uint64_t traces = 0;
    std::uint64_t changes = 0;
    bool cancelled = false;
    [[nodiscard]] bool clean() const { return findings.empty() && !cancelled; }
};
// `gridConfigs`: the --config files the migration was given (parameters of L6 grid traces).
SourceCheck verifyAgainstSources(const std::filesystem::path& storageRoot,
                                 const std::vector<std::filesystem::path>& sources,
                                 const ProgressCallback& progress = {},
                                 const std::vector<std::filesystem::path>& gridConfigs = {});

} // namespace sigscope::core::migration
