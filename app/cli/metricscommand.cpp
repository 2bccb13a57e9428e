// `sigscope metrics DIR`: the performance metrics of every matching signal trace
// (core::metrics: trades, win rate, returns, drawdown, exposure, holding, flips, Sharpe), one row
// per trace, as a table on stdout or as CSV.
#include "app/cli/command.h"
#include "app/cli/selection.h"
#include "core/analysis/metrics.h"
#include "core/analysis/variants.h"
#include "core/export/csv.h"
#include "core/market/marketcache.h"
#include "core/query/filter.h"
#include "core/query/lanes.h"
#include "core/storage/storage.h"
#include "core/storage/traceio.h"

#include <QCommandLineParser>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>
#include <unordered_map>

namespace sigscope::cli {

namespace {

// The first row in the tree's order whose changes equal this row's (core::variants).
struct SameAs
{
    const core::IndexEntry* entry = nullptr;
    QString label;
};

struct Row
{
    SelectedTrace selected;
    core::metrics::TraceMetrics metrics;
    SameAs sameAs;
};

// Rows whose changes equal those of an earlier row in the tree's order name it. The traces are
// loaded already: the hash of the index picks candidates, the changes confirm them.
void markIdentical(std::vector<Row>& rows)
{
    std::unordered_map<const core::IndexEntry*, Row*> byEntry;
    std::vector<const core::IndexEntry*> entries;
    for (Row& r : rows) {
        byEntry.emplace(r.selected.entry, &r);
        entries.push_back(r.selected.entry);
    }
    const auto result = core::variants::findGroups(
        entries, [&byEntry](const core::IndexEntry& e) { return byEntry.at(&e)->selected.trace; });
    for (const auto& [entry, first] : core::variants::sameAs(result.groups))
        byEntry.at(entry)->sameAs = {first, byEntry.at(first)->selected.label};
}

// Every signal entry when FILTER is empty, else those matching it; loaded and labelled as the
// other commands do (core::query), in the tree's order.
std::vector<SelectedTrace> selectSignals(const core::Storage& storage, const std::vector<core::TypeIndex>& indexes,
                                         const QString& select)
{
    std::vector<const core::IndexEntry*> entries;
    if (select.trimmed().isEmpty()) {
        for (const auto& index : indexes)
            for (const auto& entry : index.entries)
                entries.push_back(&entry);
        std::stable_sort(entries.begin(), entries.end(), [](const core::IndexEntry* a, const core::IndexEntry* b) {
            return core::query::treeOrderLess(*a, *b);
        });
    } else {
        entries = core::query::selectEntries(indexes, core::query::Filter(select.toStdString()));
    }
    std::erase_if(entries, [](const core::IndexEntry* e) { return e->kind != core::Kind::Signal; });
    std::vector<SelectedTrace> selected;
    std::vector<core::query::LaneTrace> lanes;
    for (const core::IndexEntry* entry : entries) {
        auto trace = std::make_shared<const core::Trace>(core::loadTrace(storage.absolutePath(*entry)));
        lanes.push_back({core::query::traceName(*entry), trace});
        selected.push_back({entry, std::move(trace), {}});
    }
    const std::vector<std::string> labels = core::query::laneLabels(lanes);
    for (std::size_t i = 0; i < selected.size(); ++i)
        selected[i].label = QString::fromStdString(labels[i]);
    return selected;
}

bool isCount(const std::string& name)
{
    return name == "trades" || name == "flips";
}

QString cellText(const std::string& name, double value)
{
    if (std::isnan(value))
        return QStringLiteral("n/a");
    if (std::isinf(value))
        return QStringLiteral("\u2014");
    if (isCount(name))
        return QString::number(qint64(value));
    if (name == "win_rate" || name == "exposure" || name == "profit_factor" || name == "sharpe")
        return QString::number(value, 'f', 3);
    if (name == "mean_hold")
        return QString::number(value, 'f', 1);
    return QString::number(value, 'f', 6); // returns
}

QString table(const std::vector<Row>& rows)
{
    int width = 5;
    for (const Row& r : rows)
        width = std::max(width, int(r.selected.label.size()));
    const auto& names = core::metrics::metricNames();
    QString out = QStringLiteral("%1").arg(QStringLiteral("trace"), -width);
    for (const std::string& name : names)
        out += QStringLiteral("  ") +
               QStringLiteral("%1").arg(QString::fromStdString(name), int(std::max<std::size_t>(name.size(), 8)));
    out += QStringLiteral("  same_as\n");
    for (const Row& r : rows) {
        QString line = QStringLiteral("%1").arg(r.selected.label, -width);
        if (!r.metrics.ok) {
            line += QStringLiteral("  no metrics: ") + QString::fromStdString(r.metrics.reason);
            if (r.sameAs.entry)
                line += QStringLiteral("; same as ") + r.sameAs.label;
        } else {
            for (const std::string& name : names)
                line += QStringLiteral("  ") +
                        QStringLiteral("%1").arg(cellText(name, core::metrics::metricValue(r.metrics, name)),
                                                 int(std::max<std::size_t>(name.size(), 8)));
            if (r.sameAs.entry)
                line += QStringLiteral("  ") + r.sameAs.label;
        }
        out += line + QLatin1Char('\n');
    }
    return out;
}

// Shortest text that reads back as the same double; "inf" for an infinite profit factor, empty
// when the metric is not defined.
std::string csvNumber(const std::string& name, double value)
{
    if (std::isnan(value))
        return {};
    if (std::isinf(value))
        return value > 0 ? "inf" : "-inf";
    if (isCount(name))
        return std::to_string(std::int64_t(value));
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

std::string csvText(const std::vector<Row>& rows)
{
    std::vector<std::string> header = {"file_path", "kind", "type", "name", "symbol", "timeframe", "run"};
    for (const std::string& name : core::metrics::metricNames())
        header.push_back(name);
    header.emplace_back("same_as");
    header.emplace_back("reason");
    std::vector<std::vector<std::string>> lines;
    for (const Row& r : rows) {
        const core::IndexEntry& e = *r.selected.entry;
        std::vector<std::string> line = {e.filePath,
                                         std::string(core::kindName(e.kind)),
                                         e.type,
                                         e.name,
                                         e.symbol.value_or(std::string()),
                                         e.timeframe.value_or(std::string()),
                                         e.run.value_or(std::string())};
        for (const std::string& name : core::metrics::metricNames())
            line.push_back(csvNumber(name, core::metrics::metricValue(r.metrics, name)));
        line.push_back(r.sameAs.entry ? r.sameAs.entry->filePath : std::string());
        line.push_back(r.metrics.ok ? std::string() : r.metrics.reason);
        lines.push_back(std::move(line));
    }
    return core::csv::table(header, lines);
}

QString metricList()
{
    QStringList names;
    for (const std::string& name : core::metrics::metricNames())
        names << QString::fromStdString(name);
    return names.join(QStringLiteral(", "));
}

// The metrics of each selected trace, priced by shared when given, else by the market CSV of
// the storage at dir for the trace's symbol and timeframe when there is one (a file that cannot
// be read is reported and the recorded prices used), else by the recorded prices.
std::vector<Row> measure(std::vector<SelectedTrace> selected, const std::filesystem::path& dir,
                         const core::metrics::Options& options, const core::PriceSeries* shared,
                         core::MarketCache& markets)
{
    std::vector<Row> rows;
    for (SelectedTrace& s : selected) {
        core::metrics::Options traceOptions = options;
        traceOptions.market = shared;
        if (!shared) {
            std::string error;
            traceOptions.market = markets.forTrace(s.trace->identity, dir, &error);
            if (!error.empty())
                printError(QString::fromStdString(error) + QStringLiteral("; using the recorded prices"));
        }
        Row row{std::move(s), {}, {}};
        row.metrics = core::metrics::compute(*row.selected.trace, traceOptions);
        rows.push_back(std::move(row));
    }
    return rows;
}

// Largest value of the metric first; rows without it (NaN) last, in their order.
void sortRows(std::vector<Row>& rows, const std::string& metric)
{
    std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
        const double x = core::metrics::metricValue(a.metrics, metric);
        const double y = core::metrics::metricValue(b.metrics, metric);
        if (std::isnan(x) || std::isnan(y))
            return !std::isnan(x) && std::isnan(y);
        return x > y;
    });
}

} // namespace

int runMetrics(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Prints the performance metrics of the signal traces of a storage, one row per trace (classifiers are "
        "left out): trades, win_rate, avg_trade, profit_factor, total_return, max_drawdown, exposure, mean_hold, "
        "flips, sharpe (definitions in the README). Prices are the closes of the market data: --market FILE, else "
        "the storage's own market/<SYMBOL>_<timeframe>.csv of each trace when it exists; without market data the "
        "price recorded with each change. A trace whose needed prices are not recorded (price 0) and that has no "
        "market data gets no metrics: the table says why, the CSV leaves its metric cells empty and gives the "
        "reason in its last column, 'reason'. sharpe needs market data; it takes 252 days a year and a 6.5-hour "
        "session (1m: 98,280 bars a year). In the table an infinite profit_factor (no losing trade) is shown as "
        "\u2014 and an undefined value as n/a; in CSV they are 'inf' and empty. same_as names the first row (in the "
        "tree's order, before --sort) whose changes are equal to this row's (identical variants): its label in the "
        "table, its file_path in CSV; empty when there is none."));
    parser.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("The storage folder."));
    const QCommandLineOption select(QStringLiteral("select"),
                                    QStringLiteral("Only the traces matching FILTER (the explorer's filter box); all "
                                                   "signal traces when not given."),
                                    QStringLiteral("FILTER"));
    const QCommandLineOption market(QStringLiteral("market"),
                                    QStringLiteral("Market CSV (bar_index,...,close) whose closes price every trace."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption offset(
        QStringLiteral("price-offset"),
        QStringLiteral("Bars between a trace's bar and its market bar, as the chart's price "
                       "offset: market bar = trace bar - N (default 0; the real 963-dump "
                       "run counted bars from 1: 1)."),
        QStringLiteral("N"));
    const QCommandLineOption cost(QStringLiteral("cost"),
                                  QStringLiteral("Cost in basis points per unit of position traded (default 0)."),
                                  QStringLiteral("BPS"));
    const QCommandLineOption from(QStringLiteral("from"), QStringLiteral("First bar measured."), QStringLiteral("BAR"));
    const QCommandLineOption to(QStringLiteral("to"), QStringLiteral("Bar after the last one measured."),
                                QStringLiteral("BAR"));
    const QCommandLineOption csv(QStringLiteral("csv"), QStringLiteral("Write the rows as CSV to FILE."),
                                 QStringLiteral("FILE"));
    const QCommandLineOption sort(QStringLiteral("sort"),
                                  QStringLiteral("Order the rows by METRIC, largest first (traces without it last)."),
                                  QStringLiteral("METRIC"));
    parser.addOptions({select, market, offset, cost, from, to, csv, sort});
    if (const auto code = parseCommandLine(parser, arguments, 1, 1))
        return *code;

    core::metrics::Options options;
    bool ok = true;
    if (parser.isSet(cost)) {
        options.costBps = parser.value(cost).toDouble(&ok);
        if (!ok || !std::isfinite(options.costBps) || options.costBps < 0)
            return usageError(
                arguments, QStringLiteral("--cost wants basis points (0 or more), not '%1'").arg(parser.value(cost)));
    }
    if (parser.isSet(offset)) {
        options.priceOffset = parser.value(offset).toLongLong(&ok);
        if (!ok)
            return usageError(
                arguments,
                QStringLiteral("--price-offset wants a whole number of bars, not '%1'").arg(parser.value(offset)));
    }
    std::optional<qint64> first;
    std::optional<qint64> last;
    if (const QString error = parseBarRange(parser.value(from), parser.value(to), &first, &last); !error.isEmpty())
        return usageError(arguments, error);
    options.from = first.value_or(0);
    options.to = last.value_or(std::numeric_limits<std::int64_t>::max());
    const std::string sortBy = parser.value(sort).toStdString();
    const auto& names = core::metrics::metricNames();
    if (parser.isSet(sort) && std::find(names.begin(), names.end(), sortBy) == names.end())
        return usageError(arguments,
                          QStringLiteral("--sort wants one of %1, not '%2'").arg(metricList(), parser.value(sort)));

    const QString dir = parser.positionalArguments().constFirst();
    try {
        core::MarketCache markets;
        const core::PriceSeries* shared = nullptr;
        if (parser.isSet(market)) {
            std::string error;
            shared = markets.get(toPath(parser.value(market)), &error);
            if (!shared) {
                printError(QString::fromStdString(error));
                return kExitFailure;
            }
        }
        const core::Storage storage = core::Storage::open(toPath(dir));
        const auto indexes = storage.readAllIndexes();
        std::vector<Row> rows = measure(selectSignals(storage, indexes, parser.value(select)), toPath(dir), options,
                                        shared, markets);
        markIdentical(rows); // before sorting: "the first" is the first in the tree's order
        if (rows.empty() && parser.isSet(select)) {
            printError(QStringLiteral("--select '%1' matches no signal trace in %2").arg(parser.value(select), dir));
            return kExitFailure;
        }
        if (!sortBy.empty())
            sortRows(rows, sortBy);
        if (parser.isSet(csv)) {
            core::csv::writeFile(toPath(parser.value(csv)), csvText(rows));
            printOut(parser.value(csv) + QLatin1Char('\n'));
        } else {
            printOut(table(rows));
        }
        return kExitOk;
    } catch (const std::exception& e) {
        printError(QString::fromUtf8(e.what()));
        return kExitFailure;
    }
}

} // namespace sigscope::cli
