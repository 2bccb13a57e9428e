// Tools ▸ Migrate Legacy Dumps…: the dialog drives core::migration::migrate() exactly like
// `sigscope migrate`: preview writes nothing, the run gives the core's totals, problems come
// first with reasons, cancel leaves complete traces that a second run completes, the report
// JSON is the core's. Offscreen; waits on signals, never on timers.
#include "ui/dialogs/migrationdialog.h"

#include "core/storage/storage.h"
#include "core/storage/verify.h"
#include "tests/core/migration_testutil.h"
#include "tests/support/testsupport.h"
#include "ui/jobs/migrationjob.h"
#include "ui/mainwindow/mainwindow.h"
#include "tests/ui/migration_uitestutil.h"
#include "ui/models/migrationreportmodel.h"
#include "ui/models/roles.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSemaphore>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

#include <atomic>

using namespace sigscope;
using namespace sigscope::ui;
using namespace sigscope::test::migration;
namespace mig = core::migration;

namespace {

// workspaces/ with a run of five strategies, a copy of one of them, a truncated dump and a
// JSON file that is no trace: one row of each outcome the dialog has to show.
struct LegacyTree
{
    fs::path root;
    fs::path src;

    explicit LegacyTree(const QTemporaryDir& dir)
        : root(MigrationJob::toPath(dir.path()))
        , src(root / "workspaces")
    {
        const fs::path run = src / "tmp/20250101_100000";
        for (int period = 2; period <= 6; ++period) {
            const std::string strat = "SPY_rsi_" + std::to_string(period);
            std::string changes = l2Change(period, "SPY", strat, "1") + "," + l2Change(10 + period, "SPY", strat, "-1");
            writeText(run / ("signals_strategy_" + strat + "_20250101_100000.json"),
                      l2Dump("strategy_" + strat, 40, changes));
        }
        writeText(run / "zz_copy_signals_strategy_SPY_rsi_2_20250101_100000.json",
                  readText(run / "signals_strategy_SPY_rsi_2_20250101_100000.json"));
        const std::string whole = readText(run / "signals_strategy_SPY_rsi_3_20250101_100000.json");
        writeText(src / "old/truncated.json", whole.substr(0, 60));
        writeText(src / "old/notes.json", R"({"comment": "not a trace"})");
    }

    [[nodiscard]] QString source() const { return QString::fromStdString(src.string()); }
    [[nodiscard]] fs::path defaultDestination() const { return root / "analytics_storage"; }
};

QPushButton* button(const MigrationDialog& dialog, const char* name)
{
    auto* b = dialog.findChild<QPushButton*>(QLatin1String(name));
    Q_ASSERT(b);
    return b;
}

// Clicks a button and waits for the run it starts to deliver its report (or failure).
bool clickAndWait(MigrationDialog& dialog, const char* name, bool dryRun)
{
    QSignalSpy done(&dialog, dryRun ? &MigrationDialog::planReady : &MigrationDialog::migrationFinished);
    QSignalSpy failed(&dialog, &MigrationDialog::runFailed);
    if (!button(dialog, name)->isEnabled())
        return false;
    QTest::mouseClick(button(dialog, name), Qt::LeftButton);
    return done.wait(60000) || done.count() == 1;
}

bool sameTotals(const mig::MigrationTotals& a, const mig::MigrationTotals& b)
{
    return a.filesSeen == b.filesSeen && a.migrated == b.migrated && a.unchanged == b.unchanged
        && a.duplicates == b.duplicates && a.conflicts == b.conflicts && a.unrecognised == b.unrecognised
        && a.failed == b.failed && a.cancelled == b.cancelled && a.traces == b.traces
        && a.tracesWritten == b.tracesWritten && a.changesRead == b.changesRead && a.changesWritten == b.changesWritten
        && a.changesDuplicate == b.changesDuplicate && a.changesUnchanged == b.changesUnchanged && a.bytes == b.bytes;
}

void saveShot(QWidget& widget, const QString& name)
{
    const QString dir = qEnvironmentVariable("SIGSCOPE_DIALOG_SHOTS");
    if (!dir.isEmpty())
        QVERIFY(widget.grab().save(QDir(dir).filePath(name)));
}

} // namespace

class TestMigrationDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("sigscope-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_migrationdialog"));
    }

    void progressLine()
    {
        MigrationProgress p;
        p.files = 312;
        p.filesTotal = 963;
        p.traces = 310;
        QCOMPARE(p.text(), QStringLiteral("312 of 963 files · 310 traces")); // no rate before any bytes
        p.bytesPerSecond = 4.2e6;
        p.secondsLeft = 2.1;
        QCOMPARE(p.text(), QStringLiteral("312 of 963 files · 310 traces · %1 MB/s · about 3 s left")
                               .arg(QLocale().toString(4.2, 'f', 1)));
        p.secondsLeft = 125;
        QVERIFY(p.text().endsWith(QStringLiteral("about 2 min 5 s left")));
        p.secondsLeft = 3 * 3600 + 7 * 60;
        QVERIFY(p.text().endsWith(QStringLiteral("about 3 h 7 min left")));
    }

    void defaultDestination()
    {
        QTemporaryDir dir;
        const LegacyTree tree(dir);
        const QString v1 = dir.filePath(QStringLiteral("open_v1"));
        mig::migrate({tree.src / "tmp"}, MigrationJob::toPath(v1));
        const QString notStorage = dir.filePath(QStringLiteral("workspaces/old"));

        QCOMPARE(MigrationDialog::defaultDestination(v1, {tree.source()}), v1);
        QCOMPARE(MigrationDialog::defaultDestination(notStorage, {tree.source()}),
                 dir.filePath(QStringLiteral("analytics_storage")));
        QCOMPARE(MigrationDialog::defaultDestination(QString(), {tree.source() + QStringLiteral("/old/notes.json")}),
                 dir.filePath(QStringLiteral("workspaces/old/analytics_storage")));
        QCOMPARE(MigrationDialog::defaultDestination(QString(), {}), QString());

        // The field follows the sources until the user picks a folder.
        MigrationDialog dialog;
        dialog.setOpenStorage(notStorage);
        dialog.setSources({tree.source()});
        QCOMPARE(dialog.destination(), dir.filePath(QStringLiteral("analytics_storage")));
        dialog.setOpenStorage(v1);
        QCOMPARE(dialog.destination(), v1);
        dialog.setDestination(dir.filePath(QStringLiteral("chosen")));
        dialog.setOpenStorage(notStorage);
        QCOMPARE(dialog.destination(), dir.filePath(QStringLiteral("chosen")));
    }

    void settingsRoundTrip()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
        {
            MigrationDialog dialog;
            dialog.setSources({dir.filePath(QStringLiteral("a")), dir.filePath(QStringLiteral("b/x.json")),
                               dir.filePath(QStringLiteral("a/"))});
            QCOMPARE(dialog.sources().size(), 2); // the same folder once
            dialog.setDestination(dir.filePath(QStringLiteral("dest")));
            dialog.saveSettings(settings);
        }
        MigrationDialog restored;
        restored.restoreSettings(settings);
        QCOMPARE(restored.sources(),
                 QStringList({dir.filePath(QStringLiteral("a")), dir.filePath(QStringLiteral("b/x.json"))}));
        QCOMPARE(restored.destination(), dir.filePath(QStringLiteral("dest")));
    }

    void previewShowsPlanAndWritesNothing()
    {
        QTemporaryDir dir;
        const LegacyTree tree(dir);
        const auto sourcesBefore = treeState(tree.src);
        MigrationDialog dialog;
        QAbstractItemModelTester modelTester(dialog.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(dialog.proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        dialog.setSources({tree.source()});
        QCOMPARE(dialog.destination(), QString::fromStdString(tree.defaultDestination().string()));
        dialog.show();
        QVERIFY(clickAndWait(dialog, "previewButton", true));

        QCOMPARE(dialog.stage(), MigrationDialog::Stage::Preview);
        QVERIFY(dialog.report()->dryRun);
        const QAbstractItemModel& rows = *dialog.proxy();
        QCOMPARE(column(rows, MigrationColumn::Source),
                 strings({"workspaces/old/notes.json", "workspaces/old/truncated.json",
                              "workspaces/tmp/20250101_100000/signals_strategy_SPY_rsi_2_20250101_100000.json",
                              "workspaces/tmp/20250101_100000/signals_strategy_SPY_rsi_3_20250101_100000.json",
                              "workspaces/tmp/20250101_100000/signals_strategy_SPY_rsi_4_20250101_100000.json",
                              "workspaces/tmp/20250101_100000/signals_strategy_SPY_rsi_5_20250101_100000.json",
                              "workspaces/tmp/20250101_100000/signals_strategy_SPY_rsi_6_20250101_100000.json",
                              "workspaces/tmp/20250101_100000/"
                              "zz_copy_signals_strategy_SPY_rsi_2_20250101_100000.json"}));
        QCOMPARE(column(rows, MigrationColumn::Variant), strings({"", "", "L2", "L2", "L2", "L2", "L2", "L2"}));
        QCOMPARE(column(rows, MigrationColumn::Traces), strings({"0", "0", "1", "1", "1", "1", "1", "1"}));
        QCOMPARE(column(rows, MigrationColumn::Outcome),
                 strings({"unrecognised", "failed", "migrated", "migrated", "migrated", "migrated", "migrated",
                              "duplicate"}));
        QCOMPARE(column(rows, MigrationColumn::Destination).at(2), QStringLiteral("signals/rsi/rsi_2_216b8946.json"));
        QCOMPARE(dialog.findChild<QLabel*>(QStringLiteral("migrationTotals"))->text(),
                 QStringLiteral("8 files · 6 traces · 12 changes · 5 to migrate · 1 duplicate · 1 unrecognised · "
                                "1 failed · 5 traces to write"));
        saveShot(dialog, QStringLiteral("migration-preview.png"));

        // The filter line: every token must match.
        dialog.filterEdit()->setText(QStringLiteral("rsi_2 l2"));
        QCOMPARE(rows.rowCount(), 2);
        dialog.filterEdit()->setText(QStringLiteral("failed"));
        QCOMPARE(column(rows, MigrationColumn::Source), strings({"workspaces/old/truncated.json"}));
        QVERIFY(dialog.findChild<QLabel*>(QStringLiteral("migrationTotals"))
                    ->text()
                    .startsWith(QStringLiteral("Showing 1 of 8 files")));

        // Nothing written: no destination, sources byte-identical with the same mtimes.
        QVERIFY(!fs::exists(tree.defaultDestination()));
        QCOMPARE(treeState(tree.src), sourcesBefore);
    }

    void migrationMatchesCoreAndListsProblemsFirst()
    {
        QTemporaryDir dir;
        const LegacyTree tree(dir);
        const fs::path viaCore = tree.root / "via_core";
        const mig::MigrationReport expected = mig::migrate({tree.src}, viaCore);

        MigrationDialog dialog;
        QAbstractItemModelTester proxyTester(dialog.proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        dialog.setSources({tree.source()});
        dialog.show();
        QSignalSpy progress(dialog.job(), &MigrationJob::progressChanged);
        QVERIFY(clickAndWait(dialog, "startButton", false));
        QCOMPARE(dialog.stage(), MigrationDialog::Stage::Result);
        QVERIFY(!progress.isEmpty());
        const auto last = progress.constLast().constFirst().value<MigrationProgress>();
        QVERIFY(last.filesTotal == 8 && last.files <= 8);

        const auto report = dialog.report();
        QVERIFY(!report->dryRun && !report->cancelled);
        QVERIFY(sameTotals(report->totals, expected.totals));
        QCOMPARE(storageContent(tree.defaultDestination()), storageContent(viaCore));

        // Failed and unrecognised first, each with its reason; then the duplicate; then the rest.
        const QAbstractItemModel& rows = *dialog.proxy();
        QCOMPARE(column(rows, MigrationColumn::Outcome),
                 strings({"failed", "unrecognised", "duplicate", "migrated", "migrated", "migrated", "migrated",
                              "migrated"}));
        QCOMPARE(rows.index(0, MigrationColumn::Source).data().toString(),
                 QStringLiteral("workspaces/old/truncated.json"));
        QCOMPARE(rows.index(0, MigrationColumn::Reason).data().toString(),
                 QString::fromStdString(expected.files[1].reason));
        QVERIFY(!rows.index(0, MigrationColumn::Reason).data().toString().isEmpty());
        QCOMPARE(rows.index(1, MigrationColumn::Source).data().toString(), QStringLiteral("workspaces/old/notes.json"));
        QVERIFY(!rows.index(1, MigrationColumn::Reason).data().toString().isEmpty());
        QVERIFY(rows.index(2, MigrationColumn::Reason).data().toString().startsWith(QStringLiteral("duplicate of ")));
        QVERIFY(dialog.message().contains(QStringLiteral("2 of 8 files could not be migrated")));
        saveShot(dialog, QStringLiteral("migration-result.png"));

        QSignalSpy open(&dialog, &MigrationDialog::openStorageRequested);
        QVERIFY(button(dialog, "openStorageButton")->isEnabled());
        QTest::mouseClick(button(dialog, "openStorageButton"), Qt::LeftButton);
        QCOMPARE(open.count(), 1);
        QCOMPARE(open.constFirst().constFirst().toString(), QString::fromStdString(tree.defaultDestination().string()));
    }

    void saveReportWritesCoreJson()
    {
        QTemporaryDir dir;
        const LegacyTree tree(dir);
        MigrationDialog dialog;
        dialog.setSources({tree.source()});
        QVERIFY(clickAndWait(dialog, "startButton", false));
        const QString path = dir.filePath(QStringLiteral("report.json"));
        QVERIFY(dialog.saveReport(path));
        const std::string text = sigscope::test::readFile(MigrationJob::toPath(path));
        QCOMPARE(text, mig::reportToJson(*dialog.report()));

        const QJsonObject root = QJsonDocument::fromJson(QByteArray::fromStdString(text)).object();
        QCOMPARE(root.value(QLatin1String("destination")).toString(),
                 QString::fromStdString(tree.defaultDestination().generic_string()));
        QCOMPARE(root.value(QLatin1String("dry_run")).toBool(true), false);
        const QJsonObject totals = root.value(QLatin1String("totals")).toObject();
        for (const char* key : {"files_seen", "migrated", "unchanged", "duplicates", "conflicts", "unrecognised",
                                "failed", "traces_written", "changes_read", "changes_written"})
            QVERIFY2(totals.contains(QLatin1String(key)), key);
        QCOMPARE(totals.value(QLatin1String("files_seen")).toInt(), 8);
        QCOMPARE(totals.value(QLatin1String("traces_written")).toInt(), 5);
        QCOMPARE(totals.value(QLatin1String("changes_read")).toInt(), 12);
        const QJsonArray files = root.value(QLatin1String("files")).toArray();
        QCOMPARE(files.size(), 8);
        const QJsonObject migrated = files.at(2).toObject();
        QCOMPARE(migrated.value(QLatin1String("variant")).toString(), QStringLiteral("L2"));
        QCOMPARE(migrated.value(QLatin1String("status")).toString(), QStringLiteral("migrated"));
        QCOMPARE(migrated.value(QLatin1String("reason")).toString(), QString());
        const QJsonObject t = migrated.value(QLatin1String("traces")).toArray().at(0).toObject();
        QCOMPARE(t.value(QLatin1String("kind")).toString(), QStringLiteral("signal"));
        QCOMPARE(t.value(QLatin1String("symbol")).toString(), QStringLiteral("SPY"));
        QCOMPARE(t.value(QLatin1String("run")).toString(), QStringLiteral("20250101_100000"));
        QCOMPARE(t.value(QLatin1String("changes")).toInt(), 2);
        QVERIFY(t.value(QLatin1String("file_path")).toString().startsWith(QStringLiteral("signals/")));
        QVERIFY(dialog.message().startsWith(QStringLiteral("Report saved to ")));

        // A folder that cannot hold the file: the message names the file and the reason.
        const QString bad = dir.filePath(QStringLiteral("missing/folder/report.json"));
        QVERIFY(!dialog.saveReport(bad));
        QVERIFY2(dialog.message().contains(bad), qPrintable(dialog.message()));
    }

    void cancelLeavesCompleteTracesAndSecondRunCompletes()
    {
        QTemporaryDir dir;
        const LegacyTree tree(dir);
        const fs::path viaCore = tree.root / "via_core";
        const mig::MigrationReport uninterrupted = mig::migrate({tree.src}, viaCore);

        MigrationDialog dialog;
        dialog.setSources({tree.source()});
        std::atomic<int> calls{0};
        dialog.job()->setProgressObserver([&calls](const core::Progress&) { return ++calls > 1; }); // cancel at first
        QVERIFY(clickAndWait(dialog, "startButton", false));
        QCOMPARE(dialog.stage(), MigrationDialog::Stage::Result);
        QVERIFY(dialog.report()->cancelled);
        QVERIFY(dialog.report()->totals.cancelled > 0);
        QVERIFY(dialog.message().startsWith(QStringLiteral("Migration cancelled")));
        QCOMPARE(column(*dialog.proxy(), MigrationColumn::Outcome).count(QStringLiteral("cancelled")),
                 int(dialog.report()->totals.cancelled));
        // Only complete traces: the storage verifies clean.
        const core::VerifyResult check = core::verifyStorage(tree.defaultDestination());
        QVERIFY2(check.clean(), check.findings.empty() ? "" : check.findings.front().message.c_str());

        dialog.job()->setProgressObserver({});
        QVERIFY(clickAndWait(dialog, "startButton", false));
        const auto& second = *dialog.report();
        QVERIFY(!second.cancelled);
        QCOMPARE(second.totals.cancelled, 0ULL);
        QCOMPARE(second.totals.failed, uninterrupted.totals.failed);
        QCOMPARE(second.totals.duplicates, uninterrupted.totals.duplicates); // the copy in the tree only
        QCOMPARE(second.totals.conflicts, 0ULL);
        QCOMPARE(second.totals.migrated + second.totals.unchanged, uninterrupted.totals.migrated);
        QCOMPARE(storageContent(tree.defaultDestination()), storageContent(viaCore));
    }

    void cancelButtonStopsARunningMigration()
    {
        QTemporaryDir dir;
        const LegacyTree tree(dir);
        MigrationDialog dialog;
        dialog.setSources({tree.source()});
        // The worker holds at its first progress report until the test clicked Cancel.
        QSemaphore reached;
        QSemaphore clicked;
        std::atomic<bool> first{true};
        dialog.job()->setProgressObserver([&](const core::Progress&) {
            if (first.exchange(false)) {
                reached.release();
                clicked.acquire();
            }
            return true;
        });
        QSignalSpy done(&dialog, &MigrationDialog::migrationFinished);
        QTest::mouseClick(button(dialog, "startButton"), Qt::LeftButton);
        QCOMPARE(dialog.stage(), MigrationDialog::Stage::Migrating);
        QVERIFY(!button(dialog, "startButton")->isEnabled());
        reached.acquire();
        QTest::mouseClick(button(dialog, "cancelButton"), Qt::LeftButton);
        QVERIFY(!button(dialog, "cancelButton")->isEnabled());
        dialog.show();
        saveShot(dialog, QStringLiteral("migration-cancelling.png"));
        clicked.release();
        QVERIFY(done.wait(60000) || done.count() == 1);
        QVERIFY(dialog.report()->cancelled);
        QVERIFY(core::verifyStorage(tree.defaultDestination()).clean());
    }

    void unusableDestinationNamesTheFolderAndReason()
    {
        QTemporaryDir dir;
        const LegacyTree tree(dir);
        writeText(tree.root / "a_file", "x");
        MigrationDialog dialog;
        dialog.setSources({tree.source()});
        dialog.setDestination(dir.filePath(QStringLiteral("a_file")));
        QSignalSpy failed(&dialog, &MigrationDialog::runFailed);
        QTest::mouseClick(button(dialog, "startButton"), Qt::LeftButton);
        QVERIFY(failed.wait(60000) || failed.count() == 1);
        QCOMPARE(dialog.stage(), MigrationDialog::Stage::Setup);
        const QString notFolder =
            dir.filePath(QStringLiteral("a_file")) + QStringLiteral(": exists and is not a folder");
        QVERIFY2(dialog.message().contains(notFolder), qPrintable(dialog.message()));

        dialog.setSources({dir.filePath(QStringLiteral("nowhere"))});
        dialog.preview();
        QCOMPARE(dialog.stage(), MigrationDialog::Stage::Setup);
        QCOMPARE(dialog.message(),
                 dir.filePath(QStringLiteral("nowhere")) + QStringLiteral(": no such file or folder"));
    }

    void toolsMenuOpensTheDialogAndTheMigratedStorage()
    {
        QTemporaryDir dir;
        const LegacyTree tree(dir);
        MainWindow window;
        window.setScripted(true);
        auto* action = window.findChild<QAction*>(QStringLiteral("actionMigrate"));
        QVERIFY(action);
        action->trigger();
        auto* dialog = window.findChild<MigrationDialog*>();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        action->trigger(); // the same dialog comes to the front
        QCOMPARE(window.findChildren<MigrationDialog*>().size(), 1);
        dialog->setSources({tree.source()});
        dialog->setDestination(QString()); // whatever the settings held: the default
        QVERIFY(clickAndWait(*dialog, "startButton", false));
        action->trigger(); // bringing it to the front keeps the result
        QCOMPARE(dialog->stage(), MigrationDialog::Stage::Result);
        QSignalSpy opened(window.session(), &StorageSession::opened);
        QTest::mouseClick(button(*dialog, "openStorageButton"), Qt::LeftButton);
        QVERIFY(opened.count() == 1 || opened.wait(60000));
        QCOMPARE(QDir(opened.constFirst().constFirst().toString()).canonicalPath(),
                 QDir(QString::fromStdString(tree.defaultDestination().string())).canonicalPath());
        QVERIFY(!dialog->isVisible());
    }

    void realRunPlan()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        const fs::path run = fixtures / "legacy-tmp/workspaces/tmp/20250615_163513";
        QTemporaryDir dir;
        MigrationDialog dialog;
        dialog.setSources({QString::fromStdString(run.string())});
        dialog.setDestination(dir.filePath(QStringLiteral("analytics_storage")));
        QVERIFY(clickAndWait(dialog, "previewButton", true));
        const auto& totals = dialog.report()->totals;
        QCOMPARE(totals.filesSeen, 963ULL);
        QCOMPARE(totals.traces, 963ULL);
        QCOMPARE(totals.migrated, 963ULL);
        QCOMPARE(totals.tracesWritten, 963ULL);
        QCOMPARE(totals.changesRead, 16321ULL);
        QCOMPARE(totals.failed + totals.unrecognised + totals.duplicates + totals.conflicts, 0ULL);
        QCOMPARE(dialog.proxy()->rowCount(), 963);
        dialog.show();
        saveShot(dialog, QStringLiteral("migration-real-plan.png"));
        dialog.filterEdit()->setText(QStringLiteral("classifier"));
        QCOMPARE(dialog.proxy()->rowCount(), 81);
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("analytics_storage"))));
    }

    // A Parquet workspace of the Python system (L6) goes through the same core migration: every
    // trace migrated, its metadata.json listed as skipped with the reason, the source untouched.
    void parquetWorkspace()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        const fs::path workspace = fixtures / "parquet/workspaces/expansive_grid_search_73511fd8";
        const auto before = treeState(workspace);
        QTemporaryDir dir;
        MigrationDialog dialog;
        dialog.setSources({QString::fromStdString(workspace.string())});
        dialog.setDestination(dir.filePath(QStringLiteral("analytics_storage")));
        dialog.show();
        QVERIFY(clickAndWait(dialog, "startButton", false));
        const auto& totals = dialog.report()->totals;
        QCOMPARE(totals.filesSeen, 259ULL);
        QCOMPARE(totals.migrated, 258ULL);
        QCOMPARE(totals.skipped, 1ULL);
        QCOMPARE(totals.changesWritten, 14319ULL);
        QCOMPARE(totals.failed + totals.unrecognised + totals.duplicates + totals.conflicts, 0ULL);
        QCOMPARE(dialog.report()->exitCode(), 0);
        dialog.filterEdit()->setText(QStringLiteral("skipped"));
        QCOMPARE(dialog.proxy()->rowCount(), 1);
        QCOMPARE(dialog.proxy()->index(0, MigrationColumn::Reason).data().toString(),
                 QStringLiteral("run metadata of a Parquet workspace (L6), not a trace (its total_bars goes to the run's traces)"));
        QCOMPARE(treeState(workspace), before);
        const core::Storage stored = core::Storage::open(dir.filePath(QStringLiteral("analytics_storage")).toStdString());
        QCOMPARE(stored.formatVersion(), 1);
        QCOMPARE(stored.types(core::Kind::Signal).size() + stored.types(core::Kind::Classifier).size(), std::size_t(9));
    }
};

QTEST_MAIN(TestMigrationDialog)
#include "tst_migrationdialog.moc"
