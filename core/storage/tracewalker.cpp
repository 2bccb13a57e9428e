#include "core/storage/tracewalker.h"

// The walk over a data file's On-Demand document: the root object, the metadata and the changes,
// every content check with its message, and the times read in place. Its failures are
// WalkFailure values; tracereader.cpp words them as the file's errors.

#include "core/util/jsonlimits.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <unordered_set>

namespace sigscope::core::detail::tracewalk {

namespace {

using detail::isKnownMetadataKey;

// The keys of a change, a bit each.
constexpr unsigned kIdx = 1, kTs = 2, kSym = 4, kVal = 8, kStrat = 16, kPx = 32, kRegime = 64, kConfidence = 128,
                   kPreviousRegime = 256;

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

// The keys every change may have, by a bit each (0: another key). By length first: this runs for
// every key of every change.
unsigned changeKeyBit(std::string_view k)
{
    switch (k.size()) {
    case 2: return k == "ts" ? kTs : k == "px" ? kPx : 0;
    case 3: return k == "idx" ? kIdx : k == "val" ? kVal : k == "sym" ? kSym : 0;
    case 5: return k == "strat" ? kStrat : 0;
    case 6: return k == "regime" ? kRegime : 0;
    case 10: return k == "confidence" ? kConfidence : 0;
    case 15: return k == "previous_regime" ? kPreviousRegime : 0;
    default: return 0;
    }
}

bool isLeap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int daysInMonth(int y, int m)
{
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeap(y) ? 29 : days[m - 1];
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

int twoDigits(const char* p)
{
    return (p[0] - '0') * 10 + (p[1] - '0');
}

} // namespace

std::size_t Walker::lexemeSize(std::string_view t)
{
    if (t.empty())
        return 1;
    std::size_t n = 1;
    if (t[0] == '"') {
        while (n < t.size() && t[n] != '"')
            n += t[n] == '\\' ? 2 : 1;
        return std::min(n + 1, t.size());
    }
    if (t[0] == '{' || t[0] == '[')
        return 1;
    if (t[0] >= 'a' && t[0] <= 'z') {
        while (n < t.size() && t[n] >= 'a' && t[n] <= 'z')
            ++n;
        return n;
    }
    // A number as JSON's grammar reads it: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
    auto digits = [&] {
        while (n < t.size() && isDigit(t[n]))
            ++n;
    };
    n = t[0] == '-' ? 1 : 0;
    if (n < t.size() && t[n] == '0')
        ++n;
    else
        digits();
    if (n < t.size() && t[n] == '.') {
        ++n;
        digits();
    }
    if (n < t.size() && (t[n] == 'e' || t[n] == 'E')) {
        ++n;
        if (n < t.size() && (t[n] == '+' || t[n] == '-'))
            ++n;
        digits();
    }
    return std::max<std::size_t>(n, 1);
}

Scalar Walker::scalar(od::value& v, od::json_type t, std::string_view tok) const
{
    Scalar s;
    switch (t) {
    case od::json_type::object: s.type = Scalar::Type::Object; break;
    case od::json_type::array: s.type = Scalar::Type::Array; break;
    case od::json_type::null:
        if (!check(v.is_null(), tok.data()))
            syntax(simdjson::N_ATOM_ERROR, tok.data());
        s.type = Scalar::Type::Null;
        break;
    case od::json_type::boolean:
        s.type = Scalar::Type::Bool;
        s.b = check(v.get_bool(), tok.data());
        break;
    case od::json_type::string:
        s.type = Scalar::Type::String;
        // Without a backslash the text is the value (stage 1 checked the string whole: closed,
        // valid UTF-8, no raw control character); only escapes need unescaping (and checking).
        // The raw string is still taken: it moves the iterator past the value (see below).
        if (tok.size() >= 2 && tok.back() == '"' && tok.find('\\') == std::string_view::npos) {
            check(v.get_raw_json_string(), tok.data());
            s.s = tok.substr(1, tok.size() - 2);
        } else {
            s.s = check(v.get_string(), tok.data());
        }
        break;
    case od::json_type::number: {
        // get_number() leaves the iterator on the number; get_double() moves past it. A value
        // left unread lets On-Demand skip what follows it unchecked ("a": 1: 2, ...), so every
        // scalar read here is consumed, and a number it cannot read is a syntax error.
        auto consume = [&] {
            double ignored = 0.0;
            if (v.get_double().get(ignored) != simdjson::SUCCESS)
                syntax(simdjson::NUMBER_ERROR, tok.data());
        };
        od::number n;
        if (v.get_number().get(n) == simdjson::SUCCESS) {
            consume();
            if (n.is_int64()) {
                s.type = Scalar::Type::Int;
                s.i = n.get_int64();
            } else if (n.is_uint64()) {
                s.type = Scalar::Type::UInt;
                s.u = n.get_uint64();
            } else {
                s.type = Scalar::Type::Float;
                s.d = n.get_double();
                s.s = tok;
            }
            break;
        }
        // Integers beyond 64 bits (a float to nlohmann), or a number with text glued on: read
        // the number's own characters as nlohmann does.
        const std::string_view lexeme = tok.substr(0, lexemeSize(tok));
        const auto j = nlohmann::json::parse(lexeme, nullptr, false);
        if (j.is_discarded())
            syntax(simdjson::NUMBER_ERROR, tok.data());
        s.glued = lexeme.size() != tok.size();
        if (!s.glued) // (a glued number is an error later, after any content error it has)
            consume();
        if (j.is_number_unsigned()) {
            s.type = Scalar::Type::UInt;
            s.u = j.get<std::uint64_t>();
        } else if (j.is_number_integer()) {
            s.type = Scalar::Type::Int;
            s.i = j.get<std::int64_t>();
        } else {
            s.type = Scalar::Type::Float;
            s.d = j.get<double>();
            s.s = lexeme;
        }
        break;
    }
    }
    return s;
}

void Walker::feed(RawCapture& cap, const Scalar& s) const
{
    switch (s.type) {
    case Scalar::Type::Null: cap.null(); break;
    case Scalar::Type::Bool: cap.boolean(s.b); break;
    case Scalar::Type::Int: cap.number(std::to_string(s.i)); break;
    case Scalar::Type::UInt: cap.number(std::to_string(s.u)); break;
    case Scalar::Type::Float: cap.number(s.s); break;
    case Scalar::Type::String: cap.string(s.s); break;
    default: break;
    }
}

// Any value, checked to its last byte (On-Demand trusts what it skips, so nothing is skipped):
// repeated keys, the nesting limit, every scalar. With `cap`, also its compact text.
void Walker::walk(od::value v, RawCapture* cap, std::size_t depth, std::string_view label, bool inChange)
{
    const std::string_view tok = token(v);
    const od::json_type t = check(v.type(), tok.data());
    if (t != od::json_type::object && t != od::json_type::array) {
        const Scalar s = scalar(v, t, tok);
        accepted(s, tok);
        if (cap)
            feed(*cap, s);
        return;
    }
    // Nothing here recurses past the limit; what the values become (Parameters, canonical
    // text) is walked recursively later: the limit holds for every reader.
    if (depth > kMaxJsonDepth)
        content(nestingTooDeepReason(), tok);
    RawCapture local;
    RawCapture& c = cap ? *cap : local;
    if (!cap)
        c.begin();
    if (t == od::json_type::object) {
        c.startObject();
        for (auto member : check(v.get_object(), tok.data())) {
            od::field f = check(std::move(member), tok.data());
            const char* const keyAt = f.key().raw() - 1;
            const std::string_view k = key(f);
            if (!c.key(k))
                content((inChange ? changeLabel() + ": " : std::string(label)) + duplicateKeyReason(k),
                        {keyAt, k.size() + 2});
            walk(f.value(), &c, depth + 1, label, inChange);
        }
        c.endContainer('}');
    } else {
        c.startArray();
        for (auto element : check(v.get_array(), tok.data()))
            walk(check(element, tok.data()), &c, depth + 1, label, inChange);
        c.endContainer(']');
    }
}

void Walker::run(od::document& doc)
{
    m_doc = &doc;
    const char* start = m_base + (std::string_view(m_base, m_size).starts_with("\xef\xbb\xbf") ? 3 : 0);
    const od::json_type t = check(doc.type(), start);
    if (t != od::json_type::object) {
        std::string_view tok = check(doc.raw_json_token(), start);
        // A broken scalar is a syntax error, reported as one (simdjson reads a scalar file only whole).
        if (t != od::json_type::array && !nlohmann::json::accept(tok.substr(0, lexemeSize(tok))))
            syntax(simdjson::TAPE_ERROR, start);
        content("the file is not a JSON object", tok);
    }
    root(check(doc.get_object(), start));
    const char* after = nullptr;
    if (doc.current_location().get(after) == simdjson::SUCCESS)
        syntax(simdjson::TRAILING_CONTENT, after);
}

void Walker::root(od::object obj)
{
    std::unordered_set<std::string_view> keys;
    for (auto member : obj) {
        od::field f = check(std::move(member), m_base);
        const char* const keyAt = f.key().raw() - 1;
        const std::string_view k = key(f);
        if (!keys.emplace(k).second)
            content(duplicateKeyReason(k), {keyAt, k.size() + 2});
        od::value v = f.value();
        const std::string_view tok = token(v);
        if (k == "metadata" || k == "changes") {
            const od::json_type t = check(v.type(), tok.data());
            if (k == "metadata") {
                if (t == od::json_type::array)
                    content("metadata is an array", tok);
                if (t != od::json_type::object)
                    content("metadata is " + std::string(typeWord(classify(v, tok).type)), tok);
                sawMetadata = true;
                metadata(v, tok);
            } else {
                if (t == od::json_type::object)
                    content("changes is an object, not an array", tok);
                if (t != od::json_type::array)
                    content("changes is " + std::string(typeWord(classify(v, tok).type)), tok);
                sawChanges = true;
                changes(v);
            }
        } else {
            walk(v, nullptr, 2, {});
        }
    }
}

void Walker::metadata(od::value v, std::string_view tok)
{
    std::unordered_set<std::string_view> keys;
    for (auto member : check(v.get_object(), tok.data())) {
        od::field f = check(std::move(member), tok.data());
        const char* const keyAt = f.key().raw() - 1;
        const std::string_view kv = key(f);
        if (!keys.emplace(kv).second)
            content("metadata: " + duplicateKeyReason(kv), {keyAt, kv.size() + 2});
        const std::string k(kv);
        od::value value = f.value();
        const std::string_view vt = token(value);
        const od::json_type t = check(value.type(), vt.data());
        const bool container = t == od::json_type::object || t == od::json_type::array;
        if (container && k == "parameters") {
            if (t == od::json_type::array)
                content("metadata.parameters is an array", vt);
            RawCapture cap;
            cap.begin();
            walk(value, &cap, 3, "metadata.parameters: ");
            try {
                trace.identity.parameters = Parameters::fromJson(cap.text());
            } catch (const std::exception& e) {
                content(std::string("metadata.parameters: ") + e.what(), vt);
            }
        } else if (container && isKnownMetadataKey(k)) {
            content("metadata." + k + " is " + (t == od::json_type::object ? "an object" : "an array"), vt);
        } else if (container || !(isKnownMetadataKey(k) || k == "parameters")) {
            RawCapture cap;
            cap.begin();
            walk(value, &cap, 3, "metadata." + k + ": ");
            trace.metadata.extras.emplace_back(k, cap.take());
        } else {
            const Scalar s = scalar(value, t, vt);
            metadataScalar(k, s, vt);
            accepted(s, vt);
        }
    }
}

void Walker::optionalText(const std::string& k, const Scalar& v, std::optional<std::string>& out, std::string_view tok)
{
    if (v.type == Scalar::Type::Null)
        out.reset();
    else if (v.type == Scalar::Type::String)
        out = std::string(v.s);
    else
        content("metadata." + k + " is " + typeWord(v.type) + ", not a string", tok);
}

void Walker::setName(const std::string& k, const Scalar& v, Kind kind, std::string_view tok)
{
    if (v.type != Scalar::Type::String)
        content("metadata." + k + " is " + typeWord(v.type) + ", not a string", tok);
    if (kindKnown && trace.identity.kind != kind)
        content("metadata has both strategy_name and classifier_name", tok);
    trace.identity.kind = kind;
    trace.identity.name = std::string(v.s);
    kindKnown = true;
}

void Walker::metadataScalar(const std::string& k, const Scalar& v, std::string_view tok)
{
    auto wrongType = [&] { content("metadata." + k + " is " + typeWord(v.type), tok); };
    std::int64_t n = 0;
    if (k == "strategy_name" || k == "classifier_name") {
        setName(k, v, k == "strategy_name" ? Kind::Signal : Kind::Classifier, tok);
    } else if (k == "strategy_type" || k == "classifier_type") {
        std::optional<std::string> t;
        optionalText(k, v, t, tok);
        trace.type = t.value_or(std::string());
    } else if (k == "parameters") {
        if (v.type != Scalar::Type::Null)
            content("metadata.parameters is " + std::string(typeWord(v.type)) + ", not an object", tok);
    } else if (k == "symbol" || k == "timeframe" || k == "run") {
        optionalText(k, v, k == "symbol" ? trace.identity.symbol : k == "run" ? trace.identity.run : trace.identity.timeframe,
                     tok);
    } else if (k == "variant") {
        if (v.type == Scalar::Type::Null)
            trace.identity.variant.reset();
        else if (asInt(v, n))
            trace.identity.variant = n;
        else
            wrongType();
    } else if (k == "total_bars") {
        if (asInt(v, n))
            trace.metadata.totalBars = n;
        else if (v.type == Scalar::Type::UInt || (v.type == Scalar::Type::Float && std::isfinite(v.d) && !fitsInt64(v.d)))
            content("metadata.total_bars is out of range (beyond 64-bit integers)", tok);
        else if (v.type == Scalar::Type::Float && std::isfinite(v.d) && v.d == std::floor(v.d))
            trace.metadata.totalBars = static_cast<std::int64_t>(v.d);
        else if (v.type != Scalar::Type::Null)
            wrongType();
    } else if (k == "signal_changes" || k == "regime_changes") {
        if (asInt(v, n) && n > 0) // recomputed on write; only a hint for reserve()
            m_declared = static_cast<std::uint64_t>(n);
    } else if (k == "created_at" || k == "file_hash") {
        if (v.type == Scalar::Type::String)
            (k == "created_at" ? trace.metadata.createdAt : trace.metadata.storedHash) = std::string(v.s);
        else if (v.type != Scalar::Type::Null)
            wrongType();
    } else if (k == "format_version") {
        if (v.type == Scalar::Type::Null)
            return; // read as a file without it (version 0); verify reports the null
        if (!asInt(v, n) || n < 0 || n > 1000)
            content("metadata.format_version is not a small integer", tok);
        trace.metadata.formatVersion = static_cast<int>(n);
        sawFormatVersion = true;
    }
    // compression_ratio: recomputed on write
}

void Walker::changes(od::value v)
{
    const std::string_view arrayTok = token(v);
    // Reserve what the metadata declares, capped by what the text can hold (a change takes at
    // least 40 bytes), so the columns never grow by copying.
    if (m_declared > 0 && kindKnown)
        trace.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(m_declared, m_size / 40 + 1)));
    for (auto element : check(v.get_array(), arrayTok.data())) {
        od::value e = check(element, arrayTok.data());
        ++m_changeNo;
        const std::string_view tok = token(e);
        const od::json_type t = check(e.type(), tok.data());
        if (t == od::json_type::array)
            content(changeLabel() + " is an array, not an object", tok);
        if (t != od::json_type::object)
            content(changeLabel() + " is " + typeWord(scalar(e, t, tok).type) + ", not an object", tok);
        change(check(e.get_object(), tok.data()), tok);
    }
}

void Walker::change(od::object obj, std::string_view tok)
{
    ChangeFields f;
    unsigned seen = 0;
    m_otherKeys.clear();
    for (auto member : obj) {
        od::field field = check(std::move(member), tok.data());
        const char* const keyAt = field.key().raw() - 1;
        const std::string_view k = key(field);
        // Strict JSON: the keys every change has by a bit each (no allocation), others by name.
        bool repeated = false;
        const unsigned bit = changeKeyBit(k);
        if (bit) {
            repeated = (seen & bit) != 0;
            seen |= bit;
        } else {
            repeated = std::find(m_otherKeys.begin(), m_otherKeys.end(), k) != m_otherKeys.end();
            m_otherKeys.push_back(k);
        }
        if (repeated)
            content(changeLabel() + ": " + duplicateKeyReason(k), {keyAt, k.size() + 2});
        changeMember(bit, k, field.value(), f);
    }
    // What the change lacks is known at its '}': the message covers the object to there.
    auto lacks = [&](std::string reason) {
        const char* next = nullptr;
        const std::size_t end = m_doc->current_location().get(next) == simdjson::SUCCESS ? offsetOf(next) : m_size;
        throw WalkFailure{std::move(reason), offsetOf(tok.data()), end, simdjson::SUCCESS};
    };
    if (!f.hasIdx)
        lacks(changeLabel() + ": idx is missing");
    if (!kindKnown) {
        pending.push_back(f);
        return;
    }
    if (trace.identity.kind == Kind::Signal && !f.hasVal)
        lacks(changeLabel() + (f.hasRegime ? ": val is a string" : ": val is missing"));
    if (trace.identity.kind == Kind::Classifier && !f.hasRegime)
        lacks(changeLabel() + ": regime is missing");
    append(f);
}

double Walker::number(od::value& v, std::string_view k, double ifNull)
{
    double d = 0.0;
    if (v.get_double().get(d) == simdjson::SUCCESS)
        return d;
    const std::string_view tok = token(v);
    const Scalar s = classify(v, tok);
    if (!isNumber(s.type) && s.type != Scalar::Type::Null)
        content(changeLabel() + ": " + std::string(k) + " is " + typeWord(s.type), tok);
    accepted(s, tok);
    return isNumber(s.type) ? asDouble(s) : ifNull;
}

void Walker::changeMember(unsigned bit, std::string_view k, od::value& v, ChangeFields& f)
{
    if ((bit & (kIdx | kTs | kVal | kRegime | kPx | kConfidence)) == 0) {
        // sym, strat, previous_regime and anything else: derived or not ours, but checked
        walk(v, nullptr, 4, {}, true);
        return;
    }
    if (bit == kPx || bit == kConfidence) {
        (bit == kPx ? f.price : f.confidence) = number(v, k, bit == kPx ? 0.0 : 1.0);
        return;
    }
    // The usual integers at simdjson's speed; anything else (null, a string, a float, text glued
    // on) is classified below for its message.
    if (bit == kIdx && v.get_int64().get(f.idx) == simdjson::SUCCESS) {
        f.hasIdx = true;
        return;
    }
    if (bit == kVal && v.get_int64().get(f.val) == simdjson::SUCCESS) {
        if (f.val < std::numeric_limits<std::int32_t>::min() || f.val > std::numeric_limits<std::int32_t>::max())
            content(changeLabel() + ": val is out of range", token(v));
        f.hasVal = true;
        return;
    }
    const std::string_view tok = token(v);
    const Scalar s = classify(v, tok);
    auto wrongType = [&] { content(changeLabel() + ": " + std::string(k) + " is " + typeWord(s.type), tok); };
    if (bit == kIdx) {
        if (!asInt(s, f.idx))
            wrongType();
        f.hasIdx = true;
    } else if (bit == kTs) {
        if (s.type == Scalar::Type::String) {
            f.ts = s.s;
            f.hasTs = true;
        } else if (s.type != Scalar::Type::Null) {
            wrongType();
        } else {
            f.hasTs = false;
        }
    } else if (bit == kVal) {
        if (s.type == Scalar::Type::String) { // legacy classifier dumps carry the regime in val
            f.regime = s.s;
            f.hasRegime = true;
            f.hasVal = false;
        } else if (asInt(s, f.val)) {
            if (f.val < std::numeric_limits<std::int32_t>::min() || f.val > std::numeric_limits<std::int32_t>::max())
                content(changeLabel() + ": val is out of range", tok);
            f.hasVal = true;
        } else {
            wrongType();
        }
    } else { // regime
        if (s.type != Scalar::Type::String)
            wrongType();
        f.regime = s.s;
        f.hasRegime = true;
    }
    accepted(s, tok);
}

// "YYYY-MM-DD[T ]HH:MM:SS[.f{1,6}][Z|+HH:MM|-HH:MM]" that formatIsoTime writes back unchanged;
// anything else (even if parseIsoTime takes it) goes the text way.
bool Walker::fastTime(std::string_view s, std::int64_t& utc, TimeFormat& f)
{
    const std::size_t n = s.size();
    const char* c = s.data();
    if (n < 19 || c[4] != '-' || c[7] != '-' || (c[10] != 'T' && c[10] != ' ') || c[13] != ':' || c[16] != ':')
        return false;
    for (const int i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18})
        if (!isDigit(c[i]))
            return false;
    const int hour = twoDigits(c + 11), minute = twoDigits(c + 14), second = twoDigits(c + 17);
    if (hour > 23 || minute > 59 || second > 59)
        return false;
    std::size_t pos = 19;
    std::int64_t micros = 0;
    int digits = 0;
    if (pos < n && c[pos] == '.') {
        ++pos;
        while (pos < n && isDigit(c[pos])) {
            if (digits == 6)
                return false;
            micros = micros * 10 + (c[pos] - '0');
            ++digits;
            ++pos;
        }
        if (digits == 0)
            return false;
        for (int i = digits; i < 6; ++i)
            micros *= 10;
    }
    int offset = 0;
    if (pos == n) {
        f.zone = TimeFormat::Zone::Naive;
    } else if (c[pos] == 'Z' && pos + 1 == n) {
        f.zone = TimeFormat::Zone::Z;
    } else if ((c[pos] == '+' || c[pos] == '-') && pos + 6 == n && c[pos + 3] == ':' && isDigit(c[pos + 1])
               && isDigit(c[pos + 2]) && isDigit(c[pos + 4]) && isDigit(c[pos + 5])) {
        const int oh = twoDigits(c + pos + 1), om = twoDigits(c + pos + 4);
        if (oh > 23 || om > 59)
            return false;
        offset = (oh * 60 + om) * (c[pos] == '-' ? -1 : 1);
        if (c[pos] == '-' && offset == 0)
            return false; // "-00:00" is written back as "+00:00"
        f.zone = TimeFormat::Zone::Offset;
    } else {
        return false;
    }
    // Consecutive changes mostly share their date.
    if (!m_hasLastDate || std::memcmp(c, m_lastDate, 10) != 0) {
        const int year = (c[0] - '0') * 1000 + (c[1] - '0') * 100 + twoDigits(c + 2);
        const int month = twoDigits(c + 5), day = twoDigits(c + 8);
        if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
            return false;
        std::memcpy(m_lastDate, c, 10);
        m_lastDays = daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
        m_hasLastDate = true;
    }
    f.separator = c[10];
    f.fractionDigits = static_cast<std::uint8_t>(digits);
    f.offsetMinutes = static_cast<std::int16_t>(offset);
    constexpr std::int64_t kMicrosPerDay = 86'400'000'000;
    utc = m_lastDays * kMicrosPerDay + ((hour * 60LL + minute) * 60 + second) * 1'000'000LL + micros
        - offset * 60'000'000LL;
    return true;
}

// A checked change as a row of the trace. A time in the trace's usual format is parsed here; any
// other keeps its text (the Trace parses it), exactly as appending the text would.
void Walker::append(const ChangeFields& f)
{
    std::int64_t utc = kNoTime;
    TimeFormat format;
    const bool parsed = f.hasTs && fastTime(f.ts, utc, format) && (!m_hasUsualFormat || format == m_usualFormat);
    const std::string_view text = f.hasTs ? f.ts : std::string_view();
    if (trace.identity.kind == Kind::Signal) {
        const auto v32 = static_cast<std::int32_t>(f.val);
        if (parsed)
            trace.appendSignalAt(f.idx, utc, format, v32, f.price);
        else
            trace.appendSignal(f.idx, text, v32, f.price);
    } else {
        if (parsed)
            trace.appendRegimeAt(f.idx, utc, format, f.regime, f.confidence, f.price);
        else
            trace.appendRegime(f.idx, text, f.regime, f.confidence, f.price);
    }
    if (!m_hasUsualFormat && trace.time(trace.size() - 1) != kNoTime) { // the first time sets the usual format
        m_usualFormat = parsed ? format : parseIsoTime(text)->format;
        m_hasUsualFormat = true;
    }
}

} // namespace sigscope::core::detail::tracewalk
