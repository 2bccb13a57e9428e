#pragma once

#include "core/model/trace.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace sigscope::core {

// Loads one data file (signal or classifier, version 0 or 1) with simdjson's On-Demand reader
// (core/storage/tracereader.h) from one read into a padded buffer (a .parquet file of an L6
// workspace goes to loadWorkspaceTrace, core/storage/workspace.h, and a
// "<part>.parquet#<hash>" path of a version-2 storage to loadParquetTrace); the
// kind comes from the metadata keys (strategy_name / classifier_name). Throws StorageError
// naming the file, the position and the reason on any failure.
Trace loadTrace(const std::filesystem::path& file);
// The same result from the file mapped rather than read (memory: the trace and the parser's
// buffers, the text staying in the page cache), for checking large files just written. Errors as
// loadTrace. The file must not shrink while it is read.
Trace loadTraceStreaming(const std::filesystem::path& file);
// The same reader on a text in memory (copied once into a padded buffer).
Trace parseTrace(std::string_view text, const std::filesystem::path& pathForMessages);

// The metadata object of a data file as written, field by field: what verify checks beyond what a
// Trace keeps (null or missing fields, counts as recorded). Only scalars are kept as text.
struct MetadataField
{
    enum class Type : std::uint8_t { Null, Bool, Integer, BigInteger, Float, String, Object, Array };
    std::string key;
    Type type = Type::Null;
    std::string text;    // a string's value, a number as written
    double number = 0.0; // Integer and Float
};
struct MetadataFacts
{
    std::vector<MetadataField> fields; // in file order
    [[nodiscard]] const MetadataField* find(std::string_view key) const;
};
// Reads the metadata object of a data file text that parseTrace accepted; stops after it.
MetadataFacts readMetadataFacts(std::string_view json);

// The data file text for a trace (storage-format.md §5-§6): identity fields always written,
// file_hash = identity hash, counts and compression recomputed, unknown metadata kept.
std::string serializeTrace(const Trace& trace);
// The same text handed to sink in pieces of about chunkBytes, so that writing a trace of millions
// of changes needs no buffer of the whole file.
using TextSink = std::function<void(std::string_view)>;
void serializeTrace(const Trace& trace, const TextSink& sink, std::size_t chunkBytes = std::size_t{1} << 20);

} // namespace sigscope::core
