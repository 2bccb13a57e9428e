// The trace query shared by the explorer and the command line (core::query): the filter grammar
// (tokens, '|' alternatives, parameter comparisons), the fields of an index entry, the tree's
// order, and the lane rules (labels, split by kind, comparison set, price file).
#include "core/model/trace.h"
#include "core/query/filter.h"
#include "core/query/lanes.h"
#include "core/storage/storage.h"

#include <QTemporaryDir>
#include <QTest>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

using namespace sigscope;
namespace query = sigscope::core::query;

namespace {

QStringList qlist(const std::vector<std::string>& texts)
{
    QStringList list;
    for (const auto& text : texts)
        list << QString::fromStdString(text);
    return list;
}

core::IndexEntry entry(core::Kind kind, std::string type, std::string name, core::Parameters parameters,
                       std::optional<std::string> symbol = std::string("SPY"), std::optional<std::int64_t> variant = {})
{
    core::IndexEntry e;
    e.kind = kind;
    e.type = std::move(type);
    e.name = std::move(name);
    e.parameters = std::move(parameters);
    e.symbol = std::move(symbol);
    e.timeframe = "1m";
    e.variant = variant;
    e.filePath = std::string(core::kindFolder(kind)) + '/' + e.type + '/' + e.name + ".json";
    return e;
}

std::shared_ptr<const core::Trace> trace(core::Kind kind, const std::string& name, std::optional<std::string> symbol,
                                         std::optional<std::string> timeframe = std::string("1m"))
{
    core::TraceIdentity identity;
    identity.kind = kind;
    identity.name = name;
    identity.symbol = std::move(symbol);
    identity.timeframe = std::move(timeframe);
    return std::make_shared<const core::Trace>(identity, "t");
}

// The fields of an RSI(14) on SPY with bands 30/70 and a 0.5 threshold.
const std::string kRsiFields = query::entryFields(
    entry(core::Kind::Signal, "rsi", "RSI_14",
          {{"period", std::int64_t(14)}, {"upper", std::int64_t(70)}, {"th", 0.5}, {"mode", std::string("Close")}}));

} // namespace

class TestQuery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tokenize_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("tokens");
        QTest::newRow("empty") << QString() << QStringList();
        QTest::newRow("blanks") << QStringLiteral(" \t\n ") << QStringList();
        QTest::newRow("lower-cased") << QStringLiteral("RSI 14")
                                     << QStringList{QStringLiteral("rsi"), QStringLiteral("14")};
        QTest::newRow("runs of blanks") << QStringLiteral("  ma\t\tfast_period=5  ")
                                        << QStringList{QStringLiteral("ma"), QStringLiteral("fast_period=5")};
    }
    void tokenize()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, tokens);
        QCOMPARE(qlist(query::tokenize(text.toStdString())), tokens);
    }

    void parseTerm_data()
    {
        QTest::addColumn<QString>("token");
        QTest::addColumn<int>("op");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        const auto row = [](const char* token, query::Op op, const char* key, const char* value) {
            QTest::newRow(token) << QString::fromUtf8(token) << int(op) << QString::fromUtf8(key)
                                 << QString::fromUtf8(value);
        };
        row("rsi", query::Op::None, "", "");
        row("period=14", query::Op::Equal, "period", "14");
        row("period==14", query::Op::Equal, "period", "14");
        row("period!=14", query::Op::NotEqual, "period", "14");
        row("period<14", query::Op::Less, "period", "14");
        row("period<=14", query::Op::LessEqual, "period", "14");
        row("period>14", query::Op::Greater, "period", "14");
        row("period>=14", query::Op::GreaterEqual, "period", "14");
        row("FAST_Period>=A", query::Op::GreaterEqual, "fast_period", "a");
        row("=14", query::Op::None, "", "");                // no key: a substring token
        row("period=", query::Op::None, "", "");            // no value
        row("period>=", query::Op::Greater, "period", "="); // ">" then the value "="
        row("a!b", query::Op::None, "", "");                // '!' alone is no operator
    }
    void parseTerm()
    {
        QFETCH(QString, token);
        QFETCH(int, op);
        QFETCH(QString, key);
        QFETCH(QString, value);
        const query::Term term = query::parseTerm(token.toStdString());
        QCOMPARE(int(term.op), op);
        QCOMPARE(QString::fromStdString(term.key), key);
        QCOMPARE(QString::fromStdString(term.value), value);
        QCOMPARE(QString::fromStdString(term.text), token.toLower());
    }

    void entryFields()
    {
        QCOMPARE(QString::fromStdString(kRsiFields),
                 QStringLiteral("rsi_14\nrsi\nsignal\nspy\n1m\nmode\nclose\nmode=close\nperiod\n14\nperiod=14\n"
                                "th\n0.5\nth=0.5\nupper\n70\nupper=70"));
        core::IndexEntry bare = entry(core::Kind::Classifier, "trend", "Trend", {}, std::nullopt);
        bare.timeframe.reset();
        QCOMPARE(QString::fromStdString(query::entryFields(bare)), QStringLiteral("trend\ntrend\nclassifier"));
    }

    void matches_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<bool>("matches");
        const auto row = [](const char* filter, bool matches) {
            QTest::newRow(filter) << QString::fromUtf8(filter) << matches;
        };
        row("rsi", true);
        row("RSI 14", true);
        row("14 rsi", true);  // token order is free
        row("rsi 21", false); // every token must match
        row("spy", true);     // symbol
        row("1m", true);      // timeframe
        row("signal", true);  // kind
        row("classifier", false);
        row("upp", true); // substring of a key
        row("clo", true); // substring of a string value
        row("period=14", true);
        row("period=1", false);   // = is exact, not a substring of "period=14"
        row("period=14.0", true); // equal as numbers
        row("period==14", true);
        row("period=+14", true);
        row("th=0.50", true);
        row("th=.5", true);
        row("th=5e-1", true);
        row("th!=0.5", false);
        row("th!=0.25", true);
        row("mode=close", true); // text compare, case-insensitive
        row("mode=CLOSE", true);
        row("mode!=open", true);
        row("mode!=close", false);
        row("mode>a", false); // order needs numbers on both sides
        row("period>13", true);
        row("period>14", false);
        row("period>=14", true);
        row("period<15", true);
        row("period<14", false);
        row("period<=14", true);
        row("PERIOD>=14", true);
        row("period>abc", false);
        row("riod=14", false);        // the key is exact
        row("slow_period<50", false); // no such parameter
        row("rsi upper>69", true);
        row("macd | rsi 14", true); // either alternative
        row("macd | ema", false);
        row("macd |", false);
        row("", false); // an empty filter matches nothing; callers decide what it means
        row(" | ", false);
    }
    void matches()
    {
        QFETCH(QString, filter);
        QFETCH(bool, matches);
        QCOMPARE(query::Filter(filter.toStdString()).matches(kRsiFields), matches);
    }

    void alternatives()
    {
        const query::Filter filter("RSI 14 |  | trend ");
        const std::vector<std::vector<std::string>> expected{{"rsi", "14"}, {"trend"}};
        QCOMPARE(filter.alternatives(), expected);
        QVERIFY(!filter.isEmpty());
        QVERIFY(query::Filter(" | \t").isEmpty());
        QVERIFY(query::Filter("a  b|c") == query::Filter("A b | C"));
        QVERIFY(!(query::Filter("a b") == query::Filter("a | b")));
    }

    void matchesAllTokens()
    {
        QVERIFY(query::matchesAll({"rsi", "period>=10"}, kRsiFields));
        QVERIFY(!query::matchesAll({"rsi", "period>=15"}, kRsiFields));
        QVERIFY(query::matchesAll({}, kRsiFields));
    }

    void selectEntriesInTreeOrder()
    {
        std::vector<core::TypeIndex> indexes(3);
        indexes[0].kind = core::Kind::Classifier;
        indexes[0].entries = {entry(core::Kind::Classifier, "trend", "trend_20", {{"period", std::int64_t(20)}})};
        indexes[1].entries = {entry(core::Kind::Signal, "rsi", "rsi_14", {{"period", std::int64_t(14)}}),
                              entry(core::Kind::Signal, "rsi", "rsi_7", {{"period", std::int64_t(7)}})};
        indexes[2].entries = {entry(core::Kind::Signal, "ma", "ma_10", {{"period", std::int64_t(10)}})};
        const auto names = [](const std::vector<const core::IndexEntry*>& entries) {
            QStringList list;
            for (const auto* e : entries)
                list << QString::fromStdString(e->name);
            return list;
        };
        // Signals first, then by file path in natural order (rsi_7 before rsi_14).
        QCOMPARE(names(query::selectEntries(indexes, query::Filter("period>5"))),
                 (QStringList{QStringLiteral("ma_10"), QStringLiteral("rsi_7"), QStringLiteral("rsi_14"),
                              QStringLiteral("trend_20")}));
        // The classifier filter adds classifiers only.
        QCOMPARE(names(query::selectEntries(indexes, query::Filter("rsi_7"), query::Filter("period>=10"))),
                 (QStringList{QStringLiteral("rsi_7"), QStringLiteral("trend_20")}));
        QCOMPARE(names(query::selectEntries(indexes, query::Filter(), query::Filter("trend"))),
                 QStringList{QStringLiteral("trend_20")});
        QVERIFY(query::selectEntries(indexes, query::Filter(), query::Filter()).empty());
        QVERIFY(query::selectEntries(indexes, query::Filter("macd")).empty());
    }

    void traceName()
    {
        QCOMPARE(query::traceName(entry(core::Kind::Signal, "rsi", "rsi_14", {})), std::string("rsi_14"));
        QCOMPARE(query::traceName(entry(core::Kind::Signal, "rsi", "rsi_14", {}, std::string("SPY"), 3)),
                 std::string("rsi_14 #3"));
    }

    void laneLabels_data()
    {
        QTest::addColumn<QStringList>("symbols"); // "-" for none
        QTest::addColumn<QStringList>("labels");
        QTest::newRow("one symbol") << QStringList{QStringLiteral("SPY"), QStringLiteral("SPY")}
                                    << QStringList{QStringLiteral("a"), QStringLiteral("b")};
        QTest::newRow("two symbols") << QStringList{QStringLiteral("SPY"), QStringLiteral("QQQ")}
                                     << QStringList{QStringLiteral("a SPY"), QStringLiteral("b QQQ")};
        QTest::newRow("symbol and none") << QStringList{QStringLiteral("SPY"), QStringLiteral("-")}
                                         << QStringList{QStringLiteral("a SPY"), QStringLiteral("b")};
        QTest::newRow("no symbols") << QStringList{QStringLiteral("-"), QStringLiteral("-")}
                                    << QStringList{QStringLiteral("a"), QStringLiteral("b")};
    }
    void laneLabels()
    {
        QFETCH(QStringList, symbols);
        QFETCH(QStringList, labels);
        std::vector<query::LaneTrace> traces;
        for (qsizetype i = 0; i < symbols.size(); ++i) {
            const auto symbol =
                symbols[i] == QLatin1String("-") ? std::nullopt : std::optional(symbols[i].toStdString());
            traces.push_back({std::string(1, char('a' + i)), trace(core::Kind::Signal, "x", symbol)});
        }
        QCOMPARE(qlist(query::laneLabels(traces)), labels);
    }

    void buildLanesSplitsByKind()
    {
        const auto band = trace(core::Kind::Classifier, "trend", std::string("QQQ"), std::string("5m"));
        const auto first = trace(core::Kind::Signal, "rsi", std::string("SPY"));
        const auto second = trace(core::Kind::Signal, "ma", std::string("SPY"));
        const query::LaneSelection lanes =
            query::buildLanes({{"trend", band}, {"rsi_14", first}, {"ma_10 #2", second}});
        QCOMPARE(lanes.size(), std::size_t(3));
        QCOMPARE(lanes.signalTraces, (std::vector<query::LaneSelection::TracePtr>{first, second}));
        QCOMPARE(qlist(lanes.signalLabels),
                 (QStringList{QStringLiteral("rsi_14 SPY"), QStringLiteral("ma_10 #2 SPY")}));
        QCOMPARE(lanes.classifierTraces, std::vector<query::LaneSelection::TracePtr>{band});
        QCOMPARE(qlist(lanes.classifierLabels), QStringList{QStringLiteral("trend QQQ")});
        // The price lane follows the first signal, not the first trace.
        QCOMPARE(lanes.priceTrace(), first.get());
        // The comparison set: every other signal lane, with its label; nothing for a band.
        const auto others = lanes.comparisonSet(first);
        QCOMPARE(others.size(), std::size_t(1));
        QCOMPARE(others.front().first, std::string("ma_10 #2 SPY"));
        QCOMPARE(others.front().second, second);
        QVERIFY(lanes.comparisonSet(band).empty());
        QVERIFY(lanes.comparisonSet(trace(core::Kind::Signal, "rsi", std::string("SPY"))).empty());
        QVERIFY(lanes.comparisonSet(nullptr).empty());

        const query::LaneSelection bands = query::buildLanes({{"trend", band}});
        QCOMPARE(bands.priceTrace(), band.get());
        QCOMPARE(query::buildLanes({}).priceTrace(), nullptr);
        QVERIFY(query::buildLanes({}).empty());
    }

    void priceFile()
    {
        QTemporaryDir dir;
        const std::filesystem::path root = dir.path().toStdString();
        const auto signal = trace(core::Kind::Signal, "rsi", std::string("SPY"));
        const auto band = trace(core::Kind::Classifier, "trend", std::string("QQQ"), std::string("5m"));
        const query::LaneSelection lanes = query::buildLanes({{"trend", band}, {"rsi", signal}});
        QCOMPARE(query::priceFile(lanes, root), std::nullopt);
        std::filesystem::create_directories(root / "market");
        std::ofstream(root / "market" / "QQQ_5m.csv") << "x\n";
        QCOMPARE(query::priceFile(lanes, root), std::nullopt); // the signal's market, not the band's
        std::ofstream(root / "market" / "SPY_1m.csv") << "x\n";
        QCOMPARE(query::priceFile(lanes, root), std::optional(root / "market" / "SPY_1m.csv"));
        QCOMPARE(query::priceFile(query::buildLanes({{"trend", band}}), root),
                 std::optional(root / "market" / "QQQ_5m.csv"));
        QCOMPARE(query::priceFile(query::buildLanes({}), root), std::nullopt);
    }

    // SPY and QQQ lanes: one price lane each, in lane order, each with its own market file.
    void priceLanesPerSymbol()
    {
        QTemporaryDir dir;
        const std::filesystem::path root = dir.path().toStdString();
        std::filesystem::create_directories(root / "market");
        std::ofstream(root / "market" / "SPY_1m.csv") << "x\n";
        std::ofstream(root / "market" / "QQQ_1m.csv") << "x\n";
        const auto qqq = trace(core::Kind::Signal, "rsi", std::string("QQQ"));
        const auto spy = trace(core::Kind::Signal, "rsi", std::string("SPY"));
        const auto spy2 = trace(core::Kind::Signal, "macd", std::string("SPY"));
        const auto iwm = trace(core::Kind::Signal, "macd", std::string("IWM"));
        const auto band = trace(core::Kind::Classifier, "trend", std::string("DIA"));
        const auto lanes = query::priceLanes(
            query::buildLanes({{"rsi", qqq}, {"rsi", spy}, {"macd", spy2}, {"macd", iwm}, {"trend", band}}), root);
        QCOMPARE(lanes.size(), std::size_t(3));
        QCOMPARE(lanes[0], (query::PriceLane{"QQQ", "1m", root / "market" / "QQQ_1m.csv"}));
        QCOMPARE(lanes[1], (query::PriceLane{"SPY", "1m", root / "market" / "SPY_1m.csv"}));
        QCOMPARE(lanes[2], (query::PriceLane{"IWM", "1m", std::nullopt})); // no market file
        QCOMPARE(lanes[0].label(), std::string("QQQ close"));
        const auto bands = query::priceLanes(query::buildLanes({{"trend", band}}), root);
        QCOMPARE(bands.size(), std::size_t(1));
        QCOMPARE(bands[0].symbol, std::string("DIA"));
        QVERIFY(query::priceLanes(query::buildLanes({}), root).empty());
    }
};

QTEST_GUILESS_MAIN(TestQuery)
#include "tst_query.moc"
