#pragma once

#include "core/model/trace.h"
#include "core/util/jsonlimits.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

// Readers of the legacy inputs of legacy-formats.md (L1-L5). The variant is found from the
// document's structure while it streams through a SAX parser, so memory follows the traces a
// file holds, never the size of its text.
namespace sigscope::core::migration {

enum class Variant : std::uint8_t {
    Unknown, // not one of the variants (or not readable far enough to tell)
    L1,      // earliest sparse dump: metadata.strategies list + ranges
    L2,      // sparse tracer dump (strategy or classifier)
    L3,      // data file of a storage folder (version 0 from Python, or version 1)
    L4,      // JSON lines {"t","s","v","id"}
    L5,      // {"123": 1} or [{"bar_idx": 123, "signal": 1}]
    L6,      // Parquet workspace: a trace (read and migrated) or the run's metadata.json (skipped)
    Index,   // index.json of a storage folder: rebuilt from the data files, not migrated itself
};
std::string_view variantName(Variant variant); // "L1".."L6", "index", ""

// A legacy file as discovery found it.
struct SourceFile
{
    std::filesystem::path path;  // as reachable from the caller (the given argument + the walked part)
    std::string displayPath;     // path for reports (generic form of `path`)
    std::string sourcePath;      // path recorded in metadata.source: relative to the given argument's parent
    std::uint64_t size = 0;
    bool otherExtension = false; // found in a folder walk, not .json/.jsonl/.parquet: reported, never read
};

struct ParsedSource
{
    // Skipped: not a trace by design (a workspace's metadata.json, a file of another extension
    // found in a folder), nothing to migrate and nothing wrong.
    enum class Result : std::uint8_t { Ok, Unrecognised, Failed, Skipped };
    Result result = Result::Ok;
    Variant variant = Variant::Unknown;
    std::string reason;         // one line when not Ok: "line 1, column 3812: unexpected end of input"
    std::vector<Trace> traces;  // mapped to the storage model (legacy-formats.md, last section), in order of appearance
    std::vector<std::uint64_t> digests; // per trace: ChangeDigest of the changes exactly as the source wrote them
    std::uint64_t changes = 0;  // changes read
    // Per trace, what storing it under `verify`'s rules (core/storage/verify.cpp) changed or forbids:
    std::vector<std::uint64_t> repeatsDropped; // changes left out because they repeat the previous value
    std::vector<std::string> invalid;          // why it cannot be stored, "" when it can: "change 3: px -1.5 is negative"
};

// Order-dependent digest of changes (idx, value text, time text, price, confidence). The readers
// fill it from the values as they were read, independently of how Trace stores them, so that a
// trace read back from the storage can be checked against its source without keeping the source.
class ChangeDigest
{
public:
    void add(std::int64_t idx, std::string_view value, std::string_view time, double price, double confidence);
    [[nodiscard]] std::uint64_t value() const { return m_hash; }

private:
    std::uint64_t m_hash = 0x9e3779b97f4a7c15ULL;
    std::string m_buffer;
};
// The digest of a trace's changes as Trace reports them (valueText, timeText, price, confidence).
std::uint64_t traceDigest(const Trace& trace);

// Deepest nesting of objects and lists a legacy reader accepts (the document itself is level 1).
// A deeper file fails with "a value nested deeper than 256 levels (in metadata.parameters)", so
// that nothing after the reader (parameters, canonical JSON) ever meets unbounded nesting.
// It is the library's one limit for every JSON reader.
inline constexpr std::size_t kMaxLegacyDepth = kMaxJsonDepth;

// Reads, detects and maps one legacy file. Never throws for bad input; the file is only
// opened for reading.
ParsedSource readLegacyFile(const SourceFile& source);

// "YYYYMMDD_HHMMSS"
bool isRunId(std::string_view text);

} // namespace sigscope::core::migration
