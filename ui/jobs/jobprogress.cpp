#include "ui/jobs/jobprogress.h"

#include "ui/jobs/jobrunner.h"

#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

namespace sigscope::ui {

void showJobProgress(JobRunner* job, QLabel* status, QProgressBar* bar, QPushButton* cancel,
                     std::function<QString()> cancelledText)
{
    bar->setRange(0, 1000);
    bar->setMaximumWidth(200);
    bar->hide();
    cancel->hide();
    QObject::connect(cancel, &QPushButton::clicked, job, &JobRunner::cancel);
    QObject::connect(job, &JobRunner::started, status, [status, bar, cancel](const QString& what) {
        bar->setValue(0);
        bar->show();
        cancel->show();
        status->setText(what);
    });
    QObject::connect(job, &JobRunner::progressChanged, bar, &QProgressBar::setValue);
    QObject::connect(job, &JobRunner::finished, status,
                     [status, bar, cancel, cancelledText = std::move(cancelledText)](bool cancelled, const QString& error) {
                         bar->hide();
                         cancel->hide();
                         if (cancelled)
                             status->setText(cancelledText());
                         else if (!error.isEmpty())
                             status->setText(error);
                     });
}

} // namespace sigscope::ui
