// `sigscope migrate SRC... --into DEST`: legacy dumps into a version-1 storage (issue 3).
// Exit status: 0 every source migrated, unchanged, a duplicate or a kept conflict; 3 some source
// unrecognised or failed; 2 usage error; 1 fatal (destination unusable) or interrupted (Ctrl+C).
#include "app/cli/command.h"

#include "core/migration/migration.h"
#include "core/storage/storage.h"
#include "core/storage/storageconvert.h"
#include "core/storage/writer.h"

#include <QCommandLineParser>
#include <QFileInfo>

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <utility>

namespace sigscope::cli {

namespace {

namespace mig = core::migration;

QString text(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

QString megabytes(std::uint64_t bytes)
{
    return QString::number(double(bytes) / 1e6, 'f', 1) + QStringLiteral(" MB");
}

QString rate(std::uint64_t bytes, double seconds)
{
    return QString::number(seconds > 0 ? double(bytes) / 1e6 / seconds : 0.0, 'f', 1) + QStringLiteral(" MB/s");
}

QString traceLine(const mig::TraceOutcome& t)
{
    QString line = QStringLiteral("    -> %1 %2").arg(text(core::kindName(t.kind)), QString::fromStdString(t.name));
    if (t.symbol)
        line += QLatin1Char(' ') + QString::fromStdString(*t.symbol);
    if (t.run)
        line += QStringLiteral(" run ") + QString::fromStdString(*t.run);
    if (t.variant)
        line += QStringLiteral(" variant ") + QString::number(*t.variant);
    line += QStringLiteral(" (%1 changes) -> %2: %3").arg(t.changes).arg(QString::fromStdString(t.filePath), text(mig::statusName(t.status)));
    if (t.repeatsDropped)
        line += QStringLiteral(", normalised: %1 repeated values dropped").arg(t.repeatsDropped);
    if (!t.duplicateOf.empty())
        line += QStringLiteral(" of ") + QString::fromStdString(t.duplicateOf);
    if (!t.reason.empty())
        line += QStringLiteral(": ") + QString::fromStdString(t.reason);
    return line + QLatin1Char('\n');
}

QString fileLine(const mig::FileOutcome& f)
{
    QString line = QStringLiteral("%1 %2").arg(text(mig::statusName(f.status)), -12).arg(QString::fromStdString(f.path));
    const auto variant = mig::variantName(f.variant);
    if (!variant.empty())
        line += QStringLiteral(" [") + text(variant) + QLatin1Char(']');
    if (!f.reason.empty())
        line += QStringLiteral(": ") + QString::fromStdString(f.reason);
    return line + QLatin1Char('\n');
}

QString summary(const mig::MigrationReport& r)
{
    const auto& t = r.totals;
    QString out = QStringLiteral("\nMigration into %1%2\n")
                      .arg(QString::fromStdString(r.destination), r.dryRun ? QStringLiteral(" (dry run: nothing written)") : QString());
    auto row = [&out](const QString& label, std::uint64_t value) {
        out += QStringLiteral("  %1 %2\n").arg(label, -16).arg(value, 8);
    };
    row(QStringLiteral("files seen"), t.filesSeen);
    row(QStringLiteral("migrated"), t.migrated);
    row(QStringLiteral("unchanged"), t.unchanged);
    row(QStringLiteral("duplicates"), t.duplicates);
    row(QStringLiteral("conflicts"), t.conflicts);
    row(QStringLiteral("unrecognised"), t.unrecognised);
    if (t.skipped)
        row(QStringLiteral("skipped"), t.skipped);
    row(QStringLiteral("failed"), t.failed);
    if (t.cancelled)
        row(QStringLiteral("cancelled"), t.cancelled);
    row(r.dryRun ? QStringLiteral("traces to write") : QStringLiteral("traces written"), t.tracesWritten);
    row(QStringLiteral("changes read"), t.changesRead);
    row(r.dryRun ? QStringLiteral("changes to write") : QStringLiteral("changes written"), t.changesWritten);
    if (t.changesNormalised)
        row(QStringLiteral("repeats dropped"), t.changesNormalised);
    out += QStringLiteral("  %1 in %2 s (%3)\n")
               .arg(megabytes(t.bytes), QString::number(r.seconds, 'f', 2), rate(t.bytes, r.seconds));
    return out;
}

// "\r  412/963 files  37.2 MB/s  1,204 traces" on stderr, at most ten times a second.
class ProgressLine
{
public:
    explicit ProgressLine(bool enabled)
        : m_enabled(enabled)
        , m_start(std::chrono::steady_clock::now())
    {
    }
    bool update(const core::Progress& p)
    {
        if (!m_enabled)
            return true;
        const auto now = std::chrono::steady_clock::now();
        if (p.done != p.total && now - m_last < std::chrono::milliseconds(100))
            return true;
        m_last = now;
        const double seconds = std::chrono::duration<double>(now - m_start).count();
        const QString line = QStringLiteral("\r  %1/%2 files  %3 of %4  %5  %6 traces   ")
                                 .arg(p.done)
                                 .arg(p.total)
                                 .arg(megabytes(p.bytesDone), megabytes(p.bytesTotal), rate(p.bytesDone, seconds))
                                 .arg(p.itemsDone);
        std::fputs(line.toUtf8().constData(), stderr);
        std::fflush(stderr);
        m_shown = true;
        return true;
    }
    void finish()
    {
        if (m_shown) {
            std::fputs("\n", stderr);
            std::fflush(stderr);
        }
    }

private:
    bool m_enabled;
    bool m_shown = false;
    std::chrono::steady_clock::time_point m_start;
    std::chrono::steady_clock::time_point m_last{};
};

// The per-file lines: the whole plan for a dry run, else the files with a problem and the traces
// that lost repeated values on the way in (nothing when quiet).
QString fileLines(const mig::MigrationReport& result, bool dryRun, bool quiet)
{
    QString out;
    for (const auto& f : result.files) {
        const bool problem = f.status == mig::Status::Failed || f.status == mig::Status::Unrecognised
            || f.status == mig::Status::Conflict || f.status == mig::Status::Skipped;
        if (dryRun) {
            out += fileLine(f);
            for (const auto& t : f.traces)
                out += traceLine(t);
        } else if (problem && !quiet) {
            out += fileLine(f);
        } else if (!quiet) {
            bool shown = false;
            for (const auto& t : f.traces) {
                if (t.repeatsDropped == 0)
                    continue;
                if (!std::exchange(shown, true))
                    out += fileLine(f);
                out += traceLine(t);
            }
        }
    }
    return out;
}

// Ctrl+C (or SIGTERM) asks the migration to stop: the files in flight are finished, the summary and
// the report say what was done, and the same command run again finishes the job. The handler is
// reset on the first signal, so a second Ctrl+C ends the process at once (safe too: only complete
// traces are ever renamed into place).
std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void onInterrupt(int signalNumber)
{
    g_interrupted.store(true);
    ::signal(signalNumber, SIG_DFL);
}

class InterruptHandler
{
public:
    InterruptHandler()
    {
        g_interrupted.store(false);
        struct sigaction action = {};
        action.sa_handler = onInterrupt;
        sigemptyset(&action.sa_mask);
        ::sigaction(SIGINT, &action, &m_oldInt);
        ::sigaction(SIGTERM, &action, &m_oldTerm);
    }
    ~InterruptHandler()
    {
        ::sigaction(SIGINT, &m_oldInt, nullptr);
        ::sigaction(SIGTERM, &m_oldTerm, nullptr);
    }
    InterruptHandler(const InterruptHandler&) = delete;
    InterruptHandler& operator=(const InterruptHandler&) = delete;

private:
    struct sigaction m_oldInt = {};
    struct sigaction m_oldTerm = {};
};

} // namespace

int runMigrate(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Migrates legacy signal dumps (workspaces/<workflow>/<run>/signals_*.json, older sparse dumps, version-0 "
        "storage folders, JSON-lines logs, minimal dictionaries and lists, Parquet workspaces of the Python system) "
        "into a version-1 storage (--format parquet: version 2). Sources are only read. Every file seen is reported as migrated, unchanged, "
        "duplicate, conflict (kept as the next variant), skipped (not a trace by design: a workspace's "
        "metadata.json, a file that is not .json, .jsonl or .parquet), unrecognised or failed.\n\nExit status: 0 every source migrated, unchanged, a duplicate or a "
        "kept conflict; 3 some sources unrecognised or failed; 2 usage error; 1 fatal error or interrupted.\n\n"
        "Ctrl+C stops after the files being read are written; run the same command again to finish."));
    parser.addPositionalArgument(QStringLiteral("SRC"), QStringLiteral("Legacy files or folders (searched recursively)."),
                                 QStringLiteral("SRC..."));
    const QCommandLineOption into(QStringLiteral("into"), QStringLiteral("The storage folder to write (created when missing)."),
                                  QStringLiteral("DEST"));
    const QCommandLineOption dryRun(QStringLiteral("dry-run"),
                                    QStringLiteral("Print the plan (source -> trace -> destination -> outcome); write nothing."));
    const QCommandLineOption report(QStringLiteral("report"), QStringLiteral("Write the JSON report to FILE."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption jobs(QStringLiteral("jobs"), QStringLiteral("Files read in parallel (default: one per core)."),
                                  QStringLiteral("N"));
    const QCommandLineOption quiet(QStringLiteral("quiet"), QStringLiteral("No progress line and no summary."));
    const QCommandLineOption format(QStringLiteral("format"),
                                    QStringLiteral("Storage format: json (version 1, the default) or parquet (version 2; "
                                                   "the traces are migrated into a hidden version-1 folder inside DEST, "
                                                   "then added to DEST as new Parquet parts)."),
                                    QStringLiteral("FORMAT"), QStringLiteral("json"));
    const QCommandLineOption config(
        QStringList{QStringLiteral("config")},
        QStringLiteral("Upstream YAML config (repeatable) that named a Parquet workspace's grid traces: a workspace "
                       "whose every grid name a config generates gets each trace's parameters from it; else they stay "
                       "{} with a note naming the first name it does not generate."),
        QStringLiteral("FILE.yaml"));
    parser.addOptions({into, dryRun, report, jobs, quiet, format, config});
    if (const auto code = parseCommandLine(parser, arguments, 1, 1 << 20))
        return *code;
    if (!parser.isSet(into))
        return usageError(arguments, QStringLiteral("missing --into DEST"));
    const auto storageFormat = core::storageFormatFromName(parser.value(format).toStdString());
    if (!storageFormat)
        return usageError(arguments, QStringLiteral("--format must be json or parquet, not '%1'").arg(parser.value(format)));
    mig::MigrationOptions options;
    options.dryRun = parser.isSet(dryRun);
    const bool parquet = *storageFormat == core::StorageFormat::Parquet && !options.dryRun;
    if (parser.isSet(jobs)) {
        bool ok = false;
        const int n = parser.value(jobs).toInt(&ok);
        if (!ok || n < 1 || n > 256)
            return usageError(arguments, QStringLiteral("--jobs needs a number from 1 to 256"));
        options.jobs = unsigned(n);
    }
    options.createdBy = "sigscope " SIGSCOPE_VERSION;
    for (const QString& file : parser.values(config)) {
        if (!QFileInfo(file).isFile())
            return usageError(arguments, QStringLiteral("--config %1: no such file").arg(file));
        options.gridConfigs.push_back(toPath(file));
    }
    std::vector<std::filesystem::path> sources;
    for (const QString& source : parser.positionalArguments()) {
        if (!QFileInfo::exists(source))
            return usageError(arguments, QStringLiteral("%1: no such file or folder").arg(source));
        sources.push_back(toPath(source));
    }
    const bool isQuiet = parser.isSet(quiet);

    ProgressLine line(!isQuiet && ::isatty(STDERR_FILENO));
    mig::MigrationReport result;
    core::CopyResult stored;
    try {
        const InterruptHandler interrupts;
        const std::filesystem::path dest = toPath(parser.value(into));
        const std::filesystem::path target = parquet ? core::makeStagingFolder(dest) : dest;
        result = mig::migrate(sources, target, options,
                              [&line](const core::Progress& p) { return line.update(p) && !g_interrupted.load(); });
        if (parquet) {
            stored = core::moveStagingIntoParquet(target, dest);
            result.destination = dest.string();
        }
    } catch (const std::exception& e) {
        line.finish();
        printError(QString::fromUtf8(e.what()));
        return kExitFailure;
    }
    line.finish();
    if (result.cancelled)
        printError(QStringLiteral("interrupted after %1 of %2 files: what was read is written completely; run the same "
                                  "command again to finish")
                       .arg(result.totals.filesSeen - result.totals.cancelled)
                       .arg(result.totals.filesSeen));

    QString out = fileLines(result, options.dryRun, isQuiet);
    if (!isQuiet) {
        for (const auto& n : result.notes)
            out += findingLine(n) + QLatin1Char('\n');
    }
    if (!isQuiet || options.dryRun)
        out += summary(result);
    if (parquet && !isQuiet)
        out += QStringLiteral("  stored as version 2 (Parquet): %1 traces, %2 changes in %3 new part files; "
                              "%4 traces already present (unchanged, not written again)\n")
                   .arg(stored.traces)
                   .arg(stored.changes)
                   .arg(stored.filesWritten)
                   .arg(stored.alreadyPresent);
    printOut(out);
    if (isQuiet) {
        for (const auto& f : result.files)
            if (f.status == mig::Status::Failed || f.status == mig::Status::Unrecognised)
                printError(fileLine(f).trimmed());
    }

    if (parser.isSet(report)) {
        try {
            core::writeFileAtomically(toPath(parser.value(report)), mig::reportToJson(result));
        } catch (const std::exception& e) {
            printError(QStringLiteral("cannot write the report: ") + QString::fromUtf8(e.what()));
            return kExitFailure;
        }
    }
    return result.exitCode();
}

} // namespace sigscope::cli
