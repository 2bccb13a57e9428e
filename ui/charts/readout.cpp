#include "ui/charts/readout.h"

#include "core/analysis/positionchanges.h"
#include "core/analysis/steps.h"
#include "ui/charts/axisticks.h"
#include "ui/charts/barclock.h"
#include "ui/charts/chartscene.h"
#include "ui/charts/tracenames.h"

#include <QDateTime>
#include <QFontMetricsF>
#include <QPainter>
#include <algorithm>
#include <array>
#include <cmath>

namespace sigscope::ui {

using namespace style;

namespace {

const core::PriceSeries* priceOf(const ReadoutSource& source, const core::Trace& t)
{
    if (source.lanes.size() < 2)
        return source.lanes.empty() ? nullptr : source.lanes.front();
    const std::string symbol = t.identity.symbol.value_or(std::string());
    const auto it = std::find_if(source.lanes.begin(), source.lanes.end(),
                                 [&](const core::PriceSeries* p) { return p && p->symbol == symbol; });
    return it == source.lanes.end() ? nullptr : *it;
}

ReadoutRow readoutRow(const ReadoutSource& source, const core::Trace& t, const QString& label, bool isSignal,
                      qint64 bar)
{
    ReadoutRow row;
    row.trace = label;
    row.value = QStringLiteral("–");
    const bool inside = bar >= 0 && bar < t.effectiveTotalBars();
    const auto idx = inside ? core::steps::changeIndexAt(t, bar) : std::nullopt;
    if (idx) {
        row.known = true;
        row.rawValue = t.value(*idx);
        row.value = isSignal ? valueName(t.value(*idx)) : QString::fromStdString(std::string(t.regimeName(*idx)));
        row.changeBar = t.bar(*idx);
        row.barsSince = bar - row.changeBar;
        row.changePrice = core::changePrice(t, *idx, priceOf(source, t), source.priceOffset);
    } else if (inside && isSignal) {
        row.known = true; // flat before the first change (storage-format.md §9)
        row.value = valueName(0);
    }
    return row;
}

QString readoutHeader(const ChartScene& scene, const BarClock* clock, qint64 bar)
{
    QString header = QStringLiteral("bar %1").arg(bar);
    if (clock) {
        const auto when = QDateTime::fromMSecsSinceEpoch(
            static_cast<qint64>(std::llround(clock->timeAt(static_cast<double>(bar)) * 1000)), scene.timeZone());
        header += QStringLiteral("   ") + preciseTimeText(when);
    }
    // One close per price lane: "close 412.10", or "close SPY 412.10  QQQ 301.22" with several.
    const auto& lanes = scene.prices();
    QStringList closes;
    for (const auto& lane : lanes) {
        if (!lane.series)
            continue;
        if (const auto close = lane.series->closeAt(bar - scene.priceIndexOffset())) {
            const QString value = QString::number(*close, 'f', 2);
            closes << (lanes.size() < 2 || lane.series->symbol.empty()
                           ? value
                           : QString::fromStdString(lane.series->symbol) + QLatin1Char(' ') + value);
        }
    }
    if (!closes.isEmpty())
        header += QStringLiteral("   close ") + closes.join(QStringLiteral("  "));
    return header;
}

// The readout box beside the cursor at x: a header, then trace | value | since | price.
void paintReadoutBox(const ChartPaint& paint, const ChartScene& scene, const QString& header,
                     const std::vector<ReadoutRow>& rows, double x)
{
    QPainter* painter = paint.painter;
    const ChartLayout& l = paint.layout;
    const QRectF& plot = l.plot;
    const QFont& font = paint.metrics.font;
    const QFont& small = paint.metrics.small;
    const double s = paint.scale;
    const QFontMetricsF fm(font, painter->device());
    const QFontMetricsF fmSmall(small, painter->device());
    std::vector<std::array<QString, 4>> cells;
    for (const auto& r : rows) {
        std::array<QString, 4> c;
        c[0] = fmSmall.elidedText(r.trace, Qt::ElideMiddle, 220 * s);
        c[1] = r.value;
        c[2] = r.changeBar >= 0 ? barsText(r.barsSince) : QString();
        c[3] = r.changePrice ? QStringLiteral("@ %1").arg(*r.changePrice, 0, 'f', 2) : QString();
        cells.push_back(c);
    }
    std::array<double, 4> widths{};
    for (const auto& c : cells) {
        for (std::size_t k = 0; k < 4; ++k)
            widths[k] = std::max(widths[k], fmSmall.horizontalAdvance(c[k]));
    }
    const double gap = 10 * s;
    const double rowH = fmSmall.height() + 1 * s;
    const double w =
        std::max(fm.horizontalAdvance(header), widths[0] + widths[1] + widths[2] + widths[3] + 3 * gap) + 16 * s;
    const double h = fm.height() + rowH * static_cast<double>(cells.size()) + 12 * s;
    // Beside the cursor, below the first lane's title, on whichever side has room.
    const double boxTop = (l.lanes.empty() ? plot.top() : l.lanes.front().top()) + fm.height() + 6 * s;
    const bool fitsRight = x + 12 * s + w <= plot.right();
    QRectF box(fitsRight ? x + 12 * s : std::max(plot.left() + 2 * s, x - 12 * s - w), boxTop, w, h);
    painter->setPen(QPen(kFrame, 1));
    painter->setBrush(style::plate(235));
    painter->drawRect(box);
    painter->setFont(font);
    painter->setPen(kText);
    double y = box.top() + 5 * s;
    painter->drawText(QRectF(box.left() + 8 * s, y, w, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, header);
    y += fm.height() + 2 * s;
    painter->setFont(small);
    const std::size_t signalRows = scene.signalTraces().size();
    for (std::size_t i = 0; i < cells.size(); ++i) {
        double cx = box.left() + 8 * s;
        for (std::size_t k = 0; k < 4; ++k) {
            QColor color = k == 0 ? kMutedText : kText;
            if (k == 1 && i < signalRows && rows[i].known)
                color = rows[i].rawValue > 0 ? kLong : rows[i].rawValue < 0 ? kShort : kMutedText;
            if (k == 0 && i < signalRows)
                painter->fillRect(QRectF(cx - 5 * s, y + rowH / 2 - 1, 3 * s, 3 * s),
                                  ChartScene::traceColor(static_cast<int>(i)));
            painter->setPen(color);
            painter->drawText(QRectF(cx, y, widths[k] + 1, rowH),
                              (k >= 2 ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter, cells[i][k]);
            cx += widths[k] + gap;
        }
        y += rowH;
    }
}

} // namespace

std::vector<ReadoutRow> readoutRows(const ReadoutSource& source, qint64 bar)
{
    std::vector<ReadoutRow> rows;
    for (std::size_t i = 0; i < source.signalTraces.size(); ++i)
        rows.push_back(
            readoutRow(source, *source.signalTraces[i], source.signalLabels[static_cast<qsizetype>(i)], true, bar));
    for (std::size_t i = 0; i < source.classifierTraces.size(); ++i)
        rows.push_back(readoutRow(source, *source.classifierTraces[i],
                                  source.classifierLabels[static_cast<qsizetype>(i)], false, bar));
    return rows;
}

void paintCursor(const ChartPaint& paint, const ChartScene& scene, const BarClock* clock, const RenderOptions& options)
{
    QPainter* painter = paint.painter;
    const QRectF& plot = paint.layout.plot;
    const qint64 bar = *scene.cursorBar();
    const double x = std::floor(scene.xForBar(static_cast<double>(bar) + 0.5, plot));
    if (x < plot.left() || x > plot.right())
        return;
    QColor line = style::kText; // dark on light, light on dark
    line.setAlpha(170);
    painter->setPen(QPen(line, 1, Qt::DashLine));
    painter->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    if (!options.readout)
        return;
    paintReadoutBox(paint, scene, readoutHeader(scene, clock, bar), scene.readout(bar), x);
}

} // namespace sigscope::ui
