#include "ui/mainwindow/jobstatus.h"

#include "ui/jobs/jobmonitor.h"
#include "ui/jobs/jobrunner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QStyle>
#include <QToolButton>

namespace sigscope::ui {

JobStatusWidget::JobStatusWidget(JobMonitor* monitor, QWidget* parent)
    : QWidget(parent)
    , m_monitor(monitor)
    , m_label(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_cancel(new QToolButton(this))
{
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(160);
    m_progress->setTextVisible(false);
    m_cancel->setIcon(style()->standardIcon(QStyle::SP_DialogCancelButton));
    m_cancel->setToolTip(tr("Cancel the background jobs"));
    m_cancel->setAutoRaise(true);
    m_cancel->setObjectName(QStringLiteral("cancelJobs"));
    connect(m_cancel, &QToolButton::clicked, m_monitor, &JobMonitor::cancelAll);
    connect(m_monitor, &JobMonitor::activityChanged, this, &JobStatusWidget::refresh);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_progress);
    layout->addWidget(m_cancel);
    refresh();
}

void JobStatusWidget::refresh()
{
    const JobRunner* current = m_monitor->current();
    const bool busy = current != nullptr;
    // Hidden as a whole when idle: QStatusBar ends its message at the first visible permanent
    // widget, and an empty but visible box cut "... format version 1" at 1024 px.
    setVisible(busy);
    if (!busy)
        return;
    m_label->setText(current->label());
    m_progress->setValue(current->perMille());
}

} // namespace sigscope::ui
