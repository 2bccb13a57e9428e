// `sigscope export` run as a process on a written storage: each format (PNG at the asked size,
// well-formed SVG with the lanes and legend, one-page PDF, CSV equal to the traces' changes or
// dense values), the filter semantics shared with the tree, and the exit codes of failures
// (1, message naming the file or the filter) and usage errors (2).
#include "core/export/csv.h"
#include "tests/support/testsupport.h"
#include "tests/ui/exportcheck.h"
#include "tests/ui/uitestdata.h"
#include "ui/charts/chartscene.h"
#include "ui/charts/overview.h"

#include <QImage>
#include <QImageReader>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace sigscope;

namespace {

using Run = test::CommandRun;

Run runSigscope(const QStringList& arguments)
{
    return test::runSigscope(QStringList{QStringLiteral("export")} + arguments);
}

QByteArray describe(const Run& run)
{
    return QStringLiteral("exit %1\nstdout:\n%2\nstderr:\n%3").arg(run.exitCode).arg(run.out, run.err).toUtf8();
}

const core::Trace& sampleNamed(const std::vector<core::Trace>& traces, const std::string& name)
{
    for (const auto& t : traces) {
        if (t.identity.name == name)
            return t;
    }
    throw std::runtime_error("no sample trace " + name);
}

} // namespace

class TestExportCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // As on a machine without a display: the command must choose the offscreen platform itself.
        for (const char* name : {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"})
            qunsetenv(name);
        QVERIFY(m_dir.isValid());
        m_storage = m_dir.filePath(QStringLiteral("storage"));
        test::writeSampleStorage(m_storage.toStdString());
    }

    void png()
    {
        const QString out = m_dir.filePath(QStringLiteral("rsi.png"));
        const Run run = runSigscope({m_storage, QStringLiteral("--select"), QStringLiteral("rsi 14"), QStringLiteral("--out"),
                                     out, QStringLiteral("--size"), QStringLiteral("800x450"), QStringLiteral("--title"),
                                     QStringLiteral("RSI 14")});
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        QCOMPARE(run.out, out + QLatin1Char('\n'));
        // Nothing else on the terminal: not even the offscreen platform's and XDG_RUNTIME_DIR's notes.
        QCOMPARE(run.err, QString());
        QImageReader reader(out);
        QCOMPARE(reader.format(), QByteArray("png"));
        QCOMPARE(reader.read().size(), QSize(800, 450));
    }

    // Traces in the tree's order, names in natural order: 5_20 before 10_30.
    void naturalOrder()
    {
        const QString out = m_dir.filePath(QStringLiteral("order.csv"));
        const Run run = runSigscope({m_storage, QStringLiteral("--select"), QStringLiteral("ma_crossover"), QStringLiteral("--dense"),
                                     QStringLiteral("--from"), QStringLiteral("0"), QStringLiteral("--to"), QStringLiteral("1"),
                                     QStringLiteral("--out"), out});
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        QCOMPARE(QString::fromUtf8(test::readBytes(out)), QStringLiteral("bar,ma_crossover_5_20,ma_crossover_10_30\n0,0,0\n"));
    }

    // Any number of traces as the overview raster: one row each, every row in the picture.
    void overviewPng()
    {
        const QString out = m_dir.filePath(QStringLiteral("overview.png"));
        const Run run = runSigscope({m_storage, QStringLiteral("--select"), QStringLiteral("signal | trend"),
                                     QStringLiteral("--overview"), QStringLiteral("--out"), out, QStringLiteral("--size"),
                                     QStringLiteral("900x360")});
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        QCOMPARE(run.out, out + QLatin1Char('\n'));
        const QImage image = QImage(out).convertToFormat(QImage::Format_RGB32);
        QCOMPARE(image.size(), QSize(900, 360));
        // Five signals and the trend classifier: six rows, each with its colours (long green somewhere,
        // the trend's "up" and "down" regime colours).
        std::set<QRgb> colours;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                colours.insert(image.pixel(x, y) & 0xffffff);
        QVERIFY(colours.count(ui::rasterColor({1.0, true, 0}).rgb() & 0xffffff));
        QVERIFY(colours.count(ui::rasterColor({-1.0, true, 0}).rgb() & 0xffffff));
        QVERIFY(colours.count(ui::ChartScene::regimeColor(QStringLiteral("up")).rgb() & 0xffffff));
        QVERIFY(colours.count(ui::ChartScene::regimeColor(QStringLiteral("down")).rgb() & 0xffffff));
        QVERIFY(!colours.count(ui::ChartScene::regimeColor(QStringLiteral("high_vol")).rgb() & 0xffffff));
    }

    // The overview takes the lanes' --axis time and --from / --to.
    void overviewTimeAxis()
    {
        const QString out = m_dir.filePath(QStringLiteral("overview-time.svg"));
        const Run run = runSigscope({m_storage, QStringLiteral("--select"), QStringLiteral("rsi"), QStringLiteral("--overview"),
                                     QStringLiteral("--axis"), QStringLiteral("time"), QStringLiteral("--from"),
                                     QStringLiteral("10"), QStringLiteral("--to"), QStringLiteral("40"),
                                     QStringLiteral("--out"), out});
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        const test::SvgContent svg = test::readSvg(out);
        QVERIFY2(svg.error.isEmpty(), qPrintable(svg.error));
        // One minute per bar from 13:30: bars 10-40 are 13:40 to 14:10.
        for (const char* text : {"Time (UTC)", "13:40", "14:00"})
            QVERIFY2(svg.texts.contains(QString::fromUtf8(text)), qPrintable(svg.texts.join(QLatin1Char('|'))));
        QVERIFY(!svg.texts.contains(QStringLiteral("13:30")));
    }

    void svg()
    {
        // "rsi 14" matches rsi_14 (SPY) and rsi_bands_14_70 (QQQ): labels carry the symbols.
        const QString out = m_dir.filePath(QStringLiteral("rsi.svg"));
        const Run run = runSigscope({m_storage, QStringLiteral("--select"), QStringLiteral("rsi 14"),
                                     QStringLiteral("--classifier"), QStringLiteral("volatility"), QStringLiteral("--out"),
                                     out, QStringLiteral("--axis"), QStringLiteral("time"), QStringLiteral("--from"),
                                     QStringLiteral("5"), QStringLiteral("--to"), QStringLiteral("80")});
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        const test::SvgContent svg = test::readSvg(out);
        QVERIFY2(svg.error.isEmpty(), qPrintable(svg.error));
        QVERIFY(svg.paths >= 2);
        for (const char* text : {"rsi_14 SPY", "rsi_bands_14_70 QQQ", "regime: high_vol", "regime: low_vol", "Time (UTC)"})
            QVERIFY2(svg.texts.contains(QString::fromUtf8(text)), qPrintable(QString::fromUtf8(text) + QStringLiteral(" not in ") + svg.texts.join(QLatin1Char('|'))));
    }

    // Issue 15 #1: `--title` with markup characters still gives well-formed XML, title read back exactly.
    void svgTitleIsEscaped()
    {
        const QString title = QStringLiteral("RSI <14> & \"fast\"");
        for (const bool overview : {false, true}) {
            const QString out = m_dir.filePath(overview ? QStringLiteral("escaped-overview.svg") : QStringLiteral("escaped.svg"));
            QStringList arguments{m_storage, QStringLiteral("--select"), QStringLiteral("rsi"), QStringLiteral("--out"), out,
                                  QStringLiteral("--title"), title};
            if (overview)
                arguments << QStringLiteral("--overview");
            const Run run = runSigscope(arguments);
            QVERIFY2(run.exitCode == 0, describe(run).constData());
            const test::SvgContent svg = test::readSvg(out);
            QVERIFY2(svg.error.isEmpty(), qPrintable(svg.error));
            QCOMPARE(svg.title, title);
            QVERIFY2(svg.texts.contains(title), qPrintable(svg.texts.join(QLatin1Char('|'))));
        }
    }

    void pdf()
    {
        const QString out = m_dir.filePath(QStringLiteral("ma.pdf"));
        const Run run = runSigscope({m_storage, QStringLiteral("--select"), QStringLiteral("ma_crossover"),
                                     QStringLiteral("--out"), out});
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        const QByteArray pdf = test::readBytes(out);
        QVERIFY(pdf.startsWith("%PDF"));
        QCOMPARE(test::pdfPageCount(pdf), 1);
    }

    void csvChanges()
    {
        const auto traces = test::sampleTraces();
        const QString out = m_dir.filePath(QStringLiteral("one.csv"));
        Run run = runSigscope({m_storage, QStringLiteral("--select"), QStringLiteral("rsi_21"), QStringLiteral("--out"), out});
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        QCOMPARE(QString::fromUtf8(test::readBytes(out)), QString::fromStdString(core::csv::changes(sampleNamed(traces, "rsi_21"))));

        // Alternatives with '|', as in the filter box; a trace column for several traces.
        const QString two = m_dir.filePath(QStringLiteral("two.csv"));
        run = runSigscope({m_storage, QStringLiteral("--select"), QStringLiteral("rsi_21 | trend"), QStringLiteral("--out"), two,
                           QStringLiteral("--from"), QStringLiteral("6")});
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        const core::Trace& rsi = sampleNamed(traces, "rsi_21");
        const core::Trace& trend = sampleNamed(traces, "trend_classifier");
        // Storage order: signals before classifiers.
        const std::vector<core::csv::LabelledTrace> expected{{"rsi_21", &rsi}, {"trend_classifier", &trend}};
        QCOMPARE(QString::fromUtf8(test::readBytes(two)), QString::fromStdString(core::csv::changes(expected, 6)));
        QCOMPARE(QString::fromUtf8(test::readBytes(two)),
                 QStringLiteral("trace,bar,time,value,price,confidence\n"
                                "rsi_21,50,2024-03-26T14:20:00+00:00,0,0,\n"
                                "trend_classifier,10,2024-03-26T13:40:00+00:00,up,0,0.9\n"
                                "trend_classifier,60,2024-03-26T14:30:00+00:00,down,0,0.9\n"));
    }

    void csvDense()
    {
        const QString out = m_dir.filePath(QStringLiteral("dense.csv"));
        const Run run = runSigscope({m_storage, QStringLiteral("--select"), QStringLiteral("rsi_21 | trend"),
                                     QStringLiteral("--out"), out, QStringLiteral("--dense"), QStringLiteral("--from"),
                                     QStringLiteral("8"), QStringLiteral("--to"), QStringLiteral("12")});
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        QCOMPARE(QString::fromUtf8(test::readBytes(out)),
                 QStringLiteral("bar,rsi_21,trend_classifier\n8,1,\n9,1,\n10,1,up\n11,1,up\n"));
        // Without a range: every bar of the longest trace.
        const Run all = runSigscope({m_storage, QStringLiteral("--select"), QStringLiteral("rsi_21"), QStringLiteral("--out"),
                                     out, QStringLiteral("--dense")});
        QVERIFY2(all.exitCode == 0, describe(all).constData());
        QCOMPARE(QString::fromUtf8(test::readBytes(out)).count(QLatin1Char('\n')), 101);
    }

    void failures_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QString out = m_dir.filePath(QStringLiteral("x.png"));
        const auto s = [](const char* text) { return QString::fromUtf8(text); };
        QTest::newRow("no match") << QStringList{m_storage, s("--select"), s("nothing_like_this"), s("--out"), out} << 1
                                  << s("no trace in ");
        QTest::newRow("missing folder") << QStringList{m_dir.filePath(s("absent")), s("--select"), s("rsi"), s("--out"), out}
                                        << 1 << s("absent");
        QTest::newRow("unwritable") << QStringList{m_storage, s("--select"), s("rsi"), s("--out"), m_dir.filePath(s("no/x.png"))}
                                    << 1 << m_dir.filePath(s("no/x.png"));
        QTest::newRow("unwritable csv") << QStringList{m_storage, s("--select"), s("rsi"), s("--out"), m_dir.filePath(s("no/x.csv"))}
                                        << 1 << s("x.csv");
        QTest::newRow("no select") << QStringList{m_storage, s("--out"), out} << 2 << s("--select FILTER is required");
        QTest::newRow("no out") << QStringList{m_storage, s("--select"), s("rsi")} << 2 << s("--out FILE is required");
        QTest::newRow("no dir") << QStringList{s("--select"), s("rsi"), s("--out"), out} << 2 << s("missing argument");
        QTest::newRow("suffix") << QStringList{m_storage, s("--select"), s("rsi"), s("--out"), s("x.jpg")} << 2 << s(".png, .svg");
        QTest::newRow("size") << QStringList{m_storage, s("--select"), s("rsi"), s("--out"), out, s("--size"), s("big")} << 2
                              << s("--size wants WxH");
        QTest::newRow("range") << QStringList{m_storage, s("--select"), s("rsi"), s("--out"), out, s("--from"), s("9"), s("--to"), s("9")}
                               << 2 << s("--to (9) must be after --from (9)");
        QTest::newRow("bar") << QStringList{m_storage, s("--select"), s("rsi"), s("--out"), out, s("--from"), s("-3")} << 2
                             << s("--from wants a bar index");
        QTest::newRow("axis") << QStringList{m_storage, s("--select"), s("rsi"), s("--out"), out, s("--axis"), s("days")} << 2
                              << s("--axis wants 'bars' or 'time'");
        QTest::newRow("dense png") << QStringList{m_storage, s("--select"), s("rsi"), s("--out"), out, s("--dense")} << 2
                                   << s("--dense goes with a .csv output");
        QTest::newRow("overview csv") << QStringList{m_storage, s("--select"), s("rsi"), s("--out"), s("x.csv"), s("--overview")}
                                      << 2 << s("--overview goes with a .png, .svg or .pdf output");
        QTest::newRow("unknown option") << QStringList{m_storage, s("--select"), s("rsi"), s("--out"), out, s("--bogus")} << 2
                                        << s("bogus");
    }

    void failures()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const Run run = runSigscope(arguments);
        QVERIFY2(run.exitCode == exitCode, describe(run).constData());
        QVERIFY2(run.err.contains(message), describe(run).constData());
        QVERIFY2(run.out.isEmpty(), describe(run).constData());
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("x.png"))));
    }

    void help()
    {
        const Run run = runSigscope({QStringLiteral("--help")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(QStringLiteral("sigscope export")) && run.out.contains(QStringLiteral("--classifier")),
                 describe(run).constData());
    }

private:
    QTemporaryDir m_dir;
    QString m_storage; // written once; the commands only read it
};

QTEST_GUILESS_MAIN(TestExportCli)
#include "tst_export_cli.moc"
