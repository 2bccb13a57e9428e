#pragma once

#include "core/model/trace.h"
#include "ui/charts/barclock.h"
#include "ui/charts/chartscene.h"
#include "ui/charts/chartstyle.h"
#include "ui/charts/renderable.h"

#include <QImage>
#include <QRect>
#include <QStringList>
#include <QTimeZone>

#include <memory>
#include <optional>
#include <vector>

class QPaintDevice;

// The overview raster as a picture without a widget: row labels, one raster row per trace over a
// shared bar axis, the axis and a legend (long / flat / short, several changes in a pixel, regime
// colours). The OverviewRaster widget paints a scrolled window of it; export renders all rows.
// The x axis works as the lanes chart's does: a view range in bars (zoom), the bar or the time
// axis (times from the traces' changes), and degenerate bars charted on their times.
namespace sigscope::ui {

// Which rows are drawn: the widget scrolls (firstRow, rows at least minRowHeight tall) and keeps
// room for its scroll bar; an export fits every row into the picture.
struct OverviewView
{
    int firstRow = 0;
    bool fitAllRows = true;  // rows shrink to fit (several traces per pixel row when they must)
    int minRowHeight = 2;    // when not fitting all rows (the widget: labelRowHeight(), every row named)
    double reservedRight = 0; // device pixels kept free at the right (the widget's scroll bar)
    int hoverRow = -1;       // framed when shown
};

class OverviewScene : public Renderable
{
public:
    using TracePtr = std::shared_ptr<const core::Trace>;

    void setTraces(std::vector<TracePtr> traces, QStringList labels);
    [[nodiscard]] const std::vector<TracePtr>& traces() const { return m_traces; }
    [[nodiscard]] int rowCount() const { return static_cast<int>(m_traces.size()); }
    [[nodiscard]] double totalBars() const { return m_totalBars; }

    void setAxisMode(AxisMode mode) { m_axisMode = mode; }
    [[nodiscard]] AxisMode axisMode() const; // as charted: Time while the bars are degenerate
    void setTimeZone(const QTimeZone& zone) { m_zone = zone.isValid() ? zone : QTimeZone::utc(); }
    [[nodiscard]] QTimeZone timeZone() const { return m_zone; }
    [[nodiscard]] bool hasTimeAxis() const; // time mode and some times known
    [[nodiscard]] bool barsDegenerate() const { return m_degenerate; }

    // View in bar coordinates, clamped to fullRange() (every bar of every row).
    [[nodiscard]] BarRange fullRange() const { return {0, m_totalBars}; }
    [[nodiscard]] BarRange viewRange() const { return m_view; }
    void setViewRange(BarRange range);
    [[nodiscard]] std::optional<qint64> cursorBar() const { return m_cursor; }
    void setCursorBar(std::optional<qint64> bar) { m_cursor = bar; }

    // Bars <-> axis coordinate (the bar, or seconds on the time axis) <-> x inside `raster`.
    [[nodiscard]] double axisCoordinate(double bar) const;
    [[nodiscard]] double barOfAxisCoordinate(double u) const;
    [[nodiscard]] double xForBar(double bar, const QRect& raster) const;
    [[nodiscard]] double barForX(double x, const QRect& raster) const;
    // The bars each of `columns` raster columns covers, in the current view and axis mode.
    [[nodiscard]] ColumnMap columnMap(int columns) const;
    [[nodiscard]] QString label(int row) const; // the given label, else the trace's name
    // Regime names of the classifier rows, sorted: the legend's regime swatches.
    [[nodiscard]] QStringList legendRegimes() const;

    struct Layout
    {
        QRectF title;
        QRectF labels;  // left of the raster, as tall as it
        QRect raster;   // whole device pixels: one raster column per pixel column
        QRectF axis;    // tick labels and the axis title below the raster
        QRectF legend;
        int firstRow = 0;
        int rowHeight = 1;  // device pixels per row (1 when rows are compressed)
        int rowsShown = 0;  // rows drawn from firstRow
        bool compressed = false; // more rows than pixel rows: the raster is scaled down to fit
    };
    [[nodiscard]] Layout layoutFor(const QRectF& target, const RenderOptions& options, const QPaintDevice* device,
                                   const OverviewView& view) const;

    // The shortest row whose label is drawn (rows below it show a count of traces instead).
    [[nodiscard]] static int labelRowHeight(const QPaintDevice* device, const RenderOptions& options);

    // The raster pixels of a layout (raster width x rowsShown * rowHeight).
    [[nodiscard]] QImage rasterImage(const Layout& layout) const;

    // Draws a layout with its raster image (from rasterImage(), maybe cached by the caller).
    void paint(QPainter* painter, const QRectF& target, const Layout& layout, const QImage& raster,
               const RenderOptions& options, const OverviewView& view) const;

    // The x axis title drawn under the raster ("Bar index", "Time (UTC)", ...).
    [[nodiscard]] QString axisTitle(const RenderOptions& options) const;

    // Every row, fitted to `target` (export).
    void render(QPainter* painter, const QRectF& target, const RenderOptions& options) const override;

private:
    [[nodiscard]] const BarClock* timeClock() const;
    [[nodiscard]] double widestLabel(const QFont& font, const QPaintDevice* device) const;
    [[nodiscard]] bool showsAxisTitle(const OverviewView& view) const;
    void paintAxis(QPainter* painter, const Layout& l, const style::Metrics& m, const RenderOptions& options,
                   bool title) const;

    std::vector<TracePtr> m_traces;
    QStringList m_labels;
    double m_totalBars = 0;
    AxisMode m_axisMode = AxisMode::Bars;
    QTimeZone m_zone = QTimeZone::utc();
    bool m_degenerate = false;
    BarRange m_view;
    std::optional<qint64> m_cursor;
    mutable BarClock m_clock;
    mutable bool m_clockDirty = true;
    mutable QString m_labelWidthKey; // font and DPI m_labelWidth was measured with
    mutable double m_labelWidth = 0;
};

} // namespace sigscope::ui
