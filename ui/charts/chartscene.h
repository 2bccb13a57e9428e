#pragma once

#include "core/analysis/reduce.h"
#include "core/model/trace.h"
#include "ui/charts/pricedata.h"
#include "ui/charts/renderable.h"

#include <QColor>
#include <QFont>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <QTimeZone>

#include <memory>
#include <optional>
#include <vector>

class QPainter;
class QPaintDevice;

// Everything the trace chart draws, without a widget: the TraceChart widget paints through it,
// and exports (PNG, SVG, PDF, clipboard, headless `sigscope export`) render the same scene into
// their own paint device. Lanes are drawn from core::StepReducer columns, which gives the same
// pixels as drawing every step (the exhaustive mode draws every step, for tests and benches).
namespace sigscope::ui {

enum class AxisMode { Bars, Time };


// One line of the cursor readout: a trace's value as of the cursor bar.
struct ReadoutRow
{
    QString trace;      // lane label
    QString value;      // "long" / "flat" / "short" / "2" / regime name; "-" when unknown
    qint64 rawValue = 0;   // signal position or regime id
    bool known = false; // false before a classifier's first change or past the trace's end
    qint64 changeBar = -1;   // bar of the change in force (-1 when none)
    qint64 barsSince = -1;   // cursor - changeBar (-1 when none)
    std::optional<double> changePrice; // px of the change, else the close at the joined bar
};

struct BarRange
{
    double first = 0; // continuous bar coordinates: bar b covers [b, b + 1)
    double last = 0;
    [[nodiscard]] double span() const { return last - first; }
    bool operator==(const BarRange&) const = default;
};

class ChartScene : public Renderable
{
public:
    using TracePtr = std::shared_ptr<const core::Trace>;

    ChartScene();
    ~ChartScene() override;
    ChartScene(const ChartScene&) = delete;
    ChartScene& operator=(const ChartScene&) = delete;

    // Replaces the traces; keeps the view when it still lies inside the new data, else resets.
    void setTraces(std::vector<TracePtr> signalTraces, std::vector<TracePtr> classifierTraces);
    void setLabels(QStringList signalLabels, QStringList classifierLabels); // default: trace names
    void setAxisMode(AxisMode mode);
    void setOverlay(bool overlay);
    void setPrice(std::shared_ptr<const PriceSeries> price);
    void setPriceIndexOffset(int offset); // price bar = change idx - offset
    void setTimeZone(const QTimeZone& zone); // time axis labels (default UTC)
    [[nodiscard]] QTimeZone timeZone() const;
    [[nodiscard]] QStringList classifierLabels() const; // as set (may be shorter than the classifiers)

    [[nodiscard]] const std::vector<TracePtr>& signalTraces() const { return m_signals; }
    [[nodiscard]] const std::vector<TracePtr>& classifierTraces() const { return m_classifiers; }
    [[nodiscard]] AxisMode axisMode() const { return m_axisMode; }
    [[nodiscard]] bool overlay() const { return m_overlay; }
    [[nodiscard]] int priceIndexOffset() const { return m_priceOffset; }
    [[nodiscard]] const std::shared_ptr<const PriceSeries>& price() const { return m_price; }

    // View in bar coordinates, clamped to fullRange() and a minimum span.
    [[nodiscard]] BarRange fullRange() const;
    [[nodiscard]] BarRange viewRange() const { return m_view; }
    void setViewRange(BarRange range);
    void resetView();

    // The cursor (as-of semantics: the value at bar b is the last change at or before b).
    [[nodiscard]] std::optional<qint64> cursorBar() const { return m_cursor; }
    void setCursorBar(std::optional<qint64> bar);
    [[nodiscard]] std::vector<ReadoutRow> readout(qint64 bar) const;
    // Nearest change bar strictly after / before `bar` over all signal and classifier traces.
    [[nodiscard]] std::optional<qint64> nextChange(qint64 bar) const;
    [[nodiscard]] std::optional<qint64> previousChange(qint64 bar) const;

    // Geometry of a render into `target`.
    struct Layout
    {
        QRectF plot;               // area shared by all lanes (the x axis spans its width)
        std::vector<QRectF> lanes; // signal lanes (one in overlay mode), then the price lane if any
        QRectF priceLane;          // empty without price data
        QRectF xAxis;
        QRectF legend;
        QRectF title;
    };
    [[nodiscard]] Layout layout(const QRectF& target, const RenderOptions& options) const;
    // The same for a given paint device (its DPI sets fonts and line widths).
    [[nodiscard]] Layout layoutFor(const QRectF& target, const RenderOptions& options, const QPaintDevice* device) const;

    // Bar coordinate <-> x inside `plot`, in the current axis mode and view.
    [[nodiscard]] double xForBar(double bar, const QRectF& plot) const;
    [[nodiscard]] double barForX(double x, const QRectF& plot) const;

    // X positions follow an axis coordinate: the bar itself, or seconds since the epoch on a
    // time axis (times come from the price data, else from the traces' change times).
    [[nodiscard]] double axisCoordinate(double bar) const;
    [[nodiscard]] double barOfAxisCoordinate(double u) const;
    [[nodiscard]] bool hasTimeAxis() const; // time mode and some times known

    void render(QPainter* painter, const QRectF& target, const RenderOptions& options) const override;

    [[nodiscard]] int laneCount() const;   // signal lanes drawn (1 in overlay mode with traces)
    [[nodiscard]] int bandCount() const;   // classifier band rows drawn
    [[nodiscard]] QStringList legendRegimes() const; // distinct regime names, sorted
    [[nodiscard]] QStringList laneLabels() const;

    // Stable colours: a regime name always gets the same colour (hash into a fixed palette).
    static QColor regimeColor(const QString& regime);
    static QColor traceColor(int index);

private:
    void renderPrice(QPainter* painter, const Layout& l, const QFont& small, double s, const RenderOptions& options) const;
    void renderCursor(QPainter* painter, const Layout& l, const QFont& font, const QFont& small, double s,
                      const RenderOptions& options) const;

    struct Private;
    std::unique_ptr<Private> d;
    std::vector<TracePtr> m_signals;
    std::vector<TracePtr> m_classifiers;
    AxisMode m_axisMode = AxisMode::Bars;
    bool m_overlay = false;
    std::shared_ptr<const PriceSeries> m_price;
    int m_priceOffset = 0;
    BarRange m_view;
    std::optional<qint64> m_cursor;
};

} // namespace sigscope::ui
