#include "ui/jobs/jobrunner.h"

#include <algorithm>

namespace sigscope::ui {

JobRunner::JobRunner(QString name, QObject* parent)
    : QObject(parent)
    , m_name(std::move(name))
{
}

JobRunner::~JobRunner()
{
    // The work keeps running on the pool until its next progress call; it only holds its own
    // captured data, so letting it wind down after we are gone is safe.
    if (m_cancel)
        m_cancel();
}

int JobRunner::perMilleOf(const core::Progress& progress)
{
    std::uint64_t done = progress.done;
    std::uint64_t total = progress.total;
    if (total == 0) {
        done = progress.bytesDone;
        total = progress.bytesTotal;
    }
    if (total == 0)
        return 0;
    return static_cast<int>(std::min<std::uint64_t>(1000, done >= total ? 1000 : done * 1000 / total));
}

quint64 JobRunner::beginRequest(const QString& label)
{
    if (m_cancel)
        m_cancel();
    ++m_generation;
    m_label = label;
    m_perMille = 0;
    const bool wasBusy = m_busy;
    m_busy = true;
    Q_EMIT started(label);
    if (!wasBusy)
        Q_EMIT busyChanged(true);
    return m_generation;
}

void JobRunner::endRequest(bool cancelled, const QString& error)
{
    m_cancel = {};
    m_busy = false;
    Q_EMIT finished(cancelled, error);
    Q_EMIT busyChanged(false);
}

void JobRunner::cancel()
{
    if (m_cancel)
        m_cancel();
    m_cancel = {};
    ++m_generation;
    if (m_busy) {
        m_busy = false;
        Q_EMIT finished(true, QString());
        Q_EMIT busyChanged(false);
    }
}

void JobRunner::setProgress(int perMille)
{
    if (perMille == m_perMille)
        return;
    m_perMille = perMille;
    Q_EMIT progressChanged(perMille);
}

} // namespace sigscope::ui
