#pragma once

// Internal to core/storage (tracereader.cpp, tracewalker.cpp): the walk over simdjson's On-Demand
// API that builds a Trace from a data file and words every content error. Not for the GUI: it
// includes simdjson.

#include "core/model/trace.h"
#include "core/storage/jsonsax.h"

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sigscope::core::detail::tracewalk {

namespace od = simdjson::ondemand;

// Why the walk stopped: a content error (reason, the bytes [begin, end) of the value it is about)
// or a syntax error simdjson found (its code, near `begin`).
struct WalkFailure
{
    std::string reason;
    std::size_t begin = 0;
    std::size_t end = 0;
    simdjson::error_code code = simdjson::SUCCESS;
};

// One scalar as the content checks see it (the types nlohmann's SAX events had).
struct Scalar
{
    enum class Type : std::uint8_t { Null, Bool, Int, UInt, Float, String, Object, Array };
    Type type = Type::Null;
    bool b = false;
    std::int64_t i = 0;
    std::uint64_t u = 0;
    double d = 0.0;
    std::string_view s; // a string's value, a float as written
    // A number nlohmann reads with more text glued on ("9ma"): the value is an error of its own
    // (a syntax error) unless the content checks refuse it first, as nlohmann's events would.
    bool glued = false;
};

// One change as read; strings point into the parser's string buffer (alive for the document).
struct ChangeFields
{
    bool hasIdx = false, hasVal = false, hasRegime = false;
    std::int64_t idx = 0, val = 0;
    bool hasTs = false;
    std::string_view ts, regime;
    double confidence = 1.0, price = 0.0;
};

// One walk over a document of the text base[0, size): run() builds `trace` (and `pending`, the
// changes met before the metadata named the kind) or throws a WalkFailure.
class Walker
{
public:
    Walker(const char* base, std::size_t size)
        : m_base(base)
        , m_size(size)
    {
    }

    Trace trace;
    bool sawMetadata = false, sawChanges = false, kindKnown = false, sawFormatVersion = false;
    std::vector<ChangeFields> pending; // changes read before the metadata told the kind

    void run(od::document& doc);

private:
    // ---- failures ----
    std::size_t offsetOf(const char* p) const
    {
        return p >= m_base && p <= m_base + m_size ? static_cast<std::size_t>(p - m_base) : m_size;
    }
    [[noreturn]] void content(std::string reason, std::string_view token) const
    {
        const std::size_t begin = offsetOf(token.data());
        throw WalkFailure{std::move(reason), begin, begin + lexemeSize(token), simdjson::SUCCESS};
    }
    // The bytes of the token's own lexeme (what nlohmann reads before it reports the value): a
    // string to its closing quote, a number or literal to its last character, a bracket.
    static std::size_t lexemeSize(std::string_view t);
    [[noreturn]] void syntax(simdjson::error_code code, const char* near) const
    {
        const std::size_t at = offsetOf(near);
        throw WalkFailure{{}, at, at, code};
    }
    template<class T>
    T check(simdjson::simdjson_result<T> r, const char* near) const
    {
        T v;
        if (const auto e = std::move(r).get(v))
            syntax(e, near);
        return v;
    }
    // The value's first token (trailing blanks dropped), where messages about it point.
    static std::string_view token(od::value& v)
    {
        std::string_view t = v.raw_json_token();
        while (!t.empty() && (t.back() == ' ' || t.back() == '\n' || t.back() == '\r' || t.back() == '\t'))
            t.remove_suffix(1);
        return t;
    }

    // A key as text: its bytes in the file when it has no escape (no copy), else unescaped.
    std::string_view key(od::field& f) const
    {
        const char* const raw = f.key().raw();
        const char* p = raw;
        while (*p != '"' && *p != '\\')
            ++p;
        if (*p == '"')
            return {raw, static_cast<std::size_t>(p - raw)};
        return check(f.unescaped_key(), raw - 1);
    }

    Scalar scalar(od::value& v, od::json_type t, std::string_view tok) const;
    // A scalar the content checks took: one with text glued on is a syntax error after all.
    void accepted(const Scalar& s, std::string_view tok) const
    {
        if (s.glued)
            syntax(simdjson::NUMBER_ERROR, tok.data());
    }
    Scalar classify(od::value& v, std::string_view tok) const
    {
        return scalar(v, check(v.type(), tok.data()), tok);
    }
    // `label` starts its messages; inChange: "change N: " does (made only when one is thrown).
    void walk(od::value v, RawCapture* cap, std::size_t depth, std::string_view label, bool inChange = false);
    void feed(RawCapture& cap, const Scalar& s) const;

    void root(od::object obj);
    void metadata(od::value v, std::string_view tok);
    void metadataScalar(const std::string& k, const Scalar& v, std::string_view tok);
    void optionalText(const std::string& k, const Scalar& v, std::optional<std::string>& out, std::string_view tok);
    void setName(const std::string& k, const Scalar& v, Kind kind, std::string_view tok);
    void changes(od::value v);
    void change(od::object obj, std::string_view tok);
    void changeMember(unsigned bit, std::string_view k, od::value& v, ChangeFields& f);
    double number(od::value& v, std::string_view k, double ifNull);
    void append(const ChangeFields& f);
    bool fastTime(std::string_view s, std::int64_t& utc, TimeFormat& f);

    std::string changeLabel() const { return "change " + std::to_string(m_changeNo); }

    const char* m_base;
    std::size_t m_size;
    od::document* m_doc = nullptr;
    std::int64_t m_changeNo = 0;
    std::uint64_t m_declared = 0; // signal_changes / regime_changes: a hint for reserve(), never trusted
    std::vector<std::string_view> m_otherKeys;
    TimeFormat m_usualFormat; // as Trace keeps it: the format of the first change with a time
    bool m_hasUsualFormat = false;
    char m_lastDate[10] = {};
    bool m_hasLastDate = false;
    std::int64_t m_lastDays = 0;
};

} // namespace sigscope::core::detail::tracewalk
