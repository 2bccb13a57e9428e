// `sigscope verify DIR`: findings one a line, "severity code path: message"; exit 0 clean, 1 damage.
#include "app/cli/command.h"

#include "core/migration/migration.h"
#include "core/storage/verify.h"

#include <QCommandLineParser>

namespace sigscope::cli {

namespace {

// Prints findings and a closing line; the exit code says whether any is damage. Further checks
// (e.g. comparing against migration sources) add their findings to the same report.
struct VerifyReport
{
    std::vector<core::Finding> findings;
    std::size_t files = 0;
    std::size_t entries = 0;

    [[nodiscard]] std::size_t damage() const
    {
        std::size_t n = 0;
        for (const auto& f : findings)
            n += f.severity != core::Finding::Severity::Info ? 1 : 0;
        return n;
    }
    int print(const QString& dir) const
    {
        QString out;
        for (const auto& f : findings)
            out += findingLine(f) + QLatin1Char('\n');
        const std::size_t problems = damage();
        out += QStringLiteral("%1: %2 files, %3 index entries checked: ").arg(dir).arg(files).arg(entries);
        out += problems == 0 ? QStringLiteral("clean\n") : QStringLiteral("%1 problems found\n").arg(problems);
        printOut(out);
        return problems == 0 ? kExitOk : kExitFailure;
    }
};

} // namespace

int runVerify(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Checks a storage folder: every index entry has its file and every file its entry, hashes match the "
        "identities, bar indexes never go back, no change repeats the previous value, values are legal and "
        "files parse. Exit status 0 when clean, 1 when damage was found (informational notes about upstream "
        "version-0 folders are not damage)."));
    parser.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("The storage folder."));
    const QCommandLineOption against(QStringLiteral("against"),
                                     QStringLiteral("Also re-read these legacy migration sources (files or folders; more may "
                                                    "follow DIR) and report every legacy change missing from the storage."),
                                     QStringLiteral("SRC"));
    const QCommandLineOption config(QStringLiteral("config"),
                                    QStringLiteral("With --against: the upstream YAML config (repeatable) the "
                                                   "migration was given with migrate --config."),
                                    QStringLiteral("FILE.yaml"));
    parser.addOptions({against, config});
    if (const auto code = parseCommandLine(parser, arguments, 1, 1 << 20))
        return *code;
    const QString dir = parser.positionalArguments().constFirst();
    std::vector<std::filesystem::path> sources;
    if (parser.isSet(against)) {
        for (const QString& source : parser.values(against) + parser.positionalArguments().mid(1))
            sources.push_back(toPath(source));
    } else if (parser.positionalArguments().size() > 1) {
        return usageError(arguments, QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().at(1)));
    }
    std::vector<std::filesystem::path> configs;
    for (const QString& file : parser.values(config))
        configs.push_back(toPath(file));
    if (!configs.empty() && sources.empty())
        return usageError(arguments, QStringLiteral("--config needs --against SRC"));

    try {
        const core::VerifyResult result = core::verifyStorage(toPath(dir));
        VerifyReport report;
        report.findings = result.findings;
        report.files = result.filesChecked;
        report.entries = result.entriesChecked;
        if (!sources.empty()) {
            const auto check = core::migration::verifyAgainstSources(toPath(dir), sources, {}, configs);
            report.findings.insert(report.findings.end(), check.findings.begin(), check.findings.end());
        }
        return report.print(dir);
    } catch (const std::exception& e) {
        printError(QString::fromUtf8(e.what()));
        return kExitFailure;
    }
}

} // namespace sigscope::cli
