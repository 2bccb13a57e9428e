#pragma once

#include "core/analysis/metrics.h"
#include "core/market/priceseries.h"
#include "core/model/trace.h"
#include "ui/charts/barclock.h"
#include "ui/charts/chartlayout.h"

#include <QString>
#include <QStringList>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

// The equity lane of the lanes chart (View > Equity Lane), under the price lanes: for each
// charted signal priced by bar prices, its compounded equity per bar E_t (core::metrics, drawn
// as E - 1, a line in the signal's lane colour) and its drawdown E_t / peak - 1 (a translucent
// area from 0 down, in the same colour), on one axis in percent.
//
// Our own painter, not Qt Charts: the curves are reduced to one min..max run per pixel column
// (core::reduceSeries) and drawn as rectangles, so a frame costs one pass over the bars in view
// and stays at 60 fps on 1M bars, and the lane shares the lanes' pixel columns, zoom and time
// axis exactly; a QLineSeries would take every point (or a reduced copy per zoom step) and lay
// out its own axes.
namespace sigscope::ui {

// The equity of one signal, computed off the GUI thread (ui/mainwindow/chartequity.h).
struct EquityCurve
{
    const core::Trace* trace = nullptr; // the lane it belongs to
    std::int64_t firstBar = 0;          // bar of equity[0]: the range's first
    std::vector<double> equity;         // E_t per bar, compounded from 1 before the range's first bar
    std::vector<double> drawdown;       // E_t / max E_s - 1 per bar (core::drawdownSeries)
    // The range's total_return and max_drawdown exactly as `sigscope metrics --from --to` gives
    // them (the same core::metrics::compute): compounded per trade and marked after each trade,
    // so they differ from the per-bar curve's end and deepest fall where shorts or costs are.
    double totalReturn = 0.0;
    double maxDrawdown = 0.0;
    QString missing;                    // why there is no curve ("no bar prices for X"); empty with one
};
using EquityCurves = std::vector<EquityCurve>;

// The curve of `trace` priced by `market` (nullptr: none, and missing says "no bar prices for
// <label>") with pricing's price offset and cost, over its bars [pricing.from, pricing.to) (the
// chart's Ctrl+drag range; all bars by default); a pure function, for the job and the tests.
EquityCurve equityCurve(const std::shared_ptr<const core::Trace>& trace, const core::PriceSeries* market,
                        const core::metrics::Options& pricing, const QString& label);

// The equity at `bar` of each curve, as the cursor readout shows it ("+12.34 %"); nullopt
// outside the curve or without one.
std::optional<double> equityAt(const EquityCurve& curve, std::int64_t bar);

// The lane's value range [lo, hi] (in E - 1 and drawdown) for the columns of the curves: it
// holds 0 and every value drawn, with a tenth of the span added on each side.
struct EquityScale
{
    double lo = -0.1;
    double hi = 0.1;
    double top = 0; // pixel rows of hi and lo
    double bottom = 0;
    [[nodiscard]] double y(double v) const { return bottom - (v - lo) * (bottom - top) / (hi - lo); }
};

// Paints paint.layout.equityLane: one curve per signal lane (nullptr or a missing entry: the
// lane says why), `labels` and colours in lane order. curves == nullptr: still computing.
void paintEquityLane(const ChartPaint& paint, const std::vector<std::shared_ptr<const core::Trace>>& signalTraces,
                     const QStringList& labels, const EquityCurves* curves, const ColumnMap& map);

// The curve of a lane, nullptr when the curves have none for it.
const EquityCurve* curveFor(const EquityCurves* curves, const core::Trace* trace);

} // namespace sigscope::ui
