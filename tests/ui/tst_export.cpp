// Export from the explorer window (issue 5): the menu actions and shortcuts, chart files from
// the shown chart (PNG decodes at the asked size, SVG is well-formed XML with the lanes' paths
// and the legend text, PDF has one page), the clipboard image, CSV of the selected traces
// (changes equal the traces' changes; dense values over the visible range equal valueAt),
// the transitions table as CSV, the dialog's remembered settings, and errors naming the file.
#include "core/analysis/steps.h"
#include "core/export/csv.h"
#include "tests/support/testsupport.h"
#include "tests/ui/exportcheck.h"
#include "tests/ui/uitestdata.h"
#include "tests/ui/windowtestutil.h"
#include "ui/charts/overview.h"
#include "ui/charts/tracechart.h"
#include "ui/dialogs/exportdialog.h"
#include "ui/mainwindow/chartpanel.h"
#include "ui/mainwindow/exportactions.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/mainwindow/storagepanel.h"
#include "ui/session/storagesession.h"
#include "ui/jobs/jobrunner.h"
#include "ui/jobs/jobmonitor.h"
#include "ui/mainwindow/transitionspanel.h"
#include "ui/models/roles.h"
#include "ui/models/storagetreemodel.h"
#include "ui/models/transitionsmodel.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QGuiApplication>
#include <QImage>
#include <QImageReader>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace sigscope;

namespace {

using test::kTimeout;
using test::pathOf;
using test::waitSettled;

QStringList lines(const QString& path)
{
    return QString::fromUtf8(test::readBytes(path)).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

} // namespace

class TestExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("sigscope-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_export"));
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        m_storage = m_dir.filePath(QStringLiteral("storage"));
        test::writeSampleStorage(m_storage.toStdString());
    }

    void init()
    {
        m_window = std::make_unique<ui::MainWindow>();
        m_window->setScripted(true);
        m_window->resize(1200, 800);
        m_window->show();
        QSignalSpy opened(m_window->session(), &ui::StorageSession::opened);
        m_window->openStorage(m_storage);
        QVERIFY(opened.wait(kTimeout));
        QVERIFY(waitSettled(*m_window));
        m_actions = m_window->findChild<ui::ExportActions*>();
        QVERIFY(m_actions);
    }

    void cleanup()
    {
        m_actions = nullptr;
        m_window.reset();
    }

    void menusAndShortcuts()
    {
        QMenu* edit = m_window->findChild<QMenu*>(QStringLiteral("menuEdit"));
        QVERIFY(edit);
        const auto menus = m_window->menuBar()->actions();
        QCOMPARE(menus.value(0)->text(), QStringLiteral("&File"));
        QCOMPARE(menus.value(1)->menu(), edit); // Edit before View
        QCOMPARE(menus.value(2)->text(), QStringLiteral("&View"));

        QCOMPARE(m_actions->exportChartAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_E));
        QCOMPARE(m_actions->copyChartAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
        QVERIFY(edit->actions().contains(m_actions->copyChartAction()));

        // File: ... Export Chart, Export Data >, separator, Quit.
        QMenu* file = menus.value(0)->menu();
        const auto items = file->actions();
        const qsizetype at = items.indexOf(m_actions->exportChartAction());
        QVERIFY(at >= 0);
        QMenu* data = items.value(at + 1)->menu();
        QVERIFY(data);
        QCOMPARE(data->actions().size(), 4);
        QCOMPARE(data->actions().value(3)->objectName(), QStringLiteral("actionExportMetricsCsv"));
        QVERIFY(items.value(at + 2)->isSeparator());
        QCOMPARE(items.value(at + 3)->menuRole(), QAction::QuitRole);
    }

    void filterTextWithoutAModel()
    {
        // `sigscope export --select` matches StorageTreeModel::filterText(entry): the tree's text.
        const ui::StorageTreeModel* model = m_window->session()->model();
        const QModelIndexList traces = model->traceIndexes({});
        QCOMPARE(traces.size(), 7);
        for (const QModelIndex& index : traces) {
            const core::IndexEntry* entry = model->entry(index);
            QVERIFY(entry);
            QCOMPARE(ui::StorageTreeModel::filterText(*entry), index.data(ui::Role::FilterText).toString());
        }
    }

    void nothingSelected()
    {
        QVERIFY(!m_actions->hasChart());
        QString error;
        const QString path = m_dir.filePath(QStringLiteral("none.csv"));
        QVERIFY(!m_actions->exportTracesCsv(path, ui::ExportActions::TraceCsv::Changes, &error));
        QVERIFY2(error.contains(QStringLiteral("none.csv")) && error.contains(QStringLiteral("no traces")), qPrintable(error));
        QVERIFY(!m_actions->exportTransitionsCsv(path, &error));
        QVERIFY2(error.contains(QStringLiteral("no trace is shown")), qPrintable(error));
        QVERIFY(!QFile::exists(path));
    }

    void chartPng()
    {
        selectThree();
        ui::ChartExportSettings settings;
        settings.size = QSize(900, 500);
        settings.dpi = 144;
        settings.title = QStringLiteral("Two signals over volatility");
        const QString path = m_dir.filePath(QStringLiteral("chart.png"));
        QString error;
        QVERIFY2(m_actions->exportChart(path, settings, &error), qPrintable(error));
        QImageReader reader(path);
        QCOMPARE(reader.format(), QByteArray("png"));
        const QImage image = reader.read();
        QCOMPARE(image.size(), QSize(900, 500));
        QCOMPARE(image.dotsPerMeterX(), 5669); // 144 dpi
        // Exactly what the shown chart's scene renders with those options.
        const ui::ChartScene& shown = m_window->chartPanel()->chart()->scene();
        QCOMPARE(image.convertToFormat(QImage::Format_RGB32),
                 ui::renderChartImage(shown, QSize(900, 500), 144, settings.exportOptions().render));
        // The time axis is a different drawing.
        settings.axis = ui::AxisMode::Time;
        QVERIFY2(m_actions->exportChart(path, settings, &error), qPrintable(error));
        QVERIFY(QImage(path).convertToFormat(QImage::Format_RGB32) != image.convertToFormat(QImage::Format_RGB32));
        // The window's chart keeps its own axis.
        QCOMPARE(m_window->chartPanel()->chart()->axisMode(), ui::AxisMode::Bars);
    }

    // With the overview shown, Export Chart writes every row of it (not the scrolled window), and
    // Copy Chart copies it.
    void overviewExport()
    {
        QVERIFY(m_window->showOverviewOfType(QStringLiteral("rsi")));
        QVERIFY(waitSettled(*m_window));
        QVERIFY(m_window->chartPanel()->isOverviewShown());
        QVERIFY(m_actions->hasChart());
        const ui::OverviewScene& scene = m_window->chartPanel()->overview()->scene();
        QCOMPARE(scene.rowCount(), 3);

        ui::ChartExportSettings settings;
        settings.size = QSize(900, 400);
        settings.title = QStringLiteral("RSI variants");
        const QString path = m_dir.filePath(QStringLiteral("overview.png"));
        QString error;
        QVERIFY2(m_actions->exportChart(path, settings, &error), qPrintable(error));
        const QImage image = QImage(path).convertToFormat(QImage::Format_RGB32);
        QCOMPARE(image.size(), QSize(900, 400));
        QCOMPARE(image, ui::renderChartImage(scene, QSize(900, 400), 96, settings.exportOptions().render));

        // rsi_bands_14_70 is short over bars [0, 40) and long over [40, 100): its row says so.
        const ui::OverviewScene::Layout l = scene.layoutFor(QRectF(0, 0, 900, 400), settings.exportOptions().render, &image, {});
        QCOMPARE(l.rowsShown, 3);
        QVERIFY(!l.compressed);
        int row = -1;
        for (int r = 0; r < scene.rowCount(); ++r)
            row = scene.traces()[std::size_t(r)]->identity.name == "rsi_bands_14_70" ? r : row;
        QVERIFY(row >= 0);
        const int y = l.raster.top() + row * l.rowHeight + l.rowHeight / 2;
        QCOMPARE(QColor(image.pixel(l.raster.left() + l.raster.width() / 5, y)), ui::rasterColor({-1.0, true, 0}));
        QCOMPARE(QColor(image.pixel(l.raster.left() + l.raster.width() * 4 / 5, y)), ui::rasterColor({1.0, true, 0}));

        const QString svg = m_dir.filePath(QStringLiteral("overview.svg"));
        QVERIFY2(m_actions->exportChart(svg, settings, &error), qPrintable(error));
        const QByteArray text = QByteArray::fromStdString(test::readFile(svg.toStdString()));
        QVERIFY(text.contains("<image"));
        QVERIFY(text.contains("RSI variants"));

        const QImage copied = m_actions->chartImage();
        QCOMPARE(copied.size(), m_window->chartPanel()->overview()->size().expandedTo(QSize(400, 240)));

        // Export Data takes the overview's traces: their changes, and dense over every bar.
        std::vector<core::csv::LabelledTrace> rows;
        for (int r = 0; r < scene.rowCount(); ++r)
            rows.push_back({scene.label(r).toStdString(), scene.traces()[std::size_t(r)].get()});
        const QString changes = m_dir.filePath(QStringLiteral("overview-changes.csv"));
        QVERIFY2(m_actions->exportTracesCsv(changes, ui::ExportActions::TraceCsv::Changes, &error), qPrintable(error));
        QCOMPARE(test::readFile(changes.toStdString()), core::csv::changes(rows));
        const QString dense = m_dir.filePath(QStringLiteral("overview-dense.csv"));
        QVERIFY2(m_actions->exportTracesCsv(dense, ui::ExportActions::TraceCsv::Dense, &error), qPrintable(error));
        QCOMPARE(test::readFile(dense.toStdString()), core::csv::dense(rows, 0, 100));
    }

    void chartSvg()
    {
        selectThree();
        ui::ChartExportSettings settings;
        settings.format = ui::ExportFormat::Svg;
        settings.title = QStringLiteral("Report chart");
        settings.yAxisTitle = QStringLiteral("Position");
        settings.axis = ui::AxisMode::Time;
        settings.timeZoneLabel = QStringLiteral("exchange time");
        const QString path = m_dir.filePath(QStringLiteral("chart.svg"));
        QString error;
        QVERIFY2(m_actions->exportChart(path, settings, &error), qPrintable(error));
        const test::SvgContent svg = test::readSvg(path);
        QVERIFY2(svg.error.isEmpty(), qPrintable(svg.error));
        QVERIFY2(svg.paths >= 2, qPrintable(QString::number(svg.paths))); // a path per lane at least
        for (const char* text : {"Report chart", "Position", "Time (exchange time)", "rsi_14", "ma_crossover_5_20",
                                 "regime: high_vol", "regime: low_vol"})
            QVERIFY2(svg.texts.contains(QString::fromUtf8(text)), text);

        // Legend off: no lane labels below the plot, so fewer texts.
        settings.legend = false;
        QVERIFY2(m_actions->exportChart(path, settings, &error), qPrintable(error));
        const test::SvgContent bare = test::readSvg(path);
        QVERIFY(bare.error.isEmpty());
        QVERIFY(bare.texts.size() < svg.texts.size());
    }

    // Issue 15 #1: a title with markup characters gives well-formed XML that reads back exactly,
    // for the lanes and for the overview.
    void svgTitleIsEscaped()
    {
        const QString title = QStringLiteral("RSI <14> & \"fast\" 'n' >= 5");
        ui::ChartExportSettings settings;
        settings.format = ui::ExportFormat::Svg;
        settings.title = title;
        QString error;
        selectThree();
        const QString lanes = m_dir.filePath(QStringLiteral("escaped.svg"));
        QVERIFY2(m_actions->exportChart(lanes, settings, &error), qPrintable(error));
        QVERIFY(m_window->showOverviewOfType(QStringLiteral("rsi")));
        QVERIFY(waitSettled(*m_window));
        const QString overview = m_dir.filePath(QStringLiteral("escaped-overview.svg"));
        QVERIFY2(m_actions->exportChart(overview, settings, &error), qPrintable(error));
        for (const QString& path : {lanes, overview}) {
            const test::SvgContent svg = test::readSvg(path);
            QVERIFY2(svg.error.isEmpty(), qPrintable(path + QStringLiteral(": ") + svg.error));
            QCOMPARE(svg.title, title);
            QVERIFY2(svg.texts.contains(title), qPrintable(svg.texts.join(QLatin1Char('|'))));
        }
        // The PNG and the PDF carry the same title, unescaped.
        settings.format = ui::ExportFormat::Png;
        const QString png = m_dir.filePath(QStringLiteral("escaped.png"));
        QVERIFY2(m_actions->exportChart(png, settings, &error), qPrintable(error));
        QCOMPARE(QImage(png).text(QStringLiteral("Title")), title);
        settings.format = ui::ExportFormat::Pdf;
        const QString pdf = m_dir.filePath(QStringLiteral("escaped.pdf"));
        QVERIFY2(m_actions->exportChart(pdf, settings, &error), qPrintable(error));
        QCOMPARE(test::pdfTitle(test::readBytes(pdf)), title);
    }

    void chartPdf()
    {
        selectThree();
        ui::ChartExportSettings settings;
        settings.format = ui::ExportFormat::Pdf;
        settings.title = QStringLiteral("PDF chart");
        const QString path = m_dir.filePath(QStringLiteral("chart.pdf"));
        QString error;
        QVERIFY2(m_actions->exportChart(path, settings, &error), qPrintable(error));
        const QByteArray pdf = test::readBytes(path);
        QVERIFY(pdf.startsWith("%PDF"));
        QCOMPARE(test::pdfPageCount(pdf), 1);
    }

    void chartErrorNamesTheFile()
    {
        selectThree();
        const QString path = m_dir.filePath(QStringLiteral("missing/chart.png"));
        QString error;
        QVERIFY(!m_actions->exportChart(path, {}, &error));
        QVERIFY2(error.contains(path), qPrintable(error));
        QVERIFY(!QFile::exists(path));
    }

    void copyChart()
    {
        selectThree();
        QGuiApplication::clipboard()->clear();
        m_actions->copyChartAction()->trigger();
        const QImage image = QGuiApplication::clipboard()->image();
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), m_window->chartPanel()->chart()->size().expandedTo(QSize(400, 240)));
        QCOMPARE(image.convertToFormat(QImage::Format_RGB32), m_actions->chartImage().convertToFormat(QImage::Format_RGB32));
    }

    void changesCsvEqualTheTraces()
    {
        selectThree();
        const QString path = m_dir.filePath(QStringLiteral("changes.csv"));
        QString error;
        QVERIFY2(m_actions->exportTracesCsv(path, ui::ExportActions::TraceCsv::Changes, &error), qPrintable(error));
        const QStringList rows = lines(path);
        QCOMPARE(rows.value(0), QStringLiteral("trace,bar,time,value,price,confidence"));
        // Group the rows by trace and compare each with the loaded trace, change by change.
        std::map<QString, QStringList> byTrace;
        for (const QString& row : rows.mid(1))
            byTrace[row.section(QLatin1Char(','), 0, 0)] << row.section(QLatin1Char(','), 1);
        QCOMPARE(byTrace.size(), std::size_t(3));
        for (const char* name : {"rsi_14", "ma_crossover_5_20", "volatility_regime"}) {
            const auto trace = traceNamed(QString::fromUtf8(name));
            QVERIFY(trace);
            const QStringList& got = byTrace[QString::fromUtf8(name)];
            QCOMPARE(got.size(), qsizetype(trace->size()));
            for (std::size_t i = 0; i < trace->size(); ++i) {
                const QStringList fields = got[qsizetype(i)].split(QLatin1Char(','));
                QCOMPARE(fields.value(0).toLongLong(), trace->bar(i));
                QCOMPARE(fields.value(1), QString::fromStdString(trace->timeText(i)));
                QCOMPARE(fields.value(2), QString::fromStdString(trace->valueText(i)));
            }
        }
    }

    void singleTraceChangesCsv()
    {
        select({QStringLiteral("rsi_14")});
        const QString path = m_dir.filePath(QStringLiteral("rsi.csv"));
        QString error;
        QVERIFY2(m_actions->exportTracesCsv(path, ui::ExportActions::TraceCsv::Changes, &error), qPrintable(error));
        QCOMPARE(QString::fromUtf8(test::readBytes(path)),
                 QStringLiteral("bar,time,value,price\n"
                                "0,2024-03-26T13:30:00+00:00,0,0\n"
                                "10,2024-03-26T13:40:00+00:00,1,0\n"
                                "30,2024-03-26T14:00:00+00:00,-1,0\n"
                                "60,2024-03-26T14:30:00+00:00,0,0\n"));
    }

    void denseCsvOverTheVisibleRange()
    {
        selectThree();
        m_window->chartPanel()->chart()->setVisibleRange({10.0, 40.0});
        QCOMPARE(m_actions->visibleBars(), (std::pair<qint64, qint64>(10, 40)));
        const QString path = m_dir.filePath(QStringLiteral("dense.csv"));
        QString error;
        QVERIFY2(m_actions->exportTracesCsv(path, ui::ExportActions::TraceCsv::Dense, &error), qPrintable(error));
        const QStringList rows = lines(path);
        QCOMPARE(rows.size(), 31);
        const QStringList header = rows.front().split(QLatin1Char(','));
        QCOMPARE(header.value(0), QStringLiteral("bar"));
        QCOMPARE(header.size(), 4);
        for (int c = 1; c < header.size(); ++c) {
            const auto trace = traceNamed(header[c]);
            QVERIFY2(trace, qPrintable(header[c]));
            for (qint64 bar = 10; bar < 40; ++bar) {
                const QStringList fields = rows[bar - 9].split(QLatin1Char(','));
                QCOMPARE(fields.value(0).toLongLong(), bar);
                const auto value = core::steps::valueAt(*trace, bar);
                const QString expected = trace->kind() == core::Kind::Classifier
                    ? (value ? QString::fromStdString(trace->regimes()[std::size_t(*value)]) : QString())
                    : QString::number(value.value_or(0));
                QCOMPARE(fields.value(c), expected);
            }
        }
    }

    void transitionsCsv()
    {
        select({QStringLiteral("volatility_regime")});
        const auto* model = m_window->transitionsPanel()->model();
        QVERIFY(model->trace());
        const QString path = m_dir.filePath(QStringLiteral("transitions.csv"));
        QString error;
        QVERIFY2(m_actions->exportTransitionsCsv(path, &error), qPrintable(error));
        const QStringList rows = lines(path);
        QCOMPARE(rows.size(), model->rowCount() + 1);
        QStringList header;
        for (int c = 0; c < model->columnCount(); ++c)
            header << model->headerData(c, Qt::Horizontal).toString();
        QCOMPARE(rows.front(), header.join(QLatin1Char(',')));
        for (int r = 0; r < model->rowCount(); ++r) {
            QStringList cells;
            for (int c = 0; c < model->columnCount(); ++c)
                cells << model->index(r, c).data().toString();
            QCOMPARE(rows[r + 1], cells.join(QLatin1Char(',')));
            QCOMPARE(rows[r + 1].section(QLatin1Char(','), 0, 0).toLongLong(), model->trace()->bar(std::size_t(r)));
        }
    }

    void modelToCsvQuotes()
    {
        ui::TransitionsModel model;
        core::Trace trace = test::makeClassifier("c", "c", {{1, "calm, \"quiet\""}}, 5);
        model.setTrace(std::make_shared<const core::Trace>(std::move(trace)));
        const QString csv = QString::fromStdString(ui::modelToCsv(model));
        QVERIFY2(csv.contains(QStringLiteral(",\"calm, \"\"quiet\"\"\",")), qPrintable(csv));
    }

    void csvErrorNamesTheFile()
    {
        selectThree();
        const QString path = m_dir.filePath(QStringLiteral("missing/out.csv"));
        QString error;
        QVERIFY(!m_actions->exportTracesCsv(path, ui::ExportActions::TraceCsv::Changes, &error));
        QVERIFY2(error.contains(QStringLiteral("missing")) && error.contains(QStringLiteral("out.csv")), qPrintable(error));
    }

    // What the menu runs: the same file written in the background, the job visible to the status
    // bar's monitor while it runs; a failure shown in a message box naming the file.
    void backgroundCsvExport()
    {
        selectThree();
        const QString expected = m_dir.filePath(QStringLiteral("sync.csv"));
        QString error;
        QVERIFY2(m_actions->exportTracesCsv(expected, ui::ExportActions::TraceCsv::Dense, &error), qPrintable(error));

        const QString path = m_dir.filePath(QStringLiteral("background.csv"));
        QSignalSpy finished(m_actions->csvJob(), &ui::JobRunner::finished);
        m_actions->startTracesCsvExport(path, ui::ExportActions::TraceCsv::Dense);
        QVERIFY(m_actions->csvJob()->isBusy());
        QCOMPARE(m_window->session()->jobs()->current(), m_actions->csvJob());
        QVERIFY(finished.wait(kTimeout));
        QCOMPARE(finished.first().value(0).toBool(), false); // not cancelled
        QCOMPARE(finished.first().value(1).toString(), QString());
        QCOMPARE(test::readFile(path.toStdString()), test::readFile(expected.toStdString()));

        QSignalSpy errors(m_window.get(), &ui::MainWindow::errorReported);
        const QString bad = m_dir.filePath(QStringLiteral("missing/background.csv"));
        m_actions->startTracesCsvExport(bad, ui::ExportActions::TraceCsv::Changes);
        QVERIFY(errors.wait(kTimeout));
        const QString message = errors.first().value(1).toString();
        QVERIFY2(message.startsWith(QStringLiteral("Cannot export the traces to ") + QDir::toNativeSeparators(bad) + QStringLiteral(": ")),
                 qPrintable(message));
        QVERIFY(!QFile::exists(bad));
    }

    void settingsRoundTrip()
    {
        QSettings settings;
        settings.clear();
        const ui::ChartExportSettings defaults = ui::ChartExportSettings::load(settings);
        QCOMPARE(defaults.format, ui::ExportFormat::Png);
        QCOMPARE(defaults.size, QSize(1600, 900));
        QVERIFY(defaults.legend);

        ui::ChartExportSettings s;
        s.format = ui::ExportFormat::Svg;
        s.size = QSize(1234, 567);
        s.dpi = 200;
        s.title = QStringLiteral("T");
        s.xAxisTitle = QStringLiteral("X");
        s.yAxisTitle = QStringLiteral("Y");
        s.timeZoneLabel = QStringLiteral("NY");
        s.axis = ui::AxisMode::Time;
        s.legend = false;
        s.folder = QStringLiteral("/tmp/x");
        s.save(settings);
        const ui::ChartExportSettings back = ui::ChartExportSettings::load(settings);
        QCOMPARE(back.format, s.format);
        QCOMPARE(back.size, s.size);
        QCOMPARE(back.dpi, s.dpi);
        QCOMPARE(back.title, s.title);
        QCOMPARE(back.xAxisTitle, s.xAxisTitle);
        QCOMPARE(back.yAxisTitle, s.yAxisTitle);
        QCOMPARE(back.timeZoneLabel, s.timeZoneLabel);
        QCOMPARE(back.axis, s.axis);
        QCOMPARE(back.legend, s.legend);
        QCOMPARE(back.folder, s.folder);
        // Vector formats ignore the DPI.
        QCOMPARE(back.exportOptions().dpi, 96);
        QCOMPARE(back.exportOptions().render.legend, false);
        QVERIFY(!back.exportOptions().render.cursor);
    }

    void dialog()
    {
        ui::ChartExportSettings s;
        s.title = QStringLiteral("Title");
        s.size = QSize(800, 600);
        s.axis = ui::AxisMode::Time;
        ui::ExportDialog dialog(s, QStringLiteral("/tmp/chart.png"));
        QCOMPARE(dialog.path(), QStringLiteral("/tmp/chart.png"));
        QCOMPARE(dialog.settings().title, QStringLiteral("Title"));
        QCOMPARE(dialog.settings().size, QSize(800, 600));
        QCOMPARE(dialog.settings().axis, ui::AxisMode::Time);
        auto* format = dialog.findChild<QComboBox*>(QStringLiteral("format"));
        QVERIFY(format);
        format->setCurrentIndex(2);
        QCOMPARE(dialog.settings().format, ui::ExportFormat::Pdf);
        QCOMPARE(dialog.findChild<QLineEdit*>(QStringLiteral("path"))->text(), QStringLiteral("/tmp/chart.pdf"));
        QCOMPARE(dialog.path(), QStringLiteral("/tmp/chart.pdf"));
    }

    // Issue 15 #6: every label with a mnemonic has a buddy (else QLabel shows the '&').
    void dialogMnemonics()
    {
        ui::ExportDialog dialog(ui::ChartExportSettings{}, QStringLiteral("/tmp/chart.png"));
        int withMnemonic = 0;
        const auto labels = dialog.findChildren<QLabel*>();
        for (const QLabel* label : labels) {
            if (!label->text().contains(QLatin1Char('&')))
                continue;
            ++withMnemonic;
            QVERIFY2(label->buddy(), qPrintable(label->text()));
        }
        QCOMPARE(withMnemonic, 8);
    }

    // Issue 15 #6: the title starts as the shown chart's; a title chosen for a chart comes back
    // only for that chart.
    void dialogTitleFollowsTheChart()
    {
        select({QStringLiteral("rsi_14")});
        QCOMPARE(m_actions->dialogSettings().title, QStringLiteral("rsi_14"));
        ui::ChartExportSettings chosen = m_actions->dialogSettings();
        chosen.title = QStringLiteral("My RSI");
        m_actions->rememberExportSettings(chosen);
        QCOMPARE(m_actions->dialogSettings().title, QStringLiteral("My RSI"));
        select({QStringLiteral("ma_crossover_5_20")});
        QCOMPARE(m_actions->dialogSettings().title, QStringLiteral("ma_crossover_5_20"));
        select({QStringLiteral("rsi_14")});
        QCOMPARE(m_actions->dialogSettings().title, QStringLiteral("My RSI"));
    }

    void suffixes_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("expected");
        QTest::newRow("none") << QStringLiteral("/a/chart") << int(ui::ExportFormat::Svg) << QStringLiteral("/a/chart.svg");
        QTest::newRow("other") << QStringLiteral("/a/chart.png") << int(ui::ExportFormat::Pdf) << QStringLiteral("/a/chart.pdf");
        QTest::newRow("upper") << QStringLiteral("/a/c.PNG") << int(ui::ExportFormat::Png) << QStringLiteral("/a/c.png");
        QTest::newRow("dotted name") << QStringLiteral("/a/v1.2") << int(ui::ExportFormat::Png) << QStringLiteral("/a/v1.2.png");
        QTest::newRow("empty") << QString() << int(ui::ExportFormat::Png) << QString();
    }

    void suffixes()
    {
        QFETCH(QString, path);
        QFETCH(int, format);
        QFETCH(QString, expected);
        QCOMPARE(ui::withExportSuffix(path, ui::ExportFormat(format)), expected);
    }

private:
    void select(const QStringList& names)
    {
        QStringList paths;
        for (const QString& name : names)
            paths << pathOf(*m_window->session()->model(), name);
        QVERIFY(!paths.contains(QString()));
        m_window->storagePanel()->selectPaths(paths);
        QVERIFY(waitSettled(*m_window));
        QVERIFY(m_actions->hasChart());
    }

    void selectThree()
    {
        select({QStringLiteral("rsi_14"), QStringLiteral("ma_crossover_5_20"), QStringLiteral("volatility_regime")});
    }

    std::shared_ptr<const core::Trace> traceNamed(const QString& name) const
    {
        return m_window->session()->cachedTrace(pathOf(*m_window->session()->model(), name));
    }

    QTemporaryDir m_dir;
    QString m_storage;
    std::unique_ptr<ui::MainWindow> m_window;
    ui::ExportActions* m_actions = nullptr;
};

QTEST_MAIN(TestExport)
#include "tst_export.moc"
