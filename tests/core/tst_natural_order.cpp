// Natural order of names with numbers (the storage tree, the overview rows, `sigscope export`):
// exact pairs, a sorted list, and the strict-weak-order laws over generated names.
#include "core/util/naturalorder.h"

#include <QTest>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

using sigscope::core::naturalLess;

class TestNaturalOrder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pairs_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<bool>("less");
        const auto row = [](const char* a, const char* b, bool less) {
            QTest::addRow("%s < %s", a, b) << QString::fromUtf8(a) << QString::fromUtf8(b) << less;
        };
        row("momentum_5", "momentum_10", true);
        row("momentum_10", "momentum_5", false);
        row("ma_crossover_5_20", "ma_crossover_10_30", true);
        row("rsi_14", "rsi_14", false);
        row("rsi_7", "rsi_07", false); // equal as numbers: byte order ('0' before '7')
        row("rsi_07", "rsi_7", true);
        row("momentum_10_0.0005", "momentum_10_0.001", true); // fractions digit by digit
        row("momentum_10_0.25", "momentum_10_0.5", true);
        row("momentum_10_0.5", "momentum_10_0.25", false);
        row("th_1.5", "th_10.5", true); // the integer part still numerically
        row("v.10", "v.9", false);      // no digit before the '.': not a fraction
        row("rsi", "rsi_14", true);     // a prefix first
        row("rsi_14", "rsi", false);
        row("a1", "a_", true);          // digits sort before '_' as bytes do
        row("signals/momentum/momentum_5_2a3f.json", "signals/momentum/momentum_15_0b1c.json", true);
        row("x99999999999999999999999", "x100000000000000000000000", true); // longer than 64 bits
    }
    void pairs()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(bool, less);
        QCOMPARE(naturalLess(a.toStdString(), b.toStdString()), less);
    }

    void sortsAList()
    {
        std::vector<std::string> names{"momentum_20_0.001", "momentum_5_0.002", "momentum_10_0.0005", "momentum_5_0.0015",
                                       "momentum_10_0.001", "momentum_5_0.001"};
        std::sort(names.begin(), names.end(), sigscope::core::NaturalLess());
        QCOMPARE(names, (std::vector<std::string>{"momentum_5_0.001", "momentum_5_0.0015", "momentum_5_0.002",
                                                  "momentum_10_0.0005", "momentum_10_0.001", "momentum_20_0.001"}));
    }

    // Irreflexive, asymmetric, transitive, and equal only for equal strings, over seeded names
    // made of the characters that matter (digits, '.', '_', letters).
    void strictWeakOrder()
    {
        std::mt19937 rng(20261201);
        const std::string alphabet = "0012789._ab";
        std::vector<std::string> names;
        for (int i = 0; i < 160; ++i) {
            std::string s;
            const int length = 1 + int(rng() % 7);
            for (int k = 0; k < length; ++k)
                s += alphabet[rng() % alphabet.size()];
            names.push_back(s);
        }
        for (const auto& a : names) {
            QVERIFY(!naturalLess(a, a));
            for (const auto& b : names) {
                const bool ab = naturalLess(a, b);
                const bool ba = naturalLess(b, a);
                QVERIFY2(!(ab && ba), (a + " / " + b).c_str());
                QVERIFY2(ab || ba || a == b, (a + " / " + b).c_str());
                if (!ab)
                    continue;
                for (const auto& c : names)
                    if (naturalLess(b, c))
                        QVERIFY2(naturalLess(a, c), (a + " < " + b + " < " + c).c_str());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestNaturalOrder)
#include "tst_natural_order.moc"
