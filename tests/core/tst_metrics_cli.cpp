// `sigscope metrics`, run as a process on a tiny storage written through the core writer: the
// exact CSV, the table, the storage's own market data, --sort/--cost/--from/--to and the errors.
#include "core/storage/writer.h"
#include "tests/support/testsupport.h"

#include <QTemporaryDir>
#include <QTest>
#include <fstream>

using namespace sigscope::core;
using sigscope::test::CommandRun;
using sigscope::test::runSigscope;
namespace fs = std::filesystem;

namespace {

QByteArray describe(const CommandRun& run)
{
    return (QStringLiteral("exit %1\nstdout:\n%2\nstderr:\n%3").arg(run.exitCode).arg(run.out, run.err)).toUtf8();
}

struct Change
{
    std::int64_t bar;
    std::int32_t value;
    double price;
};

Trace make(Kind kind, const std::string& type, const std::string& name, std::int64_t period, const std::string& symbol,
           const std::vector<Change>& changes)
{
    Trace t(TraceIdentity{kind, name, Parameters{{"period", period}}, symbol, "1m", std::string("r1"), {}}, type);
    t.metadata.totalBars = 10;
    for (const Change& c : changes) {
        if (kind == Kind::Signal)
            t.appendSignal(c.bar, "", c.value, c.price);
        else
            t.appendRegime(c.bar, "", c.value > 0 ? "up" : "down", 1.0, c.price);
    }
    return t;
}

} // namespace

class TestMetricsCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_root;
    std::string m_alpha;
    std::string m_beta;
    std::string m_gamma;

    QString csvOf(const QStringList& extra)
    {
        const QString out = m_dir.path() + QStringLiteral("/out.csv");
        QFile::remove(out);
        const CommandRun run =
            runSigscope(QStringList{QStringLiteral("metrics"), m_root, QStringLiteral("--csv"), out} + extra);
        if (run.exitCode != 0 || run.out != out + QLatin1Char('\n') || !run.err.isEmpty()) {
            qWarning("%s", describe(run).constData());
            return {};
        }
        return QString::fromStdString(sigscope::test::readFile(out.toStdString()));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_root = m_dir.path() + QStringLiteral("/storage");
        StorageWriter writer(fs::path(m_root.toStdString()));
        // alpha: long 1..3 at 100 -> 120 (r 0.2), flip, short 4..7 at 120 -> 90 (r 0.25).
        m_alpha = writer.write(make(Kind::Signal, "trend", "alpha", 5, "SPY", {{1, 1, 100}, {4, -1, 120}, {8, 0, 90}}))
                      .filePath;
        // beta: long 2..4 at 100 -> 110 (r 0.1).
        m_beta = writer.write(make(Kind::Signal, "trend", "beta", 9, "SPY", {{2, 1, 100}, {5, 0, 110}})).filePath;
        // gamma: prices not recorded.
        m_gamma = writer.write(make(Kind::Signal, "zero", "gamma", 3, "QQQ", {{2, 1, 0}, {5, 0, 0}})).filePath;
        writer.write(make(Kind::Classifier, "regime", "alpha_regime", 5, "SPY", {{1, 1, 50}}));
    }

    void exactCsv()
    {
        // alpha: 2 trades, both won; avg (0.2 + 0.25) / 2 = 0.225 (0.22499999999999998 in binary:
        // 120/100 - 1 = 0.19999999999999996); total 1.2 * 1.25 - 1 = 0.5; 7 of 10 bars; hold 3.5.
        // beta: 110/100 - 1 = 0.10000000000000009; 3 of 10 bars. No market data: no sharpe.
        const QString header = QStringLiteral(
            "file_path,kind,type,name,symbol,timeframe,run,trades,win_rate,avg_trade,profit_factor,total_return,"
            "max_drawdown,exposure,mean_hold,flips,sharpe,same_as,reason\n");
        const QString alpha =
            QString::fromStdString(m_alpha) +
            QStringLiteral(",signal,trend,alpha,SPY,1m,r1,2,1,0.22499999999999998,inf,0.5,0,0.7,3.5,1,,,\n");
        const QString beta =
            QString::fromStdString(m_beta) +
            QStringLiteral(
                ",signal,trend,beta,SPY,1m,r1,1,1,0.10000000000000009,inf,0.10000000000000009,0,0.3,3,0,,,\n");
        const QString gamma =
            QString::fromStdString(m_gamma) +
            QStringLiteral(
                ",signal,zero,gamma,QQQ,1m,r1,,,,,,,,,,,,no price recorded at bar 2 (price 0) and no market data\n");
        QCOMPARE(csvOf({}), header + alpha + beta + gamma);
        QCOMPARE(csvOf({QStringLiteral("--sort"), QStringLiteral("total_return")}), header + alpha + beta + gamma);
        QCOMPARE(csvOf({QStringLiteral("--sort"), QStringLiteral("mean_hold")}), header + alpha + beta + gamma);
        QCOMPARE(csvOf({QStringLiteral("--sort"), QStringLiteral("avg_trade")}), header + alpha + beta + gamma);
        QCOMPARE(csvOf({QStringLiteral("--select"), QStringLiteral("beta|gamma")}), header + beta + gamma);
        // The classifier matches too, and is left out.
        QCOMPARE(csvOf({QStringLiteral("--select"), QStringLiteral("alpha")}), header + alpha);
    }

    // --select may compare metrics: alpha 2 trades (total 0.5), beta 1 (0.1), both with an
    // infinite profit factor; gamma has none. A plain token never matches a metric's value.
    void metricFilter()
    {
        const auto names = [this](const QString& select) {
            QStringList out;
            for (const QString& line : csvOf({QStringLiteral("--select"), select}).split(QLatin1Char('\n')).mid(1))
                if (!line.isEmpty())
                    out << line.section(QLatin1Char(','), 3, 3);
            return out;
        };
        QCOMPARE(names(QStringLiteral("total_return>0.2")), QStringList{QStringLiteral("alpha")});
        QCOMPARE(names(QStringLiteral("trend trades<2")), QStringList{QStringLiteral("beta")});
        QCOMPARE(names(QStringLiteral("profit_factor>2")), (QStringList{QStringLiteral("alpha"), QStringLiteral("beta")}));
        QCOMPARE(names(QStringLiteral("trades>=2 | zero")), (QStringList{QStringLiteral("alpha"), QStringLiteral("gamma")}));
        const CommandRun plain = runSigscope({QStringLiteral("metrics"), m_root, QStringLiteral("--select"), QStringLiteral("2")});
        QCOMPARE(plain.exitCode, 1);
        QCOMPARE(plain.err, QStringLiteral("sigscope: --select '2' matches no signal trace in %1\n").arg(m_root));
    }

    void costAndRange()
    {
        // Bars [4, 9) of alpha: short 4..7 at 120 -> 90, 10 bps: 0.25 - 0.002 = 0.248; 4 of 5 bars.
        const QString csv =
            csvOf({QStringLiteral("--select"), QStringLiteral("alpha"), QStringLiteral("--cost"), QStringLiteral("10"),
                   QStringLiteral("--from"), QStringLiteral("4"), QStringLiteral("--to"), QStringLiteral("9")});
        QVERIFY2(csv.endsWith(QStringLiteral(",signal,trend,alpha,SPY,1m,r1,1,1,0.248,inf,0.248,0,0.8,4,0,,,\n")),
                 qPrintable(csv));
    }

    // --by-regime on a storage of alpha and a classifier down [0,3), up [3,6), down [6,10). With
    // the recorded prices a boundary inside a trade is priced at the last change (bar 3: 100,
    // bar 6: 120). Long 1..3 splits into [1,3) down (100 -> 100, r 0) and [3,4) up (100 -> 120,
    // r 0.19999999999999996); short 4..7 into [4,6) up (120 -> 120, r -0) and [6,8) down
    // (120 -> 90, r 0.25). down: 7 bars, 4 exposed (4/7), avg 0.125, total 0.25; up: 3 bars all
    // exposed, avg 0.09999999999999998, and the flip at bar 4 (bar 3 is "up" too).
    void byRegime()
    {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString() + "/s";
        StorageWriter writer{fs::path(root)};
        const std::string alpha =
            writer.write(make(Kind::Signal, "trend", "alpha", 5, "SPY", {{1, 1, 100}, {4, -1, 120}, {8, 0, 90}})).filePath;
        const std::string vol =
            writer.write(make(Kind::Classifier, "vol", "vol", 5, "SPY", {{0, -1, 0}, {3, 1, 0}, {6, -1, 0}})).filePath;
        const QString out = dir.path() + QStringLiteral("/r.csv");
        const CommandRun run = runSigscope({QStringLiteral("metrics"), QString::fromStdString(root),
                                            QStringLiteral("--by-regime"), QStringLiteral("vol"), QStringLiteral("--csv"), out});
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        const QString head = QString::fromStdString(alpha + ",signal,trend,alpha,SPY,1m,r1," + vol);
        QCOMPARE(QString::fromStdString(sigscope::test::readFile(out.toStdString())),
                 QStringLiteral("file_path,kind,type,name,symbol,timeframe,run,classifier,regime,trades,win_rate,"
                                "avg_trade,profit_factor,total_return,max_drawdown,exposure,mean_hold,flips,sharpe,"
                                "reason\n") +
                     head + QStringLiteral(",down,2,0.5,0.125,inf,0.25,0,0.5714285714285714,2,0,,\n") + head +
                     QStringLiteral(",up,2,0.5,0.09999999999999998,inf,0.19999999999999996,0,1,1.5,1,,\n"));
        const CommandRun table = runSigscope(
            {QStringLiteral("metrics"), QString::fromStdString(root), QStringLiteral("--by-regime"), QStringLiteral("vol")});
        QCOMPARE(table.out.section(QLatin1Char('\n'), 0, 0).simplified(),
                 QStringLiteral("trace regime trades win_rate avg_trade profit_factor total_return max_drawdown "
                                "exposure mean_hold flips sharpe"));
        QCOMPARE(table.out.section(QLatin1Char('\n'), 1, 1).simplified(),
                 QStringLiteral("alpha down 2 0.500 0.125000 \u2014 0.250000 0.000000 0.571 2.0 0 n/a"));

        const CommandRun none = runSigscope(
            {QStringLiteral("metrics"), QString::fromStdString(root), QStringLiteral("--by-regime"), QStringLiteral("nothing")});
        QCOMPARE(none.exitCode, 1);
        QCOMPARE(none.err, QStringLiteral("sigscope: --by-regime 'nothing' matches no classifier in %1\n")
                               .arg(QString::fromStdString(root)));
        const CommandRun sorted = runSigscope({QStringLiteral("metrics"), QString::fromStdString(root),
                                               QStringLiteral("--by-regime"), QStringLiteral("vol"), QStringLiteral("--sort"),
                                               QStringLiteral("trades")});
        QCOMPARE(sorted.exitCode, 2);
        QVERIFY2(sorted.err.contains(QStringLiteral("--sort orders one row per trace; it does not go with --by-regime")),
                 describe(sorted).constData());
    }

    void table()
    {
        const CommandRun run =
            runSigscope({QStringLiteral("metrics"), m_root, QStringLiteral("--sort"), QStringLiteral("exposure")});
        QVERIFY2(run.exitCode == 0 && run.err.isEmpty(), describe(run).constData());
        // Labels carry the symbol (the selection spans two); by exposure 0.7, 0.3, then the row without metrics.
        QCOMPARE(run.out,
                 QStringLiteral("trace        trades  win_rate  avg_trade  profit_factor  total_return  max_drawdown  "
                                "exposure  mean_hold     flips    sharpe  same_as\n"
                                "alpha SPY         2     1.000   0.225000              \u2014      0.500000      "
                                "0.000000     0.700        3.5         1       n/a\n"
                                "beta SPY          1     1.000   0.100000              \u2014      0.100000      "
                                "0.000000     0.300        3.0         0       n/a\n"
                                "gamma QQQ  no metrics: no price recorded at bar 2 (price 0) and no market data\n"));
    }

    // delta is alpha's change list under another name and period: its same_as names alpha (the
    // first in the tree's order), in CSV by file_path and in the table by label.
    void identicalVariants()
    {
        QTemporaryDir dir;
        const QString root = dir.path() + QStringLiteral("/s");
        sigscope::test::copyTree(m_root.toStdString(), root.toStdString());
        const std::string delta = StorageWriter(fs::path(root.toStdString()))
                                      .write(make(Kind::Signal, "trend", "delta", 7, "SPY",
                                                  {{1, 1, 100}, {4, -1, 120}, {8, 0, 90}}))
                                      .filePath;
        const QString out = dir.path() + QStringLiteral("/m.csv");
        const CommandRun run = runSigscope({QStringLiteral("metrics"), root, QStringLiteral("--select"),
                                            QStringLiteral("alpha|delta"), QStringLiteral("--csv"), out});
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        const QString csv = QString::fromStdString(sigscope::test::readFile(out.toStdString()));
        const QString cells = QStringLiteral(",signal,trend,%1,SPY,1m,r1,2,1,0.22499999999999998,inf,0.5,0,0.7,3.5,1,,");
        QCOMPARE(csv.split(QLatin1Char('\n')).mid(1),
                 (QStringList{QString::fromStdString(m_alpha) + cells.arg(QStringLiteral("alpha")) + QLatin1Char(','),
                              QString::fromStdString(delta) + cells.arg(QStringLiteral("delta")) +
                                  QString::fromStdString(m_alpha) + QLatin1Char(','),
                              QString()}));
        const CommandRun table = runSigscope(
            {QStringLiteral("metrics"), root, QStringLiteral("--select"), QStringLiteral("alpha|delta")});
        QVERIFY2(table.exitCode == 0, describe(table).constData());
        const QStringList lines = table.out.split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 4);
        QVERIFY2(lines[1].startsWith(QStringLiteral("alpha ")) && lines[1].endsWith(QStringLiteral("n/a")), qPrintable(lines[1]));
        QVERIFY2(lines[2].startsWith(QStringLiteral("delta ")) && lines[2].endsWith(QStringLiteral("n/a  alpha")),
                 qPrintable(lines[2]));
    }

    void storageMarket()
    {
        // market/QQQ_1m.csv beside the traces prices gamma: long 2..4, close 20 -> 25: r 0.25; per-bar
        // returns 0 0 0 0 0 0 0 0 0 0 but bar 3 (22/20 - 1), 4 (23/22 - 1), 5 (25/23 - 1).
        QTemporaryDir dir;
        const QString root = dir.path() + QStringLiteral("/s");
        sigscope::test::copyTree(m_root.toStdString(), root.toStdString());
        fs::create_directories(root.toStdString() + "/market");
        std::ofstream(root.toStdString() + "/market/QQQ_1m.csv")
            << "bar_index,timestamp,open,high,low,close,volume\n0,,0,0,0,19,0\n1,,0,0,0,19,0\n2,,0,0,0,20,0\n"
               "3,,0,0,0,22,0\n4,,0,0,0,23,0\n5,,0,0,0,25,0\n6,,0,0,0,25,0\n7,,0,0,0,25,0\n8,,0,0,0,25,0\n9,,0,0,0,25,"
               "0\n";
        const QString out = dir.path() + QStringLiteral("/m.csv");
        const CommandRun run = runSigscope({QStringLiteral("metrics"), root, QStringLiteral("--select"),
                                            QStringLiteral("gamma"), QStringLiteral("--csv"), out});
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        const QString csv = QString::fromStdString(sigscope::test::readFile(out.toStdString()));
        QVERIFY2(csv.endsWith(QStringLiteral(",signal,zero,gamma,QQQ,1m,r1,1,1,0.25,inf,0.25,0,0.3,3,0,") + m_sharpe +
                              QStringLiteral(",,\n")),
                 qPrintable(csv));
    }

    void missingMarketFile()
    {
        const QString missing = m_dir.path() + QStringLiteral("/nowhere/SPY_1m.csv");
        const CommandRun run = runSigscope({QStringLiteral("metrics"), m_root, QStringLiteral("--market"), missing});
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.err, QStringLiteral("sigscope: market file %1: cannot open file\n").arg(missing));
        QVERIFY(run.out.isEmpty());
    }

    void noMatch()
    {
        const CommandRun run = runSigscope(
            {QStringLiteral("metrics"), m_root, QStringLiteral("--select"), QStringLiteral("alpha_regime")});
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.err,
                 QStringLiteral("sigscope: --select 'alpha_regime' matches no signal trace in %1\n").arg(m_root));
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        const QString hint = QStringLiteral("\nTry 'sigscope metrics --help'.\n");
        QTest::newRow("no dir") << QStringList{} << QStringLiteral("sigscope: missing argument") + hint;
        QTest::newRow("two dirs") << QStringList{QStringLiteral("a"), QStringLiteral("b")}
                                  << QStringLiteral("sigscope: unexpected argument 'b'") + hint;
        QTest::newRow("bad cost") << QStringList{QStringLiteral("a"), QStringLiteral("--cost"), QStringLiteral("cheap")}
                                  << QStringLiteral("sigscope: --cost wants basis points (0 or more), not 'cheap'") +
                                         hint;
        QTest::newRow("negative cost") << QStringList{QStringLiteral("a"), QStringLiteral("--cost"),
                                                      QStringLiteral("-1")}
                                       << QStringLiteral("sigscope: --cost wants basis points (0 or more), not '-1'") +
                                              hint;
        QTest::newRow("bad offset")
            << QStringList{QStringLiteral("a"), QStringLiteral("--price-offset"), QStringLiteral("1.5")}
            << QStringLiteral("sigscope: --price-offset wants a whole number of bars, not '1.5'") + hint;
        QTest::newRow("range") << QStringList{QStringLiteral("a"), QStringLiteral("--from"), QStringLiteral("9"),
                                              QStringLiteral("--to"), QStringLiteral("3")}
                               << QStringLiteral("sigscope: --to (3) must be after --from (9)") + hint;
        QTest::newRow("bad sort")
            << QStringList{QStringLiteral("a"), QStringLiteral("--sort"), QStringLiteral("pnl")}
            << QStringLiteral("sigscope: --sort wants one of trades, win_rate, avg_trade, profit_factor, total_return, "
                              "max_drawdown, exposure, mean_hold, flips, sharpe, not 'pnl'") +
                   hint;
        QTest::newRow("unknown option") << QStringList{QStringLiteral("a"), QStringLiteral("--by")}
                                        << QStringLiteral("sigscope: Unknown option 'by'.") + hint;
    }
    void usageErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const CommandRun run = runSigscope(QStringList{QStringLiteral("metrics")} + arguments);
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(run.err, message);
    }

    void help()
    {
        const CommandRun run = runSigscope({QStringLiteral("metrics"), QStringLiteral("--help")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.startsWith(QStringLiteral("Usage: sigscope metrics ")), describe(run).constData());
        for (const char* mention :
             {"--market <FILE>", "--price-offset <N>", "--cost <BPS>", "--sort <METRIC>", "'inf'", "'reason'"})
            QVERIFY2(run.out.contains(QLatin1String(mention)), mention);
    }

private:
    // mean / sample std of those ten returns * sqrt(252 * 390), as Python's statistics.stdev gives it.
    QString m_sharpe = QStringLiteral("183.26025459737025");
};

QTEST_GUILESS_MAIN(TestMetricsCli)
#include "tst_metrics_cli.moc"
