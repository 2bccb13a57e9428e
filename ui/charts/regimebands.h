#pragma once

#include "core/analysis/reduce.h"
#include "core/model/trace.h"
#include "ui/charts/barclock.h"
#include "ui/charts/chartlayout.h"

#include <QColor>
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>
#include <vector>

// The classifier bands of the lanes chart: one strip per classifier above the lanes, with its
// label, and a pale tint of the same colours behind the lanes.
namespace sigscope::ui {

struct RegimeBand
{
    std::shared_ptr<const core::Trace> trace;
    core::StepReducer reducer;
    std::vector<QColor> colors; // by regime id
};

// The colour of every pixel column of a band (nullopt where the classifier draws nothing): the
// regime of the column, or where several meet in it the one that holds longest.
std::vector<std::optional<QColor>> bandColumnColors(const RegimeBand& band, const ColumnMap& map);

// Strips and tints of all bands over the plot, labels[b] inside strip b; the tint stops above
// the price lane.
void paintRegimeBands(const ChartPaint& paint, const std::vector<RegimeBand>& bands, const QStringList& labels,
                      const ColumnMap& map);

} // namespace sigscope::ui
