#include "ui/jobs/jobmonitor.h"

#include "ui/jobs/jobrunner.h"

#include <QTimer>

namespace sigscope::ui {

JobMonitor::JobMonitor(QObject* parent)
    : QObject(parent)
{
}

void JobMonitor::addRunner(JobRunner* runner)
{
    m_runners.append(runner);
    connect(runner, &JobRunner::started, this, [this, runner]() {
        m_startOrder.removeAll(runner);
        m_startOrder.append(runner);
        Q_EMIT activityChanged();
    });
    connect(runner, &JobRunner::progressChanged, this, &JobMonitor::activityChanged);
    connect(runner, &JobRunner::busyChanged, this, [this](bool busy) {
        Q_EMIT activityChanged();
        if (!busy)
            scheduleIdleCheck();
    });
}

bool JobMonitor::isBusy() const
{
    for (const auto& runner : m_runners) {
        if (runner && runner->isBusy())
            return true;
    }
    return false;
}

JobRunner* JobMonitor::current() const
{
    for (auto it = m_startOrder.crbegin(); it != m_startOrder.crend(); ++it) {
        if (*it && (*it)->isBusy())
            return *it;
    }
    return nullptr;
}

void JobMonitor::cancelAll()
{
    for (const auto& runner : m_runners) {
        if (runner)
            runner->cancel();
    }
}

void JobMonitor::scheduleIdleCheck()
{
    if (m_checkPending)
        return;
    m_checkPending = true;
    // Queued: a result handler that starts a follow-up job runs before we look.
    QTimer::singleShot(0, this, [this]() {
        m_checkPending = false;
        if (!isBusy())
            Q_EMIT idle();
    });
}

} // namespace sigscope::ui
