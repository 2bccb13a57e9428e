#include "ui/charts/overviewscene.h"

#include "core/analysis/degeneratebars.h"
#include "ui/charts/axisticks.h"
#include "ui/charts/chartaxes.h"
#include "ui/charts/chartscene.h"
#include "ui/charts/chartstyle.h"
#include "ui/charts/overview.h"
#include "ui/charts/regimepalette.h"

#include <QCoreApplication>
#include <QPaintDevice>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <set>

namespace sigscope::ui {

using namespace style;

namespace {

constexpr int kMaxRowHeight = 18; // at 96 dpi
// Raster pixels of one picture at most (64 MB): a wider or taller raster is drawn scaled.
constexpr qint64 kMaxRasterPixels = qint64{16} << 20;

QColor signalColor(double mean)
{
    RasterCell cell;
    cell.defined = true;
    cell.mean = mean;
    return rasterColor(cell);
}

QString tr(const char* text, int n = -1)
{
    return QCoreApplication::translate("sigscope::ui::OverviewScene", text, nullptr, n);
}

} // namespace

void OverviewScene::setTraces(std::vector<TracePtr> traces, QStringList labels)
{
    // Rows stay aligned with the labels: a trace that could not be loaded is an empty row.
    std::vector<TracePtr> loaded;
    for (const auto& t : traces)
        if (t)
            loaded.push_back(t);
    m_degenerate = core::degenerateBars(loaded);
    if (m_degenerate) {
        // The lanes chart's rule: bars made from the recorded times, charted on the time axis.
        auto rebuilt = core::barsFromTimes(loaded);
        std::size_t k = 0;
        for (auto& t : traces)
            if (t)
                t = rebuilt[k++];
    }
    const BarRange oldFull = fullRange();
    m_traces = std::move(traces);
    m_labels = std::move(labels);
    m_totalBars = 0;
    for (const auto& t : m_traces)
        if (t)
            m_totalBars = std::max(m_totalBars, static_cast<double>(t->effectiveTotalBars()));
    m_clockDirty = true;
    m_labelWidthKey.clear();
    const BarRange full = fullRange();
    if (m_view.span() <= 0 || !(oldFull == full))
        m_view = full;
}

AxisMode OverviewScene::axisMode() const
{
    return m_degenerate ? AxisMode::Time : m_axisMode;
}

const BarClock* OverviewScene::timeClock() const
{
    if (m_clockDirty) {
        m_clockDirty = false;
        m_clock = BarClock::build(nullptr, 0, m_traces, {});
    }
    return m_clock.valid() ? &m_clock : nullptr;
}

bool OverviewScene::hasTimeAxis() const
{
    return axisMode() == AxisMode::Time && timeClock() != nullptr;
}

void OverviewScene::setViewRange(BarRange range)
{
    if (const auto clamped = clampedRange(range, fullRange(), kMinViewSpanBars))
        m_view = *clamped;
}

double OverviewScene::axisCoordinate(double bar) const
{
    return hasTimeAxis() ? m_clock.timeAt(bar) : bar;
}

double OverviewScene::barOfAxisCoordinate(double u) const
{
    return hasTimeAxis() ? m_clock.barAt(u) : u;
}

double OverviewScene::xForBar(double bar, const QRect& raster) const
{
    const double u0 = axisCoordinate(m_view.first);
    const double u1 = axisCoordinate(m_view.last);
    return raster.left() + (axisCoordinate(bar) - u0) * (raster.width() / (u1 - u0));
}

double OverviewScene::barForX(double x, const QRect& raster) const
{
    const double u0 = axisCoordinate(m_view.first);
    const double u1 = axisCoordinate(m_view.last);
    return barOfAxisCoordinate(u0 + (x - raster.left()) * ((u1 - u0) / raster.width()));
}

ColumnMap OverviewScene::columnMap(int columns) const
{
    ColumnMap map;
    map.columns = columns;
    map.first = m_view.first;
    map.last = m_view.last;
    if (hasTimeAxis() && columns > 0) {
        // Equal steps of time, as the lanes chart's columns on its time axis.
        map.uniform = false;
        map.edges.resize(static_cast<std::size_t>(columns) + 1);
        const double u0 = axisCoordinate(m_view.first);
        const double u1 = axisCoordinate(m_view.last);
        for (int c = 0; c <= columns; ++c)
            map.edges[static_cast<std::size_t>(c)] = barOfAxisCoordinate(u0 + c * (u1 - u0) / columns);
        map.edges.front() = m_view.first;
        map.edges.back() = m_view.last;
    }
    return map;
}

QString OverviewScene::label(int row) const
{
    if (row < 0 || row >= rowCount())
        return {};
    if (row < m_labels.size())
        return m_labels[row];
    const auto& trace = m_traces[static_cast<std::size_t>(row)];
    return trace ? QString::fromStdString(trace->identity.name) : QString();
}

QStringList OverviewScene::legendRegimes() const
{
    std::set<QString> names;
    for (const auto& t : m_traces) {
        if (t && t->kind() == core::Kind::Classifier)
            for (const auto& name : t->regimes())
                names.insert(QString::fromStdString(name));
    }
    return QStringList(names.begin(), names.end());
}

namespace {

std::vector<LegendItem> overviewLegend(const OverviewScene& scene, bool withMarkers)
{
    std::vector<LegendItem> items;
    const bool anySignal = std::any_of(scene.traces().begin(), scene.traces().end(),
                                       [](const auto& t) { return t && t->kind() == core::Kind::Signal; });
    if (anySignal) {
        items.push_back({tr("long"), signalColor(1), false});
        items.push_back({tr("flat"), signalColor(0), false});
        items.push_back({tr("short"), signalColor(-1), false});
    }
    const auto regimes = RegimePalette(scene.traces()).legend();
    items.insert(items.end(), regimes.begin(), regimes.end());
    if (!items.empty() && withMarkers)
        items.push_back({tr("several changes in one pixel"), rasterMarkerColor(), false});
    return items;
}

} // namespace

double OverviewScene::widestLabel(const QFont& font, const QPaintDevice* device) const
{
    constexpr int kMeasured = 2000; // labels measured at most: layouts are made on every pointer move
    const QString key = font.key() + QString::number(device ? device->logicalDpiY() : 0);
    if (m_labelWidthKey != key) {
        const QFontMetricsF fm(font, device);
        double widest = 0;
        for (int row = 0; row < std::min(rowCount(), kMeasured); ++row)
            widest = std::max(widest, fm.horizontalAdvance(label(row)));
        m_labelWidth = widest;
        m_labelWidthKey = key;
    }
    return m_labelWidth;
}

int OverviewScene::labelRowHeight(const QPaintDevice* device, const RenderOptions& options)
{
    const Metrics m = metricsFor(device, options);
    // The small font's line less its leading: descenders may touch the next row, letters do not.
    return static_cast<int>(std::ceil(QFontMetricsF(m.small, device).height() - 2 * m.scale));
}

OverviewScene::Layout OverviewScene::layoutFor(const QRectF& target, const RenderOptions& options,
                                               const QPaintDevice* device, const OverviewView& view) const
{
    const Metrics m = metricsFor(device, options);
    const QFontMetricsF fm(m.font, device);
    const double s = m.scale;
    const double pad = 6 * s;
    Layout l;
    double top = target.top() + pad;
    if (!options.title.isEmpty()) {
        const double h = QFontMetricsF(titleFont(m), device).height() + 6 * s;
        l.title = QRectF(target.left() + pad, top, target.width() - 2 * pad, h);
        top += h;
    }
    // Names fit where the picture has room for them; a third of it at most, the rest elides.
    const double widest = widestLabel(m.small, device) + 8 * s; // the label column is 6 px narrower
    const double labelWidth = std::clamp(widest, 80 * s, std::max(80 * s, std::min(260 * s, target.width() * 0.35)));
    const double left = target.left() + labelWidth + 8 * s;
    const double right = target.right() - 8 * s - view.reservedRight;
    double bottom = target.bottom() - pad;
    if (options.legend) {
        double h = 0;
        flowLegend(overviewLegend(*this, true), std::max(0.0, right - left), fm, s, &h);
        if (h > 0) {
            l.legend = QRectF(left, bottom - h, right - left, h);
            bottom -= h + 4 * s;
        }
    }
    // Ticks, and the axis title where it tells something the ticks do not: in exports, and on a
    // time axis (its zone); the window's bar axis keeps that line for rows.
    const double axisH = m.smallHeight + 6 * s + (showsAxisTitle(view) ? m.lineHeight + 2 * s : 0.0);
    bottom -= axisH;
    l.raster = QRect(QPoint(static_cast<int>(std::ceil(left)), static_cast<int>(std::ceil(top))),
                     QPoint(std::max(static_cast<int>(std::ceil(left)), static_cast<int>(std::floor(right)) - 1),
                            std::max(static_cast<int>(std::ceil(top)), static_cast<int>(std::floor(bottom)) - 1)));
    l.axis = QRectF(l.raster.left(), l.raster.bottom() + 1, l.raster.width(), axisH);
    l.labels = QRectF(target.left() + 4 * s, l.raster.top(), l.raster.left() - 10 * s - target.left() - 4 * s,
                      l.raster.height());

    const int rows = std::max(1, rowCount());
    const int available = l.raster.height();
    l.firstRow = std::clamp(view.firstRow, 0, std::max(0, rowCount() - 1));
    if (view.fitAllRows) {
        l.firstRow = 0;
        l.compressed = rows > available;
        l.rowHeight = l.compressed ? 1 : std::clamp(available / rows, 1, static_cast<int>(std::round(kMaxRowHeight * s)));
        l.rowsShown = rowCount();
        // Axis and legend follow the last row, not the bottom of the picture.
        const int unused = l.compressed ? 0 : available - rowCount() * l.rowHeight;
        if (unused > 0 && rowCount() > 0) {
            l.raster.setHeight(available - unused);
            l.labels.setHeight(l.raster.height());
            l.axis.translate(0, -unused);
            l.legend.translate(0, -unused);
        }
    } else {
        l.rowHeight = std::clamp(available / rows, view.minRowHeight, std::max(view.minRowHeight, kMaxRowHeight));
        l.rowsShown = std::min(rowCount() - l.firstRow, available / l.rowHeight + 1);
    }
    return l;
}

QImage OverviewScene::rasterImage(const Layout& layout) const
{
    int height = std::max(1, layout.rowsShown * layout.rowHeight);
    if (!layout.compressed)
        height = std::min(height, layout.raster.height());
    const auto widest = static_cast<int>(std::max<qint64>(256, kMaxRasterPixels / height));
    const int columns = std::max(1, std::min(layout.raster.width(), widest));
    QImage image(QSize(columns, height), QImage::Format_RGB32);
    // Rows scaled down to fit are averaged: markers would turn busy ones black, so they show means.
    paintRaster(image, m_traces, columnMap(columns), layout.firstRow, layout.rowHeight, !layout.compressed);
    return image;
}

void OverviewScene::paint(QPainter* painter, const QRectF& target, const Layout& l, const QImage& raster,
                          const RenderOptions& options, const OverviewView& view) const
{
    const style::PaletteScope palette(options.dark);
    QPaintDevice* device = painter->device();
    const Metrics m = metricsFor(device, options);
    const QFontMetricsF fm(m.font, device);
    const QFontMetricsF smallFm(m.small, device);
    const double s = m.scale;
    painter->save();
    painter->fillRect(target, kBackground);
    painter->setFont(m.font);
    if (!l.title.isEmpty()) {
        painter->setFont(titleFont(m));
        painter->setPen(kText);
        painter->drawText(l.title, Qt::AlignLeft | Qt::AlignVCenter, options.title);
        painter->setFont(m.font);
    }
    if (m_traces.empty()) {
        painter->setPen(kMutedText);
        painter->drawText(target, Qt::AlignCenter, tr("Select a type to see its traces side by side"));
        painter->restore();
        return;
    }
    const QRect& r = l.raster;
    if (l.compressed) {
        // More traces than pixel rows: each pixel row blends the rows it stands for.
        painter->setRenderHint(QPainter::SmoothPixmapTransform, true);
        painter->drawImage(QRectF(r), raster);
        painter->setRenderHint(QPainter::SmoothPixmapTransform, false);
    } else if (raster.width() == r.width()) {
        painter->drawImage(r.topLeft(), raster);
    } else {
        painter->drawImage(QRectF(r.left(), r.top(), r.width(), raster.height()), raster);
    }

    // Labels when rows are tall enough to read; otherwise a count (the widget's tooltip names rows).
    const int rowH = l.rowHeight;
    if (!l.compressed && rowH >= labelRowHeight(device, options)) {
        painter->save();
        painter->setClipRect(QRectF(l.labels.left(), r.top(), l.labels.width(), r.height())); // a cut row, not the axis
        painter->setFont(m.small);
        painter->setPen(kText);
        for (int k = 0; k < l.rowsShown; ++k) {
            const double y = r.top() + k * rowH;
            if (y > r.bottom())
                break;
            const QRectF lr(l.labels.left(), y, l.labels.width(), rowH);
            painter->drawText(lr, Qt::AlignRight | Qt::AlignVCenter | Qt::TextDontClip, // underscores below the row
                              smallFm.elidedText(label(l.firstRow + k), Qt::ElideMiddle, lr.width()));
        }
        painter->restore();
    } else {
        painter->setPen(kMutedText);
        painter->drawText(QRectF(l.labels.left(), r.top(), l.labels.width(), fm.height() * 2),
                          Qt::AlignRight | Qt::AlignTop | Qt::TextWordWrap, tr("%n trace(s)", rowCount()));
    }
    if (view.hoverRow >= l.firstRow && view.hoverRow < l.firstRow + l.rowsShown) {
        const int y = r.top() + (view.hoverRow - l.firstRow) * rowH;
        if (y <= r.bottom()) {
            painter->setPen(QPen(currentPalette().accent, 1));
            painter->setBrush(Qt::NoBrush);
            painter->drawRect(QRect(r.left() - 1, y - 1, r.width() + 1, rowH + 1));
        }
    }

    if (options.cursor && m_cursor) {
        const double x = std::floor(xForBar(static_cast<double>(*m_cursor) + 0.5, r));
        if (x >= r.left() && x <= r.right()) {
            QColor line = kText;
            line.setAlpha(170);
            painter->setPen(QPen(line, 1, Qt::DashLine));
            painter->drawLine(QPointF(x, r.top()), QPointF(x, r.bottom()));
        }
    }
    paintAxis(painter, l, m, options, showsAxisTitle(view));
    if (!l.legend.isEmpty()) {
        painter->setFont(m.font);
        paintLegend(painter, l.legend, overviewLegend(*this, !l.compressed), fm, s, std::max(1.0, std::round(1.5 * s)));
    }
    painter->restore();
}

bool OverviewScene::showsAxisTitle(const OverviewView& view) const
{
    return view.fitAllRows || hasTimeAxis();
}

void OverviewScene::paintAxis(QPainter* painter, const Layout& l, const Metrics& m, const RenderOptions& options,
                              bool title) const
{
    // The lanes chart's axis: bar or time ticks over the view, and its title.
    const QRect& r = l.raster;
    const double s = m.scale;
    const QFontMetricsF smallFm(m.small, painter->device());
    const double axisY = r.bottom() + 2 * s;
    painter->setPen(QPen(kFrame, s));
    painter->drawLine(QPointF(r.left(), axisY), QPointF(r.right(), axisY));
    const double u0 = axisCoordinate(m_view.first);
    const double u1 = axisCoordinate(m_view.last);
    const int maxTicks = std::max(2, static_cast<int>(r.width() / (95 * s)));
    const bool timeAxis = hasTimeAxis();
    const auto ticks = timeAxis ? timeTicks(u0, u1, maxTicks, m_zone) : numberTicks(u0, u1, maxTicks);
    painter->setFont(m.small);
    painter->setPen(kMutedText);
    for (const auto& tick : ticks) {
        const double x = r.left() + std::floor((tick.value - u0) * r.width() / (u1 - u0));
        if (x < r.left() || x > r.right() + 1)
            continue;
        painter->drawLine(QPointF(x, axisY), QPointF(x, axisY + 3 * s));
        const double w = smallFm.horizontalAdvance(tick.label);
        painter->drawText(QRectF(std::clamp(x - w / 2, r.left() - 10 * s, r.right() - w), axisY + 4 * s, w + 2 * s,
                                 smallFm.height()),
                          Qt::AlignLeft, tick.label);
    }
    if (!title)
        return;
    painter->setFont(m.font);
    painter->setPen(kText);
    painter->drawText(QRectF(r.left(), axisY + 4 * s + smallFm.height(), r.width(), m.lineHeight + 2 * s),
                      Qt::AlignHCenter | Qt::AlignVCenter, axisTitle(options));
}

QString OverviewScene::axisTitle(const RenderOptions& options) const
{
    return xAxisTitle(options, hasTimeAxis(), axisMode() == AxisMode::Time, m_zone);
}

void OverviewScene::render(QPainter* painter, const QRectF& target, const RenderOptions& options) const
{
    const style::PaletteScope palette(options.dark); // the raster's colours too
    const OverviewView view; // every row, fitted
    const Layout l = layoutFor(target, options, painter->device(), view);
    paint(painter, target, l, rasterImage(l), options, view);
}

} // namespace sigscope::ui
