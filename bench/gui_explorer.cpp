// Explorer responsiveness (issue 4), offscreen: opening the 10,000-trace storage to a populated
// tree, and the longest stall of the GUI event loop while opening it and then loading 200
// traces (overview raster) with verification running in the background. Targets: 300 ms, 50 ms.
// Issue 14: the tree's metrics computed in the background after each open (TreeMetrics), from
// the populated tree to the filled metric columns with an empty and with a full metrics cache,
// the longest stall meanwhile, and the open to the tree with that compute off as the peer.
#include "bench/support/bench.h"
#include "ui/jobs/jobmonitor.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/mainwindow/storagepanel.h"
#include "ui/mainwindow/treemetrics.h"
#include "ui/models/storagesnapshot.h"
#include "ui/models/storagetreemodel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <utility>

using namespace sigscope;

namespace {

// Largest gap between ticks of a 1 ms timer: how long the GUI thread was busy at a stretch.
class StallMeter : public QObject
{
public:
    StallMeter()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(1);
        connect(&m_timer, &QTimer::timeout, this, [this]() {
            const qint64 now = m_clock.nsecsElapsed();
            m_worst = std::max(m_worst, now - m_last);
            m_last = now;
        });
    }
    void start()
    {
        m_worst = 0;
        m_clock.start();
        m_last = 0;
        m_timer.start();
    }
    double stop()
    {
        m_timer.stop();
        return double(m_worst) / 1e6;
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_worst = 0;
};

// Runs the event loop until the window has no job and no pending selection.
void waitSettled(ui::MainWindow& window)
{
    QEventLoop loop;
    window.whenSettled([&loop]() { loop.quit(); });
    loop.exec();
}

// Opens root and runs the event loop until the tree is populated.
void openAndWait(ui::MainWindow& window, const QString& root)
{
    QEventLoop loop;
    QObject::connect(window.session(), &ui::StorageSession::opened, &loop, &QEventLoop::quit);
    QObject::connect(window.session(), &ui::StorageSession::openFailed, &loop, [&loop, root]() {
        bench::note("cannot open " + root.toStdString());
        loop.exit(1);
    });
    window.openStorage(root);
    if (loop.exec() != 0)
        std::exit(1);
}

double openOnce(const QString& root, bool verify)
{
    ui::MainWindow window;
    window.setScripted(true);
    window.session()->setVerifyAfterRead(verify);
    window.resize(1600, 1000);
    window.show();
    const auto start = bench::Clock::now();
    openAndWait(window, root);
    const double ms = bench::msSince(start);
    waitSettled(window);
    return ms;
}

// Opens root with the metrics computed on open; the milliseconds from the populated tree to the
// filled metric values, and the longest stall of the event loop from the open's start to then.
std::pair<double, double> metricsAfterOpen(const QString& root)
{
    ui::MainWindow window;
    window.setScripted(true);
    window.resize(1600, 1000);
    window.show();
    window.session()->setVerifyAfterRead(false);
    StallMeter meter;
    meter.start();
    openAndWait(window, root);
    const auto start = bench::Clock::now();
    waitSettled(window);
    const double ms = bench::msSince(start);
    const double stall = meter.stop();
    const auto* metrics = window.findChild<ui::TreeMetrics*>();
    if (!metrics || !metrics->values()) {
        bench::note("no tree metrics after the open");
        std::exit(1);
    }
    bench::note("tree metrics: " + std::to_string(metrics->values()->size()) + " values, " +
                std::to_string(metrics->cacheHits()) + " from the cache");
    return {ms, stall};
}

void treeMetricsFigures(const std::filesystem::path& root)
{
    const QString rootText = QString::fromStdString(root.string());
    for (const auto& item : std::filesystem::recursive_directory_iterator(root))
        if (item.path().filename() == "index.metrics")
            std::filesystem::remove(item.path());
    const auto [cold, coldStall] = metricsAfterOpen(rootText);
    bench::figure("gui_tree_metrics_10k_cold", cold, "ms");
    bench::figure("gui_max_stall_tree_metrics_10k_cold", coldStall, "ms");
    std::vector<double> cached;
    for (int i = 0; i < 3; ++i)
        cached.push_back(metricsAfterOpen(rootText).first);
    bench::figure("gui_tree_metrics_10k_cached", *std::min_element(cached.begin(), cached.end()), "ms");
}

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? QByteArray("offscreen") : qgetenv("QT_QPA_PLATFORM"));
    QStandardPaths::setTestModeEnabled(true); // never touch the user's settings
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("sigscope-bench"));

    const auto data = bench::dataDir(argc, argv);
    bench::note("generating or reusing the 10,000-trace storage…");
    const auto root = bench::demoStorage(data, "demo-10k", bench::tenThousandTraces());
    const QString rootText = QString::fromStdString(root.string());

    // The model alone: 10,000 index entries into the tree.
    const auto snapshot = std::make_shared<const ui::StorageSnapshot>(ui::readStorageSnapshot(root));
    bench::note("traces: " + std::to_string(snapshot->traceCount()));
    const double model = bench::bestMs(3, [&]() {
        ui::StorageTreeModel tree;
        tree.setSnapshot(snapshot);
    });
    bench::figure("gui_tree_model_10k", model, "ms");

    // Opening in the window: index job, model, proxy and view, until the tree is populated.
    std::vector<double> opens;
    for (int i = 0; i < 3; ++i)
        opens.push_back(openOnce(rootText, false));
    bench::figure("gui_open_10k_to_tree", *std::min_element(opens.begin(), opens.end()), "ms");
    // The peer: the same open with the tree's metrics not computed on open.
    QSettings().setValue(QStringLiteral("tree/metricsOnOpen"), false);
    std::vector<double> offOpens;
    for (int i = 0; i < 3; ++i)
        offOpens.push_back(openOnce(rootText, false));
    QSettings().remove(QStringLiteral("tree/metricsOnOpen"));
    const double off = *std::min_element(offOpens.begin(), offOpens.end());
    bench::figure("gui_open_10k_to_tree_metrics_off", off, "ms");
    bench::ratio("gui_open_10k_to_tree_metrics_on_vs_off", *std::min_element(opens.begin(), opens.end()) / off);
    treeMetricsFigures(root);

    // Longest stall: open (with verification in the background), then 200 traces loaded.
    ui::MainWindow window;
    window.setScripted(true);
    window.resize(1600, 1000);
    window.show();
    StallMeter meter;
    meter.start();
    openAndWait(window, rootText);
    waitSettled(window); // verification included
    const double openStall = meter.stop();
    bench::figure("gui_max_stall_open_10k", openStall, "ms");
    meter.start();
    const QStringList paths = window.storagePanel()->visibleTracePaths().mid(0, 200);
    window.storagePanel()->selectPaths(paths);
    waitSettled(window);
    const double loadStall = meter.stop();
    bench::figure("gui_max_stall_load_200", loadStall, "ms");
    bench::figure("gui_max_stall_open_10k_load_200", std::max(openStall, loadStall), "ms");
    return 0;
}
