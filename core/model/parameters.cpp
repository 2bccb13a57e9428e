#include "core/model/parameters.h"

#include "core/util/canonical.h"
#include "core/util/jsonlimits.h"

#include <algorithm>
#include <optional>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace sigscope::core {

namespace {

// Recursive, but only ever over values of at most kMaxJsonDepth levels (fromJson checks first);
// the depth check here keeps that true for any caller.
void appendCanonical(std::string& out, const nlohmann::json& j, std::size_t depth = 1)
{
    if (depth > kMaxJsonDepth)
        throw std::invalid_argument(nestingTooDeepReason());
    switch (j.type()) {
    case nlohmann::json::value_t::object: {
        // nlohmann's default object is a std::map: keys already in byte order.
        out.push_back('{');
        bool first = true;
        for (const auto& [key, value] : j.items()) {
            if (!first)
                out.push_back(',');
            first = false;
            canonical::appendString(out, key);
            out.push_back(':');
            appendCanonical(out, value, depth + 1);
        }
        out.push_back('}');
        break;
    }
    case nlohmann::json::value_t::array: {
        out.push_back('[');
        bool first = true;
        for (const auto& value : j) {
            if (!first)
                out.push_back(',');
            first = false;
            appendCanonical(out, value, depth + 1);
        }
        out.push_back(']');
        break;
    }
    case nlohmann::json::value_t::string: canonical::appendString(out, j.get_ref<const std::string&>()); break;
    case nlohmann::json::value_t::boolean: out += j.get<bool>() ? "true" : "false"; break;
    case nlohmann::json::value_t::number_integer: out += std::to_string(j.get<std::int64_t>()); break;
    case nlohmann::json::value_t::number_unsigned: out += std::to_string(j.get<std::uint64_t>()); break;
    case nlohmann::json::value_t::number_float: canonical::appendDouble(out, j.get<double>()); break;
    default: out += "null"; break;
    }
}

ParamValue toParamValue(const nlohmann::json& j)
{
    // j is a value inside the parameters object: depth 2 of it.
    switch (j.type()) {
    case nlohmann::json::value_t::null: return nullptr;
    case nlohmann::json::value_t::boolean: return j.get<bool>();
    case nlohmann::json::value_t::number_integer: return j.get<std::int64_t>();
    case nlohmann::json::value_t::number_unsigned: {
        const auto u = j.get<std::uint64_t>();
        if (u <= static_cast<std::uint64_t>(INT64_MAX))
            return static_cast<std::int64_t>(u);
        std::string text;
        appendCanonical(text, j, 2);
        return RawJson{std::move(text)};
    }
    case nlohmann::json::value_t::number_float: return j.get<double>();
    case nlohmann::json::value_t::string: return j.get<std::string>();
    default: {
        std::string text;
        appendCanonical(text, j, 2);
        return RawJson{std::move(text)};
    }
    }
}

} // namespace

std::string canonicalText(const ParamValue& value)
{
    std::string out;
    std::visit(
        [&out](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>)
                out = "null";
            else if constexpr (std::is_same_v<T, bool>)
                out = v ? "true" : "false";
            else if constexpr (std::is_same_v<T, std::int64_t>)
                out = std::to_string(v);
            else if constexpr (std::is_same_v<T, double>)
                canonical::appendDouble(out, v);
            else if constexpr (std::is_same_v<T, std::string>)
                canonical::appendString(out, v);
            else
                out = v.text;
        },
        value);
    return out;
}

std::string displayText(const ParamValue& value)
{
    if (const auto* s = std::get_if<std::string>(&value))
        return *s;
    return canonicalText(value);
}

Parameters::Parameters(std::initializer_list<Entry> entries)
{
    for (const auto& e : entries)
        set(e.first, e.second);
}

void Parameters::set(std::string key, ParamValue value)
{
    auto it = std::lower_bound(m_entries.begin(), m_entries.end(), key,
                               [](const Entry& e, const std::string& k) { return e.first < k; });
    if (it != m_entries.end() && it->first == key)
        it->second = std::move(value);
    else
        m_entries.emplace(it, std::move(key), std::move(value));
}

const ParamValue* Parameters::find(std::string_view key) const
{
    auto it = std::lower_bound(m_entries.begin(), m_entries.end(), key,
                               [](const Entry& e, std::string_view k) { return std::string_view(e.first) < k; });
    return it != m_entries.end() && it->first == key ? &it->second : nullptr;
}

std::string Parameters::canonicalJson() const
{
    std::string out = "{";
    bool first = true;
    for (const auto& [key, value] : m_entries) {
        if (!first)
            out.push_back(',');
        first = false;
        canonical::appendString(out, key);
        out.push_back(':');
        out += canonicalText(value);
    }
    out.push_back('}');
    return out;
}

namespace {

// An ASCII string without escapes or control bytes at text[at] (at on its opening quote): its
// content, at moved past the closing quote; nullopt for any other string.
std::optional<std::string_view> plainString(std::string_view text, std::size_t& at)
{
    const std::size_t from = at + 1;
    for (std::size_t i = from; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '"') {
            at = i + 1;
            return text.substr(from, i - from);
        }
        if (c == '\\' || c < 0x20 || c >= 0x80)
            return std::nullopt; // escapes, control bytes and UTF-8 (nlohmann checks it): the full parse
    }
    return std::nullopt;
}

// An integer of 1 to 18 digits, no leading zero and no "-0", at text[at]; at moved past it.
std::optional<std::int64_t> plainInteger(std::string_view text, std::size_t& at)
{
    const bool negative = at < text.size() && text[at] == '-';
    const std::size_t digits = at + (negative ? 1 : 0);
    std::size_t end = digits;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9')
        ++end;
    const std::size_t n = end - digits;
    if (n == 0 || n > 18 || (text[digits] == '0' && (n > 1 || negative)))
        return std::nullopt;
    std::int64_t v = 0;
    for (std::size_t i = digits; i < end; ++i)
        v = v * 10 + (text[i] - '0');
    at = end;
    return negative ? -v : v;
}

// The parameters of a flat object in canonical form (keys in increasing byte order, no spaces)
// whose values are such integers or strings, as the writers store most sweeps: what the full
// parse gives, without building nlohmann's tree. nullopt for any other text.
std::optional<std::vector<Parameters::Entry>> flatCanonical(std::string_view text)
{
    if (text.size() < 2 || text.front() != '{' || text.back() != '}')
        return std::nullopt;
    std::vector<Parameters::Entry> entries;
    if (text.size() == 2)
        return entries;
    std::size_t at = 1;
    while (at < text.size() && text[at] == '"') {
        const auto key = plainString(text, at);
        if (!key || at >= text.size() || text[at] != ':' || (!entries.empty() && !(entries.back().first < *key)))
            return std::nullopt;
        ++at;
        if (at < text.size() && text[at] == '"') {
            const auto value = plainString(text, at);
            if (!value)
                return std::nullopt;
            entries.emplace_back(std::string(*key), std::string(*value));
        } else {
            const auto value = plainInteger(text, at);
            if (!value)
                return std::nullopt;
            entries.emplace_back(std::string(*key), *value);
        }
        if (at + 1 == text.size() && text[at] == '}')
            return entries;
        if (at >= text.size() || text[at] != ',')
            return std::nullopt; // a real, a literal, a nested value or spaces: the full parse
        ++at;
    }
    return std::nullopt;
}

} // namespace

Parameters Parameters::fromJson(std::string_view jsonObjectText)
{
    if (auto flat = flatCanonical(jsonObjectText)) {
        Parameters p;
        p.m_entries = std::move(*flat);
        return p;
    }
    if (jsonNestingDepth(jsonObjectText) > kMaxJsonDepth)
        throw std::invalid_argument(nestingTooDeepReason());
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(jsonObjectText);
    } catch (const nlohmann::json::exception& e) {
        throw std::invalid_argument(std::string("parameters are not valid JSON: ") + e.what());
    }
    if (j.is_null())
        return {};
    if (!j.is_object())
        throw std::invalid_argument("parameters must be a JSON object");
    Parameters p;
    for (const auto& [key, value] : j.items())
        p.m_entries.emplace_back(key, toParamValue(value));
    return p;
}

} // namespace sigscope::core
