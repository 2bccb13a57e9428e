#include "ui/charts/agreementview.h"

#include "ui/charts/chartstyle.h"
#include "ui/charts/heatscale.h"

#include <QFontMetricsF>
#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace sigscope::ui {

namespace {

QString percentText(double share)
{
    return QString::number(100.0 * share, 'f', 1) + QLatin1Char('%');
}

} // namespace

void AgreementMatrixScene::setMatrix(std::shared_ptr<const core::stats::AgreementMatrix> matrix, QStringList labels)
{
    m_matrix = std::move(matrix);
    m_labels = std::move(labels);
    m_hover = -1;
}

AgreementMatrixScene::Layout AgreementMatrixScene::layout(const QPaintDevice* device, const QRectF& target,
                                                          const RenderOptions& options) const
{
    const style::Metrics m = style::metricsFor(device, options);
    const double s = m.scale;
    const double pad = 8 * s;
    const QFontMetricsF fm(m.font, device);
    Layout l;
    l.title = QRectF(target.left(), target.top(), target.width(),
                     QFontMetricsF(style::titleFont(m), device).height() + 6 * s);
    double labelWidth = 0;
    for (const QString& label : m_labels)
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(label));
    const double rowLabelWidth = std::min(labelWidth, target.width() * 0.3);
    const double columnLabelHeight = std::min(labelWidth, target.height() * 0.3);
    const double barLabelWidth = fm.horizontalAdvance(QStringLiteral("100 %"));
    const double left = target.left() + pad + rowLabelWidth + 4 * s;
    const double top = l.title.bottom() + 4 * s + columnLabelHeight + 4 * s;
    const double width = target.right() - pad - barLabelWidth - 4 * s - 16 * s - 12 * s - left;
    const double height = target.bottom() - pad - top;
    const int side = std::max(1, int(std::floor(std::min(width, height))));
    l.plot = QRect(qRound(left), qRound(top), side, side);
    l.rowLabels = QRectF(target.left() + pad, l.plot.top(), rowLabelWidth, l.plot.height());
    l.columnLabels = QRectF(l.plot.left(), l.title.bottom() + 4 * s, l.plot.width(), columnLabelHeight);
    l.colourBar = QRect(l.plot.right() + 1 + qRound(12 * s), l.plot.top(), qRound(16 * s), l.plot.height());
    l.barLabels = QRectF(l.colourBar.right() + 1 + 4 * s, l.plot.top() - fm.height() / 2, barLabelWidth,
                         l.plot.height() + fm.height());
    return l;
}

int AgreementMatrixScene::cellAt(const QPoint& point, const QRect& plot) const
{
    const int n = size();
    const int column = cellPartAt(plot.left(), plot.width(), n, point.x());
    const int row = cellPartAt(plot.top(), plot.height(), n, point.y());
    return column < 0 || row < 0 ? -1 : row * n + column;
}

QRect AgreementMatrixScene::cellRect(int cell, const QRect& plot) const
{
    const int n = size();
    if (cell < 0 || cell >= n * n)
        return {};
    const int row = cell / n;
    const int column = cell % n;
    const int x0 = cellEdge(plot.left(), plot.width(), column, n);
    const int y0 = cellEdge(plot.top(), plot.height(), row, n);
    return {x0, y0, cellEdge(plot.left(), plot.width(), column + 1, n) - x0,
            cellEdge(plot.top(), plot.height(), row + 1, n) - y0};
}

std::pair<std::size_t, std::size_t> AgreementMatrixScene::tracesOf(int cell) const
{
    const auto n = std::size_t(size());
    return {m_matrix->order[std::size_t(cell) / n], m_matrix->order[std::size_t(cell) % n]};
}

QColor AgreementMatrixScene::shareColour(double share)
{
    return heatmapColour(share);
}

QString AgreementMatrixScene::cellText(int cell) const
{
    if (cell < 0 || cell >= size() * size())
        return {};
    const auto [a, b] = tracesOf(cell);
    return QObject::tr("%1 vs %2: %3 of bars agree")
        .arg(m_labels.value(qsizetype(a)), m_labels.value(qsizetype(b)), percentText(m_matrix->at(a, b)));
}

void AgreementMatrixScene::paintLabels(QPainter* painter, const Layout& l, const QFont& font) const
{
    const QFontMetricsF fm(font, painter->device());
    painter->setFont(font);
    painter->setPen(style::kText);
    const int n = size();
    const double cell = double(l.plot.height()) / n;
    const int step = std::max(1, int(std::ceil(fm.height() / cell))); // every label that fits
    for (int i = 0; i < n; i += step) {
        const QString text = m_labels.value(qsizetype(m_matrix->order[std::size_t(i)]));
        const QRect row = cellRect(i * n, l.plot);
        painter->drawText(QRectF(l.rowLabels.left(), row.center().y() - fm.height() / 2, l.rowLabels.width(), fm.height()),
                          Qt::AlignRight | Qt::AlignVCenter, fm.elidedText(text, Qt::ElideMiddle, l.rowLabels.width()));
        const QRect column = cellRect(i, l.plot);
        painter->save();
        painter->translate(column.center().x() + 0.5, l.columnLabels.bottom());
        painter->rotate(-90);
        painter->drawText(QRectF(0, -fm.height() / 2, l.columnLabels.height(), fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                          fm.elidedText(text, Qt::ElideMiddle, l.columnLabels.height()));
        painter->restore();
    }
}

void AgreementMatrixScene::render(QPainter* painter, const QRectF& target, const RenderOptions& options) const
{
    const style::PaletteScope palette(options.dark);
    const style::Metrics m = style::metricsFor(painter->device(), options);
    painter->save();
    painter->fillRect(target, style::kBackground);
    const Layout l = layout(painter->device(), target, options);
    painter->setFont(style::titleFont(m));
    painter->setPen(style::kText);
    const int n = size();
    painter->drawText(l.title, Qt::AlignCenter,
                      options.title.isEmpty()
                          ? QObject::tr("Share of bars in the same position, %n signal(s) in clustered order", nullptr, n)
                          : options.title);
    if (n == 0) {
        painter->setFont(m.font);
        painter->setPen(style::kMutedText);
        painter->drawText(target, Qt::AlignCenter, QObject::tr("No matrix to show"));
        painter->restore();
        return;
    }
    const bool gaps = l.plot.width() / n >= 10;
    for (int c = 0; c < n * n; ++c) {
        const auto [a, b] = tracesOf(c);
        painter->fillRect(cellRect(c, l.plot).adjusted(0, 0, gaps ? -1 : 0, gaps ? -1 : 0),
                          shareColour(m_matrix->at(a, b)));
    }
    if (m_hover >= 0) {
        painter->setBrush(Qt::NoBrush);
        painter->setPen(QPen(style::kText, 1));
        painter->drawRect(cellRect(m_hover, l.plot).adjusted(0, 0, -1, -1));
    }
    paintLabels(painter, l, m.font);
    ColourScale scale;
    scale.min = 0;
    scale.max = 100;
    scale.text = [](double v) -> QString { return QString::number(v, 'f', 0) + QStringLiteral(" %"); };
    scale.tickSuffix = QStringLiteral(" %");
    paintColourBar(painter, l.colourBar, l.barLabels, scale, m);
    painter->restore();
}

AgreementMatrixWidget::AgreementMatrixWidget(QWidget* parent)
    : SceneCellWidget<AgreementMatrixScene>(parent)
{
    setMinimumSize(240, 200);
}

void AgreementMatrixWidget::setMatrix(std::shared_ptr<const core::stats::AgreementMatrix> matrix, const QStringList& labels)
{
    m_scene.setMatrix(std::move(matrix), labels);
    clearHover();
}

void AgreementMatrixWidget::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mouseReleaseEvent(event);
    const int cell = m_scene.cellAt(event->position().toPoint(), plotRect());
    if (cell < 0)
        return;
    const auto [a, b] = m_scene.tracesOf(cell);
    Q_EMIT cellChosen(int(a), int(b));
}

} // namespace sigscope::ui
