#include "core/storage/traceio.h"

// The metadata object of a data file field by field, as written (what verify checks beyond a
// Trace); the trace readers are in traceio.cpp, the writer in tracewrite.cpp.

#include "core/util/jsonlimits.h"

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>

namespace sigscope::core {

namespace {

using nlohmann::json;

// Depth 1: the file's object, depth 2: metadata's values; deeper values only mark their type.
class MetadataSax
{
public:
    MetadataFacts facts;

    bool null() { return scalar(MetadataField::Type::Null, {}, 0.0); }
    bool boolean(bool v) { return scalar(MetadataField::Type::Bool, v ? "true" : "false", 0.0); }
    bool number_integer(json::number_integer_t v)
    {
        return scalar(MetadataField::Type::Integer, std::to_string(v), static_cast<double>(v));
    }
    bool number_unsigned(json::number_unsigned_t v)
    {
        const bool big = v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
        return scalar(big ? MetadataField::Type::BigInteger : MetadataField::Type::Integer, std::to_string(v),
                      static_cast<double>(v));
    }
    bool number_float(json::number_float_t v, const json::string_t& text)
    {
        return scalar(MetadataField::Type::Float, text, v);
    }
    bool string(json::string_t& v) { return scalar(MetadataField::Type::String, v, 0.0); }
    bool binary(json::binary_t&) { return false; }
    bool key(json::string_t& k)
    {
        if (m_depth == 1)
            m_inMetadata = k == "metadata";
        else if (m_depth == 2 && m_inMetadata)
            m_key = k;
        return true;
    }
    bool start_object(std::size_t) { return start(MetadataField::Type::Object); }
    bool start_array(std::size_t) { return start(MetadataField::Type::Array); }
    bool end_object() { return end(); }
    bool end_array() { return end(); }
    template<class Exception>
    bool parse_error(std::size_t, const std::string&, const Exception&)
    {
        return false;
    }

private:
    bool scalar(MetadataField::Type type, std::string_view text, double number)
    {
        if (m_depth == 2 && m_inMetadata)
            facts.fields.push_back({m_key, type, std::string(text), number});
        return true;
    }
    bool start(MetadataField::Type type)
    {
        if (m_depth == 2 && m_inMetadata)
            facts.fields.push_back({m_key, type, {}, 0.0});
        return ++m_depth <= kMaxJsonDepth;
    }
    bool end()
    {
        --m_depth;
        return !(m_depth == 1 && m_inMetadata); // metadata read: stop
    }

    std::size_t m_depth = 0;
    bool m_inMetadata = false;
    std::string m_key;
};

} // namespace

const MetadataField* MetadataFacts::find(std::string_view key) const
{
    for (const auto& f : fields)
        if (f.key == key)
            return &f;
    return nullptr;
}

MetadataFacts readMetadataFacts(std::string_view text)
{
    MetadataSax sax;
    json::sax_parse(text.data(), text.data() + text.size(), &sax);
    return std::move(sax.facts);
}

} // namespace sigscope::core
