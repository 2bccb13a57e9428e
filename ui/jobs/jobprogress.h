#pragma once

#include <QString>

#include <functional>

class QLabel;
class QProgressBar;
class QPushButton;

namespace sigscope::ui {

class JobRunner;

// A dialog's own progress row for its background job (the sweep heatmap, the agreement matrix):
// the bar (per mille) and Cancel are shown only while the job runs, with its label in status;
// Cancel cancels it; when it ends, status says cancelledText() after a cancel, or the error.
void showJobProgress(JobRunner* job, QLabel* status, QProgressBar* bar, QPushButton* cancel,
                     std::function<QString()> cancelledText);

} // namespace sigscope::ui
