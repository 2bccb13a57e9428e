#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace sigscope::ui {

class JobMonitor;

// Status-bar corner for background jobs: what runs, how far, and a button to cancel it.
class JobStatusWidget : public QWidget
{
    Q_OBJECT
public:
    explicit JobStatusWidget(JobMonitor* monitor, QWidget* parent = nullptr);

    [[nodiscard]] QToolButton* cancelButton() const { return m_cancel; }
    [[nodiscard]] QProgressBar* progressBar() const { return m_progress; }

private:
    void refresh();

    JobMonitor* m_monitor = nullptr;
    QLabel* m_label = nullptr;
    QProgressBar* m_progress = nullptr;
    QToolButton* m_cancel = nullptr;
};

} // namespace sigscope::ui
