#include "ui/charts/overview.h"

#include "core/analysis/steps.h"
#include "ui/charts/axisticks.h"
#include "ui/charts/chartscene.h"
#include "ui/charts/chartstyle.h"
#include "ui/charts/regimepalette.h"
#include "ui/charts/tracenames.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace sigscope::ui {

namespace {

constexpr int kGapFromRowHeight = 6; // rows this tall keep a one-pixel gap below them
// The lanes chart's gestures (tracechart.cpp), so that both views zoom alike.
constexpr double kWheelZoomPerNotch = 0.8;
constexpr double kDragThreshold = 4;

QRgb mix(QRgb a, QRgb b, double t) // t of a over b
{
    const auto c = [t](int x, int y) { return static_cast<int>(std::lround(x * t + y * (1 - t))); };
    return qRgb(c(qRed(a), qRed(b)), c(qGreen(a), qGreen(b)), c(qBlue(a), qBlue(b)));
}

// The raster's colours from the palette being drawn with (style::PaletteScope), read once per picture.
struct RasterColors
{
    QRgb flat = style::currentPalette().rasterFlat.rgb();
    QRgb empty = style::currentPalette().rasterEmpty.rgb();
    QRgb marker = style::currentPalette().rasterMarker.rgb();
    QRgb longColor = style::currentPalette().longColor.rgb();
    QRgb shortColor = style::currentPalette().shortColor.rgb();
};

// The colour of a signal cell without QColor round trips: this runs once per pixel.
QRgb cellRgb(const RasterCell& cell, const RasterColors& colors)
{
    if (!cell.defined)
        return colors.empty;
    const double m = std::clamp(cell.mean, -1.0, 1.0);
    if (m > 0)
        return mix(colors.longColor, colors.flat, m);
    if (m < 0)
        return mix(colors.shortColor, colors.flat, -m);
    return colors.flat;
}

// Cells for a classifier: the regime holding longest in each column.
struct ClassifierCell
{
    std::int32_t dominant = -1;
};

// One sweep over the changes: O(changes + columns) per row, no per-pixel searches.
template<typename Visit>
void sweep(const core::Trace& trace, const ColumnMap& map, Visit&& visit)
{
    const bool classifier = trace.kind() == core::Kind::Classifier;
    const double end = std::min(map.last, static_cast<double>(trace.effectiveTotalBars()));
    const std::size_t n = trace.size();
    std::size_t i = 0;
    std::int32_t v = 0;
    bool known = !classifier;
    for (int c = 0; c < map.columns; ++c) {
        const auto [a, b] = map.columnBars(c);
        const double hi = std::min(b, end);
        for (; i < n && static_cast<double>(trace.bar(i)) < a; ++i) {
            v = trace.value(i);
            known = true;
        }
        double x = a;
        quint32 changes = 0;
        visit.beginColumn();
        for (; i < n && static_cast<double>(trace.bar(i)) < b; ++i) {
            const double bx = std::min(static_cast<double>(trace.bar(i)), hi);
            if (known && bx > x)
                visit.hold(v, bx - x);
            x = std::max(x, bx);
            v = trace.value(i);
            known = true;
            ++changes;
        }
        if (known && hi > x)
            visit.hold(v, hi - x);
        visit.endColumn(c, changes);
    }
}

ColumnMap uniformColumns(double totalBars, int columns)
{
    ColumnMap map;
    map.first = 0;
    map.last = totalBars;
    map.columns = columns;
    return map;
}

struct MeanVisitor
{
    std::vector<RasterCell>& out;
    double sum = 0;
    double weight = 0;
    void beginColumn() { sum = weight = 0; }
    void hold(std::int32_t v, double duration)
    {
        sum += v * duration;
        weight += duration;
    }
    void endColumn(int c, quint32 changes)
    {
        auto& cell = out[static_cast<std::size_t>(c)];
        cell.changes = changes;
        cell.defined = weight > 0;
        cell.mean = weight > 0 ? sum / weight : 0;
    }
};

struct DominantVisitor
{
    std::vector<RasterCell>& out;
    std::vector<ClassifierCell>& dominant;
    std::vector<double> weights;
    void beginColumn() { std::fill(weights.begin(), weights.end(), 0.0); }
    void hold(std::int32_t v, double duration)
    {
        const auto k = static_cast<std::size_t>(v);
        if (k >= weights.size())
            weights.resize(k + 1);
        weights[k] += duration;
    }
    void endColumn(int c, quint32 changes)
    {
        auto& cell = out[static_cast<std::size_t>(c)];
        cell.changes = changes;
        const auto best = std::max_element(weights.begin(), weights.end());
        cell.defined = best != weights.end() && *best > 0;
        dominant[static_cast<std::size_t>(c)].dominant =
            cell.defined ? static_cast<std::int32_t>(best - weights.begin()) : -1;
    }
};

struct RowPaint
{
    const ColumnMap& map;
    std::vector<RasterCell>& cells;
    std::vector<ClassifierCell>& dominant;
    std::vector<QRgb>& pixels;
    bool markers;
    const RegimePalette& palette;
    const RasterColors& colors;
};

void paintRow(QRgb* const* lines, int height, const core::Trace& trace, const RowPaint& row)
{
    const int columns = row.map.columns;
    auto& cells = row.cells;
    auto& dominant = row.dominant;
    auto& pixels = row.pixels;
    cells.assign(static_cast<std::size_t>(columns), RasterCell{});
    if (trace.kind() == core::Kind::Classifier) {
        dominant.assign(static_cast<std::size_t>(columns), ClassifierCell{});
        DominantVisitor visitor{cells, dominant, std::vector<double>(trace.regimes().size())};
        sweep(trace, row.map, visitor);
        std::vector<QRgb> regimeColors;
        for (const QColor& color : row.palette.colorsOf(trace))
            regimeColors.push_back(color.rgb());
        for (int c = 0; c < columns; ++c) {
            const auto k = static_cast<std::size_t>(c);
            pixels[k] =
                !cells[k].defined ? row.colors.empty : regimeColors[static_cast<std::size_t>(dominant[k].dominant)];
        }
    } else {
        MeanVisitor visitor{cells};
        sweep(trace, row.map, visitor);
        for (int c = 0; c < columns; ++c)
            pixels[static_cast<std::size_t>(c)] = cellRgb(cells[static_cast<std::size_t>(c)], row.colors);
    }
    const int markerRows = !row.markers ? 0 : height >= 3 ? 1 : height; // marker on the row's top pixel line
    const QRgb marker = row.colors.marker;
    for (int y = 0; y < height; ++y) {
        QRgb* line = lines[y];
        for (int c = 0; c < columns; ++c) {
            const auto k = static_cast<std::size_t>(c);
            line[c] = (y < markerRows && cells[k].changes > 1) ? marker : pixels[k];
        }
    }
}

} // namespace

std::vector<RasterCell> rasterRow(const core::Trace& trace, double totalBars, int columns)
{
    if (columns <= 0 || !(totalBars > 0))
        return std::vector<RasterCell>(static_cast<std::size_t>(std::max(columns, 0)));
    return rasterRow(trace, uniformColumns(totalBars, columns));
}

std::vector<RasterCell> rasterRow(const core::Trace& trace, const ColumnMap& map)
{
    std::vector<RasterCell> cells(static_cast<std::size_t>(std::max(map.columns, 0)));
    if (map.columns <= 0 || !(map.last > map.first))
        return cells;
    MeanVisitor visitor{cells};
    sweep(trace, map, visitor);
    return cells;
}

QColor rasterColor(const RasterCell& cell)
{
    return QColor::fromRgb(cellRgb(cell, RasterColors{}));
}

QColor rasterMarkerColor()
{
    return style::currentPalette().rasterMarker;
}

void paintRaster(QImage& image, const std::vector<std::shared_ptr<const core::Trace>>& traces, double totalBars,
                 int firstRow, int rowHeight, bool markers)
{
    paintRaster(image, traces, uniformColumns(totalBars, image.width()), firstRow, rowHeight, markers);
}

void paintRaster(QImage& image, const std::vector<std::shared_ptr<const core::Trace>>& traces, const ColumnMap& map,
                 int firstRow, int rowHeight, bool markers)
{
    const RasterColors colors;
    image.fill(style::currentPalette().background);
    const int columns = std::min(image.width(), map.columns);
    if (columns <= 0 || rowHeight <= 0 || !(map.last > map.first))
        return;
    ColumnMap fitted = map;
    fitted.columns = columns;
    const int drawn = rowHeight >= kGapFromRowHeight ? rowHeight - 1 : rowHeight;
    std::vector<RasterCell> cells;
    std::vector<ClassifierCell> dominant;
    std::vector<QRgb> pixels(static_cast<std::size_t>(columns));
    std::vector<QRgb*> lines(static_cast<std::size_t>(drawn));
    const RegimePalette palette(traces); // the same colours as the legend's
    const RowPaint paint{fitted, cells, dominant, pixels, markers, palette, colors};
    for (int row = firstRow; row >= 0 && row < static_cast<int>(traces.size()); ++row) {
        const int top = (row - firstRow) * rowHeight;
        if (top >= image.height())
            break;
        const int height = std::min(drawn, image.height() - top);
        for (int y = 0; y < height; ++y)
            lines[static_cast<std::size_t>(y)] = reinterpret_cast<QRgb*>(image.scanLine(top + y));
        if (traces[static_cast<std::size_t>(row)])
            paintRow(lines.data(), height, *traces[static_cast<std::size_t>(row)], paint);
    }
}

// ----- widget --------------------------------------------------------------------------------

OverviewRaster::OverviewRaster(QWidget* parent)
    : QWidget(parent)
    , m_scroll(new QScrollBar(Qt::Vertical, this))
    , m_navigator([this]() { return m_scene.viewRange(); }, [this](BarRange range) { applyView(range); })
{
    setMouseTracking(true);
    setFocusPolicy(Qt::WheelFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    m_scroll->hide();
    m_scroll->setFocusPolicy(Qt::NoFocus);
    connect(m_scroll, &QScrollBar::valueChanged, this, &OverviewRaster::invalidate);
    connect(&m_navigator, &ViewNavigator::historyChanged, this, &OverviewRaster::historyChanged);
}

OverviewRaster::~OverviewRaster() = default;

void OverviewRaster::setTraces(std::vector<std::shared_ptr<const core::Trace>> traces, QStringList labels)
{
    const BarRange before = m_scene.viewRange();
    const BarRange fullBefore = m_scene.fullRange();
    m_scene.setTraces(std::move(traces), std::move(labels));
    m_hoverRow = -1;
    m_scroll->setValue(0);
    updateScrollBar();
    if (!(fullBefore == m_scene.fullRange()))
        m_navigator.reset();
    invalidate();
    if (!(before == m_scene.viewRange()))
        Q_EMIT viewChanged(m_scene.viewRange().first, m_scene.viewRange().last);
}

void OverviewRaster::invalidate()
{
    m_dirty = true;
    update();
}

void OverviewRaster::setDark(bool dark)
{
    m_dark = dark;
    invalidate();
}

void OverviewRaster::setAxisMode(AxisMode mode)
{
    m_scene.setAxisMode(mode);
    invalidate();
}

void OverviewRaster::setTimeZone(const QTimeZone& zone)
{
    m_scene.setTimeZone(zone);
    invalidate();
}

void OverviewRaster::applyView(BarRange range)
{
    const BarRange before = m_scene.viewRange();
    m_scene.setViewRange(range);
    if (!(before == m_scene.viewRange())) {
        invalidate();
        Q_EMIT viewChanged(m_scene.viewRange().first, m_scene.viewRange().last);
    }
}

void OverviewRaster::setVisibleRange(BarRange range)
{
    m_navigator.step(range);
}

void OverviewRaster::resetZoom()
{
    setVisibleRange(m_scene.fullRange());
}

void OverviewRaster::followView(BarRange range)
{
    m_navigator.follow(range);
}

void OverviewRaster::showCursorAt(std::optional<qint64> bar)
{
    if (m_scene.cursorBar() == bar)
        return;
    m_scene.setCursorBar(bar);
    update();
}

void OverviewRaster::goBack()
{
    m_navigator.goBack();
}

void OverviewRaster::goForward()
{
    m_navigator.goForward();
}

bool OverviewRaster::canGoBack() const
{
    return m_navigator.canGoBack();
}

bool OverviewRaster::canGoForward() const
{
    return m_navigator.canGoForward();
}

AxisMap OverviewRaster::axisMap() const
{
    return {[this](double bar) { return m_scene.axisCoordinate(bar); },
            [this](double u) { return m_scene.barOfAxisCoordinate(u); }};
}

void OverviewRaster::zoomAround(double x, double factor)
{
    const QRect r = rasterRect();
    if (r.width() <= 0 || !(m_scene.fullRange().span() > 0))
        return;
    applyView(zoomedView(m_scene.viewRange(), m_scene.fullRange(), (x - r.left()) / r.width(), factor, axisMap()));
}

QSize OverviewRaster::sizeHint() const
{
    return {900, 520};
}

OverviewView OverviewRaster::view() const
{
    OverviewView v;
    v.fitAllRows = false;
    v.minRowHeight = OverviewScene::labelRowHeight(this, RenderOptions{}); // every row keeps its name; rows scroll
    v.firstRow = firstVisibleRow();
    v.reservedRight = !m_scroll->isHidden() ? m_scroll->sizeHint().width() : 0;
    v.hoverRow = m_hoverRow;
    return v;
}

OverviewScene::Layout OverviewRaster::currentLayout() const
{
    return m_scene.layoutFor(QRectF(rect()), RenderOptions{}, this, view());
}

QRect OverviewRaster::rasterRect() const
{
    return currentLayout().raster;
}

int OverviewRaster::rowHeight() const
{
    return currentLayout().rowHeight;
}

int OverviewRaster::firstVisibleRow() const
{
    return !m_scroll->isHidden() ? m_scroll->value() : 0;
}

void OverviewRaster::updateScrollBar()
{
    OverviewView v = view(); // rows that fit without the scroll bar decide whether it shows
    v.firstRow = 0;
    v.reservedRight = 0;
    const OverviewScene::Layout l = m_scene.layoutFor(QRectF(rect()), RenderOptions{}, this, v);
    const int visibleRows = std::max(1, l.raster.height() / l.rowHeight);
    const bool needed = rowCount() > visibleRows;
    m_scroll->setVisible(needed);
    m_scroll->setRange(0, std::max(0, rowCount() - visibleRows));
    m_scroll->setPageStep(visibleRows);
    m_scroll->setSingleStep(std::max(1, visibleRows / 20));
    const int w = m_scroll->sizeHint().width();
    m_scroll->setGeometry(width() - w, 0, w, height());
}

std::optional<int> OverviewRaster::rowAt(QPoint pos) const
{
    const OverviewScene::Layout l = currentLayout();
    const QRect& r = l.raster;
    if (pos.y() < r.top() || pos.y() > r.bottom() || pos.x() > r.right())
        return std::nullopt;
    const int row = l.firstRow + (pos.y() - r.top()) / l.rowHeight;
    if (row < 0 || row >= rowCount())
        return std::nullopt;
    return row;
}

std::optional<qint64> OverviewRaster::barAt(QPoint pos) const
{
    const QRect r = rasterRect();
    if (pos.x() < r.left() || pos.x() > r.right() || !(m_scene.viewRange().span() > 0))
        return std::nullopt;
    // The middle of the pixel column, as the cell colour stands for the whole column.
    return static_cast<qint64>(std::floor(m_scene.barForX(pos.x() + 0.5, r)));
}

QString OverviewRaster::toolTipAt(QPoint pos) const
{
    const auto row = rowAt(pos);
    if (!row)
        return {};
    const auto& trace = m_scene.traces()[static_cast<std::size_t>(*row)];
    QString text = m_scene.label(*row);
    const auto bar = barAt(pos);
    if (!bar || !trace)
        return text;
    text += QStringLiteral("\nbar %1: ").arg(*bar);
    if (*bar >= trace->effectiveTotalBars()) {
        text += QStringLiteral("past the end (%1)").arg(barsText(trace->effectiveTotalBars()));
    } else if (const auto idx = core::steps::changeIndexAt(*trace, *bar)) {
        const std::int32_t v = trace->value(*idx);
        const QString value = trace->kind() == core::Kind::Classifier
                                  ? QString::fromStdString(std::string(trace->regimeName(*idx)))
                              : v > 0 ? QStringLiteral("long")
                              : v < 0 ? QStringLiteral("short")
                                      : QStringLiteral("flat");
        text += value + QStringLiteral(" since bar %1").arg(trace->bar(*idx));
    } else {
        text += trace->kind() == core::Kind::Signal ? QStringLiteral("flat (before the first change)")
                                                     : QStringLiteral("regime unknown");
    }
    const QRect r = rasterRect();
    const auto cells = rasterRow(*trace, m_scene.columnMap(r.width()));
    const auto c = static_cast<std::size_t>(std::clamp(pos.x() - r.left(), 0, r.width() - 1));
    if (cells[c].changes > 1)
        text += QStringLiteral("\n%1 changes in this pixel").arg(cells[c].changes);
    return text;
}

void OverviewRaster::paintEvent(QPaintEvent* event)
{
    Q_UNUSED(event);
    QPainter p(this);
    const style::PaletteScope chartColors(m_dark); // the raster image's colours too
    const OverviewScene::Layout l = currentLayout();
    if (m_dirty) {
        m_image = m_scene.rasterImage(l);
        m_dirty = false;
    }
    RenderOptions options;
    options.dark = m_dark;
    m_scene.paint(&p, QRectF(rect()), l, m_image, options, view());
    if (m_drag == Drag::RubberBand) {
        const QRect& r = l.raster;
        const double a = std::clamp(m_pressPos.x(), double(r.left()), double(r.right()));
        const double b = std::clamp(m_lastPos.x(), double(r.left()), double(r.right()));
        const QRectF band(QPointF(std::min(a, b), r.top()), QPointF(std::max(a, b), r.bottom()));
        QColor fill = style::currentPalette().accent;
        fill.setAlpha(40);
        p.fillRect(band, fill);
        fill.setAlpha(160);
        p.setPen(QPen(fill, 1));
        p.drawRect(band);
    }
    if (hasFocus()) {
        // Keyboard focus: a frame in the highlight colour, as the lanes chart draws it.
        p.setPen(QPen(palette().color(QPalette::Highlight), 2));
        p.setBrush(Qt::NoBrush);
        p.drawRect(QRectF(rect()).adjusted(1, 1, -1, -1));
    }
}

void OverviewRaster::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    updateScrollBar();
    m_dirty = true;
}

bool OverviewRaster::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

void OverviewRaster::wheelEvent(QWheelEvent* event)
{
    const QPointF pos = event->position();
    const QRect r = rasterRect();
    const bool scrollRows = (event->modifiers() & Qt::ShiftModifier) || pos.x() < r.left();
    const QPoint angle = event->angleDelta();
    const int delta = angle.y() != 0 ? angle.y() : angle.x(); // Shift turns the wheel sideways on some desktops
    if (delta == 0 || (scrollRows && m_scroll->isHidden())) {
        event->ignore();
        return;
    }
    if (scrollRows) {
        m_scroll->setValue(m_scroll->value() - delta / 40);
    } else {
        zoomAround(pos.x(), std::pow(kWheelZoomPerNotch, delta / 120.0));
        m_navigator.burstMoved(); // the burst is committed when the wheel rests
    }
    event->accept();
}

void OverviewRaster::mouseMoveEvent(QMouseEvent* event)
{
    const QPointF pos = event->position();
    m_lastPos = pos;
    if (m_drag == Drag::Pending && std::abs(pos.x() - m_pressPos.x()) >= kDragThreshold)
        m_drag = (event->modifiers() & Qt::ShiftModifier) ? Drag::RubberBand : Drag::Pan;
    if (m_drag == Drag::Pan && (event->buttons() & Qt::LeftButton)) {
        const QRect r = rasterRect();
        applyView(pannedView(m_pressView, (pos.x() - m_pressPos.x()) / std::max(1, r.width()), axisMap()));
    } else if (m_drag == Drag::RubberBand) {
        update();
    }
    const auto row = rowAt(pos.toPoint());
    const int hover = row.value_or(-1);
    if (hover != m_hoverRow) {
        m_hoverRow = hover;
        update();
        Q_EMIT hoveredRowChanged(hover);
    }
    if (m_drag == Drag::None) {
        if (const auto bar = barAt(pos.toPoint()); bar && row) {
            if (m_scene.cursorBar() != bar) {
                m_scene.setCursorBar(bar);
                update();
                Q_EMIT cursorMoved(*bar);
            }
        }
    }
}

void OverviewRaster::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::BackButton || event->button() == Qt::ForwardButton) {
        event->button() == Qt::BackButton ? goBack() : goForward();
        event->accept();
        return;
    }
    if (event->button() != Qt::LeftButton) {
        QWidget::mousePressEvent(event);
        return;
    }
    setFocus(Qt::MouseFocusReason);
    m_navigator.commit(); // a wheel burst ends where a drag begins
    m_pressPos = m_lastPos = event->position();
    m_pressView = m_scene.viewRange();
    m_drag = Drag::Pending; // a click opens the row's trace, a drag pans or zooms
    event->accept();
}

void OverviewRaster::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || m_drag == Drag::None) {
        QWidget::mouseReleaseEvent(event);
        return;
    }
    const Drag drag = m_drag;
    m_drag = Drag::None;
    const QPointF pos = event->position();
    if (drag == Drag::RubberBand) {
        const QRect r = rasterRect();
        const double a = std::clamp(std::min(pos.x(), m_pressPos.x()), double(r.left()), double(r.right()) + 1);
        const double b = std::clamp(std::max(pos.x(), m_pressPos.x()), double(r.left()), double(r.right()) + 1);
        applyView({m_scene.barForX(a, r), m_scene.barForX(b, r)});
    } else if (drag == Drag::Pending) {
        if (const auto row = rowAt(m_pressPos.toPoint()))
            Q_EMIT traceActivated(*row);
    }
    m_navigator.commit(); // the whole drag is one history step
    update();
    event->accept();
}

std::vector<OverviewRaster::KeyHelp> OverviewRaster::keyHelp()
{
    return {
        {tr("Click"), tr("Chart the row's trace")},
        {tr("Shift+Wheel, Wheel over the names"), tr("Scroll the rows")},
        {tr("Page Up / Page Down"), tr("Scroll the rows by a page")},
    };
}

void OverviewRaster::keyPressEvent(QKeyEvent* event)
{
    const QRect r = rasterRect();
    switch (event->key()) {
    case Qt::Key_Home:
        resetZoom();
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        m_navigator.commit();
        zoomAround(r.center().x(), kWheelZoomPerNotch);
        m_navigator.commit();
        break;
    case Qt::Key_Minus:
        m_navigator.commit();
        zoomAround(r.center().x(), 1 / kWheelZoomPerNotch);
        m_navigator.commit();
        break;
    case Qt::Key_PageDown:
        m_scroll->triggerAction(QAbstractSlider::SliderPageStepAdd);
        break;
    case Qt::Key_PageUp:
        m_scroll->triggerAction(QAbstractSlider::SliderPageStepSub);
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

void OverviewRaster::focusInEvent(QFocusEvent* event)
{
    QWidget::focusInEvent(event);
    update();
}

void OverviewRaster::focusOutEvent(QFocusEvent* event)
{
    QWidget::focusOutEvent(event);
    update();
}

void OverviewRaster::leaveEvent(QEvent* event)
{
    if (m_hoverRow != -1) {
        m_hoverRow = -1;
        update();
        Q_EMIT hoveredRowChanged(-1);
    }
    QWidget::leaveEvent(event);
}

} // namespace sigscope::ui
