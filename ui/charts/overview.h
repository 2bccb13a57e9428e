#pragma once

#include "core/model/trace.h"
#include "ui/charts/overviewscene.h"

#include <QImage>
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

// The reduction behind the raster, for one trace: `columns` equal columns over [0, totalBars).
std::vector<RasterCell> rasterRow(const core::Trace& trace, double totalBars, int columns);

// Colour of a cell; marker cells (changes > 1) take markerColor().
QColor rasterColor(const RasterCell& cell);
QColor rasterMarkerColor();

// Fills `image` (Format_RGB32), one band of rowHeight pixels per trace starting at firstRow;
// without markers the cells keep their mean colour where a column hides several changes.
void paintRaster(QImage& image, const std::vector<std::shared_ptr<const core::Trace>>& traces, double totalBars,
                 int firstRow, int rowHeight, bool markers = true);

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
    void setDark(bool dark) { m_dark = dark; update(); } // the theme's chart palette

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

protected:
    bool event(QEvent* event) override; // tooltips
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    [[nodiscard]] OverviewView view() const;
    [[nodiscard]] OverviewScene::Layout currentLayout() const;
    void updateScrollBar();

    OverviewScene m_scene;
    QImage m_image;
    bool m_dark = false;
    bool m_dirty = true;
    int m_hoverRow = -1;
    QScrollBar* m_scroll = nullptr;
};

} // namespace sigscope::ui
