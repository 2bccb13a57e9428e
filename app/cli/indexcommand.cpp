// `sigscope index DIR [--rebuild] [--metrics]`: lists the index entries, or rebuilds every index from
// the data files, or writes the metrics cache.
#include "app/cli/command.h"

#include "core/analysis/metricscache.h"
#include "core/storage/storage.h"
#include "core/storage/traceio.h"

#include <QCommandLineParser>
#include <QStandardPaths>

namespace sigscope::cli {

namespace {

// --metrics: every signal trace scored as `sigscope metrics DIR` scores it (cost 0, the storage's
// own market files, price offset 0) into the metrics cache (docs/format.md "The metrics cache").
int writeMetricsCache(const core::Storage& storage)
{
    std::vector<const core::IndexEntry*> entries;
    const auto indexes = storage.readAllIndexes();
    for (const auto& index : indexes)
        for (const auto& entry : index.entries)
            if (entry.kind == core::Kind::Signal)
                entries.push_back(&entry);
    const core::metrics::CacheSetup setup{storage.root(), storage.formatVersion(),
                                          toPath(QStandardPaths::writableLocation(QStandardPaths::CacheLocation)),
                                          {}, true};
    core::metrics::MarketCache markets;
    core::metrics::CacheReport report;
    bool failed = false;
    core::metrics::scoreCached(
        entries, setup, {}, nullptr, markets,
        [&storage](const core::IndexEntry& e) {
            return std::make_shared<const core::Trace>(core::loadTrace(storage.absolutePath(e)));
        },
        report, [&failed](const std::string& warning) {
            failed = failed || warning.starts_with("metrics cache not kept");
            printError(QString::fromStdString(warning));
        });
    QString out = QStringLiteral("metrics of %1 signal traces: %2 computed, %3 unchanged\n")
                      .arg(entries.size())
                      .arg(report.computed)
                      .arg(report.hits);
    for (const auto& file : report.written)
        out += QString::fromStdString(file.string()) + QLatin1Char('\n');
    printOut(out);
    return failed ? kExitFailure : kExitOk;
}

} // namespace

int runIndex(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Lists the index entries of a storage folder, one a line: file path, name, symbol, timeframe, changes, "
        "bars. With --rebuild, rewrites every index.json from the data files (the index is a cache). With --metrics, "
        "writes the metrics cache: the metrics of every signal trace as 'sigscope metrics DIR' gives them, beside each "
        "index.json (index.metrics) in a version-1 storage, else in the user's cache folder; it prints the files "
        "written."));
    parser.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("The storage folder."));
    const QCommandLineOption rebuild(QStringLiteral("rebuild"), QStringLiteral("Rebuild the indexes from the data files."));
    const QCommandLineOption metrics(QStringLiteral("metrics"),
                                     QStringLiteral("Write the metrics cache (after --rebuild when both are given)."));
    parser.addOptions({rebuild, metrics});
    if (const auto code = parseCommandLine(parser, arguments, 1, 1))
        return *code;
    const QString dir = parser.positionalArguments().constFirst();

    try {
        if (parser.isSet(rebuild)) {
            const core::RebuildResult result = core::rebuildIndexes(toPath(dir));
            for (const auto& f : result.findings)
                printError(findingLine(f));
            printOut(QStringLiteral("rebuilt %1 indexes: %2 traces\n").arg(result.types).arg(result.traces));
            if (!result.findings.empty())
                return kExitFailure;
        }
        const core::Storage storage = core::Storage::open(toPath(dir));
        if (parser.isSet(metrics))
            return writeMetricsCache(storage);
        if (parser.isSet(rebuild))
            return kExitOk;
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
