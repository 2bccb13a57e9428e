#pragma once

#include "core/query/filter.h"

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sigscope::core {
class Trace;
struct IndexEntry;
struct TypeIndex;
} // namespace sigscope::core

// Which traces a chart shows and how its lanes are named: one rule for the explorer window and
// `sigscope export` / `sigscope compare`.
namespace sigscope::core::query {

// The name the tree shows for an entry: "<name>", or "<name> #<variant>" for a variant.
std::string traceName(const IndexEntry& entry);

// The tree's order: signals before classifiers, then by file path in natural order.
bool treeOrderLess(const IndexEntry& a, const IndexEntry& b);

// The entries matching `any` (either kind) or `classifiers` (classifiers only), in the tree's order.
std::vector<const IndexEntry*> selectEntries(const std::vector<TypeIndex>& indexes, const Filter& any,
                                             const Filter& classifiers = {});

// A loaded trace with the name the tree shows for it.
struct LaneTrace
{
    std::string name;
    std::shared_ptr<const Trace> trace;
};

// One label per trace, in order: its name, with " <SYMBOL>" added when the traces span several
// symbols (names repeat across symbols). Traces without a symbol count as one more "symbol".
std::vector<std::string> laneLabels(const std::vector<LaneTrace>& traces);

// The traces of a chart split by kind (signals as step lanes, classifiers as regime bands), each
// in the order given, with their labels.
struct LaneSelection
{
    using TracePtr = std::shared_ptr<const Trace>;
    using Labelled = std::pair<std::string, TracePtr>;

    std::vector<TracePtr> signalTraces;
    std::vector<std::string> signalLabels;
    std::vector<TracePtr> classifierTraces;
    std::vector<std::string> classifierLabels;

    [[nodiscard]] std::size_t size() const { return signalTraces.size() + classifierTraces.size(); }
    [[nodiscard]] bool empty() const { return size() == 0; }
    // The trace whose symbol and timeframe choose the price lane: the first signal, else the
    // first classifier; nullptr when there is none.
    [[nodiscard]] const Trace* priceTrace() const;
    // What a charted signal is compared with, bar by bar: every other signal lane, with its label.
    // Empty when `trace` is not one of the signal lanes.
    [[nodiscard]] std::vector<Labelled> comparisonSet(const TracePtr& trace) const;
};

LaneSelection buildLanes(const std::vector<LaneTrace>& traces);

// The market file of the price lane, <root>/market/<SYMBOL>_<timeframe>.csv, when it exists.
std::optional<std::filesystem::path> priceFile(const LaneSelection& lanes, const std::filesystem::path& storageRoot);

// One price lane per symbol charted: the symbols of the signal lanes in lane order (of the
// classifiers when there is no signal), each with the timeframe of its first trace and its market
// file <root>/market/<SYMBOL>_<timeframe>.csv when that exists. Traces without a symbol are left out.
struct PriceLane
{
    std::string symbol;
    std::string timeframe;
    std::optional<std::filesystem::path> file;
    [[nodiscard]] std::string label() const { return symbol + " close"; }
    bool operator==(const PriceLane&) const = default;
};
std::vector<PriceLane> priceLanes(const LaneSelection& lanes, const std::filesystem::path& storageRoot);

} // namespace sigscope::core::query
