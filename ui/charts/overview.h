#pragma once

#include "core/model/trace.h"
#include "ui/charts/overviewscene.h"
#include "ui/charts/viewnavigator.h"

#include <QImage>
#include <QPointF>
#include <QStringList>
#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

class QScrollBar;

// Strategy x time raster for many traces: one row per trace over a shared bar axis, each
// pixel coloured by the time-weighted mean value inside it (short red, flat grey, long green),
// with a marker pixel where a column hides more than one change. Painted straight into a
// QImage, so thousands of rows stay fast.
namespace sigscope::ui {

struct RasterCell
{
    double mean = 0;      // time-weighted mean value over the defined part of the column
    bool defined = false; // false past the trace's end
    quint32 changes = 0;  // changes whose bar falls inside the column
};

// The reduction behind the raster, for one trace: `columns` equal columns over [0, totalBars),
// or the columns of a map (a zoomed view, equal steps of time on the time axis).
std::vector<RasterCell> rasterRow(const core::Trace& trace, double totalBars, int columns);
std::vector<RasterCell> rasterRow(const core::Trace& trace, const ColumnMap& map);

// Colour of a cell in the palette being drawn with (style::PaletteScope; light outside one);
// marker cells (changes > 1) take rasterMarkerColor().
QColor rasterColor(const RasterCell& cell);
QColor rasterMarkerColor();

// Fills `image` (Format_RGB32), one band of rowHeight pixels per trace starting at firstRow;
// without markers the cells keep their mean colour where a column hides several changes.
// Colours come from the palette being drawn with.
void paintRaster(QImage& image, const std::vector<std::shared_ptr<const core::Trace>>& traces, double totalBars,
                 int firstRow, int rowHeight, bool markers = true);
void paintRaster(QImage& image, const std::vector<std::shared_ptr<const core::Trace>>& traces, const ColumnMap& map,
                 int firstRow, int rowHeight, bool markers = true);

// The widget zooms as the lanes chart does: wheel over the raster zooms around the pointer, drag
// pans, Shift+drag zooms to a range, +/- zoom, Home resets, and every finished gesture is a zoom
// history step (goBack/goForward, the mouse's back/forward buttons). A click without a drag opens
// the row's trace; Shift+wheel, the wheel over the row labels, Page Up/Down scroll the rows.
class OverviewRaster : public QWidget
{
    Q_OBJECT
public:
    explicit OverviewRaster(QWidget* parent = nullptr);
    ~OverviewRaster() override;

    void setTraces(std::vector<std::shared_ptr<const core::Trace>> traces, QStringList labels);
    [[nodiscard]] int rowCount() const { return m_scene.rowCount(); }
    // The picture for exports: every row, as OverviewScene::render draws it.
    [[nodiscard]] const OverviewScene& scene() const { return m_scene; }
    void setDark(bool dark);           // the theme's chart palette
    void setAxisMode(AxisMode mode);   // the lanes chart's axis choice
    void setTimeZone(const QTimeZone& zone);
    [[nodiscard]] AxisMode axisMode() const { return m_scene.axisMode(); }

    [[nodiscard]] BarRange visibleRange() const { return m_scene.viewRange(); }
    void setVisibleRange(BarRange range); // one history step
    void resetZoom();
    void followView(BarRange range); // linked views: as TraceChart::followView
    void showCursorAt(std::optional<qint64> bar); // the other view's cursor; emits nothing
    void goBack();
    void goForward();
    [[nodiscard]] bool canGoBack() const;
    [[nodiscard]] bool canGoForward() const;
    [[nodiscard]] const ZoomHistory& zoomHistory() const { return m_navigator.history(); }
    [[nodiscard]] std::optional<qint64> cursorBar() const { return m_scene.cursorBar(); }
    // The gestures that differ from the lanes chart's, for Help > Keyboard Shortcuts.
    struct KeyHelp
    {
        QString keys;
        QString action;
    };
    static std::vector<KeyHelp> keyHelp();

    // Geometry, for tests and tooltips: the raster rectangle, row height and first row shown.
    [[nodiscard]] QRect rasterRect() const;
    [[nodiscard]] int rowHeight() const;
    [[nodiscard]] int firstVisibleRow() const;
    [[nodiscard]] std::optional<int> rowAt(QPoint pos) const;
    [[nodiscard]] std::optional<qint64> barAt(QPoint pos) const;
    [[nodiscard]] QString toolTipAt(QPoint pos) const; // "<label>\nbar N: long (since bar M)"
    [[nodiscard]] const QImage& rasterImage() const { return m_image; } // as last painted

    [[nodiscard]] QSize sizeHint() const override;

Q_SIGNALS:
    void traceActivated(int row);
    void hoveredRowChanged(int row); // -1 when the pointer leaves the raster
    void viewChanged(double firstBar, double lastBar);
    void cursorMoved(qint64 bar);
    void historyChanged(); // canGoBack() or canGoForward() may have changed

protected:
    bool event(QEvent* event) override; // tooltips
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void focusInEvent(QFocusEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;

private:
    [[nodiscard]] OverviewView view() const;
    [[nodiscard]] OverviewScene::Layout currentLayout() const;
    void updateScrollBar();
    void applyView(BarRange range);
    void zoomAround(double x, double factor);
    [[nodiscard]] AxisMap axisMap() const;
    void invalidate(); // the raster image is redrawn on the next paint

    OverviewScene m_scene;
    QImage m_image;
    bool m_dark = false;
    bool m_dirty = true;
    int m_hoverRow = -1;
    QScrollBar* m_scroll = nullptr;
    enum class Drag { None, Pending, Pan, RubberBand };
    Drag m_drag = Drag::None;
    QPointF m_pressPos;
    QPointF m_lastPos;
    BarRange m_pressView;
    ViewNavigator m_navigator; // after m_scene: it reads the scene's view when constructed
};

} // namespace sigscope::ui
