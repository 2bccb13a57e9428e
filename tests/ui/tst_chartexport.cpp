// Chart export: PNG decodes at the asked size and DPI, SVG is well-formed XML with the lanes'
// paths and the legend text, PDF has one page; bad paths and formats fail with a message.
#include "ui/charts/chartexport.h"
#include "ui/charts/chartscene.h"
#include "uitestdata.h"

#include <QFile>
#include <QImageReader>
#include <QPainter>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QFileInfo>
#include <QTest>
#include <QXmlStreamReader>

using namespace sigscope;

namespace {

void fillScene(ui::ChartScene& scene)
{
    auto a = std::make_shared<const core::Trace>(
        test::makeSignal("ma_crossover_5_20", "ma", {}, {{10, 1}, {40, -1}, {70, 0}}, 100));
    auto b = std::make_shared<const core::Trace>(test::makeSignal("rsi_14", "rsi", {}, {{5, -1}, {60, 1}}, 100));
    auto c = std::make_shared<const core::Trace>(
        test::makeClassifier("vol_regime", "vol", {{0, "calm"}, {50, "stormy"}}, 100));
    scene.setTraces({a, b}, {c});
}

ui::ExportOptions options()
{
    ui::ExportOptions o;
    o.size = QSize(1000, 600);
    o.render.title = QStringLiteral("Crossover vs RSI");
    o.render.yAxisTitle = QStringLiteral("Position");
    return o;
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestChartExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void png()
    {
        QTemporaryDir dir;
        ui::ChartScene scene;
        fillScene(scene);
        auto o = options();
        o.dpi = 192;
        const QString path = dir.filePath(QStringLiteral("chart.png"));
        QString error;
        QVERIFY2(ui::exportChart(scene, path, o, &error), qPrintable(error));
        QImageReader reader(path);
        QCOMPARE(reader.format(), QByteArray("png"));
        const QImage image = reader.read();
        QCOMPARE(image.size(), QSize(1000, 600));
        QCOMPARE(image.dotsPerMeterX(), 7559);
        // The same pixels as rendering the scene directly.
        QCOMPARE(image.convertToFormat(QImage::Format_RGB32), ui::renderChartImage(scene, QSize(1000, 600), 192, o.render));
        // Lines are drawn in the first trace colour.
        int lit = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                lit += QColor(image.pixel(x, y)) == ui::ChartScene::traceColor(0);
        QVERIFY(lit > 500);
    }

    void svg()
    {
        QTemporaryDir dir;
        ui::ChartScene scene;
        fillScene(scene);
        const QString path = dir.filePath(QStringLiteral("chart.svg"));
        QString error;
        QVERIFY2(ui::exportChart(scene, path, options(), &error), qPrintable(error));
        const QByteArray xml = readAll(path);
        QXmlStreamReader reader(xml);
        int paths = 0;
        QStringList texts;
        while (!reader.atEnd()) {
            reader.readNext();
            if (reader.isStartElement() && reader.name() == QLatin1String("path"))
                ++paths;
            if (reader.isStartElement() && reader.name() == QLatin1String("text"))
                texts << reader.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
        }
        QVERIFY2(!reader.hasError(), qPrintable(reader.errorString()));
        QVERIFY(paths >= 2); // one per lane at least
        for (const char* expected : {"Crossover vs RSI", "SPY ma_crossover_5_20", "SPY rsi_14", "vol: calm", "vol: stormy",
                                     "Bar index", "Position", "long", "short"})
            QVERIFY2(texts.contains(QString::fromUtf8(expected)), expected);
    }

    void pdf()
    {
        QTemporaryDir dir;
        ui::ChartScene scene;
        fillScene(scene);
        const QString path = dir.filePath(QStringLiteral("chart.pdf"));
        QString error;
        QVERIFY2(ui::exportChart(scene, path, options(), &error), qPrintable(error));
        const QByteArray pdf = readAll(path);
        QVERIFY(pdf.startsWith("%PDF"));
        QCOMPARE(pdf.count("/Type /Page\n") + pdf.count("/Type /Page ") + pdf.count("/Type /Page>") +
                     pdf.count("/Type /Page/"),
                 qsizetype(1));
        QVERIFY(pdf.contains("/Count 1"));
    }

    void errors()
    {
        QTemporaryDir dir;
        ui::ChartScene scene;
        fillScene(scene);
        QString error;
        QVERIFY(!ui::exportChart(scene, dir.filePath(QStringLiteral("chart.bmp")), options(), &error));
        QVERIFY2(error.contains(QStringLiteral("chart.bmp")) && error.contains(QStringLiteral("unknown format")),
                 qPrintable(error));
        const QString missing = dir.filePath(QStringLiteral("no/such/folder/chart.png"));
        QVERIFY(!ui::exportChart(scene, missing, options(), &error));
        QVERIFY2(error.startsWith(QStringLiteral("Cannot export the chart to ") + missing), qPrintable(error));
        QVERIFY(!QFile::exists(missing));
        auto tiny = options();
        tiny.size = QSize(10, 10);
        QVERIFY(!ui::exportChart(scene, dir.filePath(QStringLiteral("t.png")), tiny, &error));
        QVERIFY(error.contains(QStringLiteral("too small")));
    }

    void formatFromSuffix()
    {
        QCOMPARE(ui::exportFormatForPath(QStringLiteral("a/b.PNG")), std::optional(ui::ExportFormat::Png));
        QCOMPARE(ui::exportFormatForPath(QStringLiteral("b.svg")), std::optional(ui::ExportFormat::Svg));
        QCOMPARE(ui::exportFormatForPath(QStringLiteral("b.pdf")), std::optional(ui::ExportFormat::Pdf));
        QCOMPARE(ui::exportFormatForPath(QStringLiteral("b.csv")), std::nullopt);
    }

    // Writes samples for people to look at: to $SIGSCOPE_CHART_SAMPLES when set, else to a
    // temporary folder; either way every file must be there and the SVG must draw back.
    void samples()
    {
        QTemporaryDir tmp;
        QByteArray dir = qgetenv("SIGSCOPE_CHART_SAMPLES");
        if (dir.isEmpty())
            dir = tmp.path().toUtf8();
        ui::ChartScene scene;
        fillScene(scene);
        QString error;
        for (const char* name : {"/export.png", "/export.svg", "/export.pdf"})
            QVERIFY2(ui::exportChart(scene, QString::fromUtf8(dir) + QString::fromUtf8(name), options(), &error),
                     qPrintable(error));
        // The SVG drawn back by Qt's renderer, to look at the vector path.
        QSvgRenderer svg(QString::fromUtf8(dir) + QStringLiteral("/export.svg"));
        QImage back(QSize(1000, 600), QImage::Format_RGB32);
        back.fill(Qt::white);
        QPainter painter(&back);
        svg.render(&painter);
        painter.end();
        QVERIFY(svg.isValid());
        QVERIFY(back.save(QString::fromUtf8(dir) + QStringLiteral("/export_svg.png")));
        for (const char* name : {"/export.png", "/export.svg", "/export.pdf", "/export_svg.png"})
            QVERIFY2(QFileInfo(QString::fromUtf8(dir) + QString::fromUtf8(name)).size() > 1000, name);
        QCOMPARE(QImage(QString::fromUtf8(dir) + QStringLiteral("/export_svg.png")).size(), QSize(1000, 600));
    }
};

QTEST_MAIN(TestChartExport)
#include "tst_chartexport.moc"
