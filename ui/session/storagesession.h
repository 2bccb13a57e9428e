#pragma once

#include "core/analysis/compare.h"
#include "core/analysis/stats.h"
#include "core/model/trace.h"
#include "core/util/progress.h"
#include "ui/session/loadedtraces.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <memory>
#include <utility>
#include <vector>

class QFileSystemWatcher;

namespace sigscope::core {
struct PriceSeries;
struct VerifyResult;
}

namespace sigscope::ui {

class JobMonitor;
class JobRunner;
class StorageTreeModel;
struct StorageSnapshot;

// How the current signal agrees with each other charted one (lane label, core::stats::agreement).
using AgreementRows = std::vector<std::pair<QString, core::stats::Agreement>>;

// One open storage folder and every disk access made for it, each in a background job: the
// index snapshot (open, F5, file-system watcher), verification, trace loading with a cache,
// statistics and market data. The GUI thread only ever receives finished snapshots. Trace load
// failures arrive as core::Finding (loadFailed); a cancelled or superseded request reports nothing.
class StorageSession : public QObject
{
    Q_OBJECT
public:
    explicit StorageSession(QObject* parent = nullptr);
    ~StorageSession() override;

    [[nodiscard]] StorageTreeModel* model() const { return m_model; }
    [[nodiscard]] JobMonitor* jobs() const { return m_jobs; }
    [[nodiscard]] const QString& root() const { return m_root; }
    [[nodiscard]] bool isOpen() const { return !m_root.isEmpty(); }
    [[nodiscard]] std::shared_ptr<const StorageSnapshot> snapshot() const;

    void setVerifyAfterRead(bool enabled) { m_verifyAfterRead = enabled; }
    // Whether the verification after a read waits for treePainted() (the explorer calls it after
    // the tree's first paint of the new rows), so that it never competes with that paint; at
    // most kPaintWait, in case no paint comes (a hidden window). Off: it starts at once.
    void setVerifyWaitsForPaint(bool enabled) { m_verifyWaitsForPaint = enabled; }
    void treePainted();
    void setWatching(bool enabled);

    void open(const QString& dir);
    void reload(); // re-reads the indexes of the open folder; the tree merges the difference
    void verify(); // every data file read and checked (File > Verify Storage)
    void close();

    void loadTraces(const QStringList& paths, LoadedTraces::Purpose purpose);
    void cancelTraceLoading();
    // Statistics of one trace and, for a signal, its agreement with each of `others` (the other
    // charted signals, with their lane labels); statsReady then agreementsReady.
    void computeStats(const QString& path, std::shared_ptr<const core::Trace> trace,
                      std::vector<std::pair<QString, std::shared_ptr<const core::Trace>>> others = {});
    void loadPrice(const QString& csvPath);
    // Several market files in one job (one price lane each): pricesLoaded with those that were
    // read, in order, and priceFailed for each that was not.
    void loadPrices(const QStringList& csvPaths);

    // A trace already loaded (nullptr otherwise): lets the GUI skip a job for cached traces.
    [[nodiscard]] std::shared_ptr<const core::Trace> cachedTrace(const QString& path) const;

Q_SIGNALS:
    void opened(const QString& root);
    void reloaded();
    void openFailed(const QString& path, const QString& reason);
    void closed();
    void tracesLoaded(const sigscope::ui::LoadedTraces& result);
    void loadFailed(const std::vector<sigscope::core::Finding>& findings); // traces, or verification
    void verified(int problems);
    void statsReady(const QString& path, std::shared_ptr<const sigscope::core::stats::TraceStats> stats);
    void agreementsReady(const QString& path, std::shared_ptr<const sigscope::ui::AgreementRows> rows);
    void priceLoaded(const QString& csvPath, std::shared_ptr<const sigscope::core::PriceSeries> price);
    void priceFailed(const QString& csvPath, const QString& reason);
    void pricesLoaded(const QStringList& csvPaths,
                      const std::vector<std::shared_ptr<const sigscope::core::PriceSeries>>& prices);

private:
    void readSnapshot(bool fresh);
    void applySnapshot(std::shared_ptr<const StorageSnapshot> snapshot, bool fresh);
    void verifySnapshot(); // after a read: only what changed since the last verification
    void runVerification(std::function<core::VerifyResult(const core::ProgressCallback&)> work);
    void finishVerification(const std::shared_ptr<const core::VerifyResult>& result);
    void updateFindings();
    void rewatch();
    void hashUnhashedEntries(); // for the tree's identical variants (ui/session/varianthashes.h)

    StorageTreeModel* m_model = nullptr;
    JobMonitor* m_jobs = nullptr;
    JobRunner* m_indexJob = nullptr;
    JobRunner* m_verifyJob = nullptr;
    JobRunner* m_traceJob = nullptr;
    JobRunner* m_statsJob = nullptr;
    JobRunner* m_priceJob = nullptr;
    JobRunner* m_hashJob = nullptr;
    QFileSystemWatcher* m_watcher = nullptr;
    QTimer m_reloadDelay;
    QTimer m_paintWait;
    QString m_root;
    bool m_verifyAfterRead = true;
    bool m_verifyWaitsForPaint = false;
    bool m_watching = true;
    std::vector<core::Finding> m_verifyFindings;
    // Loaded traces by path, with the index facts they were loaded under (to drop stale ones).
    struct Cached
    {
        std::shared_ptr<const core::Trace> trace;
        QString stamp;
    };
    QHash<QString, Cached> m_cache;
};

} // namespace sigscope::ui
