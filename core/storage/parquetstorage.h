#pragma once

// Format version 2 (docs/format.md "Version 2 (Parquet)"): the hive layout, shared by the writer
// (core/storage/parquetwriter.h) and the reader behind Storage::open and loadTrace.
//   traces/kind=<kind>/type=<type>/run=<run>/part-<N>.parquet    one row per trace
//   changes/kind=<kind>/type=<type>/run=<run>/part-<N>.parquet   one row per change
// An index entry's file_path is "traces/<partition>/part-<N>.parquet#<stem>_<hash8>": the stem and
// hash of the file name version 1 gives the trace (naming::fileName), so that every listing sorts
// the traces as it does for version 1; all 16 digits when two traces of one part share 8.

#include "core/model/trace.h"
#include "core/storage/workspace.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sigscope::core {

inline constexpr int kParquetFormatVersion = 2;
inline constexpr std::string_view kTracesFolder = "traces";
inline constexpr std::string_view kChangesFolder = "changes";
// The folder name Hive, Spark and Trino read as a NULL partition value.
inline constexpr std::string_view kNullPartition = "__HIVE_DEFAULT_PARTITION__";

// The reason version-1 writers give for a version-2 storage (StorageError puts the path first):
// "a version-2 (Parquet) storage; this command writes version 1 only (...)".
std::string parquetStorageReason();
// True when root/storage.json names format_version 2 (false when absent or unreadable).
bool isParquetStorage(const std::filesystem::path& root);

// A partition value as a folder name: bytes outside [A-Za-z0-9._-] as %XX; nullopt as kNullPartition.
std::string encodePartitionValue(const std::optional<std::string>& value);
// The inverse; nullopt for kNullPartition. Never throws: a bad escape is kept as written.
std::optional<std::string> decodePartitionValue(std::string_view folderValue);
// "kind=<kind>/type=<type>/run=<run>" for a trace.
std::string partitionPath(Kind kind, const std::string& type, const std::optional<std::string>& run);
// "part-<n>.parquet", and n of such a name (nullopt for any other name: temporaries are hidden).
std::string partFileName(std::uint64_t n);
std::optional<std::uint64_t> partNumber(const std::string& name);

// One part of a version-2 storage as the walk of its traces folders finds it (every part, the
// ones whose rows a newer part of the partition replaces too), by partition then natural order.
struct ParquetPart {
    Kind kind = Kind::Signal;
    std::string type;
    std::optional<std::string> run;
    std::string tracesFile, changesFile; // absolute, lexically normal
    std::string rel;                     // the traces file relative to the root
    std::string partition;               // the run folder relative to the root
    std::uint64_t number = 0;
};
std::vector<ParquetPart> listParquetParts(const std::filesystem::path& root, std::vector<Finding>& findings);

// Every trace of a version-2 storage as index entries (no change is read), grouped by kind and
// type like an L6 listing; files that cannot be read become findings.
WorkspaceListing listParquetStorage(const std::filesystem::path& root);

// True for a path of the form ".../traces/<partition>/part-<N>.parquet#<stem>_<hash>".
bool isParquetTracePath(const std::filesystem::path& file);
// True for a trace that loadTrace reads through DuckDB rather than as JSON text: a version-2 path
// (isParquetTracePath) or an L6 workspace's .parquet file.
bool isParquetTraceFile(const std::filesystem::path& file);
// Loads one trace of a version-2 storage: its row of the traces file and its changes from the
// changes file of the same part. Throws StorageError naming the file and the reason.
Trace loadParquetTrace(const std::filesystem::path& file);
// The same for many traces, in the order given, with two reads per part file (its traces' rows,
// then their changes) instead of two per trace: what the overview of thousands of variants needs.
std::vector<Trace> loadParquetTraces(std::span<const std::filesystem::path> files);

} // namespace sigscope::core
