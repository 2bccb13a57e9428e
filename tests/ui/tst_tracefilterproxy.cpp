// Filter box semantics: every whitespace-separated token must match a field of the trace
// (name, type, kind, symbol, timeframe, parameter key, value or key=value); groups survive only
// through a matching trace; sorting uses numbers for numeric columns.
#include "tests/ui/uitestdata.h"
#include "ui/models/roles.h"
#include "ui/models/storagesnapshot.h"
#include "ui/models/storagetreemodel.h"
#include "ui/models/tracefilterproxy.h"

#include <QAbstractItemModelTester>
#include <QTest>

#include <set>

using namespace sigscope;
namespace Role = ui::Role;
namespace TreeColumn = ui::TreeColumn;

namespace {

// The sample traces as a snapshot in memory: filter tests need no disk.
std::shared_ptr<const ui::StorageSnapshot> sampleSnapshot()
{
    auto snapshot = std::make_shared<ui::StorageSnapshot>();
    snapshot->root = "/nowhere/storage";
    for (const core::Trace& trace : test::sampleTraces()) {
        auto it = std::find_if(snapshot->indexes.begin(), snapshot->indexes.end(), [&](const core::TypeIndex& index) {
            return index.kind == trace.kind() && index.type == trace.type;
        });
        if (it == snapshot->indexes.end()) {
            snapshot->indexes.push_back(core::TypeIndex{trace.kind(), trace.type, {}, {}});
            it = snapshot->indexes.end() - 1;
        }
        core::IndexEntry entry;
        entry.kind = trace.kind();
        entry.type = trace.type;
        entry.name = trace.identity.name;
        entry.parameters = trace.identity.parameters;
        entry.symbol = trace.identity.symbol;
        entry.timeframe = trace.identity.timeframe;
        entry.totalItems = static_cast<std::int64_t>(trace.size());
        entry.totalBars = trace.metadata.totalBars;
        entry.filePath = std::string(core::kindFolder(trace.kind())) + '/' + trace.type + '/' + trace.identity.name + ".json";
        it->entries.push_back(entry);
    }
    return snapshot;
}

QStringList visibleTraces(const QAbstractItemModel& model, const QModelIndex& parent = {})
{
    QStringList names;
    for (int row = 0; row < model.rowCount(parent); ++row) {
        const QModelIndex index = model.index(row, 0, parent);
        if (index.data(Role::Level).toInt() == int(ui::NodeLevel::Trace))
            names << index.data().toString();
        else
            names << visibleTraces(model, index);
    }
    return names;
}

} // namespace

class TestTraceFilterProxy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void tokenize_data();
    void tokenize();
    void filter_data();
    void filter();
    void groupsWithoutMatchesDisappear();
    void sortsNumbersAsNumbers();
};

void TestTraceFilterProxy::tokenize_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("tokens");
    QTest::newRow("empty") << QString() << QStringList();
    QTest::newRow("blanks") << QStringLiteral("   \t ") << QStringList();
    QTest::newRow("two") << QStringLiteral("RSI 14") << QStringList{QStringLiteral("rsi"), QStringLiteral("14")};
    QTest::newRow("extra spaces") << QStringLiteral("  ma   fast_period=5 ")
                                  << QStringList{QStringLiteral("ma"), QStringLiteral("fast_period=5")};
}

void TestTraceFilterProxy::tokenize()
{
    QFETCH(QString, text);
    QFETCH(QStringList, tokens);
    QCOMPARE(ui::TraceFilterProxy::tokenize(text), tokens);
}

void TestTraceFilterProxy::filter_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected"); // visible traces, sorted
    const QStringList all{QStringLiteral("ma_crossover_10_30"), QStringLiteral("ma_crossover_5_20"),
                          QStringLiteral("rsi_14"),             QStringLiteral("rsi_21"),
                          QStringLiteral("rsi_bands_14_70"),    QStringLiteral("trend_classifier"),
                          QStringLiteral("volatility_regime")};
    QTest::newRow("no filter") << QString() << all;
    QTest::newRow("rsi 14: name and parameter value") << QStringLiteral("rsi 14")
                                                      << QStringList{QStringLiteral("rsi_14"), QStringLiteral("rsi_bands_14_70")};
    QTest::newRow("case-insensitive") << QStringLiteral("RSI 14")
                                      << QStringList{QStringLiteral("rsi_14"), QStringLiteral("rsi_bands_14_70")};
    QTest::newRow("parameter value only") << QStringLiteral("20")
                                          << QStringList{QStringLiteral("ma_crossover_5_20")};
    QTest::newRow("parameter key") << QStringLiteral("upper") << QStringList{QStringLiteral("rsi_bands_14_70")};
    QTest::newRow("key=value") << QStringLiteral("fast_period=10") << QStringList{QStringLiteral("ma_crossover_10_30")};
    // Comparisons with a parameter (exact key): = is exact, not a substring of "fast_period=10".
    QTest::newRow("key=value is exact") << QStringLiteral("fast_period=1") << QStringList();
    QTest::newRow("equal as numbers") << QStringLiteral("period=14.0")
                                      << QStringList{QStringLiteral("rsi_14"), QStringLiteral("rsi_bands_14_70")};
    QTest::newRow("== as =") << QStringLiteral("period==21") << QStringList{QStringLiteral("rsi_21")};
    QTest::newRow("at least") << QStringLiteral("period>=20") << QStringList{QStringLiteral("rsi_21")};
    QTest::newRow("below") << QStringLiteral("slow_period<25") << QStringList{QStringLiteral("ma_crossover_5_20")};
    QTest::newRow("above, upper case") << QStringLiteral("FAST_PERIOD>5") << QStringList{QStringLiteral("ma_crossover_10_30")};
    QTest::newRow("at most") << QStringLiteral("fast_period<=10")
                             << QStringList{QStringLiteral("ma_crossover_10_30"), QStringLiteral("ma_crossover_5_20")};
    QTest::newRow("not equal needs the key") << QStringLiteral("fast_period!=5") << QStringList{QStringLiteral("ma_crossover_10_30")};
    QTest::newRow("with other tokens") << QStringLiteral("rsi upper>69") << QStringList{QStringLiteral("rsi_bands_14_70")};
    QTest::newRow("not a number") << QStringLiteral("period>abc") << QStringList();
    QTest::newRow("in alternatives") << QStringLiteral("period<20 | slow_period>25")
                                     << QStringList{QStringLiteral("ma_crossover_10_30"), QStringLiteral("rsi_14"),
                                                    QStringLiteral("rsi_bands_14_70")};
    QTest::newRow("symbol") << QStringLiteral("qqq") << QStringList{QStringLiteral("rsi_bands_14_70")};
    QTest::newRow("type") << QStringLiteral("regime") << QStringList{QStringLiteral("volatility_regime")};
    QTest::newRow("kind") << QStringLiteral("classifier")
                          << QStringList{QStringLiteral("trend_classifier"), QStringLiteral("volatility_regime")};
    QTest::newRow("all tokens must match") << QStringLiteral("rsi qqq 21") << QStringList();
    QTest::newRow("token order is free") << QStringLiteral("14 rsi bands")
                                         << QStringList{QStringLiteral("rsi_bands_14_70")};
    QTest::newRow("nothing") << QStringLiteral("macd") << QStringList();
    QTest::newRow("alternatives") << QStringLiteral("ma_crossover 20 | trend")
                                  << QStringList{QStringLiteral("ma_crossover_5_20"), QStringLiteral("trend_classifier")};
    QTest::newRow("empty alternative ignored") << QStringLiteral("qqq |  ")
                                               << QStringList{QStringLiteral("rsi_bands_14_70")};
}

void TestTraceFilterProxy::filter()
{
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    ui::StorageTreeModel model;
    model.setSnapshot(sampleSnapshot());
    ui::TraceFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setFilterText(text);
    QStringList visible = visibleTraces(proxy);
    visible.sort();
    QCOMPARE(visible, expected);
    QCOMPARE(proxy.isFiltering(), !text.trimmed().isEmpty());
}

void TestTraceFilterProxy::groupsWithoutMatchesDisappear()
{
    ui::StorageTreeModel model;
    model.setSnapshot(sampleSnapshot());
    ui::TraceFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setFilterText(QStringLiteral("rsi"));
    QCOMPARE(proxy.rowCount(), 1); // Classifiers gone
    const QModelIndex signalsNode = proxy.index(0, 0);
    QCOMPARE(proxy.rowCount(signalsNode), 1); // only the rsi type
    // While filtering, group names count what is shown of them (issue 15 #13).
    QCOMPARE(proxy.index(0, 0, signalsNode).data().toString(), QStringLiteral("rsi (3 of 3)"));
    QCOMPARE(signalsNode.data().toString(), QStringLiteral("Signals (3 of 5)"));
    proxy.setFilterText(QStringLiteral("rsi 14"));
    QCOMPARE(proxy.index(0, 0, signalsNode).data().toString(), QStringLiteral("rsi (2 of 3)"));
    proxy.setFilterText(QString());
    QCOMPARE(proxy.rowCount(), 2);
    QCOMPARE(proxy.rowCount(proxy.index(0, 0)), 2);
    QCOMPARE(proxy.index(0, 0).data().toString(), QStringLiteral("Signals (5)"));
}

void TestTraceFilterProxy::sortsNumbersAsNumbers()
{
    ui::StorageTreeModel model;
    model.setSnapshot(sampleSnapshot());
    ui::TraceFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.sort(TreeColumn::Changes, Qt::DescendingOrder);
    const QModelIndex signalsNode = proxy.index(0, 0);
    QModelIndex rsi;
    for (int row = 0; row < proxy.rowCount(signalsNode); ++row) {
        if (proxy.index(row, 0, signalsNode).data().toString().startsWith(QStringLiteral("rsi")))
            rsi = proxy.index(row, 0, signalsNode);
    }
    QVERIFY(rsi.isValid());
    QStringList order;
    for (int row = 0; row < proxy.rowCount(rsi); ++row)
        order << proxy.index(row, TreeColumn::Changes, rsi).data().toString();
    QCOMPARE(order, (QStringList{QStringLiteral("4"), QStringLiteral("2"), QStringLiteral("2")}));
    // Names in natural order: 5_20 before 10_30 (byte order would put "1" first).
    proxy.sort(TreeColumn::Name, Qt::AscendingOrder);
    QCOMPARE(visibleTraces(proxy).mid(0, 2), (QStringList{QStringLiteral("ma_crossover_5_20"), QStringLiteral("ma_crossover_10_30")}));
    proxy.sort(TreeColumn::Name, Qt::DescendingOrder);
    // Signals stay first; inside them the order turns round.
    QCOMPARE(proxy.index(0, 0).data().toString(), QStringLiteral("Signals (5)"));
    QCOMPARE(visibleTraces(proxy).first(), QStringLiteral("rsi_bands_14_70"));
}

QTEST_MAIN(TestTraceFilterProxy)
#include "tst_tracefilterproxy.moc"
