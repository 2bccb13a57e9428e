// Replays every input kept in tests/data/fuzz/<target>/ (crashes found by scripts/fuzz and
// hand-made hostile inputs) through the entry points the fuzz targets drive
// (fuzz/entrypoints.h). Each input runs in a forked child, so that a crash fails one row
// instead of the whole suite: the reader must succeed or report one of its documented errors.
// A sidecar <input>.expect pins the outcome where it is stable: "ok" or "error <message prefix>".
#include "fuzz/entrypoints.h"
#include "tests/support/testsupport.h"

#include <QTest>
#include <algorithm>
#include <csignal>
#include <filesystem>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct ChildResult
{
    bool crashed = false;
    std::string status; // how the child ended when it crashed
    std::string report; // "ok", "error <message>" or "exception <what>"
};

// Runs the entry point in a child process; its outcome comes back through a pipe.
ChildResult runInChild(const sigscope::fuzz::Target& target, const std::string& bytes)
{
    int fds[2];
    if (::pipe(fds) != 0)
        qFatal("pipe failed");
    const pid_t pid = ::fork();
    if (pid < 0)
        qFatal("fork failed");
    if (pid == 0) {
        ::close(fds[0]);
        // Die of the crash itself: Qt Test's handler would print a debugger backtrace of a stack
        // overflow (tens of thousands of frames).
        for (const int sig : {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL})
            std::signal(sig, SIG_DFL);
        std::string report;
        int code = 0;
        try {
            const auto outcome = target.run(bytes);
            report = outcome.ok ? "ok" : "error " + outcome.error;
        } catch (const std::exception& e) {
            report = std::string("exception ") + e.what();
            code = 3;
        }
        std::string_view rest = report;
        while (!rest.empty()) {
            const ssize_t n = ::write(fds[1], rest.data(), rest.size());
            if (n <= 0)
                break;
            rest.remove_prefix(static_cast<std::size_t>(n));
        }
        ::_exit(code);
    }
    ::close(fds[1]);
    ChildResult result;
    char buffer[4096];
    for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;)
        result.report.append(buffer, static_cast<std::size_t>(n));
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFSIGNALED(status)) {
        result.crashed = true;
        result.status = "killed by signal " + std::to_string(WTERMSIG(status));
    } else if (WIFEXITED(status) && WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 3) {
        result.crashed = true; // a sanitizer reports and exits non-zero
        result.status = "exit code " + std::to_string(WEXITSTATUS(status));
    }
    return result;
}

const sigscope::fuzz::Target* targetNamed(std::string_view name)
{
    for (const auto& t : sigscope::fuzz::kTargets)
        if (t.name == name)
            return &t;
    return nullptr;
}

fs::path dataRoot()
{
    return fs::path(SIGSCOPE_TEST_DATA) / "fuzz";
}

} // namespace

class TestFuzzReplay : public QObject
{
    Q_OBJECT

private slots:
    // Every folder of tests/data/fuzz/ is one of the fuzz targets, and each has inputs.
    void foldersAreTargets()
    {
        QVERIFY2(fs::is_directory(dataRoot()), dataRoot().c_str());
        std::vector<std::string> folders;
        for (const auto& e : fs::directory_iterator(dataRoot()))
            if (e.is_directory())
                folders.push_back(e.path().filename().string());
        std::sort(folders.begin(), folders.end());
        QCOMPARE(folders, (std::vector<std::string>{"canonical", "index", "legacy", "trace", "trace_config"}));
        for (const auto& folder : folders) {
            QVERIFY2(targetNamed(folder), folder.c_str());
            QVERIFY2(!fs::is_empty(dataRoot() / folder), folder.c_str());
        }
    }

    void replay_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("file");
        std::vector<fs::path> inputs;
        for (const auto& e : fs::recursive_directory_iterator(dataRoot()))
            if (e.is_regular_file() && e.path().extension() != ".expect")
                inputs.push_back(e.path());
        std::sort(inputs.begin(), inputs.end());
        for (const auto& p : inputs) {
            const QString target = QString::fromStdString(p.parent_path().filename().string());
            const QString file = QString::fromStdString(p.filename().string());
            QTest::newRow(qPrintable(target + u'/' + file)) << target << file;
        }
    }
    void replay()
    {
        QFETCH(QString, target);
        QFETCH(QString, file);
        const auto* entry = targetNamed(target.toStdString());
        QVERIFY2(entry, qPrintable(target));
        const fs::path input = dataRoot() / target.toStdString() / file.toStdString();
        const ChildResult result = runInChild(*entry, sigscope::test::readFile(input));
        if (result.crashed)
            QFAIL(qPrintable(QStringLiteral("crashed: %1").arg(QString::fromStdString(result.status))));
        qInfo("%s", result.report.substr(0, 300).c_str());
        QVERIFY2(!result.report.starts_with("exception "), result.report.c_str());
        QVERIFY2(result.report == "ok" || result.report.starts_with("error "), result.report.c_str());

        fs::path expectFile = input;
        expectFile += ".expect";
        if (!fs::exists(expectFile))
            return;
        std::string expected = sigscope::test::readFile(expectFile);
        while (!expected.empty() && (expected.back() == '\n' || expected.back() == '\r'))
            expected.pop_back();
        if (expected == "ok")
            QCOMPARE(QString::fromStdString(result.report), QStringLiteral("ok"));
        else
            QVERIFY2(result.report.starts_with(expected),
                     qPrintable(QStringLiteral("expected \"%1...\", got \"%2\"")
                                    .arg(QString::fromStdString(expected), QString::fromStdString(result.report))));
    }
};

QTEST_GUILESS_MAIN(TestFuzzReplay)
#include "tst_fuzz_replay.moc"
