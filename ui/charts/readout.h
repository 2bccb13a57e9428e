#pragma once

#include "core/market/priceseries.h"
#include "core/model/trace.h"
#include "ui/charts/chartlayout.h"

#include <QString>
#include <QStringList>
#include <QtGlobal>
#include <memory>
#include <optional>
#include <vector>

// The cursor of the lanes chart: the value of every trace as of the cursor bar (the readout),
// and the dashed cursor line with the readout box beside it.
namespace sigscope::ui {

class BarClock;
class ChartScene;

// One line of the cursor readout: a trace's value as of the cursor bar.
struct ReadoutRow
{
    QString trace;                     // lane label
    QString value;                     // "long" / "flat" / "short" / "2" / regime name; "-" when unknown
    qint64 rawValue = 0;               // signal position or regime id
    bool known = false;                // false before a classifier's first change or past the trace's end
    qint64 changeBar = -1;             // bar of the change in force (-1 when none)
    qint64 barsSince = -1;             // cursor - changeBar (-1 when none)
    std::optional<double> changePrice; // px of the change, else the close at the joined bar
};

struct ReadoutSource
{
    const std::vector<std::shared_ptr<const core::Trace>>& signalTraces;
    const std::vector<std::shared_ptr<const core::Trace>>& classifierTraces;
    const QStringList& signalLabels; // one per trace
    const QStringList& classifierLabels;
    int priceOffset = 0;
    // The price lanes, in order. With one, every trace's prices come from it; with several (one
    // per symbol), from the lane of the trace's own symbol, and from none when no lane has it.
    std::vector<const core::PriceSeries*> lanes;
};

// One row per signal trace, then one per classifier, as of `bar`.
std::vector<ReadoutRow> readoutRows(const ReadoutSource& source, qint64 bar);

// The cursor line at scene.cursorBar() and, with options.readout, the readout box; the header
// shows the cursor's time from `clock` when there is one.
void paintCursor(const ChartPaint& paint, const ChartScene& scene, const BarClock* clock, const RenderOptions& options);

} // namespace sigscope::ui
