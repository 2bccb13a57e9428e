#pragma once

#include "core/model/trace.h"
#include "core/util/progress.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// CSV export of traces (issue 5): plain text any spreadsheet or pandas reads. Fields are quoted
// per RFC 4180 only when they need it; lines end with '\n'. Times are written exactly as
// recorded, numbers in their shortest round-trip form.
namespace sigscope::core::stats {
struct AgreementMatrix;
}

namespace sigscope::core::csv {

// One field: quoted (with inner quotes doubled) when it holds a comma, quote, CR or LF, or
// starts or ends with a space (which some readers would trim).
std::string escapeField(std::string_view field);
// Header line and rows, every field escaped; rows may be shorter or longer than the header.
std::string table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

// A trace with the column label it gets in a multi-trace export.
struct LabelledTrace
{
    std::string label;
    const Trace* trace = nullptr;
};

// The changes of one trace: "bar,time,value,price" for a signal, plus ",confidence" for a
// classifier, whose value is the regime name. Only changes with from <= bar < to.
std::string changes(const Trace& trace, std::int64_t from = INT64_MIN, std::int64_t to = INT64_MAX);
// The changes of several traces one after the other, with a leading "trace" column (the label);
// the confidence column is there when any of them is a classifier (empty for signals).
std::string changes(std::span<const LabelledTrace> traces, std::int64_t from = INT64_MIN, std::int64_t to = INT64_MAX);

// Dense per-bar values over bars [from, to): "bar,<label>,..." with one row per bar, the value
// as of that bar (steps::expand): a signal's position, a classifier's regime name, empty while
// the regime is unknown.
std::string dense(std::span<const LabelledTrace> traces, std::int64_t from, std::int64_t to);

// The same with progress for long exports: done/total count rows, reported every 65,536 rows;
// returning false stops the export (nullopt).
std::optional<std::string> changes(const Trace& trace, std::int64_t from, std::int64_t to, const ProgressCallback& progress);
std::optional<std::string> changes(std::span<const LabelledTrace> traces, std::int64_t from, std::int64_t to,
                                   const ProgressCallback& progress);
std::optional<std::string> dense(std::span<const LabelledTrace> traces, std::int64_t from, std::int64_t to,
                                 const ProgressCallback& progress);

// The same exports streamed into a file: the text goes to a temporary file beside path in pieces
// of about 1 MiB (memory stays bounded), which is fsynced and renamed over path when complete.
// false when progress stopped the export: the temporary file is removed and path left as it was.
// StorageError naming the file when writing fails.
bool writeChanges(const std::filesystem::path& path, const Trace& trace, std::int64_t from = INT64_MIN,
                  std::int64_t to = INT64_MAX, const ProgressCallback& progress = {});
bool writeChanges(const std::filesystem::path& path, std::span<const LabelledTrace> traces,
                  std::int64_t from = INT64_MIN, std::int64_t to = INT64_MAX, const ProgressCallback& progress = {});
bool writeDense(const std::filesystem::path& path, std::span<const LabelledTrace> traces, std::int64_t from,
                std::int64_t to, const ProgressCallback& progress = {});

// An agreement matrix (`sigscope compare --matrix`, the explorer's Agreement Matrix window): a
// header "trace" + the labels in clustered order, then one row per trace in that order, the
// shares with six decimals ("0.700000"). labels[i] names trace i of the matrix.
std::string agreementMatrix(const std::vector<std::string>& labels, const stats::AgreementMatrix& matrix);

// Writes text to path atomically (StorageError naming the file on failure).
void writeFile(const std::filesystem::path& path, std::string_view text);

} // namespace sigscope::core::csv
