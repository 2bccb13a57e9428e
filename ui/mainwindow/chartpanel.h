#pragma once

#include "ui/charts/chartscene.h"

#include <QWidget>

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QMenu;
class QScrollArea;
class QSpinBox;
class QStackedWidget;
class QToolButton;

namespace sigscope::ui {

class OverviewRaster;
class TraceChart;

// The chart area: a small tool row (axis, overlay, price offset, overview) over either the
// lanes chart or the overview raster.
class ChartPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ChartPanel(QWidget* parent = nullptr);

    [[nodiscard]] TraceChart* chart() const { return m_chart; }
    [[nodiscard]] OverviewRaster* overview() const { return m_overview; }

    void showLanes(const QString& title);
    void showOverview(const QString& title);
    void showMessage(const QString& message);
    [[nodiscard]] bool isOverviewShown() const;
    [[nodiscard]] bool isLanesShown() const;
    [[nodiscard]] QString title() const;

    [[nodiscard]] AxisMode axisMode() const;
    void setAxisMode(AxisMode mode);
    [[nodiscard]] bool overlay() const;
    void setOverlay(bool overlay);
    [[nodiscard]] int priceIndexOffset() const;
    void setPriceIndexOffset(int offset);
    void setPriceStatus(const QString& text);

    // Linked views: the overview and the lanes share the bar range and the cursor (on by default).
    [[nodiscard]] bool linked() const { return m_linked; }
    void setLinked(bool linked);
    // View > Link Overview and Lanes: checkable, remembered in QSettings ("view/linkViews").
    QAction* addLinkAction(QMenu* menu);

    // Zoom of the view shown (the overview or the lanes): View > Reset Chart Zoom, Back, Forward.
    void resetZoom();
    void goBack();
    void goForward();
    [[nodiscard]] bool canGoBack() const;
    [[nodiscard]] bool canGoForward() const;

Q_SIGNALS:
    void axisModeChanged(sigscope::ui::AxisMode mode);
    void overlayChanged(bool overlay);
    void priceIndexOffsetChanged(int offset);
    void overviewRequested();
    void overviewShown(); // showOverview(): the overview raster is shown now
    void linkedChanged(bool linked);
    void historyChanged(); // of either view: canGoBack() or canGoForward() may have changed

private:
    void connectLinkedViews();
    // Degenerate bars are always charted on time: the axis choice then shows Time, disabled, and
    // says why; the user's choice comes back with the next ordinary data.
    void updateAxisChoice(bool degenerate);

    bool m_linked = true;
    AxisMode m_axisChoice = AxisMode::Bars; // the user's, whatever the data force
    bool m_syncing = false; // a follower's echo does not travel back
    QLabel* m_title = nullptr;
    QComboBox* m_axis = nullptr;
    QCheckBox* m_overlay = nullptr;
    QSpinBox* m_priceOffset = nullptr;
    QLabel* m_priceStatus = nullptr;
    QToolButton* m_overviewButton = nullptr;
    QStackedWidget* m_stack = nullptr;
    QScrollArea* m_chartScroll = nullptr; // the lanes chart, scrolled when its lanes need more height
    QLabel* m_message = nullptr;
    TraceChart* m_chart = nullptr;
    OverviewRaster* m_overview = nullptr;
};

} // namespace sigscope::ui
