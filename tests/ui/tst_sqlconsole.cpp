// Tools ▸ SQL Console: the virtual result model's exact cells, queries run with Ctrl+Enter in
// the background and stopped with Esc, DuckDB's messages shown as they are, the history kept in
// QSettings, CSV export, and a row that names a trace charting it (centred on its bar) in the
// main window. Offscreen; waits on signals, never on timers.
#include "core/demo/demo.h"
#include "core/sql/database.h"
#include "core/storage/storage.h"
#include "tests/support/testsupport.h"
#include "tests/ui/windowtestutil.h"
#include "ui/charts/tracechart.h"
#include "ui/mainwindow/chartpanel.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/mainwindow/storagepanel.h"
#include "ui/models/roles.h"
#include "ui/sql/sqlconsole.h"
#include "ui/sql/sqlresultmodel.h"

#include <QAbstractItemModelTester>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <map>

using namespace sigscope;
using namespace Qt::StringLiterals;
using ui::SqlConsole;

namespace {

constexpr int kTimeout = 60000;

QStringList displayRow(const QAbstractItemModel& model, int row)
{
    QStringList cells;
    for (int c = 0; c < model.columnCount(); ++c)
        cells << model.index(row, c).data().toString();
    return cells;
}

bool waitReady(SqlConsole& console)
{
    return QTest::qWaitFor([&console]() { return console.state() == SqlConsole::State::Ready; }, kTimeout);
}

// Shows the console (its shortcuts work only then) on root; true once its tables are built.
bool showOn(SqlConsole& console, const QString& root)
{
    console.show();
    console.setStorage(root);
    return waitReady(console);
}

// Runs the query with Ctrl+Enter in the editor; true when it finished (ok or not).
bool runWithKeys(SqlConsole& console, const QString& query)
{
    console.setQuery(query);
    QSignalSpy finished(&console, &SqlConsole::queryFinished);
    auto* editor = console.findChild<QPlainTextEdit*>(QStringLiteral("sqlEditor"));
    editor->setFocus();
    QTest::keyClick(editor, Qt::Key_Return, Qt::ControlModifier);
    return finished.wait(kTimeout);
}

} // namespace

class TestSqlConsole : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_root;

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("sigscope-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_sqlconsole"));
        QVERIFY(m_dir.isValid());
        m_root = m_dir.filePath(QStringLiteral("demo"));
        core::DemoOptions options;
        options.bars = 3000;
        options.variants = 20;
        core::generateDemo(m_root.toStdString(), options);
    }

    void init() { QSettings().clear(); }

    void modelHoldsExactCells()
    {
        core::sql::Database db;
        auto table = std::make_shared<const core::sql::Table>(
            db.query("SELECT * FROM (VALUES (1, 'sig/a.json', 2.5, NULL::TIMESTAMP), "
                     "(-3, 'b,c', NULL, TIMESTAMP '2024-01-02 09:30:00')) t(bar, file_path, r, ts)"));
        ui::SqlResultModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        model.setTable(table);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), 4);
        QCOMPARE(displayRow(model, 0), (QStringList{u"1"_s, u"sig/a.json"_s, u"2.5"_s, u"NULL"_s}));
        QCOMPARE(displayRow(model, 1), (QStringList{u"-3"_s, u"b,c"_s, u"NULL"_s, u"2024-01-02 09:30:00"_s}));
        QCOMPARE(model.headerData(2, Qt::Horizontal).toString(), QStringLiteral("r"));
        QCOMPARE(model.headerData(3, Qt::Horizontal, Qt::ToolTipRole).toString(), QStringLiteral("TIMESTAMP"));
        QCOMPARE(model.headerData(0, Qt::Vertical).toInt(), 1);
        QCOMPARE(model.index(1, 0).data(ui::Role::Sort).toLongLong(), -3);
        QCOMPARE(model.index(0, 2).data(ui::Role::Sort).toDouble(), 2.5);
        QVERIFY(!model.index(1, 2).data(ui::Role::Sort).isValid());
        QCOMPARE(model.index(1, 3).data(ui::Role::Sort).toLongLong(), 1704187800000000LL);
        QCOMPARE(model.index(0, 0).data(Qt::TextAlignmentRole).value<Qt::Alignment>(), Qt::AlignRight | Qt::AlignVCenter);
        QCOMPARE(model.filePathAt(1), QStringLiteral("b,c"));
        QCOMPARE(model.barAt(1), std::optional<qint64>(-3));
        QCOMPARE(model.filePaths(), (QStringList{u"sig/a.json"_s, u"b,c"_s}));
    }

    void queriesRunWithKeysAndAreRemembered()
    {
        SqlConsole console;
        QVERIFY(showOn(console, m_root));
        const core::Storage storage = core::Storage::open(m_root.toStdString());
        std::map<std::string, std::int64_t> changes;
        std::int64_t traces = 0;
        std::int64_t total = 0;
        for (const auto& index : storage.readAllIndexes())
            for (const auto& e : index.entries) {
                changes[e.type] += e.totalItems;
                total += e.totalItems;
                ++traces;
            }
        QVERIFY2(console.statusText().startsWith(QStringLiteral("%1 traces, %2 changes, 6000 market rows in ")
                                                     .arg(traces)
                                                     .arg(total)),
                 qPrintable(console.statusText()));

        const QString perType = QStringLiteral("SELECT type, sum(changes) AS changes FROM traces GROUP BY type ORDER BY type");
        QVERIFY(runWithKeys(console, perType));
        QCOMPARE(console.errorText(), QString());
        QCOMPARE(console.model()->rowCount(), int(changes.size()));
        int row = 0;
        for (const auto& [type, count] : changes)
            QCOMPARE(displayRow(*console.model(), row++), (QStringList{QString::fromStdString(type), QString::number(count)}));
        QCOMPARE(console.statusText(), QStringLiteral("%1 row(s) in ").arg(changes.size())
                                           + console.statusText().section(QStringLiteral(" in "), 1));

        const QString one = QStringLiteral("SELECT 1 AS one");
        QVERIFY(runWithKeys(console, one));
        QVERIFY(runWithKeys(console, perType));
        QCOMPARE(console.history(), (QStringList{perType, one}));
        QCOMPARE(QSettings().value(QStringLiteral("sql/history")).toStringList(), (QStringList{perType, one}));
        SqlConsole second;
        QCOMPARE(second.history(), (QStringList{perType, one}));
        for (int i = 0; i < SqlConsole::kHistorySize + 5; ++i)
            QVERIFY(runWithKeys(console, QStringLiteral("SELECT %1").arg(i)));
        QCOMPARE(console.history().size(), SqlConsole::kHistorySize);
        QCOMPARE(console.history().constFirst(), QStringLiteral("SELECT %1").arg(SqlConsole::kHistorySize + 4));
    }

    void errorsShowDuckDbMessage()
    {
        SqlConsole console;
        QVERIFY(showOn(console, m_root));
        QSignalSpy finished(&console, &SqlConsole::queryFinished);
        QVERIFY(runWithKeys(console, QStringLiteral("SELECT nme FROM traces")));
        QCOMPARE(finished.constLast().constFirst().toBool(), false);
        QCOMPARE(console.errorText(), QStringLiteral("Binder Error: Referenced column \"nme\" not found in FROM clause!\n"
                                                     "Candidate bindings: \"name\", \"timeframe\", \"parameters\", "
                                                     "\"type\", \"symbol\"\n\nLINE 1: SELECT nme FROM traces\n"
                                                     "               ^"));
        QCOMPARE(console.statusText(), QStringLiteral("The query failed"));
        QVERIFY(runWithKeys(console, QStringLiteral("DELETE FROM changes")));
        QCOMPARE(console.errorText(), QStringLiteral("statement 1 is not a SELECT: sigscope's SQL only reads (no COPY, "
                                                     "CREATE, INSERT, UPDATE, DELETE, ATTACH, SET or PRAGMA)"));
        QVERIFY(runWithKeys(console, QStringLiteral("SELECT count(*) AS n FROM changes WHERE kind = 'classifier'")));
        QCOMPARE(console.errorText(), QString());
        QCOMPARE(console.model()->rowCount(), 1);
    }

    void escapeInterrupts()
    {
        SqlConsole console;
        QVERIFY(showOn(console, m_root));
        QSignalSpy finished(&console, &SqlConsole::queryFinished);
        console.setQuery(QStringLiteral("SELECT sum(a.range * b.range) FROM range(1000000000) a, range(1000000) b"));
        auto* editor = console.findChild<QPlainTextEdit*>(QStringLiteral("sqlEditor"));
        editor->setFocus();
        QTest::keyClick(editor, Qt::Key_Return, Qt::ControlModifier);
        QCOMPARE(console.state(), SqlConsole::State::Running);
        QTest::keyClick(editor, Qt::Key_Escape);
        QVERIFY(finished.wait(kTimeout));
        QCOMPARE(finished.constLast().constFirst().toBool(), false);
        QCOMPARE(console.errorText(), QStringLiteral("INTERRUPT Error: Interrupted!"));
        QCOMPARE(console.state(), SqlConsole::State::Ready);
    }

    void exportWritesCsvOutsideTheStorage()
    {
        SqlConsole console;
        QVERIFY(showOn(console, m_root));
        QVERIFY(runWithKeys(console, QStringLiteral("SELECT 'a,b' AS x, NULL AS y, 2 AS z")));
        QTemporaryDir out;
        const QString file = out.filePath(QStringLiteral("r.csv"));
        QCOMPARE(console.exportCsv(file), QString());
        QCOMPARE(test::readFile(file.toStdString()), std::string("x,y,z\n\"a,b\",,2\n"));
        const QString inside = m_root + QStringLiteral("/r.csv");
        QCOMPARE(console.exportCsv(inside),
                 inside + QStringLiteral(" is inside the storage folder: sigscope never writes into a storage."));
        QVERIFY(!QFile::exists(inside));
    }

    void doubleClickChartsTheTraceAtItsBar()
    {
        ui::MainWindow window;
        window.setScripted(true);
        window.resize(1200, 800);
        window.show();
        QSignalSpy opened(window.session(), &ui::StorageSession::opened);
        window.openStorage(m_root);
        QVERIFY(opened.wait(kTimeout) && test::waitSettled(window));
        SqlConsole* console = window.showSqlConsole();
        QCOMPARE(window.showSqlConsole(), console);
        QVERIFY(waitReady(*console));
        QVERIFY(runWithKeys(*console, QStringLiteral("SELECT file_path, bar, signal FROM signals WHERE type = 'momentum' "
                                                     "ORDER BY file_path, bar LIMIT 3 OFFSET 5")));
        QCOMPARE(console->model()->rowCount(), 3);
        const QString path = console->model()->filePathAt(1);
        const qint64 bar = *console->model()->barAt(1);
        QVERIFY(bar > 0);
        QTableView* view = console->view();
        QVERIFY(QTest::qWaitForWindowExposed(console));
        const QRect cell = view->visualRect(console->model()->index(1, 1));
        QVERIFY(view->viewport()->rect().contains(cell));
        QSignalSpy activated(console, &SqlConsole::traceActivated);
        // A double-click is a press and release, then a press that is the double-click.
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cell.center());
        QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(activated.count(), 1);
        QVERIFY(test::waitSettled(window));
        QCOMPARE(window.storagePanel()->selectedTracePaths(), QStringList{path});
        QCOMPARE(window.shownPaths(), QStringList{path});
        QCOMPARE(window.chartPanel()->chart()->cursorBar(), std::optional<qint64>(bar));
        if (const QByteArray png = qgetenv("SIGSCOPE_SQL_CONSOLE_PNG"); !png.isEmpty()) {
            console->resize(1000, 640);
            QVERIFY(runWithKeys(*console, QStringLiteral("SELECT name, symbol, count(*) AS changes, min(bar) AS first_bar, "
                                                         "file_path FROM signals GROUP BY ALL ORDER BY changes DESC")));
            QVERIFY(console->grab().save(QString::fromLocal8Bit(png)));
        }
    }
};

QTEST_MAIN(TestSqlConsole)
#include "tst_sqlconsole.moc"
