// The storage tree: structure, counts, columns and sort roles from a written storage and from
// the real upstream folder; row-by-row merging of a re-read; integrity badges; presentation.
#include "core/storage/writer.h"
#include "tests/support/testsupport.h"
#include "tests/ui/uitestdata.h"
#include "ui/models/roles.h"
#include "ui/models/storagesnapshot.h"
#include "ui/models/storagetreemodel.h"
#include "ui/models/tracefilterproxy.h"
#include "ui/models/treepresentation.h"

#include <QAbstractItemModelTester>
#include <QIcon>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace sigscope;
namespace Role = ui::Role;
namespace TreeColumn = ui::TreeColumn;

namespace {

std::shared_ptr<const ui::StorageSnapshot> snapshotOf(const QString& dir)
{
    return std::make_shared<const ui::StorageSnapshot>(ui::readStorageSnapshot(dir.toStdString()));
}

QStringList childNames(const QAbstractItemModel& model, const QModelIndex& parent)
{
    QStringList names;
    for (int row = 0; row < model.rowCount(parent); ++row)
        names << model.index(row, TreeColumn::Name, parent).data().toString();
    return names;
}

} // namespace

class TestStorageTreeModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void treeFromWrittenStorage();
    void columnsAndSortRoles();
    void rereadMergesRowsAndKeepsPersistentIndexes();
    void removedTracesLeaveTheTree();
    void integrityBadgesAndOrphans();
    void upstreamFixtureFolder();
    void presentationWrapper();
    void identicalVariantsGroupRows();
};

void TestStorageTreeModel::treeFromWrittenStorage()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    test::writeSampleStorage(dir.path().toStdString());
    ui::StorageTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSnapshot(snapshotOf(dir.path()));

    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.traceCount(), 7);
    QCOMPARE(childNames(model, {}), (QStringList{QStringLiteral("Signals (5)"), QStringLiteral("Classifiers (2)")}));
    const QModelIndex signalsNode = model.kindIndex(core::Kind::Signal);
    QCOMPARE(childNames(model, signalsNode), (QStringList{QStringLiteral("ma_crossover (2)"), QStringLiteral("rsi (3)")}));
    QCOMPARE(childNames(model, model.kindIndex(core::Kind::Classifier)),
             (QStringList{QStringLiteral("regime (1)"), QStringLiteral("trend (1)")}));
    const QModelIndex rsi = model.typeIndex(core::Kind::Signal, QStringLiteral("rsi"));
    QVERIFY(rsi.isValid());
    QCOMPARE(rsi.data(Role::TraceCount).toInt(), 3);
    QCOMPARE(rsi.data(Role::Level).toInt(), int(ui::NodeLevel::Type));
    // Changes summed per group: 4 + 2 + 2 rsi changes, 3 + 2 crossover changes.
    QCOMPARE(rsi.siblingAtColumn(TreeColumn::Changes).data().toString(), QStringLiteral("8"));
    QCOMPARE(signalsNode.siblingAtColumn(TreeColumn::Changes).data(Role::Sort).toLongLong(), 13);
    QCOMPARE(model.traceIndexes(rsi).size(), 3);
    QCOMPARE(model.traceIndexes({}).size(), 7);
    QCOMPARE(model.columnCount(), int(TreeColumn::Count));
    QCOMPARE(model.headerData(TreeColumn::Parameters, Qt::Horizontal).toString(), QStringLiteral("Parameters"));
}

void TestStorageTreeModel::columnsAndSortRoles()
{
    QTemporaryDir dir;
    test::writeSampleStorage(dir.path().toStdString());
    ui::StorageTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSnapshot(snapshotOf(dir.path()));

    const QModelIndexList traces = model.traceIndexes(model.typeIndex(core::Kind::Signal, QStringLiteral("ma_crossover")));
    QCOMPARE(traces.size(), 2);
    // Rows in natural order of their files: 5_20 before 10_30 without any sort by the user.
    QCOMPARE(traces[0].data().toString(), QStringLiteral("ma_crossover_5_20"));
    QCOMPARE(traces[1].data().toString(), QStringLiteral("ma_crossover_10_30"));
    QModelIndex fiveTwenty;
    for (const QModelIndex& index : traces) {
        if (index.data().toString() == QStringLiteral("ma_crossover_5_20"))
            fiveTwenty = index;
    }
    QVERIFY(fiveTwenty.isValid());
    QCOMPARE(fiveTwenty.siblingAtColumn(TreeColumn::Symbol).data().toString(), QStringLiteral("SPY"));
    QCOMPARE(fiveTwenty.siblingAtColumn(TreeColumn::Timeframe).data().toString(), QStringLiteral("1m"));
    QCOMPARE(fiveTwenty.siblingAtColumn(TreeColumn::Changes).data().toString(), QStringLiteral("3"));
    QCOMPARE(fiveTwenty.siblingAtColumn(TreeColumn::Changes).data(Role::Sort).userType(), QMetaType::LongLong);
    QCOMPARE(fiveTwenty.siblingAtColumn(TreeColumn::Bars).data().toString(), QStringLiteral("100"));
    QCOMPARE(fiveTwenty.siblingAtColumn(TreeColumn::Parameters).data().toString(),
             QStringLiteral("fast_period=5, slow_period=20"));
    const QString path = fiveTwenty.data(Role::FilePath).toString();
    QVERIFY2(path.startsWith(QStringLiteral("signals/ma_crossover/ma_crossover_5_20_")) && path.endsWith(QStringLiteral(".json")),
             qPrintable(path));
    QCOMPARE(model.indexForPath(path), fiveTwenty);
    QCOMPARE(fiveTwenty.data(Role::TypeName).toString(), QStringLiteral("ma_crossover"));
    const core::IndexEntry* entry = model.entry(fiveTwenty);
    QVERIFY(entry);
    QCOMPARE(entry->name, std::string("ma_crossover_5_20"));
    QCOMPARE(model.entry(fiveTwenty.parent()), nullptr);
    const QString filter = fiveTwenty.data(Role::FilterText).toString();
    QVERIFY(filter.split(QLatin1Char('\n')).contains(QStringLiteral("fast_period=5")));
}

void TestStorageTreeModel::rereadMergesRowsAndKeepsPersistentIndexes()
{
    QTemporaryDir dir;
    test::writeSampleStorage(dir.path().toStdString());
    ui::StorageTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSnapshot(snapshotOf(dir.path()));

    const QModelIndex rsi = model.typeIndex(core::Kind::Signal, QStringLiteral("rsi"));
    const QPersistentModelIndex kept = model.index(1, 0, rsi);
    const QString keptPath = kept.data(Role::FilePath).toString();

    // A sweep writes more traces: one into an existing type, one into a new type.
    core::StorageWriter writer(dir.path().toStdString());
    writer.write(test::makeSignal("rsi_7", "rsi", core::Parameters{{"period", std::int64_t{7}}}, {{0, 1}}, 100));
    writer.write(test::makeSignal("momentum_fast", "momentum", core::Parameters{{"lookback_period", std::int64_t{10}}},
                                  {{3, 1}, {9, 0}}, 100));
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.setSnapshot(snapshotOf(dir.path()));
    QCOMPARE(reset.count(), 0);
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(model.traceCount(), 9);
    QVERIFY(kept.isValid());
    QCOMPARE(kept.data(Role::FilePath).toString(), keptPath);
    QCOMPARE(model.typeIndex(core::Kind::Signal, QStringLiteral("rsi")).data().toString(), QStringLiteral("rsi (4)"));
    QCOMPARE(childNames(model, model.kindIndex(core::Kind::Signal)),
             (QStringList{QStringLiteral("ma_crossover (2)"), QStringLiteral("momentum (1)"), QStringLiteral("rsi (4)")}));
    QCOMPARE(model.kindIndex(core::Kind::Signal).data().toString(), QStringLiteral("Signals (7)"));

    // The same snapshot again changes nothing.
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.setSnapshot(snapshotOf(dir.path()));
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(reset.count(), 0);
}

void TestStorageTreeModel::removedTracesLeaveTheTree()
{
    QTemporaryDir dir;
    test::writeSampleStorage(dir.path().toStdString());
    ui::StorageTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto full = snapshotOf(dir.path());
    model.setSnapshot(full);

    // Same folder, the trend type gone and one rsi entry dropped.
    auto reduced = std::make_shared<ui::StorageSnapshot>(*full);
    std::erase_if(reduced->indexes, [](const core::TypeIndex& index) { return index.type == "trend"; });
    for (auto& index : reduced->indexes) {
        if (index.type == "rsi")
            index.entries.erase(index.entries.begin());
    }
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.setSnapshot(reduced);
    QCOMPARE(removed.count(), 2);
    QCOMPARE(model.traceCount(), 5);
    QVERIFY(!model.typeIndex(core::Kind::Classifier, QStringLiteral("trend")).isValid());
    QCOMPARE(model.typeIndex(core::Kind::Signal, QStringLiteral("rsi")).data(Role::TraceCount).toInt(), 2);

    // Another folder is a reset.
    QTemporaryDir other;
    test::writeSampleStorage(other.path().toStdString());
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setSnapshot(snapshotOf(other.path()));
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.traceCount(), 7);
    model.clear();
    QCOMPARE(model.traceCount(), 0);
    QCOMPARE(model.rowCount(), 2);
}

void TestStorageTreeModel::integrityBadgesAndOrphans()
{
    QTemporaryDir dir;
    test::writeSampleStorage(dir.path().toStdString());
    ui::StorageTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSnapshot(snapshotOf(dir.path()));
    const QModelIndex rsiType = model.typeIndex(core::Kind::Signal, QStringLiteral("rsi"));
    const QString damaged = model.index(0, 0, rsiType).data(Role::FilePath).toString();

    using Sev = core::Finding::Severity;
    std::vector<core::Finding> findings;
    // Absolute and relative paths both attach to the row.
    findings.push_back({Sev::Error, "hash-mismatch", QString(dir.path() + QLatin1Char('/') + damaged).toStdString(), 0,
                        "file_hash 0123 does not match the identity (abcd)"});
    findings.push_back({Sev::Warning, "non-monotonic", damaged.toStdString(), 12, "bar 5 after bar 9"});
    findings.push_back({Sev::Error, "orphan-file", "signals/rsi/rsi_99_deadbeef.json", 0, "not listed in index.json"});
    findings.push_back({Sev::Info, "upstream-md5-hash", "classifiers/trend/index.json", 0, "upstream hash"});
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.setFindings(findings);

    const QModelIndex row = model.indexForPath(damaged);
    QCOMPARE(row.data(Role::IntegrityLevel).toInt(), int(ui::Integrity::Error));
    QCOMPARE(row.data(Role::IntegrityText).toString(),
             QStringLiteral("hash-mismatch: file_hash 0123 does not match the identity (abcd)\n"
                            "non-monotonic: bar 5 after bar 9"));
    QCOMPARE(inserted.count(), 1);
    const QModelIndex orphan = model.indexForPath(QStringLiteral("signals/rsi/rsi_99_deadbeef.json"));
    QVERIFY(orphan.isValid());
    QVERIFY(orphan.data(Role::Orphan).toBool());
    QCOMPARE(orphan.data().toString(), QStringLiteral("rsi_99_deadbeef"));
    QCOMPARE(orphan.siblingAtColumn(TreeColumn::Changes).data(), QVariant());
    QCOMPARE(rsiType.data(Role::IntegrityLevel).toInt(), int(ui::Integrity::Error));
    QCOMPARE(rsiType.data(Role::IntegrityText).toString(), QStringLiteral("2 trace(s) with problems"));
    QCOMPARE(rsiType.data(Role::TraceCount).toInt(), 4);
    // Info findings (upstream quirks) are no damage.
    const QModelIndex trend = model.typeIndex(core::Kind::Classifier, QStringLiteral("trend"));
    QCOMPARE(trend.data(Role::IntegrityLevel).toInt(), int(ui::Integrity::Info));
    QCOMPARE(model.typeIndex(core::Kind::Signal, QStringLiteral("ma_crossover")).data(Role::IntegrityLevel).toInt(),
             int(ui::Integrity::Ok));

    // A clean verify clears the badges and the orphan row.
    model.setFindings({});
    QCOMPARE(model.indexForPath(damaged).data(Role::IntegrityLevel).toInt(), int(ui::Integrity::Ok));
    QVERIFY(!model.indexForPath(QStringLiteral("signals/rsi/rsi_99_deadbeef.json")).isValid());
    QCOMPARE(model.traceCount(), 7);
}

void TestStorageTreeModel::upstreamFixtureFolder()
{
    SIGSCOPE_REQUIRE_FIXTURES(fixtures);
    const auto root = fixtures / "upstream" / "analytics_storage";
    ui::StorageTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto snapshot = std::make_shared<const ui::StorageSnapshot>(ui::readStorageSnapshot(root));
    QCOMPARE(snapshot->formatVersion, 0);
    model.setSnapshot(snapshot);
    QCOMPARE(model.traceCount(), 3);
    QCOMPARE(childNames(model, model.kindIndex(core::Kind::Signal)), QStringList{QStringLiteral("mean_reversion (1)")});
    QCOMPARE(childNames(model, model.kindIndex(core::Kind::Classifier)),
             (QStringList{QStringLiteral("regime (1)"), QStringLiteral("trend (1)")}));
    // file_path was written relative to the writer's folder; it resolves against the root.
    const QModelIndex bb = model.indexForPath(QStringLiteral("signals/mean_reversion/mean_reversion_99914b93.json"));
    QVERIFY(bb.isValid());
    QCOMPARE(bb.data().toString(), QStringLiteral("mean_reversion_bb"));
    QCOMPARE(bb.siblingAtColumn(TreeColumn::Changes).data().toString(), QStringLiteral("12"));
    QCOMPARE(bb.siblingAtColumn(TreeColumn::Parameters).data().toString(), QString());
    const QModelIndex regime = model.indexForPath(QStringLiteral("classifiers/regime/volatility_regime_99914b93.json"));
    QCOMPARE(regime.data().toString(), QStringLiteral("volatility_regime"));
    QCOMPARE(regime.data(Role::TraceKind).toInt(), int(core::Kind::Classifier));
}

void TestStorageTreeModel::presentationWrapper()
{
    QTemporaryDir dir;
    test::writeSampleStorage(dir.path().toStdString());
    ui::StorageTreeModel model;
    model.setSnapshot(snapshotOf(dir.path()));
    ui::TreePresentationModel presentation;
    presentation.setSourceModel(&model);
    QAbstractItemModelTester tester(&presentation, QAbstractItemModelTester::FailureReportingMode::QtTest);

    const QModelIndex rsiType = model.typeIndex(core::Kind::Signal, QStringLiteral("rsi"));
    const QModelIndex trace = model.index(0, 0, rsiType);
    const QString path = trace.data(Role::FilePath).toString();
    model.setFindings({{core::Finding::Severity::Error, "missing-file", path.toStdString(), 0, "file does not exist"}});
    const QModelIndex shown = presentation.mapFromSource(trace);
    QCOMPARE(shown.data(Qt::ToolTipRole).toString(),
             trace.data().toString() + QLatin1Char('\n') + path + QStringLiteral("\nmissing-file: file does not exist"));
    QVERIFY(!shown.data(Qt::DecorationRole).value<QIcon>().isNull());
    QCOMPARE(shown.data(Qt::ForegroundRole).value<QColor>(), QColor(0xb0, 0x20, 0x20));
    QCOMPARE(presentation.mapFromSource(trace.siblingAtColumn(TreeColumn::Changes)).data(Qt::TextAlignmentRole).toInt(),
             int(Qt::AlignRight | Qt::AlignVCenter));
    QCOMPARE(shown.data().toString(), trace.data().toString());
}

// rsi_22 and rsi_23 repeat rsi_21's changes under other periods, and momentum_21 does in another
// type (not grouped); on, the three rsi rows become one "3 variants, one signal" row at rsi_21's
// place, which reads as rsi_21 in every column but the name; a re-read adds a fourth member in
// place; off, the rows come back.
void TestStorageTreeModel::identicalVariantsGroupRows()
{
    QTemporaryDir dir;
    test::writeSampleStorage(dir.path().toStdString());
    core::StorageWriter writer(dir.path().toStdString());
    const auto same = [](const char* name, const char* type, std::int64_t period) {
        return test::makeSignal(name, type, core::Parameters{{"period", period}}, {{5, 1}, {50, 0}}, 100);
    };
    writer.write(same("rsi_22", "rsi", 22));
    writer.write(same("rsi_23", "rsi", 23));
    writer.write(same("momentum_21", "momentum", 21));
    ui::StorageTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSnapshot(snapshotOf(dir.path()));
    QVERIFY(!model.groupsVariants());
    const QModelIndex rsi = model.typeIndex(core::Kind::Signal, QStringLiteral("rsi"));
    const QStringList flat{QStringLiteral("rsi_14"), QStringLiteral("rsi_21"), QStringLiteral("rsi_22"),
                           QStringLiteral("rsi_23"), QStringLiteral("rsi_bands_14_70")};
    QCOMPARE(childNames(model, rsi), flat);
    const QPersistentModelIndex rsi14 = model.index(0, 0, rsi);
    const QString path21 = model.index(1, 0, rsi).data(Role::FilePath).toString();
    const QString path22 = model.index(2, 0, rsi).data(Role::FilePath).toString();

    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setGroupVariants(true);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(childNames(model, rsi), (QStringList{QStringLiteral("rsi_14"), QStringLiteral("3 variants, one signal"),
                                                  QStringLiteral("rsi_bands_14_70")}));
    QCOMPARE(rsi14.row(), 0);
    QCOMPARE(rsi.data().toString(), QStringLiteral("rsi (5)"));
    QCOMPARE(rsi.siblingAtColumn(TreeColumn::Changes).data().toString(), QStringLiteral("12")); // 4 + 3 x 2 + 2
    QCOMPARE(model.traceCount(), 10);
    QCOMPARE(model.traceIndexes(rsi).size(), 5);
    const QModelIndex group = model.index(1, 0, rsi);
    QCOMPARE(group.data(Role::Level).toInt(), int(ui::NodeLevel::Variants));
    QCOMPARE(group.data(Role::TraceCount).toInt(), 3);
    QCOMPARE(group.data(Role::GroupName).toString(), QStringLiteral("3 variants, one signal"));
    QCOMPARE(group.data(Role::FilePath).toString(), path21); // charts as its first member
    QCOMPARE(group.data(Role::TypeName).toString(), QStringLiteral("rsi"));
    QCOMPARE(group.data(Role::Sort).toString(), QStringLiteral("rsi_21"));
    QCOMPARE(group.siblingAtColumn(TreeColumn::Symbol).data().toString(), QStringLiteral("SPY"));
    QCOMPARE(group.siblingAtColumn(TreeColumn::Changes).data().toString(), QStringLiteral("2"));
    QCOMPARE(group.siblingAtColumn(TreeColumn::Bars).data().toString(), QStringLiteral("100"));
    QCOMPARE(group.siblingAtColumn(TreeColumn::Parameters).data().toString(), QStringLiteral("period=21"));
    QCOMPARE(model.entry(group), nullptr);
    QCOMPARE(childNames(model, group),
             (QStringList{QStringLiteral("rsi_21"), QStringLiteral("rsi_22"), QStringLiteral("rsi_23")}));
    QCOMPARE(model.indexForPath(path22).parent(), group);
    QCOMPARE(model.indexForPath(path22).data(Role::TypeName).toString(), QStringLiteral("rsi"));
    QCOMPARE(model.entry(model.indexForPath(path22))->name, std::string("rsi_22"));
    QCOMPARE(childNames(model, model.typeIndex(core::Kind::Signal, QStringLiteral("momentum"))),
             QStringList{QStringLiteral("momentum_21")});

    // Filtered, the group row counts what it shows.
    ui::TraceFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setFilterText(QStringLiteral("rsi period>=22"));
    const QModelIndex shownRsi = proxy.index(0, 0, proxy.index(0, 0));
    QCOMPARE(childNames(proxy, shownRsi), QStringList{QStringLiteral("3 variants, one signal (2 of 3)")});
    QCOMPARE(childNames(proxy, proxy.index(0, 0, shownRsi)), (QStringList{QStringLiteral("rsi_22"), QStringLiteral("rsi_23")}));
    proxy.setFilterText(QString());

    // A sweep writes a fourth member: it joins the group in place.
    writer.write(same("rsi_24", "rsi", 24));
    const QPersistentModelIndex keptGroup = group;
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.setSnapshot(snapshotOf(dir.path()));
    QCOMPARE(reset.count(), 0);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.front().at(0).value<QModelIndex>(), QModelIndex(keptGroup));
    QCOMPARE(keptGroup.data().toString(), QStringLiteral("4 variants, one signal"));
    QCOMPARE(rsi.data().toString(), QStringLiteral("rsi (6)"));

    model.setGroupVariants(false);
    QCOMPARE(childNames(model, rsi), (QStringList{QStringLiteral("rsi_14"), QStringLiteral("rsi_21"), QStringLiteral("rsi_22"),
                                                  QStringLiteral("rsi_23"), QStringLiteral("rsi_24"),
                                                  QStringLiteral("rsi_bands_14_70")}));
    QVERIFY(!keptGroup.isValid());
    QCOMPARE(rsi14.row(), 0);
    QCOMPARE(model.indexForPath(path22).parent(), rsi);
    QCOMPARE(model.traceCount(), 11);
}

QTEST_MAIN(TestStorageTreeModel)
#include "tst_storagetreemodel.moc"
