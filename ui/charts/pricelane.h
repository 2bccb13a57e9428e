#pragma once

#include "ui/charts/chartlayout.h"

// The price lane of the lanes chart: close line (per pixel column min..max), price grid, the
// entry and exit markers of the signal traces, and the lane title.
namespace sigscope::ui {

class ChartScene;

// Paints paint.layout.priceLanes, one per price series of the scene, with its view and signal traces.
void paintPriceLane(const ChartPaint& paint, const ChartScene& scene);

} // namespace sigscope::ui
