// Issue 15's chart defects #10 and #12, driven as a user would (offscreen): the readout box hides
// when the pointer leaves, "1 bar", the focus frame, the key that focuses the chart and the
// Help > Keyboard Shortcuts list built from the window's own actions.
#include "tests/support/testsupport.h"
#include "tests/ui/uitestdata.h"
#include "tests/ui/windowtestutil.h"
#include "ui/charts/tracechart.h"
#include "ui/charts/tracenames.h"
#include "ui/mainwindow/chartpanel.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/mainwindow/shortcutsdialog.h"
#include "ui/mainwindow/storagepanel.h"
#include "ui/session/storagesession.h"

#include <QAction>
#include <QApplication>
#include <QLineEdit>
#include <QPalette>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace sigscope;

namespace {

std::shared_ptr<const core::Trace> signal(std::vector<std::pair<std::int64_t, std::int32_t>> changes, std::int64_t total)
{
    return std::make_shared<const core::Trace>(test::makeSignal("sig", "t", {}, std::move(changes), total));
}

int countColor(const QImage& image, QRgb color)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            n += (image.pixel(x, y) & 0xffffff) == (color & 0xffffff);
    return n;
}

} // namespace

class TestChartPolish : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("sigscope-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_chartpolish"));
        QVERIFY(m_dir.isValid());
        m_storage = m_dir.filePath(QStringLiteral("storage"));
        test::writeSampleStorage(m_storage.toStdString());
    }

    void init() { QSettings().clear(); }

    // #10: the readout box follows the pointer and hides when it leaves (it covered the lane
    // titles); the cursor line stays.
    void readoutHidesOnLeave()
    {
        ui::TraceChart chart;
        chart.resize(800, 400);
        chart.setTraces({signal({{0, 1}, {50, -1}}, 100)}, {});
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        const QImage empty = chart.grab().toImage();
        QTest::mouseMove(&chart, QPoint(static_cast<int>(chart.xForBar(60.5)), chart.height() / 2));
        QTRY_VERIFY(chart.readoutShown());
        QCOMPARE(chart.cursorBar(), std::optional<qint64>(60));
        const QImage withReadout = chart.grab().toImage();
        QVERIFY(withReadout != empty);

        QEvent leave(QEvent::Leave);
        QApplication::sendEvent(&chart, &leave);
        QVERIFY(!chart.readoutShown());
        QCOMPARE(chart.cursorBar(), std::optional<qint64>(60));
        const QImage after = chart.grab().toImage();
        QVERIFY(after != withReadout);

        // Keys move the cursor without the pointer: the readout shows again.
        chart.setFocus();
        QTest::keyClick(&chart, Qt::Key_Left);
        QCOMPARE(chart.cursorBar(), std::optional<qint64>(50));
        QVERIFY(chart.readoutShown());
    }

    // #10: "1 bars" nowhere.
    void singularBar()
    {
        QCOMPARE(ui::barsText(1), QStringLiteral("1 bar"));
        QCOMPARE(ui::barsText(0), QStringLiteral("0 bars"));
        QCOMPARE(ui::barsText(2), QStringLiteral("2 bars"));
        ui::TraceChart chart;
        chart.setTraces({signal({{0, 1}, {50, -1}}, 100)}, {});
        chart.centerOnBar(51);
        const auto rows = chart.readoutRows();
        QCOMPARE(rows.size(), std::size_t(1));
        QCOMPARE(rows[0].barsSince, qint64(1));
    }

    // #12: a frame in the highlight colour while the chart has keyboard focus.
    void focusFrame()
    {
        QWidget top;
        auto* other = new QLineEdit(&top);
        auto* chart = new ui::TraceChart(&top);
        chart->setGeometry(0, 40, 600, 300);
        chart->setTraces({signal({{0, 1}, {50, -1}}, 100)}, {});
        top.resize(600, 340);
        top.show();
        QVERIFY(QTest::qWaitForWindowActive(&top));
        other->setFocus();
        QTRY_VERIFY(other->hasFocus());
        const QRgb highlight = chart->palette().color(QPalette::Highlight).rgb();
        const int before = countColor(chart->grab().toImage(), highlight);
        chart->setFocus(Qt::TabFocusReason);
        QTRY_VERIFY(chart->hasFocus());
        const int focused = countColor(chart->grab().toImage(), highlight);
        QVERIFY2(focused >= before + 2 * (600 + 300), qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(focused)));
    }

    // #12: Ctrl+G focuses the chart from the filter; Help > Keyboard Shortcuts lists every
    // shortcut of the window's actions and the chart's keys.
    void focusKeyAndShortcutsDialog()
    {
        ui::MainWindow window;
        window.setScripted(true);
        window.resize(1200, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY(openAndWait(window));
        window.storagePanel()->selectPaths({test::pathOf(*window.session()->model(), QStringLiteral("rsi_14"))});
        QVERIFY(test::waitSettled(window));
        QLineEdit* filter = window.storagePanel()->filterEdit();
        window.storagePanel()->focusFilter();
        QTRY_VERIFY(filter->hasFocus());
        QTest::keyClick(filter, Qt::Key_G, Qt::ControlModifier);
        QTRY_VERIFY(window.chartPanel()->chart()->hasFocus());

        auto* help = window.findChild<QAction*>(QStringLiteral("actionKeyboardShortcuts"));
        QVERIFY(help);
        ui::ShortcutsDialog dialog(&window);
        const QString text = dialog.text();
        int withShortcut = 0;
        const auto actions = window.findChildren<QAction*>();
        for (const QAction* action : actions) {
            for (const QKeySequence& key : action->shortcuts()) {
                ++withShortcut;
                QVERIFY2(text.contains(key.toString(QKeySequence::NativeText)),
                         qPrintable(key.toString() + QStringLiteral(" missing in:\n") + text));
            }
        }
        QVERIFY(withShortcut >= 8); // Open, F5, Quit, Ctrl+F, Home, Ctrl+G, Ctrl+R, Ctrl+E, ...
        QVERIFY(text.contains(QStringLiteral("Focus Chart")));
        QVERIFY(text.contains(QStringLiteral("Export Chart")));
        for (const auto& key : ui::TraceChart::keyHelp()) {
            QVERIFY2(text.contains(key.keys), qPrintable(key.keys));
            QVERIFY2(text.contains(key.action), qPrintable(key.action));
        }
        QVERIFY(text.contains(QStringLiteral("Zoom in")));
        QVERIFY(text.contains(QStringLiteral("Zoom out")));
        QCOMPARE(ui::ShortcutsDialog::windowRows(&window).size(), static_cast<std::size_t>(std::count_if(
            actions.begin(), actions.end(), [](const QAction* a) { return !a->shortcuts().isEmpty(); })));
    }

private:
    bool openAndWait(ui::MainWindow& window)
    {
        QSignalSpy opened(window.session(), &ui::StorageSession::opened);
        window.openStorage(m_storage);
        return opened.wait(test::kTimeout) && test::waitSettled(window);
    }

    QTemporaryDir m_dir;
    QString m_storage;
};

QTEST_MAIN(TestChartPolish)
#include "tst_chartpolish.moc"
