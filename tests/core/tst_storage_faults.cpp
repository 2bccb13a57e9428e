// Storage writes under faults (issue 11): eight writer processes at once while a reader polls
// the indexes, and a write that runs out of disk space on a small tmpfs.
#include "core/storage/storage.h"
#include "core/storage/traceio.h"
#include "core/storage/writer.h"
#include "tests/support/testsupport.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>
#include <cerrno>
#include <cstring>
#include <map>
#include <sched.h>
#include <set>
#include <string>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace sigscope::core;
namespace fs = std::filesystem;

namespace {

Trace numbered(const std::string& name, const std::string& type, int n, int changes = 2)
{
    TraceIdentity id;
    id.kind = Kind::Signal;
    id.name = name;
    id.parameters = Parameters{{"period", std::int64_t{n}}};
    id.symbol = "SPY";
    id.timeframe = "1m";
    Trace t(id, type);
    t.metadata.totalBars = 10 * changes + 100;
    t.metadata.createdAt = "2026-01-05T14:03:11.120000Z";
    for (int k = 0; k < changes; ++k)
        t.appendSignal(5 * k + n % 3, "2024-03-26T13:30:00+00:00", k % 2 ? -1 : 1, 500.25 + k);
    return t;
}

// Writer process p: 0-3 share the type folder "momentum", 4-7 each have their own; the even
// ones write trace by trace, the odd ones in batches of 10.
std::string writerType(int p)
{
    return p < 4 ? std::string("momentum") : "breakout_w" + std::to_string(p);
}

} // namespace

class TestStorageFaults : public QObject
{
    Q_OBJECT

private slots:
    void eightWritersAndAPollingReader()
    {
        QTemporaryDir tmp;
        const fs::path root = fs::path(tmp.path().toStdString()) / "storage";
        constexpr int kProcesses = 8, kPerProcess = 120;
        StorageWriter(root).write(numbered("seed", "momentum", 0)); // storage.json exists before the race

        std::vector<pid_t> children;
        for (int p = 0; p < kProcesses; ++p) {
            const pid_t pid = ::fork();
            QVERIFY(pid >= 0);
            if (pid == 0) {
                int code = 0;
                try {
                    StorageWriter writer(root);
                    const std::string name = "writer" + std::to_string(p);
                    std::vector<Trace> batch;
                    for (int i = 0; i < kPerProcess; ++i) {
                        Trace t = numbered(name, writerType(p), i);
                        if (p % 2 == 0) {
                            writer.write(t);
                            continue;
                        }
                        batch.push_back(std::move(t));
                        if (batch.size() == 10) {
                            writer.writeBatch(batch);
                            batch.clear();
                        }
                    }
                } catch (...) {
                    code = 1;
                }
                ::_exit(code);
            }
            children.push_back(pid);
        }

        // The reader: opens the storage and every index again and again while they write. An
        // index is always whole (never a parse error), only grows, and lists only files that exist.
        std::map<std::string, std::size_t> seen;
        int polls = 0;
        std::string damage;
        auto running = [&children] {
            for (const pid_t pid : children) {
                siginfo_t info{};
                if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
                    info.si_pid == 0)
                    return true; // not ended yet (WNOWAIT: reaped below)
            }
            return false;
        };
        while (damage.empty() && running()) {
            ++polls;
            try {
                const Storage s = Storage::open(root);
                for (const auto& type : s.types(Kind::Signal)) {
                    std::vector<Finding> findings;
                    const TypeIndex ti = s.readIndex(Kind::Signal, type, &findings);
                    // A type folder that a writer has just made has no index.json until its
                    // first trace is committed; once there, an index never goes missing.
                    const bool notYetIndexed = findings.size() == 1 && seen[type] == 0 &&
                                               findings.front().severity == Finding::Severity::Warning &&
                                               findings.front().message == "index.json is missing (rebuild the index)";
                    if (!findings.empty() && !notYetIndexed) {
                        damage = type + ": " + findings.front().message;
                        break;
                    }
                    if (ti.entries.size() < seen[type]) {
                        damage = type + ": the index lost entries";
                        break;
                    }
                    seen[type] = ti.entries.size();
                    for (const auto& e : ti.entries)
                        if (!fs::exists(s.absolutePath(e)))
                            damage = type + ": an entry without its file: " + e.filePath;
                }
            } catch (const std::exception& e) {
                damage = e.what();
            }
        }
        for (const pid_t pid : children) {
            int status = 0;
            QCOMPARE(::waitpid(pid, &status, 0), pid);
            QVERIFY(WIFEXITED(status));
            QCOMPARE(WEXITSTATUS(status), 0);
        }
        QVERIFY2(damage.empty(), damage.c_str());
        qInfo("the reader opened the storage %d times while 8 processes wrote", polls);
        QVERIFY(polls >= 5);

        const Storage s = Storage::open(root);
        std::vector<std::string> expectedTypes;
        for (int p = 4; p < kProcesses; ++p)
            expectedTypes.push_back(writerType(p));
        expectedTypes.push_back("momentum"); // types come in byte order
        QCOMPARE(s.types(Kind::Signal), expectedTypes);
        std::set<std::string> names;
        std::size_t entries = 0;
        for (const auto& type : expectedTypes) {
            std::vector<Finding> findings;
            const TypeIndex ti = s.readIndex(Kind::Signal, type, &findings);
            QVERIFY(findings.empty());
            entries += ti.entries.size();
            for (const auto& e : ti.entries) {
                const Trace t = loadTrace(s.absolutePath(e));
                QCOMPARE(t.identity, e.identity());
                QCOMPARE(t.size(), std::size_t(2));
                names.insert(e.name + "/" + canonicalText(*e.parameters.find("period")));
            }
        }
        QCOMPARE(entries, std::size_t(kProcesses * kPerProcess + 1));
        QCOMPARE(names.size(), std::size_t(kProcesses * kPerProcess + 1));
        QCOMPARE(runSigscopeVerify(root), 0);
    }

    // A 2 MB tmpfs (in a private mount namespace of this test process): versions of growing
    // size are written until the disk is full. The failing write throws an error naming its
    // file; every trace then holds its old or its new version, and its index entry matches it.
    void diskFullKeepsOldOrNewVersion()
    {
        QTemporaryDir tmp;
        const fs::path mountPoint = fs::path(tmp.path().toStdString()) / "small";
        fs::create_directories(mountPoint);
        if (::unshare(CLONE_NEWNS) != 0)
            QSKIP(qPrintable(QStringLiteral("cannot make a private mount namespace (unshare: %1); the disk-full test "
                                            "needs root or CAP_SYS_ADMIN")
                                 .arg(QString::fromUtf8(std::strerror(errno)))));
        if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
            ::mount("tmpfs", mountPoint.c_str(), "tmpfs", 0, "size=2m") != 0)
            QSKIP(qPrintable(QStringLiteral("cannot mount a 2 MB tmpfs (%1); the disk-full test needs to mount one")
                                 .arg(QString::fromUtf8(std::strerror(errno)))));
        struct Unmount
        {
            fs::path path;
            ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
        } unmount{mountPoint};

        const fs::path root = mountPoint / "storage";
        constexpr int kTraces = 12;
        StorageWriter writer(root);
        std::map<std::string, std::vector<std::string>> versions; // file path -> texts written so far
        for (int i = 0; i < kTraces; ++i) {
            const Trace t = numbered("sized", "momentum", i);
            const auto r = writer.write(t);
            versions[r.filePath].push_back(sigscope::test::readFile(root / r.filePath));
        }

        // New versions, 4,000 changes each (~300 KB of text): the disk fills up after a few.
        std::string error;
        fs::path errorPath;
        int written = 0;
        for (int i = 0; i < kTraces && error.empty(); ++i) {
            const Trace t = numbered("sized", "momentum", i, 4000);
            try {
                const auto r = writer.write(t);
                versions[r.filePath].push_back(sigscope::test::readFile(root / r.filePath));
                ++written;
            } catch (const StorageError& e) {
                error = e.what();
                errorPath = e.path();
            }
        }
        QVERIFY2(!error.empty(), "the 2 MB disk never filled up");
        qInfo("disk full after %d of %d new versions: %s", written, kTraces, error.c_str());
        QVERIFY(written >= 1);
        // The message names the file that could not be written and says why.
        QVERIFY2(error.starts_with(errorPath.string() + ": "), error.c_str());
        QVERIFY2(errorPath.string().starts_with((root / "signals/momentum").string()), error.c_str());
        QVERIFY2(error.find(std::strerror(ENOSPC)) != std::string::npos, error.c_str());

        // Every data file holds one complete version: the old one or the one written after it.
        const Storage s = Storage::open(root);
        std::vector<Finding> findings;
        const TypeIndex ti = s.readIndex(Kind::Signal, "momentum", &findings);
        QVERIFY(findings.empty());
        QCOMPARE(ti.entries.size(), std::size_t(kTraces));
        for (const auto& e : ti.entries) {
            const auto it = versions.find(e.filePath);
            QVERIFY2(it != versions.end(), e.filePath.c_str());
            const std::string text = sigscope::test::readFile(root / e.filePath);
            QVERIFY2(text == it->second.front() || text == it->second.back(), e.filePath.c_str());
            // The index entry describes the version on disk.
            QCOMPARE(e.totalItems, std::int64_t(loadTrace(root / e.filePath).size()));
        }
        for (const auto& entry : fs::directory_iterator(root / "signals/momentum"))
            QVERIFY2(entry.path().filename().string().find(".tmp.") == std::string::npos, entry.path().c_str());
    }

private:
    static int runSigscopeVerify(const fs::path& root)
    {
        const auto run = sigscope::test::runSigscope({QStringLiteral("verify"), QString::fromStdString(root.string())});
        if (run.exitCode != 0)
            qWarning("%s", qPrintable(run.out + run.err));
        return run.exitCode;
    }
};

QTEST_GUILESS_MAIN(TestStorageFaults)
#include "tst_storage_faults.moc"
