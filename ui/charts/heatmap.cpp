#include "ui/charts/heatmap.h"


#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace sigscope::ui {

namespace {

QString paramText(const core::ParamValue& value)
{
    if (std::holds_alternative<std::nullptr_t>(value))
        return QStringLiteral("(none)");
    return QString::fromStdString(core::displayText(value));
}

QString valueText(double value)
{
    return QString::number(value, 'g', 4);
}

} // namespace

QString heatmapValueText(const QString& metric, double value)
{
    if (std::isnan(value))
        return QStringLiteral("n/a");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("\u2014") : QStringLiteral("\u2212\u2014");
    if (metric == QLatin1String("trades") || metric == QLatin1String("flips"))
        return QString::number(qint64(value));
    return valueText(value);
}

QString variantCount(qsizetype n)
{
    return n == 1 ? QObject::tr("1 variant") : QObject::tr("%1 variants").arg(n);
}

void HeatmapScene::setGrid(std::shared_ptr<const core::sweep::Grid> grid, QString metric)
{
    m_grid = std::move(grid);
    m_metric = std::move(metric);
    m_selection.clear();
    m_hover = -1;
}

HeatmapScene::Layout HeatmapScene::layout(const QPaintDevice* device, const QRectF& target,
                                          const RenderOptions& options) const
{
    const style::Metrics m = style::metricsFor(device, options);
    const double s = m.scale;
    const double pad = 8 * s;
    const QFontMetricsF fm(m.font, device);
    Layout l;
    l.title = QRectF(target.left(), target.top(), target.width(), QFontMetricsF(style::titleFont(m), device).height() + 6 * s);
    double yLabelWidth = 0;
    double barLabelWidth = fm.horizontalAdvance(QStringLiteral("n/a"));
    if (m_grid) {
        for (const auto& v : m_grid->yValues)
            yLabelWidth = std::max(yLabelWidth, fm.horizontalAdvance(paramText(v)));
        for (const double v : {m_grid->min, m_grid->max})
            barLabelWidth = std::max(barLabelWidth, fm.horizontalAdvance(heatmapValueText(m_metric, v)));
    }
    yLabelWidth = std::min(yLabelWidth, target.width() * 0.25);
    const double left = target.left() + pad + fm.height() + 4 * s + yLabelWidth + 4 * s;
    const double right = target.right() - pad - barLabelWidth - 4 * s - 16 * s - 12 * s;
    const double top = l.title.bottom() + 4 * s;
    const double bottom = target.bottom() - pad - 2 * fm.height() - 4 * s;
    l.plot = QRect(qRound(left), qRound(top), std::max(1, qRound(right - left)), std::max(1, qRound(bottom - top)));
    l.xLabels = QRectF(l.plot.left(), l.plot.bottom() + 1 + 2 * s, l.plot.width(), 2 * fm.height() + 2 * s);
    const double yLabelsLeft = target.left() + pad + fm.height() + 4 * s; // the Y title before them
    l.yLabels = QRectF(yLabelsLeft, l.plot.top(), left - 4 * s - yLabelsLeft, l.plot.height());
    l.colourBar = QRect(l.plot.right() + 1 + qRound(12 * s), l.plot.top(), qRound(16 * s), l.plot.height());
    l.barLabels = QRectF(l.colourBar.right() + 1 + 4 * s, l.plot.top() - fm.height() / 2, barLabelWidth,
                         l.plot.height() + fm.height());
    return l;
}

int HeatmapScene::cellAt(const QPoint& point, const QRect& plot) const
{
    if (!m_grid || m_grid->cells.empty())
        return -1;
    const int cols = int(m_grid->columns());
    const int rows = int(m_grid->rows());
    const int xi = cellPartAt(plot.left(), plot.width(), cols, point.x());
    const int fromTop = cellPartAt(plot.top(), plot.height(), rows, point.y());
    if (xi < 0 || fromTop < 0)
        return -1;
    return (rows - 1 - fromTop) * cols + xi; // the first Y value at the bottom
}

QRect HeatmapScene::cellRect(int cell, const QRect& plot) const
{
    if (!m_grid || cell < 0 || cell >= int(m_grid->cells.size()))
        return {};
    const int cols = int(m_grid->columns());
    const int rows = int(m_grid->rows());
    const int xi = cell % cols;
    const int fromTop = rows - 1 - cell / cols;
    const int x0 = cellEdge(plot.left(), plot.width(), xi, cols);
    const int x1 = cellEdge(plot.left(), plot.width(), xi + 1, cols);
    const int y0 = cellEdge(plot.top(), plot.height(), fromTop, rows);
    const int y1 = cellEdge(plot.top(), plot.height(), fromTop + 1, rows);
    return {x0, y0, x1 - x0, y1 - y0};
}

QList<int> HeatmapScene::cellsIn(const QRect& area, const QRect& plot) const
{
    QList<int> cells;
    if (!m_grid)
        return cells;
    for (int c = 0; c < int(m_grid->cells.size()); ++c)
        if (cellRect(c, plot).intersects(area))
            cells << c;
    return cells;
}

QColor HeatmapScene::cellColour(double value) const
{
    if (std::isnan(value) || !m_grid)
        return style::currentPalette().rasterEmpty;
    if (std::isinf(value))
        return heatmapColour(value > 0 ? 1.0 : 0.0);
    const double span = m_grid->max - m_grid->min;
    return heatmapColour(span > 0 ? (value - m_grid->min) / span : 0.5);
}

QString HeatmapScene::cellText(int cell) const
{
    if (!m_grid || cell < 0 || cell >= int(m_grid->cells.size()))
        return {};
    const auto& c = m_grid->cells[std::size_t(cell)];
    const std::size_t xi = std::size_t(cell) % m_grid->columns();
    const std::size_t yi = std::size_t(cell) / m_grid->columns();
    return QStringLiteral("%1=%2, %3=%4: %5 %6 (%7)")
        .arg(QString::fromStdString(m_grid->x), paramText(m_grid->xValues[xi]), QString::fromStdString(m_grid->y),
             paramText(m_grid->yValues[yi]), m_metric, heatmapValueText(m_metric, c.value),
             variantCount(qsizetype(c.items.size())));
}

void HeatmapScene::paintCells(QPainter* painter, const QRect& plot) const
{
    const int cols = int(m_grid->columns());
    const int rows = int(m_grid->rows());
    // Cells big enough for it keep a one-pixel gap, so that neighbours of one colour stay apart.
    const bool gaps = plot.width() / cols >= 10 && plot.height() / rows >= 10;
    for (int c = 0; c < int(m_grid->cells.size()); ++c) {
        QRect r = cellRect(c, plot);
        if (gaps)
            r.adjust(0, 0, -1, -1);
        painter->fillRect(r, cellColour(m_grid->cells[std::size_t(c)].value));
    }
    painter->setBrush(Qt::NoBrush);
    painter->setPen(QPen(style::currentPalette().accent, 2));
    for (const int c : m_selection)
        painter->drawRect(cellRect(c, plot).adjusted(1, 1, -1, -1));
    if (m_hover >= 0) {
        painter->setPen(QPen(style::kText, 1));
        painter->drawRect(cellRect(m_hover, plot).adjusted(0, 0, -1, -1));
    }
}

void HeatmapScene::paintAxes(QPainter* painter, const Layout& l, const style::Metrics& m) const
{
    const QFontMetricsF fm(m.font, painter->device());
    painter->setFont(m.font);
    painter->setPen(style::kText);
    const int cols = int(m_grid->columns());
    const int rows = int(m_grid->rows());
    double widest = 0;
    for (const auto& v : m_grid->xValues)
        widest = std::max(widest, fm.horizontalAdvance(paramText(v)));
    const double cellWidth = double(l.plot.width()) / cols;
    const int xStep = std::max(1, int(std::ceil((widest + 6 * m.scale) / cellWidth)));
    for (int xi = 0; xi < cols; xi += xStep) {
        const QRect cell = cellRect(xi, l.plot);
        const QRectF box(cell.center().x() - widest, l.xLabels.top(), 2 * widest + 1, fm.height());
        painter->drawText(box, Qt::AlignHCenter | Qt::AlignTop, paramText(m_grid->xValues[std::size_t(xi)]));
    }
    const double cellHeight = double(l.plot.height()) / rows;
    const int yStep = std::max(1, int(std::ceil((fm.height() + 2 * m.scale) / cellHeight)));
    for (int yi = 0; yi < rows; yi += yStep) {
        const QRect cell = cellRect(yi * cols, l.plot);
        const QRectF box(l.yLabels.left(), cell.center().y() - fm.height() / 2, l.yLabels.width(), fm.height());
        painter->drawText(box, Qt::AlignRight | Qt::AlignVCenter,
                          fm.elidedText(paramText(m_grid->yValues[std::size_t(yi)]), Qt::ElideMiddle, box.width()));
    }
    painter->setFont(m.bold);
    painter->drawText(QRectF(l.xLabels.left(), l.xLabels.top() + fm.height(), l.xLabels.width(), fm.height() + 2),
                      Qt::AlignHCenter | Qt::AlignTop, QString::fromStdString(m_grid->x));
    painter->save();
    painter->translate(l.yLabels.left() - 4 * m.scale - fm.height() / 2, l.plot.center().y());
    painter->rotate(-90);
    painter->drawText(QRectF(-l.plot.height() / 2.0, -fm.height() / 2, l.plot.height(), fm.height()), Qt::AlignCenter,
                      QString::fromStdString(m_grid->y));
    painter->restore();
}

void HeatmapScene::paintColourBar(QPainter* painter, const Layout& l, const style::Metrics& m) const
{
    ColourScale scale;
    scale.min = m_grid->min;
    scale.max = m_grid->max;
    scale.text = [this](double v) { return heatmapValueText(m_metric, v); };
    ui::paintColourBar(painter, l.colourBar, l.barLabels, scale, m);
}

void HeatmapScene::render(QPainter* painter, const QRectF& target, const RenderOptions& options) const
{
    const style::PaletteScope palette(options.dark);
    const style::Metrics m = style::metricsFor(painter->device(), options);
    painter->save();
    painter->fillRect(target, style::kBackground);
    const Layout l = layout(painter->device(), target, options);
    painter->setFont(style::titleFont(m));
    painter->setPen(style::kText);
    QString title = options.title;
    if (title.isEmpty() && m_grid)
        title = QStringLiteral("%1 by %2 \u00d7 %3")
                    .arg(m_metric, QString::fromStdString(m_grid->x), QString::fromStdString(m_grid->y));
    painter->drawText(l.title, Qt::AlignCenter, title);
    if (!m_grid || m_grid->cells.empty()) {
        painter->setFont(m.font);
        painter->setPen(style::kMutedText);
        painter->drawText(target, Qt::AlignCenter, QObject::tr("No variants to lay out"));
        painter->restore();
        return;
    }
    paintCells(painter, l.plot);
    paintAxes(painter, l, m);
    paintColourBar(painter, l, m);
    painter->restore();
}

HeatmapWidget::HeatmapWidget(QWidget* parent)
    : SceneCellWidget<HeatmapScene>(parent)
{
    setMinimumSize(240, 180);
}

void HeatmapWidget::setGrid(std::shared_ptr<const core::sweep::Grid> grid, const QString& metric)
{
    m_scene.setGrid(std::move(grid), metric);
    clearHover();
}

void HeatmapWidget::paintEvent(QPaintEvent* event)
{
    CellWidget::paintEvent(event);
    if (!m_band.isNull()) {
        QPainter painter(this);
        painter.setPen(QPen(palette().highlight().color(), 1, Qt::DashLine));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(m_band);
    }
}

void HeatmapWidget::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    m_pressed = true;
    m_pressAt = event->position().toPoint();
    m_band = {};
}

void HeatmapWidget::mouseMoveEvent(QMouseEvent* event)
{
    const QPoint at = event->position().toPoint();
    if (m_pressed && (at - m_pressAt).manhattanLength() >= 4) {
        m_band = QRect(m_pressAt, at).normalized();
        update();
    }
    CellWidget::mouseMoveEvent(event); // hover
}

void HeatmapWidget::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || !m_pressed)
        return QWidget::mouseReleaseEvent(event);
    m_pressed = false;
    const QRect plot = plotRect();
    if (!m_band.isNull()) {
        const QList<int> cells = m_scene.cellsIn(m_band, plot);
        m_band = {};
        choose(cells);
        return;
    }
    const int cell = m_scene.cellAt(event->position().toPoint(), plot);
    if (cell < 0)
        return;
    QList<int> cells;
    if (event->modifiers() & Qt::ShiftModifier) {
        cells = m_scene.selection();
        if (!cells.removeOne(cell))
            cells << cell;
    } else {
        cells = {cell};
    }
    choose(cells);
}

void HeatmapWidget::choose(const QList<int>& cells)
{
    m_scene.setSelection(cells);
    update();
    if (!cells.isEmpty())
        Q_EMIT cellsChosen(cells);
}

} // namespace sigscope::ui
