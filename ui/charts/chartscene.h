#pragma once

#include "core/model/trace.h"
#include "ui/charts/chartlayout.h"
#include "ui/charts/pricedata.h"
#include "ui/charts/readout.h"
#include "ui/charts/renderable.h"

#include <QColor>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <QTimeZone>
#include <memory>
#include <optional>
#include <vector>

class QPainter;
class QPaintDevice;

namespace sigscope::core::consensus {
struct Consensus;
} // namespace sigscope::core::consensus

namespace sigscope::ui {
struct EquityCurve;
using EquityCurves = std::vector<EquityCurve>;
} // namespace sigscope::ui

// Everything the trace chart draws, without a widget: the TraceChart widget paints through it,
// and exports (PNG, SVG, PDF, clipboard, headless `sigscope export`) render the same scene into
// their own paint device. Lanes are drawn from core::StepReducer columns, which gives the same
// pixels as drawing every step (the exhaustive mode draws every step, for tests and benches).
//
// The scene holds the state and answers questions about it (view, cursor, readout, axis
// mapping); its parts are drawn by the painters beside it: chartlayout (geometry), barclock
// (bars to times and to pixel columns), regimebands, lanepainter, pricelane, chartaxes, readout.
namespace sigscope::ui {

enum class AxisMode { Bars, Time };

struct BarRange
{
    double first = 0; // continuous bar coordinates: bar b covers [b, b + 1)
    double last = 0;
    [[nodiscard]] double span() const { return last - first; }
    bool operator==(const BarRange&) const = default;
};

inline constexpr double kMinViewSpanBars = 8; // the deepest zoom of the lanes and the overview

// `range` kept inside `full`, at least minSpan bars wide (or all of `full`), centred where it was;
// nothing when it is not finite.
std::optional<BarRange> clampedRange(BarRange range, BarRange full, double minSpan);

// One price lane: a symbol's closes, titled by its label ("SPY close"; empty: "<SYM> <tf> close").
struct PriceLaneData
{
    std::shared_ptr<const PriceSeries> series;
    QString label;
};

class ChartScene : public Renderable
{
public:
    using TracePtr = std::shared_ptr<const core::Trace>;

    ChartScene();
    ~ChartScene() override;
    ChartScene(const ChartScene&) = delete;
    ChartScene& operator=(const ChartScene&) = delete;

    // Replaces the traces; keeps the view when it still lies inside the new data, else resets.
    void setTraces(std::vector<TracePtr> signalTraces, std::vector<TracePtr> classifierTraces);
    void setLabels(QStringList signalLabels, QStringList classifierLabels); // default: trace names
    void setAxisMode(AxisMode mode);
    void setOverlay(bool overlay);
    // The consensus lane below the signal lanes (ui/charts/consensuslane.h), drawn when on and
    // two or more signals are charted.
    void setConsensusLane(bool on);
    [[nodiscard]] bool consensusLane() const; // as set
    [[nodiscard]] bool consensusShown() const;
    // The consensus of the signal traces (core::consensus), computed elsewhere (TraceChart: in
    // the background) and set after setTraces, which drops it; until then the lane says it is
    // being computed. consensus() is nullptr while the lane is not shown.
    void setConsensus(std::shared_ptr<const core::consensus::Consensus> consensus);
    [[nodiscard]] const std::shared_ptr<const core::consensus::Consensus>& consensusData() const;
    [[nodiscard]] const core::consensus::Consensus* consensus() const;
    // The consensus of these signal traces, computed here (for a job or an export).
    static std::shared_ptr<const core::consensus::Consensus> computeConsensus(const std::vector<TracePtr>& signalTraces);
    // The equity lane under the price lanes (ui/charts/equitylane.h), drawn when on and a signal is
    // charted, from the curves set (computed in the background; nullptr: still computing). The
    // cursor readout then gives each signal's equity at the cursor bar too.
    void setEquityLane(bool on);
    [[nodiscard]] bool equityLane() const; // as set
    [[nodiscard]] bool equityShown() const;
    void setEquityCurves(std::shared_ptr<const EquityCurves> curves);
    [[nodiscard]] const std::shared_ptr<const EquityCurves>& equityCurves() const;
    void setPrice(std::shared_ptr<const PriceSeries> price); // one lane, or none for nullptr
    // One price lane per entry, in order (core::query::priceLanes: one per symbol charted). The
    // first sets the time axis and the readout's prices; each lane marks the entries and exits of
    // the signals of its symbol.
    void setPrices(std::vector<PriceLaneData> prices);
    [[nodiscard]] const std::vector<PriceLaneData>& prices() const;
    void setPriceIndexOffset(int offset);    // price bar = change idx - offset
    void setTimeZone(const QTimeZone& zone); // time axis labels (default UTC)
    [[nodiscard]] QTimeZone timeZone() const;
    [[nodiscard]] QStringList classifierLabels() const; // as set (may be shorter than the classifiers)

    [[nodiscard]] const std::vector<TracePtr>& signalTraces() const;
    [[nodiscard]] const std::vector<TracePtr>& classifierTraces() const;
    [[nodiscard]] AxisMode axisMode() const; // as charted: Time while the bars are degenerate
    [[nodiscard]] bool overlay() const;
    [[nodiscard]] int priceIndexOffset() const;
    [[nodiscard]] const std::shared_ptr<const PriceSeries>& price() const;

    // View in bar coordinates, clamped to fullRange() and a minimum span.
    [[nodiscard]] BarRange fullRange() const;
    [[nodiscard]] BarRange viewRange() const;
    void setViewRange(BarRange range);
    void resetView();

    // The cursor (as-of semantics: the value at bar b is the last change at or before b).
    [[nodiscard]] std::optional<qint64> cursorBar() const;
    void setCursorBar(std::optional<qint64> bar);
    [[nodiscard]] std::vector<ReadoutRow> readout(qint64 bar) const;
    // Nearest change bar strictly after / before `bar` over all signal and classifier traces.
    [[nodiscard]] std::optional<qint64> nextChange(qint64 bar) const;
    [[nodiscard]] std::optional<qint64> previousChange(qint64 bar) const;

    // Geometry of a render into `target`.
    using Layout = ChartLayout;
    [[nodiscard]] Layout layout(const QRectF& target, const RenderOptions& options) const;
    // The same for a given paint device (its DPI sets fonts and line widths).
    // The least height at which the lanes keep their minimum height (chartlayout.h).
    [[nodiscard]] double minimumHeight(const QRectF& target, const RenderOptions& options,
                                       const QPaintDevice* device) const;
    [[nodiscard]] Layout layoutFor(const QRectF& target, const RenderOptions& options,
                                   const QPaintDevice* device) const;

    // Bar coordinate <-> x inside `plot`, in the current axis mode and view.
    [[nodiscard]] double xForBar(double bar, const QRectF& plot) const;
    [[nodiscard]] double barForX(double x, const QRectF& plot) const;

    // X positions follow an axis coordinate: the bar itself, or seconds since the epoch on a
    // time axis (times come from the price data, else from the traces' change times).
    [[nodiscard]] double axisCoordinate(double bar) const;
    [[nodiscard]] double barOfAxisCoordinate(double u) const;
    [[nodiscard]] bool hasTimeAxis() const; // time mode and some times known
    // Whether the traces' bars are degenerate (core::degenerateBars: upstream's idx 0 for every
    // change): they are then charted on bars made from their times, always on the time axis,
    // with bannerText() above the plot.
    [[nodiscard]] bool barsDegenerate() const;
    [[nodiscard]] QString bannerText() const; // empty when there is nothing to explain

    void render(QPainter* painter, const QRectF& target, const RenderOptions& options) const override;

    [[nodiscard]] int laneCount() const;             // signal lanes drawn (1 in overlay mode with traces)
    [[nodiscard]] int bandCount() const;             // classifier band rows drawn
    [[nodiscard]] QStringList legendRegimes() const; // distinct regime names, sorted
    [[nodiscard]] QStringList legendTexts() const;   // lane labels, then "classifier: regime"
    [[nodiscard]] QStringList laneLabels() const;

    // The colour of a regime on this chart: distinct among all regimes it shows (RegimePalette).
    [[nodiscard]] QColor regimeColorOf(const QString& classifier, const QString& regime) const;
    // The colour a regime name prefers, which it gets whenever no other regime shown holds it.
    static QColor regimeColor(const QString& regime);
    // Lane i's colour: distinct for every lane up to kMaxLanes (style::distinctColor).
    static QColor traceColor(int index);

private:
    [[nodiscard]] ChartLayoutContent layoutContent() const;
    // All state lives here, so that the painters' types (lanes, bands, bar clock) stay out of
    // this header, which the window, the dialogs and the command line include.
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace sigscope::ui
