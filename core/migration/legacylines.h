#pragma once

// Internal to core/migration: the reader of L4, JSON-lines signal logs
// ({"t": <unix seconds>, "s": <symbol>, "v": 1|-1|0, "id": <strategy id>} per line).

#include "core/migration/legacycommon.h"

namespace sigscope::core::migration::detail {

// The changes of one (s, id) pair: the first value, then only changes.
struct LinesGroup
{
    Trace trace;
    ChangeDigest digest;
    std::int64_t count = 0; // lines of the pair
    std::int32_t last = 0;
    std::string sym;
    std::string id;
};

struct LinesDocument
{
    std::vector<LinesGroup> groups; // in order of appearance
    std::uint64_t changes = 0;      // lines read
};

enum class JsonLines : std::uint8_t {
    None,    // not JSON lines: one JSON document (or no JSON)
    Signals, // the first line is an L4 record
    Other,   // a whole JSON object on the first line and another on the next: an event log, say
};
// What the start of a file (leading white space removed) says about JSON lines.
JsonLines jsonLinesKind(std::string_view head);

ParsedSource readLinesFile(const SourceFile& source);

} // namespace sigscope::core::migration::detail
