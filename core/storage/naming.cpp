#include "core/storage/naming.h"

#include <array>
#include <vector>

namespace sigscope::core::naming {

namespace {

bool isSafe(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
        || c == '-';
}

std::vector<std::string> tokens(std::string_view text)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = text.find('_', start);
        const auto stop = end == std::string_view::npos ? text.size() : end;
        if (stop > start)
            out.emplace_back(text.substr(start, stop - start));
        if (end == std::string_view::npos)
            break;
        start = end + 1;
    }
    return out;
}

std::string lower(std::string_view text)
{
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

struct KeywordRule
{
    Kind kind;
    std::vector<std::string_view> words;
    std::string_view type;
};

const std::vector<KeywordRule>& keywordRules()
{
    static const std::vector<KeywordRule> rules = {
        {Kind::Signal, {"momentum"}, "momentum"},
        {Kind::Signal, {"macd"}, "macd"},
        {Kind::Signal, {"ma", "sma", "ema", "dema", "tema", "crossover"}, "ma_crossover"},
        {Kind::Signal, {"mean", "reversion", "bollinger", "bb"}, "mean_reversion"},
        {Kind::Signal, {"rsi"}, "rsi"},
        {Kind::Signal, {"breakout"}, "breakout"},
        {Kind::Classifier, {"regime", "hmm"}, "regime"},
        {Kind::Classifier, {"volatility", "vol"}, "volatility"},
        {Kind::Classifier, {"trend"}, "trend"},
    };
    return rules;
}

struct PartRule
{
    std::string_view key;
    std::string_view shortName;
};

constexpr std::array<PartRule, 7> kPartRules = {{{"fast_period", "fast"},
                                                 {"slow_period", "slow"},
                                                 {"period", "period"},
                                                 {"lookback_period", "lb"},
                                                 {"threshold", "th"},
                                                 {"momentum_threshold", "mth"},
                                                 {"n_states", "states"}}};

} // namespace

std::string sanitize(std::string_view name, std::size_t maxBytes)
{
    std::string out;
    out.reserve(name.size());
    for (const char c : name) {
        const char mapped = isSafe(c) ? c : '_';
        if (mapped == '_' && !out.empty() && out.back() == '_')
            continue;
        if (mapped == '.' && out.empty())
            continue; // leading dots
        out.push_back(mapped);
    }
    if (out.size() > maxBytes)
        out.resize(maxBytes);
    if (out.find_first_not_of("._") == std::string::npos)
        return "unnamed"; // nothing but punctuation left: no usable name
    return out;
}

std::string typeFor(Kind kind, std::string_view name, std::string_view explicitType)
{
    if (!explicitType.empty()) {
        std::string t = sanitize(explicitType);
        if (t != "unnamed")
            return t;
    }
    const std::string lowered = lower(name);
    const auto toks = tokens(lowered);
    for (std::size_t i = 0; i < toks.size(); ++i) {
        if (toks[i] == "grid") {
            std::string t;
            for (std::size_t k = 0; k <= i; ++k) {
                if (k)
                    t.push_back('_');
                t += toks[k];
            }
            return sanitize(t);
        }
    }
    for (const auto& rule : keywordRules()) {
        if (rule.kind != kind)
            continue;
        for (const auto& tok : toks)
            for (const auto word : rule.words)
                if (tok == word)
                    return std::string(rule.type);
    }
    if (kind == Kind::Classifier)
        for (std::size_t i = 0; i + 1 < toks.size(); ++i)
            if (toks[i] == "market" && toks[i + 1] == "state")
                return "market_state";
    return "other";
}

std::string fileStem(const TraceIdentity& identity)
{
    std::string stem = sanitize(identity.name);
    const auto nameTokens = tokens(stem);
    int parts = 0;
    for (const auto& rule : kPartRules) {
        if (parts == 3)
            break;
        const ParamValue* value = identity.parameters.find(rule.key);
        if (!value)
            continue;
        const std::string text = sanitize(displayText(*value), 24);
        bool present = false;
        for (const auto& tok : nameTokens)
            present = present || tok == text;
        if (present)
            continue;
        stem += '_';
        stem += rule.shortName;
        stem += '_';
        stem += text;
        ++parts;
    }
    return stem;
}

std::string fileName(const TraceIdentity& identity, bool longHash)
{
    const std::string hash = identity.hashHex();
    return fileStem(identity) + '_' + (longHash ? hash : hash.substr(0, 8)) + ".json";
}

std::string relativePath(const TraceIdentity& identity, std::string_view type, bool longHash)
{
    std::string out(kindFolder(identity.kind));
    out += '/';
    out += sanitize(type);
    out += '/';
    out += fileName(identity, longHash);
    return out;
}

std::string stripSymbolPrefix(std::string_view name, std::string_view symbol)
{
    if (!symbol.empty() && name.size() > symbol.size() + 1 && name.substr(0, symbol.size()) == symbol
        && name[symbol.size()] == '_')
        return std::string(name.substr(symbol.size() + 1));
    return std::string(name);
}

} // namespace sigscope::core::naming
