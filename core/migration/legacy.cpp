#include "core/migration/legacy.h"

#include "core/storage/json_sax.h"
#include "core/storage/naming.h"
#include "core/util/canonical.h"
#include "core/util/json_stream.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>

namespace sigscope::core::migration {

std::string_view variantName(Variant variant)
{
    switch (variant) {
    case Variant::L1: return "L1";
    case Variant::L2: return "L2";
    case Variant::L3: return "L3";
    case Variant::L4: return "L4";
    case Variant::L5: return "L5";
    case Variant::Index: return "index";
    case Variant::Unknown: break;
    }
    return "";
}

bool isRunId(std::string_view text)
{
    if (text.size() != 15 || text[8] != '_')
        return false;
    for (std::size_t i = 0; i < text.size(); ++i)
        if (i != 8 && (text[i] < '0' || text[i] > '9'))
            return false;
    return true;
}

void ChangeDigest::add(std::int64_t idx, std::string_view value, std::string_view time, double price, double confidence)
{
    // A binary record: the numbers' bits (-0.0 counted as 0.0, as the trace stores no sign of a
    // zero price), then both texts with their lengths.
    auto appendRaw = [this](const auto& v) { m_buffer.append(reinterpret_cast<const char*>(&v), sizeof v); };
    m_buffer.clear();
    appendRaw(idx);
    appendRaw(price + 0.0);
    appendRaw(confidence + 0.0);
    appendRaw(static_cast<std::uint32_t>(value.size()));
    m_buffer += value;
    m_buffer += time;
    const std::uint64_t h = xxh3(m_buffer);
    // Order matters: the same changes in another order are other changes.
    m_hash = (m_hash ^ h) * 0x100000001b3ULL;
    m_hash ^= m_hash >> 29;
}

std::uint64_t traceDigest(const Trace& trace)
{
    ChangeDigest digest;
    IsoTimeBuffer time;
    char number[16];
    const bool classifier = trace.kind() == Kind::Classifier;
    for (std::size_t i = 0; i < trace.size(); ++i) {
        std::string_view value;
        if (classifier) {
            value = trace.regimeName(i);
        } else {
            const auto r = std::to_chars(number, number + sizeof number, trace.value(i));
            value = std::string_view(number, static_cast<std::size_t>(r.ptr - number));
        }
        digest.add(trace.bar(i), value, trace.timeText(i, time), trace.price(i), trace.confidence(i));
    }
    return digest.value();
}

namespace {

using Json = nlohmann::json;

// A JSON scalar as the SAX parser delivers it.
struct Scalar
{
    enum class Type : std::uint8_t { Null, Bool, Int, TooLarge, Float, String };
    Type type = Type::Null;
    bool b = false;
    std::int64_t i = 0;
    double d = 0.0;
    std::string* s = nullptr;

    [[nodiscard]] bool isNumber() const { return type == Type::Int || type == Type::Float || type == Type::TooLarge; }
    // Integers, and floats without a fraction (Python sometimes writes 1.0 for 1).
    [[nodiscard]] std::optional<std::int64_t> integer() const
    {
        if (type == Type::Int)
            return i;
        if (type == Type::Float && std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15)
            return static_cast<std::int64_t>(d);
        return std::nullopt;
    }
    [[nodiscard]] double number() const { return type == Type::Int ? static_cast<double>(i) : d; }
};

std::string_view typeWords(const Scalar& v)
{
    switch (v.type) {
    case Scalar::Type::Null: return "is null";
    case Scalar::Type::Bool: return "is a boolean";
    case Scalar::Type::Int: return "is a number";
    case Scalar::Type::TooLarge: return "is too large";
    case Scalar::Type::Float: return "is a number with a fraction";
    case Scalar::Type::String: return "is a string";
    }
    return "has a wrong type";
}

bool isDigits(std::string_view s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The byte that stopped the lexer when it cannot start any JSON text: a control character
// (nlohmann writes it as "<U+0000>"; it takes a NUL for the end of the input) or a byte >= 0x80
// outside a string. "0x89" for a PNG file.
std::optional<std::string> binaryByte(std::string_view lastToken)
{
    unsigned byte = 0;
    if (lastToken.size() >= 8 && lastToken.ends_with('>') && lastToken.substr(lastToken.size() - 8, 5) == "<U+00") {
        const std::string_view hex = lastToken.substr(lastToken.size() - 3, 2);
        if (std::from_chars(hex.data(), hex.data() + 2, byte, 16).ec != std::errc() || byte >= 0x20)
            return std::nullopt;
    } else if (!lastToken.empty() && static_cast<unsigned char>(lastToken.back()) >= 0x80) {
        byte = static_cast<unsigned char>(lastToken.back());
    } else {
        return std::nullopt;
    }
    char text[8];
    std::snprintf(text, sizeof text, "0x%02X", byte);
    return std::string(text);
}

// "line 1, column 3812: unexpected end of input" from nlohmann's exception text.
std::string shortParseError(std::string_view what, std::string_view lastToken, bool atEnd)
{
    const std::string_view full = what;
    std::string where;
    if (auto p = what.find("at line "); p != std::string_view::npos) {
        auto rest = what.substr(p + 3);
        if (auto colon = rest.find(": "); colon != std::string_view::npos) {
            where = std::string(rest.substr(0, colon));
            what = rest.substr(colon + 2);
        }
    } else if (auto q = what.find("] "); q != std::string_view::npos) {
        what.remove_prefix(q + 2);
    }
    if (auto dash = what.find(" - "); dash != std::string_view::npos)
        what.remove_prefix(dash + 3);
    if (auto semi = what.find(';'); semi != std::string_view::npos)
        what = what.substr(0, semi);
    std::string reason(what);
    if (atEnd) // cut inside a string, number or literal: say what happened, not what the lexer saw
        reason = "unexpected end of input";
    else if (auto byte = binaryByte(lastToken))
        reason = "unexpected byte " + *byte + " (binary data, not JSON text)";
    else if (full.find("; expected end of input") != std::string_view::npos)
        reason = "more text after the end of the JSON document";
    else if (reason == "invalid literal" && !lastToken.empty()) {
        const char last = lastToken.back();
        if (last == 'N' || last == 'I')
            reason = "NaN or Infinity is not valid JSON (written by Python's json.dump)";
    }
    return where.empty() ? reason : where + ": " + reason;
}

// What a file names itself by: signals_<container>_<run>.json -> <container>.
std::string containerFromFileName(const std::filesystem::path& path)
{
    std::string stem = path.stem().string();
    if (!stem.starts_with("signals_"))
        return {};
    stem.erase(0, 8);
    if (!stem.starts_with("strategy_") && !stem.starts_with("classifier_"))
        return {};
    if (stem.size() > 16 && isRunId(std::string_view(stem).substr(stem.size() - 15)) && stem[stem.size() - 16] == '_')
        stem.erase(stem.size() - 16);
    return stem;
}

struct RunInfo
{
    std::optional<std::string> runFolder; // nearest YYYYMMDD_HHMMSS folder
    std::optional<std::string> workflow;  // workspaces/<workflow>/<run>
};

RunInfo runInfo(const std::filesystem::path& file)
{
    RunInfo info;
    std::filesystem::path dir = std::filesystem::absolute(file).parent_path();
    for (; !dir.empty() && dir.has_relative_path(); dir = dir.parent_path()) {
        const std::string name = dir.filename().string();
        if (isRunId(name)) {
            info.runFolder = name;
            const auto workflowDir = dir.parent_path();
            if (workflowDir.parent_path().filename() == "workspaces")
                info.workflow = workflowDir.filename().string();
            break;
        }
    }
    return info;
}

// One change as read, before it joins its trace.
struct ChangeRecord
{
    bool hasIdx = false;
    std::int64_t idx = 0;
    std::string ts;
    bool hasSym = false;
    std::string sym;
    bool hasStrat = false;
    std::string strat;
    enum class Val : std::uint8_t { None, Int, Text } val = Val::None;
    std::int64_t valInt = 0;
    std::string valText;
    double px = 0.0;
    bool hasTf = false;
    std::string tf;
    double confidence = 1.0;

    void reset()
    {
        hasIdx = hasSym = hasStrat = hasTf = false;
        idx = 0;
        ts.clear();
        val = Val::None;
        px = 0.0;
        confidence = 1.0;
    }
};

// The changes of one (symbol, strategy) pair.
struct Group
{
    bool hasSym = false;
    std::string sym;
    std::string strat;
    std::optional<std::string> tf;
    Trace trace;
    bool classifier = false;
    ChangeDigest digest;
};

void makeClassifier(Group& g)
{
    if (g.classifier)
        return;
    Trace converted;
    converted.identity.kind = Kind::Classifier;
    converted.reserve(g.trace.size());
    for (std::size_t i = 0; i < g.trace.size(); ++i)
        converted.appendRegime(g.trace.bar(i), g.trace.timeText(i), g.trace.valueText(i), 1.0, g.trace.price(i));
    g.trace = std::move(converted);
    g.classifier = true;
}

class Groups
{
public:
    Group& find(bool hasSym, const std::string& sym, const std::string& strat)
    {
        if (m_last < m_groups.size()) {
            Group& g = m_groups[m_last];
            if (g.hasSym == hasSym && g.sym == sym && g.strat == strat)
                return g;
        }
        std::string key;
        key.reserve(sym.size() + strat.size() + 2);
        key += hasSym ? '1' : '0';
        key += sym;
        key += '\x1f';
        key += strat;
        auto [it, inserted] = m_index.try_emplace(std::move(key), m_groups.size());
        if (inserted) {
            Group g;
            g.hasSym = hasSym;
            g.sym = sym;
            g.strat = strat;
            // Most dumps hold one strategy: its columns are reserved for the count the metadata
            // announced (no growth, no copies); a second group gives the first its spare room back.
            if (m_groups.empty() && reserveHint > 0)
                g.trace.reserve(reserveHint);
            else if (m_groups.size() == 1 && reserveHint > 0)
                m_groups.front().trace.shrinkToFit();
            m_groups.push_back(std::move(g));
        }
        m_last = it->second;
        return m_groups[m_last];
    }
    std::vector<Group>& all() { return m_groups; }
    std::size_t reserveHint = 0; // changes to reserve for the first group

private:
    std::vector<Group> m_groups;
    std::unordered_map<std::string, std::size_t> m_index;
    std::size_t m_last = static_cast<std::size_t>(-1);
};

struct StrategyParameters
{
    std::optional<std::string> type;
    std::optional<std::string> paramsJson;
};

// One entry of an L5 dictionary or list before sorting by bar.
struct L5Entry
{
    std::int64_t idx = 0;
    bool text = false;
    std::int64_t value = 0;
    std::string valueText;
    std::string ts;
    double px = 0.0;
};

// SAX handler that recognises every variant while the document streams by. It keeps only what
// the mapping needs: the changes grouped into traces, and a few metadata fields.
class LegacySax
{
public:
    using number_integer_t = Json::number_integer_t;
    using number_unsigned_t = Json::number_unsigned_t;
    using number_float_t = Json::number_float_t;
    using string_t = Json::string_t;
    using binary_t = Json::binary_t;

    // Outcome of the walk.
    std::string error;          // Failed reason
    bool failed = false;
    bool started = false;       // a container was opened: the text is JSON, at least at its start
    std::uint64_t inputSize = 0; // an error at this position means the text was cut short

    // Top-level facts.
    enum class Top : std::uint8_t { None, Object, Array, Scalar } top = Top::None;
    Scalar::Type topScalar = Scalar::Type::Null;
    bool hasChanges = false;
    bool hasRanges = false;
    bool hasFiles = false;
    bool strategiesList = false;
    std::vector<std::string> otherKeys; // non-digit, non-legacy top-level keys (first few)
    std::size_t digitKeys = 0;
    std::size_t listItems = 0;
    std::size_t listItemsWithoutBar = 0;

    // Metadata.
    std::optional<std::string> runId;
    std::int64_t totalBars = 0;
    std::optional<std::string> storageName; // strategy_name / classifier_name
    Kind storageKind = Kind::Signal;
    std::optional<std::string> storageType;
    std::optional<std::string> storageParams;
    std::optional<std::string> storageSymbol;
    std::optional<std::string> storageTimeframe;
    bool storageHasRun = false;
    std::optional<std::string> storageRun;
    std::int64_t formatVersion = 0;
    std::optional<std::string> containerId;
    std::vector<std::pair<std::string, std::string>> metaExtras;
    std::map<std::string, StrategyParameters> strategyParameters;

    Groups groups;
    std::uint64_t changeCount = 0;
    std::uint64_t firstChangeWithoutStrat = 0;
    std::vector<L5Entry> l5;

    bool null() { return scalar(Scalar{}); }
    bool boolean(bool v)
    {
        Scalar s;
        s.type = Scalar::Type::Bool;
        s.b = v;
        return scalar(s);
    }
    bool number_integer(number_integer_t v)
    {
        Scalar s;
        s.type = Scalar::Type::Int;
        s.i = v;
        if (m_capture.active()) {
            m_capture.number(std::to_string(v));
            return afterCapture();
        }
        return scalar(s);
    }
    bool number_unsigned(number_unsigned_t v)
    {
        Scalar s;
        if (v > static_cast<number_unsigned_t>(std::numeric_limits<std::int64_t>::max())) {
            s.type = Scalar::Type::TooLarge;
            s.d = static_cast<double>(v);
        } else {
            s.type = Scalar::Type::Int;
            s.i = static_cast<std::int64_t>(v);
        }
        if (m_capture.active()) {
            m_capture.number(std::to_string(v));
            return afterCapture();
        }
        return scalar(s);
    }
    bool number_float(number_float_t v, const string_t& text)
    {
        if (m_capture.active()) {
            m_capture.number(text);
            return afterCapture();
        }
        Scalar s;
        s.type = Scalar::Type::Float;
        s.d = v;
        return scalar(s);
    }
    bool string(string_t& v)
    {
        if (m_capture.active()) {
            m_capture.string(v);
            return afterCapture();
        }
        Scalar s;
        s.type = Scalar::Type::String;
        s.s = &v;
        return scalar(s);
    }
    bool binary(binary_t&) { return fail("binary value"); }

    bool start_object(std::size_t) { return startContainer(true); }
    bool start_array(std::size_t) { return startContainer(false); }
    bool end_object() { return endContainer('}'); }
    bool end_array() { return endContainer(']'); }
    bool key(string_t& k) { return key_view(k); }
    // The streaming reader hands keys over as views into its buffer (no copy).
    bool key_view(std::string_view k)
    {
        if (m_skip > 0)
            return true;
        if (m_capture.active()) {
            m_capture.key(k);
            return true;
        }
        Frame& f = m_stack.back();
        if (f.ctx == Ctx::Change || f.ctx == Ctx::ListItem)
            f.field = fieldOf(k);
        else
            f.key.assign(k);
        if (f.ctx == Ctx::TopObject) {
            if (isDigits(k))
                ++digitKeys;
            else if (k != "metadata" && k != "changes" && k != "ranges" && k != "performance" && otherKeys.size() < 6)
                otherKeys.emplace_back(k);
        }
        return true;
    }
    bool parse_error(std::size_t position, const std::string& lastToken, const nlohmann::detail::exception& ex)
    {
        if (!failed) {
            failed = true;
            error = shortParseError(ex.what(), lastToken, position >= inputSize);
        }
        return false;
    }

private:
    enum class Ctx : std::uint8_t { TopObject, TopArray, Metadata, StratParams, StratParamEntry, Changes, Change, ListItem };
    enum class Field : std::uint8_t { Other, Idx, Ts, Sym, Val, Strat, Px, Tf, Regime, Confidence, BarIdx, Signal, Timestamp, Price };
    enum class CaptureTarget : std::uint8_t { None, StorageParams, StrategyParams, MetaExtra };
    struct Frame
    {
        Ctx ctx;
        std::string key;
        Field field = Field::Other;
    };

    // Exact key match with the length known at compile time, so that the comparison is inlined.
    template<std::size_t N>
    static bool is(std::string_view k, const char (&word)[N])
    {
        return k.size() == N - 1 && std::memcmp(k.data(), word, N - 1) == 0;
    }

    static Field fieldOf(std::string_view k)
    {
        switch (k.size()) {
        case 2:
            if (is(k, "ts")) return Field::Ts;
            if (is(k, "px")) return Field::Px;
            if (is(k, "tf")) return Field::Tf;
            break;
        case 3:
            if (is(k, "idx")) return Field::Idx;
            if (is(k, "sym")) return Field::Sym;
            if (is(k, "val")) return Field::Val;
            break;
        case 5:
            if (is(k, "strat")) return Field::Strat;
            if (is(k, "price")) return Field::Price;
            break;
        case 6:
            if (is(k, "regime")) return Field::Regime;
            if (is(k, "signal")) return Field::Signal;
            break;
        case 7:
            if (is(k, "bar_idx")) return Field::BarIdx;
            break;
        case 9:
            if (is(k, "timestamp")) return Field::Timestamp;
            break;
        case 10:
            if (is(k, "confidence")) return Field::Confidence;
            break;
        default: break;
        }
        return Field::Other;
    }

    bool startContainer(bool object)
    {
        started = true;
        if (m_skip > 0) {
            ++m_skip;
            return true;
        }
        if (m_capture.active()) {
            if (object)
                m_capture.startObject();
            else
                m_capture.startArray();
            return true;
        }
        return open(object);
    }
    bool endContainer(char closer)
    {
        if (m_skip > 0) {
            --m_skip;
            return true;
        }
        if (m_capture.active()) {
            m_capture.endContainer(closer);
            return afterCapture();
        }
        return close();
    }

    bool fail(std::string reason)
    {
        if (!failed) {
            failed = true;
            error = std::move(reason);
        }
        return false;
    }
    bool failChange(std::string_view what)
    {
        return fail("change " + std::to_string(changeCount) + ": " + std::string(what));
    }
    bool failItem(std::string_view what)
    {
        return fail("item " + std::to_string(listItems) + ": " + std::string(what));
    }

    void beginCapture(CaptureTarget target, std::string key = {})
    {
        m_captureTarget = target;
        m_captureKey = std::move(key);
        m_capture.begin();
    }
    bool afterCapture()
    {
        if (m_capture.active())
            return true;
        std::string text = m_capture.take();
        switch (m_captureTarget) {
        case CaptureTarget::StorageParams: storageParams = std::move(text); break;
        case CaptureTarget::StrategyParams: strategyParameters[m_captureKey].paramsJson = std::move(text); break;
        case CaptureTarget::MetaExtra: metaExtras.emplace_back(m_captureKey, std::move(text)); break;
        case CaptureTarget::None: break;
        }
        m_captureTarget = CaptureTarget::None;
        return true;
    }

    bool open(bool object)
    {
        if (m_stack.empty()) {
            if (top != Top::None) // a second document: nlohmann reports it; never reached
                return fail("more than one JSON document");
            top = object ? Top::Object : Top::Array;
            m_stack.push_back({object ? Ctx::TopObject : Ctx::TopArray, {}});
            return true;
        }
        Frame& f = m_stack.back();
        switch (f.ctx) {
        case Ctx::TopObject:
            if (object && f.key == "metadata") {
                m_stack.push_back({Ctx::Metadata, {}});
                return true;
            }
            if (f.key == "changes") {
                if (object)
                    return fail("changes is an object, not a list");
                hasChanges = true;
                m_stack.push_back({Ctx::Changes, {}});
                return true;
            }
            if (f.key == "ranges")
                hasRanges = true;
            else if (f.key == "files" && !object)
                hasFiles = true;
            break;
        case Ctx::TopArray:
            ++listItems;
            if (object) {
                m_item = L5Entry{};
                m_itemHasBar = m_itemHasSignal = false;
                m_stack.push_back({Ctx::ListItem, {}});
                return true;
            }
            ++listItemsWithoutBar;
            break;
        case Ctx::Metadata:
            if (f.key == "strategy_parameters" && object) {
                m_stack.push_back({Ctx::StratParams, {}});
                return true;
            }
            if (f.key == "parameters") {
                beginCapture(CaptureTarget::StorageParams);
                return object ? (m_capture.startObject(), true) : (m_capture.startArray(), true);
            }
            if (f.key == "strategies") {
                strategiesList = !object;
                break;
            }
            if (f.key == "signal_statistics" || f.key == "source")
                break;
            beginCapture(CaptureTarget::MetaExtra, f.key);
            return object ? (m_capture.startObject(), true) : (m_capture.startArray(), true);
        case Ctx::StratParams:
            if (object) {
                m_stack.push_back({Ctx::StratParamEntry, {}});
                m_strategyKey = f.key;
                strategyParameters[m_strategyKey];
                return true;
            }
            break;
        case Ctx::StratParamEntry:
            if (f.key == "params" && object) {
                beginCapture(CaptureTarget::StrategyParams, m_strategyKey);
                m_capture.startObject();
                return true;
            }
            break;
        case Ctx::Changes:
            ++changeCount;
            if (!object)
                return failChange("is a list, not an object");
            m_change.reset();
            m_stack.push_back({Ctx::Change, {}});
            return true;
        case Ctx::Change:
            if (f.field != Field::Other)
                return failChange(fieldName(f.field) + (object ? " is an object" : " is a list"));
            break;
        case Ctx::ListItem:
            if (f.field == Field::BarIdx || f.field == Field::Signal)
                return failItem(fieldName(f.field) + (object ? " is an object" : " is a list"));
            break;
        }
        m_skip = 1;
        return true;
    }

    bool close()
    {
        const Ctx ctx = m_stack.back().ctx;
        m_stack.pop_back();
        if (ctx == Ctx::Change)
            return finishChange();
        if (ctx == Ctx::ListItem)
            return finishItem();
        return true;
    }

    static std::string fieldName(Field f)
    {
        switch (f) {
        case Field::Idx: return "idx";
        case Field::Ts: return "ts";
        case Field::Sym: return "sym";
        case Field::Val: return "val";
        case Field::Strat: return "strat";
        case Field::Px: return "px";
        case Field::Tf: return "tf";
        case Field::Regime: return "regime";
        case Field::Confidence: return "confidence";
        case Field::BarIdx: return "bar_idx";
        case Field::Signal: return "signal";
        case Field::Timestamp: return "timestamp";
        case Field::Price: return "price";
        case Field::Other: break;
        }
        return "value";
    }

    bool scalar(const Scalar& v)
    {
        if (m_skip > 0)
            return true;
        if (m_capture.active()) {
            switch (v.type) {
            case Scalar::Type::Null: m_capture.null(); break;
            case Scalar::Type::Bool: m_capture.boolean(v.b); break;
            case Scalar::Type::String: m_capture.string(*v.s); break;
            default: m_capture.number(std::to_string(v.i)); break;
            }
            return afterCapture();
        }
        if (m_stack.empty()) {
            top = Top::Scalar;
            topScalar = v.type;
            return true;
        }
        Frame& f = m_stack.back();
        switch (f.ctx) {
        case Ctx::Change: return changeField(f.field, v);
        case Ctx::ListItem: return itemField(f.field, v);
        case Ctx::TopObject:
            if (isDigits(f.key))
                return dictEntry(f.key, v);
            return true;
        case Ctx::TopArray:
            ++listItems;
            ++listItemsWithoutBar;
            return true;
        case Ctx::Metadata: return metadataField(f.key, v);
        case Ctx::StratParamEntry:
            if (f.key == "type" && v.type == Scalar::Type::String)
                strategyParameters[m_strategyKey].type = *v.s;
            return true;
        case Ctx::Changes:
            ++changeCount;
            return failChange("is not an object");
        case Ctx::StratParams: return true;
        }
        return true;
    }

    bool metadataField(const std::string& key, const Scalar& v)
    {
        const bool text = v.type == Scalar::Type::String;
        if (key == "run_id") {
            if (text)
                runId = *v.s;
        } else if (key == "total_bars") {
            if (auto n = v.integer(); n && *n >= 0)
                totalBars = *n;
        } else if (key == "strategy_name" || key == "classifier_name") {
            if (text) {
                storageName = *v.s;
                storageKind = key == "classifier_name" ? Kind::Classifier : Kind::Signal;
            }
        } else if (key == "strategy_type" || key == "classifier_type") {
            if (text && !v.s->empty())
                storageType = *v.s;
        } else if (key == "symbol") {
            if (text)
                storageSymbol = *v.s;
        } else if (key == "timeframe") {
            if (text)
                storageTimeframe = *v.s;
        } else if (key == "run") {
            storageHasRun = true;
            if (text)
                storageRun = *v.s;
        } else if (key == "format_version") {
            formatVersion = v.integer().value_or(0);
        } else if (key == "container_id") {
            if (text)
                containerId = *v.s;
            captureScalar(key, v);
        } else if (key == "parameters") {
            if (v.type != Scalar::Type::Null)
                return fail("metadata.parameters " + std::string(typeWords(v)) + ", not an object");
        } else if (key == "total_changes" && groups.all().empty()) {
            // A hint only, capped by what the text can hold (no legacy change is under 30 bytes).
            if (auto n = v.integer(); n && *n > 0)
                groups.reserveHint = static_cast<std::size_t>(std::min<std::int64_t>(*n, static_cast<std::int64_t>(inputSize / 30)));
        } else if (key == "total_changes" || key == "compression_ratio" || key == "signal_changes"
                   || key == "regime_changes" || key == "file_hash" || key == "created_at" || key == "variant"
                   || key == "strategies") {
            // Recomputed or replaced on writing.
        } else {
            captureScalar(key, v);
        }
        return true;
    }

    void captureScalar(const std::string& key, const Scalar& v)
    {
        std::string text;
        switch (v.type) {
        case Scalar::Type::Null: text = "null"; break;
        case Scalar::Type::Bool: text = v.b ? "true" : "false"; break;
        case Scalar::Type::Int: text = std::to_string(v.i); break;
        case Scalar::Type::TooLarge:
        case Scalar::Type::Float: text = canonical::doubleText(v.d); break;
        case Scalar::Type::String: canonical::appendString(text, *v.s); break;
        }
        metaExtras.emplace_back(key, std::move(text));
    }

    // A text field of a change that may also be null (or absent).
    bool optionalText(Field field, const Scalar& v, std::string& out, bool* present)
    {
        if (v.type == Scalar::Type::String) {
            out.swap(*v.s); // the parser clears its string before the next token: no copy needed
            if (present)
                *present = true;
            return true;
        }
        if (v.type != Scalar::Type::Null)
            return failChange(fieldName(field) + " " + std::string(typeWords(v)));
        return true;
    }

    bool changeField(Field field, const Scalar& v)
    {
        ChangeRecord& c = m_change;
        const bool text = v.type == Scalar::Type::String;
        switch (field) {
        case Field::Idx: {
            if (v.type == Scalar::Type::Int) {
                if (v.i < 0)
                    return failChange("idx is negative");
                c.idx = v.i;
                c.hasIdx = true;
                return true;
            }
            return failChange("idx " + std::string(typeWords(v)));
        }
        case Field::Ts: return optionalText(field, v, c.ts, nullptr);
        case Field::Sym: return optionalText(field, v, c.sym, &c.hasSym);
        case Field::Strat: return optionalText(field, v, c.strat, &c.hasStrat);
        case Field::Val:
        case Field::Regime:
            if (text) {
                c.valText.swap(*v.s);
                c.val = ChangeRecord::Val::Text;
                return true;
            }
            if (field == Field::Val) {
                if (auto n = v.integer()) {
                    if (*n < std::numeric_limits<std::int32_t>::min() || *n > std::numeric_limits<std::int32_t>::max())
                        return failChange("val is out of range");
                    c.valInt = *n;
                    c.val = ChangeRecord::Val::Int;
                    return true;
                }
            }
            return failChange(fieldName(field) + " " + std::string(typeWords(v)));
        case Field::Px:
            if (v.isNumber())
                c.px = v.number();
            else if (v.type != Scalar::Type::Null)
                return failChange("px " + std::string(typeWords(v)));
            return true;
        case Field::Confidence:
            if (v.isNumber())
                c.confidence = v.number();
            else if (v.type != Scalar::Type::Null)
                return failChange("confidence " + std::string(typeWords(v)));
            return true;
        case Field::Tf:
            if (text) {
                c.tf.assign(*v.s);
                c.hasTf = true;
            }
            return true;
        default: return true;
        }
    }

    bool finishChange()
    {
        ChangeRecord& c = m_change;
        if (!c.hasIdx)
            return failChange("idx is missing");
        if (c.val == ChangeRecord::Val::None)
            return failChange("val is missing");
        if (!c.hasStrat && firstChangeWithoutStrat == 0)
            firstChangeWithoutStrat = changeCount; // fine in a storage data file, an error in a dump
        Group& g = groups.find(c.hasSym, c.sym, c.strat);
        if (!g.tf && c.hasTf)
            g.tf = c.tf;
        if (c.val == ChangeRecord::Val::Text) {
            makeClassifier(g);
            g.trace.appendRegime(c.idx, c.ts, c.valText, c.confidence, c.px);
            g.digest.add(c.idx, c.valText, c.ts, c.px, c.confidence);
        } else {
            const std::string text = std::to_string(c.valInt);
            if (g.classifier)
                g.trace.appendRegime(c.idx, c.ts, text, c.confidence, c.px);
            else
                g.trace.appendSignal(c.idx, c.ts, static_cast<std::int32_t>(c.valInt), c.px);
            // A signal has no confidence; a later regime name turns the group into a classifier
            // whose earlier changes get the default.
            g.digest.add(c.idx, text, c.ts, c.px, g.classifier ? c.confidence : 1.0);
        }
        return true;
    }

    bool itemField(Field field, const Scalar& v)
    {
        L5Entry& e = m_item;
        switch (field) {
        case Field::BarIdx:
            if (v.type != Scalar::Type::Int)
                return failItem("bar_idx " + std::string(typeWords(v)));
            if (v.i < 0)
                return failItem("bar_idx is negative");
            e.idx = v.i;
            m_itemHasBar = true;
            return true;
        case Field::Signal:
            if (v.type == Scalar::Type::String) {
                e.text = true;
                e.valueText = *v.s;
            } else if (auto n = v.integer(); n && *n >= std::numeric_limits<std::int32_t>::min()
                       && *n <= std::numeric_limits<std::int32_t>::max()) {
                e.value = *n;
            } else {
                return failItem("signal " + std::string(typeWords(v)));
            }
            m_itemHasSignal = true;
            return true;
        case Field::Timestamp:
            if (v.type == Scalar::Type::String)
                e.ts = *v.s;
            else if (v.type != Scalar::Type::Null)
                return failItem("timestamp " + std::string(typeWords(v)));
            return true;
        case Field::Price:
            if (v.isNumber())
                e.px = v.number();
            else if (v.type != Scalar::Type::Null)
                return failItem("price " + std::string(typeWords(v)));
            return true;
        default: return true;
        }
    }

    bool finishItem()
    {
        if (!m_itemHasBar && !m_itemHasSignal) {
            ++listItemsWithoutBar;
            return true;
        }
        if (!m_itemHasBar)
            return failItem("bar_idx is missing");
        if (!m_itemHasSignal)
            return failItem("signal is missing");
        l5.push_back(std::move(m_item));
        return true;
    }

    bool dictEntry(const std::string& key, const Scalar& v)
    {
        L5Entry e;
        if (key.size() > 18)
            return fail("key " + key.substr(0, 20) + ": bar index is too large");
        e.idx = std::stoll(key);
        if (v.type == Scalar::Type::String) {
            e.text = true;
            e.valueText = *v.s;
        } else if (auto n = v.integer(); n && *n >= std::numeric_limits<std::int32_t>::min()
                   && *n <= std::numeric_limits<std::int32_t>::max()) {
            e.value = *n;
        } else {
            return fail("key " + key + ": value " + std::string(typeWords(v)));
        }
        l5.push_back(std::move(e));
        return true;
    }

    std::vector<Frame> m_stack;
    std::size_t m_skip = 0;
    detail::RawCapture m_capture;
    CaptureTarget m_captureTarget = CaptureTarget::None;
    std::string m_captureKey;
    std::string m_strategyKey;
    ChangeRecord m_change;
    L5Entry m_item;
    bool m_itemHasBar = false;
    bool m_itemHasSignal = false;
};

std::string sourceJson(const SourceFile& source, const std::optional<std::string>& run)
{
    std::string out = "{\"path\":";
    canonical::appendString(out, source.sourcePath);
    out += ",\"run_id\":";
    if (run)
        canonical::appendString(out, *run);
    else
        out += "null";
    out += '}';
    return out;
}

std::string jsonString(std::string_view text)
{
    std::string out;
    canonical::appendString(out, text);
    return out;
}

// Finishes a trace built from legacy changes: total_bars fixed up and the source recorded.
void finishTrace(Trace& trace, std::int64_t totalBars, const SourceFile& source,
                 std::vector<std::pair<std::string, std::string>> extras)
{
    trace.metadata.totalBars = totalBars;
    trace.metadata.totalBars = trace.effectiveTotalBars();
    trace.metadata.formatVersion = 1;
    extras.emplace_back("source", sourceJson(source, trace.identity.run));
    trace.metadata.extras = std::move(extras);
}

ParsedSource failedResult(ParsedSource::Result result, Variant variant, std::string reason)
{
    ParsedSource out;
    out.result = result;
    out.variant = variant;
    out.reason = std::move(reason);
    return out;
}

std::optional<Parameters> parseParameters(const std::optional<std::string>& json, std::string& error,
                                          std::string_view where)
{
    if (!json)
        return Parameters{};
    try {
        return Parameters::fromJson(*json);
    } catch (const std::exception& e) {
        error = std::string(where) + ": " + e.what();
        return std::nullopt;
    }
}

std::optional<std::string> runFor(const RunInfo& info, const std::optional<std::string>& metadataRun,
                                  const SourceFile& source)
{
    if (info.runFolder)
        return info.runFolder;
    if (metadataRun && !metadataRun->empty())
        return metadataRun;
    return source.path.stem().string();
}

ParsedSource mapDump(LegacySax& sax, Variant variant, const SourceFile& source)
{
    ParsedSource out;
    out.variant = variant;
    out.changes = sax.changeCount;
    if (sax.firstChangeWithoutStrat)
        return failedResult(ParsedSource::Result::Failed, variant,
                            "change " + std::to_string(sax.firstChangeWithoutStrat) + ": strat is missing");
    const RunInfo info = runInfo(source.path);
    std::string container = containerFromFileName(source.path);
    if (container.empty() && sax.runId
        && (sax.runId->starts_with("strategy_") || sax.runId->starts_with("classifier_")))
        container = *sax.runId;
    const bool classifierContainer = container.starts_with("classifier_");
    const auto run = runFor(info, sax.runId, source);

    for (Group& g : sax.groups.all()) {
        if (classifierContainer)
            makeClassifier(g);
        Trace trace = std::move(g.trace);
        TraceIdentity& id = trace.identity;
        id.kind = g.classifier ? Kind::Classifier : Kind::Signal;
        id.name = naming::stripSymbolPrefix(g.strat, g.sym);
        if (g.hasSym)
            id.symbol = g.sym;
        id.timeframe = g.tf;
        id.run = run;
        const StrategyParameters* sp = nullptr;
        for (const std::string& key : {id.name, "classifier_" + id.name, g.strat}) {
            if (auto it = sax.strategyParameters.find(key); it != sax.strategyParameters.end()) {
                sp = &it->second;
                break;
            }
        }
        std::string error;
        auto params = parseParameters(sp ? sp->paramsJson : std::nullopt, error,
                                      "metadata.strategy_parameters." + id.name + ".params");
        if (!params)
            return failedResult(ParsedSource::Result::Failed, variant, error);
        id.parameters = std::move(*params);
        trace.type = naming::typeFor(id.kind, id.name, sp && sp->type ? *sp->type : std::string());
        std::vector<std::pair<std::string, std::string>> extras;
        if (info.workflow)
            extras.emplace_back("workflow_id", jsonString(*info.workflow));
        if (!container.empty())
            extras.emplace_back("container_id", jsonString(container));
        finishTrace(trace, sax.totalBars, source, std::move(extras));
        out.traces.push_back(std::move(trace));
        out.digests.push_back(g.digest.value());
    }
    return out;
}

ParsedSource mapStorageFile(LegacySax& sax, const SourceFile& source)
{
    ParsedSource out;
    out.variant = Variant::L3;
    out.changes = sax.changeCount;
    auto& groups = sax.groups.all();
    if (groups.size() > 1)
        return failedResult(ParsedSource::Result::Failed, Variant::L3,
                            "a storage data file with changes of " + std::to_string(groups.size())
                                + " strategies or symbols");
    Group& g = groups.front();
    if (sax.storageKind == Kind::Classifier)
        makeClassifier(g);
    else if (g.classifier)
        return failedResult(ParsedSource::Result::Failed, Variant::L3, "a signal file with regime names as values");
    Trace trace = std::move(g.trace);
    TraceIdentity& id = trace.identity;
    id.kind = sax.storageKind;
    id.name = *sax.storageName;
    std::string error;
    auto params = parseParameters(sax.storageParams, error, "metadata.parameters");
    if (!params)
        return failedResult(ParsedSource::Result::Failed, Variant::L3, error);
    id.parameters = std::move(*params);
    // Upstream wrote "UNKNOWN" when it lost the symbol; the changes or the container still know it.
    if (sax.storageSymbol && *sax.storageSymbol != "UNKNOWN")
        id.symbol = sax.storageSymbol;
    else if (g.hasSym)
        id.symbol = g.sym;
    else if (sax.containerId) {
        const std::string prefix = sax.storageKind == Kind::Classifier ? "classifier_" : "strategy_";
        const std::string& c = *sax.containerId;
        const std::string suffix = "_" + id.name;
        if (c.starts_with(prefix) && c.ends_with(suffix) && c.size() > prefix.size() + suffix.size())
            id.symbol = c.substr(prefix.size(), c.size() - prefix.size() - suffix.size());
    }
    id.timeframe = sax.storageTimeframe ? sax.storageTimeframe : g.tf;
    if (sax.formatVersion >= 1 && sax.storageHasRun)
        id.run = sax.storageRun;
    else
        id.run = runFor(runInfo(source.path), sax.runId, source);
    trace.type = naming::typeFor(id.kind, id.name, sax.storageType.value_or(std::string()));
    finishTrace(trace, sax.totalBars, source, std::move(sax.metaExtras));
    out.traces.push_back(std::move(trace));
    out.digests.push_back(g.digest.value());
    return out;
}

ParsedSource mapL5(LegacySax& sax, const SourceFile& source)
{
    ParsedSource out;
    out.variant = Variant::L5;
    out.changes = sax.l5.size();
    std::stable_sort(sax.l5.begin(), sax.l5.end(), [](const L5Entry& a, const L5Entry& b) { return a.idx < b.idx; });
    const bool classifier = std::any_of(sax.l5.begin(), sax.l5.end(), [](const L5Entry& e) { return e.text; });
    Trace trace;
    trace.identity.kind = classifier ? Kind::Classifier : Kind::Signal;
    trace.identity.name = source.path.stem().string();
    trace.identity.run = runFor(runInfo(source.path), std::nullopt, source);
    trace.reserve(sax.l5.size());
    ChangeDigest digest;
    for (const L5Entry& e : sax.l5) {
        const std::string text = e.text ? e.valueText : std::to_string(e.value);
        if (classifier)
            trace.appendRegime(e.idx, e.ts, text, 1.0, e.px);
        else
            trace.appendSignal(e.idx, e.ts, static_cast<std::int32_t>(e.value), e.px);
        digest.add(e.idx, text, e.ts, e.px, 1.0);
    }
    out.digests.push_back(digest.value());
    trace.type = naming::typeFor(trace.identity.kind, trace.identity.name);
    finishTrace(trace, 0, source, {});
    out.traces.push_back(std::move(trace));
    return out;
}

std::string describeKeys(const std::vector<std::string>& keys)
{
    std::string out;
    for (std::size_t i = 0; i < keys.size() && i < 5; ++i) {
        if (i)
            out += ", ";
        out += keys[i];
    }
    if (keys.size() > 5)
        out += ", ...";
    return out;
}

ParsedSource classify(LegacySax& sax, const SourceFile& source)
{
    using R = ParsedSource::Result;
    switch (sax.top) {
    case LegacySax::Top::None: return failedResult(R::Unrecognised, Variant::Unknown, "empty file");
    case LegacySax::Top::Scalar: return failedResult(R::Unrecognised, Variant::Unknown, "a single JSON value, no trace");
    case LegacySax::Top::Array:
        if (sax.listItems > 0 && sax.listItemsWithoutBar == 0)
            return mapL5(sax, source);
        return failedResult(R::Unrecognised, Variant::Unknown,
                            sax.listItems == 0 ? "an empty JSON list" : "a JSON list without bar_idx/signal items");
    case LegacySax::Top::Object: break;
    }
    if (sax.hasChanges) {
        const Variant variant = sax.storageName ? Variant::L3
            : (sax.hasRanges || sax.strategiesList) ? Variant::L1
                                                    : Variant::L2;
        if (sax.changeCount == 0)
            return failedResult(R::Unrecognised, variant, "no changes in the file (nothing to migrate)");
        return variant == Variant::L3 ? mapStorageFile(sax, source) : mapDump(sax, variant, source);
    }
    if (sax.digitKeys > 0 && sax.otherKeys.empty() && !sax.l5.empty())
        return mapL5(sax, source);
    if (sax.hasFiles)
        return failedResult(R::Unrecognised, Variant::Index, "index of a storage folder (rebuilt from its data files)");
    if (sax.otherKeys.empty() && sax.digitKeys == 0)
        return failedResult(R::Unrecognised, Variant::Unknown, "a JSON object without changes");
    return failedResult(R::Unrecognised, Variant::Unknown,
                        "a JSON object with keys " + describeKeys(sax.otherKeys) + ", no legacy trace");
}

// The handler refused an event (wrong type, missing field) or the parser found broken JSON.
ParsedSource stoppedResult(const LegacySax& sax)
{
    using R = ParsedSource::Result;
    if (!sax.started)
        return failedResult(R::Unrecognised, Variant::Unknown, "not JSON: " + sax.error);
    Variant variant = Variant::Unknown;
    if (sax.hasChanges)
        variant = sax.storageName ? Variant::L3 : (sax.hasRanges || sax.strategiesList) ? Variant::L1 : Variant::L2;
    return failedResult(R::Failed, variant, sax.error);
}

// ---- L4: JSON lines ------------------------------------------------------------------------

struct L4Group
{
    Trace trace;
    ChangeDigest digest;
    std::int64_t count = 0;
    std::int32_t last = 0;
    std::string sym;
    std::string id;
};

std::optional<std::string> l4FieldError(const Json& line)
{
    if (!line.is_object())
        return std::string("not an object");
    static constexpr const char* required[] = {"t", "s", "v", "id"};
    for (const char* key : required)
        if (!line.contains(key))
            return std::string(key) + " is missing";
    if (!line["t"].is_number())
        return std::string("t is not a number");
    if (!line["s"].is_string())
        return std::string("s is not a string");
    if (!line["id"].is_string())
        return std::string("id is not a string");
    if (!line["v"].is_number_integer())
        return std::string("v is not an integer");
    return std::nullopt;
}

bool looksLikeL4(std::string_view head)
{
    const auto nl = head.find('\n');
    if (nl == std::string_view::npos && head.size() >= (1u << 16))
        return false;
    const auto first = head.substr(0, nl);
    const Json j = Json::parse(first, nullptr, false);
    return j.is_object() && j.contains("id") && j.contains("v") && j.contains("t") && j.contains("s");
}

ParsedSource readL4(std::istream& in, const SourceFile& source)
{
    ParsedSource out;
    out.variant = Variant::L4;
    std::vector<L4Group> groups;
    std::unordered_map<std::string, std::size_t> index;
    std::string line;
    std::int64_t lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        Json j;
        try {
            j = Json::parse(line);
        } catch (const Json::parse_error& e) {
            std::string reason = shortParseError(e.what(), {}, e.byte >= line.size());
            if (auto p = reason.find("line 1, "); p == 0)
                reason.erase(0, 8);
            return failedResult(ParsedSource::Result::Failed, Variant::L4,
                                "line " + std::to_string(lineNo) + ", " + reason);
        }
        if (auto err = l4FieldError(j))
            return failedResult(ParsedSource::Result::Failed, Variant::L4, "line " + std::to_string(lineNo) + ": " + *err);
        const std::string& sym = j["s"].get_ref<const std::string&>();
        const std::string& sid = j["id"].get_ref<const std::string&>();
        const std::int64_t v = j["v"].get<std::int64_t>();
        if (v < std::numeric_limits<std::int32_t>::min() || v > std::numeric_limits<std::int32_t>::max())
            return failedResult(ParsedSource::Result::Failed, Variant::L4,
                                "line " + std::to_string(lineNo) + ": v is out of range");
        const Json& t = j["t"];
        std::int64_t micros = 0;
        if (t.is_number_integer()) {
            micros = t.get<std::int64_t>() * 1000000;
        } else {
            const double secs = t.get<double>();
            if (!std::isfinite(secs) || std::fabs(secs) > 1e13)
                return failedResult(ParsedSource::Result::Failed, Variant::L4,
                                    "line " + std::to_string(lineNo) + ": t is out of range");
            micros = std::llround(secs * 1e6);
        }
        ++out.changes;
        auto [it, inserted] = index.try_emplace(sym + '\x1f' + sid, groups.size());
        if (inserted) {
            L4Group g;
            g.sym = sym;
            g.id = sid;
            groups.push_back(std::move(g));
        }
        L4Group& g = groups[it->second];
        const auto value = static_cast<std::int32_t>(v);
        if (g.count == 0 || value != g.last) {
            TimeFormat format;
            format.zone = TimeFormat::Zone::Offset;
            format.fractionDigits = micros % 1000000 == 0 ? 0 : 6;
            g.trace.appendSignalAt(g.count, micros, format, value);
            g.digest.add(g.count, std::to_string(value), formatIsoTime(micros, format), 0.0, 1.0);
        }
        g.last = value;
        ++g.count;
    }
    if (in.bad())
        return failedResult(ParsedSource::Result::Failed, Variant::L4, "read failed");
    if (groups.empty())
        return failedResult(ParsedSource::Result::Unrecognised, Variant::L4, "no lines (nothing to migrate)");
    const auto run = runFor(runInfo(source.path), std::nullopt, source);
    for (L4Group& g : groups) {
        Trace trace = std::move(g.trace);
        trace.identity.kind = Kind::Signal;
        trace.identity.name = naming::stripSymbolPrefix(g.id, g.sym);
        trace.identity.symbol = g.sym;
        trace.identity.run = run;
        trace.type = naming::typeFor(Kind::Signal, trace.identity.name);
        finishTrace(trace, g.count, source, {});
        out.traces.push_back(std::move(trace));
        out.digests.push_back(g.digest.value());
    }
    return out;
}

} // namespace

namespace {

// Owns a read-only descriptor for the streaming reader.
class ReadOnlyFile
{
public:
    explicit ReadOnlyFile(const std::filesystem::path& path)
        : m_fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC))
    {
        if (m_fd >= 0)
            ::posix_fadvise(m_fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    }
    ReadOnlyFile(const ReadOnlyFile&) = delete;
    ReadOnlyFile& operator=(const ReadOnlyFile&) = delete;
    ~ReadOnlyFile()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    [[nodiscard]] int fd() const { return m_fd; }

private:
    int m_fd;
};

// The document through nlohmann's SAX parser: used when the streaming reader gave up on the
// text, so that a broken file is reported in nlohmann's words with its line and column.
ParsedSource readWithNlohmann(const SourceFile& source)
{
    using R = ParsedSource::Result;
    std::vector<char> buffer(1 << 20);
    std::ifstream in;
    in.rdbuf()->pubsetbuf(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    in.open(source.path, std::ios::in | std::ios::binary);
    if (!in)
        return failedResult(R::Failed, Variant::Unknown, "cannot open for reading");
    LegacySax sax;
    sax.inputSize = source.size;
    bool ok = false;
    try {
        ok = Json::sax_parse(in, &sax);
    } catch (const std::exception& e) {
        return failedResult(R::Failed, Variant::Unknown, e.what());
    }
    if (in.bad())
        return failedResult(R::Failed, Variant::Unknown, "read failed");
    return ok ? classify(sax, source) : stoppedResult(sax);
}

ParsedSource readL4File(const SourceFile& source)
{
    std::vector<char> buffer(1 << 20);
    std::ifstream in;
    in.rdbuf()->pubsetbuf(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    in.open(source.path, std::ios::in | std::ios::binary);
    if (!in)
        return failedResult(ParsedSource::Result::Failed, Variant::L4, "cannot open for reading");
    return readL4(in, source);
}

} // namespace

ParsedSource readLegacyFile(const SourceFile& source)
{
    using R = ParsedSource::Result;
    const ReadOnlyFile file(source.path);
    if (file.fd() < 0)
        return failedResult(R::Failed, Variant::Unknown, std::string("cannot open for reading: ") + std::strerror(errno));

    // JSON lines are found from their first line; everything else is one document.
    constexpr std::size_t headSize = 1 << 16;
    const auto headBuffer = std::make_unique_for_overwrite<char[]>(headSize);
    ssize_t got = 0;
    do
        got = ::pread(file.fd(), headBuffer.get(), headSize, 0);
    while (got < 0 && errno == EINTR);
    if (got < 0)
        return failedResult(R::Failed, Variant::Unknown, std::string("read failed: ") + std::strerror(errno));
    const std::string_view head(headBuffer.get(), static_cast<std::size_t>(got));
    const auto firstChar = head.find_first_not_of(" \t\r\n");
    if (firstChar == std::string_view::npos && head.size() < headSize)
        return failedResult(R::Unrecognised, Variant::Unknown, "empty file");
    if (firstChar != std::string_view::npos && head[firstChar] == '{' && looksLikeL4(head.substr(firstChar)))
        return readL4File(source);

    LegacySax sax;
    sax.inputSize = source.size;
    jsonstream::Reader reader(file.fd());
    switch (reader.parse(sax)) {
    case jsonstream::Result::Ok: return classify(sax, source);
    case jsonstream::Result::Stopped: return stoppedResult(sax);
    case jsonstream::Result::ReadError:
        return failedResult(R::Failed, Variant::Unknown, std::string("read failed: ") + std::strerror(reader.error()));
    case jsonstream::Result::SyntaxError: break;
    }
    return readWithNlohmann(source);
}

} // namespace sigscope::core::migration
