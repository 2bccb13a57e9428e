#pragma once

#include "core/util/progress.h"

#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <QPromise>
#include <QString>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

namespace sigscope::ui {

// What a background job hands back: an immutable snapshot, or the reason it failed.
template<typename T>
struct JobOutcome
{
    std::shared_ptr<const T> value;
    QString error;
    bool cancelled = false;
};

// "Latest request wins" runner for one kind of background job (reading an index, loading the
// selected traces, ...). A new request makes every older one stale: the older one is asked to
// stop (its core ProgressCallback returns false) and its result is dropped. Results reach the
// GUI thread only while this runner and the receiving object still exist. Progress reaches the
// GUI thread only when the per-mille value changes.
class JobRunner : public QObject
{
    Q_OBJECT
public:
    explicit JobRunner(QString name, QObject* parent = nullptr);
    ~JobRunner() override;

    [[nodiscard]] const QString& name() const { return m_name; }
    [[nodiscard]] bool isBusy() const { return m_busy; }
    [[nodiscard]] const QString& label() const { return m_label; }
    [[nodiscard]] int perMille() const { return m_perMille; }
    // The pool the work runs on (not owned; it must outlive every job run here); by default the
    // global one. A pool of its own at a low thread priority keeps a long job off the others' way.
    void setThreadPool(QThreadPool* pool) { m_pool = pool; }

    // Starts work(progress) on the thread pool. work returns a T (moved into a shared_ptr) or
    // throws; onResult / onError run on the GUI thread, only if receiver still exists and no
    // newer request was made meanwhile. The work must not touch the receiver or any widget.
    template<typename Work, typename OnResult>
    void run(const QString& label, Work work, QObject* receiver, OnResult onResult,
             std::function<void(const QString&)> onError = {})
    {
        using T = std::decay_t<std::invoke_result_t<Work&, const core::ProgressCallback&>>;
        const quint64 generation = beginRequest(label);
        QThreadPool* pool = m_pool ? m_pool : QThreadPool::globalInstance();
        auto future = QtConcurrent::run(pool, [work = std::move(work)](QPromise<JobOutcome<T>>& promise) mutable {
            promise.setProgressRange(0, 1000);
            int lastPerMille = -1;
            const core::ProgressCallback progress = [&promise, &lastPerMille](const core::Progress& p) {
                if (promise.isCanceled())
                    return false;
                const int perMille = perMilleOf(p);
                if (perMille != lastPerMille) {
                    lastPerMille = perMille;
                    promise.setProgressValueAndText(perMille, QString::fromStdString(p.current));
                }
                return true;
            };
            JobOutcome<T> outcome;
            try {
                outcome.value = std::make_shared<const T>(work(progress));
            } catch (const std::exception& e) {
                outcome.error = QString::fromUtf8(e.what());
            } catch (...) {
                outcome.error = QStringLiteral("unknown error");
            }
            outcome.cancelled = promise.isCanceled();
            promise.addResult(std::move(outcome));
        });
        auto* watcher = new QFutureWatcher<JobOutcome<T>>(this);
        QPointer<QObject> guard(receiver);
        connect(watcher, &QFutureWatcherBase::progressValueChanged, this, [this, generation](int value) {
            if (generation == m_generation)
                setProgress(value);
        });
        connect(watcher, &QFutureWatcherBase::finished, this,
                [this, watcher, generation, guard, onResult = std::move(onResult), onError = std::move(onError)]() {
                    watcher->deleteLater();
                    if (generation != m_generation)
                        return; // stale: a newer request owns the runner now
                    const JobOutcome<T> outcome = watcher->future().resultCount() > 0 ? watcher->future().result()
                                                                                      : JobOutcome<T>{};
                    // The handlers may start the next job; report idle only after them.
                    if (guard && !outcome.cancelled) {
                        if (outcome.value)
                            onResult(outcome.value);
                        else if (onError)
                            onError(outcome.error);
                    }
                    if (generation == m_generation)
                        endRequest(outcome.cancelled, outcome.value ? QString() : outcome.error);
                });
        m_cancel = [future]() mutable { future.cancel(); };
        watcher->setFuture(future);
    }

    // Makes the running request stale and asks it to stop. Emits finished(true, {}).
    void cancel();

    static int perMilleOf(const core::Progress& progress);

Q_SIGNALS:
    void started(const QString& label);
    void progressChanged(int perMille); // 0..1000
    // Emitted once per request that was not superseded: cancelled, or failed with error, or done.
    void finished(bool cancelled, const QString& error);
    void busyChanged(bool busy);

private:
    quint64 beginRequest(const QString& label);
    void endRequest(bool cancelled, const QString& error);
    void setProgress(int perMille);

    QString m_name;
    QString m_label;
    quint64 m_generation = 0;
    bool m_busy = false;
    int m_perMille = 0;
    std::function<void()> m_cancel;
    QThreadPool* m_pool = nullptr;
};

} // namespace sigscope::ui
