// The migration report table: columns, display vs sort values, problems-first order, the
// multi-token filter and the totals line, on a hand-made report.
#include "ui/models/migrationreportmodel.h"

#include "tests/ui/migration_uitestutil.h"

#include <QAbstractItemModelTester>
#include <QtTest>

using namespace sigscope;
using namespace sigscope::ui;
namespace mig = core::migration;
using sigscope::test::migration::column;
using sigscope::test::migration::strings;

namespace {

mig::TraceOutcome trace(const std::string& name, const std::string& filePath, std::uint64_t changes,
                        mig::Status status = mig::Status::Migrated)
{
    mig::TraceOutcome t;
    t.name = name;
    t.filePath = filePath;
    t.changes = changes;
    t.status = status;
    return t;
}

mig::FileOutcome file(const std::string& path, core::migration::Variant variant, mig::Status status,
                      std::vector<mig::TraceOutcome> traces = {}, const std::string& reason = {})
{
    mig::FileOutcome f;
    f.path = path;
    f.variant = variant;
    f.status = status;
    f.traces = std::move(traces);
    f.reason = reason;
    return f;
}

// Discovery order: migrated, failed, duplicate, unrecognised, multi-trace migrated, failed.
std::shared_ptr<const mig::MigrationReport> sampleReport(bool dryRun)
{
    using mig::Status;
    using mig::Variant;
    auto report = std::make_shared<mig::MigrationReport>();
    report->dryRun = dryRun;
    report->destination = "/data/analytics_storage";
    mig::TraceOutcome dup = trace("rsi_14", "signals/rsi/rsi_14_1.json", 2, Status::Duplicate);
    dup.duplicateOf = "/data/tmp/run1/a.json";
    report->files = {
        file("/data/tmp/run1/a.json", Variant::L2, Status::Migrated, {trace("rsi_14", "signals/rsi/rsi_14_1.json", 2)}),
        file("/data/tmp/run1/broken.json", Variant::Unknown, Status::Failed, {},
             "line 1, column 60: unexpected end of input"),
        file("/data/tmp/run1/copy.json", Variant::L2, Status::Duplicate, {dup}),
        file("/data/tmp/old/notes.json", Variant::Unknown, Status::Unrecognised, {}, "no legacy structure"),
        file("/data/tmp/run2/mixed.json", Variant::L2, Status::Migrated,
             {trace("macd_12_26", "signals/macd/macd_12_26_1.json", 10),
              trace("trend", "classifiers/trend/trend_1.json", 1200)}),
        file("/data/tmp/run2/types.json", Variant::L2, Status::Failed, {}, "change 17: idx is a string"),
    };
    report->totals.filesSeen = 6;
    report->totals.migrated = 2;
    report->totals.duplicates = 1;
    report->totals.unrecognised = 1;
    report->totals.failed = 2;
    report->totals.traces = 4;
    report->totals.tracesWritten = 3;
    report->totals.changesRead = 1214;
    return report;
}

} // namespace

class TestMigrationReportModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyModel()
    {
        MigrationReportModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), int(MigrationColumn::Count));
        model.setReport(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    void displayAndSortValues()
    {
        MigrationReportModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setReport(sampleReport(false));
        model.setSourceBase(QStringLiteral("/data/tmp"));
        QCOMPARE(model.rowCount(), 6);
        QCOMPARE(model.headerData(MigrationColumn::Destination, Qt::Horizontal).toString(),
                 QStringLiteral("Destination"));
        QCOMPARE(column(model, MigrationColumn::Source),
                 strings({"run1/a.json", "run1/broken.json", "run1/copy.json", "old/notes.json", "run2/mixed.json",
                              "run2/types.json"}));
        QCOMPARE(column(model, MigrationColumn::Variant), strings({"L2", "", "L2", "", "L2", "L2"}));
        QCOMPARE(column(model, MigrationColumn::Traces), strings({"1", "0", "1", "0", "2", "0"}));
        QCOMPARE(column(model, MigrationColumn::Destination),
                 strings({"signals/rsi/rsi_14_1.json", "", "signals/rsi/rsi_14_1.json", "",
                              "signals/macd/macd_12_26_1.json (+1 more)", ""}));
        QCOMPARE(column(model, MigrationColumn::Outcome),
                 strings({"migrated", "failed", "duplicate", "unrecognised", "migrated", "failed"}));
        QCOMPARE(column(model, MigrationColumn::Reason),
                 strings({"", "line 1, column 60: unexpected end of input", "duplicate of run1/a.json",
                              "no legacy structure", "", "change 17: idx is a string"}));
        // Display text is localised; the sort value stays a number.
        const QModelIndex changes = model.index(4, MigrationColumn::Changes);
        QCOMPARE(changes.data(Role::Sort).toULongLong(), 1210ULL);
        QCOMPARE(changes.data(Role::Sort).typeId(), QMetaType::ULongLong);
        QCOMPARE(model.index(1, MigrationColumn::Outcome).data(Role::MigrationStatus).toInt(),
                 int(mig::Status::Failed));
        QCOMPARE(model.index(0, MigrationColumn::Source).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("/data/tmp/run1/a.json"));
        QVERIFY(model.index(4, MigrationColumn::Destination)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("trend → classifiers/trend/trend_1.json: migrated")));
    }

    void problemsFirst()
    {
        MigrationReportModel model;
        model.setReport(sampleReport(false));
        MigrationFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.sort(MigrationColumn::Outcome, Qt::AscendingOrder);
        // Failed, then unrecognised, then duplicate, then migrated; discovery order within each.
        QCOMPARE(column(proxy, MigrationColumn::Source, Qt::ToolTipRole),
                 strings({"/data/tmp/run1/broken.json", "/data/tmp/run2/types.json", "/data/tmp/old/notes.json",
                              "/data/tmp/run1/copy.json", "/data/tmp/run1/a.json", "/data/tmp/run2/mixed.json"}));
        proxy.sort(MigrationColumn::Changes, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, MigrationColumn::Changes).data().toString(), QLocale().toString(1210));
    }

    void filter_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("files");
        QTest::newRow("none") << QString() << strings({"a", "broken", "copy", "notes", "mixed", "types"});
        QTest::newRow("status") << QStringLiteral("failed") << strings({"broken", "types"});
        QTest::newRow("two tokens") << QStringLiteral("failed  RUN2") << strings({"types"});
        QTest::newRow("reason") << QStringLiteral("idx string") << strings({"types"});
        QTest::newRow("trace name") << QStringLiteral("trend") << strings({"mixed"});
        QTest::newRow("destination") << QStringLiteral("signals/rsi") << strings({"a", "copy"});
        QTest::newRow("variant and status") << QStringLiteral("l2 migrated") << strings({"a", "mixed"});
        QTest::newRow("nothing") << QStringLiteral("failed trend") << QStringList();
    }

    void filter()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, files);
        MigrationReportModel model;
        model.setReport(sampleReport(false));
        MigrationFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setFilterText(text);
        QCOMPARE(proxy.isFiltering(), !text.isEmpty());
        QStringList shown;
        for (const QString& path : column(proxy, MigrationColumn::Source, Qt::ToolTipRole))
            shown << QFileInfo(path).baseName();
        QCOMPARE(shown, files);
    }

    void totals()
    {
        QCOMPARE(MigrationReportModel::totalsText(*sampleReport(false)),
                 QStringLiteral("6 files · 4 traces · %1 changes · 2 migrated · 1 duplicate · 1 unrecognised · "
                                "2 failed · 3 traces written")
                     .arg(QLocale().toString(1214)));
        QCOMPARE(MigrationReportModel::totalsText(*sampleReport(true)),
                 QStringLiteral("6 files · 4 traces · %1 changes · 2 to migrate · 1 duplicate · 1 unrecognised · "
                                "2 failed · 3 traces to write")
                     .arg(QLocale().toString(1214)));
    }

    void resetKeepsTesterHappy()
    {
        MigrationReportModel model;
        MigrationFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setFilterText(QStringLiteral("failed"));
        model.setReport(sampleReport(true));
        QCOMPARE(proxy.rowCount(), 2);
        model.setSourceBase(QStringLiteral("/data"));
        QCOMPARE(model.index(0, MigrationColumn::Source).data().toString(), QStringLiteral("tmp/run1/a.json"));
        model.setReport(nullptr);
        QCOMPARE(proxy.rowCount(), 0);
    }
};

QTEST_MAIN(TestMigrationReportModel)
#include "tst_migrationreportmodel.moc"
