// A toy engine: a moving-average crossover on a random walk, recorded with sigscope's Tracer.
// Usage: example_engine STORAGE_DIR  (writes STORAGE_DIR/signals/ma_crossover/...)
#include "core/tracer/tracer.h"

#include <cstdio>
#include <deque>
#include <exception>

int main(int argc, char* argv[])
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: example_engine STORAGE_DIR\n");
        return 2;
    }
    using namespace sigscope::core;
    try {
        TraceConfig config;
        config.baseDir = argv[1];
        Tracer tracer(config);

        const SignalOptions options{.parameters = {{"fast_period", std::int64_t{5}}, {"slow_period", std::int64_t{20}}},
                                    .strategyType = "ma_crossover",
                                    .timeframe = "1m"};
        std::deque<double> window;
        double price = 100.0;
        std::uint64_t state = 42;
        const std::int64_t start = 1'711'459'800'000'000; // 2024-03-26T13:30:00Z
        for (int bar = 0; bar < 1000; ++bar) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            price += (static_cast<double>(state >> 40) / static_cast<double>(1ULL << 24) - 0.5) * 0.4;
            const auto time = EventTime::fromUtcMicros(start + bar * 60'000'000LL);
            tracer.onBar("SPY", "1m", time);
            window.push_back(price);
            if (window.size() > 20)
                window.pop_front();
            if (window.size() < 20)
                continue;
            double fast = 0, slow = 0;
            for (std::size_t i = 0; i < window.size(); ++i) {
                slow += window[i];
                if (i >= window.size() - 5)
                    fast += window[i];
            }
            const int direction = fast / 5 > slow / 20 ? 1 : -1;
            tracer.onSignal("SPY_ma_crossover_5_20", "SPY", direction, price, time, options);
        }
        tracer.flush();
        std::printf("%s", tracer.summary().text().c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "example_engine: %s\n", e.what());
        return 1;
    }
    return 0;
}
