#pragma once

#include "ui/charts/chartstyle.h"
#include "ui/charts/renderable.h"

#include <QRectF>
#include <vector>

class QPainter;
class QPaintDevice;

// Where the parts of the lanes chart go (title, band strips, lanes, price lane, x axis, legend)
// and what every painter of its parts shares: fonts and scale of the device, line thickness.
namespace sigscope::ui {

inline constexpr double kBandHeight = 17;    // classifier strip above the lanes, at 96 dpi
inline constexpr double kLaneMinHeight = 18; // at 96 dpi

// Geometry of a render into a target rectangle.
struct ChartLayout
{
    QRectF plot;               // area shared by all lanes (the x axis spans its width)
    std::vector<QRectF> lanes; // signal lanes (one in overlay mode), then the price lane if any
    QRectF consensusLane;      // below the signal lanes (ui/charts/consensuslane.h); empty when off
    QRectF priceLane;          // all price lanes together; empty without price data
    std::vector<QRectF> priceLanes; // one per price series, top to bottom
    QRectF equityLane;              // under the price lanes (ui/charts/equitylane.h); empty when off
    QRectF xAxis;
    QRectF legend;
    QRectF title;
    QRectF banner; // one line above the plot explaining odd data; empty without one
};

// What the layout depends on besides the target, the options and the device.
struct ChartLayoutContent
{
    std::vector<style::LegendItem> legend;
    int bandCount = 0;         // classifier strips
    int laneCount = 0;         // signal lanes drawn
    bool signalTraces = false; // any signal traces (a price lane alone fills the lane area)
    int priceLanes = 0;        // price series to draw, one lane each
    bool consensus = false;    // the consensus lane of the signals
    bool equity = false;       // the equity lane of the signals
    bool banner = false;       // a line of explanation above the plot
};

ChartLayout layOutChart(const QRectF& target, const RenderOptions& options, const QPaintDevice* device,
                        const ChartLayoutContent& content);

// The least target height at which every signal lane keeps kLaneMinHeight, the consensus and
// equity lanes four of those each and the price lanes their least room (title, banner, bands, axis and legend as
// layOutChart places them for the target's width): below it the window scrolls the chart.
double minimumChartHeight(const QRectF& target, const RenderOptions& options, const QPaintDevice* device,
                          const ChartLayoutContent& content);

// Height of one band strip in device pixels.
double bandHeight(double scale);
// The plot below the band strips: lanes and price lane.
QRectF laneArea(const QRectF& plot, double bandHeight, std::size_t bandCount);

// What each part's painter needs to know about the device and the layout of one render.
struct ChartPaint
{
    QPainter* painter = nullptr;
    const QPaintDevice* device = nullptr;
    QRectF target;
    ChartLayout layout;
    style::Metrics metrics;
    double scale = 1;   // metrics.scale
    int thickness = 1;  // signal line thickness in device pixels
    bool raster = true; // raster paint engine (pixel columns) or vector (SVG, PDF)
};

} // namespace sigscope::ui
