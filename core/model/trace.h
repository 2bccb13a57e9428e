#pragma once

#include "core/model/identity.h"
#include "core/model/timestamp.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sigscope::core {

// Metadata of a trace file besides its identity. Unknown keys are kept as raw JSON text, in
// the order they were read, and written back unchanged (storage-format.md §5).
struct TraceMetadata
{
    std::int64_t totalBars = 0;     // as recorded; see Trace::effectiveTotalBars()
    std::string createdAt;          // ISO text as written
    std::string storedHash;         // file_hash as found in a file (may be an upstream MD5-8); empty when new
    std::vector<std::pair<std::string, std::string>> extras; // key -> raw JSON value text
    int formatVersion = 1;          // 0 for traces read from an upstream (version-0) folder

    bool operator==(const TraceMetadata&) const = default;
};

// One trace: identity, metadata and its changes held in columns. A signal's value is its
// position (-1/0/1 or any small integer); a classifier's value is an id into regimes().
// Columns that carry no information (all prices 0, all confidences 1) take no memory.
class Trace
{
public:
    Trace() = default;
    explicit Trace(TraceIdentity identity, std::string type = {});

    TraceIdentity identity;
    std::string type; // type folder (storage-format.md §4)
    TraceMetadata metadata;

    [[nodiscard]] Kind kind() const { return identity.kind; }
    [[nodiscard]] std::size_t size() const { return m_bars.size(); }
    [[nodiscard]] bool empty() const { return m_bars.empty(); }
    void reserve(std::size_t changes);
    // Drops spare capacity (after loading, where the number of changes was not known up front).
    void shrinkToFit();

    // Appends one change as recorded. An empty or invalid time text means "no time"; the text
    // is still written back exactly as it came.
    void appendSignal(std::int64_t bar, std::string_view timeText, std::int32_t value, double price = 0.0);
    void appendRegime(std::int64_t bar, std::string_view timeText, std::string_view regime, double confidence = 1.0,
                      double price = 0.0);
    // Hot path for producers that already hold a parsed time.
    void appendSignalAt(std::int64_t bar, std::int64_t utcMicros, const TimeFormat& format, std::int32_t value,
                        double price = 0.0);
    void appendRegimeAt(std::int64_t bar, std::int64_t utcMicros, const TimeFormat& format, std::string_view regime,
                        double confidence = 1.0, double price = 0.0);

    [[nodiscard]] std::int64_t bar(std::size_t i) const { return m_bars[i]; }
    [[nodiscard]] std::int64_t time(std::size_t i) const { return m_times[i]; } // kNoTime when unknown
    [[nodiscard]] std::int32_t value(std::size_t i) const { return m_values[i]; }
    [[nodiscard]] double price(std::size_t i) const { return m_prices.empty() ? 0.0 : m_prices[i]; }
    [[nodiscard]] double confidence(std::size_t i) const { return m_confidences.empty() ? 1.0 : m_confidences[i]; }
    // The time exactly as it was recorded (empty when the change had none).
    [[nodiscard]] std::string timeText(std::size_t i) const;
    // The same without allocating: a view of the kept text or of `buffer` (valid while both live).
    [[nodiscard]] std::string_view timeText(std::size_t i, IsoTimeBuffer& buffer) const;

    [[nodiscard]] std::span<const std::int64_t> bars() const { return m_bars; }
    [[nodiscard]] std::span<const std::int64_t> times() const { return m_times; }
    [[nodiscard]] std::span<const std::int32_t> values() const { return m_values; }

    // Classifiers: the regime names, indexed by value().
    [[nodiscard]] const std::vector<std::string>& regimes() const { return m_regimes; }
    [[nodiscard]] std::string_view regimeName(std::size_t i) const { return m_regimes[static_cast<std::size_t>(m_values[i])]; }
    // Id of a regime name, adding it to the dictionary when new.
    std::int32_t regimeId(std::string_view regime);
    // Text of a change's value: "1", "-1" for signals, the regime name for classifiers.
    [[nodiscard]] std::string valueText(std::size_t i) const;

    // max(metadata.totalBars, last bar + 1): upstream wrote the last index there (§5).
    [[nodiscard]] std::int64_t effectiveTotalBars() const;
    // Bytes held by the change columns (capacity, not size), for the memory benchmark.
    [[nodiscard]] std::size_t memoryBytes() const;

    // Same kind and changes (bar, time as written, value, price, confidence); identity and
    // metadata are not compared.
    [[nodiscard]] bool sameChanges(const Trace& other) const;

private:
    [[nodiscard]] bool reproduces(std::int64_t utcMicros, std::string_view text) const; // in m_format
    void appendCommon(std::int64_t bar, std::int64_t utcMicros, const TimeFormat& format, std::string_view rawText,
                      std::int32_t value, double price);

    std::vector<std::int64_t> m_bars;
    std::vector<std::int64_t> m_times;
    std::vector<std::int32_t> m_values;
    std::vector<double> m_prices;      // empty while every price is 0.0
    std::vector<double> m_confidences; // empty while every confidence is 1.0
    std::vector<std::string> m_regimes;
    bool m_hasFormat = false;
    TimeFormat m_format;                                        // the trace's usual time format
    std::vector<std::pair<std::size_t, std::string>> m_rawTimes; // changes whose text differs from m_format
};

// The changes hash (docs/format.md, "The changes hash"): XXH3-64 with seed 0 of the text
//   <kind>\n then, per change, <bar>\t<time as written>\t<value text>\t<price>\t<confidence>\n
// (numbers as canonical JSON writes them). Independent of name, parameters and metadata: two
// traces whose change lists are equal (Trace::sameChanges) have the same hash.
std::uint64_t changesHash(const Trace& trace);

} // namespace sigscope::core
