#include "ui/charts/overview.h"

#include "core/analysis/steps.h"
#include "ui/charts/axisticks.h"
#include "ui/charts/chartscene.h"
#include "ui/charts/regimepalette.h"
#include "ui/charts/tracenames.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace sigscope::ui {

namespace {

constexpr int kMinRowHeight = 2;
constexpr int kGapFromRowHeight = 6; // rows this tall keep a one-pixel gap below them

const QColor kFlat(0xdf, 0xe3, 0xe6);
const QColor kLongColor(0x2e, 0x7d, 0x32);
const QColor kShortColor(0xc6, 0x28, 0x28);
const QColor kEmpty(0xf7, 0xf8, 0xf9);
const QColor kMarker(0x1c, 0x23, 0x28);

QRgb mix(QRgb a, QRgb b, double t) // t of a over b
{
    const auto c = [t](int x, int y) { return static_cast<int>(std::lround(x * t + y * (1 - t))); };
    return qRgb(c(qRed(a), qRed(b)), c(qGreen(a), qGreen(b)), c(qBlue(a), qBlue(b)));
}

// The colour of a signal cell without QColor round trips: this runs once per pixel.
QRgb cellRgb(const RasterCell& cell)
{
    if (!cell.defined)
        return kEmpty.rgb();
    const double m = std::clamp(cell.mean, -1.0, 1.0);
    if (m > 0)
        return mix(kLongColor.rgb(), kFlat.rgb(), m);
    if (m < 0)
        return mix(kShortColor.rgb(), kFlat.rgb(), -m);
    return kFlat.rgb();
}

// Cells for a classifier: the regime holding longest in each column.
struct ClassifierCell
{
    std::int32_t dominant = -1;
};

// One sweep over the changes: O(changes + columns) per row, no per-pixel searches.
template<typename Visit>
void sweep(const core::Trace& trace, double totalBars, int columns, Visit&& visit)
{
    const bool classifier = trace.kind() == core::Kind::Classifier;
    const double end = std::min(totalBars, static_cast<double>(trace.effectiveTotalBars()));
    const std::size_t n = trace.size();
    std::size_t i = 0;
    std::int32_t v = 0;
    bool known = !classifier;
    for (int c = 0; c < columns; ++c) {
        const double a = c * totalBars / columns;
        const double b = (c + 1) * totalBars / columns;
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

void paintRow(QRgb* const* lines, int height, const core::Trace& trace, double totalBars, int columns,
              std::vector<RasterCell>& cells, std::vector<ClassifierCell>& dominant, std::vector<QRgb>& pixels, bool markers,
              const RegimePalette& palette)
{
    cells.assign(static_cast<std::size_t>(columns), RasterCell{});
    if (trace.kind() == core::Kind::Classifier) {
        dominant.assign(static_cast<std::size_t>(columns), ClassifierCell{});
        DominantVisitor visitor{cells, dominant, std::vector<double>(trace.regimes().size())};
        sweep(trace, totalBars, columns, visitor);
        std::vector<QRgb> regimeColors;
        for (const QColor& color : palette.colorsOf(trace))
            regimeColors.push_back(color.rgb());
        for (int c = 0; c < columns; ++c) {
            const auto k = static_cast<std::size_t>(c);
            pixels[k] = !cells[k].defined ? kEmpty.rgb() : regimeColors[static_cast<std::size_t>(dominant[k].dominant)];
        }
    } else {
        MeanVisitor visitor{cells};
        sweep(trace, totalBars, columns, visitor);
        for (int c = 0; c < columns; ++c)
            pixels[static_cast<std::size_t>(c)] = cellRgb(cells[static_cast<std::size_t>(c)]);
    }
    const int markerRows = !markers ? 0 : height >= 3 ? 1 : height; // marker on the row's top pixel line
    const QRgb marker = kMarker.rgb();
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
    std::vector<RasterCell> cells(static_cast<std::size_t>(std::max(columns, 0)));
    if (columns <= 0 || !(totalBars > 0))
        return cells;
    MeanVisitor visitor{cells};
    sweep(trace, totalBars, columns, visitor);
    return cells;
}

QColor rasterColor(const RasterCell& cell)
{
    return QColor::fromRgb(cellRgb(cell));
}

QColor rasterMarkerColor()
{
    return kMarker;
}

void paintRaster(QImage& image, const std::vector<std::shared_ptr<const core::Trace>>& traces, double totalBars,
                 int firstRow, int rowHeight, bool markers)
{
    image.fill(Qt::white);
    const int columns = image.width();
    if (columns <= 0 || rowHeight <= 0 || !(totalBars > 0))
        return;
    const int drawn = rowHeight >= kGapFromRowHeight ? rowHeight - 1 : rowHeight;
    std::vector<RasterCell> cells;
    std::vector<ClassifierCell> dominant;
    std::vector<QRgb> pixels(static_cast<std::size_t>(columns));
    std::vector<QRgb*> lines(static_cast<std::size_t>(drawn));
    const RegimePalette palette(traces); // the same colours as the legend's
    for (int row = firstRow; row >= 0 && row < static_cast<int>(traces.size()); ++row) {
        const int top = (row - firstRow) * rowHeight;
        if (top >= image.height())
            break;
        const int height = std::min(drawn, image.height() - top);
        for (int y = 0; y < height; ++y)
            lines[static_cast<std::size_t>(y)] = reinterpret_cast<QRgb*>(image.scanLine(top + y));
        if (traces[static_cast<std::size_t>(row)])
            paintRow(lines.data(), height, *traces[static_cast<std::size_t>(row)], totalBars, columns, cells, dominant,
                     pixels, markers, palette);
    }
}

// ----- widget --------------------------------------------------------------------------------

OverviewRaster::OverviewRaster(QWidget* parent)
    : QWidget(parent)
    , m_scroll(new QScrollBar(Qt::Vertical, this))
{
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    m_scroll->hide();
    connect(m_scroll, &QScrollBar::valueChanged, this, [this] {
        m_dirty = true;
        update();
    });
}

OverviewRaster::~OverviewRaster() = default;

void OverviewRaster::setTraces(std::vector<std::shared_ptr<const core::Trace>> traces, QStringList labels)
{
    m_scene.setTraces(std::move(traces), std::move(labels));
    m_hoverRow = -1;
    m_scroll->setValue(0);
    updateScrollBar();
    m_dirty = true;
    update();
}

QSize OverviewRaster::sizeHint() const
{
    return {900, 520};
}

OverviewView OverviewRaster::view() const
{
    OverviewView v;
    v.fitAllRows = false;
    v.minRowHeight = kMinRowHeight;
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
    const double totalBars = m_scene.totalBars();
    if (pos.x() < r.left() || pos.x() > r.right() || totalBars <= 0)
        return std::nullopt;
    // The middle of the pixel column, as the cell colour stands for the whole column.
    return static_cast<qint64>(std::floor((pos.x() - r.left() + 0.5) * totalBars / r.width()));
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
    const auto cells = rasterRow(*trace, m_scene.totalBars(), r.width());
    const auto c = static_cast<std::size_t>(std::clamp(pos.x() - r.left(), 0, r.width() - 1));
    if (cells[c].changes > 1)
        text += QStringLiteral("\n%1 changes in this pixel").arg(cells[c].changes);
    return text;
}

void OverviewRaster::paintEvent(QPaintEvent* event)
{
    Q_UNUSED(event);
    QPainter p(this);
    const OverviewScene::Layout l = currentLayout();
    if (m_dirty) {
        m_image = m_scene.rasterImage(l);
        m_dirty = false;
    }
    RenderOptions options;
    options.dark = m_dark;
    m_scene.paint(&p, QRectF(rect()), l, m_image, options, view());
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
    if (m_scroll->isHidden()) {
        event->ignore();
        return;
    }
    const int rows = -event->angleDelta().y() / 40;
    m_scroll->setValue(m_scroll->value() + rows);
    event->accept();
}

void OverviewRaster::mouseMoveEvent(QMouseEvent* event)
{
    const auto row = rowAt(event->position().toPoint());
    const int hover = row.value_or(-1);
    if (hover != m_hoverRow) {
        m_hoverRow = hover;
        update();
        Q_EMIT hoveredRowChanged(hover);
    }
}

void OverviewRaster::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton) {
        if (const auto row = rowAt(event->position().toPoint())) {
            Q_EMIT traceActivated(*row);
            event->accept();
            return;
        }
    }
    QWidget::mousePressEvent(event);
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
