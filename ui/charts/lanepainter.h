#pragma once

#include "core/analysis/reduce.h"
#include "core/model/trace.h"
#include "ui/charts/barclock.h"
#include "ui/charts/chartlayout.h"

#include <QStringList>
#include <cstdint>
#include <memory>
#include <vector>

// The signal lanes of the lanes chart: value grid, the steps (from reduced columns, or every
// step in the exhaustive mode), and the lane titles.
namespace sigscope::ui {

struct SignalLane
{
    std::shared_ptr<const core::Trace> trace;
    core::StepReducer reducer;
    std::int32_t vmin = -1; // value range drawn: at least short..long
    std::int32_t vmax = 1;
};

struct LanePaintOptions
{
    bool overlay = false;    // all traces in one lane
    bool exhaustive = false; // every step instead of reduced columns
};

// Lane i of paint.layout.lanes (one in overlay mode) with its traces, labels[k] for trace k.
void paintSignalLanes(const ChartPaint& paint, const std::vector<SignalLane>& lanes, const QStringList& labels,
                      const ColumnMap& map, const LanePaintOptions& options);

} // namespace sigscope::ui
