#include "ui/jobs/migrationjob.h"

#include "ui/jobs/jobrunner.h"

#include <QFile>
#include <QLocale>

#include <atomic>
#include <cmath>
#include <mutex>

namespace sigscope::ui {

namespace {

QString duration(double seconds)
{
    const auto s = static_cast<qint64>(std::ceil(seconds));
    if (s < 60)
        return QObject::tr("%1 s").arg(s);
    if (s < 3600)
        return QObject::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return QObject::tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

} // namespace

QString MigrationProgress::text() const
{
    const QLocale locale;
    QStringList parts{QObject::tr("%1 of %2 files").arg(locale.toString(files), locale.toString(filesTotal)),
                      QObject::tr("%1 traces").arg(locale.toString(traces))};
    if (bytesPerSecond > 0)
        parts << QObject::tr("%1 MB/s").arg(locale.toString(bytesPerSecond / 1e6, 'f', 1));
    if (secondsLeft >= 0)
        parts << QObject::tr("about %1 left").arg(duration(secondsLeft));
    return parts.join(QStringLiteral(" · "));
}

// Shared by the GUI thread and the worker of one run (a new run gets a new one, so a late
// report of an old run cannot touch the new one).
struct MigrationJob::RunState
{
    std::mutex mutex;
    core::Progress latest;
    std::atomic<bool> cancel{false};
};

MigrationJob::MigrationJob(QObject* parent)
    : QObject(parent)
    , m_runner(new JobRunner(QStringLiteral("migration"), this))
{
    qRegisterMetaType<MigrationProgress>();
    connect(m_runner, &JobRunner::progressChanged, this, &MigrationJob::onProgress);
}

MigrationJob::~MigrationJob()
{
    if (m_state)
        m_state->cancel = true;
}

std::filesystem::path MigrationJob::toPath(const QString& path)
{
    return std::filesystem::path(QFile::encodeName(path).toStdString());
}

void MigrationJob::start(const QStringList& sources, const QString& destination,
                         const core::migration::MigrationOptions& options)
{
    if (m_state)
        m_state->cancel = true;
    m_state = std::make_shared<RunState>();
    m_dryRun = options.dryRun;
    m_clock.start();
    std::vector<std::filesystem::path> paths;
    for (const QString& source : sources)
        paths.push_back(toPath(source));
    auto work = [state = m_state, observer = m_observer, paths = std::move(paths), dest = toPath(destination),
                 options](const core::ProgressCallback& forward) {
        const core::ProgressCallback progress = [&](const core::Progress& p) {
            {
                std::lock_guard lock(state->mutex);
                state->latest = p;
            }
            if (observer && !observer(p))
                state->cancel = true;
            const bool keepGoing = forward(p); // always forwarded: the per-mille must move
            return keepGoing && !state->cancel.load();
        };
        return core::migration::migrate(paths, dest, options, progress);
    };
    m_runner->run(
        options.dryRun ? tr("Planning migration") : tr("Migrating"), std::move(work), this,
        [this](const std::shared_ptr<const Report>& report) { Q_EMIT finished(report); },
        [this](const QString& error) { Q_EMIT failed(error); });
}

void MigrationJob::cancel()
{
    if (m_state)
        m_state->cancel = true;
}

bool MigrationJob::isRunning() const
{
    return m_runner->isBusy();
}

bool MigrationJob::isCancelling() const
{
    return isRunning() && m_state && m_state->cancel.load();
}

void MigrationJob::onProgress()
{
    if (!m_state)
        return;
    core::Progress p;
    {
        std::lock_guard lock(m_state->mutex);
        p = m_state->latest;
    }
    MigrationProgress out;
    out.files = p.done;
    out.filesTotal = p.total;
    out.traces = p.itemsDone;
    out.bytes = p.bytesDone;
    out.bytesTotal = p.bytesTotal;
    out.current = QString::fromStdString(p.current);
    out.perMille = JobRunner::perMilleOf(p);
    out.seconds = double(m_clock.elapsed()) / 1000.0;
    if (out.seconds > 0.05 && out.bytes > 0) {
        out.bytesPerSecond = double(out.bytes) / out.seconds;
        out.secondsLeft = double(out.bytesTotal - std::min(out.bytes, out.bytesTotal)) / out.bytesPerSecond;
    }
    Q_EMIT progressChanged(out);
}

} // namespace sigscope::ui
