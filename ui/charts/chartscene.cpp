#include "ui/charts/chartscene.h"

#include "core/analysis/steps.h"
#include "ui/charts/axisticks.h"
#include "ui/charts/chartstyle.h"

#include <QDateTime>
#include <QFontMetricsF>
#include <QPaintDevice>
#include <QPaintEngine>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <set>

namespace sigscope::ui {

using namespace style;

namespace {

constexpr double kMinSpanBars = 8;  // deepest zoom
constexpr double kBandHeight = 17;  // classifier strip above the lanes, at 96 dpi
constexpr double kLaneMinHeight = 18;
constexpr double kMarkerSpacing = 9; // average pixels per entry/exit marker before they are left out

const QColor kPriceLine(0x37, 0x47, 0x4f);
const QColor kLong(0x2e, 0x7d, 0x32);
const QColor kShort(0xc6, 0x28, 0x28);
const QColor kExit(0x45, 0x5a, 0x64);

QColor blend(const QColor& a, const QColor& b, double t) // t of a over b
{
    return QColor::fromRgbF(static_cast<float>(a.redF() * t + b.redF() * (1 - t)),
                            static_cast<float>(a.greenF() * t + b.greenF() * (1 - t)),
                            static_cast<float>(a.blueF() * t + b.blueF() * (1 - t)));
}

QString valueName(std::int32_t v)
{
    switch (v) {
    case -1: return QStringLiteral("short");
    case 0: return QStringLiteral("flat");
    case 1: return QStringLiteral("long");
    default: return QString::number(v);
    }
}

QString traceName(const core::Trace& trace)
{
    QString name = QString::fromStdString(trace.identity.name);
    if (trace.identity.symbol)
        name = QString::fromStdString(*trace.identity.symbol) + QLatin1Char(' ') + name;
    return name;
}

// The (bar, time) points of one sorted sequence without those that lie exactly on the line
// through their neighbours: a session of 1-minute bars keeps its two ends. Interpolating through
// what is left gives the same map, and a million changes leave a few points per session, so the
// time axis neither sorts nor stores them all.
class CollinearFilter
{
public:
    void add(std::int64_t bar, std::int64_t micros)
    {
        if (!m_points.empty() && (bar <= m_points.back().first || micros <= m_points.back().second))
            return; // not strictly after the last point: the map keeps both columns increasing
        const std::size_t n = m_points.size();
        if (n >= 2) {
            const auto [b0, t0] = m_points[n - 2];
            const auto [b1, t1] = m_points[n - 1];
            // (b1 - b0, t1 - t0) parallel to (bar - b1, micros - t1), in exact integer arithmetic.
            // __extension__: GCC and Clang have __int128 but -Wpedantic names it non-standard.
            __extension__ using Wide = __int128;
            if (static_cast<Wide>(b1 - b0) * (micros - t1) == static_cast<Wide>(bar - b1) * (t1 - t0)) {
                m_points.back() = {bar, micros};
                return;
            }
        }
        m_points.emplace_back(bar, micros);
    }
    [[nodiscard]] const std::vector<std::pair<std::int64_t, std::int64_t>>& points() const { return m_points; }

private:
    std::vector<std::pair<std::int64_t, std::int64_t>> m_points;
};

// Piecewise-linear map between bars and times (seconds), from every known (bar, time) pair.
// Used only by the time axis; beyond the known pairs it extrapolates at the mean bar duration.
class BarClock
{
public:
    void clear()
    {
        m_bars.clear();
        m_secs.clear();
    }
    void add(double bar, double secs) { m_pending.emplace_back(bar, secs); }
    void finish()
    {
        std::sort(m_pending.begin(), m_pending.end());
        for (const auto& [bar, secs] : m_pending) {
            if (!m_bars.empty() && (bar <= m_bars.back() || secs <= m_secs.back()))
                continue; // keep both columns strictly increasing
            m_bars.push_back(bar);
            m_secs.push_back(secs);
        }
        m_pending.clear();
        m_pending.shrink_to_fit();
        if (valid())
            m_secsPerBar = (m_secs.back() - m_secs.front()) / (m_bars.back() - m_bars.front());
    }
    [[nodiscard]] bool valid() const { return m_bars.size() >= 2; }

    [[nodiscard]] double timeAt(double bar) const
    {
        return interpolate(m_bars, m_secs, bar, m_secsPerBar);
    }
    [[nodiscard]] double barAt(double secs) const
    {
        return interpolate(m_secs, m_bars, secs, 1.0 / m_secsPerBar);
    }

private:
    static double interpolate(const std::vector<double>& xs, const std::vector<double>& ys, double x, double slope)
    {
        if (x <= xs.front())
            return ys.front() + (x - xs.front()) * slope;
        if (x >= xs.back())
            return ys.back() + (x - xs.back()) * slope;
        const auto it = std::upper_bound(xs.begin(), xs.end(), x);
        const auto i = static_cast<std::size_t>(it - xs.begin());
        const double t = (x - xs[i - 1]) / (xs[i] - xs[i - 1]);
        return ys[i - 1] + t * (ys[i] - ys[i - 1]);
    }

    std::vector<std::pair<double, double>> m_pending;
    std::vector<double> m_bars;
    std::vector<double> m_secs;
    double m_secsPerBar = 60;
};

} // namespace

struct ChartScene::Private
{
    struct Lane
    {
        ChartScene::TracePtr trace;
        core::StepReducer reducer;
        std::int32_t vmin = -1;
        std::int32_t vmax = 1;
    };
    struct Band
    {
        ChartScene::TracePtr trace;
        core::StepReducer reducer;
        std::vector<QColor> colors; // by regime id
    };
    std::vector<Lane> lanes;
    std::vector<Band> bands;
    QStringList signalLabels;
    QStringList classifierLabels;
    QStringList regimes;
    QTimeZone zone = QTimeZone::utc();
    mutable BarClock clock;
    mutable bool clockDirty = true;

    const BarClock* timeClock(const ChartScene& s) const
    {
        if (clockDirty) {
            clockDirty = false;
            clock.clear();
            // Each sequence is sorted by bar; its collinear points are dropped before the merge.
            const auto addSequence = [this](std::size_t size, auto bar, auto micros) {
                CollinearFilter filter;
                for (std::size_t i = 0; i < size; ++i) {
                    if (micros(i) != core::kNoTime)
                        filter.add(bar(i), micros(i));
                }
                for (const auto& [b, t] : filter.points())
                    clock.add(static_cast<double>(b), static_cast<double>(t) / 1e6);
            };
            if (s.m_price && !s.m_price->empty()) {
                const auto& p = *s.m_price;
                addSequence(
                    p.size(), [&](std::size_t i) { return p.bars[i] + s.m_priceOffset; },
                    [&](std::size_t i) { return p.times[i]; });
            } else {
                for (const auto* list : {&s.m_signals, &s.m_classifiers}) {
                    for (const auto& t : *list)
                        addSequence(
                            t->size(), [&](std::size_t i) { return t->bar(i); }, [&](std::size_t i) { return t->time(i); });
                }
            }
            clock.finish();
        }
        return clock.valid() ? &clock : nullptr;
    }
};

ChartScene::ChartScene()
    : d(std::make_unique<Private>())
{
}

ChartScene::~ChartScene() = default;

void ChartScene::setTraces(std::vector<TracePtr> signalTraces, std::vector<TracePtr> classifierTraces)
{
    std::erase(signalTraces, nullptr);
    std::erase(classifierTraces, nullptr);
    const BarRange oldFull = fullRange();
    m_signals = std::move(signalTraces);
    m_classifiers = std::move(classifierTraces);
    d->lanes.clear();
    d->bands.clear();
    d->lanes.reserve(m_signals.size());
    for (const auto& t : m_signals) {
        Private::Lane lane{t, core::StepReducer(*t), -1, 1};
        if (!t->empty()) {
            const auto [lo, hi] = std::minmax_element(t->values().begin(), t->values().end());
            lane.vmin = std::min(lane.vmin, *lo);
            lane.vmax = std::max(lane.vmax, *hi);
        }
        d->lanes.push_back(std::move(lane));
    }
    std::set<QString> regimes;
    for (const auto& t : m_classifiers) {
        Private::Band band{t, core::StepReducer(*t), {}};
        for (const auto& name : t->regimes()) {
            const QString q = QString::fromStdString(name);
            band.colors.push_back(regimeColor(q));
            regimes.insert(q);
        }
        d->bands.push_back(std::move(band));
    }
    d->regimes = QStringList(regimes.begin(), regimes.end());
    d->signalLabels.clear();
    d->classifierLabels.clear();
    d->clockDirty = true;

    const BarRange full = fullRange();
    if (m_view.span() <= 0 || !(oldFull == full) || m_view.first < full.first || m_view.last > full.last)
        m_view = full;
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
    QStringList labels;
    for (std::size_t i = 0; i < m_signals.size(); ++i) {
        const auto j = static_cast<qsizetype>(i);
        labels << (j < d->signalLabels.size() ? d->signalLabels[j] : traceName(*m_signals[i]));
    }
    return labels;
}

void ChartScene::setAxisMode(AxisMode mode)
{
    m_axisMode = mode;
}

void ChartScene::setOverlay(bool overlay)
{
    m_overlay = overlay;
}

void ChartScene::setPrice(std::shared_ptr<const PriceSeries> price)
{
    m_price = std::move(price);
    d->clockDirty = true;
}

void ChartScene::setPriceIndexOffset(int offset)
{
    m_priceOffset = offset;
    d->clockDirty = true;
}

void ChartScene::setTimeZone(const QTimeZone& zone)
{
    d->zone = zone.isValid() ? zone : QTimeZone::utc();
}

BarRange ChartScene::fullRange() const
{
    double end = 0;
    for (const auto* list : {&m_signals, &m_classifiers}) {
        for (const auto& t : *list)
            end = std::max(end, static_cast<double>(t->effectiveTotalBars()));
    }
    if (end <= 0 && m_price && !m_price->empty())
        end = static_cast<double>(m_price->bars.back() + m_priceOffset + 1);
    return {0, std::max(end, kMinSpanBars)};
}

void ChartScene::setViewRange(BarRange range)
{
    const BarRange full = fullRange();
    if (!std::isfinite(range.first) || !std::isfinite(range.last))
        return;
    if (range.last < range.first)
        std::swap(range.first, range.last);
    double span = std::clamp(range.span(), std::min(kMinSpanBars, full.span()), full.span());
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
    m_view = range;
}

void ChartScene::resetView()
{
    m_view = fullRange();
}

void ChartScene::setCursorBar(std::optional<qint64> bar)
{
    m_cursor = bar;
}

std::vector<ReadoutRow> ChartScene::readout(qint64 bar) const
{
    std::vector<ReadoutRow> rows;
    const QStringList labels = laneLabels();
    auto fill = [&](const core::Trace& t, const QString& label, bool isSignal) {
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
            if (t.price(*idx) != 0.0)
                row.changePrice = t.price(*idx);
            else if (m_price)
                row.changePrice = m_price->closeAt(row.changeBar - m_priceOffset);
        } else if (inside && isSignal) {
            row.known = true; // flat before the first change (storage-format.md §9)
            row.value = valueName(0);
        }
        rows.push_back(std::move(row));
    };
    for (std::size_t i = 0; i < m_signals.size(); ++i)
        fill(*m_signals[i], labels[static_cast<qsizetype>(i)], true);
    for (std::size_t i = 0; i < m_classifiers.size(); ++i) {
        const auto j = static_cast<qsizetype>(i);
        fill(*m_classifiers[i],
             j < d->classifierLabels.size() ? d->classifierLabels[j] : traceName(*m_classifiers[i]), false);
    }
    return rows;
}

std::optional<qint64> ChartScene::nextChange(qint64 bar) const
{
    std::optional<qint64> best;
    for (const auto* list : {&m_signals, &m_classifiers}) {
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
    for (const auto* list : {&m_signals, &m_classifiers}) {
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
    if (m_signals.empty())
        return 0;
    return m_overlay ? 1 : static_cast<int>(m_signals.size());
}

int ChartScene::bandCount() const
{
    return static_cast<int>(m_classifiers.size());
}

QStringList ChartScene::legendRegimes() const
{
    return d->regimes;
}

QColor ChartScene::regimeColor(const QString& regime)
{
    // Soft, distinguishable hues (ColorBrewer Set3-like), so bands stay behind the lines.
    static const std::array<QColor, 12> palette{
        QColor(0x8d, 0xd3, 0xc7), QColor(0xf6, 0xd8, 0x6b), QColor(0xbe, 0xba, 0xda), QColor(0xfb, 0x80, 0x72),
        QColor(0x80, 0xb1, 0xd3), QColor(0xfd, 0xb4, 0x62), QColor(0xb3, 0xde, 0x69), QColor(0xfc, 0xcd, 0xe5),
        QColor(0xbc, 0x80, 0xbd), QColor(0xcc, 0xeb, 0xc5), QColor(0xa6, 0xa6, 0xa6), QColor(0x9e, 0xca, 0xe1)};
    // FNV-1a over UTF-8: the same name gets the same colour in every run and every process.
    std::uint32_t h = 2166136261u;
    for (const char c : regime.toUtf8()) {
        h ^= static_cast<unsigned char>(c);
        h *= 16777619u;
    }
    return palette[h % palette.size()];
}

QColor ChartScene::traceColor(int index)
{
    // Muted, print-safe line colours; red and green stay reserved for short and long markers.
    static const std::array<QColor, 8> palette{QColor(0x1f, 0x5f, 0xa8), QColor(0xd9, 0x78, 0x1c),
                                               QColor(0x6a, 0x4c, 0x9c), QColor(0x16, 0x8a, 0x8a),
                                               QColor(0x8c, 0x56, 0x3c), QColor(0xb0, 0x3a, 0x7a),
                                               QColor(0x55, 0x6b, 0x2f), QColor(0x4a, 0x4a, 0x4a)};
    return palette[static_cast<std::size_t>(std::max(index, 0)) % palette.size()];
}

// ----- geometry ------------------------------------------------------------------------------

namespace {

std::vector<LegendItem> legendItems(const QStringList& laneLabels, const QStringList& regimes)
{
    std::vector<LegendItem> items;
    items.reserve(static_cast<std::size_t>(laneLabels.size() + regimes.size()));
    for (int i = 0; i < laneLabels.size(); ++i)
        items.push_back({laneLabels[i], ChartScene::traceColor(i), true});
    for (const auto& r : regimes)
        items.push_back({r, ChartScene::regimeColor(r), false});
    return items;
}

} // namespace

ChartScene::Layout ChartScene::layout(const QRectF& target, const RenderOptions& options) const
{
    // The layout depends on font metrics of the device; without a device assume the screen.
    return layoutFor(target, options, nullptr);
}

ChartScene::Layout ChartScene::layoutFor(const QRectF& target, const RenderOptions& options,
                                         const QPaintDevice* device) const
{
    const Metrics m = metricsFor(device, options);
    const QFontMetricsF fm(m.font, device);
    const double s = m.scale;
    Layout l;
    const double pad = 8 * s;
    double top = target.top() + pad;
    if (!options.title.isEmpty()) {
        const double h = QFontMetricsF(titleFont(m), device).height() + 6 * s;
        l.title = QRectF(target.left() + pad, top, target.width() - 2 * pad, h);
        top += h;
    }
    double left = target.left() + pad + fm.horizontalAdvance(QStringLiteral("0000.00")) + 10 * s;
    if (!options.yAxisTitle.isEmpty())
        left += m.lineHeight + 4 * s;
    const double right = target.right() - 14 * s;
    double bottom = target.bottom() - pad;
    if (options.legend) {
        double h = 0;
        flowLegend(legendItems(laneLabels(), d->regimes), right - left, fm, s, &h);
        if (h > 0) {
            l.legend = QRectF(left, bottom - h, right - left, h);
            bottom -= h + 6 * s;
        }
    }
    const double axisH = m.smallHeight + 6 * s + m.lineHeight + 4 * s; // tick labels + axis title
    l.xAxis = QRectF(left, bottom - axisH, right - left, axisH);
    bottom -= axisH;

    // Whole device pixels, so that reduced columns map one-to-one to pixel columns.
    const QRect plot(QPoint(static_cast<int>(std::ceil(left)), static_cast<int>(std::ceil(top + 4 * s))),
                     QPoint(static_cast<int>(std::floor(right)) - 1, static_cast<int>(std::floor(bottom)) - 1));
    l.plot = QRectF(plot);
    l.xAxis.moveTop(l.plot.bottom() + 1);
    l.xAxis.setLeft(l.plot.left());
    l.xAxis.setWidth(l.plot.width());

    double y = l.plot.top() + std::round(kBandHeight * s) * static_cast<double>(m_classifiers.size());
    const double laneArea = l.plot.bottom() + 1 - y;
    double priceH = 0;
    if (m_price && !m_price->empty())
        priceH = std::round(m_signals.empty() ? laneArea : std::max(70 * s, laneArea * 0.32));
    const int n = laneCount();
    const double laneH = n > 0 ? std::floor(std::max(kLaneMinHeight * s, (laneArea - priceH) / n)) : 0;
    for (int i = 0; i < n; ++i) {
        l.lanes.emplace_back(l.plot.left(), y, l.plot.width(), laneH);
        y += laneH;
    }
    if (priceH > 0) {
        l.priceLane = QRectF(l.plot.left(), y, l.plot.width(), std::max(0.0, l.plot.bottom() + 1 - y));
        l.lanes.push_back(l.priceLane);
    }
    return l;
}

double ChartScene::axisCoordinate(double bar) const
{
    if (m_axisMode == AxisMode::Time) {
        if (const auto* clock = d->timeClock(*this))
            return clock->timeAt(bar);
    }
    return bar;
}

double ChartScene::barOfAxisCoordinate(double u) const
{
    if (m_axisMode == AxisMode::Time) {
        if (const auto* clock = d->timeClock(*this))
            return clock->barAt(u);
    }
    return u;
}

bool ChartScene::hasTimeAxis() const
{
    return m_axisMode == AxisMode::Time && d->timeClock(*this) != nullptr;
}

double ChartScene::xForBar(double bar, const QRectF& plot) const
{
    const double u0 = axisCoordinate(m_view.first);
    const double u1 = axisCoordinate(m_view.last);
    return plot.left() + (axisCoordinate(bar) - u0) * (plot.width() / (u1 - u0));
}

double ChartScene::barForX(double x, const QRectF& plot) const
{
    const double u0 = axisCoordinate(m_view.first);
    const double u1 = axisCoordinate(m_view.last);
    return barOfAxisCoordinate(u0 + (x - plot.left()) * ((u1 - u0) / plot.width()));
}

// ----- rendering -----------------------------------------------------------------------------

namespace {

// Column positions X(bar) of the reducer contract for the current axis; in time mode, columns
// are equal steps of time and X is interpolated between their bar edges.
struct ColumnMap
{
    bool uniform = true;
    double first = 0;
    double last = 0;
    int columns = 0;
    std::vector<double> edges; // time mode: bar at each column edge, columns + 1 entries

    [[nodiscard]] double x(double bar) const
    {
        if (uniform)
            return core::StepReducer::columnPosition(bar, first, last, columns);
        if (bar < edges.front())
            return (bar - edges.front()) / (edges[1] - edges[0]);
        if (bar >= edges.back())
            return columns + (bar - edges.back()) / (edges[edges.size() - 1] - edges[edges.size() - 2]);
        const auto it = std::upper_bound(edges.begin(), edges.end(), bar);
        const auto c = static_cast<std::size_t>(it - edges.begin()) - 1;
        return static_cast<double>(c) + (bar - edges[c]) / (edges[c + 1] - edges[c]);
    }

    [[nodiscard]] std::vector<core::StepColumn> reduce(const core::StepReducer& reducer) const
    {
        if (uniform)
            return reducer.reduce(first, last, columns);
        std::vector<core::StepColumn> out(static_cast<std::size_t>(columns));
        for (int c = 0; c < columns; ++c) {
            const auto i = static_cast<std::size_t>(c);
            if (edges[i + 1] > edges[i])
                out[i] = reducer.reduce(edges[i], edges[i + 1], 1).front();
        }
        return out;
    }
};

// Pixel rows of a lane: value v draws rows [y(v), y(v) + thickness - 1].
struct ValueRows
{
    int top = 0;
    int bottom = 0; // last row a line may start on
    std::int32_t vmin = -1;
    std::int32_t vmax = 1;
    [[nodiscard]] int y(std::int32_t v) const
    {
        return top + static_cast<int>(std::lround(static_cast<double>(vmax - v) * (bottom - top) / (vmax - vmin)));
    }
};

void fillColumns(QPainter* p, int left, int c0, int c1, int y0, int y1, const QColor& color)
{
    p->fillRect(QRect(left + c0, y0, c1 - c0 + 1, y1 - y0 + 1), color);
}

// The reduced drawing: each defined column lights rows y(max) .. y(min) + thickness - 1.
// Runs of equal columns become one rectangle.
void drawReducedRaster(QPainter* p, const std::vector<core::StepColumn>& cols, int left, const ValueRows& rows,
                       int thickness, const QColor& color)
{
    int runStart = -1, runTop = 0, runBottom = 0;
    const int n = static_cast<int>(cols.size());
    for (int c = 0; c <= n; ++c) {
        bool have = false;
        int top = 0, bottom = 0;
        if (c < n && cols[static_cast<std::size_t>(c)].defined) {
            const auto& col = cols[static_cast<std::size_t>(c)];
            have = true;
            top = rows.y(col.max);
            bottom = rows.y(col.min) + thickness - 1;
        }
        if (runStart >= 0 && (!have || top != runTop || bottom != runBottom)) {
            fillColumns(p, left, runStart, c - 1, runTop, runBottom, color);
            runStart = -1;
        }
        if (have && runStart < 0) {
            runStart = c;
            runTop = top;
            runBottom = bottom;
        }
    }
}

// Vector devices (SVG, PDF): the same reduction as one polyline through column centres.
void drawReducedVector(QPainter* p, const std::vector<core::StepColumn>& cols, double left, const ValueRows& rows,
                       double thickness, const QColor& color)
{
    QPainterPath path;
    bool open = false;
    const double half = thickness / 2;
    for (std::size_t c = 0; c < cols.size(); ++c) {
        const auto& col = cols[c];
        if (!col.defined) {
            open = false;
            continue;
        }
        const double x = left + static_cast<double>(c) + 0.5;
        const auto y = [&](std::int32_t v) { return rows.y(v) + half; };
        if (!open) {
            path.moveTo(x - 0.5, y(col.enter));
            open = true;
        }
        path.lineTo(x, y(col.enter));
        if (col.min != col.max) {
            path.lineTo(x, y(col.max));
            path.lineTo(x, y(col.min));
        }
        path.lineTo(x, y(col.leave));
        path.lineTo(x + 0.5, y(col.leave));
    }
    QPen pen(color, thickness, Qt::SolidLine, Qt::FlatCap, Qt::MiterJoin);
    p->strokePath(path, pen);
}

// The reference: every step of the trace drawn on its own (contract point 2 of reduce.h),
// in the same pixel rows. Debug mode and ground truth for the exactness tests.
void drawEveryStep(QPainter* p, const core::Trace& t, const ColumnMap& map, int left, const ValueRows& rows,
                   int thickness, const QColor& color)
{
    const bool unknownBefore = t.kind() == core::Kind::Classifier;
    if (unknownBefore && t.empty())
        return;
    const int n = map.columns;
    const auto clampX = [&](double x) { return std::clamp(x, -2.0, n + 2.0); };
    auto horizontal = [&](double xs, double xe, std::int32_t v) {
        xs = clampX(xs);
        xe = clampX(xe);
        if (!(xe > xs))
            return;
        const int c0 = std::max(0, static_cast<int>(std::floor(xs)));
        const int c1 = std::min(n - 1, static_cast<int>(std::ceil(xe)) - 1);
        if (c1 >= c0)
            fillColumns(p, left, c0, c1, rows.y(v), rows.y(v) + thickness - 1, color);
    };
    auto vertical = [&](double x, std::int32_t a, std::int32_t b) {
        x = clampX(x);
        const int c = static_cast<int>(std::floor(x));
        if (c < 0 || c >= n)
            return;
        fillColumns(p, left, c, c, rows.y(std::max(a, b)), rows.y(std::min(a, b)) + thickness - 1, color);
    };
    const double end = map.x(static_cast<double>(t.effectiveTotalBars()));
    double x = unknownBefore ? map.x(static_cast<double>(t.bar(0))) : map.x(static_cast<double>(std::min<std::int64_t>(0, t.empty() ? 0 : t.bar(0))));
    std::int32_t v = unknownBefore ? t.value(0) : 0;
    for (std::size_t i = unknownBefore ? 1 : 0; i < t.size(); ++i) {
        const double xi = map.x(static_cast<double>(t.bar(i)));
        horizontal(x, xi, v);
        vertical(xi, v, t.value(i));
        x = xi;
        v = t.value(i);
    }
    horizontal(x, end, v);
}

} // namespace

void ChartScene::render(QPainter* painter, const QRectF& target, const RenderOptions& options) const
{
    QPaintDevice* device = painter->device();
    const Layout l = layoutFor(target, options, device);
    const Metrics m = metricsFor(device, options);
    const double s = m.scale;
    const bool raster = painter->paintEngine() && painter->paintEngine()->type() == QPaintEngine::Raster;

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->setRenderHint(QPainter::TextAntialiasing, true);
    painter->fillRect(target, kBackground);
    painter->setFont(m.font);
    const QFontMetricsF fm(m.font, device);

    if (!l.title.isEmpty()) {
        painter->setFont(titleFont(m));
        painter->setPen(kText);
        painter->drawText(l.title, Qt::AlignLeft | Qt::AlignVCenter, options.title);
        painter->setFont(m.font);
    }

    const QRectF plot = l.plot;
    const int columns = static_cast<int>(plot.width());
    if (columns <= 0 || plot.height() <= 0) {
        painter->restore();
        return;
    }
    ColumnMap map;
    map.columns = columns;
    map.first = m_view.first;
    map.last = m_view.last;
    if (hasTimeAxis()) {
        map.uniform = false;
        map.edges.resize(static_cast<std::size_t>(columns) + 1);
        for (int c = 0; c <= columns; ++c)
            map.edges[static_cast<std::size_t>(c)] = barForX(plot.left() + c, plot);
        map.edges.front() = m_view.first;
        map.edges.back() = m_view.last;
    }
    const int plotLeft = static_cast<int>(plot.left());

    // Regime bands: strips with labels above the lanes, and a pale tint behind the lanes.
    const double bandH = std::round(kBandHeight * s);
    const QRectF laneArea(plot.left(), plot.top() + bandH * static_cast<double>(d->bands.size()), plot.width(),
                          plot.height() - bandH * static_cast<double>(d->bands.size()));
    const QRectF tintArea = l.priceLane.isEmpty() ? laneArea : QRectF(laneArea.topLeft(), QPointF(laneArea.right(), l.priceLane.top() - 1));
    for (std::size_t b = 0; b < d->bands.size(); ++b) {
        const auto& band = d->bands[b];
        const auto cols = map.reduce(band.reducer);
        const core::Trace& t = *band.trace;
        std::vector<double> weight(t.regimes().size());
        std::vector<QColor> colors(static_cast<std::size_t>(columns));
        std::vector<bool> has(static_cast<std::size_t>(columns), false);
        for (int c = 0; c < columns; ++c) {
            const auto& col = cols[static_cast<std::size_t>(c)];
            if (!col.defined)
                continue;
            std::int32_t regime = col.min;
            if (col.min != col.max) {
                // Several regimes in one pixel: show the one that holds longest there.
                const double a = map.uniform ? m_view.first + c * m_view.span() / columns : map.edges[static_cast<std::size_t>(c)];
                const double e = map.uniform ? m_view.first + (c + 1) * m_view.span() / columns : map.edges[static_cast<std::size_t>(c) + 1];
                std::fill(weight.begin(), weight.end(), 0.0);
                const auto bars = t.bars();
                auto it = std::upper_bound(bars.begin(), bars.end(), static_cast<std::int64_t>(std::floor(a)));
                double x = a;
                std::int32_t v = col.enter;
                for (; it != bars.end() && static_cast<double>(*it) < e; ++it) {
                    const double bx = std::max(a, static_cast<double>(*it));
                    weight[static_cast<std::size_t>(v)] += bx - x;
                    x = bx;
                    v = t.value(static_cast<std::size_t>(it - bars.begin()));
                }
                weight[static_cast<std::size_t>(v)] += std::min(e, static_cast<double>(t.effectiveTotalBars())) - x;
                regime = static_cast<std::int32_t>(std::max_element(weight.begin(), weight.end()) - weight.begin());
            }
            colors[static_cast<std::size_t>(c)] = band.colors[static_cast<std::size_t>(regime)];
            has[static_cast<std::size_t>(c)] = true;
        }
        const double stripTop = plot.top() + bandH * static_cast<double>(b);
        const double tintH = tintArea.height() / static_cast<double>(d->bands.size());
        const double tintTop = std::round(tintArea.top() + tintH * static_cast<double>(b));
        const double tintBottom = std::round(tintArea.top() + tintH * static_cast<double>(b + 1));
        for (int c = 0; c < columns;) {
            if (!has[static_cast<std::size_t>(c)]) {
                ++c;
                continue;
            }
            int e = c;
            while (e + 1 < columns && has[static_cast<std::size_t>(e) + 1] && colors[static_cast<std::size_t>(e) + 1] == colors[static_cast<std::size_t>(c)])
                ++e;
            const QColor& color = colors[static_cast<std::size_t>(c)];
            painter->fillRect(QRectF(plotLeft + c, stripTop, e - c + 1, bandH - 1), color);
            if (!laneArea.isEmpty())
                painter->fillRect(QRectF(plotLeft + c, tintTop, e - c + 1, tintBottom - tintTop), blend(color, kBackground, 0.28));
            c = e + 1;
        }
        // Label inside the strip, at its left end, on a light plate.
        const QString label = static_cast<qsizetype>(b) < d->classifierLabels.size() ? d->classifierLabels[static_cast<qsizetype>(b)] : traceName(t);
        painter->setFont(m.small);
        const QFontMetricsF fmLabel(m.small, device);
        const QString text = fmLabel.elidedText(label, Qt::ElideMiddle, plot.width() / 3);
        const QRectF plate(plot.left() + 4 * s, stripTop + 1, fmLabel.horizontalAdvance(text) + 8 * s, bandH - 2);
        painter->fillRect(plate, QColor(255, 255, 255, 190));
        painter->setPen(kText);
        painter->drawText(plate, Qt::AlignCenter, text);
        painter->setFont(m.font);
    }

    // Vertical grid and x axis ticks.
    const double u0 = axisCoordinate(m_view.first);
    const double u1 = axisCoordinate(m_view.last);
    const int maxTicks = std::max(2, static_cast<int>(plot.width() / (95 * s)));
    const bool timeAxis = hasTimeAxis();
    const std::vector<Tick> ticks = timeAxis ? timeTicks(u0, u1, maxTicks, d->zone) : numberTicks(u0, u1, maxTicks);
    painter->setFont(m.small);
    const QFontMetricsF fmSmall(m.small, device);
    for (const auto& tick : ticks) {
        const double x = std::floor(plot.left() + (tick.value - u0) * plot.width() / (u1 - u0));
        if (x < plot.left() || x > plot.right())
            continue;
        painter->setPen(QPen(kGrid, 1));
        painter->drawLine(QPointF(x, laneArea.top()), QPointF(x, plot.bottom()));
        painter->setPen(QPen(kFrame, 1));
        painter->drawLine(QPointF(x, plot.bottom() + 1), QPointF(x, plot.bottom() + 4 * s));
        painter->setPen(kMutedText);
        const double w = fmSmall.horizontalAdvance(tick.label);
        const double lx = std::clamp(x - w / 2, l.xAxis.left() - 20 * s, l.xAxis.right() - w);
        painter->drawText(QRectF(lx, plot.bottom() + 5 * s, w + 2, m.smallHeight), Qt::AlignLeft | Qt::AlignTop, tick.label);
    }
    // Axis title.
    QString xTitle = options.xAxisTitle;
    if (xTitle.isEmpty()) {
        if (timeAxis) {
            const QString zone = !options.timeZoneLabel.isEmpty() ? options.timeZoneLabel
                                 : d->zone == QTimeZone::utc()   ? QStringLiteral("UTC")
                                                                 : QString::fromUtf8(d->zone.id());
            xTitle = QStringLiteral("Time (%1)").arg(zone);
        } else {
            xTitle = m_axisMode == AxisMode::Time ? QStringLiteral("Bar index (no times recorded)") : QStringLiteral("Bar index");
        }
    }
    painter->setFont(m.font);
    painter->setPen(kText);
    painter->drawText(QRectF(l.xAxis.left(), l.xAxis.bottom() - m.lineHeight - 2 * s, l.xAxis.width(), m.lineHeight),
                      Qt::AlignHCenter | Qt::AlignVCenter, xTitle);
    if (!options.yAxisTitle.isEmpty()) {
        painter->save();
        painter->translate(target.left() + 8 * s + m.lineHeight / 2, laneArea.center().y());
        painter->rotate(-90);
        painter->drawText(QRectF(-laneArea.height() / 2, -m.lineHeight / 2, laneArea.height(), m.lineHeight),
                          Qt::AlignCenter, options.yAxisTitle);
        painter->restore();
    }

    // Signal lanes.
    const QStringList labels = laneLabels();
    const int thickness = std::max(1, static_cast<int>(std::lround(2 * s)));
    const int nLanes = laneCount();
    for (int laneIndex = 0; laneIndex < nLanes; ++laneIndex) {
        const QRectF lane = l.lanes[static_cast<std::size_t>(laneIndex)];
        std::vector<std::size_t> members;
        if (m_overlay) {
            for (std::size_t i = 0; i < d->lanes.size(); ++i)
                members.push_back(i);
        } else {
            members.push_back(static_cast<std::size_t>(laneIndex));
        }
        ValueRows rows;
        rows.vmin = 0;
        rows.vmax = 0;
        for (const auto i : members) {
            rows.vmin = std::min(rows.vmin, d->lanes[i].vmin);
            rows.vmax = std::max(rows.vmax, d->lanes[i].vmax);
        }
        const int spread = m_overlay ? static_cast<int>(std::min<std::size_t>(members.size(), 7)) * thickness : 0;
        const int padTop = static_cast<int>(std::lround(std::min(lane.height() * 0.22, 16 * s))) + spread / 2;
        const int padBottom = static_cast<int>(std::lround(std::min(lane.height() * 0.14, 8 * s))) + spread / 2;
        rows.top = static_cast<int>(lane.top()) + padTop;
        rows.bottom = std::max(rows.top, static_cast<int>(lane.bottom()) - padBottom - thickness + 1);

        // Value grid and labels at short / flat / long.
        painter->setFont(m.small);
        for (std::int32_t v = rows.vmin; v <= rows.vmax; ++v) {
            const bool named = v >= -1 && v <= 1;
            if (!named && v != rows.vmin && v != rows.vmax)
                continue;
            const double y = rows.y(v) + thickness / 2.0;
            painter->setPen(QPen(v == 0 ? kFrame : kGrid, 1, v == 0 ? Qt::SolidLine : Qt::DashLine));
            painter->drawLine(QPointF(plot.left(), std::floor(y)), QPointF(plot.right(), std::floor(y)));
            if (lane.height() >= 3 * m.smallHeight || v == 0 || lane.height() >= 2 * m.smallHeight) {
                painter->setPen(kMutedText);
                painter->drawText(QRectF(target.left(), y - m.smallHeight / 2, plot.left() - target.left() - 6 * s, m.smallHeight),
                                  Qt::AlignRight | Qt::AlignVCenter, valueName(v));
            }
        }
        // Steps.
        for (std::size_t k = 0; k < members.size(); ++k) {
            const auto i = members[k];
            ValueRows r = rows;
            if (m_overlay && members.size() > 1) {
                const int slot = static_cast<int>(k % 7) - static_cast<int>(std::min<std::size_t>(members.size(), 7) - 1) / 2;
                r.top += slot * thickness;
                r.bottom += slot * thickness;
            }
            const QColor color = traceColor(static_cast<int>(i));
            if (options.exhaustive)
                drawEveryStep(painter, *d->lanes[i].trace, map, plotLeft, r, thickness, color);
            else if (raster)
                drawReducedRaster(painter, map.reduce(d->lanes[i].reducer), plotLeft, r, thickness, color);
            else
                drawReducedVector(painter, map.reduce(d->lanes[i].reducer), plot.left(), r, thickness, color);
        }
        // Lane title, top-left, on a light plate so it stays readable over the data.
        painter->setFont(m.bold);
        const QFontMetricsF fmBold(m.bold, device);
        if (lane.height() >= m.lineHeight + 4 * s) {
            double x = plot.left() + 6 * s;
            for (const auto i : members) {
                const QString text = fmBold.elidedText(labels[static_cast<qsizetype>(i)], Qt::ElideMiddle, plot.width() / 2);
                const double w = fmBold.horizontalAdvance(text) + 22 * s;
                if (x + w > plot.right())
                    break;
                const QRectF plate(x, lane.top() + 2 * s, w, m.lineHeight);
                painter->fillRect(plate, QColor(255, 255, 255, 210));
                painter->fillRect(QRectF(plate.left() + 4 * s, plate.center().y() - thickness / 2.0, 12 * s, thickness),
                                  traceColor(static_cast<int>(i)));
                painter->setPen(kText);
                painter->drawText(plate.adjusted(20 * s, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, text);
                x += w + 6 * s;
            }
        }
        if (laneIndex > 0) {
            painter->setPen(QPen(kFrame, 1));
            painter->drawLine(QPointF(plot.left(), lane.top()), QPointF(plot.right(), lane.top()));
        }
    }

    if (!l.priceLane.isEmpty())
        renderPrice(painter, l, m.small, s, options);

    // Frame around the plot.
    painter->setPen(QPen(kFrame, 1));
    painter->setBrush(Qt::NoBrush);
    painter->drawRect(plot.adjusted(-1, -1, 0, 0));

    if (options.cursor && m_cursor)
        renderCursor(painter, l, m.font, m.small, s, options);

    if (!l.legend.isEmpty()) {
        painter->setFont(m.font);
        style::paintLegend(painter, l.legend, legendItems(labels, d->regimes), fm, s, thickness);
    }
    painter->restore();
}

void ChartScene::renderPrice(QPainter* painter, const Layout& l, const QFont& small, double s,
                             const RenderOptions& options) const
{
    Q_UNUSED(options);
    const QRectF lane = l.priceLane;
    const auto& p = *m_price;
    const QRectF& plot = l.plot;
    const auto firstIt = std::lower_bound(p.bars.begin(), p.bars.end(),
                                          static_cast<std::int64_t>(std::floor(m_view.first)) - m_priceOffset - 1);
    const auto lastIt = std::upper_bound(p.bars.begin(), p.bars.end(),
                                         static_cast<std::int64_t>(std::ceil(m_view.last)) - m_priceOffset);
    const auto from = static_cast<std::size_t>(firstIt - p.bars.begin());
    const auto to = static_cast<std::size_t>(lastIt - p.bars.begin());
    if (to <= from)
        return;
    double lo = p.closes[from], hi = p.closes[from];
    for (std::size_t i = from; i < to; ++i) {
        lo = std::min(lo, p.closes[i]);
        hi = std::max(hi, p.closes[i]);
    }
    if (hi <= lo) {
        lo -= 1;
        hi += 1;
    }
    const double margin = (hi - lo) * 0.08;
    lo -= margin;
    hi += margin;
    const double top = lane.top() + 16 * s;
    const double bottom = lane.bottom() - 6 * s;
    const auto yOf = [&](double price) { return bottom - (price - lo) * (bottom - top) / (hi - lo); };

    // Price grid and labels.
    painter->setFont(small);
    const auto ticks = numberTicks(lo, hi, std::max(2, static_cast<int>((bottom - top) / (28 * s))));
    const double smallH = QFontMetricsF(small, painter->device()).height();
    for (const auto& tick : ticks) {
        const double y = std::floor(yOf(tick.value));
        painter->setPen(QPen(kGrid, 1, Qt::DashLine));
        painter->drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        painter->setPen(kMutedText);
        painter->drawText(QRectF(0, y - smallH / 2, plot.left() - 6 * s, smallH), Qt::AlignRight | Qt::AlignVCenter, tick.label);
    }

    // One vertical min..max per pixel column, joined column to column: the shape of the full
    // line at any zoom without visiting more than the bars in view once.
    QPolygonF poly;
    int column = std::numeric_limits<int>::min();
    double cFirst = 0, cMin = 0, cMax = 0, cLast = 0;
    auto flush = [&]() {
        if (column == std::numeric_limits<int>::min())
            return;
        const double x = plot.left() + column + 0.5;
        poly << QPointF(x, yOf(cFirst));
        if (cMin != cMax) {
            poly << QPointF(x, yOf(cMax)) << QPointF(x, yOf(cMin));
        }
        poly << QPointF(x, yOf(cLast));
    };
    for (std::size_t i = from; i < to; ++i) {
        const double x = xForBar(static_cast<double>(p.bars[i] + m_priceOffset) + 0.5, plot) - plot.left();
        const int c = static_cast<int>(std::floor(std::clamp(x, -1.0, plot.width())));
        const double v = p.closes[i];
        if (c != column) {
            flush();
            column = c;
            cFirst = cMin = cMax = cLast = v;
        } else {
            cMin = std::min(cMin, v);
            cMax = std::max(cMax, v);
            cLast = v;
        }
    }
    flush();
    painter->save();
    painter->setClipRect(lane.adjusted(0, 0, 0, -1));
    painter->setRenderHint(QPainter::Antialiasing, true);
    painter->setPen(QPen(kPriceLine, 1.2 * s));
    painter->drawPolyline(poly);

    // Entry / exit markers of the selected traces, joined on bar index (price bar = idx - offset).
    const double mk = 4.5 * s;
    // Markers only while they stay apart; at wider zooms the lanes show the changes.
    const auto maxMarkers = static_cast<std::ptrdiff_t>(plot.width() / (kMarkerSpacing * s) / std::max<std::size_t>(1, d->lanes.size()));
    for (const auto& lane2 : d->lanes) {
        const core::Trace& t = *lane2.trace;
        const auto bars = t.bars();
        const auto a = std::lower_bound(bars.begin(), bars.end(), static_cast<std::int64_t>(std::floor(m_view.first)));
        const auto b = std::lower_bound(bars.begin(), bars.end(), static_cast<std::int64_t>(std::ceil(m_view.last)));
        if (b - a > maxMarkers)
            continue;
        for (auto it = a; it != b; ++it) {
            const auto i = static_cast<std::size_t>(it - bars.begin());
            const std::int32_t before = i > 0 ? t.value(i - 1) : 0;
            const std::int32_t now = t.value(i);
            if (before == now)
                continue;
            std::optional<double> price;
            if (t.price(i) != 0.0)
                price = t.price(i);
            else
                price = p.closeAt(t.bar(i) - m_priceOffset);
            if (!price)
                continue;
            const double x = xForBar(static_cast<double>(t.bar(i)) + 0.5, plot);
            const double y = yOf(*price);
            QPolygonF tri;
            if (now > 0) { // entry long: up triangle under the price
                tri << QPointF(x, y + 2 * s) << QPointF(x - mk, y + 2 * s + 1.7 * mk) << QPointF(x + mk, y + 2 * s + 1.7 * mk);
                painter->setBrush(kLong);
                painter->setPen(QPen(kLong.darker(130), 1));
                painter->drawPolygon(tri);
            } else if (now < 0) { // entry short: down triangle above the price
                tri << QPointF(x, y - 2 * s) << QPointF(x - mk, y - 2 * s - 1.7 * mk) << QPointF(x + mk, y - 2 * s - 1.7 * mk);
                painter->setBrush(kShort);
                painter->setPen(QPen(kShort.darker(130), 1));
                painter->drawPolygon(tri);
            } else { // exit: hollow ring on the price
                painter->setBrush(Qt::white);
                painter->setPen(QPen(kExit, 1.4 * s));
                painter->drawEllipse(QPointF(x, y), mk * 0.8, mk * 0.8);
            }
        }
    }
    painter->restore();

    painter->setFont(small);
    painter->setPen(kMutedText);
    QString title = QStringLiteral("close");
    if (!p.symbol.empty())
        title = QString::fromStdString(p.symbol) + QLatin1Char(' ') + QString::fromStdString(p.timeframe) + QStringLiteral(" close");
    if (m_priceOffset != 0)
        title += QStringLiteral("  (bar = idx − %1)").arg(m_priceOffset);
    painter->fillRect(QRectF(plot.left() + 5 * s, lane.top() + 2 * s, QFontMetricsF(small, painter->device()).horizontalAdvance(title) + 6 * s, smallH),
                      QColor(255, 255, 255, 210));
    painter->drawText(QRectF(plot.left() + 8 * s, lane.top() + 2 * s, plot.width(), smallH), Qt::AlignLeft | Qt::AlignVCenter, title);
    painter->setPen(QPen(kFrame, 1));
    painter->drawLine(QPointF(plot.left(), lane.top()), QPointF(plot.right(), lane.top()));
}

void ChartScene::renderCursor(QPainter* painter, const Layout& l, const QFont& font, const QFont& small, double s,
                              const RenderOptions& options) const
{
    const QRectF& plot = l.plot;
    const qint64 bar = *m_cursor;
    const double x = std::floor(xForBar(static_cast<double>(bar) + 0.5, plot));
    if (x < plot.left() || x > plot.right())
        return;
    painter->setPen(QPen(QColor(0x30, 0x30, 0x30, 170), 1, Qt::DashLine));
    painter->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    if (!options.readout)
        return;

    const auto rows = readout(bar);
    QString header = QStringLiteral("bar %1").arg(bar);
    if (const auto* clock = d->timeClock(*this)) {
        const auto when = QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(std::llround(clock->timeAt(static_cast<double>(bar)) * 1000)), d->zone);
        header += QStringLiteral("   ") + when.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    }
    if (m_price) {
        if (const auto close = m_price->closeAt(bar - m_priceOffset))
            header += QStringLiteral("   close %1").arg(*close, 0, 'f', 2);
    }
    const QFontMetricsF fm(font, painter->device());
    const QFontMetricsF fmSmall(small, painter->device());
    // Columns: trace | value | since | price.
    std::vector<std::array<QString, 4>> cells;
    for (const auto& r : rows) {
        std::array<QString, 4> c;
        c[0] = fmSmall.elidedText(r.trace, Qt::ElideMiddle, 220 * s);
        c[1] = r.value;
        c[2] = r.changeBar >= 0 ? QStringLiteral("%1 bars").arg(r.barsSince) : QString();
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
    const double w = std::max(fm.horizontalAdvance(header), widths[0] + widths[1] + widths[2] + widths[3] + 3 * gap) + 16 * s;
    const double h = fm.height() + rowH * static_cast<double>(cells.size()) + 12 * s;
    // Beside the cursor, below the first lane's title, on whichever side has room.
    const double boxTop = (l.lanes.empty() ? plot.top() : l.lanes.front().top()) + fm.height() + 6 * s;
    const bool fitsRight = x + 12 * s + w <= plot.right();
    QRectF box(fitsRight ? x + 12 * s : std::max(plot.left() + 2 * s, x - 12 * s - w), boxTop, w, h);
    painter->setPen(QPen(kFrame, 1));
    painter->setBrush(QColor(255, 255, 255, 235));
    painter->drawRect(box);
    painter->setFont(font);
    painter->setPen(kText);
    double y = box.top() + 5 * s;
    painter->drawText(QRectF(box.left() + 8 * s, y, w, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, header);
    y += fm.height() + 2 * s;
    painter->setFont(small);
    for (std::size_t i = 0; i < cells.size(); ++i) {
        double cx = box.left() + 8 * s;
        for (std::size_t k = 0; k < 4; ++k) {
            QColor color = k == 0 ? kMutedText : kText;
            if (k == 1 && i < m_signals.size() && rows[i].known)
                color = rows[i].rawValue > 0 ? kLong : rows[i].rawValue < 0 ? kShort : kMutedText;
            if (k == 0 && i < m_signals.size())
                painter->fillRect(QRectF(cx - 5 * s, y + rowH / 2 - 1, 3 * s, 3 * s), traceColor(static_cast<int>(i)));
            painter->setPen(color);
            painter->drawText(QRectF(cx, y, widths[k] + 1, rowH), (k >= 2 ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter, cells[i][k]);
            cx += widths[k] + gap;
        }
        y += rowH;
    }
}

} // namespace sigscope::ui
