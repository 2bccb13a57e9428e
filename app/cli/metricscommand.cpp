// `sigscope metrics DIR`: the performance metrics of every matching signal trace
// (core::metrics: trades, win rate, returns, drawdown, exposure, holding, flips, Sharpe), one row
// per trace, as a table on stdout or as CSV.
#include "app/cli/command.h"
#include "app/cli/selection.h"
#include "core/analysis/metrics.h"
#include "core/analysis/metricscache.h"
#include "core/analysis/metricstable.h"
#include "core/export/csv.h"
#include "core/export/metricscsv.h"
#include "core/query/filter.h"
#include "core/query/lanes.h"
#include "core/storage/storage.h"
#include "core/storage/traceio.h"

#include <QCommandLineParser>
#include <QStandardPaths>
#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <unordered_map>

namespace sigscope::cli {

namespace {

// Every entry of the kind when FILTER is empty, else those matching it; loaded and labelled as
// the other commands do (core::query), in the tree's order.
std::vector<core::metrics::Row> selectRows(const core::Storage& storage, const std::vector<core::TypeIndex>& indexes,
                                           const QString& select, core::Kind kind)
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
    std::erase_if(entries, [kind](const core::IndexEntry* e) { return e->kind != kind; });
    std::vector<core::metrics::Row> rows;
    std::vector<core::query::LaneTrace> lanes;
    for (const core::IndexEntry* entry : entries) {
        auto trace = std::make_shared<const core::Trace>(core::loadTrace(storage.absolutePath(*entry)));
        lanes.push_back({core::query::traceName(*entry), trace});
        core::metrics::Row row;
        row.entry = entry;
        row.trace = std::move(trace);
        rows.push_back(std::move(row));
    }
    const std::vector<std::string> labels = core::query::laneLabels(lanes);
    for (std::size_t i = 0; i < rows.size(); ++i)
        rows[i].label = labels[i];
    return rows;
}

using core::metrics::Row;

// Every row's metrics as core::metrics::measure() gives them, taken from the metrics cache where it
// holds them for this pricing (docs/format.md "The metrics cache"; only read here), which a
// line on stderr says.
void measureRows(std::vector<Row>& rows, const core::Storage& storage, const core::metrics::Options& options,
                 const QString& marketFile, const core::PriceSeries* shared, core::metrics::MarketCache& markets,
                 const std::function<void(const std::string&)>& warn)
{
    std::vector<const core::IndexEntry*> entries;
    std::unordered_map<const core::IndexEntry*, const Row*> byEntry;
    for (const Row& row : rows) {
        entries.push_back(row.entry);
        byEntry.emplace(row.entry, &row);
    }
    const core::metrics::CacheSetup setup{
        storage.root(), storage.formatVersion(),
        toPath(QStandardPaths::writableLocation(QStandardPaths::CacheLocation)),
        marketFile.isEmpty() ? std::filesystem::path() : toPath(marketFile), false};
    core::metrics::CacheReport report;
    std::vector<core::metrics::TraceMetrics> metrics = core::metrics::scoreCached(
        entries, setup, options, shared, markets, [&byEntry](const core::IndexEntry& e) { return byEntry.at(&e)->trace; },
        report, warn);
    for (std::size_t i = 0; i < rows.size(); ++i)
        rows[i].metrics = std::move(metrics[i]);
    if (report.hits > 0)
        printError(QStringLiteral("metrics of %1 of %2 traces from the metrics cache (unchanged since it was written)")
                       .arg(report.hits)
                       .arg(rows.size()));
}

QString cellText(const std::string& name, double value)
{
    return QString::fromStdString(core::metrics::cellText(name, value));
}

int columnWidth(const std::string& name)
{
    return int(std::max<std::size_t>(name.size(), 8));
}

QString metricHeaders()
{
    QString out;
    for (const std::string& name : core::metrics::metricNames())
        out += QStringLiteral("  ") + QStringLiteral("%1").arg(QString::fromStdString(name), columnWidth(name));
    return out;
}

// The metric cells of a row, or "no metrics: <reason>".
QString metricCells(const core::metrics::TraceMetrics& m)
{
    if (!m.ok)
        return QStringLiteral("  no metrics: ") + QString::fromStdString(m.reason);
    QString out;
    for (const std::string& name : core::metrics::metricNames())
        out += QStringLiteral("  ") +
               QStringLiteral("%1").arg(cellText(name, core::metrics::metricValue(m, name)), columnWidth(name));
    return out;
}

QString table(const std::vector<Row>& rows)
{
    int width = 5;
    for (const Row& r : rows)
        width = std::max(width, int(QString::fromStdString(r.label).size()));
    QString out = QStringLiteral("%1").arg(QStringLiteral("trace"), -width) + metricHeaders() + QStringLiteral("  same_as\n");
    for (const Row& r : rows) {
        QString line = QStringLiteral("%1").arg(QString::fromStdString(r.label), -width) + metricCells(r.metrics);
        if (r.sameAs)
            line += (r.metrics.ok ? QStringLiteral("  ") : QStringLiteral("; same as ")) +
                    QString::fromStdString(r.sameAsLabel);
        out += line + QLatin1Char('\n');
    }
    return out;
}

// --by-regime: a row per trace and regime, the regime's name after the trace's.
QString regimeTable(const std::vector<core::metrics::RegimeRow>& rows)
{
    int width = 5;
    int regimeWidth = 6;
    for (const auto& r : rows) {
        width = std::max(width, int(QString::fromStdString(r.row->label).size()));
        regimeWidth = std::max(regimeWidth, int(QString::fromStdString(r.regime).size()));
    }
    QString out = QStringLiteral("%1  %2").arg(QStringLiteral("trace"), -width).arg(QStringLiteral("regime"), -regimeWidth) +
                  metricHeaders() + QLatin1Char('\n');
    for (const auto& r : rows)
        out += QStringLiteral("%1  %2")
                   .arg(QString::fromStdString(r.row->label), -width)
                   .arg(QString::fromStdString(r.regime), -regimeWidth) +
               metricCells(r.metrics) + QLatin1Char('\n');
    return out;
}

QString metricList()
{
    QStringList names;
    for (const std::string& name : core::metrics::metricNames())
        names << QString::fromStdString(name);
    return names.join(QStringLiteral(", "));
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

int printByRegime(const QCommandLineParser& parser, const core::Storage& storage,
                  const std::vector<core::TypeIndex>& indexes, const std::vector<Row>& rows,
                  const core::metrics::Options& options, const core::PriceSeries* shared,
                  core::metrics::MarketCache& markets)
{
    const QString filter = parser.value(QStringLiteral("by-regime"));
    const std::vector<Row> classifiers = selectRows(storage, indexes, filter, core::Kind::Classifier);
    if (filter.trimmed().isEmpty() || classifiers.empty()) {
        printError(QStringLiteral("--by-regime '%1' matches no classifier in %2")
                       .arg(filter, QString::fromStdString(storage.root().string())));
        return kExitFailure;
    }
    const auto regimeRows = core::metrics::measureByRegime(
        rows, classifiers, storage.root(), options, shared, markets,
        [](const std::string& warning) { printError(QString::fromStdString(warning)); });
    if (parser.isSet(QStringLiteral("csv"))) {
        core::csv::writeFile(toPath(parser.value(QStringLiteral("csv"))), core::csv::metricsByRegime(regimeRows));
        printOut(parser.value(QStringLiteral("csv")) + QLatin1Char('\n'));
    } else {
        printOut(regimeTable(regimeRows));
    }
    return kExitOk;
}

// --cost, --price-offset, --from and --to into options; the usage error, or empty.
QString readOptions(const QCommandLineParser& parser, core::metrics::Options* options)
{
    bool ok = true;
    const QString cost = parser.value(QStringLiteral("cost"));
    if (parser.isSet(QStringLiteral("cost"))) {
        options->costBps = cost.toDouble(&ok);
        if (!ok || !std::isfinite(options->costBps) || options->costBps < 0)
            return QStringLiteral("--cost wants basis points (0 or more), not '%1'").arg(cost);
    }
    const QString offset = parser.value(QStringLiteral("price-offset"));
    if (parser.isSet(QStringLiteral("price-offset"))) {
        options->priceOffset = offset.toLongLong(&ok);
        if (!ok)
            return QStringLiteral("--price-offset wants a whole number of bars, not '%1'").arg(offset);
    }
    std::optional<qint64> first;
    std::optional<qint64> last;
    if (QString error = parseBarRange(parser.value(QStringLiteral("from")), parser.value(QStringLiteral("to")), &first,
                                      &last);
        !error.isEmpty())
        return error;
    options->from = first.value_or(0);
    options->to = last.value_or(std::numeric_limits<std::int64_t>::max());
    return {};
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
                                                   "signal traces when not given. It may compare metrics: "
                                                   "'rsi sharpe>1 trades>=20'."),
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
    const QCommandLineOption byRegime(
        QStringLiteral("by-regime"),
        QStringLiteral("One row per trace and regime of the classifier matching FILTER (for each trace the first "
                       "with its symbol and timeframe, else its symbol): the metrics over the bars of that regime, "
                       "a trade crossing a regime boundary split there (README: Metrics)."),
        QStringLiteral("FILTER"));
    parser.addOptions({select, market, offset, cost, from, to, csv, sort, byRegime});
    if (const auto code = parseCommandLine(parser, arguments, 1, 1))
        return *code;

    core::metrics::Options options;
    if (const QString error = readOptions(parser, &options); !error.isEmpty())
        return usageError(arguments, error);
    const std::string sortBy = parser.value(sort).toStdString();
    const auto& names = core::metrics::metricNames();
    if (parser.isSet(sort) && std::find(names.begin(), names.end(), sortBy) == names.end())
        return usageError(arguments,
                          QStringLiteral("--sort wants one of %1, not '%2'").arg(metricList(), parser.value(sort)));

    if (parser.isSet(sort) && parser.isSet(byRegime))
        return usageError(arguments, QStringLiteral("--sort orders one row per trace; it does not go with --by-regime"));

    const QString dir = parser.positionalArguments().constFirst();
    try {
        core::metrics::MarketCache markets;
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
        // A filter that compares a metric ("sharpe>1 trades>=20") is applied once every signal is
        // measured; any other selects the traces to measure.
        const core::query::Filter filter(parser.value(select).toStdString());
        const bool byMetric = core::metrics::comparesMetrics(filter);
        std::vector<Row> rows = selectRows(storage, indexes, byMetric ? QString() : parser.value(select), core::Kind::Signal);
        const auto warn = [](const std::string& warning) { printError(QString::fromStdString(warning)); };
        if (byMetric) {
            measureRows(rows, storage, options, parser.value(market), shared, markets, warn);
            std::erase_if(rows, [&filter](const Row& r) {
                return !filter.matches(core::query::entryFields(*r.entry), core::metrics::filterFields(r.metrics));
            });
        }
        if (rows.empty() && parser.isSet(select)) {
            printError(QStringLiteral("--select '%1' matches no signal trace in %2").arg(parser.value(select), dir));
            return kExitFailure;
        }
        if (parser.isSet(byRegime))
            return printByRegime(parser, storage, indexes, rows, options, shared, markets);
        if (!byMetric)
            measureRows(rows, storage, options, parser.value(market), shared, markets, warn);
        core::metrics::markIdentical(rows); // before sorting: "the first" is the first in the tree's order
        if (!sortBy.empty())
            sortRows(rows, sortBy);
        if (parser.isSet(csv)) {
            core::csv::writeFile(toPath(parser.value(csv)), core::csv::metrics(rows));
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
