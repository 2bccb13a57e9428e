#pragma once

#include "ui/charts/zoomhistory.h"

#include <QObject>
#include <QTimer>

#include <functional>

// The Back/Forward navigation of one chart widget (the lanes chart and the overview share it):
// the zoom history, the pause that ends a wheel burst, and the rule of when a view becomes a
// step. The widget keeps its view and tells this class when a gesture begins, moves and ends.
namespace sigscope::ui {

class ViewNavigator : public QObject
{
    Q_OBJECT
public:
    using ViewGetter = std::function<BarRange()>;
    using ViewSetter = std::function<void(BarRange)>; // shows a range (the widget clamps it)

    ViewNavigator(ViewGetter view, ViewSetter apply, QObject* parent = nullptr);

    // Forgets every step: the view shown becomes the only state (new traces, a new full range).
    void reset();
    // The view shown becomes a step; a gesture in progress (a wheel burst) ends here.
    void commit();
    // Shows `range` as one whole step of its own.
    void step(BarRange range);
    // The view was moved by one part of a burst (a wheel notch): the burst becomes one step
    // when the wheel rests.
    void burstMoved();
    // Shows `range` as part of a burst (linked views follow each other this way); nothing
    // happens when the view does not change.
    void follow(BarRange range);
    void goBack();    // the previous state, if any
    void goForward(); // the next one, after goBack()

    [[nodiscard]] bool canGoBack() const;
    [[nodiscard]] bool canGoForward() const;
    [[nodiscard]] const ZoomHistory& history() const { return m_history; }

    static constexpr int kBurstPauseMs = 400; // wheel events closer than this are one step

Q_SIGNALS:
    void historyChanged(); // canGoBack() or canGoForward() may have changed

private:
    void show(std::optional<BarRange> state);

    ViewGetter m_view;
    ViewSetter m_apply;
    ZoomHistory m_history;
    QTimer m_burstPause;
};

} // namespace sigscope::ui
