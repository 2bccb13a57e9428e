#pragma once

// Internal to core/storage: the data file reader (simdjson On-Demand) behind parseTrace and
// loadTrace (traceio.h). No simdjson include here.

#include "core/model/trace.h"

#include <cstddef>
#include <filesystem>
#include <memory>

namespace sigscope::core::detail {

// Reads the data file text data[0, size); the buffer holds `capacity` bytes, at least
// SIMDJSON_PADDING (kTracePadding) beyond the text, and the reader only reads them. Builds the
// Trace with its kind, identity, metadata and changes; the type stays empty when the file names
// none (the caller derives it from the path). Throws StorageError naming `path`: a syntax error
// with its line, column and reason, a content error with the place ("change 3: idx is missing").
Trace readTraceText(const char* data, std::size_t size, std::size_t capacity, const std::filesystem::path& path);

// The bytes the reader may read past the text (simdjson's SIMDJSON_PADDING).
std::size_t tracePadding();

// A file's bytes with tracePadding() zeroed bytes after them: allocated without zero-filling
// (only the padding is written), filled by read(2).
struct PaddedText
{
    std::unique_ptr<char[]> data;
    std::size_t size = 0;
    std::size_t capacity = 0;
};
PaddedText readPaddedFile(const std::filesystem::path& path); // throws StorageError
PaddedText paddedCopy(std::string_view text);

} // namespace sigscope::core::detail
