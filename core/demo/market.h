#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace sigscope::core::demo {

// xoshiro256** seeded through splitmix64: our own generator so that a seed gives the same
// numbers with every compiler and standard library (std:: distributions differ between them).
class Rng
{
public:
    explicit Rng(std::uint64_t seed);
    std::uint64_t next();
    double uniform(); // [0, 1), 53 random bits
    // Approximately standard normal (Irwin-Hall sum of 12 uniforms): plain arithmetic, so
    // bit-identical everywhere, unlike anything built on log/cos.
    double normal();

private:
    std::array<std::uint64_t, 4> m_s{};
};

std::uint64_t splitmix64(std::uint64_t& state);

// One 1-minute bar of one symbol.
struct Bar
{
    double open = 0;
    double high = 0;
    double low = 0;
    double close = 0;
    std::int64_t volume = 0;
};

// A seeded synthetic 1-minute market: regular US session bars (13:30-20:00 UTC, 391 a day,
// weekends skipped) from 2024-03-26, one shared volatility regime (low / normal / high) and
// trend regime driving correlated moves of every symbol. Prices are in cents.
class MarketGenerator
{
public:
    static constexpr int kBarsPerDay = 391;
    enum class Volatility : std::uint8_t { Low, Normal, High };

    MarketGenerator(std::uint64_t seed, std::vector<std::string> symbols);

    // Moves to the next bar (the first call gives bar 0).
    void advance();

    [[nodiscard]] std::int64_t barIndex() const { return m_bar; }
    [[nodiscard]] std::int64_t timeMicros() const { return m_timeMicros; } // UTC
    [[nodiscard]] const Bar& bar(std::size_t symbol) const { return m_bars[symbol]; }
    [[nodiscard]] const std::vector<std::string>& symbols() const { return m_symbols; }
    [[nodiscard]] Volatility volatility() const { return m_volatility; }

private:
    Rng m_rng;
    std::vector<std::string> m_symbols;
    std::vector<Rng> m_symbolRngs;
    std::vector<double> m_scale;       // per-symbol volatility multiplier
    std::vector<std::int64_t> m_baseVolume;
    std::vector<Bar> m_bars;
    std::int64_t m_bar = -1;
    std::int64_t m_day = 0;            // days since epoch of the current session
    int m_minute = 0;                  // 0..390 within the session
    std::int64_t m_timeMicros = 0;
    Volatility m_volatility = Volatility::Normal;
    int m_trend = 0; // -1, 0, 1
};

// "bar_index,timestamp,open,high,low,close,volume" and one row, as the fixtures' market files.
std::string marketCsvHeader();
void appendMarketCsvRow(std::string& out, std::int64_t barIndex, std::int64_t timeMicros, const Bar& bar);

} // namespace sigscope::core::demo
