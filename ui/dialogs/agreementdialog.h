#pragma once

#include "core/analysis/agreementmatrix.h"

#include <QDialog>
#include <QStringList>

#include <memory>
#include <optional>
#include <utility>
#include <vector>

class QCheckBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace sigscope::ui {

class AgreementMatrixWidget;
class JobRunner;

// What the matrix is computed from: signal traces with their lane labels and file paths, in
// the tree's order (as `sigscope compare --select` takes them), and the bars compared.
struct AgreementInput
{
    QStringList labels;
    QStringList paths;
    std::vector<std::shared_ptr<const core::Trace>> traces;
    std::optional<std::pair<std::int64_t, std::int64_t>> range; // [from, to); none: all bars
};

// Analysis ▸ Agreement Matrix (Ctrl+Shift+M; "Agreement Matrix…" on the tree's context menu of a
// selection): the share of bars in the same position for every pair of the charted signals, as a
// clustered heat matrix (ui/charts/agreementview.h). Computed in the background (progress and
// Cancel here); hovering a cell reads "a vs b: 87.3% of bars agree", a click asks the window to
// chart those two signals; Export CSV writes exactly what `sigscope compare --matrix` writes
// (core::csv::agreementMatrix). Size and place, and the export folder, are remembered in
// QSettings ("agreementMatrix/...").
class AgreementMatrixDialog : public QDialog
{
    Q_OBJECT
public:
    explicit AgreementMatrixDialog(QWidget* parent = nullptr);
    ~AgreementMatrixDialog() override;

    // The dialog of a window (one per window), shown and raised.
    static AgreementMatrixDialog* showFor(QWidget* window);

    void setInput(AgreementInput input); // fewer than two traces: says so, computes nothing
    [[nodiscard]] const AgreementInput& input() const { return m_input; }
    [[nodiscard]] std::shared_ptr<const core::stats::AgreementMatrix> matrix() const { return m_matrix; }
    [[nodiscard]] AgreementMatrixWidget* view() const { return m_view; }
    [[nodiscard]] JobRunner* job() const { return m_job; }
    [[nodiscard]] QPushButton* exportButton() const { return m_export; }
    [[nodiscard]] QString statusText() const;
    // Writes the CSV to path (atomically); false with error naming the file and the reason.
    bool exportCsv(const QString& path, QString* error) const;

Q_SIGNALS:
    void tracesChosen(const QStringList& paths); // a clicked cell's two signals (one on the diagonal)
    void matrixShown();                          // matrix() was replaced (or cleared)

protected:
    void hideEvent(QHideEvent* event) override;

private:
    void show(std::shared_ptr<const core::stats::AgreementMatrix> matrix);
    void chooseExportFile();

    AgreementInput m_input;
    std::shared_ptr<const core::stats::AgreementMatrix> m_matrix;
    QString m_summary;
    AgreementMatrixWidget* m_view = nullptr;
    QLabel* m_status = nullptr;
    QProgressBar* m_progress = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_export = nullptr;
    JobRunner* m_job = nullptr;
};

} // namespace sigscope::ui
