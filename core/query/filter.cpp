#include "core/query/filter.h"

#include "core/model/parameters.h"
#include "core/storage/storage.h"

#include <algorithm>
#include <charconv>
#include <optional>

namespace sigscope::core::query {

namespace {

constexpr std::string_view kWhitespace = " \t\n\v\f\r";

char lowerAscii(char c)
{
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lowerAscii(x) == lowerAscii(y); });
}

bool containsIgnoringCase(std::string_view haystack, std::string_view needle)
{
    const auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                                [](char x, char y) { return lowerAscii(x) == lowerAscii(y); });
    return it != haystack.end() || needle.empty();
}

// The whole text as a number ("14", "0.50", "-3", "+2", "1e3"), blanks around it allowed.
std::optional<double> number(std::string_view text)
{
    const auto first = text.find_first_not_of(kWhitespace);
    if (first == std::string_view::npos)
        return std::nullopt;
    text = text.substr(first, text.find_last_not_of(kWhitespace) - first + 1);
    if (text.starts_with('+'))
        text.remove_prefix(1);
    double value = 0.0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

// The "key=value" fields of a trace's parameters hold the value as displayed.
bool compare(const Term& term, std::string_view field)
{
    if (field.size() <= term.key.size() || field[term.key.size()] != '=' ||
        !equalsIgnoringCase(field.substr(0, term.key.size()), term.key))
        return false;
    const std::string_view value = field.substr(term.key.size() + 1);
    const std::optional<double> a = number(value);
    const std::optional<double> b = number(term.value);
    const bool numeric = a && b;
    switch (term.op) {
    case Op::Equal:
        return numeric ? *a == *b : equalsIgnoringCase(value, term.value);
    case Op::NotEqual:
        return numeric ? *a != *b : !equalsIgnoringCase(value, term.value);
    case Op::Less:
        return numeric && *a < *b;
    case Op::LessEqual:
        return numeric && *a <= *b;
    case Op::Greater:
        return numeric && *a > *b;
    case Op::GreaterEqual:
        return numeric && *a >= *b;
    case Op::None:
        break;
    }
    return false;
}

template <typename Fn> bool anyField(std::string_view fields, Fn&& fn)
{
    while (true) {
        const auto end = fields.find('\n');
        if (fn(fields.substr(0, end)))
            return true;
        if (end == std::string_view::npos)
            return false;
        fields.remove_prefix(end + 1);
    }
}

bool allTerms(const std::vector<Term>& terms, std::string_view fields, std::string_view compared)
{
    return std::all_of(terms.begin(), terms.end(),
                       [fields, compared](const Term& term) { return term.matches(fields, compared); });
}

} // namespace

std::string toLower(std::string_view text)
{
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(), lowerAscii);
    return result;
}

Term parseTerm(std::string_view token)
{
    Term term;
    term.text = toLower(token);
    const auto at = token.find_first_of("=<>!");
    if (at == std::string_view::npos || at == 0)
        return term;
    const std::string_view rest = token.substr(at);
    struct Spelling
    {
        std::string_view text;
        Op op;
    };
    static constexpr Spelling spellings[] = {{"==", Op::Equal},     {"!=", Op::NotEqual}, {">=", Op::GreaterEqual},
                                             {"<=", Op::LessEqual}, {"=", Op::Equal},     {">", Op::Greater},
                                             {"<", Op::Less}};
    for (const Spelling& s : spellings) {
        if (rest.starts_with(s.text) && rest.size() > s.text.size()) {
            term.op = s.op;
            term.key = toLower(token.substr(0, at));
            term.value = toLower(rest.substr(s.text.size()));
            return term;
        }
    }
    return term;
}

bool Term::matches(std::string_view fields) const
{
    return anyField(fields, [this](std::string_view field) {
        return op != Op::None ? compare(*this, field) : containsIgnoringCase(field, text);
    });
}

bool Term::matches(std::string_view fields, std::string_view comparedFields) const
{
    return matches(fields) ||
           (op != Op::None && !comparedFields.empty() &&
            anyField(comparedFields, [this](std::string_view field) { return compare(*this, field); }));
}

std::vector<std::string> tokenize(std::string_view text)
{
    std::vector<std::string> tokens;
    std::size_t at = 0;
    while ((at = text.find_first_not_of(kWhitespace, at)) != std::string_view::npos) {
        const std::size_t end = std::min(text.find_first_of(kWhitespace, at), text.size());
        tokens.push_back(toLower(text.substr(at, end - at)));
        at = end;
    }
    return tokens;
}

bool matchesAll(const std::vector<std::string>& tokens, std::string_view fields)
{
    return std::all_of(tokens.begin(), tokens.end(),
                       [fields](const std::string& token) { return parseTerm(token).matches(fields); });
}

Filter::Filter(std::string_view text)
{
    while (true) {
        const auto bar = text.find('|');
        std::vector<Term> terms;
        for (const std::string& token : tokenize(text.substr(0, bar)))
            terms.push_back(parseTerm(token));
        if (!terms.empty())
            m_alternatives.push_back(std::move(terms));
        if (bar == std::string_view::npos)
            break;
        text.remove_prefix(bar + 1);
    }
}

std::vector<std::vector<std::string>> Filter::alternatives() const
{
    std::vector<std::vector<std::string>> result;
    for (const auto& terms : m_alternatives) {
        auto& tokens = result.emplace_back();
        for (const Term& term : terms)
            tokens.push_back(term.text);
    }
    return result;
}

bool Filter::matches(std::string_view fields) const
{
    return matches(fields, {});
}

bool Filter::matches(std::string_view fields, std::string_view comparedFields) const
{
    return std::any_of(m_alternatives.begin(), m_alternatives.end(), [fields, comparedFields](const std::vector<Term>& terms) {
        return allTerms(terms, fields, comparedFields);
    });
}

bool Filter::compares(std::string_view key) const
{
    return std::any_of(m_alternatives.begin(), m_alternatives.end(), [key](const std::vector<Term>& terms) {
        return std::any_of(terms.begin(), terms.end(),
                           [key](const Term& t) { return t.op != Op::None && t.key == key; });
    });
}

bool Filter::matches(const IndexEntry& entry) const
{
    return !isEmpty() && matches(entryFields(entry));
}

bool Filter::operator==(const Filter& other) const
{
    return alternatives() == other.alternatives();
}

std::string entryFields(const IndexEntry& entry)
{
    std::string fields = entry.name + '\n' + entry.type + '\n' + std::string(kindName(entry.kind));
    const auto add = [&fields](std::string_view field) {
        fields += '\n';
        fields += field;
    };
    if (entry.symbol)
        add(*entry.symbol);
    if (entry.timeframe)
        add(*entry.timeframe);
    for (const auto& [key, value] : entry.parameters.entries()) {
        const std::string valueText = displayText(value);
        add(key);
        add(valueText);
        add(key + '=' + valueText);
    }
    return toLower(fields);
}

} // namespace sigscope::core::query
