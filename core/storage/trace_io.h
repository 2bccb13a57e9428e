#pragma once

#include "core/model/trace.h"

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace sigscope::core {

// Loads one data file (signal or classifier, version 0 or 1) with a streaming SAX parse; the
// kind comes from the metadata keys (strategy_name / classifier_name). Throws StorageError
// naming the file, the position and the reason on any failure.
Trace loadTrace(const std::filesystem::path& file);
// The same result read in chunks (memory: the trace plus one buffer, not the file's text), for
// checking large files just written; about half the speed of loadTrace. Errors as loadTrace.
Trace loadTraceStreaming(const std::filesystem::path& file);
// Tries the hand-written reader (fast_trace_parser.h) first and falls back to the SAX reader.
Trace parseTrace(std::string_view text, const std::filesystem::path& pathForMessages);
// The SAX reader alone (for tests comparing the two readers).
Trace parseTraceSax(std::string_view text, const std::filesystem::path& pathForMessages);

// The data file text for a trace (storage-format.md §5-§6): identity fields always written,
// file_hash = identity hash, counts and compression recomputed, unknown metadata kept.
std::string serializeTrace(const Trace& trace);
// The same text handed to sink in pieces of about chunkBytes, so that writing a trace of millions
// of changes needs no buffer of the whole file.
using TextSink = std::function<void(std::string_view)>;
void serializeTrace(const Trace& trace, const TextSink& sink, std::size_t chunkBytes = std::size_t{1} << 20);

} // namespace sigscope::core
