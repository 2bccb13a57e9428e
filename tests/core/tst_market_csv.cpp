// Market CSV beside a storage: columns by header name, skipped rows reported with their line,
// the real SPY fixture, and the <root>/market/<SYMBOL>_<tf>.csv lookup.
#include "core/market/priceseries.h"
#include "core/model/timestamp.h"
#include "tests/support/testsupport.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace sigscope;

class TestMarketCsv : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesColumnsByName()
    {
        const auto r = core::parseMarketCsv("timestamp,close,bar_index,volume\r\n"
                                            "2024-03-26T13:30:00+00:00,521.01,0,10\r\n"
                                            "2024-03-26T13:31:00+00:00,521.07,1,11\r\n"
                                            "not a time,522.5,5,12\r\n",
                                            "/x/market/SPY_1m.csv");
        QVERIFY(r.ok);
        QCOMPARE(r.series.symbol, std::string("SPY"));
        QCOMPARE(r.series.timeframe, std::string("1m"));
        QCOMPARE(r.series.bars, (std::vector<std::int64_t>{0, 1, 5}));
        QCOMPARE(r.series.closes, (std::vector<double>{521.01, 521.07, 522.5}));
        QCOMPARE(r.series.times[0], core::parseIsoTime("2024-03-26T13:30:00+00:00")->utcMicros);
        QCOMPARE(r.series.times[2], core::kNoTime);
        QCOMPARE(r.series.closeAt(5), std::optional<double>(522.5));
        QCOMPARE(r.series.closeAt(3), std::nullopt);
        QCOMPARE(r.series.rowOfBar(1), std::optional<std::size_t>(1));
        QVERIFY(r.warnings.empty());
    }

    void badRowsAreSkippedWithTheirLine()
    {
        const auto r = core::parseMarketCsv("bar_index,close\n0,1.5\nx,2\n1\n0,3\n\n2,4\n", "p.csv");
        QVERIFY(r.ok);
        QCOMPARE(r.series.bars, (std::vector<std::int64_t>{0, 2}));
        QCOMPARE(r.warnings.size(), std::size_t(3));
        QCOMPARE(r.warnings[0].line, std::int64_t(3));
        QCOMPARE(r.warnings[0].message, std::string("bad bar_index or close, skipped"));
        QCOMPARE(r.warnings[1].line, std::int64_t(4));
        QCOMPARE(r.warnings[1].message, std::string("row has 1 fields, skipped"));
        QCOMPARE(r.warnings[2].line, std::int64_t(5));
        QCOMPARE(r.warnings[2].message, std::string("bar_index 0 not increasing, skipped"));
        QCOMPARE(r.warnings[2].path, std::string("p.csv"));
        QCOMPARE(r.warnings[2].code, std::string("market-csv"));
    }

    void errors()
    {
        const auto empty = core::parseMarketCsv("", "e.csv");
        QVERIFY(!empty.ok);
        QCOMPARE(empty.error.message, std::string("empty file: no header line"));
        const auto noClose = core::parseMarketCsv("bar_index,open\n0,1\n", "n.csv");
        QVERIFY(!noClose.ok);
        QCOMPARE(noClose.error.line, std::int64_t(1));
        QCOMPARE(noClose.error.message, std::string("header must name the columns bar_index and close"));
        const auto missing = core::readMarketCsv("/nonexistent/market/SPY_1m.csv");
        QVERIFY(!missing.ok);
        QCOMPARE(missing.error.message, std::string("cannot open file"));
        QCOMPARE(missing.error.path, std::string("/nonexistent/market/SPY_1m.csv"));
    }

    void realFixture()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        const auto r = core::readMarketCsv(fixtures / "market" / "SPY_1m.csv");
        QVERIFY(r.ok);
        QVERIFY(r.warnings.empty());
        QCOMPARE(r.series.size(), std::size_t(102236));
        QCOMPARE(r.series.bars.front(), std::int64_t(0));
        QCOMPARE(r.series.closes.front(), 521.01);
        QCOMPARE(r.series.closes[3], 521.2896);
        QCOMPARE(r.series.times[1], core::parseIsoTime("2024-03-26T13:31:00+00:00")->utcMicros);
        QCOMPARE(r.series.symbol, std::string("SPY"));
    }

    void lookupBesideStorage()
    {
        QTemporaryDir dir;
        const std::filesystem::path root(dir.path().toStdString());
        QCOMPARE(core::marketCsvPath(root, "SPY", "1m"), root / "market" / "SPY_1m.csv");
        QCOMPARE(core::findMarketCsv(root, "SPY", "1m"), std::nullopt);
        std::filesystem::create_directories(root / "market");
        std::ofstream(root / "market" / "SPY_1m.csv") << "bar_index,close\n0,1\n";
        QCOMPARE(core::findMarketCsv(root, "SPY", "1m"), std::optional(root / "market" / "SPY_1m.csv"));
        QCOMPARE(core::findMarketCsv(root, "SPY", "5m"), std::nullopt);
    }
};

QTEST_GUILESS_MAIN(TestMarketCsv)
#include "tst_market_csv.moc"
