#include "ui/charts/chartscene.h"

#include "core/analysis/consensus.h"
#include "core/analysis/degeneratebars.h"

#include "ui/charts/barclock.h"
#include "ui/charts/chartaxes.h"
#include "ui/charts/chartstyle.h"
#include "ui/charts/consensuslane.h"
#include "ui/charts/equitylane.h"
#include "ui/charts/lanepainter.h"
#include "ui/charts/pricelane.h"
#include "ui/charts/regimebands.h"
#include "ui/charts/regimepalette.h"
#include "ui/charts/tracenames.h"

#include <QPaintEngine>
#include <QPainter>
#include <algorithm>
#include <array>
#include <cmath>
#include <set>

namespace sigscope::ui {

using namespace style;

namespace {


// Lanes, regimes, then the consensus lane's mark when it marks something.
std::vector<LegendItem> legendItems(const QStringList& laneLabels, const RegimePalette& regimes,
                                    const core::consensus::Consensus* consensus)
{
    const auto regimeItems = regimes.legend();
    std::vector<LegendItem> items;
    items.reserve(static_cast<std::size_t>(laneLabels.size()) + regimeItems.size() + 1);
    for (int i = 0; i < laneLabels.size(); ++i)
        items.push_back({laneLabels[i], ChartScene::traceColor(i), true});
    items.insert(items.end(), regimeItems.begin(), regimeItems.end());
    if (consensus && !consensus->mostDisputed.empty())
        items.push_back(disputedLegendItem());
    return items;
}

} // namespace

struct ChartScene::Private
{
    std::vector<TracePtr> signalTraces;
    std::vector<TracePtr> classifierTraces;
    std::vector<SignalLane> lanes; // one per signal trace
    std::vector<RegimeBand> bands; // one per classifier trace
    QStringList signalLabels;
    QStringList classifierLabels;
    RegimePalette regimes; // every regime shown, each with its own colour
    QTimeZone zone = QTimeZone::utc();
    AxisMode axisMode = AxisMode::Bars;
    bool degenerate = false; // bars made from times (core::barsFromTimes)
    bool overlay = false;
    bool consensusLane = false;
    std::shared_ptr<const core::consensus::Consensus> consensus; // of signalTraces, once computed
    bool equityLane = false;
    std::shared_ptr<const EquityCurves> equity;
    std::shared_ptr<const PriceSeries> price; // the first of prices
    std::vector<PriceLaneData> prices;
    int priceOffset = 0;
    BarRange view;
    std::optional<qint64> cursor;
    mutable BarClock clock;
    mutable bool clockDirty = true;

    [[nodiscard]] const BarClock* timeClock() const
    {
        if (clockDirty) {
            clockDirty = false;
            clock = BarClock::build(price.get(), priceOffset, signalTraces, classifierTraces);
        }
        return clock.valid() ? &clock : nullptr;
    }

    [[nodiscard]] QStringList bandLabels() const { return labelsOrNames(classifierLabels, classifierTraces); }
};

ChartScene::ChartScene() : d(std::make_unique<Private>()) {}

ChartScene::~ChartScene() = default;

void ChartScene::setTraces(std::vector<TracePtr> signalTraces, std::vector<TracePtr> classifierTraces)
{
    std::erase(signalTraces, nullptr);
    std::erase(classifierTraces, nullptr);
    const BarRange oldFull = fullRange();
    std::vector<TracePtr> all = signalTraces;
    all.insert(all.end(), classifierTraces.begin(), classifierTraces.end());
    d->degenerate = core::degenerateBars(all);
    if (d->degenerate) {
        all = core::barsFromTimes(all);
        const auto split = all.begin() + static_cast<std::ptrdiff_t>(signalTraces.size());
        signalTraces.assign(all.begin(), split);
        classifierTraces.assign(split, all.end());
    }
    d->signalTraces = std::move(signalTraces);
    d->classifierTraces = std::move(classifierTraces);
    d->consensus.reset();
    d->equity.reset(); // curves of the old traces; the window computes the new ones
    d->lanes.clear();
    d->bands.clear();
    d->lanes.reserve(d->signalTraces.size());
    for (const auto& t : d->signalTraces) {
        SignalLane lane{t, core::StepReducer(*t), -1, 1};
        if (!t->empty()) {
            const auto [lo, hi] = std::minmax_element(t->values().begin(), t->values().end());
            lane.vmin = std::min(lane.vmin, *lo);
            lane.vmax = std::max(lane.vmax, *hi);
        }
        d->lanes.push_back(std::move(lane));
    }
    d->regimes = RegimePalette(d->classifierTraces);
    for (const auto& t : d->classifierTraces)
        d->bands.push_back(RegimeBand{t, core::StepReducer(*t), d->regimes.colorsOf(*t)});
    d->signalLabels.clear();
    d->classifierLabels.clear();
    d->clockDirty = true;

    const BarRange full = fullRange();
    if (d->view.span() <= 0 || !(oldFull == full) || d->view.first < full.first || d->view.last > full.last)
        d->view = full;
}

void ChartScene::setLabels(QStringList signalLabels, QStringList classifierLabels)
{
    d->signalLabels = std::move(signalLabels);
    d->classifierLabels = std::move(classifierLabels);
}

QStringList ChartScene::classifierLabels() const
{
    return d->classifierLabels;
}

QTimeZone ChartScene::timeZone() const
{
    return d->zone;
}

QStringList ChartScene::laneLabels() const
{
    return labelsOrNames(d->signalLabels, d->signalTraces);
}

const std::vector<ChartScene::TracePtr>& ChartScene::signalTraces() const
{
    return d->signalTraces;
}

const std::vector<ChartScene::TracePtr>& ChartScene::classifierTraces() const
{
    return d->classifierTraces;
}

AxisMode ChartScene::axisMode() const
{
    return d->degenerate ? AxisMode::Time : d->axisMode;
}

bool ChartScene::barsDegenerate() const
{
    return d->degenerate;
}

QString ChartScene::bannerText() const
{
    if (!d->degenerate)
        return {};
    return QStringLiteral("All changes were recorded on one bar (an upstream bug): charted on their times.");
}

bool ChartScene::overlay() const
{
    return d->overlay;
}

int ChartScene::priceIndexOffset() const
{
    return d->priceOffset;
}

const std::shared_ptr<const PriceSeries>& ChartScene::price() const
{
    return d->price;
}

void ChartScene::setAxisMode(AxisMode mode)
{
    d->axisMode = mode;
}

void ChartScene::setOverlay(bool overlay)
{
    d->overlay = overlay;
}

void ChartScene::setConsensusLane(bool on)
{
    d->consensusLane = on;
}

bool ChartScene::consensusLane() const
{
    return d->consensusLane;
}

bool ChartScene::consensusShown() const
{
    return d->consensusLane && d->signalTraces.size() >= 2;
}

void ChartScene::setConsensus(std::shared_ptr<const core::consensus::Consensus> consensus)
{
    d->consensus = std::move(consensus);
}

const std::shared_ptr<const core::consensus::Consensus>& ChartScene::consensusData() const
{
    return d->consensus;
}

const core::consensus::Consensus* ChartScene::consensus() const
{
    return consensusShown() ? d->consensus.get() : nullptr;
}

std::shared_ptr<const core::consensus::Consensus> ChartScene::computeConsensus(const std::vector<TracePtr>& signalTraces)
{
    std::vector<const core::Trace*> traces;
    traces.reserve(signalTraces.size());
    for (const auto& t : signalTraces)
        traces.push_back(t.get());
    return std::make_shared<const core::consensus::Consensus>(core::consensus::compute(traces));
}

void ChartScene::setEquityLane(bool on)
{
    d->equityLane = on;
}

bool ChartScene::equityLane() const
{
    return d->equityLane;
}

bool ChartScene::equityShown() const
{
    return d->equityLane && !d->signalTraces.empty();
}

void ChartScene::setEquityCurves(std::shared_ptr<const EquityCurves> curves)
{
    d->equity = std::move(curves);
}

const std::shared_ptr<const EquityCurves>& ChartScene::equityCurves() const
{
    return d->equity;
}

void ChartScene::setPrice(std::shared_ptr<const PriceSeries> price)
{
    setPrices(price ? std::vector<PriceLaneData>{{std::move(price), QString()}} : std::vector<PriceLaneData>{});
}

void ChartScene::setPrices(std::vector<PriceLaneData> prices)
{
    std::erase_if(prices, [](const PriceLaneData& p) { return !p.series || p.series->empty(); });
    d->prices = std::move(prices);
    d->price = d->prices.empty() ? nullptr : d->prices.front().series;
    d->clockDirty = true;
}

const std::vector<PriceLaneData>& ChartScene::prices() const
{
    return d->prices;
}

void ChartScene::setPriceIndexOffset(int offset)
{
    d->priceOffset = offset;
    d->clockDirty = true;
}

void ChartScene::setTimeZone(const QTimeZone& zone)
{
    d->zone = zone.isValid() ? zone : QTimeZone::utc();
}

BarRange ChartScene::fullRange() const
{
    double end = 0;
    for (const auto* list : {&d->signalTraces, &d->classifierTraces}) {
        for (const auto& t : *list)
            end = std::max(end, static_cast<double>(t->effectiveTotalBars()));
    }
    if (end <= 0 && d->price && !d->price->empty())
        end = static_cast<double>(d->price->bars.back() + d->priceOffset + 1);
    return {0, std::max(end, kMinViewSpanBars)};
}

BarRange ChartScene::viewRange() const
{
    return d->view;
}

std::optional<BarRange> clampedRange(BarRange range, BarRange full, double minSpan)
{
    if (!std::isfinite(range.first) || !std::isfinite(range.last))
        return std::nullopt;
    if (range.last < range.first)
        std::swap(range.first, range.last);
    const double span = std::clamp(range.span(), std::min(minSpan, full.span()), full.span());
    const double centre = (range.first + range.last) / 2;
    range.first = centre - span / 2;
    range.last = centre + span / 2;
    if (range.first < full.first) {
        range.first = full.first;
        range.last = full.first + span;
    }
    if (range.last > full.last) {
        range.last = full.last;
        range.first = full.last - span;
    }
    return range;
}

void ChartScene::setViewRange(BarRange range)
{
    if (const auto clamped = clampedRange(range, fullRange(), kMinViewSpanBars))
        d->view = *clamped;
}

void ChartScene::resetView()
{
    d->view = fullRange();
}

std::optional<qint64> ChartScene::cursorBar() const
{
    return d->cursor;
}

void ChartScene::setCursorBar(std::optional<qint64> bar)
{
    d->cursor = bar;
}

std::vector<ReadoutRow> ChartScene::readout(qint64 bar) const
{
    const QStringList signalLabels = laneLabels();
    const QStringList classifierLabels = d->bandLabels();
    std::vector<const PriceSeries*> lanes;
    for (const auto& lane : d->prices)
        lanes.push_back(lane.series.get());
    auto rows = readoutRows({d->signalTraces, d->classifierTraces, signalLabels, classifierLabels, d->priceOffset,
                             std::move(lanes)},
                            bar);
    if (const auto* c = consensus())
        if (const auto* step = c->at(bar))
            rows.push_back(consensusReadout(*step, bar));
    if (!equityShown())
        return rows;
    // Each signal's equity at the bar, after the traces: "equity <label>  +12.34 %".
    for (std::size_t i = 0; i < d->signalTraces.size(); ++i) {
        const EquityCurve* curve = curveFor(d->equity.get(), d->signalTraces[i].get());
        const auto e = curve ? equityAt(*curve, bar) : std::nullopt;
        if (!e)
            continue;
        ReadoutRow row;
        row.trace = QStringLiteral("equity ") + signalLabels.value(qsizetype(i));
        row.value = QStringLiteral("%1%2 %").arg(*e >= 1 ? QStringLiteral("+") : QString()).arg((*e - 1) * 100, 0, 'f', 2);
        row.known = true;
        rows.push_back(std::move(row));
    }
    return rows;
}

std::optional<qint64> ChartScene::nextChange(qint64 bar) const
{
    std::optional<qint64> best;
    for (const auto* list : {&d->signalTraces, &d->classifierTraces}) {
        for (const auto& t : *list) {
            const auto bars = t->bars();
            const auto it = std::upper_bound(bars.begin(), bars.end(), bar);
            if (it != bars.end() && (!best || *it < *best))
                best = *it;
        }
    }
    return best;
}

std::optional<qint64> ChartScene::previousChange(qint64 bar) const
{
    std::optional<qint64> best;
    for (const auto* list : {&d->signalTraces, &d->classifierTraces}) {
        for (const auto& t : *list) {
            const auto bars = t->bars();
            const auto it = std::lower_bound(bars.begin(), bars.end(), bar);
            if (it != bars.begin() && (!best || *(it - 1) > *best))
                best = *(it - 1);
        }
    }
    return best;
}

int ChartScene::laneCount() const
{
    if (d->signalTraces.empty())
        return 0;
    return d->overlay ? 1 : static_cast<int>(d->signalTraces.size());
}

int ChartScene::bandCount() const
{
    return static_cast<int>(d->classifierTraces.size());
}

QStringList ChartScene::legendRegimes() const
{
    return d->regimes.regimeNames();
}

QStringList ChartScene::legendTexts() const
{
    QStringList texts;
    for (const auto& item : legendItems(laneLabels(), d->regimes, consensus()))
        texts.push_back(item.text);
    return texts;
}

QColor ChartScene::regimeColorOf(const QString& classifier, const QString& regime) const
{
    return d->regimes.color(classifier, regime);
}

QColor ChartScene::regimeColor(const QString& regime)
{
    return distinctColor(preferredSlot(regime));
}

QColor ChartScene::traceColor(int index)
{
    return distinctColor(index);
}

// ----- geometry and axis mapping -------------------------------------------------------------

ChartScene::Layout ChartScene::layout(const QRectF& target, const RenderOptions& options) const
{
    // The layout depends on font metrics of the device; without a device assume the screen.
    return layoutFor(target, options, nullptr);
}

double ChartScene::minimumHeight(const QRectF& target, const RenderOptions& options, const QPaintDevice* device) const
{
    return minimumChartHeight(target, options, device, layoutContent());
}

ChartLayoutContent ChartScene::layoutContent() const
{
    ChartLayoutContent content;
    content.legend = legendItems(laneLabels(), d->regimes, consensus());
    content.bandCount = bandCount();
    content.laneCount = laneCount();
    content.signalTraces = !d->signalTraces.empty();
    content.priceLanes = static_cast<int>(d->prices.size());
    content.banner = d->degenerate;
    content.consensus = consensusShown();
    content.equity = equityShown();
    return content;
}

ChartScene::Layout ChartScene::layoutFor(const QRectF& target, const RenderOptions& options,
                                         const QPaintDevice* device) const
{
    return layOutChart(target, options, device, layoutContent());
}

double ChartScene::axisCoordinate(double bar) const
{
    if (axisMode() == AxisMode::Time) {
        if (const auto* clock = d->timeClock())
            return clock->timeAt(bar);
    }
    return bar;
}

double ChartScene::barOfAxisCoordinate(double u) const
{
    if (axisMode() == AxisMode::Time) {
        if (const auto* clock = d->timeClock())
            return clock->barAt(u);
    }
    return u;
}

bool ChartScene::hasTimeAxis() const
{
    return axisMode() == AxisMode::Time && d->timeClock() != nullptr;
}

double ChartScene::xForBar(double bar, const QRectF& plot) const
{
    const double u0 = axisCoordinate(d->view.first);
    const double u1 = axisCoordinate(d->view.last);
    return plot.left() + (axisCoordinate(bar) - u0) * (plot.width() / (u1 - u0));
}

double ChartScene::barForX(double x, const QRectF& plot) const
{
    const double u0 = axisCoordinate(d->view.first);
    const double u1 = axisCoordinate(d->view.last);
    return barOfAxisCoordinate(u0 + (x - plot.left()) * ((u1 - u0) / plot.width()));
}

// ----- rendering -----------------------------------------------------------------------------

namespace {

// The pixel columns of `plot` in bars: uniform on the bar axis, equal steps of time on the time
// axis (their bar edges then come from the scene's own x mapping).
ColumnMap columnMapFor(const ChartScene& scene, const QRectF& plot, int columns)
{
    const BarRange view = scene.viewRange();
    ColumnMap map;
    map.columns = columns;
    map.first = view.first;
    map.last = view.last;
    if (scene.hasTimeAxis()) {
        map.uniform = false;
        map.edges.resize(static_cast<std::size_t>(columns) + 1);
        for (int c = 0; c <= columns; ++c)
            map.edges[static_cast<std::size_t>(c)] = scene.barForX(plot.left() + c, plot);
        map.edges.front() = view.first;
        map.edges.back() = view.last;
    }
    return map;
}

} // namespace

void ChartScene::render(QPainter* painter, const QRectF& target, const RenderOptions& options) const
{
    const style::PaletteScope palette(options.dark);
    ChartPaint paint;
    paint.painter = painter;
    paint.device = painter->device();
    paint.target = target;
    paint.layout = layoutFor(target, options, paint.device);
    paint.metrics = metricsFor(paint.device, options);
    paint.scale = paint.metrics.scale;
    paint.thickness = std::max(1, static_cast<int>(std::lround(2 * paint.scale)));
    paint.raster = painter->paintEngine() && painter->paintEngine()->type() == QPaintEngine::Raster;
    const ChartLayout& l = paint.layout;
    const Metrics& m = paint.metrics;

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->setRenderHint(QPainter::TextAntialiasing, true);
    painter->fillRect(target, kBackground);
    painter->setFont(m.font);
    if (!l.title.isEmpty()) {
        painter->setFont(titleFont(m));
        painter->setPen(kText);
        painter->drawText(l.title, Qt::AlignLeft | Qt::AlignVCenter, options.title);
        painter->setFont(m.font);
    }

    if (!l.banner.isEmpty()) {
        painter->fillRect(l.banner, kGrid);
        painter->setPen(kText);
        painter->drawText(l.banner.adjusted(6 * paint.scale, 0, -6 * paint.scale, 0), Qt::AlignLeft | Qt::AlignVCenter,
                          QFontMetricsF(m.font, paint.device)
                              .elidedText(bannerText(), Qt::ElideRight, l.banner.width() - 12 * paint.scale));
    }

    const QRectF plot = l.plot;
    const int columns = static_cast<int>(plot.width());
    if (columns <= 0 || plot.height() <= 0) {
        painter->restore();
        return;
    }
    const ColumnMap map = columnMapFor(*this, plot, columns);
    paintRegimeBands(paint, d->bands, d->bandLabels(), map);
    paintAxes(paint, *this, laneArea(plot, bandHeight(paint.scale), d->bands.size()), options);
    const QStringList labels = laneLabels();
    paintSignalLanes(paint, d->lanes, labels, map, {d->overlay, options.exhaustive});
    if (!l.consensusLane.isEmpty())
        paintConsensusLane(paint, consensus(), static_cast<int>(d->signalTraces.size()), map);
    if (!l.priceLane.isEmpty())
        paintPriceLane(paint, *this);
    if (equityShown() && !l.equityLane.isEmpty())
        paintEquityLane(paint, d->signalTraces, labels, d->equity.get(), map);

    // Frame around the plot.
    painter->setPen(QPen(kFrame, 1));
    painter->setBrush(Qt::NoBrush);
    painter->drawRect(plot.adjusted(-1, -1, 0, 0));

    if (options.cursor && d->cursor)
        paintCursor(paint, *this, d->timeClock(), options);

    if (!l.legend.isEmpty()) {
        painter->setFont(m.font);
        paintLegend(painter, l.legend, legendItems(labels, d->regimes, consensus()), QFontMetricsF(m.font, paint.device),
                    paint.scale, paint.thickness);
    }
    painter->restore();
}

} // namespace sigscope::ui
