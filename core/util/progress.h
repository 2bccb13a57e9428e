#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace sigscope::core {

// Progress of a long job. Callbacks return false to cancel; the job then stops at the next
// safe point and reports that it was cancelled.
struct Progress
{
    std::uint64_t done = 0;
    std::uint64_t total = 0;       // 0 when unknown
    std::uint64_t bytesDone = 0;
    std::uint64_t bytesTotal = 0;
    std::uint64_t itemsDone = 0;   // secondary count: traces, changes, ...
    std::string current;           // file or item being worked on
};
using ProgressCallback = std::function<bool(const Progress&)>;

// A structured finding of a job: what kind of problem, where, and a one-line reason. Jobs
// return these instead of strings so callers can filter, count and show them.
struct Finding
{
    enum class Severity : std::uint8_t { Info, Warning, Error };
    Severity severity = Severity::Error;
    std::string code;    // stable machine name: "missing-file", "orphan-file", "hash-mismatch", ...
    std::string path;    // file the finding is about (as given or relative to the storage root)
    std::int64_t line = 0; // 1-based line in that file when known, else 0
    std::string message; // one line for people

    bool operator==(const Finding&) const = default;
};

std::string_view severityName(Finding::Severity severity);

} // namespace sigscope::core
