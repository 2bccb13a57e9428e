#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sigscope::core {
struct IndexEntry;
}

// The filter grammar of the explorer's filter box and of `--select` on the command line, one
// rule for both. The text is split on whitespace and every token must occur (ASCII
// case-insensitively) in one of a trace's fields: name, type, kind, symbol, timeframe,
// parameter keys or values. "rsi 14" keeps RSI traces with a 14. A token with an operator
// compares a parameter: "period=14" (exactly 14; "th=0.50" equals 0.5), "period!=14",
// "fast_period>=10", "slow_period<50" (numbers only). "|" separates alternatives:
// "rsi 14 | trend" keeps what matches either side.
namespace sigscope::core::query {

enum class Op { None, Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual };

// One token of a filter. A comparison ("fast_period>=10") has a key, an operator and a value;
// a token without an operator, or with nothing on one side of it, is a plain substring token.
struct Term
{
    std::string text; // the token, lower-case
    Op op = Op::None;
    std::string key;
    std::string value;

    // True when one of the newline-separated fields satisfies this term.
    [[nodiscard]] bool matches(std::string_view newlineSeparatedFields) const;
    // The same, where a comparison may also be satisfied by one of `comparedFields` ("key=value"
    // lines that only comparisons see: a trace's metrics, so that "sharpe>1" compares its Sharpe
    // ratio while a plain "14" never matches "trades=140").
    [[nodiscard]] bool matches(std::string_view newlineSeparatedFields, std::string_view comparedFields) const;
};

Term parseTerm(std::string_view token);

// The whitespace-separated tokens of a text, lower-case.
std::vector<std::string> tokenize(std::string_view text);

// Every token must match one of the fields (lower-case, one per line, as entryFields() makes them).
bool matchesAll(const std::vector<std::string>& tokens, std::string_view newlineSeparatedFields);

// A parsed filter text: its alternatives, each a list of terms; empty alternatives are dropped.
class Filter
{
public:
    Filter() = default;
    explicit Filter(std::string_view text);

    [[nodiscard]] bool isEmpty() const { return m_alternatives.empty(); }
    // The alternatives as token lists (what the text was split into).
    [[nodiscard]] std::vector<std::vector<std::string>> alternatives() const;
    // Whether any alternative matches; an empty filter matches nothing (callers decide what no
    // filter means: the tree shows everything, `--select` selects nothing).
    [[nodiscard]] bool matches(std::string_view newlineSeparatedFields) const;
    [[nodiscard]] bool matches(const IndexEntry& entry) const;
    // With fields that only comparisons see (Term::matches): the metrics of a trace.
    [[nodiscard]] bool matches(std::string_view newlineSeparatedFields, std::string_view comparedFields) const;
    // Whether a comparison term has this key (lower-case): "sharpe>1" compares "sharpe".
    [[nodiscard]] bool compares(std::string_view key) const;

    bool operator==(const Filter& other) const;

private:
    std::vector<std::vector<Term>> m_alternatives;
};

// What the filter matches for an entry: name, type, kind, symbol, timeframe, and for every
// parameter its key, its value as displayed and "key=value", lower-case, one a line.
std::string entryFields(const IndexEntry& entry);

// ASCII lower case (names, types and parameter keys are ASCII identifiers; other bytes are kept).
std::string toLower(std::string_view text);

} // namespace sigscope::core::query
