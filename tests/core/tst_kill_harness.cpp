// SIGKILL of `sigscope demo` and `sigscope migrate` at seeded random moments (issue 11): after
// each kill `sigscope verify` finds no damage, the same command run again leaves exactly what an
// uninterrupted run leaves (index entries and data file bytes, write times aside), and no
// temporary file is left behind.
#include "tests/core/migration_testutil.h"
#include "tests/support/testsupport.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <chrono>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace sigscope::test::migration;
using sigscope::test::runSigscope;

namespace {

constexpr int kKills = 20;
constexpr std::uint32_t kSeed = 20261102;

QString q(const fs::path& p)
{
    return QString::fromStdString(p.string());
}

QStringList demoArguments(const fs::path& dir)
{
    return {QStringLiteral("demo"),   QStringLiteral("--into"), q(dir),
            QStringLiteral("--bars"), QStringLiteral("2000"),   QStringLiteral("--variants"),
            QStringLiteral("32"),     QStringLiteral("--seed"), QStringLiteral("5")};
}

QStringList migrateArguments(const fs::path& src, const fs::path& dir)
{
    return {QStringLiteral("migrate"), q(src), QStringLiteral("--into"), q(dir), QStringLiteral("--quiet")};
}

// 150 legacy tmp/ dumps of one run (L2), 20 changes each.
void writeLegacyRun(const fs::path& dir)
{
    for (int i = 0; i < 150; ++i) {
        const std::string strat = "SPY_rsi_grid_" + std::to_string(i);
        std::string changes;
        for (int k = 0; k < 20; ++k)
            changes += (k ? "," : "") + l2Change(10 + 7 * k + i % 5, "SPY", strat, std::to_string(k % 3 - 1));
        writeText(dir / ("signals_strategy_" + strat + "_20250301_120000.json"),
                  l2Dump("strategy_" + strat, 200, changes));
    }
}

// Data files below root (not indexes, storage.json, market files or temporaries).
std::size_t dataFiles(const fs::path& root)
{
    std::size_t n = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.ends_with(".json") && name != "index.json" && name != "storage.json" && !name.starts_with("."))
            ++n;
    }
    return n;
}

// Regular files below root, of any kind.
std::size_t filesBelow(const fs::path& root)
{
    std::size_t n = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
        if (it->is_regular_file(ec))
            ++n;
    return n;
}

// Names of temporary files (".<name>.tmp.<pid>.<n>") anywhere below root.
std::vector<std::string> temporaries(const fs::path& root)
{
    std::vector<std::string> out;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
        if (it->path().filename().string().find(".tmp.") != std::string::npos)
            out.push_back(it->path().lexically_relative(root).generic_string());
    return out;
}

// `sigscope verify` after a kill: clean, or its only findings are the states a write in progress
// passes through: a type folder made before its first index.json, a data file renamed into
// place before its index entry (orphan), or any finding the verifier words as "in progress".
// Any error-severity finding (damaged file, hash mismatch, broken index) is damage.
bool inProgressFinding(const QString& line)
{
    if (line.contains(QLatin1String("in progress")))
        return true;
    if (!line.startsWith(QLatin1String("warning ")))
        return false;
    return line.startsWith(QLatin1String("warning orphan-file ")) ||
           (line.startsWith(QLatin1String("warning index-error ")) &&
            line.endsWith(QLatin1String("index.json: index.json is missing (rebuild the index)")));
}

bool verifyAfterKill(const fs::path& root, QString* why, int* inProgress)
{
    if (!fs::exists(root / "storage.json"))
        return true; // killed before the storage existed: nothing to check
    const auto run = runSigscope({QStringLiteral("verify"), q(root)});
    if (run.exitCode == 0)
        return true;
    const QString text = run.out + run.err;
    const QStringList lines = text.split(u'\n', Qt::SkipEmptyParts);
    for (const QString& line : lines) {
        if (line.startsWith(q(root))) // the summary line
            continue;
        if (!inProgressFinding(line)) {
            *why = text;
            return false;
        }
        ++*inProgress;
    }
    return true;
}

// Temporary files are counted apart (temporaries()); the comparison is about the real files.
std::map<std::string, std::string> withoutTemporaries(std::map<std::string, std::string> files)
{
    std::erase_if(files, [](const auto& entry) { return entry.first.find(".tmp.") != std::string::npos; });
    return files;
}

// The first file that is missing, extra or different in `actual`; empty when both are equal.
std::string firstDifference(const std::map<std::string, std::string>& actual,
                            const std::map<std::string, std::string>& expected)
{
    for (const auto& [path, text] : expected) {
        const auto it = actual.find(path);
        if (it == actual.end())
            return path + " (missing)";
        if (it->second != text)
            return path;
    }
    for (const auto& entry : actual)
        if (!expected.contains(entry.first))
            return entry.first + " (extra)";
    return {};
}

struct KillStats
{
    int interrupted = 0; // killed while still running
    int finished = 0;    // the run had ended before its kill time
    int withData = 0;    // ... of those, the kills that left a storage with data files behind
    int temporariesAfterRerun = 0;
    int inProgressFindings = 0; // findings of a write in progress that verify reported after the kills
    QString failure;            // the first round that broke a guarantee, and how
};

// Kills `arguments` (writing into a fresh folder per round made by makeArguments) at seeded
// random points, then checks the round. Even rounds kill after a random delay within the first
// 80% of the reference run's duration (its own time varies with the load); odd rounds once a
// random number of files (data, index or temporary) exist, so that kills also land inside a
// short write phase at the end of a run.
template <class MakeArguments>
KillStats killRounds(const fs::path& base, const std::map<std::string, std::string>& reference, qint64 referenceMs,
                     MakeArguments makeArguments)
{
    KillStats stats;
    std::mt19937 random(kSeed);
    std::uniform_int_distribution<qint64> delay(0, referenceMs * 4 / 5);
    std::uniform_int_distribution<std::size_t> fileCount(1, reference.size());
    // A round whose run ended before its kill time is no kill: rounds go on until kKills kills
    // landed while the run was writing (at most three times as many rounds, for a slow machine).
    for (int round = 0; stats.interrupted < kKills && round < kKills * 3; ++round) {
        const fs::path dest = base / ("round-" + std::to_string(round));
        const QStringList arguments = makeArguments(dest);
        const bool byFiles = round % 2 == 1;
        const qint64 killAt = delay(random);
        const std::size_t killAtFiles = fileCount(random);
        QProcess p;
        p.start(sigscope::test::sigscopeBinary(), arguments);
        if (!p.waitForStarted()) {
            stats.failure = QStringLiteral("cannot start ") + sigscope::test::sigscopeBinary();
            return stats;
        }
        bool ended = false;
        if (byFiles) {
            while (!(ended = p.waitForFinished(2)) && filesBelow(dest) < killAtFiles) {
            }
        } else {
            ended = p.waitForFinished(static_cast<int>(std::max<qint64>(killAt, 1)));
        }
        if (ended) {
            ++stats.finished;
        } else {
            p.kill(); // SIGKILL
            p.waitForFinished();
            ++stats.interrupted;
            if (dataFiles(dest) > 0)
                ++stats.withData;
        }
        QString why;
        if (!verifyAfterKill(dest, &why, &stats.inProgressFindings)) {
            stats.failure = QString::asprintf("round %d (kill after %lld ms or %zu files): verify found damage:\n%s",
                                              round, killAt, killAtFiles, qPrintable(why));
            return stats;
        }
        const auto rerun = runSigscope(arguments);
        if (rerun.exitCode != 0) {
            stats.failure =
                QString::asprintf("round %d: the rerun failed: %s", round, qPrintable(rerun.out + rerun.err));
            return stats;
        }
        if (const std::string diff = firstDifference(withoutTemporaries(storageContent(dest)), reference);
            !diff.empty()) {
            stats.failure = QString::asprintf("round %d (kill after %lld ms or %zu files): the rerun differs from an "
                                              "uninterrupted run in %s",
                                              round, killAt, killAtFiles, diff.c_str());
            return stats;
        }
        const auto verify = runSigscope({QStringLiteral("verify"), q(dest)});
        if (verify.exitCode != 0) {
            stats.failure =
                QString::asprintf("round %d: verify after the rerun: %s", round, qPrintable(verify.out + verify.err));
            return stats;
        }
        const auto left = temporaries(dest);
        if (!left.empty()) {
            ++stats.temporariesAfterRerun;
            qInfo("round %d: temporary file left after the rerun: %s", round, left.front().c_str());
        }
        fs::remove_all(dest);
    }
    return stats;
}

} // namespace

class TestKillHarness : public QObject
{
    Q_OBJECT

private slots:
    void killDemo()
    {
        QTemporaryDir tmp;
        const fs::path base = tmp.path().toStdString();
        const fs::path referenceDir = base / "reference";
        QElapsedTimer timer;
        timer.start();
        const auto ref = runSigscope(demoArguments(referenceDir));
        const qint64 referenceMs = timer.elapsed();
        QVERIFY2(ref.exitCode == 0, qPrintable(ref.out + ref.err));
        const auto reference = storageContent(referenceDir);
        QVERIFY(reference.size() > 30);

        const KillStats stats = killRounds(base, reference, referenceMs, demoArguments);
        QVERIFY2(stats.failure.isEmpty(), qPrintable(stats.failure));
        qInfo("demo: %d kills while running (%d with data files written), %d runs finished before their kill "
              "(reference run %lld ms); %d in-progress findings after the kills",
              stats.interrupted, stats.withData, stats.finished, referenceMs, stats.inProgressFindings);
        QVERIFY2(stats.interrupted == kKills, "every kill must land while the demo is writing");
        QCOMPARE(stats.temporariesAfterRerun, 0);
    }

    void killMigrate()
    {
        QTemporaryDir tmp;
        const fs::path base = tmp.path().toStdString();
        const fs::path src = base / "src/workspaces/tmp/20250301_120000";
        writeLegacyRun(src);
        const fs::path referenceDir = base / "reference";
        QElapsedTimer timer;
        timer.start();
        const auto ref = runSigscope(migrateArguments(src, referenceDir));
        const qint64 referenceMs = timer.elapsed();
        QVERIFY2(ref.exitCode == 0, qPrintable(ref.out + ref.err));
        const auto reference = storageContent(referenceDir);
        QVERIFY(reference.size() > 150);

        const KillStats stats = killRounds(base, reference, referenceMs,
                                           [&src](const fs::path& dest) { return migrateArguments(src, dest); });
        QVERIFY2(stats.failure.isEmpty(), qPrintable(stats.failure));
        qInfo("migrate: %d kills while running (%d with data files written), %d runs finished before their kill "
              "(reference run %lld ms); %d in-progress findings after the kills",
              stats.interrupted, stats.withData, stats.finished, referenceMs, stats.inProgressFindings);
        QVERIFY2(stats.interrupted == kKills, "every kill must land while the migration is writing");
        QCOMPARE(stats.temporariesAfterRerun, 0);
    }
};

QTEST_GUILESS_MAIN(TestKillHarness)
#include "tst_kill_harness.moc"
