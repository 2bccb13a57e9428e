#include "core/tracer/tracer.h"

#include "core/storage/naming.h"
#include "core/storage/parquetwriter.h"
#include "core/storage/writer.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <exception>
#include <stdexcept>

namespace sigscope::core {

namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string formatRatio(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4f", value);
    return buffer;
}

} // namespace

Direction::Direction(std::string_view text)
{
    if (equalsIgnoreCase(text, "long")) {
        m_value = 1;
    } else if (equalsIgnoreCase(text, "short")) {
        m_value = -1;
    } else if (equalsIgnoreCase(text, "flat")) {
        m_value = 0;
    } else {
        const char* begin = text.data();
        if (!text.empty() && text.front() == '+')
            ++begin;
        const auto [end, ec] = std::from_chars(begin, text.data() + text.size(), m_value);
        if (text.empty() || ec != std::errc() || end != text.data() + text.size())
            throw std::invalid_argument("invalid signal direction '" + std::string(text)
                                        + "' (accepted: long, short, flat or an integer)");
    }
}

std::string TracerSummary::text(std::size_t maxTraces) const
{
    std::string out;
    out += "bars seen: " + std::to_string(barsSeen) + "\n";
    out += "signals seen: " + std::to_string(signalsSeen) + ", classifications seen: "
        + std::to_string(classificationsSeen) + "\n";
    out += "traces: " + std::to_string(traces.size()) + ", changes stored: " + std::to_string(changesStored);
    const std::int64_t events = signalsSeen + classificationsSeen;
    if (events > 0)
        out += " (" + formatRatio(static_cast<double>(changesStored) / static_cast<double>(events)) + " of events)";
    out += "\n";
    for (std::size_t i = 0; i < traces.size() && i < maxTraces; ++i) {
        const auto& t = traces[i];
        out += "  " + std::string(kindName(t.kind)) + " " + t.type + "/" + t.name + " " + t.symbol + " "
            + t.timeframe + ": " + std::to_string(t.eventsSeen) + " seen, " + std::to_string(t.changesStored)
            + " stored, " + std::to_string(t.totalBars) + " bars, compression " + formatRatio(t.compressionRatio)
            + "\n";
    }
    if (traces.size() > maxTraces)
        out += "  ... " + std::to_string(traces.size() - maxTraces) + " more\n";
    return out;
}

Tracer::Tracer(TraceConfig config)
    : m_config(std::move(config))
{
}

Tracer::~Tracer()
{
    try {
        flush();
    } catch (const std::exception& e) {
        // A destructor must not throw; the engine still learns that its traces are not on disk.
        std::fprintf(stderr, "sigscope tracer: writing traces to %s failed: %s\n", m_config.baseDir.string().c_str(),
                     e.what());
    } catch (...) {
        std::fprintf(stderr, "sigscope tracer: writing traces to %s failed\n", m_config.baseDir.string().c_str());
    }
}

Tracer::SymbolState& Tracer::symbolState(std::string_view symbol, std::size_t* index)
{
    auto it = m_symbolIndex.find(symbol);
    if (it == m_symbolIndex.end()) {
        it = m_symbolIndex.emplace(std::string(symbol), m_symbols.size()).first;
        m_symbols.emplace_back();
        m_symbolOrder.emplace_back(symbol);
    }
    if (index)
        *index = it->second;
    return m_symbols[it->second];
}

void Tracer::onBar(std::string_view symbol, std::string_view timeframe, EventTime time)
{
    if (!m_config.enabled)
        return;
    // Checkpoint before the new bar: every change of the bars before it is complete.
    if (m_config.writeInterval > 0 && m_barsSinceWrite >= m_config.writeInterval)
        checkpoint();
    ++m_barsSinceWrite;

    SymbolState& state = symbolState(symbol);
    std::size_t i = 0;
    while (i < state.counters.size() && state.counters[i].timeframe != timeframe)
        ++i;
    if (i == state.counters.size())
        state.counters.push_back(BarCounter{std::string(timeframe), 0, kNoTime, TimeFormat{}});
    BarCounter& counter = state.counters[i];
    ++counter.count;
    state.latest = i;
    if (time.isParsed()) {
        counter.lastMicros = time.utcMicros();
        counter.lastFormat = time.format();
    } else if (time.hasText()) {
        std::int64_t micros = kNoTime;
        TimeFormat format;
        resolveTime(time, nullptr, micros, format);
        counter.lastMicros = micros;
        counter.lastFormat = format;
    }
    ++m_barsSeen;
}

bool Tracer::resolveTime(const EventTime& time, const BarCounter* bar, std::int64_t& micros, TimeFormat& format)
{
    if (time.isParsed()) {
        micros = time.utcMicros();
        format = time.format();
        return true;
    }
    if (!time.hasText()) {
        micros = bar ? bar->lastMicros : kNoTime;
        format = bar ? bar->lastFormat : TimeFormat{};
        return true;
    }
    if (time.text() != m_lastTimeText) {
        const auto parsed = parseIsoTime(time.text());
        m_lastTimeText.assign(time.text());
        m_lastTimeMicros = parsed ? parsed->utcMicros : kNoTime;
        m_lastTimeFormat = parsed ? parsed->format : TimeFormat{};
    }
    micros = m_lastTimeMicros;
    format = m_lastTimeFormat;
    return micros != kNoTime;
}

Tracer::Handle Tracer::handleFor(Kind kind, std::string_view id, std::string_view symbol,
                                 const Parameters& parameters, std::string_view type, std::string_view timeframe)
{
    m_keyBuffer.assign(symbol);
    m_keyBuffer += '\x1f';
    m_keyBuffer += id;
    auto& handles = m_handles[kind == Kind::Signal ? 0 : 1];
    if (auto it = handles.find(std::string_view(m_keyBuffer)); it != handles.end())
        return it->second;

    std::size_t symbolIndex = 0;
    SymbolState& state = symbolState(symbol, &symbolIndex);
    TraceIdentity identity;
    identity.kind = kind;
    identity.name = naming::stripSymbolPrefix(id, symbol);
    identity.parameters = parameters;
    if (!symbol.empty())
        identity.symbol = std::string(symbol);
    if (!timeframe.empty())
        identity.timeframe = std::string(timeframe);
    else if (state.latest < state.counters.size())
        identity.timeframe = state.counters[state.latest].timeframe;
    identity.run = m_config.runId;
    std::string folder = naming::typeFor(kind, identity.name, type);

    const auto handle = static_cast<Handle>(m_traces.size());
    m_traces.emplace_back(std::move(identity), std::move(folder));
    Slot slot;
    slot.symbol = std::string(symbol);
    slot.counterSymbol = symbolIndex;
    m_slots.push_back(std::move(slot));
    handles.emplace(m_keyBuffer, handle);
    return handle;
}

Tracer::BarCounter* Tracer::counterFor(Slot& slot)
{
    SymbolState& state = m_symbols[slot.counterSymbol];
    if (!slot.counterKnown) {
        const auto& timeframe = m_traces[static_cast<std::size_t>(&slot - m_slots.data())].identity.timeframe;
        for (std::size_t i = 0; i < state.counters.size(); ++i) {
            if (timeframe ? state.counters[i].timeframe == *timeframe : state.counters[i].timeframe.empty()) {
                slot.counter = i;
                slot.counterKnown = true;
                break;
            }
        }
        if (!slot.counterKnown)
            return nullptr; // no bar of this (symbol, timeframe) yet: the event belongs to bar 0
    }
    return &state.counters[slot.counter];
}

Tracer::Handle Tracer::signalHandle(std::string_view strategyId, std::string_view symbol, const SignalOptions& options)
{
    return handleFor(Kind::Signal, strategyId, symbol, options.parameters, options.strategyType, options.timeframe);
}

Tracer::Handle Tracer::classifierHandle(std::string_view classifierId, std::string_view symbol,
                                        const ClassificationOptions& options)
{
    return handleFor(Kind::Classifier, classifierId, symbol, options.parameters, options.classifierType,
                     options.timeframe);
}

void Tracer::onSignal(std::string_view strategyId, std::string_view symbol, Direction direction, double price,
                      EventTime time, const SignalOptions& options)
{
    if (!m_config.enabled)
        return;
    recordSignal(signalHandle(strategyId, symbol, options), direction.value(), price, time);
}

void Tracer::onClassification(std::string_view classifierId, std::string_view symbol, std::string_view regime,
                              double confidence, EventTime time, const ClassificationOptions& options)
{
    if (!m_config.enabled)
        return;
    recordRegime(classifierHandle(classifierId, symbol, options), regime, confidence, time);
}

void Tracer::onSignal(Handle handle, std::int32_t value, double price, EventTime time)
{
    if (!m_config.enabled)
        return;
    recordSignal(handle, value, price, time);
}

void Tracer::onClassification(Handle handle, std::string_view regime, double confidence, EventTime time)
{
    if (!m_config.enabled)
        return;
    recordRegime(handle, regime, confidence, time);
}

Tracer::Slot& Tracer::slotFor(Handle handle, std::int64_t& seen)
{
    if (handle >= m_slots.size())
        throw std::out_of_range("sigscope tracer: unknown trace handle " + std::to_string(handle));
    ++seen;
    Slot& slot = m_slots[handle];
    ++slot.events;
    return slot;
}

Tracer::EventPlace Tracer::placeEvent(Slot& slot, const EventTime& time)
{
    EventPlace place;
    const BarCounter* bar = counterFor(slot);
    place.bar = bar && bar->count > 0 ? bar->count - 1 : 0;
    place.parsed = resolveTime(time, bar, place.micros, place.format);
    return place;
}

void Tracer::recordSignal(Handle handle, std::int32_t value, double price, const EventTime& time)
{
    Slot& slot = slotFor(handle, m_signalsSeen);
    Trace& trace = m_traces[handle];
    if (!trace.empty() && slot.lastValue == value)
        return;
    const EventPlace at = placeEvent(slot, time);
    if (at.parsed)
        trace.appendSignalAt(at.bar, at.micros, at.format, value, price);
    else
        trace.appendSignal(at.bar, time.text(), value, price); // keeps unparsable text as written
    slot.lastValue = value;
    changeStored();
}

void Tracer::recordRegime(Handle handle, std::string_view regime, double confidence, const EventTime& time)
{
    Slot& slot = slotFor(handle, m_classificationsSeen);
    Trace& trace = m_traces[handle];
    if (!trace.empty() && trace.regimes()[static_cast<std::size_t>(slot.lastValue)] == regime)
        return;
    const EventPlace at = placeEvent(slot, time);
    if (at.parsed)
        trace.appendRegimeAt(at.bar, at.micros, at.format, regime, confidence);
    else
        trace.appendRegime(at.bar, time.text(), regime, confidence);
    slot.lastValue = trace.value(trace.size() - 1);
    changeStored();
}

void Tracer::changeStored()
{
    ++m_changesStored;
    ++m_changesSinceWrite;
    if (m_config.writeOnChanges > 0 && m_changesSinceWrite >= m_config.writeOnChanges)
        checkpoint();
}

void Tracer::checkpoint()
{
    flush();
    ++m_checkpoints;
}

void Tracer::prepareForWrite()
{
    std::string now;
    for (std::size_t i = 0; i < m_traces.size(); ++i) {
        Trace& trace = m_traces[i];
        const BarCounter* bar = counterFor(m_slots[i]);
        trace.metadata.totalBars = std::max<std::int64_t>(bar ? bar->count : 0, trace.effectiveTotalBars());
        if (trace.metadata.createdAt.empty()) {
            if (now.empty())
                now = formatUtcMicrosZ(nowUtcMicros());
            trace.metadata.createdAt = now;
        }
    }
}

void Tracer::flush()
{
    const bool unchanged = m_barsSinceWrite == 0 && m_changesSinceWrite == 0 && m_tracesAtParquetWrite == m_traces.size();
    m_barsSinceWrite = 0;
    m_changesSinceWrite = 0;
    if (!m_config.enabled || m_traces.empty())
        return;
    if (m_config.format == StorageFormat::Parquet && unchanged)
        return;
    prepareForWrite();
    if (m_config.format == StorageFormat::Parquet) {
        ParquetStorageWriter(m_config.baseDir).write(m_traces);
        m_tracesAtParquetWrite = m_traces.size();
    } else {
        StorageWriter(m_config.baseDir).writeBatch(m_traces);
    }
    m_tracesWritten += static_cast<std::int64_t>(m_traces.size());
}

void Tracer::discard()
{
    m_handles[0].clear();
    m_handles[1].clear();
    m_traces.clear();
    m_slots.clear();
    m_barsSinceWrite = 0;
    m_changesSinceWrite = 0;
    m_tracesAtParquetWrite.reset();
}

TracerSummary Tracer::summary() const
{
    TracerSummary s;
    s.barsSeen = m_barsSeen;
    s.signalsSeen = m_signalsSeen;
    s.classificationsSeen = m_classificationsSeen;
    s.changesStored = m_changesStored;
    s.tracesWritten = m_tracesWritten;
    s.checkpoints = m_checkpoints;
    s.traces.reserve(m_traces.size());
    for (std::size_t i = 0; i < m_traces.size(); ++i) {
        const Trace& trace = m_traces[i];
        const Slot& slot = m_slots[i];
        TraceSummary t;
        t.kind = trace.kind();
        t.name = trace.identity.name;
        t.type = trace.type;
        t.symbol = slot.symbol;
        t.timeframe = trace.identity.timeframe.value_or(std::string());
        t.eventsSeen = slot.events;
        t.changesStored = static_cast<std::int64_t>(trace.size());
        const auto& counters = m_symbols[slot.counterSymbol].counters;
        std::int64_t bars = 0;
        for (const auto& c : counters)
            if (c.timeframe == t.timeframe)
                bars = c.count;
        t.totalBars = std::max(bars, trace.effectiveTotalBars());
        t.compressionRatio = t.totalBars > 0 ? static_cast<double>(t.changesStored) / static_cast<double>(t.totalBars)
                                             : 0.0;
        s.traces.push_back(std::move(t));
    }
    return s;
}

} // namespace sigscope::core
