#include "app/cli/command.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

namespace sigscope::cli {

// Defined in the cli/*.cpp file of each command.
int runDemo(const QStringList& arguments);
int runInfo(const QStringList& arguments);
int runIndex(const QStringList& arguments);
int runVerify(const QStringList& arguments);
int runMigrate(const QStringList& arguments);
int runCompare(const QStringList& arguments);
int runMetrics(const QStringList& arguments);
int runSql(const QStringList& arguments);
#ifdef SIGSCOPE_WITH_GUI
int runExport(const QStringList& arguments);
#endif

const std::vector<Command>& commands()
{
    static const std::vector<Command> table = {
        {"demo", "write a demo storage (synthetic market, strategy grids) through the tracer", runDemo},
        {"info", "summarise a storage: format version, kinds, types, trace counts, totals", runInfo},
        {"index", "list a storage's index entries, or rebuild the indexes from the data files", runIndex},
        {"verify", "check a storage: indexes against files, hashes, changes; exit 1 on damage", runVerify},
        {"migrate", "migrate legacy signal dumps into a storage; exit 3 when some sources fail", runMigrate},
#ifdef SIGSCOPE_WITH_GUI
        {"export", "render the chart of matching traces to PNG/SVG/PDF offscreen, or write them as CSV", runExport, true},
#endif
        {"compare", "how matching signal variants agree, pair by pair, bar by bar (table or CSV)", runCompare},
        {"metrics", "performance metrics of matching signal traces: trades, returns, drawdown, Sharpe (table or CSV)",
         runMetrics},
        {"sql", "a read-only SQL query over a storage's traces and changes (table, CSV or JSON)", runSql},
    };
    return table;
}

std::optional<int> parseCommandLine(QCommandLineParser& parser, const QStringList& arguments,
                                    qsizetype minPositional, qsizetype maxPositional)
{
    parser.addHelpOption();
    if (!parser.parse(arguments))
        return usageError(arguments, parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        // Qt names the executable in the usage line; the command's name is more useful.
        QString help = parser.helpText();
        const QString program = QCoreApplication::arguments().value(0);
        if (!program.isEmpty() && help.contains(program))
            help.replace(help.indexOf(program), program.size(), arguments.value(0));
        printOut(help);
        return kExitOk;
    }
    const qsizetype count = parser.positionalArguments().size();
    if (count < minPositional)
        return usageError(arguments, QStringLiteral("missing argument"));
    if (count > maxPositional)
        return usageError(arguments, QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().value(maxPositional)));
    return std::nullopt;
}

int usageError(const QStringList& arguments, const QString& message)
{
    printError(message + QStringLiteral("\nTry '%1 --help'.").arg(arguments.value(0)));
    return kExitUsage;
}

std::filesystem::path toPath(const QString& text)
{
    return std::filesystem::path(text.toStdString());
}

QString fromPath(const std::filesystem::path& path)
{
    return QString::fromStdString(path.string());
}

int printWithNotes(const QString& text, const std::vector<core::Finding>& notes)
{
    printOut(text);
    for (const auto& f : notes)
        printError(findingLine(f));
    return kExitOk;
}

QString findingLine(const core::Finding& finding)
{
    QString where = QString::fromStdString(finding.path);
    if (finding.line > 0)
        where += QLatin1Char(':') + QString::number(finding.line);
    return QString::fromUtf8(core::severityName(finding.severity).data(), qsizetype(core::severityName(finding.severity).size()))
        + QLatin1Char(' ') + QString::fromStdString(finding.code) + QLatin1Char(' ') + where + QStringLiteral(": ")
        + QString::fromStdString(finding.message);
}

void printError(const QString& message)
{
    std::fprintf(stderr, "sigscope: %s\n", message.toUtf8().constData());
    std::fflush(stderr);
}

void printOut(const QString& text)
{
    std::fputs(text.toUtf8().constData(), stdout);
    std::fflush(stdout);
}

} // namespace sigscope::cli
