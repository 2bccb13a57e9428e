// `sigscope sql DIR "QUERY"`: a read-only SQL query over the tables of a storage (traces, changes,
// signals, classifiers, market; core/sql/storageviews.h), printed as a table, CSV or JSON.
#include "app/cli/command.h"

#include "core/export/csv.h"
#include "core/sql/resultformat.h"
#include "core/sql/storageviews.h"

#include <QCommandLineParser>

namespace sigscope::cli {

int runSql(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Runs a read-only SQL query (DuckDB's dialect; SELECT or EXPLAIN only) over the tables of a storage: "
        "traces (one row per trace), changes (one row per change), signals and classifiers (the changes with "
        "their trace's identity), market (the market CSVs, when present), trades (one row per trade) and metrics "
        "(one row per signal trace: the metrics of sigscope metrics with the recorded prices and cost 0). Nothing "
        "in the storage changes. "
        "Prints an aligned table, or CSV to FILE, or JSON."));
    parser.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("The storage folder."));
    parser.addPositionalArgument(QStringLiteral("QUERY"), QStringLiteral("The SQL query."));
    const QCommandLineOption csv(QStringLiteral("csv"),
                                 QStringLiteral("Write the result as CSV to FILE (never inside DIR)."),
                                 QStringLiteral("FILE"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print the result as a JSON array of rows."));
    parser.addOptions({csv, json});
    if (const auto code = parseCommandLine(parser, arguments, 2, 2))
        return *code;
    if (parser.isSet(csv) && parser.isSet(json))
        return usageError(arguments, QStringLiteral("--csv and --json exclude each other"));
    const QString dir = parser.positionalArguments().at(0);
    const QString query = parser.positionalArguments().at(1);
    if (parser.isSet(csv) && core::sql::insideFolder(toPath(parser.value(csv)), toPath(dir))) {
        printError(QStringLiteral("%1 is inside the storage folder %2: sigscope never writes into a storage; "
                                  "choose a file elsewhere")
                       .arg(parser.value(csv), dir));
        return kExitFailure;
    }
    try {
        core::sql::OpenedStorage opened = core::sql::openStorageDatabase(toPath(dir));
        for (const core::Finding& f : opened.report.findings)
            printError(findingLine(f));
        const core::sql::Table result = opened.database.query(query.toStdString());
        if (parser.isSet(csv)) {
            core::csv::writeFile(toPath(parser.value(csv)), core::sql::formatCsv(result));
            printOut(QStringLiteral("%1 (%2 rows)\n").arg(parser.value(csv)).arg(result.rows));
        } else {
            printOut(QString::fromStdString(parser.isSet(json) ? core::sql::formatJson(result)
                                                                : core::sql::formatText(result)));
        }
        return kExitOk;
    } catch (const std::exception& e) {
        printError(QString::fromUtf8(e.what()));
        return kExitFailure;
    }
}

} // namespace sigscope::cli
