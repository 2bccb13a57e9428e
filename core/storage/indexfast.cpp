#include "core/storage/indexio.h"

// The fast path of parseIndex: simdjson On-Demand straight into IndexEntry values. It takes
// only what an index written by this library (or upstream) holds: the known keys with the
// types they have there, flat parameters. Anything else (damage, unknown keys, nested
// parameter values, integers beyond 64 bits) makes it give up, and parseIndex reads the text
// again with the SAX reader, which is strict about every byte and names line and column.

#include <simdjson.h>

#include <string_view>
#include <unordered_map>
#include <variant>

namespace sigscope::core::detail {

namespace {

namespace od = simdjson::ondemand;

// Nothing after the top-level value (On-Demand stops reading at its end).
bool atEnd(od::document& doc)
{
    const char* rest = nullptr;
    return doc.current_location().get(rest) == simdjson::OUT_OF_BOUNDS;
}

bool readText(od::value& v, std::string& out)
{
    od::json_type t{};
    if (v.type().get(t))
        return false;
    if (t == od::json_type::null)
        return !v.is_null().error(); // left as it was, as the SAX reader does
    std::string_view s;
    if (t != od::json_type::string || v.get_string().get(s))
        return false;
    out.assign(s);
    return true;
}

bool readOptionalText(od::value& v, std::optional<std::string>& out)
{
    od::json_type t{};
    if (v.type().get(t))
        return false;
    if (t == od::json_type::null) {
        out.reset();
        return !v.is_null().error();
    }
    std::string_view s;
    if (t != od::json_type::string || v.get_string().get(s))
        return false;
    out.emplace(s);
    return true;
}

// A number as a 64-bit integer or a double; unsigned integers beyond int64 are the SAX reader's.
bool readNumber(od::value& v, std::variant<std::int64_t, double>& out)
{
    od::number_type n{};
    if (v.get_number_type().get(n))
        return false;
    if (n == od::number_type::signed_integer) {
        std::int64_t i = 0;
        if (v.get_int64().get(i))
            return false;
        out = i;
        return true;
    }
    double d = 0.0;
    if (n != od::number_type::floating_point_number || v.get_double().get(d))
        return false;
    out = d;
    return true;
}

// Integers as the SAX reader takes them: null leaves the value, floats in range are truncated;
// anything else is for the SAX reader to report.
bool readInt(od::value& v, std::optional<std::int64_t>& out, bool nullResets)
{
    od::json_type t{};
    if (v.type().get(t))
        return false;
    if (t == od::json_type::null) {
        if (nullResets)
            out.reset();
        return !v.is_null().error();
    }
    std::variant<std::int64_t, double> number;
    if (t != od::json_type::number || !readNumber(v, number))
        return false;
    if (const auto* i = std::get_if<std::int64_t>(&number)) {
        out = *i;
        return true;
    }
    const double d = std::get<double>(number);
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
        return false;
    out = static_cast<std::int64_t>(d);
    return true;
}

bool readInt(od::value& v, std::int64_t& out)
{
    std::optional<std::int64_t> value = out;
    if (!readInt(v, value, false))
        return false;
    out = value.value_or(out);
    return true;
}

// One flat parameter value; nested ones (RawJson) and big integers go to the SAX reader.
bool readParam(od::value& v, ParamValue& out)
{
    od::json_type t{};
    if (v.type().get(t))
        return false;
    switch (t) {
    case od::json_type::null: out = nullptr; return !v.is_null().error();
    case od::json_type::boolean: {
        bool b = false;
        if (v.get_bool().get(b))
            return false;
        out = b;
        return true;
    }
    case od::json_type::string: {
        std::string_view s;
        if (v.get_string().get(s))
            return false;
        out = std::string(s);
        return true;
    }
    case od::json_type::number: {
        std::variant<std::int64_t, double> number;
        if (!readNumber(v, number))
            return false;
        std::visit([&out](auto n) { out = n; }, number);
        return true;
    }
    default: return false;
    }
}

// Parameter sets repeat across entries (one set per strategy run, many runs): each distinct set,
// by its text, is parsed once and copied from then on.
class ParameterSets
{
public:
    bool read(od::value& v, Parameters& out)
    {
        od::json_type t{};
        if (v.type().get(t))
            return false;
        if (t == od::json_type::null)
            return !v.is_null().error();
        od::object object;
        std::string_view raw;
        if (t != od::json_type::object || v.get_object().get(object) || object.raw_json().get(raw))
            return false;
        if (const auto it = m_sets.find(raw); it != m_sets.end()) {
            out = it->second;
            return true;
        }
        // raw_json() consumed the object: read it again from its own text.
        simdjson::padded_string text(raw);
        od::document doc;
        od::object again;
        if (m_parser.iterate(text).get(doc) || doc.get_object().get(again))
            return false;
        Parameters params;
        for (auto field : again) {
            std::string_view key;
            od::value value;
            ParamValue param;
            if (field.unescaped_key().get(key) || field.value().get(value) || !readParam(value, param))
                return false;
            params.set(std::string(key), std::move(param));
        }
        if (!atEnd(doc))
            return false;
        m_sets.emplace(raw, params);
        out = std::move(params);
        return true;
    }

private:
    od::parser m_parser;
    std::unordered_map<std::string_view, Parameters> m_sets; // views into the index text
};

bool readField(std::string_view key, od::value& v, IndexEntry& e, Kind kind, ParameterSets& sets)
{
    if (key == "type")
        return readText(v, e.type);
    if (key == "name")
        return readText(v, e.name);
    if (key == "parameters")
        return sets.read(v, e.parameters);
    if (key == "symbol")
        return readOptionalText(v, e.symbol);
    if (key == "timeframe")
        return readOptionalText(v, e.timeframe);
    if (key == "run")
        return readOptionalText(v, e.run);
    if (key == "variant")
        return readInt(v, e.variant, true);
    if (key == "total_items")
        return readInt(v, e.totalItems);
    if (key == "total_bars")
        return readInt(v, e.totalBars);
    if (key == "compression_ratio") {
        double d = 0.0;
        if (v.get_double().get(d))
            return false;
        e.compressionRatio = d;
        return true;
    }
    if (key == "first_idx")
        return readInt(v, e.firstIdx, true);
    if (key == "last_idx")
        return readInt(v, e.lastIdx, true);
    if (key == "first_ts")
        return readText(v, e.firstTs);
    if (key == "last_ts")
        return readText(v, e.lastTs);
    if (key == "created_at")
        return readText(v, e.createdAt);
    if (key == "file_hash")
        return readText(v, e.fileHash);
    if (key == "changes_hash")
        return readText(v, e.changesHash);
    if (key == "file_path")
        return readText(v, e.filePath);
    if (key == "kind") {
        std::string_view s;
        if (v.get_string().get(s))
            return false;
        const auto named = kindFromName(s);
        return !named || *named == kind; // the wrong folder is the SAX reader's error to report
    }
    return false;
}

bool readEntries(od::value& files, Kind kind, TypeIndex& out, ParameterSets& sets)
{
    od::array array;
    if (files.get_array().get(array))
        return false;
    // Counted first (a walk over stage 1's structural indexes, no values decoded) so that the
    // entries are allocated once: growing by doubling held up to twice the entries at the end.
    std::size_t count = 0;
    if (array.count_elements().get(count))
        return false;
    out.entries.reserve(count);
    for (auto item : array) {
        od::object object;
        if (item.get_object().get(object))
            return false;
        IndexEntry& e = out.entries.emplace_back();
        e.kind = kind;
        for (auto field : object) {
            std::string_view key;
            od::value value;
            if (field.unescaped_key().get(key) || field.value().get(value) || !readField(key, value, e, kind, sets))
                return false;
        }
        if (e.filePath.empty())
            return false;
        e.storedFilePath = e.filePath;
    }
    return true;
}

} // namespace

bool parseIndexFast(std::string_view text, Kind kind, TypeIndex& out)
{
    // A parser of its own: its buffers are sized by the document (about five times the index
    // text) and go with it, instead of staying with a pool thread for the life of the process.
    od::parser parser;
    const simdjson::padded_string padded(text);
    od::document doc;
    od::object root;
    if (parser.iterate(padded).get(doc) || doc.get_object().get(root))
        return false;
    TypeIndex index;
    index.kind = kind;
    ParameterSets sets;
    for (auto field : root) {
        std::string_view key;
        od::value value;
        if (field.unescaped_key().get(key) || field.value().get(value))
            return false;
        if (key == "files") {
            if (!readEntries(value, kind, index, sets))
                return false;
        } else if (key == "type" || key == "updated_at") {
            std::string_view s;
            if (value.get_string().get(s))
                return false;
            (key == "type" ? index.type : index.updatedAt).assign(s);
        } else if (key == "format_version") {
            std::int64_t v = 0;
            if (value.get_int64().get(v))
                return false;
        } else {
            return false;
        }
    }
    if (!atEnd(doc))
        return false;
    out = std::move(index);
    return true;
}

} // namespace sigscope::core::detail
