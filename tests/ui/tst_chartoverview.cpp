// The overview raster: time-weighted colours and change markers for a small known input,
// exact pixels; hover / click map to the right trace; many rows scroll.
#include "ui/charts/chartscene.h"
#include "ui/charts/overview.h"
#include "uitestdata.h"

#include <QApplication>
#include <QPainter>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace sigscope;
using ui::OverviewRaster;

namespace {

using TracePtr = std::shared_ptr<const core::Trace>;

TracePtr signal(std::vector<std::pair<std::int64_t, std::int32_t>> changes, std::int64_t total, std::string name)
{
    return std::make_shared<const core::Trace>(test::makeSignal(std::move(name), "t", {}, std::move(changes), total));
}

const QRgb kLong = qRgb(0x2e, 0x7d, 0x32);
const QRgb kShort = qRgb(0xc6, 0x28, 0x28);
const QRgb kFlat = qRgb(0xdf, 0xe3, 0xe6);
const QRgb kEmpty = qRgb(0xf7, 0xf8, 0xf9);
const QRgb kMarker = qRgb(0x1c, 0x23, 0x28);
const QRgb kHalfLong = qRgb(135, 176, 140); // mean 0.5: halfway between long and flat, rounded

std::vector<TracePtr> smallInput()
{
    return {
        signal({{0, 1}}, 10, "all_long"),
        signal({{0, -1}, {4, 0}}, 10, "short_then_flat"),
        // Column 0 (bars 0-1) holds 0 and 1 for a bar each and has two changes: mean 0.5 plus a marker.
        signal({{0, 0}, {1, 1}, {3, -1}}, 8, "mixed_short_end"),
        std::make_shared<const core::Trace>(test::makeClassifier("regime", "c", {{2, "bull"}, {6, "bear"}}, 10)),
    };
}

} // namespace

class TestChartOverview : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rasterRowMeans()
    {
        const auto cells = ui::rasterRow(*smallInput()[2], 10, 5);
        QCOMPARE(cells.size(), std::size_t(5));
        QCOMPARE(cells[0].mean, 0.5);
        QCOMPARE(cells[0].changes, 2u);
        QCOMPARE(cells[1].mean, 0.0); // one bar long, one bar short
        QCOMPARE(cells[1].changes, 1u);
        QCOMPARE(cells[2].mean, -1.0);
        QVERIFY(cells[3].defined);
        QVERIFY(!cells[4].defined); // past the trace's 8 bars
        // A column that straddles the end is weighted over its defined part only.
        const auto three = ui::rasterRow(*smallInput()[2], 10, 3); // columns of 3.33 bars
        QVERIFY(three[2].defined);
        QCOMPARE(three[2].mean, -1.0);
    }

    void exactPixels()
    {
        const auto traces = smallInput();
        QImage image(5, 4 * 4, QImage::Format_RGB32);
        ui::paintRaster(image, traces, 10, 0, 4);
        const QRgb bull = ui::ChartScene::regimeColor(QStringLiteral("bull")).rgb();
        const QRgb bear = ui::ChartScene::regimeColor(QStringLiteral("bear")).rgb();
        // Per row: the colour of each column below the top line, and of the top line.
        const std::vector<std::vector<QRgb>> body{{kLong, kLong, kLong, kLong, kLong},
                                                  {kShort, kShort, kFlat, kFlat, kFlat},
                                                  {kHalfLong, kFlat, kShort, kShort, kEmpty},
                                                  {kEmpty, bull, bull, bear, bear}};
        const std::vector<std::vector<QRgb>> top{{kLong, kLong, kLong, kLong, kLong},
                                                 {kShort, kShort, kFlat, kFlat, kFlat},
                                                 {kMarker, kFlat, kShort, kShort, kEmpty},
                                                 {kEmpty, bull, bull, bear, bear}};
        for (int row = 0; row < 4; ++row) {
            for (int x = 0; x < 5; ++x) {
                for (int y = 0; y < 4; ++y) {
                    const QRgb expected = y == 0 ? top[static_cast<std::size_t>(row)][static_cast<std::size_t>(x)]
                                                 : body[static_cast<std::size_t>(row)][static_cast<std::size_t>(x)];
                    QVERIFY2((image.pixel(x, row * 4 + y) & 0xffffff) == (expected & 0xffffff),
                             qPrintable(QStringLiteral("row %1 x %2 y %3: %4 expected %5")
                                            .arg(row)
                                            .arg(x)
                                            .arg(y)
                                            .arg(image.pixel(x, row * 4 + y), 8, 16)
                                            .arg(expected, 8, 16)));
                }
            }
        }
    }

    // Tall rows keep a white line below them; rows of 1-2 pixels are all marker where flips hide.
    void rowGapsAndThinRows()
    {
        const auto traces = smallInput();
        QImage tall(5, 4 * 8, QImage::Format_RGB32);
        ui::paintRaster(tall, traces, 10, 0, 8);
        QCOMPARE(tall.pixel(0, 7) & 0xffffff, 0xffffffu);
        QCOMPARE(tall.pixel(0, 6) & 0xffffff, kLong & 0xffffff);
        QImage thin(5, 4 * 2, QImage::Format_RGB32);
        ui::paintRaster(thin, traces, 10, 0, 2);
        QCOMPARE(thin.pixel(0, 5) & 0xffffff, kMarker & 0xffffff);
        // Starting at row 2 draws the third trace first.
        QImage scrolled(5, 2, QImage::Format_RGB32);
        ui::paintRaster(scrolled, traces, 10, 2, 1);
        QCOMPARE(scrolled.pixel(2, 0) & 0xffffff, kShort & 0xffffff);
        QCOMPARE(scrolled.pixel(1, 1) & 0xffffff, ui::ChartScene::regimeColor(QStringLiteral("bull")).rgb() & 0xffffff);
    }

    void hoverAndClick()
    {
        OverviewRaster raster;
        raster.resize(700, 300);
        const QStringList labels{QStringLiteral("A long"), QStringLiteral("B short"), QStringLiteral("C mixed"),
                                 QStringLiteral("D regime")};
        raster.setTraces(smallInput(), labels);
        QCOMPARE(raster.rowCount(), 4);
        const QRect r = raster.rasterRect();
        const int h = raster.rowHeight();
        QVERIFY(h >= 2);
        const QPoint inRow1(r.left() + 5, r.top() + h + h / 2);
        QCOMPARE(raster.rowAt(inRow1), std::optional<int>(1));
        QVERIFY(!raster.rowAt(QPoint(r.left() + 5, r.top() + 4 * h + 1)).has_value());
        const QString tip = raster.toolTipAt(inRow1);
        QVERIFY2(tip.startsWith(QStringLiteral("B short\nbar 0: short since bar 0")), qPrintable(tip));
        const QPoint nearEnd(r.right(), r.top() + h / 2);
        QVERIFY2(raster.toolTipAt(nearEnd).contains(QStringLiteral("long since bar 0")), qPrintable(raster.toolTipAt(nearEnd)));
        const QPoint regimeRow(r.left() + r.width() / 2 + 2, r.top() + 3 * h + h / 2);
        QVERIFY2(raster.toolTipAt(regimeRow).contains(QStringLiteral("bull since bar 2")), qPrintable(raster.toolTipAt(regimeRow)));

        QSignalSpy hovered(&raster, &OverviewRaster::hoveredRowChanged);
        QMouseEvent move(QEvent::MouseMove, QPointF(inRow1), raster.mapToGlobal(QPointF(inRow1)), Qt::NoButton,
                         Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(&raster, &move);
        QCOMPARE(hovered.count(), 1);
        QCOMPARE(hovered.last().first().toInt(), 1);

        QSignalSpy activated(&raster, &OverviewRaster::traceActivated);
        QTest::mouseClick(&raster, Qt::LeftButton, Qt::NoModifier, QPoint(r.left() + 5, r.top() + 2 * h + 1));
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.last().first().toInt(), 2);

        // What is on screen is the raster of the input: the first row is all long.
        raster.grab();
        QCOMPARE(raster.rasterImage().pixel(3, 1) & 0xffffff, kLong & 0xffffff);
    }

    // The picture an export writes: every row fitted, the axis right below the last row, the
    // legend naming the raster colours and the classifiers' regimes.
    void sceneFitsEveryRow()
    {
        ui::OverviewScene scene;
        scene.setTraces(smallInput(), {QStringLiteral("A"), QStringLiteral("B")});
        QCOMPARE(scene.label(1), QStringLiteral("B"));
        QCOMPARE(scene.label(2), QStringLiteral("mixed_short_end")); // no label given: the name
        QCOMPARE(scene.legendRegimes(), (QStringList{QStringLiteral("bear"), QStringLiteral("bull")}));
        QImage image(QSize(700, 300), QImage::Format_RGB32);
        const ui::RenderOptions options;
        const ui::OverviewScene::Layout l = scene.layoutFor(QRectF(0, 0, 700, 300), options, &image, {});
        QVERIFY(!l.compressed);
        QCOMPARE(l.rowsShown, 4);
        QCOMPARE(l.rowHeight, 18); // the tallest row: 4 rows leave room
        QCOMPARE(l.raster.height(), 4 * 18);
        QVERIFY(l.axis.top() >= l.raster.bottom() && l.axis.top() <= l.raster.bottom() + 2);
        QVERIFY(l.legend.top() >= l.axis.bottom());
        {
            QPainter painter(&image);
            scene.render(&painter, QRectF(0, 0, 700, 300), options);
        }
        // Row 0 is all long, row 1 short then flat (bar 4 of 10), row 3 the regimes.
        const auto at = [&](double fraction, int row) {
            return image.pixel(l.raster.left() + int(fraction * l.raster.width()), l.raster.top() + row * 18 + 9) & 0xffffff;
        };
        QCOMPARE(at(0.5, 0), kLong & 0xffffff);
        QCOMPARE(at(0.2, 1), kShort & 0xffffff);
        QCOMPARE(at(0.7, 1), kFlat & 0xffffff);
        QCOMPARE(at(0.5, 3), ui::ChartScene::regimeColor(QStringLiteral("bull")).rgb() & 0xffffff);
        QCOMPARE(at(0.9, 3), ui::ChartScene::regimeColor(QStringLiteral("bear")).rgb() & 0xffffff);
        // Past the raster's last row: white.
        QCOMPARE(image.pixel(l.raster.left() + 5, l.raster.bottom() + 1) & 0xffffff, 0xffffffu);
    }

    // A trace that could not be loaded keeps its row (labels stay aligned) and draws nothing.
    void sceneKeepsEmptyRows()
    {
        ui::OverviewScene scene;
        const auto traces = smallInput();
        scene.setTraces({traces[0], nullptr, traces[1]}, {QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("C")});
        QCOMPARE(scene.rowCount(), 3);
        QCOMPARE(scene.label(2), QStringLiteral("C"));
        QImage image(QSize(600, 200), QImage::Format_RGB32);
        const ui::OverviewScene::Layout l = scene.layoutFor(QRectF(0, 0, 600, 200), {}, &image, {});
        {
            QPainter painter(&image);
            scene.render(&painter, QRectF(0, 0, 600, 200), {});
        }
        const int x = l.raster.center().x();
        QCOMPARE(image.pixel(x, l.raster.top() + l.rowHeight / 2) & 0xffffff, kLong & 0xffffff);
        QCOMPARE(image.pixel(x, l.raster.top() + l.rowHeight + l.rowHeight / 2) & 0xffffff, 0xffffffu);
        QCOMPARE(image.pixel(l.raster.left() + 2, l.raster.top() + 2 * l.rowHeight + l.rowHeight / 2) & 0xffffff,
                 kShort & 0xffffff);
    }

    // More traces than pixel rows: each pixel row stands for several, the image holds them all.
    void sceneCompressesRows()
    {
        std::vector<TracePtr> traces;
        for (int i = 0; i < 1000; ++i)
            traces.push_back(signal({{0, i < 500 ? 1 : -1}}, 10000, "t" + std::to_string(i)));
        // A busy trace that flips within every column: no marker, its mean colour instead.
        std::vector<std::pair<std::int64_t, std::int32_t>> flips;
        for (std::int64_t bar = 0; bar < 10000; ++bar) // long on even bars, flat on odd ones
            flips.emplace_back(bar, bar % 2 == 0 ? 1 : 0);
        traces[0] = signal(std::move(flips), 10000, "busy");
        ui::OverviewScene scene;
        scene.setTraces(traces, {});
        QImage image(QSize(600, 300), QImage::Format_RGB32);
        const ui::OverviewScene::Layout l = scene.layoutFor(QRectF(0, 0, 600, 300), {}, &image, {});
        QVERIFY(l.compressed);
        QCOMPARE(l.rowHeight, 1);
        QCOMPARE(l.rowsShown, 1000);
        const QImage raster = scene.rasterImage(l);
        QCOMPARE(raster.height(), 1000);
        QVERIFY((raster.pixel(10, 0) & 0xffffff) != (kMarker & 0xffffff)); // many changes per column, no marker
        // The busy row keeps its mean colour where the widget would mark hidden changes.
        // (10 columns of 1,000 bars: half long, half flat, 1,000 changes each.)
        QImage marked(QSize(10, 1000), QImage::Format_RGB32);
        ui::paintRaster(marked, traces, 10000, 0, 1);
        QCOMPARE(marked.pixel(5, 0) & 0xffffff, kMarker & 0xffffff);
        QImage means(QSize(10, 1000), QImage::Format_RGB32);
        ui::paintRaster(means, traces, 10000, 0, 1, false);
        QCOMPARE(means.pixel(5, 0) & 0xffffff, kHalfLong & 0xffffff);
        QCOMPARE(raster.pixel(10, 499) & 0xffffff, kLong & 0xffffff);
        QCOMPARE(raster.pixel(10, 500) & 0xffffff, kShort & 0xffffff);
        {
            QPainter painter(&image);
            scene.render(&painter, QRectF(0, 0, 600, 300), {});
        }
        // The long half on top, the short half below, scaled into the raster.
        QCOMPARE(image.pixel(l.raster.center().x(), l.raster.top() + 2) & 0xffffff, kLong & 0xffffff);
        QCOMPARE(image.pixel(l.raster.center().x(), l.raster.bottom() - 2) & 0xffffff, kShort & 0xffffff);
    }

    void manyRowsScroll()
    {
        std::vector<TracePtr> traces;
        QStringList labels;
        for (int i = 0; i < 1000; ++i) {
            traces.push_back(signal({{i, 1}}, 1000, "t" + std::to_string(i)));
            labels << QStringLiteral("t%1").arg(i);
        }
        OverviewRaster raster;
        raster.resize(600, 300);
        raster.setTraces(traces, labels);
        QCOMPARE(raster.firstVisibleRow(), 0);
        const QRect r = raster.rasterRect();
        // Shift+wheel scrolls the rows (the wheel alone zooms, as on the lanes: tst_overviewaxis).
        QWheelEvent wheel(QPointF(r.center()), raster.mapToGlobal(QPointF(r.center())), QPoint(), QPoint(0, -120 * 5),
                          Qt::NoButton, Qt::ShiftModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(&raster, &wheel);
        const int first = raster.firstVisibleRow();
        QVERIFY(first > 0);
        QCOMPARE(raster.rowAt(QPoint(r.left() + 1, r.top())), std::optional<int>(first));
        QVERIFY(raster.toolTipAt(QPoint(r.left() + 1, r.top())).startsWith(labels[first]));
    }

    // Issue 15: at a 1024x700 window the overview had 40 rows of 9 px, too short for their labels,
    // and showed "40 trace(s)" instead of names. Rows are at least a label tall and scroll.
    void rowsKeepTheirLabels()
    {
        std::vector<TracePtr> traces;
        QStringList labels;
        for (int i = 0; i < 40; ++i) {
            traces.push_back(signal({{0, i % 2 == 0 ? 1 : -1}}, 100, "t" + std::to_string(i)));
            labels << QStringLiteral("rsi_bands_%1").arg(i);
        }
        OverviewRaster raster;
        raster.resize(600, 410); // the overview's share of a 1024x700 window
        raster.setTraces(traces, labels);
        const int labelHeight = ui::OverviewScene::labelRowHeight(&raster, {});
        QVERIFY2(labelHeight >= 10 && labelHeight <= 14, qPrintable(QString::number(labelHeight)));
        QCOMPARE(raster.rowHeight(), labelHeight);
        const QRect r = raster.rasterRect();
        const int shown = r.height() / labelHeight;
        QVERIFY(shown < 40); // so the rows scroll
        const QImage image = raster.grab().toImage();
        const QRgb background = image.pixel(2, r.top() + 1);
        // Every row shown has its name: ink left of the raster within the row's band.
        for (int row = 0; row < shown; ++row) {
            bool ink = false;
            for (int y = r.top() + row * labelHeight + 2; y < r.top() + (row + 1) * labelHeight - 1 && !ink; ++y)
                for (int x = 0; x < r.left() - 4 && !ink; ++x)
                    ink = image.pixel(x, y) != background;
            QVERIFY2(ink, qPrintable(QStringLiteral("row %1 has no label").arg(row)));
        }
        QTest::keyClick(&raster, Qt::Key_PageDown); // a page down reaches the last rows
        QCOMPARE(raster.firstVisibleRow(), 40 - shown);
        QCOMPARE(raster.rowAt(QPoint(r.left() + 1, r.top() + (shown - 1) * labelHeight + 1)), std::optional<int>(39));
    }

    // Writes a sample PNG for people to look at: to $SIGSCOPE_CHART_SAMPLES when set, else to a
    // temporary folder; it must be written at the widget's size.
    void samples()
    {
        QTemporaryDir tmp;
        QByteArray dir = qgetenv("SIGSCOPE_CHART_SAMPLES");
        if (dir.isEmpty())
            dir = tmp.path().toUtf8();
        std::vector<TracePtr> traces;
        QStringList labels;
        for (int i = 0; i < 40; ++i) {
            std::vector<std::pair<std::int64_t, std::int32_t>> changes;
            // Slower strategies flip less often: the raster shows the family's structure.
            const int period = 20 + i * 15;
            std::int32_t v = 0;
            for (std::int64_t bar = i % 7; bar < 20000; bar += period + (bar * 7919 + i * 104729) % period) {
                v = v == 1 ? -1 : v + 1;
                changes.emplace_back(bar, v);
            }
            traces.push_back(signal(std::move(changes), 20000, "ma_crossover_" + std::to_string(i)));
            labels << QStringLiteral("ma_crossover_%1_%2").arg(5 + i % 5).arg(20 + i * 5);
        }
        OverviewRaster raster;
        raster.resize(1000, 560);
        raster.setTraces(traces, labels);
        QVERIFY(raster.grab().save(QString::fromUtf8(dir) + QStringLiteral("/overview.png")));
        QCOMPARE(QImage(QString::fromUtf8(dir) + QStringLiteral("/overview.png")).size(), QSize(1000, 560));
    }
};

QTEST_MAIN(TestChartOverview)
#include "tst_chartoverview.moc"
