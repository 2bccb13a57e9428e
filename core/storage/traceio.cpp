#include "core/storage/traceio.h"

// Reading data files: the SAX reader that words every error, and parseTrace, which tries the
// hand-written reader (fasttraceparser.cpp) first. The metadata facts for verify are read in
// tracemetadata.cpp, the text of a trace written in tracewrite.cpp.

#include "core/storage/tracereader.h"
#include "core/storage/jsonsax.h"
#include "core/storage/naming.h"
#include "core/storage/parquetstorage.h"
#include "core/storage/storage.h"
#include "core/storage/workspace.h"
#include "core/util/canonical.h"
#include "core/util/inputfile.h"
#include "core/util/jsonlimits.h"
#include "core/util/jsonstream.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <fcntl.h>
#include <limits>
#include <optional>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_set>

namespace sigscope::core {

namespace {

using nlohmann::json;
using detail::isKnownMetadataKey;

// One scalar SAX event, routed by the handler's current context.
struct Scalar
{
    enum class Type : std::uint8_t { Null, Bool, Int, UInt, Float, String, Object, Array };
    Type type = Type::Null;
    bool b = false;
    std::int64_t i = 0;
    std::uint64_t u = 0;
    double d = 0.0;
    std::string_view s;
};

Scalar scalarOf(Scalar::Type t)
{
    Scalar s;
    s.type = t;
    return s;
}

const char* typeWord(Scalar::Type t)
{
    switch (t) {
    case Scalar::Type::Null: return "null";
    case Scalar::Type::Bool: return "a boolean";
    case Scalar::Type::Int:
    case Scalar::Type::UInt: return "an integer";
    case Scalar::Type::Float: return "not an integer";
    case Scalar::Type::String: return "a string";
    case Scalar::Type::Object: return "an object";
    case Scalar::Type::Array: return "an array";
    }
    return "invalid";
}

bool isNumber(Scalar::Type t)
{
    return t == Scalar::Type::Int || t == Scalar::Type::UInt || t == Scalar::Type::Float;
}

double asDouble(const Scalar& v)
{
    switch (v.type) {
    case Scalar::Type::Int: return static_cast<double>(v.i);
    case Scalar::Type::UInt: return static_cast<double>(v.u);
    default: return v.d;
    }
}

// Integer value of an Int/UInt scalar; false when it is another type or out of int64 range.
bool asInt(const Scalar& v, std::int64_t& out)
{
    if (v.type == Scalar::Type::Int) {
        out = v.i;
        return true;
    }
    if (v.type == Scalar::Type::UInt && v.u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        out = static_cast<std::int64_t>(v.u);
        return true;
    }
    return false;
}

// d converts to int64 without overflow (2^63 itself does not).
bool fitsInt64(double d)
{
    return d >= -9223372036854775808.0 && d < 9223372036854775808.0;
}

struct ChangeFields
{
    bool hasIdx = false;
    std::int64_t idx = 0;
    std::string ts;
    bool hasVal = false;
    std::int64_t val = 0;
    bool hasRegime = false;
    std::string regime;
    double confidence = 1.0;
    double price = 0.0;

    void reset()
    {
        hasIdx = hasVal = hasRegime = false;
        idx = val = 0;
        ts.clear();
        regime.clear();
        confidence = 1.0;
        price = 0.0;
    }
};

// Builds a Trace straight from SAX events: metadata fields into the identity, changes into the
// columns, unknown metadata keys captured as compact JSON text.
class TraceSax
{
public:
    enum class Ctx : std::uint8_t { Top, Root, Metadata, Changes, Change, End };
    enum class Capture : std::uint8_t { None, Parameters, Extra, Discard };

    Trace trace;
    std::string error;
    bool sawMetadata = false;
    bool sawChanges = false;
    bool kindKnown = false;
    bool sawFormatVersion = false;
    std::vector<ChangeFields> pending; // changes read before the metadata told the kind
    std::size_t reserveLimit = 0;      // most changes the text can hold; 0: never reserve

    bool null() { return onScalar(scalarOf(Scalar::Type::Null)); }
    bool boolean(bool v)
    {
        Scalar s = scalarOf(Scalar::Type::Bool);
        s.b = v;
        return onScalar(s);
    }
    bool number_integer(json::number_integer_t v)
    {
        Scalar s = scalarOf(Scalar::Type::Int);
        s.i = v;
        return onScalar(s);
    }
    bool number_unsigned(json::number_unsigned_t v)
    {
        Scalar s = scalarOf(Scalar::Type::UInt);
        s.u = v;
        return onScalar(s);
    }
    bool number_float(json::number_float_t v, const json::string_t& text)
    {
        Scalar s = scalarOf(Scalar::Type::Float);
        s.d = v;
        s.s = text;
        return onScalar(s);
    }
    bool string(json::string_t& v)
    {
        Scalar s = scalarOf(Scalar::Type::String);
        s.s = v;
        return onScalar(s);
    }
    bool binary(json::binary_t&) { return fail("binary values are not JSON"); }

    bool start_object(std::size_t) { return onStart(true); }
    bool start_array(std::size_t) { return onStart(false); }
    bool end_object() { return onEnd('}'); }
    bool end_array() { return onEnd(']'); }

    bool key(json::string_t& k) { return key_view(k); }
    bool key_view(std::string_view k) // the streaming reader's keys, without a copy of their own
    {
        // Strict JSON: a repeated key is an error, never "the last one wins".
        if (m_cap.active()) {
            if (!m_cap.key(k))
                return fail(placeLabel() + detail::duplicateKeyReason(k));
            return true;
        }
        std::unordered_set<std::string>* seen = nullptr;
        switch (m_ctx) {
        case Ctx::Root: seen = &m_rootKeys; break;
        case Ctx::Metadata: seen = &m_metadataKeys; break;
        case Ctx::Change:
            // The keys every change has by a bit each: no allocation per change.
            if (const unsigned bit = changeKeyBit(k)) {
                if (m_changeKeyBits & bit)
                    return fail(placeLabel() + detail::duplicateKeyReason(k));
                m_changeKeyBits |= bit;
            } else {
                seen = &m_changeKeys;
            }
            break;
        default: break;
        }
        if (seen && !seen->emplace(k).second)
            return fail(placeLabel() + detail::duplicateKeyReason(k));
        m_key.assign(k);
        return true;
    }

    template<class Exception>
    bool parse_error(std::size_t position, const std::string&, const Exception& ex)
    {
        m_parsePosition = position;
        m_parseFailed = true;
        error = detail::parseErrorReason(ex.what());
        return false;
    }

    [[nodiscard]] bool syntaxFailed() const { return m_parseFailed; }
    [[nodiscard]] std::size_t parsePosition() const { return m_parsePosition; }

    void finishPending()
    {
        for (const auto& c : pending)
            appendChange(c);
        pending.clear();
    }

private:
    bool fail(std::string reason)
    {
        if (error.empty())
            error = std::move(reason);
        return false;
    }
    static unsigned changeKeyBit(std::string_view k)
    {
        static constexpr std::string_view kKeys[] = {"idx", "ts", "sym", "val", "strat", "px", "regime", "confidence",
                                                     "previous_regime"};
        for (unsigned i = 0; i < std::size(kKeys); ++i)
            if (k == kKeys[i])
                return 1u << i;
        return 0;
    }
    std::string changeLabel() const { return "change " + std::to_string(m_changeNo); }
    // Where the reader is, as a message prefix: "metadata: ", "metadata.parameters: ", "change 3: ".
    std::string placeLabel() const
    {
        if (m_cap.active() && m_capTarget != Capture::Discard && m_ctx == Ctx::Metadata)
            return "metadata." + m_capKey + ": ";
        switch (m_ctx) {
        case Ctx::Metadata: return "metadata: ";
        case Ctx::Change: return changeLabel() + ": ";
        default: return {};
        }
    }

    void beginCapture(Capture target)
    {
        m_capTarget = target;
        m_capKey = m_key;
        m_cap.begin();
    }
    bool captureFinished()
    {
        if (m_cap.active())
            return true;
        switch (m_capTarget) {
        case Capture::Parameters:
            try {
                trace.identity.parameters = Parameters::fromJson(m_cap.text());
            } catch (const std::exception& e) {
                return fail(std::string("metadata.parameters: ") + e.what());
            }
            break;
        case Capture::Extra: trace.metadata.extras.emplace_back(std::move(m_capKey), m_cap.take()); break;
        default: break;
        }
        m_capTarget = Capture::None;
        return true;
    }
    bool feedCapture(const Scalar& v)
    {
        switch (v.type) {
        case Scalar::Type::Null: m_cap.null(); break;
        case Scalar::Type::Bool: m_cap.boolean(v.b); break;
        case Scalar::Type::Int: m_cap.number(std::to_string(v.i)); break;
        case Scalar::Type::UInt: m_cap.number(std::to_string(v.u)); break;
        case Scalar::Type::Float: m_cap.number(v.s); break;
        case Scalar::Type::String: m_cap.string(v.s); break;
        default: break;
        }
        return captureFinished();
    }

    bool onStart(bool object)
    {
        // Nothing below recurses over the levels, but what the values become (Parameters,
        // canonical text) is walked recursively later: the limit holds for every reader.
        if (++m_depth > kMaxJsonDepth)
            return fail(nestingTooDeepReason());
        if (m_cap.active()) {
            object ? m_cap.startObject() : m_cap.startArray();
            return true;
        }
        const Scalar::Type t = object ? Scalar::Type::Object : Scalar::Type::Array;
        switch (m_ctx) {
        case Ctx::Top:
            if (!object)
                return fail("the file is not a JSON object");
            m_ctx = Ctx::Root;
            return true;
        case Ctx::Root:
            if (m_key == "metadata") {
                if (!object)
                    return fail("metadata is an array");
                sawMetadata = true;
                m_ctx = Ctx::Metadata;
                return true;
            }
            if (m_key == "changes") {
                if (object)
                    return fail("changes is an object, not an array");
                sawChanges = true;
                m_ctx = Ctx::Changes;
                return true;
            }
            beginCapture(Capture::Discard);
            break;
        case Ctx::Metadata:
            if (m_key == "parameters") {
                if (!object)
                    return fail("metadata.parameters is an array");
                beginCapture(Capture::Parameters);
            } else if (isKnownMetadataKey(m_key)) {
                return fail("metadata." + m_key + " is " + typeWord(t));
            } else {
                beginCapture(Capture::Extra);
            }
            break;
        case Ctx::Changes:
            ++m_changeNo;
            if (!object)
                return fail(changeLabel() + " is an array, not an object");
            m_change.reset();
            m_changeKeyBits = 0;
            if (!m_changeKeys.empty())
                m_changeKeys.clear();
            m_ctx = Ctx::Change;
            return true;
        case Ctx::Change:
            if (m_key == "idx" || m_key == "val" || m_key == "regime" || m_key == "ts" || m_key == "confidence"
                || m_key == "px")
                return fail(changeLabel() + ": " + m_key + " is " + typeWord(t));
            beginCapture(Capture::Discard);
            break;
        case Ctx::End: return fail("content after the top-level object");
        }
        object ? m_cap.startObject() : m_cap.startArray();
        return true;
    }

    bool onEnd(char closer)
    {
        --m_depth;
        if (m_cap.active()) {
            m_cap.endContainer(closer);
            return captureFinished();
        }
        switch (m_ctx) {
        case Ctx::Root: m_ctx = Ctx::End; return true;
        case Ctx::Metadata:
        case Ctx::Changes: m_ctx = Ctx::Root; return true;
        case Ctx::Change: m_ctx = Ctx::Changes; return endChange();
        default: return fail("unbalanced JSON");
        }
    }

public:
private:
    bool optionalText(const Scalar& v, std::optional<std::string>& out)
    {
        if (v.type == Scalar::Type::Null) {
            out.reset();
            return true;
        }
        if (v.type != Scalar::Type::String)
            return fail("metadata." + m_key + " is " + typeWord(v.type) + ", not a string");
        out = std::string(v.s);
        return true;
    }

    bool setName(const Scalar& v, Kind kind)
    {
        if (v.type != Scalar::Type::String)
            return fail("metadata." + m_key + " is " + typeWord(v.type) + ", not a string");
        if (kindKnown && trace.identity.kind != kind)
            return fail("metadata has both strategy_name and classifier_name");
        trace.identity.kind = kind;
        trace.identity.name = std::string(v.s);
        kindKnown = true;
        return true;
    }

    bool onMetadata(const Scalar& v)
    {
        const std::string& k = m_key;
        if (k == "strategy_name")
            return setName(v, Kind::Signal);
        if (k == "classifier_name")
            return setName(v, Kind::Classifier);
        if (k == "strategy_type" || k == "classifier_type") {
            std::optional<std::string> t;
            if (!optionalText(v, t))
                return false;
            trace.type = t.value_or(std::string());
            return true;
        }
        if (k == "parameters") {
            if (v.type != Scalar::Type::Null)
                return fail("metadata.parameters is " + std::string(typeWord(v.type)) + ", not an object");
            return true;
        }
        if (k == "symbol")
            return optionalText(v, trace.identity.symbol);
        if (k == "timeframe")
            return optionalText(v, trace.identity.timeframe);
        if (k == "run")
            return optionalText(v, trace.identity.run);
        if (k == "variant") {
            std::int64_t n = 0;
            if (v.type == Scalar::Type::Null)
                trace.identity.variant.reset();
            else if (asInt(v, n))
                trace.identity.variant = n;
            else
                return fail("metadata.variant is " + std::string(typeWord(v.type)));
            return true;
        }
        if (k == "total_bars") {
            std::int64_t n = 0;
            if (asInt(v, n))
                trace.metadata.totalBars = n;
            else if (v.type == Scalar::Type::UInt || (v.type == Scalar::Type::Float && std::isfinite(v.d) && !fitsInt64(v.d)))
                return fail("metadata.total_bars is out of range (beyond 64-bit integers)");
            else if (v.type == Scalar::Type::Float && std::isfinite(v.d) && v.d == std::floor(v.d))
                trace.metadata.totalBars = static_cast<std::int64_t>(v.d);
            else if (v.type != Scalar::Type::Null)
                return fail("metadata.total_bars is " + std::string(typeWord(v.type)));
            return true;
        }
        if (k == "signal_changes" || k == "regime_changes") {
            // Recomputed on write; a reader that knows the file size reserves for them, so a large
            // trace is built without growing (and copying) its columns.
            std::int64_t n = 0;
            if (reserveLimit > 0 && asInt(v, n) && n > 0)
                trace.reserve(static_cast<std::size_t>(std::min<std::int64_t>(n, static_cast<std::int64_t>(reserveLimit))));
            return true;
        }
        if (k == "compression_ratio")
            return true; // recomputed on write
        if (k == "created_at") {
            if (v.type == Scalar::Type::String)
                trace.metadata.createdAt = std::string(v.s);
            else if (v.type != Scalar::Type::Null)
                return fail("metadata.created_at is " + std::string(typeWord(v.type)));
            return true;
        }
        if (k == "file_hash") {
            if (v.type == Scalar::Type::String)
                trace.metadata.storedHash = std::string(v.s);
            else if (v.type != Scalar::Type::Null)
                return fail("metadata.file_hash is " + std::string(typeWord(v.type)));
            return true;
        }
        if (k == "format_version") {
            if (v.type == Scalar::Type::Null)
                return true; // read as a file without it (version 0); verify reports the null
            std::int64_t n = 0;
            if (!asInt(v, n) || n < 0 || n > 1000)
                return fail("metadata.format_version is not a small integer");
            trace.metadata.formatVersion = static_cast<int>(n);
            sawFormatVersion = true;
            return true;
        }
        beginCapture(Capture::Extra);
        return feedCapture(v);
    }

    bool onChangeField(const Scalar& v)
    {
        const std::string_view k = m_key; // compared with literals: length first, no strlen
        if (k == "idx") {
            if (!asInt(v, m_change.idx))
                return fail(changeLabel() + ": idx is " + typeWord(v.type));
            m_change.hasIdx = true;
        } else if (k == "ts") {
            if (v.type == Scalar::Type::String)
                m_change.ts.assign(v.s);
            else if (v.type != Scalar::Type::Null)
                return fail(changeLabel() + ": ts is " + typeWord(v.type));
        } else if (k == "val") {
            if (v.type == Scalar::Type::String) {
                // Legacy classifier dumps carry the regime in val.
                m_change.regime.assign(v.s);
                m_change.hasRegime = true;
                m_change.hasVal = false;
            } else if (asInt(v, m_change.val)) {
                if (m_change.val < std::numeric_limits<std::int32_t>::min()
                    || m_change.val > std::numeric_limits<std::int32_t>::max())
                    return fail(changeLabel() + ": val is out of range");
                m_change.hasVal = true;
            } else {
                return fail(changeLabel() + ": val is " + typeWord(v.type));
            }
        } else if (k == "regime") {
            if (v.type != Scalar::Type::String)
                return fail(changeLabel() + ": regime is " + typeWord(v.type));
            m_change.regime.assign(v.s);
            m_change.hasRegime = true;
        } else if (k == "confidence") {
            if (isNumber(v.type))
                m_change.confidence = asDouble(v);
            else if (v.type == Scalar::Type::Null)
                m_change.confidence = 1.0;
            else
                return fail(changeLabel() + ": confidence is " + typeWord(v.type));
        } else if (k == "px") {
            if (isNumber(v.type))
                m_change.price = asDouble(v);
            else if (v.type == Scalar::Type::Null)
                m_change.price = 0.0;
            else
                return fail(changeLabel() + ": px is " + typeWord(v.type));
        }
        // sym, strat, previous_regime and anything else: derived or not ours.
        return true;
    }

    bool endChange()
    {
        if (!m_change.hasIdx)
            return fail(changeLabel() + ": idx is missing");
        if (!kindKnown) {
            pending.push_back(m_change);
            return true;
        }
        if (trace.identity.kind == Kind::Signal && !m_change.hasVal)
            return fail(changeLabel() + (m_change.hasRegime ? ": val is a string" : ": val is missing"));
        if (trace.identity.kind == Kind::Classifier && !m_change.hasRegime)
            return fail(changeLabel() + ": regime is missing");
        appendChange(m_change);
        return true;
    }

public:
    void appendChange(const ChangeFields& c)
    {
        if (trace.identity.kind == Kind::Signal)
            trace.appendSignal(c.idx, c.ts, static_cast<std::int32_t>(c.val), c.price);
        else
            trace.appendRegime(c.idx, c.ts, c.regime, c.confidence, c.price);
    }

private:
    bool onScalar(const Scalar& v)
    {
        if (m_cap.active())
            return feedCapture(v);
        switch (m_ctx) {
        case Ctx::Top: return fail("the file is not a JSON object");
        case Ctx::Root:
            if (m_key == "metadata" || m_key == "changes")
                return fail(m_key + " is " + typeWord(v.type));
            return true;
        case Ctx::Metadata: return onMetadata(v);
        case Ctx::Changes: ++m_changeNo; return fail(changeLabel() + " is " + typeWord(v.type) + ", not an object");
        case Ctx::Change: return onChangeField(v);
        case Ctx::End: return fail("content after the top-level object");
        }
        return true;
    }

    Ctx m_ctx = Ctx::Top;
    std::string m_key;
    detail::RawCapture m_cap;
    Capture m_capTarget = Capture::None;
    std::string m_capKey;
    ChangeFields m_change;
    std::int64_t m_changeNo = 0; // 1-based number of the change being read
    std::size_t m_depth = 0;     // arrays and objects open
    std::unordered_set<std::string> m_rootKeys, m_metadataKeys, m_changeKeys;
    unsigned m_changeKeyBits = 0;
    bool m_parseFailed = false;
    std::size_t m_parsePosition = 0;
};

// The type folder a trace read from `path` belongs to, when the file says none.
std::string typeFromPath(const Trace& trace, const std::filesystem::path& path)
{
    const auto parent = path.parent_path();
    if (!parent.empty() && parent.parent_path().filename() == kindFolder(trace.kind()))
        return parent.filename().string();
    return naming::typeFor(trace.kind(), trace.identity.name);
}

// Upstream (version 0) wrote "UNKNOWN" or no symbol at all; its container id still names the
// symbol ("strategy_SPY_<name>"), so the chart, tree and details can all say SPY.
void settleUpstreamSymbol(Trace& trace)
{
    if (trace.metadata.formatVersion != 0 || (trace.identity.symbol && *trace.identity.symbol != "UNKNOWN"))
        return;
    for (const auto& [key, raw] : trace.metadata.extras) {
        if (key != "container_id" || raw.size() < 2 || raw.front() != '"' || raw.back() != '"'
            || raw.find('\\') != std::string::npos)
            continue;
        if (auto symbol = symbolFromContainer(trace.kind(), trace.identity.name, std::string_view(raw).substr(1, raw.size() - 2)))
            trace.identity.symbol = std::move(symbol);
    }
}

// What a complete SAX walk still has to check and settle.
Trace finishTrace(TraceSax& sax, const std::filesystem::path& pathForMessages)
{
    if (!sax.sawMetadata)
        throw StorageError(pathForMessages, "no metadata object");
    if (!sax.kindKnown)
        throw StorageError(pathForMessages, "metadata has neither strategy_name nor classifier_name");
    if (!sax.sawChanges)
        throw StorageError(pathForMessages, "no changes array");
    if (!sax.pending.empty()) {
        for (std::size_t i = 0; i < sax.pending.size(); ++i) {
            const auto& c = sax.pending[i];
            const bool signal = sax.trace.kind() == Kind::Signal;
            if (signal && !c.hasVal)
                throw StorageError(pathForMessages, "change " + std::to_string(i + 1)
                                       + (c.hasRegime ? ": val is a string" : ": val is missing"));
            if (!signal && !c.hasRegime)
                throw StorageError(pathForMessages, "change " + std::to_string(i + 1) + ": regime is missing");
        }
        sax.finishPending();
    }
    Trace trace = std::move(sax.trace);
    trace.shrinkToFit();
    if (!sax.sawFormatVersion)
        trace.metadata.formatVersion = 0;
    if (trace.type.empty())
        trace.type = typeFromPath(trace, pathForMessages);
    settleUpstreamSymbol(trace);
    return trace;
}

} // namespace

namespace {

// What the file does not say, settled as every reader settles it.
Trace settled(Trace trace, const std::filesystem::path& path)
{
    if (trace.type.empty())
        trace.type = typeFromPath(trace, path);
    settleUpstreamSymbol(trace);
    return trace;
}

} // namespace

Trace parseTrace(std::string_view text, const std::filesystem::path& pathForMessages)
{
    const detail::PaddedText padded = detail::paddedCopy(text);
    return settled(detail::readTraceText(padded.data.get(), padded.size, padded.capacity, pathForMessages),
                   pathForMessages);
}

Trace parseTraceSax(std::string_view text, const std::filesystem::path& pathForMessages)
{
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
        throw StorageError(pathForMessages, "the file is empty");
    TraceSax sax;
    const bool ok = json::sax_parse(text.data(), text.data() + text.size(), &sax);
    if (!ok || !sax.error.empty()) {
        if (sax.syntaxFailed()) {
            const auto pos = detail::textPosition(text, sax.parsePosition());
            throw StorageError(pathForMessages,
                               "line " + std::to_string(pos.line) + ", column " + std::to_string(pos.column) + ": "
                                   + sax.error,
                               pos.line);
        }
        throw StorageError(pathForMessages, sax.error.empty() ? std::string("invalid trace file") : sax.error);
    }
    return finishTrace(sax, pathForMessages);
}

Trace loadTrace(const std::filesystem::path& file)
{
    if (isParquetTracePath(file))
        return loadParquetTrace(file);
    if (file.extension() == ".parquet")
        return loadWorkspaceTrace(file);
    const detail::PaddedText text = detail::readPaddedFile(file);
    return settled(detail::readTraceText(text.data.get(), text.size, text.capacity, file), file);
}

Trace loadTraceStreaming(const std::filesystem::path& file)
{
    if (isParquetTracePath(file))
        return loadParquetTrace(file);
    if (file.extension() == ".parquet")
        return loadWorkspaceTrace(file);
    std::optional<InputFile> input;
    try {
        input.emplace(file);
    } catch (const InputFileError& e) {
        throw StorageError(file, e.what());
    }
    TraceSax sax;
    if (input->size() > 0)
        sax.reserveLimit = static_cast<std::size_t>(input->size()) / 40; // a cap: one change per 40 bytes
    jsonstream::Reader reader(input->fd());
    const auto result = reader.parse(sax);
    input.reset();
    if (result == jsonstream::Result::Ok && sax.error.empty())
        return finishTrace(sax, file);
    return loadTrace(file); // an error: worded with its line and column by the whole-text readers
}

} // namespace sigscope::core
