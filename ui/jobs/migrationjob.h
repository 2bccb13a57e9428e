#pragma once

#include "core/migration/migration.h"
#include "core/util/progress.h"

#include <QElapsedTimer>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

namespace sigscope::ui {

class JobRunner;

// What the progress line of a running migration shows. Rates are measured on the GUI thread
// from the start of the run.
struct MigrationProgress
{
    quint64 files = 0;
    quint64 filesTotal = 0;
    quint64 traces = 0;
    quint64 bytes = 0;
    quint64 bytesTotal = 0;
    double seconds = 0.0;
    double bytesPerSecond = 0.0;
    double secondsLeft = -1.0; // -1 while unknown
    int perMille = 0;
    QString current; // file just read

    // "312 of 963 files · 312 traces · 4.2 MB/s · about 3 s left"
    [[nodiscard]] QString text() const;
};

// Runs core::migration::migrate() (or its dry run) on the thread pool through a JobRunner: the
// very code and report of `sigscope migrate`. Progress reaches the GUI only when its per-mille
// changes. cancel() makes the core callback return false: files in flight finish, the storage
// holds complete traces only, and the (cancelled) report still arrives through finished().
class MigrationJob : public QObject
{
    Q_OBJECT
public:
    using Report = core::migration::MigrationReport;

    explicit MigrationJob(QObject* parent = nullptr);
    ~MigrationJob() override;

    void start(const QStringList& sources, const QString& destination,
               const core::migration::MigrationOptions& options);
    void cancel();
    [[nodiscard]] bool isRunning() const;
    [[nodiscard]] bool isCancelling() const;
    [[nodiscard]] bool isDryRun() const { return m_dryRun; }

    // Called on the worker thread with every core progress report, before the GUI hears of it;
    // returning false cancels. For tests and scripted runs (cancel at an exact point).
    void setProgressObserver(core::ProgressCallback observer) { m_observer = std::move(observer); }

    static std::filesystem::path toPath(const QString& path);

Q_SIGNALS:
    void progressChanged(const sigscope::ui::MigrationProgress& progress);
    void finished(std::shared_ptr<const sigscope::core::migration::MigrationReport> report);
    void failed(const QString& message); // the destination was unusable: nothing was migrated

private:
    struct RunState;
    void onProgress();

    JobRunner* m_runner = nullptr;
    std::shared_ptr<RunState> m_state;
    core::ProgressCallback m_observer;
    QElapsedTimer m_clock;
    bool m_dryRun = false;
};

} // namespace sigscope::ui

Q_DECLARE_METATYPE(sigscope::ui::MigrationProgress)
