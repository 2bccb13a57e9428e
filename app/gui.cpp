#include "app/gui.h"

#include "ui/jobs/jobmonitor.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/mainwindow/storagepanel.h"
#include "ui/mainwindow/theme.h"
#include "ui/models/storagetreemodel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QImageWriter>
#include <QPixmap>
#include <QRegularExpression>
#include <QTimer>
#include <QTreeView>

#include <clocale>
#include <cstdio>
#include <ctime>

namespace sigscope::app {

namespace {

struct GuiOptions
{
    QString dir;
    QString screenshot;
    QString select;
    QString overview;
    QSize size;
    QString theme; // system, light or dark; empty: as saved
    bool quitAfterFirstPaint = false;
};

void printError(const QString& message)
{
    std::fputs(qPrintable(QStringLiteral("sigscope: ") + message + QLatin1Char('\n')), stderr);
}

// Parses the command line; returns an error message, or an empty string.
QString parse(const QStringList& arguments, GuiOptions& options)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Explorer for backtest signal traces"));
    parser.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("storage folder to open"), QStringLiteral("[DIR]"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("open DIR, wait for every background job, save the window to FILE.png and exit"),
                                        QStringLiteral("FILE.png"));
    const QCommandLineOption select(QStringLiteral("select"),
                                    QStringLiteral("filter the tree and select every matching trace"), QStringLiteral("FILTER"));
    const QCommandLineOption overview(QStringLiteral("overview"), QStringLiteral("show the overview raster of a type"),
                                      QStringLiteral("TYPE"));
    const QCommandLineOption size(QStringLiteral("size"), QStringLiteral("window size, e.g. 1400x900"), QStringLiteral("WxH"));
    const QCommandLineOption firstPaint(
        QStringLiteral("quit-after-first-paint"),
        QStringLiteral("benchmarking: open DIR as usual, print the CPU time and the number of traces at the first paint "
                       "of the storage tree after the storage opened, and exit"));
    const QCommandLineOption theme(QStringLiteral("theme"), QStringLiteral("colour theme: system, light or dark"),
                                   QStringLiteral("system|light|dark"));
    parser.addOptions({screenshot, select, overview, size, theme, firstPaint});
    if (!parser.parse(arguments))
        return parser.errorText();
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1)
        return QStringLiteral("expected at most one folder, got %1").arg(positional.join(QLatin1Char(' ')));
    options.dir = positional.value(0);
    options.screenshot = parser.value(screenshot);
    options.select = parser.value(select);
    options.overview = parser.value(overview);
    options.quitAfterFirstPaint = parser.isSet(firstPaint);
    options.theme = parser.value(theme);
    if (!options.theme.isEmpty() && !ui::themeFromName(options.theme))
        return QStringLiteral("--theme wants system, light or dark, not '%1'").arg(options.theme);
    if (parser.isSet(size)) {
        static const QRegularExpression pattern(QStringLiteral("^(\\d{2,5})x(\\d{2,5})$"));
        const auto match = pattern.match(parser.value(size));
        if (!match.hasMatch())
            return QStringLiteral("--size wants WxH, e.g. 1400x900, not '%1'").arg(parser.value(size));
        options.size = QSize(match.captured(1).toInt(), match.captured(2).toInt());
    }
    if (!options.screenshot.isEmpty() && options.dir.isEmpty())
        return QStringLiteral("--screenshot needs a storage folder");
    if (options.quitAfterFirstPaint && (options.dir.isEmpty() || !options.screenshot.isEmpty()))
        return QStringLiteral("--quit-after-first-paint needs a storage folder and no --screenshot");
    if (!options.select.isEmpty() && !options.overview.isEmpty())
        return QStringLiteral("--select and --overview exclude each other");
    if (options.screenshot.isEmpty() && (!options.select.isEmpty() || !options.overview.isEmpty()))
        return QStringLiteral("--select and --overview go with --screenshot");
    return {};
}

// Scripted screenshot: open, select, wait until every job is done, grab, exit.
class ScreenshotRun : public QObject
{
public:
    ScreenshotRun(ui::MainWindow& window, GuiOptions options)
        : m_window(window)
        , m_options(std::move(options))
    {
        connect(&window, &ui::MainWindow::errorReported, this, [this](const QString& title, const QString& message) {
            fail(title + QStringLiteral(": ") + message);
        });
        connect(window.session(), &ui::StorageSession::opened, this, [this]() { onOpened(); });
    }

private:
    void onOpened()
    {
        if (!m_options.overview.isEmpty()) {
            if (!m_window.showOverviewOfType(m_options.overview)) {
                fail(QStringLiteral("no type '%1' in %2").arg(m_options.overview, m_options.dir));
                return;
            }
        } else if (!m_options.select.isEmpty()) {
            m_window.selectMatching(m_options.select);
            if (m_window.storagePanel()->selectedTracePaths().isEmpty()) {
                fail(QStringLiteral("no trace matches '%1'").arg(m_options.select));
                return;
            }
        }
        m_window.whenSettled([this]() { save(); });
    }

    void save()
    {
        if (m_done)
            return;
        m_done = true;
        const QPixmap pixmap = m_window.grab();
        QImageWriter writer(m_options.screenshot);
        if (!writer.write(pixmap.toImage())) {
            printError(QStringLiteral("cannot write %1: %2").arg(m_options.screenshot, writer.errorString()));
            QCoreApplication::exit(1);
            return;
        }
        std::fputs(qPrintable(QStringLiteral("%1 (%2x%3)\n").arg(m_options.screenshot).arg(pixmap.width()).arg(pixmap.height())),
                   stdout);
        QCoreApplication::exit(0);
    }

    void fail(const QString& message)
    {
        if (m_done)
            return;
        m_done = true;
        printError(message);
        QCoreApplication::exit(1);
    }

    ui::MainWindow& m_window;
    GuiOptions m_options;
    bool m_done = false;
};

// --quit-after-first-paint (bench/gui_open.cpp): once the storage has opened, the next paint of
// the tree's viewport is the first one that shows its rows. When that paint has finished, prints
// "first-paint cpu_ms=<process CPU> traces=<traces in the tree>" on stdout and exits; the caller
// measures the wall time from outside, process start included.
class FirstPaintProbe : public QObject
{
public:
    explicit FirstPaintProbe(ui::MainWindow& window)
        : m_window(window)
    {
        connect(window.session(), &ui::StorageSession::opened, this, [this]() { m_armed = true; });
        connect(window.session(), &ui::StorageSession::openFailed, this, [](const QString& path, const QString& reason) {
            printError(QStringLiteral("cannot open %1: %2").arg(path, reason));
            QCoreApplication::exit(1);
        });
        window.storagePanel()->view()->viewport()->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (m_armed && !m_done && event->type() == QEvent::Paint) {
            m_done = true;
            // Queued: runs after this paint event has been handled.
            QMetaObject::invokeMethod(this, [this]() { report(); }, Qt::QueuedConnection);
        }
        return QObject::eventFilter(watched, event);
    }

private:
    void report()
    {
        timespec cpu{};
        ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
        const double cpuMs = double(cpu.tv_sec) * 1e3 + double(cpu.tv_nsec) / 1e6;
        const int traces = m_window.session()->model()->traceCount();
        std::fputs(qPrintable(QStringLiteral("first-paint cpu_ms=%1 traces=%2\n").arg(cpuMs, 0, 'f', 1).arg(traces)), stdout);
        std::fflush(stdout);
        QCoreApplication::exit(0);
    }

    ui::MainWindow& m_window;
    bool m_armed = false;
    bool m_done = false;
};

} // namespace

int runGui(int argc, char* argv[])
{
    QApplication app(argc, argv);
    std::setlocale(LC_NUMERIC, "C"); // see makeApplication in main.cpp
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral("sigscope")));
    GuiOptions options;
    if (const QString error = parse(QApplication::arguments(), options); !error.isEmpty()) {
        printError(error);
        return 2;
    }
    const bool scripted = !options.screenshot.isEmpty();
    if (scripted && !QFileInfo(options.dir).isDir()) {
        printError(QStringLiteral("not a folder: %1").arg(options.dir));
        return 1;
    }

    ui::MainWindow window;
    std::unique_ptr<ScreenshotRun> screenshot;
    std::unique_ptr<FirstPaintProbe> firstPaint;
    if (options.quitAfterFirstPaint)
        firstPaint = std::make_unique<FirstPaintProbe>(window);
    if (scripted) {
        window.setScripted(true);
        window.resize(options.size.isValid() ? options.size : QSize(1400, 900));
        screenshot = std::make_unique<ScreenshotRun>(window, options);
    } else if (options.size.isValid()) {
        window.resize(options.size);
    }
    if (!options.theme.isEmpty())
        window.themeActions()->setTheme(*ui::themeFromName(options.theme));
    window.show();
    if (!options.dir.isEmpty())
        window.openStorage(options.dir);
    else if (!window.restoreLastSession())
        window.reopenLastStorage();
    return QApplication::exec();
}

} // namespace sigscope::app
