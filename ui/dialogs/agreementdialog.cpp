#include "ui/dialogs/agreementdialog.h"

#include "core/export/csv.h"
#include "ui/charts/agreementview.h"
#include "ui/jobs/jobprogress.h"
#include "ui/jobs/jobrunner.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace sigscope::ui {

namespace {

const QString kGeometry = QStringLiteral("agreementMatrix/geometry");
const QString kExportDir = QStringLiteral("agreementMatrix/exportDir");

QString rangeText(const AgreementInput& input)
{
    if (!input.range)
        return QObject::tr("all bars");
    return QObject::tr("bars %1–%2").arg(input.range->first).arg(input.range->second - 1);
}

} // namespace

AgreementMatrixDialog::AgreementMatrixDialog(QWidget* parent)
    : QDialog(parent)
    , m_view(new AgreementMatrixWidget(this))
    , m_status(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_export(new QPushButton(tr("Export CSV…"), this))
    , m_job(new JobRunner(QStringLiteral("agreement-matrix"), this))
{
    setWindowTitle(tr("Agreement Matrix"));
    setObjectName(QStringLiteral("agreementMatrixDialog"));
    m_export->setObjectName(QStringLiteral("agreementMatrixExport"));
    m_export->setEnabled(false);
    auto* status = new QHBoxLayout;
    status->addWidget(m_status, 1);
    status->addWidget(m_progress);
    status->addWidget(m_cancel);
    status->addWidget(m_export);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_view, 1);
    layout->addLayout(status);
    resize(760, 700);
    restoreGeometry(QSettings().value(kGeometry).toByteArray());

    connect(m_export, &QPushButton::clicked, this, &AgreementMatrixDialog::chooseExportFile);
    showJobProgress(m_job, m_status, m_progress, m_cancel, [this]() {
        return tr("Cancelled: no agreement matrix of %n signal(s)", nullptr, int(m_input.traces.size()));
    });
    connect(m_view, &AgreementMatrixWidget::cellHovered, this,
            [this](const QString& text) { m_status->setText(text.isEmpty() ? m_summary : text); });
    connect(m_view, &AgreementMatrixWidget::cellChosen, this, [this](int a, int b) {
        QStringList paths{m_input.paths.value(a)};
        if (b != a)
            paths << m_input.paths.value(b);
        Q_EMIT tracesChosen(paths);
    });
}

AgreementMatrixDialog::~AgreementMatrixDialog() = default;

AgreementMatrixDialog* AgreementMatrixDialog::showFor(QWidget* window)
{
    auto* dialog = window->findChild<AgreementMatrixDialog*>(QString(), Qt::FindDirectChildrenOnly);
    if (!dialog)
        dialog = new AgreementMatrixDialog(window);
    dialog->QDialog::show();
    dialog->raise();
    dialog->activateWindow();
    return dialog;
}

void AgreementMatrixDialog::setInput(AgreementInput input)
{
    m_input = std::move(input);
    show(nullptr);
    const int n = int(m_input.traces.size());
    if (n < 2) {
        m_job->cancel();
        m_summary = tr("Chart two or more signals (or select them in the tree) to compare them: %n charted", nullptr, n);
        m_status->setText(m_summary);
        return;
    }
    std::vector<std::shared_ptr<const core::Trace>> traces = m_input.traces;
    const std::int64_t from = m_input.range ? m_input.range->first : 0;
    const std::int64_t to = m_input.range ? m_input.range->second : INT64_MAX;
    m_job->run(
        tr("Comparing %n signal(s) bar by bar…", nullptr, n),
        [traces = std::move(traces), from, to](const core::ProgressCallback& progress) {
            std::vector<const core::Trace*> pointers;
            pointers.reserve(traces.size());
            for (const auto& trace : traces)
                pointers.push_back(trace.get());
            return core::stats::agreementMatrix(pointers, from, to, progress); // cancelled: dropped by the runner
        },
        this,
        [this, n](const std::shared_ptr<const core::stats::AgreementMatrix>& matrix) {
            if (matrix->cancelled)
                return;
            m_summary = tr("%n signal(s), %1; hover a cell to read it, click it to chart the two", nullptr, n)
                            .arg(rangeText(m_input));
            show(matrix);
        });
}

void AgreementMatrixDialog::show(std::shared_ptr<const core::stats::AgreementMatrix> matrix)
{
    m_matrix = std::move(matrix);
    m_view->setMatrix(m_matrix, m_input.labels);
    m_export->setEnabled(m_matrix != nullptr);
    if (m_matrix)
        m_status->setText(m_summary);
    Q_EMIT matrixShown();
}

QString AgreementMatrixDialog::statusText() const
{
    return m_status->text();
}

bool AgreementMatrixDialog::exportCsv(const QString& path, QString* error) const
{
    if (!m_matrix) {
        *error = tr("No agreement matrix to write to %1").arg(path);
        return false;
    }
    std::vector<std::string> labels;
    labels.reserve(std::size_t(m_input.labels.size()));
    for (const QString& label : m_input.labels)
        labels.push_back(label.toStdString());
    try {
        core::csv::writeFile(QFile::encodeName(path).toStdString(), core::csv::agreementMatrix(labels, *m_matrix));
    } catch (const std::exception& e) {
        *error = QString::fromUtf8(e.what());
        return false;
    }
    return true;
}

void AgreementMatrixDialog::chooseExportFile()
{
    QSettings settings;
    const QString dir = settings.value(kExportDir, QDir::homePath()).toString();
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Agreement Matrix"),
                                                      QDir(dir).filePath(QStringLiteral("matrix.csv")),
                                                      tr("CSV (*.csv);;All files (*)"));
    if (path.isEmpty())
        return;
    settings.setValue(kExportDir, QFileInfo(path).absolutePath());
    QString error;
    if (exportCsv(path, &error))
        m_status->setText(tr("Wrote %1").arg(QDir::toNativeSeparators(path)));
    else
        QMessageBox::warning(this, tr("Export Agreement Matrix"), error);
}

void AgreementMatrixDialog::hideEvent(QHideEvent* event)
{
    QSettings().setValue(kGeometry, saveGeometry());
    QDialog::hideEvent(event);
}

} // namespace sigscope::ui
