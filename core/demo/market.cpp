#include "core/demo/market.h"

#include "core/model/timestamp.h"
#include "core/util/canonical.h"

#include <algorithm>
#include <cmath>

namespace sigscope::core::demo {

namespace {

constexpr std::int64_t kMicrosPerMinute = 60'000'000;
constexpr std::int64_t kMicrosPerDay = 86'400'000'000;
constexpr int kSessionOpenMinute = 13 * 60 + 30; // 13:30 UTC

std::uint64_t rotl(std::uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

// Monday = 0 ... Sunday = 6; 1970-01-01 was a Thursday.
int weekday(std::int64_t days)
{
    const std::int64_t w = (days + 3) % 7;
    return static_cast<int>(w < 0 ? w + 7 : w);
}

double cents(double price)
{
    return std::round(price * 100.0) / 100.0;
}

// A plausible start price for symbols other than the two usual ones.
double startPrice(const std::string& symbol, std::size_t index)
{
    if (symbol == "SPY")
        return 521.0;
    if (symbol == "QQQ")
        return 444.0;
    return 50.0 + 37.0 * static_cast<double>(index % 11);
}

} // namespace

std::uint64_t splitmix64(std::uint64_t& state)
{
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

Rng::Rng(std::uint64_t seed)
{
    for (auto& s : m_s)
        s = splitmix64(seed);
}

std::uint64_t Rng::next()
{
    const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
    const std::uint64_t t = m_s[1] << 17;
    m_s[2] ^= m_s[0];
    m_s[3] ^= m_s[1];
    m_s[1] ^= m_s[2];
    m_s[0] ^= m_s[3];
    m_s[2] ^= t;
    m_s[3] = rotl(m_s[3], 45);
    return result;
}

double Rng::uniform()
{
    return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

double Rng::normal()
{
    double sum = 0.0;
    for (int i = 0; i < 12; ++i)
        sum += uniform();
    return sum - 6.0;
}

MarketGenerator::MarketGenerator(std::uint64_t seed, std::vector<std::string> symbols)
    : m_rng(seed)
    , m_symbols(std::move(symbols))
{
    for (std::size_t i = 0; i < m_symbols.size(); ++i) {
        // Each symbol its own stream, so adding a symbol does not change the others' noise.
        m_symbolRngs.emplace_back(seed ^ (0xa0761d6478bd642fULL * (i + 1)));
        m_scale.push_back(m_symbols[i] == "QQQ" ? 1.25 : 1.0 + 0.1 * static_cast<double>(i % 5));
        m_baseVolume.push_back(m_symbols[i] == "SPY" ? 250'000 : 120'000);
        Bar first;
        first.close = startPrice(m_symbols[i], i);
        m_bars.push_back(first);
    }
    m_day = daysFromCivil(2024, 3, 26);
}

void MarketGenerator::advance()
{
    ++m_bar;
    bool sessionStart = m_bar == 0;
    if (m_bar > 0 && ++m_minute == kBarsPerDay) {
        m_minute = 0;
        sessionStart = true;
        do
            ++m_day;
        while (weekday(m_day) >= 5);
    }
    m_timeMicros = m_day * kMicrosPerDay + (kSessionOpenMinute + m_minute) * kMicrosPerMinute;

    // Regimes persist for hundreds of bars, as volatility clusters in real markets.
    if (m_rng.uniform() < 1.0 / 700.0) {
        const int current = static_cast<int>(m_volatility);
        const int shift = m_rng.uniform() < 0.5 ? 1 : 2;
        m_volatility = static_cast<Volatility>((current + shift) % 3);
    }
    if (m_rng.uniform() < 1.0 / 1500.0)
        m_trend = static_cast<int>(m_rng.next() % 3) - 1;

    static constexpr double kSigma[] = {0.00035, 0.0007, 0.0016};
    const double sigma = kSigma[static_cast<int>(m_volatility)];
    const double drift = 0.00005 * m_trend;
    const double marketShock = m_rng.normal();
    // U-shaped intraday volume: busy at the open and the close.
    const double u = (m_minute - 195.0) / 195.0;
    const double volumeShape = 0.6 + 1.8 * u * u;
    static constexpr double kVolumeByRegime[] = {0.7, 1.0, 1.8};

    for (std::size_t i = 0; i < m_symbols.size(); ++i) {
        Rng& rng = m_symbolRngs[i];
        Bar& bar = m_bars[i];
        const double s = sigma * m_scale[i];
        double open = bar.close;
        if (sessionStart && m_bar > 0)
            open = cents(open * (1.0 + 4.0 * s * rng.normal())); // overnight gap
        const double r = drift + s * (0.8 * marketShock + 0.6 * rng.normal());
        const double close = std::max(0.01, cents(open * (1.0 + r)));
        const double high = cents(std::max(open, close) * (1.0 + 0.4 * s * std::abs(rng.normal())));
        const double low = std::max(0.01, cents(std::min(open, close) * (1.0 - 0.4 * s * std::abs(rng.normal()))));
        bar.open = open;
        bar.close = close;
        bar.high = std::max(high, std::max(open, close));
        bar.low = std::min(low, std::min(open, close));
        const double volume = static_cast<double>(m_baseVolume[i]) * volumeShape
            * kVolumeByRegime[static_cast<int>(m_volatility)] * (0.5 + rng.uniform());
        bar.volume = static_cast<std::int64_t>(volume) + (sessionStart ? 5 * m_baseVolume[i] : 0);
    }
}

std::string marketCsvHeader()
{
    return "bar_index,timestamp,open,high,low,close,volume\n";
}

void appendMarketCsvRow(std::string& out, std::int64_t barIndex, std::int64_t timeMicros, const Bar& bar)
{
    out += std::to_string(barIndex);
    out += ',';
    out += formatIsoTime(timeMicros, TimeFormat{});
    for (const double v : {bar.open, bar.high, bar.low, bar.close}) {
        out += ',';
        canonical::appendDouble(out, v);
    }
    out += ',';
    out += std::to_string(bar.volume);
    out += '\n';
}

} // namespace sigscope::core::demo
