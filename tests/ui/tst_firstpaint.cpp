// `sigscope DIR --quit-after-first-paint`, the benchmarking option of bench/gui_open.cpp, as the
// benchmark runs it: the real binary, offscreen, on a written storage and on an empty one. It
// prints one line at the first paint of the tree after the storage opened and exits 0.
#include "tests/support/testsupport.h"
#include "tests/ui/uitestdata.h"

#include <QDir>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace sigscope;

class TestFirstPaint : public QObject
{
    Q_OBJECT

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
        // The open records the last storage in the settings: keep them in the test's folder.
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("config")));
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

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        test::writeSampleStorage(m_dir.filePath(QStringLiteral("storage")).toStdString());
        QVERIFY(QDir(m_dir.path()).mkdir(QStringLiteral("empty")));
    }

    void firstPaint_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<int>("traces");
        QTest::newRow("populated") << QStringLiteral("storage") << static_cast<int>(test::sampleTraces().size());
        QTest::newRow("empty") << QStringLiteral("empty") << 0;
    }

    void firstPaint()
    {
        QFETCH(QString, folder);
        QFETCH(int, traces);
        const Run run = runSigscope({m_dir.filePath(folder), QStringLiteral("--quit-after-first-paint")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        static const QRegularExpression line(QStringLiteral("^first-paint cpu_ms=(\\d+\\.\\d) traces=(\\d+)\\n$"));
        const auto match = line.match(run.out);
        QVERIFY2(match.hasMatch(), qPrintable(run.out));
        QVERIFY(match.captured(1).toDouble() > 0);
        QCOMPARE(match.captured(2).toInt(), traces);
    }

    void failures_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("no folder") << QStringList{QStringLiteral("--quit-after-first-paint")} << 2
                                   << QStringLiteral("sigscope: --quit-after-first-paint needs a storage folder and no --screenshot");
        QTest::newRow("with screenshot") << QStringList{QStringLiteral("@storage"), QStringLiteral("--quit-after-first-paint"),
                                                        QStringLiteral("--screenshot"), QStringLiteral("x.png")}
                                         << 2 << QStringLiteral("sigscope: --quit-after-first-paint needs a storage folder and no --screenshot");
        QTest::newRow("missing folder") << QStringList{QStringLiteral("@missing"), QStringLiteral("--quit-after-first-paint")} << 1
                                        << QStringLiteral("sigscope: cannot open ");
    }

    void failures()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        arguments.replaceInStrings(QStringLiteral("@storage"), m_dir.filePath(QStringLiteral("storage")));
        arguments.replaceInStrings(QStringLiteral("@missing"), m_dir.filePath(QStringLiteral("missing")));
        const Run run = runSigscope(arguments);
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
        QVERIFY(run.out.isEmpty());
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestFirstPaint)
#include "tst_firstpaint.moc"
