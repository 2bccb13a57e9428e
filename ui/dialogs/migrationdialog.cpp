#include "ui/dialogs/migrationdialog.h"

#include "core/storage/storage.h"
#include "core/storage/writer.h"
#include "ui/jobs/migrationjob.h"
#include "ui/models/migrationreportmodel.h"
#include "ui/models/roles.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStringListModel>
#include <QStyledItemDelegate>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>
#include <functional>

namespace sigscope::ui {

namespace {

namespace mig = core::migration;

namespace Key {
const QString sources = QStringLiteral("migration/sources");
const QString destination = QStringLiteral("migration/destination");
} // namespace Key

// Outcome text coloured by how urgent it is (the model itself carries no colours); source paths
// elided on the left.
class OutcomeDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (index.column() == MigrationColumn::Source)
            option->textElideMode = Qt::ElideLeft; // the file name matters more than its folders
        if (index.column() != MigrationColumn::Outcome && index.column() != MigrationColumn::Reason)
            return;
        QColor colour;
        switch (static_cast<mig::Status>(index.data(Role::MigrationStatus).toInt())) {
        case mig::Status::Failed:
        case mig::Status::Unrecognised: colour = QColor(0xb0, 0x1e, 0x1e); break;
        case mig::Status::Cancelled:
        case mig::Status::Conflict: colour = QColor(0x9a, 0x5b, 0x00); break;
        case mig::Status::Migrated: colour = QColor(0x1e, 0x6e, 0x2e); break;
        default: return;
        }
        option->palette.setColor(QPalette::Text, colour);
        option->palette.setColor(QPalette::HighlightedText, option->palette.color(QPalette::HighlightedText));
        if (index.column() == MigrationColumn::Outcome)
            option->font.setBold(colour != QColor(0x1e, 0x6e, 0x2e));
    }
};

QString cleanPath(const QString& path)
{
    return QDir::cleanPath(QDir::fromNativeSeparators(path));
}

// The deepest folder holding every source, so the table shows short paths that still include
// each source's own name.
QString commonParent(const QStringList& sources)
{
    QStringList common;
    bool first = true;
    for (const QString& source : sources) {
        const QStringList parts = QFileInfo(cleanPath(source)).absolutePath().split(QLatin1Char('/'));
        if (first) {
            common = parts;
            first = false;
            continue;
        }
        qsizetype n = 0;
        while (n < common.size() && n < parts.size() && common[n] == parts[n])
            ++n;
        common = common.mid(0, n);
    }
    const QString joined = common.join(QLatin1Char('/'));
    return joined.isEmpty() && !common.isEmpty() ? QStringLiteral("/") : joined;
}

} // namespace

MigrationDialog::MigrationDialog(QWidget* parent)
    : QDialog(parent)
    , m_sources(new QStringListModel(this))
    , m_model(new MigrationReportModel(this))
    , m_proxy(new MigrationFilterProxy(this))
    , m_job(new MigrationJob(this))
{
    setObjectName(QStringLiteral("migrationDialog"));
    setWindowTitle(tr("Migrate Legacy Dumps"));
    m_proxy->setSourceModel(m_model);
    buildUi();
    connect(m_job, &MigrationJob::progressChanged, this, &MigrationDialog::onProgress);
    connect(m_job, &MigrationJob::finished, this, &MigrationDialog::onFinished);
    connect(m_job, &MigrationJob::failed, this, &MigrationDialog::onFailed);
    setStage(Stage::Setup);
    resize(1120, 700);
}

MigrationDialog::~MigrationDialog() = default;

void MigrationDialog::buildUi()
{
    QGroupBox* sourcesBox = buildSourcesBox();
    QGroupBox* destinationBox = buildDestinationBox();
    buildTable();
    buildRunControls();

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(sourcesBox);
    layout->addWidget(destinationBox);
    layout->addWidget(m_tableBox, 1);
    layout->addWidget(m_message);
    layout->addWidget(m_progressRow);
    layout->addWidget(m_buttons);
}

// The legacy files and folders to migrate, with the buttons that add and remove them.
QGroupBox* MigrationDialog::buildSourcesBox()
{
    auto* sourcesBox = new QGroupBox(tr("Legacy sources"), this);
    m_sourceList = new QListView(sourcesBox);
    m_sourceList->setObjectName(QStringLiteral("sourceList"));
    m_sourceList->setModel(m_sources);
    m_sourceList->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_sourceList->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_sourceList->setUniformItemSizes(true);
    m_sourceList->setMaximumHeight(84);
    auto* addFolder = new QPushButton(tr("Add Folder…"), sourcesBox);
    auto* addFiles = new QPushButton(tr("Add Files…"), sourcesBox);
    m_removeSource = new QPushButton(tr("Remove"), sourcesBox);
    connect(addFolder, &QPushButton::clicked, this, &MigrationDialog::addFolder);
    connect(addFiles, &QPushButton::clicked, this, &MigrationDialog::addFiles);
    connect(m_removeSource, &QPushButton::clicked, this, &MigrationDialog::removeSelectedSources);
    connect(m_sourceList->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MigrationDialog::updateButtons);
    auto* sourceButtons = new QVBoxLayout;
    sourceButtons->addWidget(addFolder);
    sourceButtons->addWidget(addFiles);
    sourceButtons->addWidget(m_removeSource);
    sourceButtons->addStretch();
    auto* sourcesLayout = new QHBoxLayout(sourcesBox);
    sourcesLayout->addWidget(m_sourceList, 1);
    sourcesLayout->addLayout(sourceButtons);
    return sourcesBox;
}

// The storage to migrate into, with the hint on what is there.
QGroupBox* MigrationDialog::buildDestinationBox()
{
    auto* destinationBox = new QGroupBox(tr("Destination storage"), this);
    m_destination = new QLineEdit(destinationBox);
    m_destination->setObjectName(QStringLiteral("destinationEdit"));
    m_destination->setPlaceholderText(tr("Folder of the version-1 storage to migrate into"));
    m_browseDestination = new QPushButton(tr("Browse…"), destinationBox);
    m_destinationHint = new QLabel(destinationBox);
    m_destinationHint->setObjectName(QStringLiteral("destinationHint"));
    m_destinationHint->setEnabled(false); // greyed: a hint, not a control
    connect(m_browseDestination, &QPushButton::clicked, this, &MigrationDialog::chooseDestination);
    connect(m_destination, &QLineEdit::textEdited, this, [this]() {
        m_destinationEdited = !m_destination->text().trimmed().isEmpty();
        sourcesEdited();
    });
    auto* destinationRow = new QHBoxLayout;
    destinationRow->addWidget(m_destination, 1);
    destinationRow->addWidget(m_browseDestination);
    auto* destinationLayout = new QVBoxLayout(destinationBox);
    destinationLayout->addLayout(destinationRow);
    destinationLayout->addWidget(m_destinationHint);
    return destinationBox;
}

// The plan or the outcome, one row per legacy source, with its filter and totals.
void MigrationDialog::buildTable()
{
    m_tableBox = new QGroupBox(this);
    m_filter = new QLineEdit(m_tableBox);
    m_filter->setObjectName(QStringLiteral("migrationFilter"));
    m_filter->setPlaceholderText(tr("Filter rows (every word must match: \"failed L2\", \"classifier\", …)"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_proxy->setFilterText(text);
        updateButtons();
    });
    m_table = new QTreeView(m_tableBox);
    m_table->setObjectName(QStringLiteral("migrationTable"));
    m_table->setModel(m_proxy);
    m_table->setRootIsDecorated(false);
    m_table->setUniformRowHeights(true);
    m_table->setAlternatingRowColors(true);
    m_table->setSortingEnabled(true);
    m_table->header()->setSortIndicator(-1, Qt::AscendingOrder); // discovery order until a header is clicked
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setItemDelegate(new OutcomeDelegate(m_table));
    QHeaderView* header = m_table->header();
    header->setStretchLastSection(true);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->resizeSection(MigrationColumn::Source, 330);
    header->resizeSection(MigrationColumn::Variant, 58);
    header->resizeSection(MigrationColumn::Traces, 56);
    header->resizeSection(MigrationColumn::Changes, 68);
    header->resizeSection(MigrationColumn::Destination, 250);
    header->resizeSection(MigrationColumn::Outcome, 100);
    m_totals = new QLabel(m_tableBox);
    m_totals->setObjectName(QStringLiteral("migrationTotals"));
    m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* tableLayout = new QVBoxLayout(m_tableBox);
    tableLayout->addWidget(m_filter);
    tableLayout->addWidget(m_table, 1);
    tableLayout->addWidget(m_totals);
}

// The message line, the progress of a run with its Cancel button, and the dialog's buttons.
void MigrationDialog::buildRunControls()
{
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("migrationMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();

    m_progressRow = new QWidget(this);
    m_progressBar = new QProgressBar(m_progressRow);
    m_progressBar->setRange(0, 1000);
    m_progressBar->setFormat(QStringLiteral("%p%"));
    m_progressText = new QLabel(m_progressRow);
    m_progressText->setObjectName(QStringLiteral("progressText"));
    m_cancel = new QPushButton(tr("Cancel"), m_progressRow);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    connect(m_cancel, &QPushButton::clicked, this, &MigrationDialog::cancelRun);
    auto* progressLayout = new QGridLayout(m_progressRow);
    progressLayout->setContentsMargins(0, 0, 0, 0);
    progressLayout->addWidget(m_progressBar, 0, 0);
    progressLayout->addWidget(m_cancel, 0, 1);
    progressLayout->addWidget(m_progressText, 1, 0, 1, 2);

    m_buttons = new QDialogButtonBox(this);
    m_preview = m_buttons->addButton(tr("Preview"), QDialogButtonBox::ActionRole);
    m_preview->setObjectName(QStringLiteral("previewButton"));
    m_preview->setToolTip(tr("Plan the migration without writing anything"));
    m_start = m_buttons->addButton(tr("Start Migration"), QDialogButtonBox::ActionRole);
    m_start->setObjectName(QStringLiteral("startButton"));
    m_save = m_buttons->addButton(tr("Save Report…"), QDialogButtonBox::ActionRole);
    m_save->setObjectName(QStringLiteral("saveReportButton"));
    m_openButton = m_buttons->addButton(tr("Open Migrated Storage"), QDialogButtonBox::ActionRole);
    m_openButton->setObjectName(QStringLiteral("openStorageButton"));
    QPushButton* close = m_buttons->addButton(QDialogButtonBox::Close);
    close->setAutoDefault(false);
    connect(m_preview, &QPushButton::clicked, this, &MigrationDialog::preview);
    connect(m_start, &QPushButton::clicked, this, &MigrationDialog::startMigration);
    connect(m_save, &QPushButton::clicked, this, &MigrationDialog::chooseReportFile);
    connect(m_openButton, &QPushButton::clicked, this, [this]() {
        Q_EMIT openStorageRequested(m_runDestination);
        accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &MigrationDialog::reject);
}

MigrationDialog* MigrationDialog::showFor(QWidget* parent, const QString& openStorage)
{
    auto* dialog = parent ? parent->findChild<MigrationDialog*>(QString(), Qt::FindDirectChildrenOnly) : nullptr;
    if (!dialog) {
        dialog = new MigrationDialog(parent);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->restoreSettings(QSettings());
        connect(dialog, &QDialog::finished, dialog, [dialog]() {
            QSettings settings;
            dialog->saveSettings(settings);
        });
    }
    dialog->setOpenStorage(openStorage);
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
    return dialog;
}

QString MigrationDialog::defaultDestination(const QString& openStorage, const QStringList& sources)
{
    if (!openStorage.isEmpty()) {
        try {
            if (core::Storage::open(MigrationJob::toPath(openStorage)).formatVersion() == 1)
                return cleanPath(openStorage);
        } catch (const std::exception&) {
            // Not a readable storage: fall back to a new one beside the sources.
        }
    }
    if (sources.isEmpty())
        return {};
    return QDir(QFileInfo(cleanPath(sources.front())).absolutePath()).filePath(QStringLiteral("analytics_storage"));
}

void MigrationDialog::setOpenStorage(const QString& root)
{
    m_openStorage = root;
    // Only a changed default invalidates what the dialog shows (showFor() calls this again).
    if (!m_destinationEdited && m_stage != Stage::Planning && m_stage != Stage::Migrating
        && defaultDestination(root, sources()) != destination())
        sourcesEdited();
}

void MigrationDialog::setSources(const QStringList& sources)
{
    QStringList cleaned;
    for (const QString& source : sources) {
        const QString path = cleanPath(source);
        if (!path.isEmpty() && !cleaned.contains(path))
            cleaned << path;
    }
    m_sources->setStringList(cleaned);
    sourcesEdited();
}

void MigrationDialog::addSources(const QStringList& sources)
{
    setSources(this->sources() + sources);
}

QStringList MigrationDialog::sources() const
{
    return m_sources->stringList();
}

void MigrationDialog::setDestination(const QString& destination)
{
    const QString path = cleanPath(destination.trimmed());
    m_destinationEdited = !path.isEmpty() && path != QLatin1String(".");
    if (m_destinationEdited)
        m_destination->setText(path);
    sourcesEdited();
}

QString MigrationDialog::destination() const
{
    const QString text = m_destination->text().trimmed();
    return text.isEmpty() ? QString() : cleanPath(text);
}

void MigrationDialog::restoreSettings(const QSettings& settings)
{
    setSources(settings.value(Key::sources).toStringList());
    setDestination(settings.value(Key::destination).toString());
}

void MigrationDialog::saveSettings(QSettings& settings) const
{
    settings.setValue(Key::sources, sources());
    // The default follows the sources and the open storage; only a chosen folder is remembered.
    if (m_destinationEdited)
        settings.setValue(Key::destination, destination());
    else
        settings.remove(Key::destination);
}

// Sources or destination changed: a shown plan or result no longer describes them.
void MigrationDialog::sourcesEdited()
{
    if (!m_destinationEdited)
        m_destination->setText(defaultDestination(m_openStorage, sources()));
    m_model->setSourceBase(commonParent(sources()));
    if (m_stage == Stage::Preview || m_stage == Stage::Result) {
        m_model->setReport(nullptr);
        m_report.reset();
        showMessage(QString(), false);
        setStage(Stage::Setup);
    }
    updateDestinationHint();
    updateButtons();
}

void MigrationDialog::updateDestinationHint()
{
    const QString dest = destination();
    QString hint;
    if (dest.isEmpty()) {
        hint = tr("Choose the folder of the storage to migrate into.");
    } else {
        const QFileInfo info(dest);
        if (!info.exists())
            hint = tr("A new version-1 storage will be created here.");
        else if (!info.isDir())
            hint = tr("This is a file, not a folder: choose another destination.");
        else if (QFileInfo(QDir(dest).filePath(QStringLiteral("storage.json"))).isFile())
            hint = tr("Existing version-1 storage: new traces are added; traces already there stay unchanged.");
        else if (QDir(dest).isEmpty())
            hint = tr("Empty folder: a new version-1 storage will be created in it.");
        else
            hint = tr("This folder is not a version-1 storage yet: the storage is started in it.");
    }
    m_destinationHint->setText(hint);
}

void MigrationDialog::setStage(Stage stage)
{
    const bool changed = stage != m_stage;
    m_stage = stage;
    const bool running = stage == Stage::Planning || stage == Stage::Migrating;
    m_progressRow->setVisible(running);
    switch (stage) {
    case Stage::Setup: m_tableBox->setTitle(tr("Plan")); break;
    case Stage::Planning: m_tableBox->setTitle(tr("Plan (reading the sources…)")); break;
    case Stage::Preview: m_tableBox->setTitle(tr("Plan: dry run, nothing has been written")); break;
    case Stage::Migrating: m_tableBox->setTitle(tr("Migrating…")); break;
    case Stage::Result:
        m_tableBox->setTitle(m_report && m_report->cancelled ? tr("Result: cancelled") : tr("Result"));
        break;
    }
    if (running) {
        m_progressBar->setValue(0);
        m_progressText->setText(stage == Stage::Planning ? tr("Reading the sources…") : tr("Starting…"));
        m_cancel->setEnabled(true);
        m_cancel->setText(tr("Cancel"));
    }
    updateButtons();
    if (changed)
        Q_EMIT stageChanged(stage);
}

void MigrationDialog::updateButtons()
{
    const bool running = m_stage == Stage::Planning || m_stage == Stage::Migrating;
    const bool haveSources = !sources().isEmpty();
    for (QWidget* w : {static_cast<QWidget*>(m_sourceList), static_cast<QWidget*>(m_destination),
                       static_cast<QWidget*>(m_browseDestination)})
        w->setEnabled(!running);
    const auto buttons = m_sourceList->parentWidget()->findChildren<QPushButton*>();
    for (QPushButton* b : buttons)
        b->setEnabled(!running);
    m_removeSource->setEnabled(!running && m_sourceList->selectionModel()->hasSelection());
    m_preview->setEnabled(!running && haveSources);
    m_start->setEnabled(!running && haveSources && !destination().isEmpty());
    m_save->setEnabled(!running && m_report != nullptr);
    m_openButton->setEnabled(!running && m_stage == Stage::Result && m_report && !m_report->dryRun);
    m_openButton->setVisible(m_stage == Stage::Result || m_stage == Stage::Migrating);
    m_filter->setEnabled(m_report != nullptr);

    if (!m_report) {
        m_totals->setText(running ? QString() : tr("Add legacy folders or files, then Preview or Start Migration."));
        return;
    }
    QString totals = MigrationReportModel::totalsText(*m_report);
    if (m_proxy->isFiltering())
        totals = tr("Showing %1 of %2 files").arg(m_proxy->rowCount()).arg(m_model->rowCount())
            + QStringLiteral(" · ") + totals;
    if (!m_report->dryRun)
        totals += tr(" · %1 s").arg(QLocale().toString(m_report->seconds, 'f', 1));
    m_totals->setText(totals);
}

void MigrationDialog::showMessage(const QString& text, bool error)
{
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
    m_message->setStyleSheet(error ? QStringLiteral("QLabel { color: #b01e1e; }") : QString());
}

QString MigrationDialog::message() const
{
    return m_message->text();
}

void MigrationDialog::preview()
{
    run(true);
}

void MigrationDialog::startMigration()
{
    run(false);
}

void MigrationDialog::run(bool dryRun)
{
    if (m_stage == Stage::Planning || m_stage == Stage::Migrating)
        return;
    if (sources().isEmpty()) {
        showMessage(tr("Add at least one legacy folder or file to migrate."), true);
        return;
    }
    const QString dest = destination();
    if (dest.isEmpty() && !dryRun) {
        showMessage(tr("Choose the destination storage folder."), true);
        return;
    }
    for (const QString& source : sources()) {
        if (!QFileInfo::exists(source)) {
            showMessage(tr("%1: no such file or folder").arg(QDir::toNativeSeparators(source)), true);
            return;
        }
    }
    showMessage(QString(), false);
    m_closeWhenDone = false;
    m_runDestination = dest;
    m_report.reset();
    m_model->setReport(nullptr);
    m_model->setSourceBase(commonParent(sources()));
    core::migration::MigrationOptions options;
    options.dryRun = dryRun;
    options.createdBy = "sigscope " SIGSCOPE_VERSION; // as `sigscope migrate` writes it
    setStage(dryRun ? Stage::Planning : Stage::Migrating);
    m_job->start(sources(), dest, options);
}

void MigrationDialog::cancelRun()
{
    if (m_stage != Stage::Planning && m_stage != Stage::Migrating)
        return;
    m_job->cancel();
    m_cancel->setEnabled(false);
    m_cancel->setText(tr("Cancelling…"));
    m_progressText->setText(tr("Cancelling: the files being written are finished, nothing half-written is left."));
}

void MigrationDialog::onProgress(const MigrationProgress& progress)
{
    m_progressBar->setValue(progress.perMille);
    if (!m_job->isCancelling())
        m_progressText->setText(progress.text());
    m_progressBar->setToolTip(progress.current);
}

void MigrationDialog::onFinished(const std::shared_ptr<const Report>& report)
{
    const bool dryRun = report->dryRun;
    if (dryRun && report->cancelled) {
        showMessage(tr("Preview cancelled."), false);
        setStage(Stage::Setup);
    } else {
        showReport(report);
        QString text;
        if (report->cancelled) {
            text = tr("Migration cancelled: %1 traces were written completely; the other files were not started. "
                      "Start the migration again to finish it.")
                       .arg(report->totals.tracesWritten);
        } else if (report->totals.failed + report->totals.unrecognised > 0) {
            text = (dryRun ? tr("%1 of %2 files cannot be migrated; the Reason column says why.")
                           : tr("%1 of %2 files could not be migrated; they are listed first with the reason."))
                       .arg(report->totals.failed + report->totals.unrecognised)
                       .arg(report->totals.filesSeen);
        } else if (!dryRun) {
            text = tr("All %1 files are in %2.")
                       .arg(report->totals.filesSeen)
                       .arg(QDir::toNativeSeparators(m_runDestination));
        }
        for (const auto& note : report->notes)
            if (note.severity != core::Finding::Severity::Info)
                text += QLatin1Char('\n') + QString::fromStdString(note.path) + QStringLiteral(": ")
                    + QString::fromStdString(note.message);
        showMessage(text.trimmed(), report->cancelled || report->totals.failed + report->totals.unrecognised > 0);
        setStage(dryRun ? Stage::Preview : Stage::Result);
    }
    updateDestinationHint();
    if (dryRun)
        Q_EMIT planReady();
    else
        Q_EMIT migrationFinished();
    if (m_closeWhenDone)
        QDialog::reject();
}

void MigrationDialog::onFailed(const QString& message)
{
    showMessage(tr("Nothing was migrated: %1").arg(message), true);
    setStage(Stage::Setup);
    Q_EMIT runFailed(message);
    if (m_closeWhenDone)
        QDialog::reject();
}

void MigrationDialog::showReport(const std::shared_ptr<const Report>& report)
{
    m_report = report;
    m_model->setReport(report);
    // The reason column only when some row has one; path columns as wide as the paths need, within
    // bounds (sizes do not depend on whether the dialog is shown yet).
    const bool anyReason = std::any_of(report->files.cbegin(), report->files.cend(), [](const auto& f) {
        return !f.reason.empty() || f.status == core::migration::Status::Duplicate;
    });
    m_table->setColumnHidden(MigrationColumn::Reason, !anyReason);
    QHeaderView* header = m_table->header();
    const int sourceCap = anyReason ? 340 : 440;
    const int destinationCap = anyReason ? 270 : 400;
    for (const auto& [column, cap] :
         {std::pair{int(MigrationColumn::Source), sourceCap}, {int(MigrationColumn::Destination), destinationCap}}) {
        m_table->resizeColumnToContents(column);
        header->resizeSection(column, std::clamp(header->sectionSize(column) + 12, 160, cap));
    }
    if (report->dryRun) {
        m_proxy->sort(-1); // discovery order
        m_table->header()->setSortIndicator(-1, Qt::AscendingOrder);
    } else {
        m_table->sortByColumn(MigrationColumn::Outcome, Qt::AscendingOrder); // problems first
    }
}

void MigrationDialog::reject()
{
    if (m_stage == Stage::Planning || m_stage == Stage::Migrating) {
        m_closeWhenDone = true;
        cancelRun();
        return;
    }
    QDialog::reject();
}

QString MigrationDialog::startFolder() const
{
    if (!sources().isEmpty())
        return QFileInfo(sources().constLast()).absolutePath();
    return QDir::homePath();
}

void MigrationDialog::addFolder()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Add Legacy Folder"), startFolder());
    if (!dir.isEmpty())
        addSources({dir});
}

void MigrationDialog::addFiles()
{
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Add Legacy Files"), startFolder(),
                                                            tr("Legacy dumps (*.json *.jsonl);;All files (*)"));
    if (!files.isEmpty())
        addSources(files);
}

void MigrationDialog::removeSelectedSources()
{
    QStringList kept = sources();
    QList<int> rows;
    for (const QModelIndex& index : m_sourceList->selectionModel()->selectedRows())
        rows << index.row();
    std::sort(rows.begin(), rows.end(), std::greater<>());
    for (int row : rows)
        kept.removeAt(row);
    setSources(kept);
}

void MigrationDialog::chooseDestination()
{
    const QString start = destination().isEmpty() ? startFolder() : QFileInfo(destination()).absolutePath();
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Destination Storage Folder"), start);
    if (!dir.isEmpty())
        setDestination(dir);
}

void MigrationDialog::chooseReportFile()
{
    if (!m_report)
        return;
    const QString start = QDir(m_runDestination.isEmpty() ? startFolder() : QFileInfo(m_runDestination).absolutePath())
                              .filePath(QStringLiteral("migration-report.json"));
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Migration Report"), start,
                                                      tr("JSON report (*.json);;All files (*)"));
    if (!path.isEmpty())
        saveReport(path);
}

bool MigrationDialog::saveReport(const QString& path)
{
    if (!m_report) {
        showMessage(tr("There is no report to save yet."), true);
        return false;
    }
    try {
        core::writeFileAtomically(MigrationJob::toPath(path), core::migration::reportToJson(*m_report));
    } catch (const std::exception& e) {
        showMessage(tr("Could not save the report to %1: %2")
                        .arg(QDir::toNativeSeparators(path), QString::fromUtf8(e.what())),
                    true);
        return false;
    }
    showMessage(tr("Report saved to %1.").arg(QDir::toNativeSeparators(path)), false);
    return true;
}

} // namespace sigscope::ui
