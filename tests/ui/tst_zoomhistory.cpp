// Zoom history: the pure list (ZoomHistory), the chart's gestures as steps (a wheel burst or a
// drag is one step, Home is a step, the mouse's back/forward buttons), and the window's
// Back/Forward actions on Alt+Left/Alt+Right, listed in Help > Keyboard Shortcuts.
#include "ui/charts/tracechart.h"
#include "ui/charts/zoomhistory.h"
#include "ui/mainwindow/chartpanel.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/mainwindow/shortcutsdialog.h"
#include "uitestdata.h"

#include <QAction>
#include <QApplication>
#include <QSignalSpy>
#include <QTest>

using namespace sigscope;
using ui::BarRange;
using ui::TraceChart;
using ui::ZoomHistory;

namespace {

std::shared_ptr<const core::Trace> signal1000()
{
    std::vector<std::pair<std::int64_t, std::int32_t>> changes;
    for (std::int64_t bar = 0; bar < 1000; bar += 10)
        changes.emplace_back(bar, static_cast<std::int32_t>((bar / 10) % 3) - 1);
    return std::make_shared<const core::Trace>(test::makeSignal("sig", "t", {}, std::move(changes), 1000));
}

void sendWheel(QWidget* w, QPointF pos, int delta)
{
    QWheelEvent event(pos, w->mapToGlobal(pos), QPoint(), QPoint(0, delta), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(w, &event);
}

void sendMouse(QWidget* w, QEvent::Type type, QPointF pos, Qt::MouseButton button, Qt::MouseButtons buttons)
{
    QMouseEvent event(type, pos, w->mapToGlobal(pos), button, buttons, Qt::NoModifier);
    QApplication::sendEvent(w, &event);
}

} // namespace

class TestZoomHistory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listBackForwardAndTruncate()
    {
        ZoomHistory history;
        QCOMPARE(history.current(), std::nullopt);
        history.reset({0, 1000});
        QVERIFY(!history.canGoBack());
        QVERIFY(history.commit({100, 200}));
        QVERIFY(!history.commit({100, 200})); // the same state is no new step
        QVERIFY(history.commit({120, 220}));
        QCOMPARE(history.size(), std::size_t{3});
        QCOMPARE(history.back(), std::optional<BarRange>(BarRange{100, 200}));
        QCOMPARE(history.back(), std::optional<BarRange>(BarRange{0, 1000}));
        QCOMPARE(history.back(), std::nullopt);
        QCOMPARE(history.forward(), std::optional<BarRange>(BarRange{100, 200}));
        QVERIFY(history.canGoForward());
        // A new state after Back drops the states ahead, as in a browser.
        QVERIFY(history.commit({500, 600}));
        QVERIFY(!history.canGoForward());
        QCOMPARE(history.size(), std::size_t{3});
        QCOMPARE(history.back(), std::optional<BarRange>(BarRange{100, 200}));
        history.reset({0, 10});
        QCOMPARE(history.size(), std::size_t{1});
        QCOMPARE(history.current(), std::optional<BarRange>(BarRange{0, 10}));
    }

    void listKeepsTheNewestHundred()
    {
        ZoomHistory history;
        history.reset({0, 1});
        for (int i = 1; i <= 150; ++i)
            history.commit({0, static_cast<double>(i + 1)});
        QCOMPARE(history.size(), ZoomHistory::kMaxEntries);
        QCOMPARE(history.index(), ZoomHistory::kMaxEntries - 1);
        QCOMPARE(history.current(), std::optional<BarRange>(BarRange{0, 151}));
        while (history.back()) {
        }
        QCOMPARE(history.current(), std::optional<BarRange>(BarRange{0, 52}));
    }

    // Three wheel events in a burst are one step; the drag after them is another; Home a third.
    void chartGesturesAreSteps()
    {
        TraceChart chart;
        chart.resize(900, 500);
        chart.setTraces({signal1000()}, {});
        const BarRange full = chart.visibleRange();
        QCOMPARE(full, (BarRange{0, 1000}));
        QVERIFY(!chart.canGoBack());
        chart.setVisibleRange({200, 600});
        QCOMPARE(chart.zoomHistory().size(), std::size_t{2});

        const QRectF plot = chart.plotRect();
        for (int i = 0; i < 3; ++i)
            sendWheel(&chart, plot.center(), 120);
        const BarRange wheeled = chart.visibleRange();
        QVERIFY(wheeled.span() < 400 * 0.8 * 0.8 * 0.8 + 1e-6);
        QVERIFY(chart.canGoBack());

        const QPointF from(plot.left() + 400, plot.center().y());
        const QPointF to(plot.left() + 250, plot.center().y());
        sendMouse(&chart, QEvent::MouseButtonPress, from, Qt::LeftButton, Qt::LeftButton);
        sendMouse(&chart, QEvent::MouseMove, (from + to) / 2, Qt::NoButton, Qt::LeftButton);
        sendMouse(&chart, QEvent::MouseMove, to, Qt::NoButton, Qt::LeftButton);
        sendMouse(&chart, QEvent::MouseButtonRelease, to, Qt::LeftButton, Qt::NoButton);
        const BarRange dragged = chart.visibleRange();
        QVERIFY(!(dragged == wheeled));
        QTest::keyClick(&chart, Qt::Key_Home);
        QCOMPARE(chart.visibleRange(), full);
        // full, 200..600, the wheel burst, the drag, Home.
        QCOMPARE(chart.zoomHistory().size(), std::size_t{5});

        chart.goBack();
        QCOMPARE(chart.visibleRange(), dragged);
        chart.goBack();
        QCOMPARE(chart.visibleRange(), wheeled);
        // The mouse's back button is Back, its forward button Forward.
        sendMouse(&chart, QEvent::MouseButtonPress, plot.center(), Qt::BackButton, Qt::BackButton);
        QCOMPARE(chart.visibleRange(), (BarRange{200, 600}));
        sendMouse(&chart, QEvent::MouseButtonPress, plot.center(), Qt::ForwardButton, Qt::ForwardButton);
        QCOMPARE(chart.visibleRange(), wheeled);
        chart.goForward();
        chart.goForward();
        QCOMPARE(chart.visibleRange(), full);
        QVERIFY(!chart.canGoForward());
        chart.goForward(); // at the end: nothing happens
        QCOMPARE(chart.visibleRange(), full);
    }

    // Back right after a wheel burst (before it rests) returns to where the burst began.
    void backEndsAnUnfinishedBurst()
    {
        TraceChart chart;
        chart.resize(900, 500);
        chart.setTraces({signal1000()}, {});
        sendWheel(&chart, chart.plotRect().center(), 120);
        sendWheel(&chart, chart.plotRect().center(), 120);
        const BarRange wheeled = chart.visibleRange();
        chart.goBack();
        QCOMPARE(chart.visibleRange(), (BarRange{0, 1000}));
        chart.goForward();
        QCOMPARE(chart.visibleRange(), wheeled);
        // New traces with another full range start a new history.
        chart.setTraces({std::make_shared<const core::Trace>(test::makeSignal("long", "t", {}, {{0, 1}}, 4000))}, {});
        QCOMPARE(chart.zoomHistory().size(), std::size_t{1});
        QVERIFY(!chart.canGoBack());
    }

    void windowActionsAndShortcutsHelp()
    {
        ui::MainWindow window;
        window.setScripted(true);
        auto* back = window.findChild<QAction*>(QStringLiteral("actionZoomBack"));
        auto* forward = window.findChild<QAction*>(QStringLiteral("actionZoomForward"));
        QVERIFY(back && forward);
        QCOMPARE(back->shortcut(), QKeySequence(Qt::ALT | Qt::Key_Left));
        QCOMPARE(forward->shortcut(), QKeySequence(Qt::ALT | Qt::Key_Right));
        QVERIFY(!back->isEnabled());
        TraceChart* chart = window.chartPanel()->chart();
        chart->setTraces({signal1000()}, {});
        chart->setVisibleRange({100, 300});
        QVERIFY(back->isEnabled());
        QVERIFY(!forward->isEnabled());
        back->trigger();
        QCOMPARE(chart->visibleRange(), (BarRange{0, 1000}));
        QVERIFY(forward->isEnabled());
        forward->trigger();
        QCOMPARE(chart->visibleRange(), (BarRange{100, 300}));

        bool listed = false;
        for (const auto& row : ui::ShortcutsDialog::windowRows(&window))
            listed |= row.keys == QKeySequence(Qt::ALT | Qt::Key_Left).toString(QKeySequence::NativeText)
                && row.action == QStringLiteral("Back (Zoom)");
        QVERIFY(listed);
        bool mouse = false;
        for (const auto& row : ui::ShortcutsDialog::chartRows())
            mouse |= row.keys == QStringLiteral("Mouse Back / Forward");
        QVERIFY(mouse);
    }
};

QTEST_MAIN(TestZoomHistory)
#include "tst_zoomhistory.moc"
