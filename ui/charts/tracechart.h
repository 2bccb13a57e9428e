#pragma once

#include "ui/charts/chartscene.h"
#include "ui/charts/viewnavigator.h"

#include <QPointF>
#include <QWidget>

#include <memory>
#include <optional>
#include <utility>
#include <vector>

// The explorer's chart: step lanes (or one overlaid lane) for the selected signal traces,
// regime bands for the selected classifiers, an optional price lane with entry/exit markers,
// and an as-of cursor with a readout. All drawing goes through ChartScene (shared with export).
// Mouse: wheel zooms around the pointer, drag pans, Shift+drag zooms to a rubber band,
// double-click resets, Ctrl+drag selects a bar range (a translucent band; Esc or a plain click
// clears it); keys: Home resets, Left/Right step to the previous/next change, +/- zoom.
// Zoom history: every finished gesture (a wheel burst, a drag, a key, a reset) is one step that
// goBack()/goForward() (Alt+Left/Right in the window, the mouse's back/forward buttons) revisit.
namespace sigscope::ui {

class JobRunner;

class TraceChart : public QWidget
{
    Q_OBJECT
public:
    explicit TraceChart(QWidget* parent = nullptr);
    ~TraceChart() override;

    void setTraces(std::vector<std::shared_ptr<const core::Trace>> signalTraces,
                   std::vector<std::shared_ptr<const core::Trace>> classifierTraces);
    void setLabels(QStringList signalLabels, QStringList classifierLabels); // after setTraces; default: names
    void setAxisMode(AxisMode mode);
    void setOverlay(bool overlay);
    void setConsensusLane(bool on); // ChartScene::setConsensusLane; computed in the background
    // The runner of that computation (the window's job monitor watches it).
    [[nodiscard]] JobRunner* consensusJob() const { return m_consensusJob; }
    void setEquityLane(bool on);    // ChartScene::setEquityLane
    void setEquityCurves(std::shared_ptr<const EquityCurves> curves);
    void setPrice(std::shared_ptr<const PriceSeries> price);
    void setPrices(std::vector<PriceLaneData> prices); // one price lane each (ChartScene::setPrices)
    void setPriceIndexOffset(int offset);
    void setTimeZone(const QTimeZone& zone);

    // Keeps the zoom span, centres the view on `bar` and puts the cursor there.
    void centerOnBar(qint64 bar);
    void resetZoom();
    void setVisibleRange(BarRange range);
    void goBack();    // the previous zoom/pan state, if any
    void goForward(); // the next one, after goBack()
    // Linked views: shows the other view's range; a burst of them becomes one history step when
    // they rest, as a wheel burst does. Emits viewChanged only when the range changes.
    void followView(BarRange range);
    void showCursorAt(std::optional<qint64> bar); // the other view's cursor; emits nothing
    [[nodiscard]] bool canGoBack() const;
    [[nodiscard]] bool canGoForward() const;
    [[nodiscard]] const ZoomHistory& zoomHistory() const { return m_navigator.history(); }

    [[nodiscard]] AxisMode axisMode() const;
    [[nodiscard]] bool overlay() const;
    [[nodiscard]] BarRange visibleRange() const;
    [[nodiscard]] std::optional<qint64> cursorBar() const;
    // The bar range selected with Ctrl+drag, [from, to) in bars; nullopt when there is none.
    using BarSpan = std::pair<qint64, qint64>;
    [[nodiscard]] std::optional<BarSpan> selectedBars() const { return m_selectedBars; }
    // Sets (an empty or reversed span clears) and emits selectedBarsChanged when it changes.
    void setSelectedBars(std::optional<BarSpan> bars);
    [[nodiscard]] std::vector<ReadoutRow> readoutRows() const; // at the cursor; empty without one
    // The readout box is drawn while the pointer is over the chart or keys move the cursor; it
    // hides when the pointer leaves, so that it does not cover the lane titles.
    [[nodiscard]] bool readoutShown() const { return m_readoutShown; }

    // Every key and mouse gesture the chart handles, for Help > Keyboard Shortcuts: kept beside
    // keyPressEvent() so that the two are changed together.
    struct KeyHelp
    {
        QString keys;
        QString action;
    };
    static std::vector<KeyHelp> keyHelp();
    [[nodiscard]] int laneCount() const;
    [[nodiscard]] int bandCount() const;
    [[nodiscard]] QStringList legendRegimes() const;
    // Plot area in widget coordinates and the mapping, for tests and tooltips.
    [[nodiscard]] QRectF plotRect() const;
    [[nodiscard]] double xForBar(double bar) const;
    [[nodiscard]] double barForX(double x) const;

    // The scene for exports: render(painter, target, options) draws exactly what is shown.
    [[nodiscard]] const ChartScene& scene() const { return m_scene; }
    [[nodiscard]] RenderOptions widgetRenderOptions() const;
    void setDark(bool dark); // the theme's chart palette

    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

Q_SIGNALS:
    void cursorMoved(qint64 bar);
    void viewChanged(double firstBar, double lastBar);
    void historyChanged(); // canGoBack() or canGoForward() may have changed
    void selectedBarsChanged(); // selectedBars() changed
    void lanesChanged();        // setTraces() or setLabels(): other traces or labels are shown

protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void focusInEvent(QFocusEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;

private:
    void applyView(BarRange range);
    void moveCursorTo(qint64 bar, bool keepVisible);
    void zoomAround(double x, double factor);
    [[nodiscard]] AxisMap axisMap() const;
    void resetHistoryIfRangeChanged(BarRange fullBefore);
    void refreshConsensus(); // starts the consensus job when the lane is shown without one
    [[nodiscard]] BarSpan barsBetween(double x1, double x2) const; // whole bars under [x1, x2], in range
    void paintSelectedBars(QPainter& painter) const;

    ChartScene m_scene;
    enum class Drag { None, Pan, RubberBand, SelectBars };
    Drag m_drag = Drag::None;
    bool m_readoutShown = false;
    bool m_dark = false;
    QPointF m_pressPos;
    QPointF m_lastPos;
    BarRange m_pressView;
    std::optional<BarSpan> m_selectedBars;
    ViewNavigator m_navigator; // after m_scene: it reads the scene's view when constructed
    JobRunner* m_consensusJob = nullptr;
};

} // namespace sigscope::ui
