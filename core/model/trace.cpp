#include "core/model/trace.h"

#include "core/util/canonical.h"

#include <algorithm>
#include <charconv>
#include <memory>
#include <new>
#include <xxhash.h>

namespace sigscope::core {

Trace::Trace(TraceIdentity id, std::string typeName)
    : identity(std::move(id))
    , type(std::move(typeName))
{
}

void Trace::reserve(std::size_t changes)
{
    m_bars.reserve(changes);
    m_times.reserve(changes);
    m_values.reserve(changes);
}

void Trace::shrinkToFit()
{
    m_bars.shrink_to_fit();
    m_times.shrink_to_fit();
    m_values.shrink_to_fit();
    m_prices.shrink_to_fit();
    m_confidences.shrink_to_fit();
    m_rawTimes.shrink_to_fit();
}

void Trace::appendCommon(std::int64_t barIndex, std::int64_t utcMicros, const TimeFormat& format,
                         std::string_view rawText, std::int32_t v, double px)
{
    const std::size_t index = m_bars.size();
    if (utcMicros != kNoTime && !m_hasFormat) {
        m_format = format;
        m_hasFormat = true;
    }
    // Keep the written text only when the trace's usual format would not reproduce it.
    if (utcMicros == kNoTime) {
        if (!rawText.empty())
            m_rawTimes.emplace_back(index, std::string(rawText));
    } else if (!(format == m_format) || (!rawText.empty() && !reproduces(utcMicros, rawText))) {
        m_rawTimes.emplace_back(index, rawText.empty() ? formatIsoTime(utcMicros, format) : std::string(rawText));
    }
    m_bars.push_back(barIndex);
    m_times.push_back(utcMicros);
    m_values.push_back(v);
    if (px != 0.0 && m_prices.empty()) {
        m_prices.reserve(m_bars.capacity()); // as much as was reserved for the other columns
        m_prices.assign(index, 0.0);
    }
    if (!m_prices.empty() || px != 0.0) // assign(0, ..) above leaves it empty for the first change
        m_prices.push_back(px);
}

void Trace::appendSignal(std::int64_t barIndex, std::string_view timeText, std::int32_t v, double px)
{
    const auto parsed = parseIsoTime(timeText);
    appendCommon(barIndex, parsed ? parsed->utcMicros : kNoTime, parsed ? parsed->format : TimeFormat{}, timeText, v,
                 px);
    if (!m_confidences.empty())
        m_confidences.push_back(1.0);
}

void Trace::appendSignalAt(std::int64_t barIndex, std::int64_t utcMicros, const TimeFormat& format, std::int32_t v,
                           double px)
{
    appendCommon(barIndex, utcMicros, format, {}, v, px);
    if (!m_confidences.empty())
        m_confidences.push_back(1.0);
}

void Trace::appendRegime(std::int64_t barIndex, std::string_view timeText, std::string_view regime, double conf,
                         double px)
{
    const auto parsed = parseIsoTime(timeText);
    const std::int32_t id = regimeId(regime);
    const std::size_t index = m_bars.size();
    appendCommon(barIndex, parsed ? parsed->utcMicros : kNoTime, parsed ? parsed->format : TimeFormat{}, timeText, id,
                 px);
    if (conf != 1.0 && m_confidences.empty()) {
        m_confidences.reserve(m_bars.capacity());
        m_confidences.assign(index, 1.0);
    }
    if (!m_confidences.empty() || conf != 1.0)
        m_confidences.push_back(conf);
}

void Trace::appendRegimeAt(std::int64_t barIndex, std::int64_t utcMicros, const TimeFormat& format,
                           std::string_view regime, double conf, double px)
{
    const std::int32_t id = regimeId(regime);
    const std::size_t index = m_bars.size();
    appendCommon(barIndex, utcMicros, format, {}, id, px);
    if (conf != 1.0 && m_confidences.empty()) {
        m_confidences.reserve(m_bars.capacity());
        m_confidences.assign(index, 1.0);
    }
    if (!m_confidences.empty() || conf != 1.0)
        m_confidences.push_back(conf);
}

std::string Trace::timeText(std::size_t i) const
{
    IsoTimeBuffer buffer;
    return std::string(timeText(i, buffer));
}

std::string_view Trace::timeText(std::size_t i, IsoTimeBuffer& buffer) const
{
    if (!m_rawTimes.empty()) {
        auto it = std::lower_bound(m_rawTimes.begin(), m_rawTimes.end(), i,
                                   [](const auto& e, std::size_t k) { return e.first < k; });
        if (it != m_rawTimes.end() && it->first == i)
            return it->second;
    }
    return {buffer.data(), writeIsoTime(m_times[i], m_format, buffer)};
}

bool Trace::reproduces(std::int64_t utcMicros, std::string_view text) const
{
    IsoTimeBuffer buffer;
    return std::string_view(buffer.data(), writeIsoTime(utcMicros, m_format, buffer)) == text;
}

std::int32_t Trace::regimeId(std::string_view regime)
{
    for (std::size_t i = 0; i < m_regimes.size(); ++i)
        if (m_regimes[i] == regime)
            return static_cast<std::int32_t>(i);
    m_regimes.emplace_back(regime);
    return static_cast<std::int32_t>(m_regimes.size() - 1);
}

std::string Trace::valueText(std::size_t i) const
{
    if (identity.kind == Kind::Classifier)
        return std::string(regimeName(i));
    return std::to_string(m_values[i]);
}

std::int64_t Trace::effectiveTotalBars() const
{
    const std::int64_t fromChanges = m_bars.empty() ? 0 : m_bars.back() + 1;
    return std::max(metadata.totalBars, fromChanges);
}

std::size_t Trace::memoryBytes() const
{
    std::size_t bytes = m_bars.capacity() * sizeof(std::int64_t) + m_times.capacity() * sizeof(std::int64_t)
        + m_values.capacity() * sizeof(std::int32_t) + m_prices.capacity() * sizeof(double)
        + m_confidences.capacity() * sizeof(double);
    for (const auto& r : m_regimes)
        bytes += sizeof(std::string) + r.capacity();
    for (const auto& [index, text] : m_rawTimes)
        bytes += sizeof(std::pair<std::size_t, std::string>) + text.capacity();
    return bytes;
}

bool Trace::sameChanges(const Trace& other) const
{
    if (identity.kind != other.identity.kind || size() != other.size())
        return false;
    for (std::size_t i = 0; i < size(); ++i) {
        if (bar(i) != other.bar(i) || price(i) != other.price(i) || confidence(i) != other.confidence(i)
            || valueText(i) != other.valueText(i) || timeText(i) != other.timeText(i))
            return false;
    }
    return true;
}

std::uint64_t changesHash(const Trace& trace)
{
    const std::unique_ptr<XXH3_state_t, XXH_errorcode (*)(XXH3_state_t*)> owned(XXH3_createState(), XXH3_freeState);
    XXH3_state_t* state = owned.get();
    if (!state)
        throw std::bad_alloc();
    XXH3_64bits_reset(state);
    // Streamed in blocks: a trace of 1M changes never has its text held whole.
    std::string block(kindName(trace.kind()));
    block.push_back('\n');
    IsoTimeBuffer buffer;
    const bool classifier = trace.kind() == Kind::Classifier;
    for (std::size_t i = 0; i < trace.size(); ++i) {
        char number[24];
        block.append(number, std::to_chars(number, number + sizeof number, trace.bar(i)).ptr);
        block.push_back('\t');
        block += trace.timeText(i, buffer);
        block.push_back('\t');
        if (classifier)
            block += trace.regimeName(i);
        else
            block.append(number, std::to_chars(number, number + sizeof number, trace.value(i)).ptr);
        block.push_back('\t');
        canonical::appendDouble(block, trace.price(i));
        block.push_back('\t');
        canonical::appendDouble(block, trace.confidence(i));
        block.push_back('\n');
        if (block.size() >= 60000) {
            XXH3_64bits_update(state, block.data(), block.size());
            block.clear();
        }
    }
    XXH3_64bits_update(state, block.data(), block.size());
    return XXH3_64bits_digest(state);
}

} // namespace sigscope::core
