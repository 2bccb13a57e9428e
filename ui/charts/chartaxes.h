#pragma once

#include "ui/charts/chartlayout.h"

#include <QTimeZone>

// The axes of the lanes chart: vertical grid and tick labels on the bar or time axis, the x axis
// title and the optional y axis title beside the lanes.
namespace sigscope::ui {

class ChartScene;

// The x axis title: options.xAxisTitle, else "Time (<zone>)" on a time axis, else "Bar index"
// (with "(no times recorded)" when time was asked for); the overview uses it too.
QString xAxisTitle(const RenderOptions& options, bool timeAxis, bool timeRequested, const QTimeZone& zone);

// Grid lines run from the top of `lanes` (the plot below the band strips) to the plot bottom.
void paintAxes(const ChartPaint& paint, const ChartScene& scene, const QRectF& lanes, const RenderOptions& options);

} // namespace sigscope::ui
