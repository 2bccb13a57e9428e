// `sigscope compare` as a user runs it on a written storage: the exact table and CSV for the
// sample's two MA-crossover variants (counts worked out by hand below), ranges, and the errors.
#include "tests/support/testsupport.h"
#include "tests/ui/uitestdata.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace sigscope;

namespace {

test::CommandRun compare(const QStringList& arguments)
{
    return test::runSigscope(QStringList{QStringLiteral("compare")} + arguments);
}

QByteArray describe(const test::CommandRun& run)
{
    return QStringLiteral("exit %1\nstdout:\n%2\nstderr:\n%3").arg(run.exitCode).arg(run.out, run.err).toUtf8();
}

} // namespace

class TestCompareCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_storage = m_dir.filePath(QStringLiteral("storage"));
        test::writeSampleStorage(m_storage.toStdString());
    }

    // ma_crossover_5_20 holds 0 | 1 from bar 20 | -1 from 31 | 0 from 41; ma_crossover_10_30 holds
    // 0 | 1 from 30 | -1 from 70; both 100 bars. Bars 0-19 both flat, 30 both long, 31-40
    // opposite: same 21, long 1, short 0, flat 20, opposite 10. Correlation: sums a 1, b 10,
    // aa 21, bb 70, ab -9: (-9 - 0.1) / sqrt(20.99 * 69) = -0.239.
    void table()
    {
        const auto run = compare({m_storage, QStringLiteral("--select"), QStringLiteral("ma_crossover")});
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        QCOMPARE(run.out, QStringLiteral("trace               trace                   bars   same%   long%  short%   flat%  oppos%    corr\n"
                                         "ma_crossover_5_20   ma_crossover_10_30       100    21.0     1.0     0.0    20.0    10.0  -0.239\n"));
        QCOMPARE(run.err, QString());
    }

    void csvAndRange()
    {
        const QString out = m_dir.filePath(QStringLiteral("pairs.csv"));
        auto run = compare({m_storage, QStringLiteral("--select"), QStringLiteral("ma_crossover"), QStringLiteral("--csv"), out,
                            QStringLiteral("--from"), QStringLiteral("25"), QStringLiteral("--to"), QStringLiteral("45")});
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        QCOMPARE(run.out, out + QLatin1Char('\n'));
        // Bars 25-44: a holds 1 on 25-30, -1 on 31-40, 0 on 41-44; b holds 0 on 25-29, 1 on 30-44:
        // same 1 (bar 30), long 1, opposite 10. Sums a -4, b 15, aa 16, bb 15, ab -9:
        // (-9 + 3) / sqrt(15.2 * 3.75) = -6 / sqrt(57).
        const QStringList lines = QString::fromStdString(test::readFile(out.toStdString())).split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 3); // header, one pair, the final newline
        QCOMPARE(lines[0], QStringLiteral("a,b,bars,same,both_long,both_short,both_flat,opposite,correlation"));
        const QStringList fields = lines[1].split(QLatin1Char(','));
        QCOMPARE(fields.mid(0, 8), (QStringList{QStringLiteral("ma_crossover_5_20"), QStringLiteral("ma_crossover_10_30"),
                                                QStringLiteral("20"), QStringLiteral("1"), QStringLiteral("1"),
                                                QStringLiteral("0"), QStringLiteral("0"), QStringLiteral("10")}));
        QCOMPARE(fields.value(8).toDouble(), -6.0 / std::sqrt(57.0));
    }

    // The four SPY signals (bars of each position written out above and in uitestdata.h), same
    // position on: ma 5/20 - rsi_14 70 bars, ma 5/20 - rsi_21 66, rsi_14 - rsi_21 65, rsi_21 -
    // ma 10/30 25, ma 5/20 - ma 10/30 21, rsi_14 - ma 10/30 10, of 100. Average linkage joins
    // ma 5/20 and rsi_14 (0.70), then rsi_21 ((0.66 + 0.65) / 2 = 0.655), then ma 10/30.
    void matrix()
    {
        const QString out = m_dir.filePath(QStringLiteral("matrix.csv"));
        const auto run = compare({m_storage, QStringLiteral("--select"), QStringLiteral("SPY"), QStringLiteral("--matrix"), out});
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        QCOMPARE(run.out, out + QLatin1Char('\n'));
        QCOMPARE(QString::fromStdString(test::readFile(out.toStdString())),
                 QStringLiteral("trace,ma_crossover_5_20,rsi_14,rsi_21,ma_crossover_10_30\n"
                                "ma_crossover_5_20,1.000000,0.700000,0.660000,0.210000\n"
                                "rsi_14,0.700000,1.000000,0.650000,0.100000\n"
                                "rsi_21,0.660000,0.650000,1.000000,0.250000\n"
                                "ma_crossover_10_30,0.210000,0.100000,0.250000,1.000000\n"));
    }

    void failures_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const auto s = [](const char* text) { return QString::fromUtf8(text); };
        QTest::newRow("one trace") << QStringList{s("STORAGE"), s("--select"), s("rsi_21")} << 1
                                   << s("--select 'rsi_21' matches 1 signal trace(s) in ");
        QTest::newRow("classifiers only") << QStringList{s("STORAGE"), s("--select"), s("classifier")} << 1
                                          << s("matches 0 signal trace(s)");
        QTest::newRow("no select") << QStringList{s("STORAGE")} << 2 << s("--select FILTER is required");
        QTest::newRow("range") << QStringList{s("STORAGE"), s("--select"), s("rsi"), s("--from"), s("9"), s("--to"), s("3")} << 2
                               << s("--to (3) must be after --from (9)");
        QTest::newRow("bar") << QStringList{s("STORAGE"), s("--select"), s("rsi"), s("--to"), s("x")} << 2
                             << s("--to wants a bar index (0 or more), not 'x'");
        QTest::newRow("missing folder") << QStringList{s("ABSENT"), s("--select"), s("rsi")} << 1 << s("absent");
    }
    void failures()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        arguments.replaceInStrings(QStringLiteral("STORAGE"), m_storage);
        arguments.replaceInStrings(QStringLiteral("ABSENT"), m_dir.filePath(QStringLiteral("absent")));
        const auto run = compare(arguments);
        QVERIFY2(run.exitCode == exitCode, describe(run).constData());
        QVERIFY2(run.err.contains(message), describe(run).constData());
        QCOMPARE(run.out, QString());
    }

private:
    QTemporaryDir m_dir;
    QString m_storage;
};

QTEST_GUILESS_MAIN(TestCompareCli)
#include "tst_compare_cli.moc"
