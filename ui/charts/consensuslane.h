#pragma once

#include "ui/charts/barclock.h"
#include "ui/charts/chartlayout.h"
#include "ui/charts/chartstyle.h"
#include "ui/charts/readout.h"

namespace sigscope::core::consensus {
struct Consensus;
struct Step;
} // namespace sigscope::core::consensus

// The consensus lane of the lanes chart (View > Consensus Lane), below the signal lanes: for the
// charted signals (core::consensus), per pixel column the share long (up from the middle, long
// colour) and short (down, short colour), the net position per trace as a line (+1 at the top:
// all long; -1 at the bottom), and the stretches where they disagree most marked along the top.
namespace sigscope::ui {

// "most disputed", in the colour of the mark: the legend's entry while the lane marks something.
style::LegendItem disputedLegendItem();

// The cursor readout's last row while the lane is shown: "net +1: 2 long, 1 short of 3".
ReadoutRow consensusReadout(const core::consensus::Step& step, qint64 bar);

// Paints paint.layout.consensusLane; `signalCount` names the count in its title. Without a
// consensus (still being computed) only the title, saying so.
void paintConsensusLane(const ChartPaint& paint, const core::consensus::Consensus* consensus, int signalCount,
                        const ColumnMap& map);

} // namespace sigscope::ui
