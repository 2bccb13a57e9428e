// Identity, canonical JSON, hashes, names and type folders (storage-format.md §2-§4).
#include "core/model/identity.h"
#include "core/storage/naming.h"
#include "core/util/canonical.h"

#include <QTest>

#include <limits>

using namespace sigscope::core;

class TestIdentity : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void specTestVector()
    {
        TraceIdentity id;
        id.kind = Kind::Signal;
        id.name = "ma_crossover_5_20";
        id.parameters = Parameters{{"slow_period", std::int64_t{20}}, {"fast_period", std::int64_t{5}}};
        id.symbol = "SPY";
        id.timeframe = "1m";
        QCOMPARE(id.canonicalJson(),
                 std::string(R"({"kind":"signal","name":"ma_crossover_5_20","parameters":{"fast_period":5,"slow_period":20},"run":null,"symbol":"SPY","timeframe":"1m"})"));
        QCOMPARE(id.hashHex(), std::string("6e3cac966351ea9c"));
        QCOMPARE(naming::relativePath(id, "ma_crossover"),
                 std::string("signals/ma_crossover/ma_crossover_5_20_6e3cac96.json"));
        QCOMPARE(naming::relativePath(id, "ma_crossover", true),
                 std::string("signals/ma_crossover/ma_crossover_5_20_6e3cac966351ea9c.json"));
    }

    // Hashes computed independently with `printf '%s' TEXT | xxhsum -H3` (Debian's xxhash 0.8.1).
    void xxhsumVectors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("hash");
        QTest::newRow("empty") << QString() << QStringLiteral("2d06800538d394c2");
        QTest::newRow("object") << QStringLiteral("{}") << QStringLiteral("1349cde127705c16");
        QTest::newRow("classifier")
            << QStringLiteral(R"({"kind":"classifier","name":"volatility_regime","parameters":{"n_states":3,"window":20.0},"run":"20250615_163513","symbol":"SPY","timeframe":null,"variant":2})")
            << QStringLiteral("10af84d940818f68");
        QTest::newRow("unicode") << QStringLiteral(R"({"name":"mömentum_\n"})") << QStringLiteral("b1d8bb22440292bd");
    }
    void xxhsumVectors()
    {
        QFETCH(QString, text);
        QFETCH(QString, hash);
        QCOMPARE(QString::fromStdString(hex16(xxh3(text.toStdString()))), hash);
    }

    void identityWithVariantAndRun()
    {
        TraceIdentity id;
        id.kind = Kind::Classifier;
        id.name = "volatility_regime";
        id.parameters = Parameters{{"window", 20.0}, {"n_states", std::int64_t{3}}};
        id.symbol = "SPY";
        id.run = "20250615_163513";
        id.variant = 2;
        QCOMPARE(id.canonicalJson(),
                 std::string(R"({"kind":"classifier","name":"volatility_regime","parameters":{"n_states":3,"window":20.0},"run":"20250615_163513","symbol":"SPY","timeframe":null,"variant":2})"));
        QCOMPARE(id.hashHex(), std::string("10af84d940818f68"));
    }

    void intAndFloatDiffer()
    {
        TraceIdentity a;
        a.name = "x";
        a.parameters = Parameters{{"period", std::int64_t{10}}};
        TraceIdentity b = a;
        b.parameters = Parameters{{"period", 10.0}};
        QVERIFY(a.hashHex() != b.hashHex());
        QCOMPARE(a.parameters.canonicalJson(), std::string(R"({"period":10})"));
        QCOMPARE(b.parameters.canonicalJson(), std::string(R"({"period":10.0})"));
    }

    void doubles_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("text");
        QTest::newRow("0.02") << 0.02 << QStringLiteral("0.02");
        QTest::newRow("2.0") << 2.0 << QStringLiteral("2.0");
        QTest::newRow("1e-05") << 1e-05 << QStringLiteral("1e-05");
        QTest::newRow("0.0001") << 0.0001 << QStringLiteral("0.0001");
        QTest::newRow("1.5e-07") << 1.5e-07 << QStringLiteral("1.5e-07");
        QTest::newRow("1e16") << 1e16 << QStringLiteral("1e+16");
        QTest::newRow("1e15") << 1e15 << QStringLiteral("1000000000000000.0");
        QTest::newRow("123456.789") << 123456.789 << QStringLiteral("123456.789");
        QTest::newRow("-0.5") << -0.5 << QStringLiteral("-0.5");
        QTest::newRow("0.1+0.2") << 0.1 + 0.2 << QStringLiteral("0.30000000000000004");
        QTest::newRow("zero") << 0.0 << QStringLiteral("0.0");
        QTest::newRow("1e100") << 1e100 << QStringLiteral("1e+100");
        QTest::newRow("nan") << std::numeric_limits<double>::quiet_NaN() << QStringLiteral("null");
    }
    void doubles()
    {
        QFETCH(double, value);
        QFETCH(QString, text);
        QCOMPARE(QString::fromStdString(canonical::doubleText(value)), text);
    }

    void stringEscapes()
    {
        std::string out;
        canonical::appendString(out, std::string_view("a\"b\\c\nd\x01\x7f\xc3\xa9", 11));
        QCOMPARE(out, std::string("\"a\\\"b\\\\c\\nd\\u0001\x7f\xc3\xa9\""));
    }

    void parametersFromJson()
    {
        const auto p = Parameters::fromJson(R"({"b": [1, 2.50, {"z":1,"a":null}], "a": "x", "c": 10.0, "d": true})");
        QCOMPARE(p.canonicalJson(), std::string(R"({"a":"x","b":[1,2.5,{"a":null,"z":1}],"c":10.0,"d":true})"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Parameters::fromJson("[1,2]"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Parameters::fromJson("{\"a\":"));
        // Flat canonical objects (the writers' usual text) and the texts around them read as the
        // full parse reads them.
        QCOMPARE(Parameters::fromJson("{\"fast_period\":5,\"slow_period\":20}"),
                 (Parameters{{"fast_period", std::int64_t{5}}, {"slow_period", std::int64_t{20}}}));
        QCOMPARE(Parameters::fromJson("{\"a\":-7,\"b\":\"x y\"}"), (Parameters{{"a", std::int64_t{-7}}, {"b", std::string("x y")}}));
        QCOMPARE(Parameters::fromJson("{}"), Parameters{});
        QCOMPARE(Parameters::fromJson("{\"a\":-0}"), (Parameters{{"a", std::int64_t{0}}}));
        QCOMPARE(Parameters::fromJson("{\"a\":1234567890123456789}"), (Parameters{{"a", std::int64_t{1234567890123456789}}}));
        QCOMPARE(Parameters::fromJson("{\"b\":1,\"a\":2}"), (Parameters{{"a", std::int64_t{2}}, {"b", std::int64_t{1}}}));
        QCOMPARE(Parameters::fromJson("{\"a\":1,\"a\":2}").canonicalJson(), std::string("{\"a\":2}"));
        QCOMPARE(Parameters::fromJson("{\"a\":1.5,\"b\":1}"), (Parameters{{"a", 1.5}, {"b", std::int64_t{1}}}));
        QCOMPARE(Parameters::fromJson("{\"a\":\"\u00e9\"}"), (Parameters{{"a", std::string("\u00e9")}}));
        QCOMPARE(Parameters::fromJson("{\"a\":\"\\n\"}"), (Parameters{{"a", std::string("\n")}}));
        for (const char* bad : {"{\"a\":01}", "{\"a\":1,}", "{\"a\":1}}", "{\"a\":\"x}", "{\"a\":-}", "{\"a\":\"\xff\"}"})
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Parameters::fromJson(bad));
    }

    void types_data()
    {
        QTest::addColumn<bool>("classifier");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("explicitType");
        QTest::addColumn<QString>("type");
        QTest::newRow("grid") << false << "rsi_bands_grid_11_15_65" << "" << "rsi_bands_grid";
        QTest::newRow("explicit") << false << "whatever" << "My Type/../x" << "My_Type_.._x";
        QTest::newRow("momentum") << false << "momentum_fast" << "" << "momentum";
        QTest::newRow("macd not ma") << false << "macd_12_26" << "" << "macd";
        QTest::newRow("sma") << false << "sma_cross_10" << "" << "ma_crossover";
        QTest::newRow("gamma is other") << false << "gamma_scalp" << "" << "other";
        QTest::newRow("bb") << false << "mean_reversion_bb" << "" << "mean_reversion";
        QTest::newRow("rsi") << false << "RSI_14" << "" << "rsi";
        QTest::newRow("breakout") << false << "donchian_breakout_20" << "" << "breakout";
        QTest::newRow("volume is other") << true << "volume_spike" << "" << "other";
        QTest::newRow("regime") << true << "volatility_regime" << "" << "regime";
        QTest::newRow("vol") << true << "vol_cluster" << "" << "volatility";
        QTest::newRow("trend") << true << "trend_classifier" << "" << "trend";
        QTest::newRow("market state") << true << "market_state_v2" << "" << "market_state";
        QTest::newRow("signal trend") << false << "trend_follow" << "" << "other";
        QTest::newRow("hostile explicit") << false << "x" << "../.." << "other";
    }
    void types()
    {
        QFETCH(bool, classifier);
        QFETCH(QString, name);
        QFETCH(QString, explicitType);
        QFETCH(QString, type);
        QCOMPARE(QString::fromStdString(naming::typeFor(classifier ? Kind::Classifier : Kind::Signal, name.toStdString(),
                                                        explicitType.toStdString())),
                 type);
    }

    void fileStems_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("params");
        QTest::addColumn<QString>("stem");
        QTest::newRow("parts in name") << "ma_crossover_5_20" << R"({"fast_period":5,"slow_period":20})"
                                       << "ma_crossover_5_20";
        QTest::newRow("lookback") << "momentum_fast" << R"({"lookback_period":10})" << "momentum_fast_lb_10";
        QTest::newRow("max three") << "x"
                                   << R"({"fast_period":1,"slow_period":2,"period":3,"threshold":0.5,"n_states":4})"
                                   << "x_fast_1_slow_2_period_3";
        QTest::newRow("float") << "mom" << R"({"momentum_threshold":0.02})" << "mom_mth_0.02";
        QTest::newRow("no params") << "mean_reversion_bb" << "{}" << "mean_reversion_bb";
    }
    void fileStems()
    {
        QFETCH(QString, name);
        QFETCH(QString, params);
        QFETCH(QString, stem);
        TraceIdentity id;
        id.name = name.toStdString();
        id.parameters = Parameters::fromJson(params.toStdString());
        QCOMPARE(QString::fromStdString(naming::fileStem(id)), stem);
    }

    // Whatever the name, the file stays inside its type folder.
    void hostileNames_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::newRow("dotdot") << QByteArray("../../x");
        QTest::newRow("slashes") << QByteArray("a/b\\c");
        QTest::newRow("long") << QByteArray(400, 'n');
        QTest::newRow("control") << QByteArray("a\x01\x02\nb\tc", 8);
        QTest::newRow("non-ascii") << QByteArray("m\xc3\xb6mentum_\xe2\x82\xac");
        QTest::newRow("hidden") << QByteArray(".hidden");
        QTest::newRow("only dots") << QByteArray("..");
        QTest::newRow("nul") << QByteArray("a\0b", 3);
        QTest::newRow("empty") << QByteArray();
    }
    void hostileNames()
    {
        QFETCH(QByteArray, name);
        TraceIdentity id;
        id.name = std::string(name.constData(), static_cast<std::size_t>(name.size()));
        const std::string rel = naming::relativePath(id, naming::typeFor(Kind::Signal, id.name));
        const std::filesystem::path root = "/storage";
        const auto full = (root / rel).lexically_normal();
        const auto folder = (root / "signals" / naming::typeFor(Kind::Signal, id.name)).lexically_normal();
        QCOMPARE(full.parent_path(), folder);
        const std::string file = full.filename().string();
        QVERIFY(file.size() <= 80 + 1 + 8 + 5);
        QVERIFY(!file.starts_with('.'));
        for (const char c : file) {
            QVERIFY(static_cast<unsigned char>(c) >= 0x20);
            QVERIFY(c != '/' && c != '\\');
        }
    }

    void stripSymbol()
    {
        QCOMPARE(naming::stripSymbolPrefix("SPY_ma_crossover_5_20", "SPY"), std::string("ma_crossover_5_20"));
        QCOMPARE(naming::stripSymbolPrefix("SPYX_a", "SPY"), std::string("SPYX_a"));
        QCOMPARE(naming::stripSymbolPrefix("SPY_", "SPY"), std::string("SPY_"));
    }
};

QTEST_GUILESS_MAIN(TestIdentity)
#include "tst_identity.moc"
