#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace sigscope::core {

// A nested JSON array or object, held as its canonical text (see canonicalJson()).
struct RawJson
{
    std::string text;
    bool operator==(const RawJson&) const = default;
};

// One parameter value. Integers and floats stay distinct: 10 and 10.0 are different
// parameters (storage-format.md §2).
using ParamValue = std::variant<std::nullptr_t, bool, std::int64_t, double, std::string, RawJson>;

// Canonical JSON text of a value: shortest round-trip floats ("2.0", "1e-05"), strings with
// only the escapes JSON requires.
std::string canonicalText(const ParamValue& value);
// Text for people: strings without quotes, everything else as canonicalText().
std::string displayText(const ParamValue& value);

// Strategy or classifier parameters, kept sorted by key (byte order) so that the canonical
// form and equality never depend on insertion order.
class Parameters
{
public:
    using Entry = std::pair<std::string, ParamValue>;

    Parameters() = default;
    Parameters(std::initializer_list<Entry> entries);

    void set(std::string key, ParamValue value);
    [[nodiscard]] const ParamValue* find(std::string_view key) const;
    [[nodiscard]] const std::vector<Entry>& entries() const { return m_entries; }
    [[nodiscard]] bool empty() const { return m_entries.empty(); }
    [[nodiscard]] std::size_t size() const { return m_entries.size(); }

    // {"a":1,"b":2.5}: sorted keys, no whitespace.
    [[nodiscard]] std::string canonicalJson() const;
    // Parses a JSON object; nested arrays/objects become RawJson. Throws std::invalid_argument
    // with a one-line reason when the text is not a JSON object.
    static Parameters fromJson(std::string_view jsonObjectText);

    bool operator==(const Parameters&) const = default;

private:
    std::vector<Entry> m_entries;
};

} // namespace sigscope::core
