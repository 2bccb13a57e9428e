// `sigscope index DIR [--rebuild]`: lists the index entries, or rebuilds every index from the data files.
#include "app/cli/command.h"

#include "core/storage/storage.h"

#include <QCommandLineParser>

namespace sigscope::cli {

int runIndex(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Lists the index entries of a storage folder, one a line: file path, name, symbol, timeframe, changes, "
        "bars. With --rebuild, rewrites every index.json from the data files (the index is a cache)."));
    parser.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("The storage folder."));
    const QCommandLineOption rebuild(QStringLiteral("rebuild"), QStringLiteral("Rebuild the indexes from the data files."));
    parser.addOption(rebuild);
    if (const auto code = parseCommandLine(parser, arguments, 1, 1))
        return *code;
    const QString dir = parser.positionalArguments().constFirst();

    try {
        if (parser.isSet(rebuild)) {
            const core::RebuildResult result = core::rebuildIndexes(toPath(dir));
            for (const auto& f : result.findings)
                printError(findingLine(f));
            printOut(QStringLiteral("rebuilt %1 indexes: %2 traces\n").arg(result.types).arg(result.traces));
            return result.findings.empty() ? kExitOk : kExitFailure;
        }
        const core::Storage storage = core::Storage::open(toPath(dir));
        std::vector<core::Finding> findings;
        QString out;
        for (const auto& index : storage.readAllIndexes(&findings)) {
            for (const auto& e : index.entries) {
                out += QStringLiteral("%1\t%2\t%3\t%4\t%5 changes\t%6 bars\n")
                           .arg(QString::fromStdString(e.filePath), QString::fromStdString(e.name),
                                QString::fromStdString(e.symbol.value_or("-")),
                                QString::fromStdString(e.timeframe.value_or("-")))
                           .arg(e.totalItems)
                           .arg(e.totalBars);
            }
        }
        return printWithNotes(out, findings);
    } catch (const std::exception& e) {
        printError(QString::fromUtf8(e.what()));
        return kExitFailure;
    }
}

} // namespace sigscope::cli
