#include "ui/charts/histogramchart.h"

#include "ui/charts/axisticks.h"
#include "ui/charts/chartscene.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>

namespace sigscope::ui {

HistogramChart::HistogramChart(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setMinimumSize(260, 160);
}

void HistogramChart::setHistogram(const QString& title, const QString& axisTitle, core::Histogram histogram,
                                  int decimals, const QString& unit)
{
    m_title = title;
    m_axisTitle = axisTitle;
    m_histogram = std::move(histogram);
    m_decimals = decimals;
    m_unit = unit;
    m_hover = -1;
    update();
}

QRectF HistogramChart::plotRect() const
{
    const QFontMetricsF fm(font());
    return QRectF(QPointF(fm.horizontalAdvance(QStringLiteral("00000")) + 14, fm.height() * 2 + 8),
                  QPointF(width() - 14, height() - fm.height() * 2 - 14));
}

int HistogramChart::binAt(QPointF pos) const
{
    const QRectF plot = plotRect();
    const auto bins = static_cast<int>(m_histogram.counts.size());
    if (bins == 0 || !plot.contains(pos))
        return -1;
    return std::clamp(static_cast<int>((pos.x() - plot.left()) / (plot.width() / bins)), 0, bins - 1);
}

QString HistogramChart::edgeText(double value) const
{
    return QString::number(value, 'f', m_decimals) + m_unit;
}

QString HistogramChart::binText(int bin) const
{
    if (bin < 0 || bin >= static_cast<int>(m_histogram.counts.size()))
        return {};
    const auto i = static_cast<std::size_t>(bin);
    const bool last = i + 1 == m_histogram.counts.size();
    const auto count = m_histogram.counts[i];
    const QString what = count == 1 ? tr("1 trade") : tr("%1 trades").arg(count);
    return tr("%1 in [%2, %3%4")
        .arg(what, edgeText(m_histogram.edges[i]), edgeText(m_histogram.edges[i + 1]),
             last ? QStringLiteral("]") : QStringLiteral(")"));
}

void HistogramChart::setHoveredBin(int bin)
{
    if (bin == m_hover)
        return;
    m_hover = bin;
    setToolTip(binText(bin));
    update();
}

void HistogramChart::mouseMoveEvent(QMouseEvent* event)
{
    setHoveredBin(binAt(event->position()));
    if (m_hover >= 0)
        QToolTip::showText(event->globalPosition().toPoint(), binText(m_hover), this);
}

void HistogramChart::leaveEvent(QEvent* /*event*/)
{
    setHoveredBin(-1);
}

void HistogramChart::paintEvent(QPaintEvent* /*event*/)
{
    QPainter painter(this);
    const QPalette& pal = palette();
    painter.fillRect(rect(), pal.color(QPalette::Base));
    const QFontMetricsF fm(font());
    const QRectF plot = plotRect();
    painter.setPen(pal.color(QPalette::Text));
    painter.drawText(QRectF(8, 4, width() - 16, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                     m_hover >= 0 ? m_title + QStringLiteral("   ") + binText(m_hover) : m_title);
    const auto& counts = m_histogram.counts;
    if (counts.empty() || plot.width() <= 0 || plot.height() <= 0) {
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(plot, Qt::AlignCenter, tr("no trades"));
        return;
    }
    const double top = static_cast<double>(*std::max_element(counts.begin(), counts.end()));
    const auto y = [&](double count) { return plot.bottom() - count / std::max(1.0, top) * plot.height(); };
    // The count axis: whole numbers only.
    for (const auto& tick : numberTicks(0, std::max(1.0, top), 5)) {
        if (tick.value != std::floor(tick.value))
            continue;
        painter.setPen(QPen(pal.color(QPalette::Midlight), 1, Qt::DashLine));
        painter.drawLine(QPointF(plot.left(), y(tick.value)), QPointF(plot.right(), y(tick.value)));
        painter.setPen(pal.color(QPalette::Text));
        painter.drawText(QRectF(0, y(tick.value) - fm.height() / 2, plot.left() - 6, fm.height()),
                         Qt::AlignRight | Qt::AlignVCenter, QString::number(static_cast<qint64>(tick.value)));
    }
    const double w = plot.width() / static_cast<double>(counts.size());
    const QColor bar = ChartScene::traceColor(0);
    for (std::size_t i = 0; i < counts.size(); ++i) {
        const QRectF r(plot.left() + w * static_cast<double>(i), y(static_cast<double>(counts[i])), w,
                       plot.bottom() - y(static_cast<double>(counts[i])));
        painter.fillRect(r.adjusted(w > 4 ? 1 : 0, 0, 0, 0),
                         static_cast<int>(i) == m_hover ? bar.darker(140) : bar);
    }
    painter.setPen(pal.color(QPalette::Text));
    painter.drawLine(plot.bottomLeft(), plot.bottomRight());
    // The x axis: the outer edges and up to four between them, at bin edges.
    const std::size_t bins = counts.size();
    const std::size_t step = std::max<std::size_t>(1, (bins + 4) / 5);
    for (std::size_t e = 0; e <= bins; e += step) {
        const double x = plot.left() + w * static_cast<double>(e);
        const QString text = edgeText(m_histogram.edges[e]);
        const double tw = fm.horizontalAdvance(text);
        painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4));
        painter.drawText(QRectF(std::clamp(x - tw / 2, 0.0, width() - tw), plot.bottom() + 5, tw, fm.height()),
                         Qt::AlignCenter, text);
    }
    painter.drawText(QRectF(plot.left(), height() - fm.height() - 6, plot.width(), fm.height()), Qt::AlignCenter,
                     m_axisTitle);
}

} // namespace sigscope::ui
