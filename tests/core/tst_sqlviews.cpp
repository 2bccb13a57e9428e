// SQL over a storage (core/sql/storageviews.h) on the seeded demo storage: the tables hold every
// trace, change and market row exactly as core reads them, the five README queries give the
// answers computed here from the core model bar by bar, and `sigscope sql` prints, writes and
// refuses exactly, leaving every file of the storage as it was.
#include "core/analysis/metrics.h"
#include "core/demo/demo.h"
#include "core/market/priceseries.h"
#include "core/sql/resultformat.h"
#include "core/sql/storageviews.h"
#include "core/storage/parquetwriter.h"
#include "core/storage/storage.h"
#include "core/storage/storageconvert.h"
#include "core/storage/traceio.h"
#include "core/storage/writer.h"
#include "tests/support/testsupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <array>
#include <charconv>
#include <climits>
#include <cmath>
#include <map>
#include <numeric>
#include <regex>
#include <tuple>

using namespace sigscope::core;
using sigscope::test::runSigscope;
namespace fs = std::filesystem;
using Rows = std::vector<std::vector<std::string>>;

namespace {

constexpr std::int32_t kNone = INT32_MIN; // no change yet at this bar

struct Loaded {
    IndexEntry entry;
    Trace trace;
};

// The value holding at each bar of [0, effectiveTotalBars()): a change holds until the next.
std::vector<std::int32_t> perBar(const Trace& t)
{
    std::vector<std::int32_t> out(std::size_t(t.effectiveTotalBars()), kNone);
    for (std::size_t i = 0; i < t.size(); ++i) {
        const std::int64_t end = i + 1 < t.size() ? t.bar(i + 1) : t.effectiveTotalBars();
        for (std::int64_t b = t.bar(i); b < end; ++b)
            out[std::size_t(b)] = t.value(i);
    }
    return out;
}

Rows rowsOf(const sql::Table& table)
{
    Rows rows(table.rows);
    for (std::size_t r = 0; r < table.rows; ++r)
        for (std::size_t c = 0; c < table.columns.size(); ++c)
            rows[r].push_back(table.text(c, r));
    return rows;
}

std::string shortest(double value)
{
    std::array<char, 32> buffer{};
    auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    return std::string(buffer.data(), end);
}

std::string describe(const Rows& rows)
{
    std::string out;
    for (const auto& row : rows) {
        for (const auto& cell : row)
            out += cell + " | ";
        out += '\n';
    }
    return out;
}

#define COMPARE_ROWS(actual, expected)                                                                                 \
    do {                                                                                                               \
        const Rows a_ = (actual);                                                                                      \
        const Rows e_ = (expected);                                                                                    \
        if (a_ != e_)                                                                                                  \
            QFAIL(("rows differ\nactual:\n" + describe(a_) + "expected:\n" + describe(e_)).c_str());                    \
    } while (false)

std::map<std::string, std::string> snapshot(const fs::path& root)
{
    std::map<std::string, std::string> files;
    for (const auto& item : fs::recursive_directory_iterator(root))
        files[item.path().string()] = item.is_regular_file() ? sigscope::test::readFile(item.path()) : "<folder>";
    return files;
}

// The ```sql blocks of the README's "## SQL" section, in order.
std::vector<std::string> readmeQueries()
{
    const std::string readme = sigscope::test::readFile(SIGSCOPE_README);
    const auto from = readme.find("\n## SQL\n");
    const auto to = readme.find("\n## ", from + 1);
    const std::string section = readme.substr(from, to - from);
    std::vector<std::string> queries;
    const std::regex block("```sql\n([^`]*)```");
    for (auto it = std::sregex_iterator(section.begin(), section.end(), block); it != std::sregex_iterator(); ++it)
        queries.push_back((*it)[1].str());
    return queries;
}

// `sigscope metrics DIR --csv` as rows: file_path then the nine metrics the SQL view has
// (trades .. flips), in file_path order.
Rows commandMetrics(const fs::path& root, const fs::path& csv)
{
    const auto run = runSigscope({QStringLiteral("metrics"), QString::fromStdString(root.string()), QStringLiteral("--csv"),
                                  QString::fromStdString(csv.string())});
    if (run.exitCode != 0)
        throw std::runtime_error("sigscope metrics failed: " + run.err.toStdString());
    Rows rows;
    const QStringList lines = QString::fromStdString(sigscope::test::readFile(csv)).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QStringList fields = lines[i].split(QLatin1Char(','));
        Rows::value_type row{fields[0].toStdString()};
        for (qsizetype c = 7; c < 16; ++c)
            row.push_back(fields[c].toStdString());
        rows.push_back(std::move(row));
    }
    std::sort(rows.begin(), rows.end());
    return rows;
}

constexpr const char* kMetricsQuery = "SELECT file_path, trades, win_rate, avg_trade, profit_factor, total_return, "
                                      "max_drawdown, exposure, mean_hold, flips FROM metrics ORDER BY file_path";

Trace signalTrace(const std::string& name, const std::vector<std::tuple<std::int64_t, std::int32_t, double>>& changes)
{
    Trace t(TraceIdentity{Kind::Signal, name, Parameters{}, std::string("SPY"), "1m", std::nullopt, {}}, "hand");
    t.metadata.totalBars = 10;
    for (const auto& [bar, value, price] : changes)
        t.appendSignal(bar, "", value, price);
    return t;
}

} // namespace

class TestSqlViews : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    fs::path m_root;
    std::vector<Loaded> m_traces; // sorted by file path
    std::optional<sql::OpenedStorage> m_db;

    const Loaded& find(std::string_view name, std::string_view symbol) const
    {
        for (const Loaded& l : m_traces)
            if (l.trace.identity.name == name && l.trace.identity.symbol == symbol)
                return l;
        throw std::runtime_error("no trace " + std::string(name));
    }
    Rows query(std::size_t readmeIndex)
    {
        const auto queries = readmeQueries();
        if (queries.size() != 6)
            throw std::runtime_error("the README's SQL section holds " + std::to_string(queries.size()) + " queries");
        return rowsOf(m_db->database.query(queries[readmeIndex]));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_root = fs::path(m_dir.path().toStdString()) / "demo";
        generateDemo(m_root); // the default demo: what `sigscope demo` writes
        const Storage storage = Storage::open(m_root);
        for (const TypeIndex& index : storage.readAllIndexes())
            for (const IndexEntry& e : index.entries)
                m_traces.push_back({e, loadTrace(storage.absolutePath(e))});
        std::sort(m_traces.begin(), m_traces.end(),
                  [](const Loaded& a, const Loaded& b) { return a.entry.filePath < b.entry.filePath; });
        m_db.emplace(sql::openStorageDatabase(m_root));
        QVERIFY(m_db->report.findings.empty());
    }

    void tracesTableHoldsEveryTrace()
    {
        QCOMPARE(m_db->report.traces, std::size_t(208));
        Rows expected;
        for (const Loaded& l : m_traces) {
            const Trace& t = l.trace;
            expected.push_back({l.entry.filePath, std::string(kindName(t.kind())), l.entry.type, t.identity.name,
                                *t.identity.symbol, *t.identity.timeframe, t.identity.parameters.canonicalJson(),
                                std::to_string(t.size()), std::to_string(t.bar(0)), std::to_string(t.bar(t.size() - 1)),
                                std::to_string(t.effectiveTotalBars()), t.identity.hashHex()});
        }
        COMPARE_ROWS(rowsOf(m_db->database.query(
                         "SELECT file_path, kind, type, name, symbol, timeframe, parameters, changes, first_bar, "
                         "last_bar, total_bars, hash FROM traces ORDER BY file_path")),
                     expected);
        const sql::Table nulls = m_db->database.query("SELECT count(run), count(variant) FROM traces");
        QCOMPARE(nulls.text(0, 0), std::string("0"));
        QCOMPARE(nulls.text(1, 0), std::string("0"));
    }

    void changesTableHoldsEveryChange()
    {
        std::size_t total = 0;
        for (const Loaded& l : m_traces)
            total += l.trace.size();
        QCOMPARE(total, std::size_t(285981));
        QCOMPARE(m_db->report.changes, total);
        QCOMPARE(m_db->database.query("SELECT count(*) FROM changes").text(0, 0), std::to_string(total));
        // Every change of one classifier and one signal, value, position, time and next_bar.
        for (const auto& [name, symbol] : {std::pair{"trend_30_240", "SPY"}, std::pair{"rsi_bands_11_31_69", "QQQ"}}) {
            const Loaded& l = find(name, symbol);
            const Trace& t = l.trace;
            const sql::Table table = m_db->database.query(
                "SELECT bar, value, signal, next_bar, time, price, kind FROM changes WHERE file_path = "
                + sql::literal(l.entry.filePath) + " ORDER BY bar");
            QCOMPARE(table.rows, t.size());
            for (std::size_t i = 0; i < t.size(); ++i) {
                QCOMPARE(table.columns[0].integers[i], t.bar(i));
                QCOMPARE(table.text(1, i), t.valueText(i));
                QCOMPARE(table.isNull(2, i), t.kind() == Kind::Classifier);
                if (t.kind() == Kind::Signal)
                    QCOMPARE(table.columns[2].integers[i], std::int64_t(t.value(i)));
                QCOMPARE(table.columns[3].integers[i], i + 1 < t.size() ? t.bar(i + 1) : t.effectiveTotalBars());
                QCOMPARE(table.columns[4].integers[i], t.time(i));
                QCOMPARE(table.isNull(5, i), t.price(i) == 0.0);
                if (t.price(i) != 0.0)
                    QCOMPARE(table.columns[5].reals[i], t.price(i));
                QCOMPARE(table.text(6, i), std::string(kindName(t.kind())));
            }
        }
        QCOMPARE(m_db->database.query("SELECT count(*) FROM signals").text(0, 0), std::string("283587"));
        QCOMPARE(m_db->database.query("SELECT count(*) FROM classifiers").text(0, 0), std::string("2394"));
    }

    void marketTableHoldsTheMarketFiles()
    {
        QVERIFY(m_db->report.market);
        QCOMPARE(m_db->report.marketRows, std::size_t(40000));
        const MarketCsvResult spy = readMarketCsv(m_root / "market" / "SPY_1m.csv");
        QVERIFY(spy.ok);
        const sql::Table t = m_db->database.query(
            "SELECT bar, time, close FROM market WHERE symbol = 'SPY' AND timeframe = '1m' ORDER BY bar");
        QCOMPARE(t.rows, spy.series.size());
        QCOMPARE(t.columns[0].integers, spy.series.bars);
        QCOMPARE(t.columns[1].integers, spy.series.times);
        QCOMPARE(t.columns[2].reals, spy.series.closes);
    }

    void readmeChangesPerFamily()
    {
        std::map<std::pair<std::string, std::string>, std::vector<std::int64_t>> families;
        for (const Loaded& l : m_traces)
            families[{std::string(kindName(l.trace.kind())), l.entry.type}].push_back(std::int64_t(l.trace.size()));
        std::vector<std::tuple<std::int64_t, std::string, Rows::value_type>> rows;
        for (const auto& [key, counts] : families) {
            const std::int64_t sum = std::accumulate(counts.begin(), counts.end(), std::int64_t(0));
            rows.emplace_back(-sum, key.second,
                              Rows::value_type{key.first, key.second, std::to_string(counts.size()), std::to_string(sum),
                                               std::to_string(*std::min_element(counts.begin(), counts.end())),
                                               std::to_string(*std::max_element(counts.begin(), counts.end()))});
        }
        std::sort(rows.begin(), rows.end());
        Rows expected;
        for (const auto& row : rows)
            expected.push_back(std::get<2>(row));
        QCOMPARE(expected.size(), std::size_t(7));
        COMPARE_ROWS(query(0), expected);
    }

    void readmeTimeInMarket()
    {
        std::vector<std::tuple<std::int64_t, std::string, std::string, std::int64_t>> all;
        for (const Loaded& l : m_traces) {
            if (l.entry.type != "momentum")
                continue;
            const auto bars = perBar(l.trace);
            const auto in = std::count_if(bars.begin(), bars.end(), [](std::int32_t p) { return p != kNone && p != 0; });
            all.emplace_back(-std::int64_t(in), l.trace.identity.name, *l.trace.identity.symbol,
                             l.trace.effectiveTotalBars());
        }
        std::sort(all.begin(), all.end());
        Rows expected;
        for (std::size_t i = 0; i < 5; ++i)
            expected.push_back({std::get<1>(all[i]), std::get<2>(all[i]), std::to_string(-std::get<0>(all[i])),
                                std::to_string(std::get<3>(all[i]))});
        COMPARE_ROWS(query(1), expected);
    }

    void readmeLongInRegime()
    {
        std::vector<std::tuple<std::int64_t, std::string, std::string>> all;
        for (const Loaded& l : m_traces) {
            if (l.trace.kind() != Kind::Signal)
                continue;
            const Trace& regime = find("trend_10_60", *l.trace.identity.symbol).trace;
            const auto positions = perBar(l.trace);
            const auto regimes = perBar(regime);
            const auto up = std::find(regime.regimes().begin(), regime.regimes().end(), "uptrend") - regime.regimes().begin();
            std::int64_t bars = 0;
            for (std::size_t b = 0; b < std::min(positions.size(), regimes.size()); ++b)
                bars += positions[b] == 1 && regimes[b] == up ? 1 : 0;
            if (bars > 0)
                all.emplace_back(-bars, l.trace.identity.name, *l.trace.identity.symbol);
        }
        std::sort(all.begin(), all.end());
        Rows expected;
        for (std::size_t i = 0; i < 5; ++i)
            expected.push_back({std::get<1>(all[i]), std::get<2>(all[i]), std::to_string(-std::get<0>(all[i]))});
        COMPARE_ROWS(query(2), expected);
    }

    void readmeAgreement()
    {
        const auto a = perBar(find("ma_crossover_2_22", "SPY").trace);
        const auto b = perBar(find("ma_crossover_11_62", "SPY").trace);
        std::int64_t bars = 0, same = 0, bothLong = 0, bothShort = 0, opposite = 0;
        for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
            if (a[i] == kNone || b[i] == kNone)
                continue;
            ++bars;
            same += a[i] == b[i];
            bothLong += a[i] == 1 && b[i] == 1;
            bothShort += a[i] == -1 && b[i] == -1;
            opposite += a[i] == -b[i] && a[i] != 0;
        }
        COMPARE_ROWS(query(3), (Rows{{std::to_string(bars), std::to_string(same), std::to_string(bothLong),
                                      std::to_string(bothShort), std::to_string(opposite)}}));
    }

    void readmeTradeReturns()
    {
        const PriceSeries spy = readMarketCsv(m_root / "market" / "SPY_1m.csv").series;
        std::vector<std::tuple<double, std::string, Rows::value_type>> all;
        for (const Loaded& l : m_traces) {
            const Trace& t = l.trace;
            if (l.entry.type != "momentum" || t.identity.symbol != "SPY")
                continue;
            std::int64_t trades = 0, winners = 0;
            double sum = 0.0;
            for (std::size_t i = 0; i < t.size(); ++i) {
                const std::int64_t exitBar = i + 1 < t.size() ? t.bar(i + 1) : t.effectiveTotalBars();
                const auto entry = spy.closeAt(t.bar(i));
                const auto exit = spy.closeAt(exitBar);
                if (t.value(i) == 0 || !entry || !exit)
                    continue;
                ++trades;
                winners += t.value(i) * (*exit - *entry) > 0 ? 1 : 0;
                sum += t.value(i) * (*exit / *entry - 1);
            }
            const double pct = std::round(100 * (sum / double(trades)) * 1e4) / 1e4;
            all.emplace_back(-pct, t.identity.name,
                             Rows::value_type{t.identity.name, std::to_string(trades), std::to_string(winners), shortest(pct)});
        }
        std::sort(all.begin(), all.end(), [](const auto& x, const auto& y) {
            return std::tie(std::get<0>(x), std::get<1>(x)) < std::tie(std::get<0>(y), std::get<1>(y));
        });
        Rows expected;
        for (std::size_t i = 0; i < 5; ++i)
            expected.push_back(std::get<2>(all[i]));
        COMPARE_ROWS(query(4), expected);
    }

    // The sixth README query: per type, from core::metrics with the recorded prices.
    void readmeFamilyMetrics()
    {
        struct Family {
            std::int64_t variants = 0, trades = 0, rated = 0;
            double winRates = 0.0, best = -INFINITY, least = INFINITY;
        };
        std::map<std::string, Family> families;
        for (const Loaded& l : m_traces) {
            if (l.trace.kind() != Kind::Signal)
                continue;
            const metrics::TraceMetrics m = metrics::compute(l.trace);
            QVERIFY(m.ok);
            Family& f = families[l.entry.type];
            ++f.variants;
            f.trades += m.trades;
            if (!std::isnan(m.winRate)) {
                ++f.rated;
                f.winRates += m.winRate;
            }
            f.best = std::max(f.best, m.totalReturn);
            f.least = std::min(f.least, m.maxDrawdown);
        }
        const auto round = [](double x, double places) { return shortest(std::round(x * places) / places); };
        std::vector<std::pair<double, Rows::value_type>> sorted;
        for (const auto& [type, f] : families)
            sorted.push_back({-std::round(f.best * 1e6) / 1e6,
                              {type, std::to_string(f.variants), std::to_string(f.trades),
                               round(f.winRates / double(f.rated), 1e4), round(f.best, 1e6), round(f.least, 1e6)}});
        std::sort(sorted.begin(), sorted.end());
        Rows expected;
        for (const auto& [key, row] : sorted)
            expected.push_back(row);
        QCOMPARE(expected.size(), std::size_t(5));
        COMPARE_ROWS(query(5), expected);
    }

    void commandLineIsReadOnlyAndExact()
    {
        const auto before = snapshot(m_root);
        const QString dir = QString::fromStdString(m_root.string());

        auto run = runSigscope({QStringLiteral("sql"), dir,
                                QStringLiteral("SELECT kind, count(*) AS traces, sum(changes) AS changes FROM traces "
                                               "GROUP BY kind ORDER BY kind")});
        QCOMPARE(run.err, QString());
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out, QStringLiteral("kind        traces  changes\n"
                                         "----------  ------  -------\n"
                                         "classifier       8     2394\n"
                                         "signal         200   283587\n"
                                         "(2 rows)\n"));

        run = runSigscope({QStringLiteral("sql"), dir, QStringLiteral("SELECT 1 AS a, 'x,y' AS b, NULL AS c, 2.5 AS d"),
                           QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out, QStringLiteral("[\n  {\n    \"a\": 1,\n    \"b\": \"x,y\",\n    \"c\": null,\n    \"d\": 2.5\n  }\n]\n"));

        QTemporaryDir out;
        const QString csv = out.filePath(QStringLiteral("result.csv"));
        run = runSigscope({QStringLiteral("sql"), dir,
                           QStringLiteral("SELECT name, regime, bar FROM classifiers WHERE name = 'volatility_regime_120' "
                                          "AND symbol = 'SPY' ORDER BY bar LIMIT 2"),
                           QStringLiteral("--csv"), csv});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out, csv + QStringLiteral(" (2 rows)\n"));
        const Trace& vol = find("volatility_regime_120", "SPY").trace;
        QCOMPARE(sigscope::test::readFile(csv.toStdString()),
                 "name,regime,bar\nvolatility_regime_120," + vol.valueText(0) + "," + std::to_string(vol.bar(0))
                     + "\nvolatility_regime_120," + vol.valueText(1) + "," + std::to_string(vol.bar(1)) + "\n");

        run = runSigscope({QStringLiteral("sql"), dir, QStringLiteral("SELEC 1")});
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.out, QString());
        QCOMPARE(run.err, QStringLiteral("sigscope: Parser Error: syntax error at or near \"SELEC\"\n\n"
                                         "LINE 1: SELEC 1\n        ^\n"));

        // COPY into the storage folder (the one folder DuckDB may read) is refused like the rest.
        const QString copy = QStringLiteral("COPY traces TO '%1'").arg(dir + QStringLiteral("/copied.csv"));
        for (const QString& writing : {QStringLiteral("DELETE FROM changes"), QStringLiteral("CREATE TABLE t AS SELECT 1"),
                                       QStringLiteral("SELECT 1; DROP TABLE traces"), copy}) {
            run = runSigscope({QStringLiteral("sql"), dir, writing});
            QCOMPARE(run.exitCode, 1);
            QVERIFY2(run.err.contains(QStringLiteral("is not a SELECT: sigscope's SQL only reads")), qPrintable(run.err));
        }
        // Anywhere else DuckDB's file system is closed.
        run = runSigscope({QStringLiteral("sql"), dir, QStringLiteral("COPY traces TO '%1'").arg(out.filePath(QStringLiteral("c.csv")))});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("Permission Error")), qPrintable(run.err));
        QVERIFY(!QFile::exists(out.filePath(QStringLiteral("c.csv"))));

        run = runSigscope({QStringLiteral("sql"), dir, QStringLiteral("SELECT 1"), QStringLiteral("--csv"),
                           dir + QStringLiteral("/signals/out.csv")});
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.err, QStringLiteral("sigscope: %1/signals/out.csv is inside the storage folder %1: sigscope never "
                                         "writes into a storage; choose a file elsewhere\n")
                              .arg(dir));
        QVERIFY(snapshot(m_root) == before);
    }

    // A version-0 (upstream Python) folder opens as it is: its three traces, every change, and the
    // identity sigscope gives them (the symbol from the container id, the identity hash).
    // A version-2 (Parquet) copy of the same storage: changes is a view over its files, and every
    // README query and every column but file_path gives exactly what the version-1 tables give.
    void parquetStorageGivesTheSameAnswers()
    {
        const fs::path v2 = fs::path(m_dir.path().toStdString()) / "demo-v2";
        copyStorage(Storage::open(m_root), v2, StorageFormat::Parquet);
        sql::OpenedStorage opened = sql::openStorageDatabase(v2);
        QVERIFY(opened.report.findings.empty());
        QCOMPARE(opened.report.traces, m_db->report.traces);
        QCOMPARE(opened.report.changes, m_db->report.changes);
        QVERIFY(opened.report.market);
        const auto same = [&](const std::string& q) { COMPARE_ROWS(rowsOf(opened.database.query(q)), rowsOf(m_db->database.query(q))); };
        for (const std::string& q : readmeQueries())
            same(q);
        same("SELECT * EXCLUDE (file_path) FROM traces ORDER BY hash");
        same("SELECT t.hash, c.kind, c.bar, c.time, c.value, c.signal, c.price, c.next_bar FROM changes c "
             "JOIN traces t USING (file_path) ORDER BY ALL");
        same("SELECT * EXCLUDE (file_path) FROM signals ORDER BY ALL");
        same("SELECT * EXCLUDE (file_path) FROM classifiers ORDER BY ALL");
        same("SELECT count(*) FROM changes");
        same("SELECT * EXCLUDE (file_path) FROM metrics ORDER BY ALL");
        same("SELECT t.hash, r.* EXCLUDE (file_path) FROM trades r JOIN traces t USING (file_path) ORDER BY ALL");
    }

    // The same traces written into version 2 in two writes (two parts per partition, the second
    // saying that it replaces no row of the first), then the first half once more (its part
    // replaces rows of the first part): the answers stay those of version 1, and file_path is the
    // listing's.
    void parquetPartsGiveTheSameAnswers()
    {
        const Storage storage = Storage::open(m_root);
        std::vector<Trace> traces;
        for (const TypeIndex& index : storage.readAllIndexes())
            for (const IndexEntry& e : index.entries)
                traces.push_back(loadTrace(storage.absolutePath(e)));
        const std::span<const Trace> all(traces), first = all.first(traces.size() / 2), second = all.subspan(first.size());
        const fs::path v2 = fs::path(m_dir.path().toStdString()) / "demo-v2-parts";
        const std::string files = sql::literal((v2 / "traces" / "*" / "*" / "*" / "*.parquet").string());
        std::int64_t partsBefore = 0;
        for (const bool again : {false, true}) {
            if (!again) {
                ParquetStorageWriter(v2).write(first);
                ParquetStorageWriter(v2).write(second);
            } else {
                ParquetStorageWriter(v2).write(first);
            }
            sql::OpenedStorage opened = sql::openStorageDatabase(v2);
            QVERIFY(opened.report.findings.empty());
            QCOMPARE(opened.report.traces, m_db->report.traces);
            QCOMPARE(opened.report.changes, m_db->report.changes);
            const auto same = [&](const std::string& q) { COMPARE_ROWS(rowsOf(opened.database.query(q)), rowsOf(m_db->database.query(q))); };
            same("SELECT count(*), sum(next_bar), count(price), count(signal) FROM changes");
            same("SELECT t.hash, c.kind, c.bar, c.time, c.value, c.signal, c.price, c.next_bar FROM changes c "
                 "JOIN traces t USING (file_path) ORDER BY ALL");
            same("SELECT * EXCLUDE (file_path) FROM metrics ORDER BY ALL");
            Rows listed;
            for (const TypeIndex& index : Storage::open(v2).readAllIndexes())
                for (const IndexEntry& e : index.entries)
                    listed.push_back({e.filePath, std::to_string(e.totalItems), e.fileHash});
            std::sort(listed.begin(), listed.end());
            QCOMPARE(listed.size(), traces.size());
            COMPARE_ROWS(rowsOf(opened.database.query("SELECT file_path, changes, hash FROM traces ORDER BY ALL")), listed);
            // Every part of the first two writes says that it replaces no row; the third says nothing.
            const auto marked = sql::readShared("SELECT count(*) FROM parquet_kv_metadata(" + files
                                                + ") WHERE decode(key) = 'sigscope_replaces_none_through'");
            const auto parts = sql::readShared("SELECT count(*) FROM glob(" + files + ")");
            QCOMPARE(marked.columns[0].integers[0], again ? partsBefore : parts.columns[0].integers[0]);
            QVERIFY(parts.columns[0].integers[0] > partsBefore);
            partsBefore = parts.columns[0].integers[0];
        }
    }

    void versionZeroFolder()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        const fs::path root = fixtures / "upstream" / "analytics_storage";
        const auto before = snapshot(root);
        sql::OpenedStorage opened = sql::openStorageDatabase(root);
        const Storage storage = Storage::open(root);
        Rows expected;
        for (const TypeIndex& index : storage.readAllIndexes())
            for (const IndexEntry& e : index.entries) {
                const Trace t = loadTrace(storage.absolutePath(e));
                expected.push_back({e.filePath, std::string(kindName(t.kind())), t.identity.name,
                                    t.identity.symbol.value_or("NULL"), std::to_string(t.size()), t.identity.hashHex()});
            }
        std::sort(expected.begin(), expected.end());
        QCOMPARE(expected.size(), std::size_t(3));
        COMPARE_ROWS(rowsOf(opened.database.query("SELECT file_path, kind, name, coalesce(symbol, 'NULL'), changes, hash "
                                                  "FROM traces ORDER BY file_path")),
                     expected);
        QCOMPARE(opened.database.query("SELECT count(*) FROM changes").text(0, 0), std::string("14"));
        QVERIFY(!opened.report.market);
        QVERIFY(snapshot(root) == before);
    }

    // A Parquet workspace of the Python system (L6) gets the same tables: the fixture's counts
    // (fixtures README: 193 signals, 65 classifiers, 14,319 changes, one run) and every change's
    // bar and value against plain DuckDB reading the same files as an outside engine would.
    void parquetWorkspace()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        const fs::path root = fixtures / "parquet" / "workspaces" / "expansive_grid_search_73511fd8";
        const auto before = snapshot(root);
        sql::OpenedStorage opened = sql::openStorageDatabase(root);
        COMPARE_ROWS(rowsOf(opened.database.query("SELECT kind, count(*), sum(changes), count(DISTINCT run) FROM traces "
                                                  "GROUP BY kind ORDER BY kind")),
                     (Rows{{"classifier", "65", "3071", "1"}, {"signal", "193", "11248", "1"}}));
        const std::string ours = "SELECT count(*), sum(bar), CAST(sum(hash(bar, value)) AS VARCHAR) FROM changes";
        sql::Database plain;
        const std::string glob = (root / "traces" / "*" / "*" / "*" / "*.parquet").string();
        const std::string theirs = "SELECT count(*), sum(idx), CAST(sum(hash(idx, CAST(val AS VARCHAR))) AS VARCHAR) FROM read_parquet('"
            + glob + "', union_by_name = true)";
        const auto a = rowsOf(opened.database.query(ours));
        const auto b = rowsOf(plain.query(theirs));
        QCOMPARE(a.front().front(), std::string("14319"));
        COMPARE_ROWS(a, b);
        // A metrics row per signal, as `sigscope metrics` gives them (the run records no market data).
        const Rows metrics = rowsOf(opened.database.query(kMetricsQuery));
        QCOMPARE(metrics.size(), std::size_t(193));
        COMPARE_ROWS(metrics, commandMetrics(root, fs::path(m_dir.path().toStdString()) / "l6-metrics.csv"));
        QVERIFY(snapshot(root) == before);
    }

    // The metrics view is `sigscope metrics` with the recorded prices and cost 0, to the last bit:
    // on the demo (its copy without market data, so that the command takes the recorded prices).
    void metricsViewEqualsTheCommand()
    {
        const fs::path copy = fs::path(m_dir.path().toStdString()) / "demo-recorded";
        fs::copy(m_root, copy, fs::copy_options::recursive);
        fs::remove_all(copy / "market");
        const Rows expected = commandMetrics(copy, fs::path(m_dir.path().toStdString()) / "demo-metrics.csv");
        QCOMPARE(expected.size(), std::size_t(200));
        COMPARE_ROWS(rowsOf(m_db->database.query(kMetricsQuery)), expected);
        QCOMPARE(m_db->database.query("SELECT count(*) FROM trades").text(0, 0),
                 m_db->database.query("SELECT CAST(sum(trades) AS VARCHAR) FROM metrics").text(0, 0));
    }

    // Hand-worked, over 10 bars each:
    // a: long 1..3 at 100 -> 120 (r = 120/100 - 1 = 0.19999999999999996), flip, short 4..7 at
    //    120 -> 90 (r = -(90/120 - 1) = 0.25): avg 0.22499999999999998, no loss (inf), total
    //    1.2 * 1.25 - 1 = 0.5, exposure 7/10, hold 3.5, one flip.
    // b: +1 at bar 2 superseded on its bar by -1 (holds no bar: no trade, no flip); -1 again at
    //    bar 5 at 110 (the same run); open to the end, exits at the last price 110:
    //    r = -(110/100 - 1) = -0.10000000000000009, profit factor 0, drawdown 1 - 0.9 = 0.10000000000000009.
    // c: prices not recorded (0): a trade but no metrics (NULL). d: flat only: no trade.
    void metricsViewHandWorked()
    {
        const fs::path root = fs::path(m_dir.path().toStdString()) / "hand";
        StorageWriter writer(root);
        const std::string a = writer.write(signalTrace("a", {{1, 1, 100}, {4, -1, 120}, {8, 0, 90}})).filePath;
        const std::string b = writer.write(signalTrace("b", {{2, 1, 100}, {2, -1, 100}, {5, -1, 110}})).filePath;
        const std::string c = writer.write(signalTrace("c", {{2, 1, 0}, {5, 0, 0}})).filePath;
        const std::string d = writer.write(signalTrace("d", {{3, 0, 50}})).filePath;
        sql::OpenedStorage opened = sql::openStorageDatabase(root);
        COMPARE_ROWS(rowsOf(opened.database.query("SELECT name, entry_bar, exit_bar, position, entry_price, exit_price, "
                                                  "\"return\", open FROM trades JOIN traces USING (file_path) "
                                                  "ORDER BY name, entry_bar")),
                     (Rows{{"a", "1", "4", "1", "100", "120", "0.19999999999999996", "false"},
                           {"a", "4", "8", "-1", "120", "90", "0.25", "false"},
                           {"b", "2", "10", "-1", "100", "110", "-0.10000000000000009", "true"},
                           {"c", "2", "5", "1", "", "", "", "false"}}));
        Rows expected{{a, "2", "1", "0.22499999999999998", "inf", "0.5", "0", "0.7", "3.5", "1"},
                      {b, "1", "0", "-0.10000000000000009", "0", "-0.10000000000000009", "0.10000000000000009", "0.8",
                       "8", "0"},
                      {c, "", "", "", "", "", "", "", "", ""},
                      {d, "0", "", "", "", "0", "0", "0", "", "0"}};
        std::sort(expected.begin(), expected.end());
        COMPARE_ROWS(rowsOf(opened.database.query(kMetricsQuery)), expected);
        COMPARE_ROWS(commandMetrics(root, fs::path(m_dir.path().toStdString()) / "hand.csv"), expected);
    }

    void insideFolderFollowsLinks()
    {
        QTemporaryDir dir;
        const fs::path root = fs::path(dir.path().toStdString()) / "s";
        fs::create_directories(root / "a");
        fs::create_directory_symlink(root / "a", fs::path(dir.path().toStdString()) / "link");
        QVERIFY(sql::insideFolder(root / "x.csv", root));
        QVERIFY(sql::insideFolder(root / "a" / ".." / "b" / "x.csv", root));
        QVERIFY(sql::insideFolder(fs::path(dir.path().toStdString()) / "link" / "x.csv", root));
        QVERIFY(!sql::insideFolder(fs::path(dir.path().toStdString()) / "s2" / "x.csv", root));
        QVERIFY(!sql::insideFolder(root / ".." / "x.csv", root));
    }
};

QTEST_GUILESS_MAIN(TestSqlViews)
#include "tst_sqlviews.moc"
