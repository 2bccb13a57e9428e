#pragma once

// Small, exact inputs for the ui tests: traces built in memory and a storage written with the
// core StorageWriter (header-only; included by tests/ui/tst_*.cpp).
#include "core/model/trace.h"
#include "core/storage/writer.h"

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace sigscope::test {

inline core::TraceIdentity makeIdentity(core::Kind kind, std::string name, core::Parameters parameters, std::string symbol)
{
    core::TraceIdentity identity;
    identity.kind = kind;
    identity.name = std::move(name);
    identity.parameters = std::move(parameters);
    identity.symbol = std::move(symbol);
    identity.timeframe = "1m";
    return identity;
}

// One minute per bar from 2024-03-26 13:30 UTC.
inline std::int64_t barMicros(std::int64_t bar)
{
    return (1711459800LL + bar * 60) * 1'000'000LL;
}

inline core::Trace makeSignal(std::string name, std::string type, core::Parameters parameters,
                              std::vector<std::pair<std::int64_t, std::int32_t>> changes, std::int64_t totalBars,
                              std::string symbol = "SPY")
{
    core::Trace trace(makeIdentity(core::Kind::Signal, std::move(name), std::move(parameters), std::move(symbol)),
                      std::move(type));
    for (const auto& [bar, value] : changes)
        trace.appendSignalAt(bar, barMicros(bar), core::TimeFormat{}, value, 0.0);
    trace.metadata.totalBars = totalBars;
    return trace;
}

inline core::Trace makeClassifier(std::string name, std::string type,
                                  std::vector<std::pair<std::int64_t, std::string>> changes, std::int64_t totalBars)
{
    core::Trace trace(makeIdentity(core::Kind::Classifier, std::move(name), {}, "SPY"), std::move(type));
    for (const auto& [bar, regime] : changes)
        trace.appendRegimeAt(bar, barMicros(bar), core::TimeFormat{}, regime, 0.9);
    trace.metadata.totalBars = totalBars;
    return trace;
}

// Generated equivalent of upstream's version-0 trace: n changes on bar 0, 20 ms apart.
inline std::shared_ptr<const core::Trace> makeDegenerateSignal(int n)
{
    auto t = std::make_shared<core::Trace>(
        core::TraceIdentity{core::Kind::Signal, "mean_reversion_bb", {}, "SPY", "1m", {}, {}}, "mean_reversion");
    for (int i = 0; i < n; ++i)
        t->appendSignal(0, "2025-06-13T11:28:25." + std::to_string(100 + 20 * i) + "000", (i % 3) - 1);
    return t;
}

// Five signals in two types and two classifiers: the tree and filter tests count on them.
inline std::vector<core::Trace> sampleTraces()
{
    using core::Parameters;
    std::vector<core::Trace> traces;
    traces.push_back(makeSignal("rsi_14", "rsi", Parameters{{"period", std::int64_t{14}}},
                                {{0, 0}, {10, 1}, {30, -1}, {60, 0}}, 100));
    traces.push_back(makeSignal("rsi_21", "rsi", Parameters{{"period", std::int64_t{21}}}, {{5, 1}, {50, 0}}, 100));
    traces.push_back(makeSignal("rsi_bands_14_70", "rsi",
                                Parameters{{"period", std::int64_t{14}}, {"upper", std::int64_t{70}}},
                                {{0, -1}, {40, 1}}, 100, "QQQ"));
    traces.push_back(makeSignal("ma_crossover_5_20", "ma_crossover",
                                Parameters{{"fast_period", std::int64_t{5}}, {"slow_period", std::int64_t{20}}},
                                {{20, 1}, {31, -1}, {41, 0}}, 100));
    traces.push_back(makeSignal("ma_crossover_10_30", "ma_crossover",
                                Parameters{{"fast_period", std::int64_t{10}}, {"slow_period", std::int64_t{30}}},
                                {{30, 1}, {70, -1}}, 100));
    traces.push_back(makeClassifier("volatility_regime", "regime", {{0, "low_vol"}, {25, "high_vol"}, {75, "low_vol"}}, 100));
    traces.push_back(makeClassifier("trend_classifier", "trend", {{10, "up"}, {60, "down"}}, 100));
    return traces;
}

inline void writeSampleStorage(const std::filesystem::path& root)
{
    core::StorageWriter writer(root);
    const auto traces = sampleTraces();
    writer.writeBatch(traces);
}

} // namespace sigscope::test
