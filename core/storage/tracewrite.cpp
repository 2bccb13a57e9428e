#include "core/storage/traceio.h"

// The data file text of a trace (storage-format.md §5-§6), in pieces for a sink; the readers
// are in traceio.cpp.

#include "core/storage/jsonsax.h"
#include "core/storage/naming.h"
#include "core/util/canonical.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace sigscope::core {

namespace {

using detail::appendInt;
using detail::appendOptionalString;

void appendKey(std::string& out, std::string_view key)
{
    out += ",\n    \"";
    out += key;
    out += "\": ";
}

} // namespace

std::string serializeTrace(const Trace& trace)
{
    std::string out;
    const std::size_t n = trace.size();
    out.reserve(640 + n * (trace.kind() == Kind::Signal ? 120 + trace.identity.name.size() : 130));
    serializeTrace(trace, [&out](std::string_view piece) { out += piece; }, std::numeric_limits<std::size_t>::max());
    return out;
}

void serializeTrace(const Trace& trace, const TextSink& sink, std::size_t chunkBytes)
{
    using namespace std::string_view_literals;
    const bool signal = trace.kind() == Kind::Signal;
    const auto& id = trace.identity;
    const std::size_t n = trace.size();
    std::string out;
    out.reserve(std::min<std::size_t>(chunkBytes, 640 + n * 130) + 4096);
    IsoTimeBuffer time;

    out += signal ? "{\n  \"metadata\": {\n    \"strategy_name\": " : "{\n  \"metadata\": {\n    \"classifier_name\": ";
    canonical::appendString(out, id.name);
    appendKey(out, signal ? "strategy_type" : "classifier_type");
    canonical::appendString(out, trace.type.empty() ? naming::typeFor(trace.kind(), id.name) : trace.type);
    appendKey(out, "parameters");
    out += id.parameters.canonicalJson();
    appendKey(out, "symbol");
    appendOptionalString(out, id.symbol);
    appendKey(out, "timeframe");
    appendOptionalString(out, id.timeframe);
    appendKey(out, "run");
    appendOptionalString(out, id.run);
    if (id.variant) {
        appendKey(out, "variant");
        appendInt(out, *id.variant);
    }
    const std::int64_t totalBars = trace.effectiveTotalBars();
    appendKey(out, "total_bars");
    appendInt(out, totalBars);
    appendKey(out, signal ? "signal_changes" : "regime_changes");
    appendInt(out, static_cast<std::int64_t>(n));
    appendKey(out, "compression_ratio");
    canonical::appendDouble(out, totalBars > 0 ? static_cast<double>(n) / static_cast<double>(totalBars) : 0.0);
    appendKey(out, "created_at");
    if (trace.metadata.createdAt.empty())
        out += "null";
    else
        canonical::appendString(out, trace.metadata.createdAt);
    appendKey(out, "file_hash");
    out.push_back('"');
    out += id.hashHex();
    out.push_back('"');
    appendKey(out, "format_version");
    out += "1";
    // Strict JSON: a key is written once. Extras never repeat a field written above nor each other
    // (the first one wins), so the file always reads back.
    std::vector<std::string_view> extraKeys;
    for (const auto& [key, raw] : trace.metadata.extras) {
        if (detail::isKnownMetadataKey(key) || key == "parameters"
            || std::find(extraKeys.begin(), extraKeys.end(), key) != extraKeys.end())
            continue;
        extraKeys.push_back(key);
        out += ",\n    ";
        canonical::appendString(out, key);
        out += ": ";
        out += raw;
    }
    out += "\n  },\n  \"changes\": [";

    // Per-trace constant parts of every change, escaped once.
    std::string symText;
    appendOptionalString(symText, id.symbol);
    std::string stratText;
    canonical::appendString(stratText, id.symbol ? *id.symbol + "_" + id.name : id.name);

    for (std::size_t i = 0; i < n; ++i) {
        out += i ? ",\n    {\"idx\": " : "\n    {\"idx\": ";
        appendInt(out, trace.bar(i));
        out += ", \"ts\": "sv;
        const std::string_view ts = trace.timeText(i, time);
        if (ts.empty()) {
            out += "null"sv;
        } else if (ts.data() == time.data()) { // written by the formatter: digits and -:T+.Z, nothing to escape
            out.push_back('"');
            out += ts;
            out.push_back('"');
        } else {
            canonical::appendString(out, ts);
        }
        if (signal) {
            out += ", \"sym\": "sv;
            out += symText;
            out += ", \"val\": "sv;
            appendInt(out, trace.value(i));
            out += ", \"strat\": "sv;
            out += stratText;
            out += ", \"px\": "sv;
            canonical::appendDouble(out, trace.price(i));
        } else {
            out += ", \"regime\": "sv;
            canonical::appendString(out, trace.regimeName(i));
            out += ", \"confidence\": "sv;
            canonical::appendDouble(out, trace.confidence(i));
            out += ", \"previous_regime\": "sv;
            if (i == 0)
                out += "null"sv;
            else
                canonical::appendString(out, trace.regimeName(i - 1));
            if (id.symbol) {
                out += ", \"sym\": "sv;
                out += symText;
            }
            // Classifier changes carry no price in the format; a legacy dump that had one keeps
            // it (readers take "px" on any change), so a migration never drops a value.
            if (trace.price(i) != 0.0) {
                out += ", \"px\": "sv;
                canonical::appendDouble(out, trace.price(i));
            }
        }
        out.push_back('}');
        if (out.size() >= chunkBytes) {
            sink(out);
            out.clear();
        }
    }
    out += n ? "\n  ]\n}\n" : "]\n}\n";
    sink(out);
}

} // namespace sigscope::core
