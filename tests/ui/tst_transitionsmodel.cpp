// The transitions table: one row per change, values computed on demand (a million rows cost
// nothing up front), bars held until the next change, as-of lookups for chart linking.
#include "tests/ui/uitestdata.h"
#include "ui/models/roles.h"
#include "ui/models/transitionsmodel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace sigscope;
namespace Role = ui::Role;
namespace TransitionsColumn = ui::TransitionsColumn;

class TestTransitionsModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void signalRows();
    void classifierRows();
    void millisecondTimes();
    void rowForBar_data();
    void rowForBar();
    void millionRows();
};

void TestTransitionsModel::signalRows()
{
    ui::TransitionsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    auto trace = std::make_shared<const core::Trace>(
        test::makeSignal("ma_crossover_5_20", "ma_crossover", {}, {{20, 1}, {31, -1}, {41, 0}}, 100));
    model.setTrace(trace);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), int(TransitionsColumn::Count));
    const auto cell = [&](int row, int column, int role = Qt::DisplayRole) { return model.index(row, column).data(role); };
    QCOMPARE(cell(0, TransitionsColumn::Bar).toString(), QStringLiteral("20"));
    QCOMPARE(cell(0, TransitionsColumn::Time).toString(), QStringLiteral("2024-03-26 13:50:00"));
    QCOMPARE(cell(0, TransitionsColumn::Value).toString(), QStringLiteral("long"));
    QCOMPARE(cell(1, TransitionsColumn::Value).toString(), QStringLiteral("short"));
    QCOMPARE(cell(2, TransitionsColumn::Value).toString(), QStringLiteral("flat"));
    QCOMPARE(cell(1, TransitionsColumn::Value, Role::RawValue).toInt(), -1);
    QCOMPARE(cell(0, TransitionsColumn::Held).toString(), QStringLiteral("11"));
    QCOMPARE(cell(2, TransitionsColumn::Held).toString(), QStringLiteral("59")); // to the end: 100 - 41
    QCOMPARE(cell(2, TransitionsColumn::Held, Role::Sort).toLongLong(), 59);
    QCOMPARE(cell(0, TransitionsColumn::Price).toString(), QStringLiteral("-")); // 0.0 = unknown
    QCOMPARE(cell(0, TransitionsColumn::Confidence), QVariant());
    QCOMPARE(model.headerData(TransitionsColumn::Value, Qt::Horizontal).toString(), QStringLiteral("Value"));
    QCOMPARE(model.barAt(1), 31);
    QCOMPARE(model.barAt(3), -1);
}

void TestTransitionsModel::classifierRows()
{
    ui::TransitionsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTrace(std::make_shared<const core::Trace>(
        test::makeClassifier("volatility_regime", "regime", {{0, "low_vol"}, {25, "high_vol"}}, 100)));
    QCOMPARE(model.index(1, TransitionsColumn::Value).data().toString(), QStringLiteral("high_vol"));
    QCOMPARE(model.index(1, TransitionsColumn::Confidence).data().toString(), QStringLiteral("0.900"));
    QCOMPARE(model.headerData(TransitionsColumn::Value, Qt::Horizontal).toString(), QStringLiteral("Regime"));
    model.setTrace(nullptr);
    QCOMPARE(model.rowCount(), 0);
}

// Upstream's version-0 trace: changes milliseconds apart (all on bar 0). Whole seconds would
// show identical rows; a trace on whole minutes keeps the short form (signalRows).
void TestTransitionsModel::millisecondTimes()
{
    ui::TransitionsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto trace = std::make_shared<core::Trace>(core::TraceIdentity{core::Kind::Signal, "mr", {}, "SPY", "1m", {}, {}},
                                               "mean_reversion");
    trace->appendSignal(0, "2025-06-13T11:28:25.574891", -1);
    trace->appendSignal(0, "2025-06-13T11:28:25.605915", 0);
    trace->appendSignal(0, "", 1);
    model.setTrace(trace);
    QCOMPARE(model.index(0, TransitionsColumn::Time).data().toString(), QStringLiteral("2025-06-13 11:28:25.574"));
    QCOMPARE(model.index(1, TransitionsColumn::Time).data().toString(), QStringLiteral("2025-06-13 11:28:25.605"));
    QCOMPARE(model.index(2, TransitionsColumn::Time).data().toString(), QStringLiteral("-"));
}

void TestTransitionsModel::rowForBar_data()
{
    QTest::addColumn<qint64>("bar");
    QTest::addColumn<int>("row");
    QTest::newRow("before the first change") << qint64(19) << -1;
    QTest::newRow("on the first") << qint64(20) << 0;
    QTest::newRow("between") << qint64(30) << 0;
    QTest::newRow("on the second") << qint64(31) << 1;
    QTest::newRow("after the last") << qint64(99) << 2;
}

void TestTransitionsModel::rowForBar()
{
    QFETCH(qint64, bar);
    QFETCH(int, row);
    ui::TransitionsModel model;
    model.setTrace(std::make_shared<const core::Trace>(
        test::makeSignal("ma_crossover_5_20", "ma_crossover", {}, {{20, 1}, {31, -1}, {41, 0}}, 100)));
    QCOMPARE(model.rowForBar(bar), row);
}

void TestTransitionsModel::millionRows()
{
    core::TraceIdentity identity;
    identity.name = "dense";
    auto trace = std::make_shared<core::Trace>(identity, "other");
    constexpr int n = 1'000'000;
    trace->reserve(n);
    for (int i = 0; i < n; ++i)
        trace->appendSignalAt(i * 2, core::kNoTime, core::TimeFormat{}, i % 2 == 0 ? 1 : -1);
    ui::TransitionsModel model;
    model.setTrace(trace);
    QCOMPARE(model.rowCount(), n);
    QCOMPARE(model.index(n - 1, TransitionsColumn::Bar).data().toString(), QStringLiteral("1999998"));
    QCOMPARE(model.index(n - 1, TransitionsColumn::Time).data().toString(), QStringLiteral("-"));
    QCOMPARE(model.rowForBar(1'000'001), 500'000);
}

QTEST_MAIN(TestTransitionsModel)
#include "tst_transitionsmodel.moc"
