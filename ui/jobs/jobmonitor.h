#pragma once

#include <QList>
#include <QObject>
#include <QPointer>

namespace sigscope::ui {

class JobRunner;

// Watches a set of runners: whether any is busy (status bar, cancel button) and the moment
// all of them are done (scripted screenshots wait on idle(), never on a timer).
class JobMonitor : public QObject
{
    Q_OBJECT
public:
    explicit JobMonitor(QObject* parent = nullptr);

    void addRunner(JobRunner* runner);
    [[nodiscard]] bool isBusy() const;
    // The most recently started runner that is still busy, or nullptr.
    [[nodiscard]] JobRunner* current() const;
    void cancelAll();

Q_SIGNALS:
    void activityChanged(); // a runner started, progressed or finished
    // Every runner is idle, and stayed so after the result handlers (which may start more jobs) ran.
    void idle();

private:
    void scheduleIdleCheck();

    QList<QPointer<JobRunner>> m_runners;
    QList<QPointer<JobRunner>> m_startOrder;
    bool m_checkPending = false;
};

} // namespace sigscope::ui
