#pragma once

// Internal to core/migration: the variant detector. One SAX pass over a JSON document: the
// detector follows the document's top-level structure and hands each part to the reader of
// the family it belongs to (legacysparse.h for metadata + changes, legacyminimal.h for
// the L5 shapes); at the end it decides the variant and lets that reader map the traces.
// Duck-typed for nlohmann::json::sax_parse and core/util/jsonstream.h.

#include "core/migration/legacyminimal.h"
#include "core/migration/legacysparse.h"
#include "core/storage/jsonsax.h"

#include <nlohmann/json.hpp>

namespace sigscope::core::migration::detail {

class VariantDetector
{
public:
    using Json = nlohmann::json;
    using number_integer_t = Json::number_integer_t;
    using number_unsigned_t = Json::number_unsigned_t;
    using number_float_t = Json::number_float_t;
    using string_t = Json::string_t;
    using binary_t = Json::binary_t;

    explicit VariantDetector(std::uint64_t inputSize)
        : m_inputSize(inputSize)
        , m_sparse(m_failure, inputSize)
        , m_minimal(m_failure)
    {
    }

    // After a complete parse: the variant's traces, or why the file is none.
    ParsedSource classify(const SourceFile& source);
    // After the parser stopped: a refused event (wrong type, missing field) or broken JSON.
    [[nodiscard]] ParsedSource stopped(const SourceFile& source) const;

    bool null() { return scalar(Scalar{}); }
    bool boolean(bool v)
    {
        Scalar s;
        s.type = Scalar::Type::Bool;
        s.b = v;
        return scalar(s);
    }
    bool number_integer(number_integer_t v)
    {
        if (m_capture.active()) {
            m_capture.number(std::to_string(v));
            return afterCapture();
        }
        Scalar s;
        s.type = Scalar::Type::Int;
        s.i = v;
        return scalar(s);
    }
    bool number_unsigned(number_unsigned_t v);
    bool number_float(number_float_t v, const string_t& text)
    {
        if (m_capture.active()) {
            m_capture.number(text);
            return afterCapture();
        }
        Scalar s;
        s.type = Scalar::Type::Float;
        s.d = v;
        return scalar(s);
    }
    bool string(string_t& v)
    {
        if (m_capture.active()) {
            m_capture.string(v);
            return afterCapture();
        }
        Scalar s;
        s.type = Scalar::Type::String;
        s.s = &v;
        return scalar(s);
    }
    bool binary(binary_t&) { return m_failure.fail("binary value"); }

    bool start_object(std::size_t) { return startContainer(true); }
    bool start_array(std::size_t) { return startContainer(false); }
    bool end_object() { return endContainer('}'); }
    bool end_array() { return endContainer(']'); }
    bool key(string_t& k) { return key_view(k); }
    // The streaming reader hands keys over as views into its buffer (no copy).
    bool key_view(std::string_view k)
    {
        if (m_skip > 0)
            return true;
        if (m_capture.active()) {
            if (!m_capture.key(k)) // strict JSON, as every reader of the library
                return m_failure.fail("duplicate key \"" + std::string(k) + "\"");
            return true;
        }
        Frame& f = m_stack.back();
        if (f.ctx == Ctx::Change || f.ctx == Ctx::ListItem)
            f.field = fieldOf(k);
        else
            f.key.assign(k);
        if (f.ctx == Ctx::TopObject)
            topKey(k);
        return true;
    }
    bool parse_error(std::size_t position, const std::string& lastToken, const nlohmann::detail::exception& ex);

private:
    enum class Top : std::uint8_t { None, Object, Array, Scalar };

    bool startContainer(bool object);
    bool endContainer(char closer);
    bool open(bool object);
    bool close();
    bool scalar(const Scalar& v);
    bool afterCapture();
    void topKey(std::string_view k);
    [[nodiscard]] Variant sparseVariant() const;

    std::uint64_t m_inputSize;  // an error at this position means the text was cut short
    Failure m_failure;
    bool m_started = false;     // a container was opened: the text is JSON, at least at its start
    bool m_onlyWhiteSpace = false;

    // Top-level facts.
    Top m_top = Top::None;
    bool m_hasFiles = false;
    bool m_hasComponents = false; // components + workflow_id: the metadata.json of a Parquet workspace
    bool m_hasWorkflowId = false;
    std::vector<std::string> m_otherKeys; // non-digit, non-legacy top-level keys (first few)
    std::size_t m_digitKeys = 0;

    SparseReader m_sparse;
    MinimalReader m_minimal;

    bool tooDeep();

    std::vector<Frame> m_stack;
    std::size_t m_depth = 0; // open objects and lists, skipped and captured ones included
    std::size_t m_skip = 0;
    core::detail::RawCapture m_capture;
};

} // namespace sigscope::core::migration::detail
