#include "core/demo/demo.h"

#include "core/demo/market.h"
#include "core/model/parameters.h"
#include "core/storage/indexio.h"
#include "core/storage/storage.h"
#include "core/tracer/tracer.h"
#include "core/util/canonical.h"

#include <algorithm>
#include <array>
#include <memory>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <stdexcept>

#include <fcntl.h>
#include <unistd.h>

namespace sigscope::core {

namespace {

using demo::Bar;
using demo::MarketGenerator;

constexpr const char* kTimeframe = "1m";
constexpr int kFamilies = 5;

// Rolling indicators of one symbol, updated once per bar and shared by every variant: moving
// sums come from cumulative sums kept in a ring as long as the longest lookback, so any
// period costs O(1) per query whatever the number of variants.
class IndicatorBank
{
public:
    IndicatorBank(int maxLookback, const std::vector<int>& rsiPeriods, const std::vector<int>& breakoutLookbacks)
        : m_cap(static_cast<std::size_t>(maxLookback) + 2)
        , m_cumY(m_cap)
        , m_cumY2(m_cap)
        , m_cumR(m_cap)
        , m_cumR2(m_cap)
        , m_close(m_cap)
        , m_high(m_cap)
        , m_low(m_cap)
    {
        for (int p : rsiPeriods)
            m_rsi.push_back(Rsi{p, 0.0, 0.0});
        m_channels.resize(breakoutLookbacks.size());
        for (std::size_t k = 0; k < breakoutLookbacks.size(); ++k)
            m_channels[k].lookback = breakoutLookbacks[k];
    }

    void update(const Bar& bar)
    {
        ++m_t;
        if (m_t == 0)
            m_anchor = bar.close; // sums of (close - anchor) keep the variance exact enough
        const std::size_t i = slot(m_t);
        const double y = bar.close - m_anchor;
        const double prevClose = m_t > 0 ? m_close[slot(m_t - 1)] : bar.close;
        const double r = m_t > 0 ? bar.close / prevClose - 1.0 : 0.0;
        m_cumY[i] = cum(m_cumY, m_t - 1) + y;
        m_cumY2[i] = cum(m_cumY2, m_t - 1) + y * y;
        m_cumR[i] = cum(m_cumR, m_t - 1) + r;
        m_cumR2[i] = cum(m_cumR2, m_t - 1) + r * r;

        const double change = bar.close - prevClose;
        for (auto& rsi : m_rsi) {
            if (m_t == 0)
                continue;
            rsi.gain += ((change > 0 ? change : 0.0) - rsi.gain) / rsi.period;
            rsi.loss += ((change < 0 ? -change : 0.0) - rsi.loss) / rsi.period;
        }
        // Channels hold the previous lookback bars, without the current one.
        for (auto& ch : m_channels) {
            while (!ch.maxIdx.empty() && ch.maxIdx.front() < m_t - ch.lookback)
                ch.maxIdx.pop_front();
            while (!ch.minIdx.empty() && ch.minIdx.front() < m_t - ch.lookback)
                ch.minIdx.pop_front();
            ch.valid = m_t >= ch.lookback;
            if (ch.valid) {
                ch.high = m_high[slot(ch.maxIdx.front())];
                ch.low = m_low[slot(ch.minIdx.front())];
            }
            while (!ch.maxIdx.empty() && m_high[slot(ch.maxIdx.back())] <= bar.high)
                ch.maxIdx.pop_back();
            ch.maxIdx.push_back(m_t);
            while (!ch.minIdx.empty() && m_low[slot(ch.minIdx.back())] >= bar.low)
                ch.minIdx.pop_back();
            ch.minIdx.push_back(m_t);
        }
        m_close[i] = bar.close;
        m_high[i] = bar.high;
        m_low[i] = bar.low;
    }

    [[nodiscard]] std::int64_t bars() const { return m_t + 1; }
    [[nodiscard]] double close() const { return m_close[slot(m_t)]; }
    [[nodiscard]] double closeAgo(int k) const { return m_close[slot(m_t - k)]; }
    [[nodiscard]] double sma(int p) const { return (cum(m_cumY, m_t) - cum(m_cumY, m_t - p)) / p + m_anchor; }
    [[nodiscard]] double stddev(int p) const { return deviation(m_cumY, m_cumY2, p); }
    // Standard deviation of the last w one-bar returns (valid once bars() > w).
    [[nodiscard]] double returnStddev(int w) const { return deviation(m_cumR, m_cumR2, w); }
    [[nodiscard]] double rsi(std::size_t k) const
    {
        const auto& s = m_rsi[k];
        if (s.loss <= 0.0)
            return s.gain > 0.0 ? 100.0 : 50.0;
        return 100.0 - 100.0 / (1.0 + s.gain / s.loss);
    }
    [[nodiscard]] bool rsiValid(std::size_t k) const { return m_t >= m_rsi[k].period; }
    struct Channel
    {
        int lookback = 0;
        std::deque<std::int64_t> maxIdx;
        std::deque<std::int64_t> minIdx;
        bool valid = false;
        double high = 0.0;
        double low = 0.0;
    };
    [[nodiscard]] const Channel& channel(std::size_t k) const { return m_channels[k]; }

private:
    struct Rsi
    {
        int period = 0;
        double gain = 0.0;
        double loss = 0.0;
    };

    [[nodiscard]] std::size_t slot(std::int64_t t) const { return static_cast<std::size_t>(t) % m_cap; }
    [[nodiscard]] double cum(const std::vector<double>& ring, std::int64_t t) const
    {
        return t < 0 ? 0.0 : ring[slot(t)];
    }
    [[nodiscard]] double deviation(const std::vector<double>& sum, const std::vector<double>& sumSq, int p) const
    {
        const double mean = (cum(sum, m_t) - cum(sum, m_t - p)) / p;
        const double meanSq = (cum(sumSq, m_t) - cum(sumSq, m_t - p)) / p;
        return std::sqrt(std::max(0.0, meanSq - mean * mean));
    }

    std::size_t m_cap;
    std::int64_t m_t = -1;
    double m_anchor = 0.0;
    std::vector<double> m_cumY, m_cumY2, m_cumR, m_cumR2, m_close, m_high, m_low;
    std::vector<Rsi> m_rsi;
    std::vector<Channel> m_channels;
};

enum class Family : std::uint8_t { MaCrossover, Momentum, Bollinger, Rsi, Breakout };

struct SignalVariant
{
    Family family = Family::MaCrossover;
    std::size_t symbol = 0;
    int p1 = 0; // fast / lookback / period
    int p2 = 0; // slow / RSI oversold
    double x = 0.0; // threshold / width
    std::string id;
    SignalOptions options;
    std::size_t indicator = 0; // RSI or channel slot in the bank
    std::int32_t position = 0;
    Tracer::Handle handle = 0;
};

struct ClassifierVariant
{
    bool volatility = true; // else trend
    std::size_t symbol = 0;
    int p1 = 0;  // window / fast
    int p2 = 0;  // slow
    double low = 0.0, high = 0.0, threshold = 0.0;
    std::string id;
    ClassificationOptions options;
    int state = -1;
    Tracer::Handle handle = 0;
};

std::string numberText(double v)
{
    return canonical::doubleText(v);
}

int ceilSqrt(std::int64_t n)
{
    int a = 1;
    while (static_cast<std::int64_t>(a) * a < n)
        ++a;
    return a;
}

// The k-th of n combinations of a family's grid: (row, column) of an a x b grid filled row by
// row, a and b as square as allowed (RSI bands stop at 30 steps).
std::pair<int, int> gridCell(Family family, std::int64_t n, std::int64_t k, int* rows = nullptr)
{
    int b = ceilSqrt(n);
    if (family == Family::Rsi)
        b = std::min(b, 30);
    const int a = static_cast<int>((n + b - 1) / b);
    if (rows)
        *rows = a;
    return {static_cast<int>(k / b), static_cast<int>(k % b)};
}

SignalVariant makeVariant(Family family, std::size_t symbolIndex, const std::string& symbol, std::int64_t n,
                          std::int64_t k)
{
    int rows = 0;
    const auto [i, j] = gridCell(family, n, k, &rows);
    SignalVariant v;
    v.family = family;
    v.symbol = symbolIndex;
    std::string name;
    switch (family) {
    case Family::MaCrossover:
        v.p1 = 2 + 3 * i;
        v.p2 = 3 * rows + 10 + 10 * j;
        name = "ma_crossover_" + std::to_string(v.p1) + "_" + std::to_string(v.p2);
        v.options.parameters = {{"fast_period", std::int64_t{v.p1}}, {"slow_period", std::int64_t{v.p2}}};
        v.options.strategyType = "ma_crossover";
        break;
    case Family::Momentum:
        v.p1 = 5 + 5 * i;
        v.x = (j + 1) * 5 / 10000.0;
        name = "momentum_" + std::to_string(v.p1) + "_" + numberText(v.x);
        v.options.parameters = {{"lookback_period", std::int64_t{v.p1}}, {"threshold", v.x}};
        v.options.strategyType = "momentum";
        break;
    case Family::Bollinger:
        v.p1 = 10 + 5 * i;
        v.x = 1.0 + 0.5 * j;
        name = "bollinger_bands_" + std::to_string(v.p1) + "_" + numberText(v.x);
        v.options.parameters = {{"period", std::int64_t{v.p1}}, {"std_dev", v.x}};
        v.options.strategyType = "mean_reversion";
        break;
    case Family::Rsi:
        v.p1 = 7 + 2 * i;
        v.p2 = 35 - j;
        name = "rsi_bands_" + std::to_string(v.p1) + "_" + std::to_string(v.p2) + "_" + std::to_string(100 - v.p2);
        v.options.parameters = {{"period", std::int64_t{v.p1}},
                                {"oversold", std::int64_t{v.p2}},
                                {"overbought", std::int64_t{100 - v.p2}}};
        v.options.strategyType = "rsi";
        break;
    case Family::Breakout:
        v.p1 = 10 + 10 * i;
        v.x = j / 1000.0;
        name = "breakout_" + std::to_string(v.p1) + "_" + numberText(v.x);
        v.options.parameters = {{"lookback_period", std::int64_t{v.p1}}, {"threshold", v.x}};
        v.options.strategyType = "breakout";
        break;
    }
    v.id = symbol + "_" + name; // engines name strategies per symbol; the tracer strips it
    v.options.timeframe = kTimeframe;
    return v;
}

// Every signal variant of the run, in a fixed order: variant i goes to symbol i % S and
// family (i / S) % 5, so any count gives exactly that many traces spread evenly.
std::vector<SignalVariant> allVariants(const DemoOptions& options)
{
    const std::size_t symbols = options.symbols.size();
    std::vector<std::array<std::int64_t, kFamilies>> counts(symbols, std::array<std::int64_t, kFamilies>{});
    for (std::int64_t i = 0; i < options.variants; ++i)
        ++counts[static_cast<std::size_t>(i) % symbols][static_cast<std::size_t>(i / static_cast<std::int64_t>(symbols)) % kFamilies];
    std::vector<SignalVariant> variants;
    variants.reserve(static_cast<std::size_t>(options.variants));
    for (std::size_t s = 0; s < symbols; ++s)
        for (int f = 0; f < kFamilies; ++f)
            for (std::int64_t k = 0; k < counts[s][static_cast<std::size_t>(f)]; ++k)
                variants.push_back(makeVariant(static_cast<Family>(f), s, options.symbols[s],
                                               counts[s][static_cast<std::size_t>(f)], k));
    return variants;
}

std::vector<ClassifierVariant> allClassifiers(const DemoOptions& options)
{
    std::vector<ClassifierVariant> out;
    for (std::size_t s = 0; s < options.symbols.size(); ++s) {
        const std::string& symbol = options.symbols[s];
        for (int window : {30, 120}) {
            ClassifierVariant c;
            c.volatility = true;
            c.symbol = s;
            c.p1 = window;
            c.low = 0.0005;
            c.high = 0.0011;
            c.id = symbol + "_volatility_regime_" + std::to_string(window);
            c.options.parameters = {{"window", std::int64_t{window}}, {"low_threshold", c.low}, {"high_threshold", c.high}};
            c.options.classifierType = "volatility";
            c.options.timeframe = kTimeframe;
            out.push_back(std::move(c));
        }
        for (auto [fast, slow] : {std::pair{10, 60}, std::pair{30, 240}}) {
            ClassifierVariant c;
            c.volatility = false;
            c.symbol = s;
            c.p1 = fast;
            c.p2 = slow;
            c.threshold = 0.0008;
            c.id = symbol + "_trend_" + std::to_string(fast) + "_" + std::to_string(slow);
            c.options.parameters = {{"fast_period", std::int64_t{fast}}, {"slow_period", std::int64_t{slow}},
                                    {"threshold", c.threshold}};
            c.options.classifierType = "trend";
            c.options.timeframe = kTimeframe;
            out.push_back(std::move(c));
        }
    }
    return out;
}

int lookbackOf(const SignalVariant& v)
{
    switch (v.family) {
    case Family::MaCrossover: return v.p2;
    default: return v.p1; // Rsi and the others look back p1 bars
    }
}

std::int32_t step(SignalVariant& v, const IndicatorBank& bank)
{
    const std::int64_t n = bank.bars();
    std::int32_t pos = v.position;
    switch (v.family) {
    case Family::MaCrossover:
        if (n >= v.p2) {
            const double d = bank.sma(v.p1) - bank.sma(v.p2);
            pos = d > 0 ? 1 : (d < 0 ? -1 : 0);
        }
        break;
    case Family::Momentum:
        if (n > v.p1) {
            const double ret = bank.close() / bank.closeAgo(v.p1) - 1.0;
            if (ret > v.x)
                pos = 1;
            else if (ret < -v.x)
                pos = -1;
            else if (std::abs(ret) < v.x / 2)
                pos = 0; // half-threshold exit band, so a position does not flicker at the threshold
        }
        break;
    case Family::Bollinger:
        if (n >= v.p1) {
            const double sd = bank.stddev(v.p1);
            if (sd > 0) {
                const double z = (bank.close() - bank.sma(v.p1)) / sd;
                if (pos == 0)
                    pos = z < -v.x ? 1 : (z > v.x ? -1 : 0);
                else if ((pos > 0 && z >= 0) || (pos < 0 && z <= 0))
                    pos = 0; // back at the mean: exit
            }
        }
        break;
    case Family::Rsi:
        if (bank.rsiValid(v.indicator)) {
            const double rsi = bank.rsi(v.indicator);
            if (rsi < v.p2)
                pos = 1;
            else if (rsi > 100 - v.p2)
                pos = -1;
            else if ((pos > 0 && rsi >= 50) || (pos < 0 && rsi <= 50))
                pos = 0;
        }
        break;
    case Family::Breakout: {
        const auto& ch = bank.channel(v.indicator);
        if (ch.valid) {
            const double close = bank.close();
            if (close > ch.high * (1.0 + v.x))
                pos = 1;
            else if (close < ch.low * (1.0 - v.x))
                pos = -1;
            else if ((pos > 0 && close < bank.sma(v.p1)) || (pos < 0 && close > bank.sma(v.p1)))
                pos = 0;
        }
        break;
    }
    }
    v.position = pos;
    return pos;
}

double roundedConfidence(double c)
{
    return std::round(std::clamp(c, 0.5, 1.0) * 100.0) / 100.0;
}

// Regime of a classifier at the current bar, or nullptr while it is warming up.
const char* classify(ClassifierVariant& c, const IndicatorBank& bank, double& confidence)
{
    if (c.volatility) {
        static constexpr const char* kNames[] = {"low_vol", "normal_vol", "high_vol"};
        if (bank.bars() <= c.p1)
            return nullptr;
        const double sd = bank.returnStddev(c.p1);
        // 5% hysteresis so a regime does not flicker around a threshold.
        int state = c.state;
        if (state < 0)
            state = sd < c.low ? 0 : (sd > c.high ? 2 : 1);
        else if (sd < c.low * 0.95)
            state = 0;
        else if (sd > c.high * 1.05)
            state = 2;
        else if (sd > c.low * 1.05 && sd < c.high * 0.95)
            state = 1;
        c.state = state;
        const double nearest = std::abs(sd - c.low) < std::abs(sd - c.high) ? c.low : c.high;
        confidence = roundedConfidence(0.5 + std::abs(sd - nearest) / nearest);
        return kNames[state];
    }
    static constexpr const char* kNames[] = {"downtrend", "sideways", "uptrend"};
    if (bank.bars() < c.p2)
        return nullptr;
    const double slow = bank.sma(c.p2);
    const double d = (bank.sma(c.p1) - slow) / slow;
    c.state = d > c.threshold ? 2 : (d < -c.threshold ? 0 : 1);
    confidence = roundedConfidence(0.5 + std::abs(d) / (4 * c.threshold));
    return kNames[c.state];
}

// A file written in pieces and put in place by rename, so a reader never sees half of it and
// an interrupted run leaves the previous file.
class StreamedFile
{
public:
    explicit StreamedFile(std::filesystem::path path)
        : m_path(std::move(path))
        , m_temp(detail::temporaryPathFor(m_path)) // the storage's pattern: removed once its writer is gone
    {
        // Never through a symbolic link: a new file (O_EXCL), and the name itself not followed.
        const int fd = ::open(m_temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd >= 0)
            m_file = ::fdopen(fd, "wb");
        if (!m_file) {
            const int err = errno;
            if (fd >= 0) {
                ::close(fd);
                ::unlink(m_temp.c_str());
            }
            throw StorageError(m_path, std::string("cannot create: ") + std::strerror(err));
        }
    }
    ~StreamedFile()
    {
        if (m_file) {
            std::fclose(m_file);
            std::error_code ec;
            std::filesystem::remove(m_temp, ec);
        }
    }
    StreamedFile(const StreamedFile&) = delete;
    StreamedFile& operator=(const StreamedFile&) = delete;

    void write(std::string& buffer)
    {
        if (!buffer.empty() && std::fwrite(buffer.data(), 1, buffer.size(), m_file) != buffer.size())
            throw StorageError(m_path, std::string("cannot write: ") + std::strerror(errno));
        buffer.clear();
    }
    void commit()
    {
        const bool ok = std::fflush(m_file) == 0 && ::fsync(::fileno(m_file)) == 0;
        const int error = errno;
        std::fclose(m_file);
        m_file = nullptr;
        std::error_code ec;
        if (ok)
            std::filesystem::rename(m_temp, m_path, ec);
        if (!ok || ec) {
            std::filesystem::remove(m_temp, ec);
            throw StorageError(m_path, std::string("cannot write: ") + std::strerror(ok ? EIO : error));
        }
    }

private:
    std::filesystem::path m_path;
    std::filesystem::path m_temp;
    std::FILE* m_file = nullptr;
};

void validate(const DemoOptions& options)
{
    if (options.bars < 1)
        throw std::invalid_argument("the number of bars must be at least 1");
    if (options.variants < 0)
        throw std::invalid_argument("the number of variants must not be negative");
    if (options.variants > 1'000'000)
        throw std::invalid_argument("at most 1000000 variants");
    if (options.symbols.empty())
        throw std::invalid_argument("at least one symbol is needed");
    for (const auto& s : options.symbols)
        if (s.empty() || s.find_first_of("/\\. ") != std::string::npos)
            throw std::invalid_argument("invalid symbol '" + s + "'");
}

} // namespace

std::string DemoResult::text() const
{
    std::string out;
    out += "demo storage: " + root.string() + "\n";
    out += "market: " + std::to_string(marketFiles.size()) + " symbols x " + std::to_string(bars) + " bars of 1m (";
    for (std::size_t i = 0; i < marketFiles.size(); ++i)
        out += (i ? ", " : "") + marketFiles[i].filename().string();
    out += " in " + (root / "market").string() + ")\n";
    out += "traces: " + std::to_string(signalTraces) + " signal, " + std::to_string(classifierTraces) + " classifier\n";
    char ratio[32];
    std::snprintf(ratio, sizeof ratio, "%.4f", events > 0 ? static_cast<double>(changes) / static_cast<double>(events) : 0.0);
    out += "events traced: " + std::to_string(events) + ", changes stored: " + std::to_string(changes) + " ("
        + ratio + " of events)\n";
    if (cancelled)
        out += "cancelled: the storage holds only the batches finished before\n";
    return out;
}

namespace {

// Creates the storage folder. Refused before the first byte when a folder we write into is a
// symbolic link (the type folders are checked by the writer as each is opened).
void prepareDemoFolders(const std::filesystem::path& dir)
{
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        throw StorageError(dir, "cannot create the folder: " + ec.message());
    detail::checkFolderForWrite(dir / "market", true);
    for (const Kind kind : {Kind::Signal, Kind::Classifier})
        detail::checkFolderForWrite(dir / kindFolder(kind), false);
    detail::removeStaleTemporariesIn(dir / "market"); // a killed run's pieces
}

// The indicators a batch (variants [begin, end), and the classifiers when it traces them) needs,
// per symbol; each variant's indicator slot is set in its bank.
std::vector<IndicatorBank> indicatorBanksFor(std::vector<SignalVariant>& variants, std::size_t begin, std::size_t end,
                                             const std::vector<ClassifierVariant>* classifiers, std::size_t symbols)
{
    std::vector<int> maxLookback(symbols, 1);
    std::vector<std::vector<int>> rsiPeriods(symbols), channelLookbacks(symbols);
    auto slotOf = [](std::vector<int>& list, int value) {
        auto it = std::find(list.begin(), list.end(), value);
        if (it == list.end())
            it = list.insert(list.end(), value);
        return static_cast<std::size_t>(it - list.begin());
    };
    for (std::size_t i = begin; i < end; ++i) {
        auto& v = variants[i];
        maxLookback[v.symbol] = std::max(maxLookback[v.symbol], lookbackOf(v));
        if (v.family == Family::Rsi)
            v.indicator = slotOf(rsiPeriods[v.symbol], v.p1);
        else if (v.family == Family::Breakout)
            v.indicator = slotOf(channelLookbacks[v.symbol], v.p1);
    }
    if (classifiers)
        for (const auto& c : *classifiers)
            maxLookback[c.symbol] = std::max({maxLookback[c.symbol], c.p1, c.p2});
    std::vector<IndicatorBank> banks;
    for (std::size_t s = 0; s < symbols; ++s)
        banks.emplace_back(maxLookback[s], rsiPeriods[s], channelLookbacks[s]);
    return banks;
}

} // namespace

DemoResult generateDemo(const std::filesystem::path& dir, const DemoOptions& options, const ProgressCallback& progress)
{
    validate(options);
    DemoResult result;
    result.root = dir;
    result.bars = options.bars;

    std::vector<SignalVariant> variants = allVariants(options);
    std::vector<ClassifierVariant> classifiers = allClassifiers(options);
    const std::int64_t perBatch =
        std::max<std::int64_t>(1, std::min<std::int64_t>(std::max<std::int64_t>(options.variants, 1),
                                                         options.batchBudget / options.bars));
    const std::int64_t batches = std::max<std::int64_t>(1, (options.variants + perBatch - 1) / perBatch);
    result.batches = batches;

    prepareDemoFolders(dir);

    const std::size_t symbols = options.symbols.size();
    const TimeFormat timeFormat; // "2024-03-26T13:30:00+00:00"
    Progress report;
    report.total = static_cast<std::uint64_t>(options.bars * batches);

    for (std::int64_t batch = 0; batch < batches; ++batch) {
        const bool first = batch == 0;
        const auto begin = static_cast<std::size_t>(std::min<std::int64_t>(batch * perBatch, options.variants));
        const auto end = static_cast<std::size_t>(std::min<std::int64_t>((batch + 1) * perBatch, options.variants));

        std::vector<IndicatorBank> banks =
            indicatorBanksFor(variants, begin, end, first ? &classifiers : nullptr, symbols);

        TraceConfig config;
        config.baseDir = dir;
        config.format = options.format;
        Tracer tracer(config);
        for (std::size_t i = begin; i < end; ++i)
            variants[i].handle = tracer.signalHandle(variants[i].id, options.symbols[variants[i].symbol],
                                                     variants[i].options);
        if (first)
            for (auto& c : classifiers)
                c.handle = tracer.classifierHandle(c.id, options.symbols[c.symbol], c.options);

        std::vector<std::unique_ptr<StreamedFile>> csvFiles;
        std::vector<std::string> csvBuffers(symbols);
        if (first) {
            for (const auto& symbol : options.symbols) {
                result.marketFiles.push_back(dir / "market" / (symbol + "_1m.csv"));
                csvFiles.push_back(std::make_unique<StreamedFile>(result.marketFiles.back()));
            }
            for (auto& b : csvBuffers)
                b = demo::marketCsvHeader();
        }

        MarketGenerator market(options.seed, options.symbols);
        for (std::int64_t t = 0; t < options.bars; ++t) {
            market.advance();
            const EventTime now = EventTime::fromUtcMicros(market.timeMicros(), timeFormat);
            for (std::size_t s = 0; s < symbols; ++s) {
                const Bar& bar = market.bar(s);
                tracer.onBar(options.symbols[s], kTimeframe, now);
                banks[s].update(bar);
                if (first) {
                    demo::appendMarketCsvRow(csvBuffers[s], t, market.timeMicros(), bar);
                    if (csvBuffers[s].size() > (1u << 20))
                        csvFiles[s]->write(csvBuffers[s]);
                }
            }
            for (std::size_t i = begin; i < end; ++i) {
                auto& v = variants[i];
                const std::int32_t pos = step(v, banks[v.symbol]);
                tracer.onSignal(v.handle, pos, banks[v.symbol].close(), now);
            }
            if (first) {
                for (auto& c : classifiers) {
                    double confidence = 1.0;
                    if (const char* regime = classify(c, banks[c.symbol], confidence))
                        tracer.onClassification(c.handle, regime, confidence, now);
                }
            }
            if (progress && ((t + 1) % 4096 == 0 || t + 1 == options.bars)) {
                report.done = static_cast<std::uint64_t>(batch * options.bars + t + 1);
                report.itemsDone = static_cast<std::uint64_t>(result.signalTraces + result.classifierTraces);
                report.current = "batch " + std::to_string(batch + 1) + " of " + std::to_string(batches);
                if (!progress(report)) {
                    tracer.discard(); // an unfinished batch is not written; earlier ones stay
                    result.cancelled = true;
                    return result;
                }
            }
        }
        if (first) {
            for (std::size_t s = 0; s < symbols; ++s) {
                csvFiles[s]->write(csvBuffers[s]);
                csvFiles[s]->commit();
            }
        }
        tracer.flush();
        const TracerSummary summary = tracer.summary();
        result.events += summary.signalsSeen + summary.classificationsSeen;
        result.changes += summary.changesStored;
        result.signalTraces += static_cast<std::int64_t>(end - begin);
        if (first)
            result.classifierTraces += static_cast<std::int64_t>(classifiers.size());
    }
    return result;
}

} // namespace sigscope::core
