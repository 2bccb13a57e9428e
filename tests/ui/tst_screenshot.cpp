// `sigscope DIR --screenshot FILE.png [--select F] [--overview T] [--size WxH]` as a user runs it:
// the real binary, offscreen, on a written storage. Exit codes, the PNG's size, and messages
// for every way it can fail. Also `sigscope DIR --quit-after-first-paint`, the benchmarking
// option of bench/gui_open.cpp, as the benchmark runs it, on a written and on an empty storage:
// one line at the first paint of the tree after the storage opened, exit 0.
#include "tests/support/testsupport.h"
#include "tests/ui/uitestdata.h"

#include <QDir>
#include <QImage>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
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

Run runSigscope(const QStringList& arguments, const QString& configHome)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    // An open records the last storage in the settings: keep them in the test's folder.
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), configHome);
    process.setProcessEnvironment(env);
    process.start(test::sigscopeBinary(), arguments);
    Run result;
    if (!process.waitForFinished(120000)) {
        process.kill();
        process.waitForFinished();
        result.err = QStringLiteral("timed out");
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromLocal8Bit(process.readAllStandardOutput());
    result.err = QString::fromLocal8Bit(process.readAllStandardError());
    return result;
}

} // namespace

class TestScreenshot : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void screenshots_data();
    void screenshots();
    void firstPaint_data();
    void firstPaint();
    void failures_data();
    void failures();

private:
    Run run(const QStringList& arguments) const { return runSigscope(arguments, m_dir.filePath(QStringLiteral("config"))); }

    QTemporaryDir m_dir;
    QString m_storage;
};

void TestScreenshot::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_storage = m_dir.filePath(QStringLiteral("storage"));
    test::writeSampleStorage(m_storage.toStdString());
    QVERIFY(QDir(m_dir.path()).mkdir(QStringLiteral("empty")));
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
    const Run result = run(QStringList{m_storage, QStringLiteral("--screenshot"), png} + options);
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QVERIFY2(result.out.contains(png), qPrintable(result.out));
    const QImage image(png);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), size);
}

void TestScreenshot::firstPaint_data()
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<int>("traces");
    QTest::newRow("populated") << QStringLiteral("storage") << static_cast<int>(test::sampleTraces().size());
    QTest::newRow("empty") << QStringLiteral("empty") << 0;
}

void TestScreenshot::firstPaint()
{
    QFETCH(QString, folder);
    QFETCH(int, traces);
    const Run result = run({m_dir.filePath(folder), QStringLiteral("--quit-after-first-paint")});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    static const QRegularExpression line(QStringLiteral("^first-paint cpu_ms=(\\d+\\.\\d) traces=(\\d+)\\n$"));
    const auto match = line.match(result.out);
    QVERIFY2(match.hasMatch(), qPrintable(result.out));
    QVERIFY(match.captured(1).toDouble() > 0);
    QCOMPARE(match.captured(2).toInt(), traces);
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
    const QString firstPaintUsage = QStringLiteral("sigscope: --quit-after-first-paint needs a storage folder and no --screenshot");
    QTest::newRow("first paint without folder") << QStringList{QStringLiteral("--quit-after-first-paint")} << 2 << firstPaintUsage;
    QTest::newRow("first paint with screenshot") << QStringList{QStringLiteral("@storage"), QStringLiteral("--quit-after-first-paint"),
                                                                QStringLiteral("--screenshot"), png}
                                                 << 2 << firstPaintUsage;
    QTest::newRow("first paint of a missing folder") << QStringList{QStringLiteral("@missing"), QStringLiteral("--quit-after-first-paint")}
                                                     << 1 << QStringLiteral("sigscope: cannot open ");
}

void TestScreenshot::failures()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    arguments.replaceInStrings(QStringLiteral("@storage"), m_storage);
    arguments.replaceInStrings(QStringLiteral("@missing"), m_dir.filePath(QStringLiteral("missing")));
    arguments.replaceInStrings(QStringLiteral("never-written.png"), m_dir.filePath(QStringLiteral("never-written.png")));
    const Run result = run(arguments);
    QCOMPARE(result.exitCode, exitCode);
    QVERIFY2(result.err.contains(message), qPrintable(result.err));
    QVERIFY(result.out.isEmpty());
    QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("never-written.png"))));
}

QTEST_GUILESS_MAIN(TestScreenshot)
#include "tst_screenshot.moc"
