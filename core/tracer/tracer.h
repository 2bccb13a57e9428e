#pragma once

#include "core/model/parameters.h"
#include "core/model/timestamp.h"
#include "core/model/trace.h"
#include "core/tracer/traceconfig.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sigscope::core {

// The time of an event: ISO text ("2024-03-26T13:30:00+00:00", parsed by the tracer, the last
// text cached) or an already parsed time (hot path). Default: no time given, the tracer uses
// the time of the symbol's latest bar. Only valid during the call it is passed to.
class EventTime
{
public:
    EventTime() = default;
    EventTime(std::string_view isoText)
        : m_text(isoText)
        , m_hasText(true)
    {
    }
    EventTime(const char* isoText)
        : EventTime(std::string_view(isoText))
    {
    }
    EventTime(const std::string& isoText)
        : EventTime(std::string_view(isoText))
    {
    }
    // "+00:00" form unless told otherwise, like the trading system writes its bar times.
    static EventTime fromUtcMicros(std::int64_t utcMicros, TimeFormat format = {})
    {
        EventTime t;
        t.m_micros = utcMicros;
        t.m_format = format;
        return t;
    }

    [[nodiscard]] bool hasText() const { return m_hasText; }
    [[nodiscard]] bool isParsed() const { return m_micros != kNoTime; }
    [[nodiscard]] std::string_view text() const { return m_text; }
    [[nodiscard]] std::int64_t utcMicros() const { return m_micros; }
    [[nodiscard]] const TimeFormat& format() const { return m_format; }

private:
    std::string_view m_text;
    bool m_hasText = false;
    std::int64_t m_micros = kNoTime;
    TimeFormat m_format;
};

// A signal direction: "long"/"short"/"flat" (any case; also "1", "-1", "0") or an integer.
// Throws std::invalid_argument for any other text.
class Direction
{
public:
    Direction(std::int32_t value)
        : m_value(value)
    {
    }
    Direction(std::string_view text);
    Direction(const char* text)
        : Direction(std::string_view(text))
    {
    }
    Direction(const std::string& text)
        : Direction(std::string_view(text))
    {
    }
    [[nodiscard]] std::int32_t value() const { return m_value; }

private:
    std::int32_t m_value = 0;
};

// Optional arguments of onSignal / onClassification. Read only when the (symbol, id) is seen
// for the first time: parameters, type and timeframe are part of the trace's identity.
struct SignalOptions
{
    Parameters parameters;
    std::string strategyType; // explicit type folder; else derived from the name (naming::typeFor)
    std::string timeframe;    // empty: the timeframe of the symbol's latest onBar
};

struct ClassificationOptions
{
    Parameters parameters;
    std::string classifierType;
    std::string timeframe;
};

// What a tracer has seen and kept, per trace and in total.
struct TraceSummary
{
    Kind kind = Kind::Signal;
    std::string name;
    std::string type;
    std::string symbol;
    std::string timeframe;
    std::int64_t eventsSeen = 0;    // onSignal / onClassification calls
    std::int64_t changesStored = 0; // first value plus every change
    std::int64_t totalBars = 0;     // bars seen for its (symbol, timeframe)
    double compressionRatio = 0.0;  // changesStored / totalBars (0 without bars), as in the file
};

struct TracerSummary
{
    std::int64_t barsSeen = 0;            // onBar calls, all symbols
    std::int64_t signalsSeen = 0;         // onSignal calls
    std::int64_t classificationsSeen = 0; // onClassification calls
    std::int64_t changesStored = 0;
    std::int64_t tracesWritten = 0;       // trace files written by flushes and checkpoints
    std::int64_t checkpoints = 0;
    std::vector<TraceSummary> traces;     // in order of first appearance

    // A few lines for people: totals, then one line per trace.
    [[nodiscard]] std::string text(std::size_t maxTraces = 20) const;
};

// Records the signals and classifications of a trading engine as sparse traces in a
// hierarchical storage (storage-format.md). Only changes are kept, per (symbol, id); the first
// value is always kept. Bars are counted per (symbol, timeframe) from 0: an event belongs to
// the latest bar of its symbol and timeframe. Not thread-safe: one tracer per engine thread.
//
//   Tracer tracer(TraceConfig::fromFile("config.yaml"));
//   tracer.onBar("SPY", "1m", "2024-03-26T13:30:00+00:00");
//   tracer.onSignal("SPY_ma_crossover_5_20", "SPY", "long", 521.0, "2024-03-26T13:30:00+00:00",
//                   {.parameters = {{"fast_period", std::int64_t{5}}, {"slow_period", std::int64_t{20}}}});
//   tracer.flush(); // also done by the destructor
class Tracer
{
public:
    explicit Tracer(TraceConfig config = {});
    ~Tracer(); // flushes; a failure is reported on stderr, never thrown
    Tracer(const Tracer&) = delete;
    Tracer& operator=(const Tracer&) = delete;

    [[nodiscard]] const TraceConfig& config() const { return m_config; }
    [[nodiscard]] bool enabled() const { return m_config.enabled; }

    void onBar(std::string_view symbol, std::string_view timeframe, EventTime time = {});
    void onSignal(std::string_view strategyId, std::string_view symbol, Direction direction, double price = 0.0,
                  EventTime time = {}, const SignalOptions& options = {});
    void onClassification(std::string_view classifierId, std::string_view symbol, std::string_view regime,
                          double confidence = 1.0, EventTime time = {}, const ClassificationOptions& options = {});

    // Hot path for engines that call every strategy on every bar: resolve (symbol, id) once,
    // then record by handle without any lookup. Handles stay valid for the tracer's life.
    using Handle = std::uint32_t;
    Handle signalHandle(std::string_view strategyId, std::string_view symbol, const SignalOptions& options = {});
    Handle classifierHandle(std::string_view classifierId, std::string_view symbol,
                            const ClassificationOptions& options = {});
    void onSignal(Handle handle, std::int32_t value, double price, EventTime time = {});
    void onClassification(Handle handle, std::string_view regime, double confidence, EventTime time = {});

    // Writes every trace (atomically, one index update per type folder). Throws StorageError.
    void flush();
    // Drops everything not yet written (e.g. a cancelled run); later events start new traces.
    void discard();

    [[nodiscard]] TracerSummary summary() const;
    // The traces held so far (for tests and for engines that inspect them before writing).
    [[nodiscard]] const std::vector<Trace>& traces() const { return m_traces; }

private:
    struct BarCounter
    {
        std::string timeframe;
        std::int64_t count = 0;
        std::int64_t lastMicros = kNoTime;
        TimeFormat lastFormat;
    };
    struct SymbolState
    {
        std::vector<BarCounter> counters;
        std::size_t latest = 0; // counter of the latest onBar; counters.size() when none
    };
    struct Slot
    {
        std::string symbol;
        std::size_t counterSymbol = 0; // index into m_symbolOrder
        std::size_t counter = 0;       // index into that symbol's counters (resolved lazily)
        bool counterKnown = false;
        std::int64_t events = 0;
        std::int32_t lastValue = 0;
    };
    struct StringHash
    {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    template<typename V>
    using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

    Handle handleFor(Kind kind, std::string_view id, std::string_view symbol, const Parameters& parameters,
                     std::string_view type, std::string_view timeframe);
    SymbolState& symbolState(std::string_view symbol, std::size_t* index = nullptr);
    BarCounter* counterFor(Slot& slot);
    // Resolves an event time to (micros, format); kNoTime with the raw text for invalid text.
    bool resolveTime(const EventTime& time, const BarCounter* bar, std::int64_t& micros, TimeFormat& format);
    struct EventPlace
    {
        std::int64_t bar = 0;
        std::int64_t micros = kNoTime;
        TimeFormat format;
        bool parsed = true; // false: the time text is no valid time, append it as text
    };
    Slot& slotFor(Handle handle, std::int64_t& seen);
    EventPlace placeEvent(Slot& slot, const EventTime& time);
    void recordSignal(Handle handle, std::int32_t value, double price, const EventTime& time);
    void recordRegime(Handle handle, std::string_view regime, double confidence, const EventTime& time);
    void changeStored();
    void checkpoint();
    void prepareForWrite();

    TraceConfig m_config;
    StringMap<std::size_t> m_symbolIndex;
    std::vector<SymbolState> m_symbols;
    std::vector<std::string> m_symbolOrder;
    StringMap<Handle> m_handles[2]; // per kind: "<symbol>\x1f<id>" -> handle
    std::vector<Trace> m_traces;    // contiguous so flush() hands them to the writer as they are
    std::vector<Slot> m_slots;

    std::int64_t m_barsSeen = 0;
    std::int64_t m_signalsSeen = 0;
    std::int64_t m_classificationsSeen = 0;
    std::int64_t m_changesStored = 0;
    std::int64_t m_tracesWritten = 0;
    std::int64_t m_checkpoints = 0;
    std::int64_t m_barsSinceWrite = 0;
    std::int64_t m_changesSinceWrite = 0;
    // Traces held at the last Parquet write: parts are added, never replaced, so an unchanged
    // flush (the destructor's after flush()) writes nothing.
    std::optional<std::size_t> m_tracesAtParquetWrite;

    std::string m_lastTimeText; // one-entry cache: engines pass the bar's time to every event
    std::int64_t m_lastTimeMicros = kNoTime;
    TimeFormat m_lastTimeFormat;
    std::string m_keyBuffer;
};

} // namespace sigscope::core
