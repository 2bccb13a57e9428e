// Recording side (issue 2): tracer events per second as an engine calls it, and trace files
// written per second into a storage (atomic replace + fsync + locked index update).
#include "bench/support/bench.h"
#include "core/model/trace.h"
#include "core/storage/writer.h"
#include "core/tracer/tracer.h"

#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

using namespace sigscope;

namespace {

constexpr std::int64_t kBars = 20'000;
constexpr int kStrategiesPerSymbol = 100;
const std::vector<std::string> kSymbols = {"SPY", "QQQ"};
constexpr std::int64_t kStartMicros = 1'711'459'800'000'000; // 2024-03-26T13:30:00Z

// A position for strategy s at bar t that changes on about 1 bar in 20, deterministically.
std::int32_t position(std::uint64_t s, std::int64_t t)
{
    std::uint64_t x = (s * 0x9E3779B97F4A7C15ull) ^ static_cast<std::uint64_t>(t / 20);
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 29;
    return static_cast<std::int32_t>(x % 3) - 1;
}

struct EventRun
{
    double ms = 0;
    std::int64_t events = 0;
    std::int64_t changes = 0;
};

// What an engine does per bar: onBar per symbol, then every strategy reports its position.
// useHandles: the hot-path API resolved once per (symbol, strategy).
EventRun recordEvents(const std::filesystem::path& dir, bool useHandles)
{
    std::filesystem::remove_all(dir);
    core::TraceConfig config;
    config.baseDir = dir;
    core::Tracer tracer(config);
    std::vector<std::string> ids;
    for (const auto& symbol : kSymbols)
        for (int s = 0; s < kStrategiesPerSymbol; ++s)
            ids.push_back(symbol + "_ma_crossover_" + std::to_string(5 + s % 10) + "_" + std::to_string(20 + s));
    std::vector<core::SignalOptions> options(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
        options[i].parameters = core::Parameters{{"fast_period", std::int64_t{5 + static_cast<int>(i) % 10}},
                                                 {"slow_period", std::int64_t{20 + static_cast<int>(i) % 100}}};
        options[i].strategyType = "ma_crossover";
    }
    std::vector<core::Tracer::Handle> handles;
    if (useHandles)
        for (std::size_t i = 0; i < ids.size(); ++i)
            handles.push_back(tracer.signalHandle(ids[i], kSymbols[i / kStrategiesPerSymbol], options[i]));

    EventRun run;
    const auto start = bench::Clock::now();
    for (std::int64_t t = 0; t < kBars; ++t) {
        const auto time = core::EventTime::fromUtcMicros(kStartMicros + t * 60'000'000);
        for (const auto& symbol : kSymbols)
            tracer.onBar(symbol, "1m", time);
        for (std::size_t i = 0; i < ids.size(); ++i) {
            const std::int32_t value = position(i, t);
            const double price = 500.0 + static_cast<double>(t % 1000) * 0.01;
            if (useHandles)
                tracer.onSignal(handles[i], value, price);
            else
                tracer.onSignal(ids[i], kSymbols[i / kStrategiesPerSymbol], value, price, {}, options[i]);
        }
    }
    run.ms = bench::msSince(start);
    const auto summary = tracer.summary();
    run.events = summary.signalsSeen + summary.barsSeen;
    run.changes = summary.changesStored;
    tracer.discard(); // the writing side is measured below
    return run;
}

// Traces as the tracer holds them: signals with parsed times, about 1 change per 20 bars.
std::vector<core::Trace> makeTraces(std::size_t count, std::int64_t bars)
{
    std::vector<core::Trace> traces;
    traces.reserve(count);
    core::TimeFormat format;
    for (std::size_t i = 0; i < count; ++i) {
        core::TraceIdentity id;
        id.kind = core::Kind::Signal;
        id.name = "momentum_" + std::to_string(i);
        id.parameters = core::Parameters{{"lookback", std::int64_t(static_cast<std::int64_t>(i))}};
        id.symbol = kSymbols[i % kSymbols.size()];
        id.timeframe = "1m";
        core::Trace trace(id, "momentum");
        trace.metadata.totalBars = bars;
        std::int32_t last = 2;
        for (std::int64_t t = 0; t < bars; ++t) {
            const std::int32_t value = position(i + 1000, t);
            if (value != last)
                trace.appendSignalAt(t, kStartMicros + t * 60'000'000, format, value, 0.0);
            last = value;
        }
        traces.push_back(std::move(trace));
    }
    return traces;
}

} // namespace

int main(int argc, char** argv)
{
    const auto data = bench::dataDir(argc, argv);

    // Best of 3 runs each: 4M onSignal calls plus 40k onBar calls per run.
    EventRun byName, byHandle;
    for (int i = 0; i < 3; ++i) {
        const auto a = recordEvents(data / "tracer-run", false);
        if (i == 0 || a.ms < byName.ms)
            byName = a;
        const auto b = recordEvents(data / "tracer-run", true);
        if (i == 0 || b.ms < byHandle.ms)
            byHandle = b;
    }
    bench::note("tracer: " + std::to_string(byName.events) + " events, " + std::to_string(byName.changes)
                + " changes stored");
    bench::figure("tracer_events_per_s", double(byName.events) / (byName.ms / 1000.0), "events/s");
    bench::figure("tracer_events_per_s_by_handle", double(byHandle.events) / (byHandle.ms / 1000.0), "events/s");

    // Writing: a batch as Tracer::flush() hands it over (one index update per type folder),
    // and single writes each with its own locked index upsert.
    // fsync per file dominates here, so the counts stay small.
    const auto traces = makeTraces(1'000, 2'000);
    const auto writeDir = data / "write-run";
    double batchMs = 0;
    for (int i = 0; i < 2; ++i) {
        std::filesystem::remove_all(writeDir);
        core::StorageWriter writer(writeDir);
        const double ms = bench::timeMs([&] { writer.writeBatch(traces); });
        if (i == 0 || ms < batchMs)
            batchMs = ms;
    }
    std::filesystem::remove_all(writeDir);
    core::StorageWriter single(writeDir);
    constexpr std::size_t kSingles = 100;
    const double singleMs = bench::timeMs([&] {
        for (std::size_t i = 0; i < kSingles; ++i)
            single.write(traces[i]);
    });
    bench::removeTrees(data, {writeDir, data / "tracer-run"});
    bench::figure("traces_written_per_s", double(traces.size()) / (batchMs / 1000.0), "traces/s");
    bench::figure("traces_written_per_s_one_by_one", double(kSingles) / (singleMs / 1000.0), "traces/s");
    return 0;
}
