// The metrics cache (core/analysis/metricscache.h, docs/format.md "The metrics cache"): a hit gives
// the numbers of a fresh computation, a changed trace or pricing is computed again, a damaged file
// is ignored with a warning, and nothing is written into an L6 workspace.
#include "core/analysis/metricscache.h"
#include "core/model/identity.h"
#include "core/storage/traceio.h"
#include "core/storage/writer.h"
#include "tests/support/testsupport.h"

#include <QTemporaryDir>
#include <QTest>
#include <fstream>
#include <map>

using namespace sigscope::core;
using namespace sigscope::core::metrics;
namespace fs = std::filesystem;

namespace {

struct Change
{
    std::int64_t bar;
    std::int32_t value;
    double price;
};

Trace make(const std::string& name, const std::string& symbol, const std::vector<Change>& changes)
{
    Trace t(TraceIdentity{Kind::Signal, name, Parameters{{"period", 5}}, symbol, "1m", std::string("r1"), {}}, "trend");
    t.metadata.totalBars = 10;
    for (const Change& c : changes)
        t.appendSignal(c.bar, "", c.value, c.price);
    return t;
}

void writeText(const fs::path& file, const std::string& text)
{
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
}

// Every number a table shows, and why there is none.
std::string describe(const TraceMetrics& m)
{
    std::string out = (m.ok ? "ok" : "no: " + m.reason) + " bars " + std::to_string(m.bars) +
                      (m.barPrices ? " bar prices" : "");
    for (const std::string& name : metricNames()) {
        char buffer[64];
        std::snprintf(buffer, sizeof buffer, " %s=%.17g", name.c_str(), metricValue(m, name));
        out += buffer;
    }
    return out;
}

std::string notASignal()
{
    TraceMetrics none;
    none.reason = "not a signal trace";
    return describe(none);
}

} // namespace

class TestMetricsCache : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    fs::path m_root;
    fs::path m_cacheDir;
    std::vector<std::string> m_warnings;
    CacheReport m_report;

    std::vector<TraceMetrics> score(const fs::path& root, const Options& options = {}, bool write = true)
    {
        const Storage storage = Storage::open(root);
        m_indexes = storage.readAllIndexes();
        std::vector<const IndexEntry*> entries;
        for (const auto& index : m_indexes)
            for (const auto& entry : index.entries)
                entries.push_back(&entry);
        CacheSetup setup{root, storage.formatVersion(), m_cacheDir, {}, write};
        MarketCache markets;
        m_warnings.clear();
        return scoreCached(
            entries, setup, options, nullptr, markets,
            [&storage](const IndexEntry& e) { return std::make_shared<const Trace>(loadTrace(storage.absolutePath(e))); },
            m_report, [this](const std::string& w) { m_warnings.push_back(w); });
    }

    // The same entries scored without any cache.
    std::vector<std::string> fresh(const fs::path& root, const Options& options = {})
    {
        const Storage storage = Storage::open(root);
        MarketCache markets;
        Scorer scorer(root, options, nullptr, markets);
        std::vector<std::string> out;
        for (const auto& index : storage.readAllIndexes())
            for (const auto& entry : index.entries)
                out.push_back(entry.kind == Kind::Signal ? describe(scorer.score(loadTrace(storage.absolutePath(entry))))
                                                         : notASignal());
        return out;
    }

    static std::vector<std::string> described(const std::vector<TraceMetrics>& metrics)
    {
        std::vector<std::string> out;
        for (const TraceMetrics& m : metrics)
            out.push_back(describe(m));
        return out;
    }

    std::vector<TypeIndex> m_indexes;

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_root = fs::path(m_dir.path().toStdString()) / "storage";
        m_cacheDir = fs::path(m_dir.path().toStdString()) / "cache";
        fs::remove_all(m_root);
        fs::remove_all(m_cacheDir);
        StorageWriter writer(m_root);
        writer.write(make("alpha", "SPY", {{1, 1, 100}, {4, -1, 120}, {8, 0, 90}}));
        writer.write(make("beta", "SPY", {{2, 1, 100}, {5, 0, 110}}));
        writer.write(make("gamma", "QQQ", {{2, 1, 0}, {5, 0, 0}}));
    }

    void hitGivesIdenticalNumbers()
    {
        const auto first = described(score(m_root));
        QCOMPARE(m_report.hits, std::size_t(0));
        QCOMPARE(m_report.computed, std::size_t(3));
        const fs::path file = m_root / "signals/trend/index.metrics";
        QCOMPARE(m_report.written, std::vector<fs::path>{file});
        QCOMPARE(first, fresh(m_root));
        QCOMPARE(first[0], std::string("ok bars 10 trades=2 win_rate=1 avg_trade=0.22499999999999998 profit_factor=inf "
                                       "total_return=0.5 max_drawdown=0 exposure=0.69999999999999996 mean_hold=3.5 "
                                       "flips=1 sharpe=nan"));
        const std::string bytes = sigscope::test::readFile(file);
        const auto second = described(score(m_root));
        QCOMPARE(m_report.hits, std::size_t(3));
        QCOMPARE(m_report.computed, std::size_t(0));
        QCOMPARE(m_report.written, std::vector<fs::path>{}); // nothing new: not written again
        QCOMPARE(second, first);
        QCOMPARE(sigscope::test::readFile(file), bytes);
        QCOMPARE(m_warnings, std::vector<std::string>{});
        QVERIFY(!fs::exists(m_cacheDir)); // version 1: beside the index, not in the cache folder
        QCOMPARE(rebuildIndexes(m_root).findings.size(), std::size_t(0)); // no data file to the index
        QCOMPARE(described(score(m_root)), first);
        QCOMPARE(m_report.hits, std::size_t(3));
    }

    void changedTraceIsRecomputed()
    {
        score(m_root);
        StorageWriter(m_root).write(make("alpha", "SPY", {{1, 1, 100}, {6, 0, 150}})); // same file, new changes hash
        const auto again = described(score(m_root));
        QCOMPARE(m_report.hits, std::size_t(2));
        QCOMPARE(m_report.computed, std::size_t(1));
        QCOMPARE(again, fresh(m_root));
        QCOMPARE(again[0], std::string("ok bars 10 trades=1 win_rate=1 avg_trade=0.5 profit_factor=inf total_return=0.5 "
                                       "max_drawdown=0 exposure=0.5 mean_hold=5 flips=0 sharpe=nan"));
        score(m_root);
        QCOMPARE(m_report.hits, std::size_t(3));
    }

    void changedPricingInvalidates()
    {
        score(m_root);
        Options cost;
        cost.costBps = 10;
        const auto priced = described(score(m_root, cost));
        QCOMPARE(m_report.computed, std::size_t(3));
        QCOMPARE(priced, fresh(m_root, cost));
        score(m_root, cost);
        QCOMPARE(m_report.hits, std::size_t(3));
        score(m_root); // cost 0 is still kept beside cost 10
        QCOMPARE(m_report.hits, std::size_t(3));

        // A market file for SPY: its two traces are priced by it now, QQQ's is not.
        fs::create_directories(m_root / "market");
        writeText(m_root / "market/SPY_1m.csv", "bar_index,close\n0,100\n1,100\n2,101\n3,102\n4,120\n5,110\n"
                                                 "6,100\n7,95\n8,90\n9,90\n");
        const auto market = described(score(m_root));
        QCOMPARE(m_report.hits, std::size_t(1));
        QCOMPARE(m_report.computed, std::size_t(2));
        QCOMPARE(market, fresh(m_root));
        QVERIFY(market[0].find(" bar prices") != std::string::npos);
        // The market file changes (another size): computed again.
        writeText(m_root / "market/SPY_1m.csv", "bar_index,close\n0,100\n1,100\n2,101\n3,102\n4,130\n5,110\n"
                                                 "6,100\n7,95\n8,90\n9,90\n");
        QCOMPARE(described(score(m_root)), fresh(m_root));
        QCOMPARE(m_report.computed, std::size_t(2));
        // A price offset moves the market bars.
        Options offset;
        offset.priceOffset = 1;
        QCOMPARE(described(score(m_root, offset)), fresh(m_root, offset));
        QCOMPARE(m_report.computed, std::size_t(2));
        // A bar range is never cached.
        Options range;
        range.to = 5;
        QCOMPARE(described(score(m_root, range)), fresh(m_root, range));
        QCOMPARE(m_report.cacheable, false);
        QCOMPARE(m_report.computed, std::size_t(3));
    }

    void corruptFileIsIgnored_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("reason");
        QTest::newRow("truncated") << "{\"sigscope_metrics_cache\": 1, \"entr" << "not valid JSON";
        QTest::newRow("other version") << "{\"sigscope_metrics_cache\": 2, \"entries\": []}"
                                       << "not a metrics cache of version 1";
        QTest::newRow("bad entry") << "{\"sigscope_metrics_cache\": 1, \"entries\": [{\"file_path\": \"x\", \"content\": 3}]}"
                                   << "entry 0: \"content\" of the wrong type";
    }

    void corruptFileIsIgnored()
    {
        QFETCH(QString, text);
        QFETCH(QString, reason);
        const auto first = described(score(m_root));
        const fs::path file = m_root / "signals/trend/index.metrics";
        writeText(file, text.toStdString());
        QCOMPARE(described(score(m_root)), first);
        QCOMPARE(m_report.computed, std::size_t(3));
        QCOMPARE(m_warnings,
                 std::vector<std::string>{"metrics cache " + file.string() + ": " + reason.toStdString() + "; ignored"});
        QCOMPARE(m_report.written, std::vector<fs::path>{file}); // replaced by a good one
        score(m_root);
        QCOMPARE(m_report.hits, std::size_t(3));
        QCOMPARE(m_warnings, std::vector<std::string>{});
    }

    void readOnlyWritesNothing()
    {
        score(m_root, {}, false);
        QVERIFY(!fs::exists(m_root / "signals/trend/index.metrics"));
        QCOMPARE(m_report.written, std::vector<fs::path>{});
    }

    // `sigscope index DIR --metrics` writes the cache; `sigscope metrics` reads it and says so,
    // with the numbers of a run without it. The user's cache folder is $XDG_CACHE_HOME/sigscope.
    void commandLine()
    {
        qputenv("XDG_CACHE_HOME", QByteArray::fromStdString(m_cacheDir.string()));
        const QString dir = QString::fromStdString(m_root.string());
        const QString file = QString::fromStdString((m_root / "signals/trend/index.metrics").string());
        auto run = sigscope::test::runSigscope({QStringLiteral("index"), dir, QStringLiteral("--metrics")});
        QCOMPARE(run.err, QString());
        QCOMPARE(run.out, QStringLiteral("metrics of 3 signal traces: 3 computed, 0 unchanged\n") + file + QLatin1Char('\n'));
        QCOMPARE(run.exitCode, 0);
        run = sigscope::test::runSigscope({QStringLiteral("index"), dir, QStringLiteral("--metrics")});
        QCOMPARE(run.out, QStringLiteral("metrics of 3 signal traces: 0 computed, 3 unchanged\n"));

        const QString csv = QString::fromStdString((fs::path(m_dir.path().toStdString()) / "cached.csv").string());
        run = sigscope::test::runSigscope({QStringLiteral("metrics"), dir, QStringLiteral("--csv"), csv});
        QCOMPARE(run.err,
                 QStringLiteral("sigscope: metrics of 3 of 3 traces from the metrics cache (unchanged since it was written)\n"));
        const std::string cached = sigscope::test::readFile(csv.toStdString());
        fs::remove(file.toStdString());
        run = sigscope::test::runSigscope({QStringLiteral("metrics"), dir, QStringLiteral("--csv"), csv});
        QCOMPARE(run.err, QString());
        QCOMPARE(cached, sigscope::test::readFile(csv.toStdString()));
        QVERIFY(!fs::exists(file.toStdString())); // sigscope metrics only reads
        QVERIFY(!fs::exists(m_cacheDir));
    }

    void nothingWrittenIntoAWorkspace()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        const fs::path root = fixtures / "parquet/workspaces/expansive_grid_search_73511fd8";
        const auto before = sigscope::test::hashTree(root);
        const auto first = described(score(root));
        QVERIFY(m_report.computed > 0);
        QCOMPARE(m_report.hits, std::size_t(0));
        QVERIFY(!m_report.written.empty());
        for (const fs::path& file : m_report.written)
            QVERIFY2(file.string().rfind((m_cacheDir / "metrics").string() + "/", 0) == 0, file.c_str());
        QCOMPARE(sigscope::test::hashTree(root), before);
        const auto second = described(score(root));
        QCOMPARE(m_report.hits, first.size() - std::size_t(std::count(first.begin(), first.end(),
                                                                       notASignal())));
        QCOMPARE(m_report.computed, std::size_t(0));
        QCOMPARE(second, first);
        QCOMPARE(sigscope::test::hashTree(root), before);
    }
};

QTEST_GUILESS_MAIN(TestMetricsCache)
#include "tst_metrics_cache.moc"
