// `sigscope compare DIR --select FILTER`: how the matching signal variants agree, pair by pair,
// bar by bar (core::stats::agreement): the share of bars with the same position, both long, both
// short, both flat, opposite, and the correlation of the positions. A table on stdout, or CSV;
// --matrix writes the share of bars in the same position for every pair as a square matrix in
// clustered order (core::stats::agreementMatrix), near-identical variants side by side.
#include "app/cli/command.h"
#include "app/cli/selection.h"
#include "core/analysis/agreementmatrix.h"
#include "core/analysis/compare.h"
#include "core/export/csv.h"
#include "core/storage/storage.h"

#include <QCommandLineParser>

#include <algorithm>
#include <cmath>

namespace sigscope::cli {

namespace {

QString percent(const core::stats::Agreement& a, std::int64_t count)
{
    return QString::number(100.0 * a.share(count), 'f', 1);
}

QString correlationText(double r)
{
    return std::isnan(r) ? QStringLiteral("-") : QString::number(r, 'f', 3);
}

struct Pair
{
    int a = 0;
    int b = 0;
    core::stats::Agreement agreement;
};

QString table(const std::vector<SelectedTrace>& signalTraces, const std::vector<Pair>& pairs)
{
    int width = 5;
    for (const auto& s : signalTraces)
        width = std::max(width, int(s.label.size()));
    QString out = QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8  %9\n")
                      .arg(QStringLiteral("trace"), -width)
                      .arg(QStringLiteral("trace"), -width)
                      .arg(QStringLiteral("bars"), 8)
                      .arg(QStringLiteral("same%"), 6)
                      .arg(QStringLiteral("long%"), 6)
                      .arg(QStringLiteral("short%"), 6)
                      .arg(QStringLiteral("flat%"), 6)
                      .arg(QStringLiteral("oppos%"), 6)
                      .arg(QStringLiteral("corr"), 6);
    for (const Pair& p : pairs) {
        const auto& a = p.agreement;
        out += QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8  %9\n")
                   .arg(signalTraces[std::size_t(p.a)].label, -width)
                   .arg(signalTraces[std::size_t(p.b)].label, -width)
                   .arg(a.bars, 8)
                   .arg(percent(a, a.same), 6)
                   .arg(percent(a, a.bothLong), 6)
                   .arg(percent(a, a.bothShort), 6)
                   .arg(percent(a, a.bothFlat), 6)
                   .arg(percent(a, a.opposite), 6)
                   .arg(correlationText(a.correlation), 6);
    }
    return out;
}

std::string csvText(const std::vector<SelectedTrace>& signalTraces, const std::vector<Pair>& pairs)
{
    std::vector<std::vector<std::string>> rows;
    for (const Pair& p : pairs) {
        const auto& a = p.agreement;
        rows.push_back({signalTraces[std::size_t(p.a)].label.toStdString(), signalTraces[std::size_t(p.b)].label.toStdString(),
                        std::to_string(a.bars), std::to_string(a.same), std::to_string(a.bothLong),
                        std::to_string(a.bothShort), std::to_string(a.bothFlat), std::to_string(a.opposite),
                        std::isnan(a.correlation) ? std::string() : QString::number(a.correlation, 'g', 17).toStdString()});
    }
    return core::csv::table({"a", "b", "bars", "same", "both_long", "both_short", "both_flat", "opposite", "correlation"},
                            rows);
}

} // namespace

int runCompare(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Compares the signal traces of a storage that match a filter, every pair bar by bar: the share of bars in "
        "the same position, both long, both short, both flat, in opposite positions, and the correlation of the "
        "positions, over the bars both traces cover. FILTER works like the explorer's filter box (e.g. "
        "'ma_crossover SPY slow_period=20'). Classifiers that match are left out."));
    parser.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("The storage folder."));
    const QCommandLineOption select(QStringLiteral("select"), QStringLiteral("Signal traces to compare (two or more)."),
                                    QStringLiteral("FILTER"));
    const QCommandLineOption from(QStringLiteral("from"), QStringLiteral("First bar compared."), QStringLiteral("BAR"));
    const QCommandLineOption to(QStringLiteral("to"), QStringLiteral("Bar after the last one compared."), QStringLiteral("BAR"));
    const QCommandLineOption csv(QStringLiteral("csv"), QStringLiteral("Write the pairs as CSV (counts of bars) to FILE."),
                                 QStringLiteral("FILE"));
    const QCommandLineOption matrix(
        QStringLiteral("matrix"),
        QStringLiteral("Write the share of bars in the same position for every pair to FILE as a square CSV matrix, "
                       "rows and columns in clustered order (average linkage: variants that agree sit together)."),
        QStringLiteral("FILE"));
    parser.addOptions({select, from, to, csv, matrix});
    if (const auto code = parseCommandLine(parser, arguments, 1, 1))
        return *code;
    if (parser.value(select).trimmed().isEmpty())
        return usageError(arguments, QStringLiteral("--select FILTER is required"));
    std::optional<qint64> first;
    std::optional<qint64> last;
    if (const QString error = parseBarRange(parser.value(from), parser.value(to), &first, &last); !error.isEmpty())
        return usageError(arguments, error);
    const QString dir = parser.positionalArguments().constFirst();
    try {
        const core::Storage storage = core::Storage::open(toPath(dir));
        const auto indexes = storage.readAllIndexes();
        std::vector<SelectedTrace> signalTraces = selectTraces(storage, indexes, parser.value(select));
        std::erase_if(signalTraces, [](const SelectedTrace& s) { return s.trace->kind() != core::Kind::Signal; });
        if (signalTraces.size() < 2) {
            printError(QStringLiteral("--select '%1' matches %2 signal trace(s) in %3; compare needs two or more")
                           .arg(parser.value(select))
                           .arg(signalTraces.size())
                           .arg(dir));
            return kExitFailure;
        }
        if (parser.isSet(matrix)) {
            std::vector<const core::Trace*> traces;
            traces.reserve(signalTraces.size());
            for (const SelectedTrace& s : signalTraces)
                traces.push_back(s.trace.get());
            const auto m = core::stats::agreementMatrix(traces, first.value_or(0), last.value_or(INT64_MAX));
            std::vector<std::string> labels;
            labels.reserve(signalTraces.size());
            for (const SelectedTrace& s : signalTraces)
                labels.push_back(s.label.toStdString());
            core::csv::writeFile(toPath(parser.value(matrix)), core::csv::agreementMatrix(labels, m));
            printOut(parser.value(matrix) + QLatin1Char('\n'));
            if (!parser.isSet(csv))
                return kExitOk;
        }
        std::vector<Pair> pairs;
        for (int a = 0; a < int(signalTraces.size()); ++a)
            for (int b = a + 1; b < int(signalTraces.size()); ++b)
                pairs.push_back({a, b,
                                 core::stats::agreement(*signalTraces[std::size_t(a)].trace, *signalTraces[std::size_t(b)].trace,
                                                        first.value_or(0), last.value_or(INT64_MAX))});
        if (parser.isSet(csv)) {
            core::csv::writeFile(toPath(parser.value(csv)), csvText(signalTraces, pairs));
            printOut(parser.value(csv) + QLatin1Char('\n'));
        } else {
            printOut(table(signalTraces, pairs));
        }
        return kExitOk;
    } catch (const std::exception& e) {
        printError(QString::fromUtf8(e.what()));
        return kExitFailure;
    }
}

} // namespace sigscope::cli
