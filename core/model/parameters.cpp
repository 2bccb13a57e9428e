#include "core/model/parameters.h"

#include "core/util/canonical.h"
#include "core/util/jsonlimits.h"

#include <algorithm>
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

Parameters Parameters::fromJson(std::string_view jsonObjectText)
{
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
