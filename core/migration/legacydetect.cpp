#include "core/migration/legacydetect.h"

#include <limits>

namespace sigscope::core::migration::detail {

namespace {

std::string describeKeys(const std::vector<std::string>& keys)
{
    std::string out;
    for (std::size_t i = 0; i < keys.size() && i < 5; ++i) {
        if (i)
            out += ", ";
        out += keys[i];
    }
    if (keys.size() > 5)
        out += ", ...";
    return out;
}

// nlohmann's token text, in which it writes control characters as "<U+000A>".
bool onlyWhiteSpace(std::string_view token)
{
    while (!token.empty()) {
        if (token.front() == ' ') {
            token.remove_prefix(1);
            continue;
        }
        if (token.starts_with("<U+0009>") || token.starts_with("<U+000A>") || token.starts_with("<U+000D>")) {
            token.remove_prefix(8);
            continue;
        }
        return false;
    }
    return true;
}

} // namespace

bool VariantDetector::number_unsigned(number_unsigned_t v)
{
    if (m_capture.active()) {
        m_capture.number(std::to_string(v));
        return afterCapture();
    }
    Scalar s;
    if (v > static_cast<number_unsigned_t>(std::numeric_limits<std::int64_t>::max())) {
        s.type = Scalar::Type::TooLarge;
        s.d = static_cast<double>(v);
    } else {
        s.type = Scalar::Type::Int;
        s.i = static_cast<std::int64_t>(v);
    }
    return scalar(s);
}

bool VariantDetector::parse_error(std::size_t position, const std::string& lastToken,
                                  const nlohmann::detail::exception& ex)
{
    // Nothing but white space up to the end: no JSON value at all (the streaming reader leaves
    // such a file to nlohmann, which calls it an unexpected end).
    m_onlyWhiteSpace = !m_started && position >= m_inputSize && onlyWhiteSpace(lastToken);
    return m_failure.fail(shortParseError(ex.what(), lastToken, position >= m_inputSize));
}

void VariantDetector::topKey(std::string_view k)
{
    m_hasComponents = m_hasComponents || k == "components";
    m_hasWorkflowId = m_hasWorkflowId || k == "workflow_id";
    if (isDigits(k))
        ++m_digitKeys;
    else if (k != "metadata" && k != "changes" && k != "ranges" && k != "performance" && m_otherKeys.size() < 6)
        m_otherKeys.emplace_back(k);
}

bool VariantDetector::tooDeep()
{
    // Where the deep value starts: the keys of the frames the detector descended into.
    std::string where;
    for (const Frame& f : m_stack) {
        std::string_view part;
        if (f.ctx == Ctx::Changes)
            part = "changes";
        else if (f.ctx != Ctx::TopArray && f.ctx != Ctx::Change && f.ctx != Ctx::ListItem)
            part = f.key;
        if (part.empty() || (f.ctx == Ctx::TopObject && f.key == "changes"))
            continue;
        if (!where.empty())
            where += '.';
        where += part;
    }
    return m_failure.fail("a value nested deeper than " + std::to_string(kMaxLegacyDepth) + " levels"
                          + (where.empty() ? std::string() : " (in " + where + ")"));
}

bool VariantDetector::startContainer(bool object)
{
    m_started = true;
    if (++m_depth > kMaxLegacyDepth)
        return tooDeep();
    if (m_skip > 0) {
        ++m_skip;
        return true;
    }
    if (m_capture.active()) {
        if (object)
            m_capture.startObject();
        else
            m_capture.startArray();
        return true;
    }
    return open(object);
}

bool VariantDetector::endContainer(char closer)
{
    --m_depth;
    if (m_skip > 0) {
        --m_skip;
        return true;
    }
    if (m_capture.active()) {
        m_capture.endContainer(closer);
        return afterCapture();
    }
    return close();
}

bool VariantDetector::afterCapture()
{
    if (!m_capture.active())
        m_sparse.captured(m_capture.take());
    return true;
}

bool VariantDetector::open(bool object)
{
    if (m_stack.empty()) {
        if (m_top != Top::None) // a second document: nlohmann reports it; never reached
            return m_failure.fail("more than one JSON document");
        m_top = object ? Top::Object : Top::Array;
        m_stack.push_back({object ? Ctx::TopObject : Ctx::TopArray, {}});
        return true;
    }
    const Frame& f = m_stack.back();
    std::optional<Ctx> next;
    Open what = Open::Skip;
    switch (f.ctx) {
    case Ctx::TopObject:
        if (f.key == "files" && !object)
            m_hasFiles = true;
        else
            what = m_sparse.topMember(f.key, object, next);
        break;
    case Ctx::TopArray:
        if (m_minimal.beginItem(object))
            next = Ctx::ListItem;
        break;
    case Ctx::ListItem: what = m_minimal.open(f.field, object); break;
    default: what = m_sparse.open(f, object, next); break;
    }
    if (next) {
        m_stack.push_back({*next, {}});
        return true;
    }
    switch (what) {
    case Open::Stop: return false;
    case Open::Capture:
        m_capture.begin();
        if (object)
            m_capture.startObject();
        else
            m_capture.startArray();
        return true;
    case Open::Skip: break;
    }
    m_skip = 1;
    return true;
}

bool VariantDetector::close()
{
    const Ctx ctx = m_stack.back().ctx;
    m_stack.pop_back();
    if (ctx == Ctx::ListItem)
        return m_minimal.finishItem();
    return m_sparse.close(ctx);
}

bool VariantDetector::scalar(const Scalar& v)
{
    if (m_skip > 0)
        return true;
    if (m_capture.active()) {
        switch (v.type) {
        case Scalar::Type::Null: m_capture.null(); break;
        case Scalar::Type::Bool: m_capture.boolean(v.b); break;
        case Scalar::Type::String: m_capture.string(*v.s); break;
        default: m_capture.number(std::to_string(v.i)); break;
        }
        return afterCapture();
    }
    if (m_stack.empty()) {
        m_top = Top::Scalar;
        return true;
    }
    const Frame& f = m_stack.back();
    switch (f.ctx) {
    case Ctx::TopObject:
        if (isDigits(f.key))
            return m_minimal.dictEntry(f.key, v);
        return true;
    case Ctx::TopArray: m_minimal.scalarItem(); return true;
    case Ctx::ListItem: return m_minimal.itemField(f.field, v);
    default: return m_sparse.scalar(f, v);
    }
}

Variant VariantDetector::sparseVariant() const
{
    return m_sparse.document.hasChanges ? m_sparse.document.variant() : Variant::Unknown;
}

ParsedSource VariantDetector::classify(const SourceFile& source)
{
    using R = ParsedSource::Result;
    switch (m_top) {
    case Top::None: return noJsonText(source, "no JSON value (only white space)");
    case Top::Scalar: return failedResult(R::Unrecognised, Variant::Unknown, "a single JSON value, no trace");
    case Top::Array:
        if (isMinimalList(m_minimal.document))
            return mapMinimal(m_minimal.document, source);
        return failedResult(R::Unrecognised, Variant::Unknown,
                            m_minimal.document.listItems == 0 ? "an empty JSON list"
                                                              : "a JSON list without bar_idx/signal items");
    case Top::Object: break;
    }
    if (m_sparse.document.hasChanges) {
        if (m_sparse.document.changeCount == 0)
            return failedResult(R::Unrecognised, sparseVariant(), "no changes in the file (nothing to migrate)");
        return mapSparse(m_sparse.document, source);
    }
    if (m_digitKeys > 0 && m_otherKeys.empty() && !m_minimal.document.entries.empty())
        return mapMinimal(m_minimal.document, source);
    if (m_hasComponents && m_hasWorkflowId)
        return failedResult(R::Skipped, Variant::L6,
                            "run metadata of a Parquet workspace (L6), not a trace (its total_bars goes to the run's traces)");
    if (m_hasFiles)
        return failedResult(R::Unrecognised, Variant::Index, "index of a storage folder (rebuilt from its data files)");
    if (m_otherKeys.empty() && m_digitKeys == 0)
        return failedResult(R::Unrecognised, Variant::Unknown, "a JSON object without changes");
    return failedResult(R::Unrecognised, Variant::Unknown,
                        "a JSON object with keys " + describeKeys(m_otherKeys) + ", no legacy trace");
}

ParsedSource VariantDetector::stopped(const SourceFile& source) const
{
    using R = ParsedSource::Result;
    if (m_onlyWhiteSpace)
        return noJsonText(source, "no JSON value (only white space)");
    if (!m_started)
        return noJsonText(source, "not JSON: " + m_failure.reason);
    return failedResult(R::Failed, sparseVariant(), m_failure.reason);
}

} // namespace sigscope::core::migration::detail
