#pragma once

#include "ui/charts/chartlayout.h"

// The axes of the lanes chart: vertical grid and tick labels on the bar or time axis, the x axis
// title and the optional y axis title beside the lanes.
namespace sigscope::ui {

class ChartScene;

// Grid lines run from the top of `lanes` (the plot below the band strips) to the plot bottom.
void paintAxes(const ChartPaint& paint, const ChartScene& scene, const QRectF& lanes, const RenderOptions& options);

} // namespace sigscope::ui
