#pragma once

#include <QStringList>
#include <QWidget>

#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QTimer;

namespace sigscope::core::sql {
class Database;
}

namespace sigscope::ui {

class JobRunner;
class SqlResultModel;

// Tools ▸ SQL Console: read-only SQL over the open storage's tables (core/sql/storageviews.h),
// as `sigscope sql` runs it. The tables are built in the background when a storage is set;
// Ctrl+Enter runs the editor's query in the background, Esc interrupts it; the result fills a
// virtual table model; errors show DuckDB's message with its position. Queries that ran are kept
// in a history (QSettings "sql/history", newest first). Double-clicking a row that names a trace
// (file_path) asks the window to chart it, centred on the row's bar when there is one.
class SqlConsole : public QWidget
{
    Q_OBJECT
public:
    enum class State { NoStorage, Preparing, Ready, Running };
    Q_ENUM(State)

    explicit SqlConsole(QWidget* parent = nullptr);
    ~SqlConsole() override;

    // The console of a window (one per window, a top-level tool window), on storage root.
    static SqlConsole* showFor(QWidget* window, const QString& root);

    void setStorage(const QString& root); // builds the tables again (nothing when root is the same)
    [[nodiscard]] QString storage() const { return m_root; }
    [[nodiscard]] State state() const { return m_state; }

    void setQuery(const QString& text);
    [[nodiscard]] QString query() const;
    void run();       // the editor's query (Ctrl+Enter); ignored unless Ready
    void interrupt(); // Esc
    // Writes the result as CSV (atomically; never inside the storage). Empty on success, else why not.
    QString exportCsv(const QString& path) const;

    [[nodiscard]] SqlResultModel* model() const { return m_model; }
    [[nodiscard]] QTableView* view() const { return m_view; }
    [[nodiscard]] QString statusText() const;
    [[nodiscard]] QString errorText() const; // DuckDB's message of the last failed query, else empty
    [[nodiscard]] QStringList history() const { return m_history; }

    static constexpr int kHistorySize = 50;

Q_SIGNALS:
    void stateChanged(SqlConsole::State state);
    void queryFinished(bool ok);
    void traceActivated(const QString& filePath, std::optional<qint64> bar);
    void chartRequested(const QStringList& filePaths);

private:
    void setState(State state, const QString& status);
    void remember(const QString& text);
    void activateRow(int row);
    void exportWithDialog();

    QString m_root;
    State m_state = State::NoStorage;
    std::shared_ptr<core::sql::Database> m_database;
    JobRunner* m_openJob = nullptr;
    JobRunner* m_queryJob = nullptr;
    QStringList m_history;
    QComboBox* m_historyBox = nullptr;
    QPlainTextEdit* m_editor = nullptr;
    QPushButton* m_runButton = nullptr;
    QPushButton* m_stopButton = nullptr;
    QPushButton* m_exportButton = nullptr;
    QPushButton* m_chartButton = nullptr;
    QLabel* m_status = nullptr;
    QPlainTextEdit* m_error = nullptr;
    QTableView* m_view = nullptr;
    QTimer* m_interruptRepeat = nullptr;
    SqlResultModel* m_model = nullptr;
};

} // namespace sigscope::ui
