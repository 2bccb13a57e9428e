// `sigscope DIR --screenshot FILE.png [--select F] [--overview T] [--size WxH]` as a user runs it:
// the real binary, offscreen, on a written storage. Exit codes, the PNG's size, and messages
// for every way it can fail.
#include "tests/support/testsupport.h"
#include "tests/ui/uitestdata.h"

#include <QImage>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

using namespace sigscope;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run runSigscope(const QStringList& arguments)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    process.setProcessEnvironment(env);
    process.start(test::sigscopeBinary(), arguments);
    Run run;
    if (!process.waitForFinished(120000)) {
        process.kill();
        process.waitForFinished();
        run.err = QStringLiteral("timed out");
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromLocal8Bit(process.readAllStandardOutput());
    run.err = QString::fromLocal8Bit(process.readAllStandardError());
    return run;
}

} // namespace

class TestScreenshot : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void screenshots_data();
    void screenshots();
    void failures_data();
    void failures();

private:
    QTemporaryDir m_dir;
    QString m_storage;
};

void TestScreenshot::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_storage = m_dir.filePath(QStringLiteral("storage"));
    test::writeSampleStorage(m_storage.toStdString());
}

void TestScreenshot::screenshots_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QSize>("size");
    QTest::newRow("tree only") << QStringList() << QSize(1400, 900);
    QTest::newRow("lanes and bands") << QStringList{QStringLiteral("--select"), QStringLiteral("rsi 14 | regime"),
                                                    QStringLiteral("--size"), QStringLiteral("1000x700")}
                                     << QSize(1000, 700);
    QTest::newRow("overview") << QStringList{QStringLiteral("--overview"), QStringLiteral("rsi"), QStringLiteral("--size"),
                                             QStringLiteral("900x600")}
                              << QSize(900, 600);
}

void TestScreenshot::screenshots()
{
    QFETCH(QStringList, options);
    QFETCH(QSize, size);
    const QString png = m_dir.filePath(QStringLiteral("shot-%1.png").arg(QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-'))));
    const Run run = runSigscope(QStringList{m_storage, QStringLiteral("--screenshot"), png} + options);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(png), qPrintable(run.out));
    const QImage image(png);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), size);
}

void TestScreenshot::failures_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    const QString png = QStringLiteral("never-written.png");
    QTest::newRow("no folder") << QStringList{QStringLiteral("/nonexistent/storage"), QStringLiteral("--screenshot"), png}
                               << 1 << QStringLiteral("sigscope: not a folder: /nonexistent/storage");
    QTest::newRow("nothing matches") << QStringList{QStringLiteral("@storage"), QStringLiteral("--screenshot"), png,
                                                    QStringLiteral("--select"), QStringLiteral("macd")}
                                     << 1 << QStringLiteral("sigscope: no trace matches 'macd'");
    QTest::newRow("unknown type") << QStringList{QStringLiteral("@storage"), QStringLiteral("--screenshot"), png,
                                                 QStringLiteral("--overview"), QStringLiteral("macd")}
                                  << 1 << QStringLiteral("sigscope: no type 'macd' in");
    QTest::newRow("bad size") << QStringList{QStringLiteral("@storage"), QStringLiteral("--screenshot"), png,
                                             QStringLiteral("--size"), QStringLiteral("big")}
                              << 2 << QStringLiteral("sigscope: --size wants WxH, e.g. 1400x900, not 'big'");
    QTest::newRow("select without screenshot") << QStringList{QStringLiteral("@storage"), QStringLiteral("--select"), QStringLiteral("rsi")}
                                               << 2 << QStringLiteral("sigscope: --select and --overview go with --screenshot");
    QTest::newRow("screenshot without folder") << QStringList{QStringLiteral("--screenshot"), png}
                                               << 2 << QStringLiteral("sigscope: --screenshot needs a storage folder");
}

void TestScreenshot::failures()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    arguments.replaceInStrings(QStringLiteral("@storage"), m_storage);
    arguments.replaceInStrings(QStringLiteral("never-written.png"), m_dir.filePath(QStringLiteral("never-written.png")));
    const Run run = runSigscope(arguments);
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
    QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("never-written.png"))));
}

QTEST_GUILESS_MAIN(TestScreenshot)
#include "tst_screenshot.moc"
