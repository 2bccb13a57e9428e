#pragma once

// Traces chosen on the command line with the explorer's filter semantics (`--select FILTER`,
// core::query), so that a filter tried in the GUI works in `export` and `compare` alike.
#include "core/model/trace.h"
#include "core/query/lanes.h"
#include "core/storage/storage.h"

#include <QString>
#include <memory>
#include <optional>
#include <vector>

namespace sigscope::cli {

struct SelectedTrace
{
    const core::IndexEntry* entry = nullptr;
    std::shared_ptr<const core::Trace> trace;
    QString label; // core::query::laneLabels: the tree's name, with the symbol when the selection spans several
};

// Entries matching `select` (any kind) or `classifiers` (classifiers only), in the tree's order
// (signals, then classifiers, each by type and file in natural order), loaded and labelled. A
// trace that cannot be loaded throws core::StorageError, or, when loadErrors is given, is left
// out and its error appended there.
std::vector<SelectedTrace> selectTraces(const core::Storage& storage, const std::vector<core::TypeIndex>& indexes,
                                        const QString& select, const QString& classifiers = {},
                                        std::vector<core::StorageError>* loadErrors = nullptr);

// The selection as lanes of a chart: split by kind, with the same labels.
core::query::LaneSelection laneSelection(const std::vector<SelectedTrace>& selected);

// --from BAR / --to BAR: each empty (nullopt) or a whole number >= 0, to after from. Returns the
// usage error ("--to (3) must be after --from (9)"), or an empty string.
QString parseBarRange(const QString& fromText, const QString& toText, std::optional<qint64>* from,
                      std::optional<qint64>* to);

} // namespace sigscope::cli
