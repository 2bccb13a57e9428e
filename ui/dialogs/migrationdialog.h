#pragma once

#include "core/migration/migration.h"

#include <QDialog>
#include <QStringList>

#include <memory>

class QDialogButtonBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListView;
class QProgressBar;
class QPushButton;
class QSettings;
class QStringListModel;
class QTreeView;

namespace sigscope::ui {

class MigrationFilterProxy;
class MigrationJob;
class MigrationReportModel;
struct MigrationProgress;

// Tools ▸ Migrate Legacy Dumps…: choose sources and a destination, preview the dry-run plan,
// run the migration in the background with progress and Cancel, then read the report (problems
// first), save it as JSON and open the migrated storage. Everything is core::migration::migrate()
// and reportToJson(), exactly as `sigscope migrate` runs them.
class MigrationDialog : public QDialog
{
    Q_OBJECT
public:
    using Report = core::migration::MigrationReport;
    enum class Stage { Setup, Planning, Preview, Migrating, Result };
    Q_ENUM(Stage)

    explicit MigrationDialog(QWidget* parent = nullptr);
    ~MigrationDialog() override;

    // The dialog of Tools ▸ Migrate Legacy Dumps… (one per window): last sources and destination
    // from QSettings, saved back when it closes.
    static MigrationDialog* showFor(QWidget* parent, const QString& openStorage);

    // The open storage when it is version 1, else `analytics_storage` beside the first source.
    static QString defaultDestination(const QString& openStorage, const QStringList& sources);

    void setOpenStorage(const QString& root);
    void setSources(const QStringList& sources);
    void addSources(const QStringList& sources);
    [[nodiscard]] QStringList sources() const;
    // An explicit destination; an empty one means "the default" again.
    void setDestination(const QString& destination);
    [[nodiscard]] QString destination() const;

    void restoreSettings(const QSettings& settings);
    void saveSettings(QSettings& settings) const;

    [[nodiscard]] Stage stage() const { return m_stage; }
    void preview();        // dry run: the plan, nothing written
    void startMigration(); // the real run
    void cancelRun();
    // Writes the report JSON (`sigscope migrate --report` shape) atomically; false on error.
    bool saveReport(const QString& path);

    [[nodiscard]] const std::shared_ptr<const Report>& report() const { return m_report; }
    [[nodiscard]] QString message() const; // the last error or notice shown in the dialog
    [[nodiscard]] MigrationJob* job() const { return m_job; }
    [[nodiscard]] MigrationReportModel* model() const { return m_model; }
    [[nodiscard]] MigrationFilterProxy* proxy() const { return m_proxy; }
    [[nodiscard]] QTreeView* table() const { return m_table; }
    [[nodiscard]] QLineEdit* filterEdit() const { return m_filter; }

Q_SIGNALS:
    void stageChanged(sigscope::ui::MigrationDialog::Stage stage);
    void planReady();         // the preview table holds a plan
    void migrationFinished(); // the result table holds the report (complete or cancelled)
    void runFailed(const QString& message);
    void openStorageRequested(const QString& root);

protected:
    void reject() override; // while running: cancel first, close once the report is in

private:
    void buildUi();
    QGroupBox* buildSourcesBox();
    QGroupBox* buildDestinationBox();
    void buildTable();
    void buildRunControls();
    void setStage(Stage stage);
    void updateButtons();
    void updateDestinationHint();
    void sourcesEdited();
    void run(bool dryRun);
    void onProgress(const MigrationProgress& progress);
    void onFinished(const std::shared_ptr<const Report>& report);
    void onFailed(const QString& message);
    void showReport(const std::shared_ptr<const Report>& report);
    void showMessage(const QString& text, bool error);
    void addFolder();
    void addFiles();
    void removeSelectedSources();
    void chooseDestination();
    void chooseReportFile();
    [[nodiscard]] QString startFolder() const;

    QStringListModel* m_sources = nullptr;
    QListView* m_sourceList = nullptr;
    QPushButton* m_removeSource = nullptr;
    QLineEdit* m_destination = nullptr;
    QPushButton* m_browseDestination = nullptr;
    QLabel* m_destinationHint = nullptr;
    QGroupBox* m_tableBox = nullptr;
    QLineEdit* m_filter = nullptr;
    QTreeView* m_table = nullptr;
    QLabel* m_totals = nullptr;
    QLabel* m_message = nullptr;
    QWidget* m_progressRow = nullptr;
    QProgressBar* m_progressBar = nullptr;
    QLabel* m_progressText = nullptr;
    QPushButton* m_cancel = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QPushButton* m_preview = nullptr;
    QPushButton* m_start = nullptr;
    QPushButton* m_save = nullptr;
    QPushButton* m_openButton = nullptr;

    MigrationReportModel* m_model = nullptr;
    MigrationFilterProxy* m_proxy = nullptr;
    MigrationJob* m_job = nullptr;
    std::shared_ptr<const Report> m_report;
    Stage m_stage = Stage::Setup;
    QString m_openStorage;
    QString m_runDestination; // destination of the run shown (or running)
    bool m_destinationEdited = false;
    bool m_closeWhenDone = false;
};

} // namespace sigscope::ui
