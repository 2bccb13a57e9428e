#include "ui/charts/tracechart.h"

#include "core/analysis/consensus.h"
#include "ui/jobs/jobrunner.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace sigscope::ui {

namespace {

constexpr double kWheelZoomPerNotch = 0.8; // span factor per 120 units of wheel angle
constexpr double kDragThreshold = 4;       // pixels before a press becomes a drag

} // namespace

TraceChart::TraceChart(QWidget* parent)
    : QWidget(parent)
    , m_navigator([this]() { return m_scene.viewRange(); }, [this](BarRange range) { applyView(range); })
{
    setMouseTracking(true);
    setFocusPolicy(Qt::WheelFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    connect(&m_navigator, &ViewNavigator::historyChanged, this, &TraceChart::historyChanged);
    m_consensusJob = new JobRunner(tr("Consensus"), this);
}

TraceChart::~TraceChart() = default;

void TraceChart::setTraces(std::vector<std::shared_ptr<const core::Trace>> signalTraces,
                           std::vector<std::shared_ptr<const core::Trace>> classifierTraces)
{
    const BarRange before = m_scene.viewRange();
    const BarRange fullBefore = m_scene.fullRange();
    m_scene.setTraces(std::move(signalTraces), std::move(classifierTraces));
    refreshConsensus();
    resetHistoryIfRangeChanged(fullBefore);
    if (m_scene.cursorBar() && *m_scene.cursorBar() >= static_cast<qint64>(m_scene.fullRange().last))
        m_scene.setCursorBar(std::nullopt);
    update();
    updateGeometry(); // the lanes' least height changed
    if (!(before == m_scene.viewRange()))
        Q_EMIT viewChanged(m_scene.viewRange().first, m_scene.viewRange().last);
    Q_EMIT lanesChanged();
}

void TraceChart::setLabels(QStringList signalLabels, QStringList classifierLabels)
{
    m_scene.setLabels(std::move(signalLabels), std::move(classifierLabels));
    update();
    updateGeometry(); // the lanes' least height changed
    Q_EMIT lanesChanged();
}

void TraceChart::setSelectedBars(std::optional<BarSpan> bars)
{
    if (bars && bars->second <= bars->first)
        bars.reset();
    if (bars == m_selectedBars)
        return;
    m_selectedBars = bars;
    update();
    Q_EMIT selectedBarsChanged();
}

TraceChart::BarSpan TraceChart::barsBetween(double x1, double x2) const
{
    const QRectF plot = plotRect();
    const double a = std::clamp(std::min(x1, x2), plot.left(), plot.right());
    const double b = std::clamp(std::max(x1, x2), plot.left(), plot.right());
    const auto end = static_cast<qint64>(std::ceil(m_scene.fullRange().last));
    const qint64 from = std::clamp(static_cast<qint64>(std::floor(barForX(a))), qint64(0), end);
    const qint64 to = std::clamp(static_cast<qint64>(std::floor(barForX(b))) + 1, from, end);
    return {from, to};
}

void TraceChart::paintSelectedBars(QPainter& painter) const
{
    std::optional<BarSpan> bars = m_selectedBars;
    if (m_drag == Drag::SelectBars)
        bars = barsBetween(m_pressPos.x(), m_lastPos.x());
    if (!bars || bars->second <= bars->first)
        return;
    const QRectF plot = plotRect();
    const double a = std::clamp(xForBar(double(bars->first)), plot.left(), plot.right());
    const double b = std::clamp(xForBar(double(bars->second)), plot.left(), plot.right());
    if (b <= a)
        return;
    const QColor edge = m_dark ? QColor(0xf0, 0xc0, 0x40) : QColor(0xc0, 0x80, 0x00);
    QColor fill = edge;
    fill.setAlpha(m_dark ? 48 : 40);
    const QRectF band(QPointF(a, plot.top()), QPointF(b, plot.bottom()));
    painter.fillRect(band, fill);
    painter.setPen(QPen(edge, 1));
    painter.drawLine(band.topLeft(), band.bottomLeft());
    painter.drawLine(band.topRight(), band.bottomRight());
    const QString text = tr("bars %1\u2013%2").arg(bars->first).arg(bars->second - 1);
    // At the foot of the band: the lane titles sit at the top.
    const double height = painter.fontMetrics().height();
    const QRectF label(band.left() + 3, plot.bottom() - height - 2, std::max(band.width() - 6, 0.0), height);
    painter.drawText(label, Qt::AlignLeft | Qt::AlignBottom | Qt::TextSingleLine, text);
}

void TraceChart::setAxisMode(AxisMode mode)
{
    m_scene.setAxisMode(mode);
    update();
}

void TraceChart::setOverlay(bool overlay)
{
    m_scene.setOverlay(overlay);
    update();
    updateGeometry(); // the lanes' least height changed
}

void TraceChart::setConsensusLane(bool on)
{
    m_scene.setConsensusLane(on);
    refreshConsensus();
    update();
    updateGeometry(); // the lanes' least height changed
}

void TraceChart::refreshConsensus()
{
    if (!m_scene.consensusShown() || m_scene.consensusData()) {
        if (m_consensusJob->isBusy())
            m_consensusJob->cancel();
        return;
    }
    // One sorted sweep over every change of the charted signals: seconds for tens of traces of
    // 100,000 changes, so never on the GUI thread. The traces are immutable and shared.
    m_consensusJob->run(
        tr("Consensus of %n signal(s)", nullptr, static_cast<int>(m_scene.signalTraces().size())),
        [traces = m_scene.signalTraces()](const core::ProgressCallback&) {
            std::vector<const core::Trace*> pointers;
            pointers.reserve(traces.size());
            for (const auto& t : traces)
                pointers.push_back(t.get());
            return core::consensus::compute(pointers);
        },
        this, [this](const std::shared_ptr<const core::consensus::Consensus>& consensus) {
            m_scene.setConsensus(consensus);
            update();
        });
}

void TraceChart::setEquityLane(bool on)
{
    m_scene.setEquityLane(on);
    update();
    updateGeometry(); // the lanes' least height changed
}

void TraceChart::setEquityCurves(std::shared_ptr<const EquityCurves> curves)
{
    m_scene.setEquityCurves(std::move(curves));
    update();
}

void TraceChart::setPrice(std::shared_ptr<const PriceSeries> price)
{
    setPrices(price ? std::vector<PriceLaneData>{{std::move(price), QString()}} : std::vector<PriceLaneData>{});
}

void TraceChart::setPrices(std::vector<PriceLaneData> prices)
{
    const BarRange fullBefore = m_scene.fullRange();
    m_scene.setPrices(std::move(prices));
    applyView(m_scene.viewRange()); // the price may widen the full range when there are no traces
    resetHistoryIfRangeChanged(fullBefore);
    update();
    updateGeometry(); // the lanes' least height changed
}

void TraceChart::setPriceIndexOffset(int offset)
{
    m_scene.setPriceIndexOffset(offset);
    update();
}

void TraceChart::setTimeZone(const QTimeZone& zone)
{
    m_scene.setTimeZone(zone);
    update();
}

void TraceChart::centerOnBar(qint64 bar)
{
    const BarRange view = m_scene.viewRange();
    const double centre = static_cast<double>(bar) + 0.5;
    applyView({centre - view.span() / 2, centre + view.span() / 2});
    m_navigator.commit();
    moveCursorTo(bar, false);
}

void TraceChart::resetZoom()
{
    m_navigator.step(m_scene.fullRange());
}

void TraceChart::setVisibleRange(BarRange range)
{
    m_navigator.step(range);
}

void TraceChart::followView(BarRange range)
{
    m_navigator.follow(range);
}

void TraceChart::showCursorAt(std::optional<qint64> bar)
{
    if (m_scene.cursorBar() == bar)
        return;
    m_scene.setCursorBar(bar);
    update();
}

void TraceChart::goBack()
{
    m_navigator.goBack();
}

void TraceChart::goForward()
{
    m_navigator.goForward();
}

bool TraceChart::canGoBack() const
{
    return m_navigator.canGoBack();
}

bool TraceChart::canGoForward() const
{
    return m_navigator.canGoForward();
}

void TraceChart::resetHistoryIfRangeChanged(BarRange fullBefore)
{
    if (!(fullBefore == m_scene.fullRange()))
        m_navigator.reset();
}

AxisMode TraceChart::axisMode() const
{
    return m_scene.axisMode();
}

bool TraceChart::overlay() const
{
    return m_scene.overlay();
}

BarRange TraceChart::visibleRange() const
{
    return m_scene.viewRange();
}

std::optional<qint64> TraceChart::cursorBar() const
{
    return m_scene.cursorBar();
}

std::vector<ReadoutRow> TraceChart::readoutRows() const
{
    const auto bar = m_scene.cursorBar();
    return bar ? m_scene.readout(*bar) : std::vector<ReadoutRow>{};
}

int TraceChart::laneCount() const
{
    return m_scene.laneCount();
}

int TraceChart::bandCount() const
{
    return m_scene.bandCount();
}

QStringList TraceChart::legendRegimes() const
{
    return m_scene.legendRegimes();
}

RenderOptions TraceChart::widgetRenderOptions() const
{
    RenderOptions options;
    options.legend = true;
    options.cursor = true;
    options.readout = m_readoutShown;
    options.dark = m_dark;
    return options;
}

void TraceChart::setDark(bool dark)
{
    m_dark = dark;
    update();
}

QRectF TraceChart::plotRect() const
{
    return m_scene.layoutFor(QRectF(rect()), widgetRenderOptions(), this).plot;
}

double TraceChart::xForBar(double bar) const
{
    return m_scene.xForBar(bar, plotRect());
}

double TraceChart::barForX(double x) const
{
    return m_scene.barForX(x, plotRect());
}

QSize TraceChart::sizeHint() const
{
    return {900, 520};
}

QSize TraceChart::minimumSizeHint() const
{
    // Tall enough for every lane at its least height (ChartScene::minimumHeight): the chart
    // panel's scroll area scrolls when the window is shorter.
    const QRectF target(0, 0, std::max(width(), 320), std::max(height(), 200));
    const double lanes = m_scene.minimumHeight(target, widgetRenderOptions(), this);
    return {320, std::max(200, static_cast<int>(std::ceil(lanes)))};
}

void TraceChart::applyView(BarRange range)
{
    const BarRange before = m_scene.viewRange();
    m_scene.setViewRange(range);
    if (!(before == m_scene.viewRange())) {
        update();
        Q_EMIT viewChanged(m_scene.viewRange().first, m_scene.viewRange().last);
    }
}

void TraceChart::moveCursorTo(qint64 bar, bool keepVisible)
{
    if (keepVisible) {
        const BarRange view = m_scene.viewRange();
        if (static_cast<double>(bar) < view.first || static_cast<double>(bar) + 1 > view.last) {
            const double centre = static_cast<double>(bar) + 0.5;
            applyView({centre - view.span() / 2, centre + view.span() / 2});
        }
    }
    if (m_scene.cursorBar() == bar && m_readoutShown)
        return;
    m_readoutShown = true;
    if (m_scene.cursorBar() == bar) {
        update();
        return;
    }
    m_scene.setCursorBar(bar);
    update();
    Q_EMIT cursorMoved(bar);
}

void TraceChart::zoomAround(double x, double factor)
{
    // Zoom in axis coordinates so that the point under the pointer stays where it is.
    const QRectF plot = plotRect();
    applyView(zoomedView(m_scene.viewRange(), m_scene.fullRange(), (x - plot.left()) / plot.width(), factor,
                         axisMap()));
}

AxisMap TraceChart::axisMap() const
{
    return {[this](double bar) { return m_scene.axisCoordinate(bar); },
            [this](double u) { return m_scene.barOfAxisCoordinate(u); }};
}

void TraceChart::paintEvent(QPaintEvent* event)
{
    Q_UNUSED(event);
    QPainter painter(this);
    m_scene.render(&painter, QRectF(rect()), widgetRenderOptions());
    paintSelectedBars(painter);
    if (m_drag == Drag::RubberBand) {
        const QRectF plot = plotRect();
        const double a = std::clamp(m_pressPos.x(), plot.left(), plot.right());
        const double b = std::clamp(m_lastPos.x(), plot.left(), plot.right());
        const QRectF band(QPointF(std::min(a, b), plot.top()), QPointF(std::max(a, b), plot.bottom()));
        painter.fillRect(band, QColor(0x1f, 0x5f, 0xa8, 40));
        painter.setPen(QPen(QColor(0x1f, 0x5f, 0xa8, 160), 1));
        painter.drawRect(band);
    }
    if (hasFocus()) {
        // Keyboard focus: a frame in the highlight colour around the whole chart.
        painter.setPen(QPen(palette().color(QPalette::Highlight), 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(QRectF(rect()).adjusted(1, 1, -1, -1));
    }
}

void TraceChart::wheelEvent(QWheelEvent* event)
{
    const int delta = event->angleDelta().y();
    // Shift+wheel scrolls the lanes (the chart panel's scroll area gets the event), as in the overview.
    if (delta == 0 || (event->modifiers() & Qt::ShiftModifier)) {
        event->ignore();
        return;
    }
    zoomAround(event->position().x(), std::pow(kWheelZoomPerNotch, delta / 120.0));
    m_navigator.burstMoved(); // the burst is committed when the wheel rests
    event->accept();
}

void TraceChart::mousePressEvent(QMouseEvent* event)
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
    if (event->modifiers() & Qt::ControlModifier)
        m_drag = Drag::SelectBars;
    else
        m_drag = (event->modifiers() & Qt::ShiftModifier) ? Drag::RubberBand : Drag::Pan;
    event->accept();
}

void TraceChart::mouseMoveEvent(QMouseEvent* event)
{
    const QPointF pos = event->position();
    m_lastPos = pos;
    const QRectF plot = plotRect();
    if (m_drag == Drag::Pan && (event->buttons() & Qt::LeftButton)) {
        // Pan in axis coordinates from the view at the press: no drift over a long drag.
        applyView(pannedView(m_pressView, (pos.x() - m_pressPos.x()) / plot.width(), axisMap()));
    } else if (m_drag == Drag::RubberBand || m_drag == Drag::SelectBars) {
        update();
    } else if (plot.contains(pos)) {
        moveCursorTo(static_cast<qint64>(std::floor(barForX(pos.x()))), false);
    }
    event->accept();
}

void TraceChart::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || m_drag == Drag::None) {
        QWidget::mouseReleaseEvent(event);
        return;
    }
    const Drag drag = m_drag;
    m_drag = Drag::None;
    const QPointF pos = event->position();
    const bool moved = std::abs(pos.x() - m_pressPos.x()) >= kDragThreshold;
    if (drag == Drag::RubberBand && moved) {
        const QRectF plot = plotRect();
        const double a = std::clamp(std::min(pos.x(), m_pressPos.x()), plot.left(), plot.right());
        const double b = std::clamp(std::max(pos.x(), m_pressPos.x()), plot.left(), plot.right());
        applyView({barForX(a), barForX(b)});
    } else if (drag == Drag::SelectBars && moved) {
        setSelectedBars(barsBetween(m_pressPos.x(), pos.x()));
    } else if (!moved) {
        setSelectedBars(std::nullopt); // a plain click clears the selected bars
        if (plotRect().contains(pos))
            moveCursorTo(static_cast<qint64>(std::floor(barForX(pos.x()))), false);
    }
    m_navigator.commit(); // the whole drag is one history step
    update();
    event->accept();
}

void TraceChart::mouseDoubleClickEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton) {
        m_drag = Drag::None;
        resetZoom();
        event->accept();
        return;
    }
    QWidget::mouseDoubleClickEvent(event);
}

std::vector<TraceChart::KeyHelp> TraceChart::keyHelp()
{
    return {
        {tr("Right"), tr("Cursor to the next change")},
        {tr("Left"), tr("Cursor to the previous change")},
        {tr("+ or ="), tr("Zoom in")},
        {tr("-"), tr("Zoom out")},
        {tr("Home"), tr("Show all bars (reset zoom)")},
        {tr("Wheel"), tr("Zoom around the pointer")},
        {tr("Drag"), tr("Pan")},
        {tr("Shift+Drag"), tr("Zoom to the dragged range")},
        {tr("Ctrl+Drag"), tr("Select a bar range: the details panel's metrics are for it")},
        {tr("Esc or click"), tr("Clear the selected bar range")},
        {tr("Double-click"), tr("Show all bars (reset zoom)")},
        {tr("Mouse Back / Forward"), tr("Previous / next zoom and pan state")},
    };
}

void TraceChart::keyPressEvent(QKeyEvent* event)
{
    const BarRange view = m_scene.viewRange();
    const qint64 from = m_scene.cursorBar().value_or(static_cast<qint64>(std::floor((view.first + view.last) / 2)));
    switch (event->key()) {
    case Qt::Key_Home:
        resetZoom();
        break;
    case Qt::Key_Escape:
        if (!m_selectedBars) {
            QWidget::keyPressEvent(event);
            return;
        }
        setSelectedBars(std::nullopt);
        break;
    case Qt::Key_Right:
        if (const auto next = m_scene.nextChange(from))
            moveCursorTo(*next, true);
        break;
    case Qt::Key_Left:
        if (const auto previous = m_scene.previousChange(from))
            moveCursorTo(*previous, true);
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        m_navigator.commit();
        zoomAround(plotRect().center().x(), kWheelZoomPerNotch);
        m_navigator.commit();
        break;
    case Qt::Key_Minus:
        m_navigator.commit();
        zoomAround(plotRect().center().x(), 1 / kWheelZoomPerNotch);
        m_navigator.commit();
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

void TraceChart::leaveEvent(QEvent* event)
{
    if (m_readoutShown) {
        m_readoutShown = false;
        update();
    }
    QWidget::leaveEvent(event);
}

void TraceChart::focusInEvent(QFocusEvent* event)
{
    update(); // the focus frame
    QWidget::focusInEvent(event);
}

void TraceChart::focusOutEvent(QFocusEvent* event)
{
    update();
    QWidget::focusOutEvent(event);
}

} // namespace sigscope::ui
