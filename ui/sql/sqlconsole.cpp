#include "ui/sql/sqlconsole.h"

#include "core/sql/database.h"
#include "core/sql/resultformat.h"
#include "core/sql/storageviews.h"
#include "ui/jobs/jobrunner.h"
#include "ui/sql/sqlresultmodel.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace sigscope::ui {

namespace {

const QString kHistoryKey = QStringLiteral("sql/history");

// What the open job hands back: the database (queries run on it, one at a time) and its report.
struct PreparedDatabase
{
    std::shared_ptr<core::sql::Database> database;
    core::sql::StorageViewsReport report;
};

// What a query hands back: the result and how long it took.
struct QueryResult
{
    core::sql::Table table;
    qint64 milliseconds = 0;
};

std::filesystem::path toPath(const QString& text)
{
    return std::filesystem::path(text.toStdString());
}

} // namespace

SqlConsole::SqlConsole(QWidget* parent)
    : QWidget(parent)
    , m_openJob(new JobRunner(QStringLiteral("sql-open"), this))
    , m_queryJob(new JobRunner(QStringLiteral("sql-query"), this))
    , m_model(new SqlResultModel(this))
{
    setWindowTitle(tr("SQL Console"));
    m_history = QSettings().value(kHistoryKey).toStringList();

    m_historyBox = new QComboBox(this);
    m_historyBox->setObjectName(QStringLiteral("sqlHistory"));
    m_historyBox->setPlaceholderText(tr("History"));
    m_historyBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_historyBox->setMinimumContentsLength(40);
    m_historyBox->addItems(m_history);
    m_historyBox->setCurrentIndex(-1);
    connect(m_historyBox, &QComboBox::activated, this, [this](int index) {
        if (index >= 0 && index < m_history.size())
            setQuery(m_history[index]);
    });

    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_editor = new QPlainTextEdit(this);
    m_editor->setObjectName(QStringLiteral("sqlEditor"));
    m_editor->setFont(fixed);
    m_editor->setPlaceholderText(tr("SELECT type, count(*) FROM traces GROUP BY type   (Ctrl+Enter runs, Esc stops)"));
    m_error = new QPlainTextEdit(this);
    m_error->setObjectName(QStringLiteral("sqlError"));
    m_error->setReadOnly(true);
    m_error->setFont(fixed);
    m_error->setMaximumHeight(fixed.pointSize() * 9);
    m_error->hide();

    m_runButton = new QPushButton(tr("Run"), this);
    m_runButton->setToolTip(tr("Ctrl+Enter"));
    m_stopButton = new QPushButton(tr("Stop"), this);
    m_stopButton->setToolTip(tr("Esc"));
    m_exportButton = new QPushButton(tr("Export CSV…"), this);
    m_chartButton = new QPushButton(tr("Chart These"), this);
    m_chartButton->setToolTip(tr("Select every trace the result names (its file_path column)"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("sqlStatus"));
    connect(m_runButton, &QPushButton::clicked, this, &SqlConsole::run);
    connect(m_stopButton, &QPushButton::clicked, this, &SqlConsole::interrupt);
    connect(m_exportButton, &QPushButton::clicked, this, &SqlConsole::exportWithDialog);
    connect(m_chartButton, &QPushButton::clicked, this, [this]() { Q_EMIT chartRequested(m_model->filePaths()); });

    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("sqlResult"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setResizeContentsPrecision(200); // widths from the first rows only
    m_view->horizontalHeader()->setStretchLastSection(true);
    connect(m_view, &QTableView::doubleClicked, this, [this](const QModelIndex& index) { activateRow(index.row()); });

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_runButton);
    buttons->addWidget(m_stopButton);
    buttons->addWidget(m_status, 1);
    buttons->addWidget(m_chartButton);
    buttons->addWidget(m_exportButton);
    auto* top = new QWidget(this);
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_historyBox);
    topLayout->addWidget(m_editor);
    topLayout->addLayout(buttons);
    topLayout->addWidget(m_error);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(top);
    splitter->addWidget(m_view);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({180, 460});
    m_interruptRepeat = new QTimer(this);
    m_interruptRepeat->setInterval(100);
    connect(m_interruptRepeat, &QTimer::timeout, this, [this]() {
        if (m_state == State::Running && m_database)
            m_database->interrupt();
        else
            m_interruptRepeat->stop();
    });
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    for (const QKeySequence& keys : {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)}) {
        auto* shortcut = new QShortcut(keys, this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, &SqlConsole::run);
    }
    auto* escape = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    escape->setContext(Qt::WidgetWithChildrenShortcut);
    connect(escape, &QShortcut::activated, this, &SqlConsole::interrupt);
    setState(State::NoStorage, tr("No storage open"));
    resize(900, 640);
}

SqlConsole::~SqlConsole()
{
    if (m_database)
        m_database->interrupt(); // a running query stops; its thread holds the database until then
}

SqlConsole* SqlConsole::showFor(QWidget* window, const QString& root)
{
    auto* console = window->findChild<SqlConsole*>(QString(), Qt::FindDirectChildrenOnly);
    if (!console) {
        console = new SqlConsole(window);
        console->setWindowFlag(Qt::Window);
    }
    console->setStorage(root);
    console->show();
    console->raise();
    console->activateWindow();
    return console;
}

void SqlConsole::setStorage(const QString& root)
{
    if (root == m_root && m_state != State::NoStorage)
        return;
    m_root = root;
    m_queryJob->cancel(); // a running query's result belongs to the old storage
    if (m_database)
        m_database->interrupt();
    m_database.reset();
    m_model->setTable(nullptr);
    if (root.isEmpty()) {
        setState(State::NoStorage, tr("No storage open"));
        return;
    }
    setState(State::Preparing, tr("Reading %1…").arg(root));
    QElapsedTimer clock;
    clock.start();
    m_openJob->run(
        tr("Preparing SQL tables"),
        [path = toPath(root)](const core::ProgressCallback& progress) {
            core::sql::OpenedStorage opened = core::sql::openStorageDatabase(path, progress);
            return PreparedDatabase{std::make_shared<core::sql::Database>(std::move(opened.database)),
                                    std::move(opened.report)};
        },
        this,
        [this, clock](const std::shared_ptr<const PreparedDatabase>& prepared) {
            m_database = prepared->database;
            const auto& r = prepared->report;
            setState(State::Ready, tr("%1 traces, %2 changes%3 in %4 ms%5")
                                       .arg(r.traces)
                                       .arg(r.changes)
                                       .arg(r.market ? tr(", %1 market rows").arg(r.marketRows) : QString())
                                       .arg(clock.elapsed())
                                       .arg(r.findings.empty() ? QString() : tr("; %1 files left out").arg(r.findings.size())));
        },
        [this](const QString& error) {
            setState(State::NoStorage, tr("Cannot read the storage"));
            m_error->setPlainText(error);
            m_error->show();
        });
}

void SqlConsole::setQuery(const QString& text)
{
    m_editor->setPlainText(text);
}

QString SqlConsole::query() const
{
    return m_editor->toPlainText();
}

void SqlConsole::run()
{
    const QString text = query().trimmed();
    if (m_state != State::Ready || text.isEmpty())
        return;
    remember(text);
    m_error->clear();
    m_error->hide();
    setState(State::Running, tr("Running…"));
    m_queryJob->run(
        tr("SQL query"),
        [database = m_database, sql = text.toStdString()](const core::ProgressCallback&) {
            QElapsedTimer clock;
            clock.start();
            QueryResult result{database->query(sql), 0};
            result.milliseconds = clock.elapsed();
            return result;
        },
        this,
        [this](const std::shared_ptr<const QueryResult>& result) {
            m_model->setTable(std::shared_ptr<const core::sql::Table>(result, &result->table));
            m_view->resizeColumnsToContents();
            const int widest = m_view->fontMetrics().averageCharWidth() * 60;
            for (int c = 0; c < m_model->columnCount(); ++c)
                m_view->setColumnWidth(c, std::min(m_view->columnWidth(c), widest));
            setState(State::Ready, tr("%n row(s) in %1 ms", nullptr, int(result->table.rows)).arg(result->milliseconds));
            Q_EMIT queryFinished(true);
        },
        [this](const QString& error) {
            m_error->setPlainText(error);
            m_error->show();
            setState(State::Ready, tr("The query failed"));
            Q_EMIT queryFinished(false);
        });
}

void SqlConsole::interrupt()
{
    if (m_state != State::Running || !m_database)
        return;
    m_database->interrupt();
    // A query still waiting for a pool thread has not started: DuckDB forgets an interrupt that
    // comes before the query, so it is repeated until the query ends.
    m_interruptRepeat->start();
}

QString SqlConsole::exportCsv(const QString& path) const
{
    const auto& table = m_model->table();
    if (!table)
        return tr("There is no result to export.");
    if (!m_root.isEmpty() && core::sql::insideFolder(toPath(path), toPath(m_root)))
        return tr("%1 is inside the storage folder: sigscope never writes into a storage.").arg(path);
    QSaveFile file(path);
    const std::string text = core::sql::formatCsv(*table);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.data(), qint64(text.size())) != qint64(text.size())
        || !file.commit())
        return tr("Cannot write %1: %2").arg(path, file.errorString());
    return {};
}

QString SqlConsole::statusText() const
{
    return m_status->text();
}

QString SqlConsole::errorText() const
{
    return m_error->toPlainText();
}

void SqlConsole::setState(State state, const QString& status)
{
    m_state = state;
    m_status->setText(status);
    m_runButton->setEnabled(state == State::Ready);
    m_stopButton->setEnabled(state == State::Running);
    const bool result = state == State::Ready && m_model->rowCount() > 0;
    m_exportButton->setEnabled(result);
    m_chartButton->setEnabled(result && !m_model->filePaths().isEmpty());
    Q_EMIT stateChanged(state);
}

void SqlConsole::remember(const QString& text)
{
    m_history.removeAll(text);
    m_history.prepend(text);
    while (m_history.size() > kHistorySize)
        m_history.removeLast();
    QSettings().setValue(kHistoryKey, m_history);
    m_historyBox->clear();
    m_historyBox->addItems(m_history);
    m_historyBox->setCurrentIndex(-1);
}

void SqlConsole::activateRow(int row)
{
    const QString path = m_model->filePathAt(row);
    if (!path.isEmpty())
        Q_EMIT traceActivated(path, m_model->barAt(row));
}

void SqlConsole::exportWithDialog()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Result as CSV"), QString(), tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    const QString error = exportCsv(path);
    m_status->setText(error.isEmpty() ? tr("Wrote %1").arg(path) : error);
}

} // namespace sigscope::ui
