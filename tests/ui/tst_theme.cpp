// Dark theme: the choice of palette (System follows the desktop palette's window lightness on
// Qt 6.4), the charts drawn with the theme's palette through chartstyle, exports light by
// default and dark only when asked (pixel colours), and View > Theme remembered in the settings.
#include "ui/charts/chartexport.h"
#include "ui/charts/chartscene.h"
#include "ui/charts/chartstyle.h"
#include "ui/charts/tracechart.h"
#include "ui/dialogs/exportdialog.h"
#include "ui/mainwindow/chartpanel.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/mainwindow/theme.h"
#include "uitestdata.h"

#include <QAction>
#include <QApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>

using namespace sigscope;
using ui::Theme;

namespace {

std::shared_ptr<const core::Trace> sample()
{
    return std::make_shared<const core::Trace>(test::makeSignal("sig", "t", {}, {{0, 1}, {40, -1}, {70, 0}}, 100));
}

QPalette windowPalette(QColor window)
{
    QPalette p;
    p.setColor(QPalette::Window, window);
    return p;
}

} // namespace

class TestTheme : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("sigscope-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_theme"));
    }

    void init() { QSettings().clear(); }

    void paletteChoice()
    {
        const QPalette light = windowPalette(QColor(0xef, 0xef, 0xef));
        const QPalette dark = windowPalette(QColor(0x20, 0x20, 0x20));
        QVERIFY(!ui::paletteIsDark(light));
        QVERIFY(ui::paletteIsDark(dark));
        QVERIFY(ui::paletteIsDark(windowPalette(QColor(127, 127, 127))));
        QVERIFY(!ui::paletteIsDark(windowPalette(QColor(128, 128, 128))));
        QVERIFY(!ui::themeIsDark(Theme::System, light));
        QVERIFY(ui::themeIsDark(Theme::System, dark));
        QVERIFY(!ui::themeIsDark(Theme::Light, dark));
        QVERIFY(ui::themeIsDark(Theme::Dark, light));
        QCOMPARE(ui::themeFromName(QStringLiteral("dark")), std::optional<Theme>(Theme::Dark));
        QCOMPARE(ui::themeFromName(QStringLiteral("Dark")), std::nullopt);
        QCOMPARE(ui::themeName(Theme::System), QStringLiteral("system"));
        QCOMPARE(ui::style::paletteFor(false).background, QColor(Qt::white));
        QCOMPARE(ui::style::paletteFor(true).background, QColor(0x1e, 0x22, 0x26));
        QCOMPARE(ui::style::paletteFor(true).text, QColor(0xe0, 0xe4, 0xe8));
        // Outside a scope the colour names are light; inside a dark one dark; restored after.
        QCOMPARE(ui::style::kBackground, QColor(Qt::white));
        {
            const ui::style::PaletteScope scope(true);
            QCOMPARE(ui::style::kBackground, QColor(0x1e, 0x22, 0x26));
            QCOMPARE(ui::style::kText, QColor(0xe0, 0xe4, 0xe8));
        }
        QCOMPARE(ui::style::kBackground, QColor(Qt::white));
    }

    void exportIsLightByDefault()
    {
        ui::ChartScene scene;
        scene.setTraces({sample()}, {});
        const ui::ChartExportSettings settings; // as the dialog starts
        QVERIFY(!settings.dark);
        const ui::ExportOptions light = settings.exportOptions();
        QVERIFY(!light.render.dark);
        const QImage lightImage = ui::renderChartImage(scene, QSize(400, 300), 96, light.render);
        QCOMPARE(lightImage.pixel(1, 1) & 0xffffff, 0xffffffu);
        ui::ChartExportSettings darkSettings;
        darkSettings.dark = true;
        const QImage darkImage = ui::renderChartImage(scene, QSize(400, 300), 96, darkSettings.exportOptions().render);
        QCOMPARE(darkImage.pixel(1, 1) & 0xffffff, 0x1e2226u);
        // The grid is drawn in the palette's grid colour, the same pixels in both themes.
        int lightGrid = 0;
        int darkGrid = 0;
        for (int y = 0; y < 300; ++y) {
            for (int x = 0; x < 400; ++x) {
                lightGrid += QColor(lightImage.pixel(x, y)) == ui::style::lightPalette().grid;
                darkGrid += QColor(darkImage.pixel(x, y)) == ui::style::darkPalette().grid;
            }
        }
        QVERIFY(lightGrid > 100);
        QCOMPARE(darkGrid, lightGrid);
    }

    void windowThemeMenu()
    {
        {
            ui::MainWindow window;
            window.resize(1000, 700);
            auto* dark = window.findChild<QAction*>(QStringLiteral("actionTheme_dark"));
            QVERIFY(dark);
            QVERIFY(window.findChild<QAction*>(QStringLiteral("actionTheme_system"))->isChecked());
            dark->trigger();
            QCOMPARE(QSettings().value(QStringLiteral("view/theme")).toString(), QStringLiteral("dark"));
            QCOMPARE(QApplication::palette().color(QPalette::Window), QColor(0x2b, 0x2f, 0x33));
            ui::TraceChart* chart = window.chartPanel()->chart();
            chart->setTraces({sample()}, {});
            QVERIFY(chart->widgetRenderOptions().dark);
            chart->resize(400, 300);
            const QImage grabbed = chart->grab().toImage();
            QCOMPARE(grabbed.pixel(5, 5) & 0xffffff, 0x1e2226u);
        }
        ui::MainWindow again; // the choice is remembered
        QVERIFY(again.findChild<QAction*>(QStringLiteral("actionTheme_dark"))->isChecked());
        QVERIFY(again.themeActions()->isDark());
        again.findChild<QAction*>(QStringLiteral("actionTheme_light"))->trigger();
        QVERIFY(!again.chartPanel()->chart()->widgetRenderOptions().dark);
        QVERIFY(!ui::paletteIsDark(QApplication::palette()));
    }
};

QTEST_MAIN(TestTheme)
#include "tst_theme.moc"
