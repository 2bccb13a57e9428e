#include "core/migration/legacyminimal.h"

#include "core/storage/naming.h"

#include <algorithm>
#include <limits>

namespace sigscope::core::migration::detail {

bool MinimalReader::beginItem(bool object)
{
    ++document.listItems;
    if (!object) {
        ++document.listItemsWithoutBar;
        return false;
    }
    m_item = MinimalEntry{};
    m_itemHasBar = m_itemHasSignal = false;
    return true;
}

void MinimalReader::scalarItem()
{
    ++document.listItems;
    ++document.listItemsWithoutBar;
}

Open MinimalReader::open(Field field, bool object)
{
    if (field == Field::BarIdx || field == Field::Signal) {
        failItem(fieldName(field) + (object ? " is an object" : " is a list"));
        return Open::Stop;
    }
    return Open::Skip;
}

bool MinimalReader::failItem(std::string_view what)
{
    return m_failure.fail("item " + std::to_string(document.listItems) + ": " + std::string(what));
}

bool MinimalReader::itemField(Field field, const Scalar& v)
{
    MinimalEntry& e = m_item;
    switch (field) {
    case Field::BarIdx:
        if (v.type != Scalar::Type::Int)
            return failItem("bar_idx " + std::string(typeWords(v)));
        if (v.i < 0)
            return failItem("bar_idx is negative");
        e.idx = v.i;
        m_itemHasBar = true;
        return true;
    case Field::Signal:
        if (v.type == Scalar::Type::String) {
            e.text = true;
            e.valueText = *v.s;
        } else if (auto n = v.integer(); n && *n >= std::numeric_limits<std::int32_t>::min()
                   && *n <= std::numeric_limits<std::int32_t>::max()) {
            e.value = *n;
        } else {
            return failItem("signal " + std::string(typeWords(v)));
        }
        m_itemHasSignal = true;
        return true;
    case Field::Timestamp:
        if (v.type == Scalar::Type::String)
            e.ts = *v.s;
        else if (v.type != Scalar::Type::Null)
            return failItem("timestamp " + std::string(typeWords(v)));
        return true;
    case Field::Price:
        if (v.isNumber())
            e.px = v.number();
        else if (v.type != Scalar::Type::Null)
            return failItem("price " + std::string(typeWords(v)));
        return true;
    default: return true;
    }
}

bool MinimalReader::finishItem()
{
    if (!m_itemHasBar && !m_itemHasSignal) {
        ++document.listItemsWithoutBar;
        return true;
    }
    if (!m_itemHasBar)
        return failItem("bar_idx is missing");
    if (!m_itemHasSignal)
        return failItem("signal is missing");
    document.entries.push_back(std::move(m_item));
    return true;
}

bool MinimalReader::dictEntry(const std::string& key, const Scalar& v)
{
    MinimalEntry e;
    if (key.size() > 18)
        return m_failure.fail("key " + key.substr(0, 20) + ": bar index is too large");
    e.idx = std::stoll(key);
    if (v.type == Scalar::Type::String) {
        e.text = true;
        e.valueText = *v.s;
    } else if (auto n = v.integer(); n && *n >= std::numeric_limits<std::int32_t>::min()
               && *n <= std::numeric_limits<std::int32_t>::max()) {
        e.value = *n;
    } else {
        return m_failure.fail("key " + key + ": value " + std::string(typeWords(v)));
    }
    document.entries.push_back(std::move(e));
    return true;
}

ParsedSource mapMinimal(MinimalDocument& doc, const SourceFile& source)
{
    ParsedSource out;
    out.variant = Variant::L5;
    out.changes = doc.entries.size();
    std::stable_sort(doc.entries.begin(), doc.entries.end(), [](const MinimalEntry& a, const MinimalEntry& b) { return a.idx < b.idx; });
    const bool classifier = std::any_of(doc.entries.begin(), doc.entries.end(), [](const MinimalEntry& e) { return e.text; });
    Trace trace;
    trace.identity.kind = classifier ? Kind::Classifier : Kind::Signal;
    trace.identity.name = source.path.stem().string();
    trace.identity.run = runFor(runInfo(source.path), std::nullopt, source);
    trace.reserve(doc.entries.size());
    ChangeDigest digest;
    std::uint64_t repeats = 0;
    std::string problem;
    for (const MinimalEntry& e : doc.entries) {
        const std::string text = e.text ? e.valueText : std::to_string(e.value);
        const std::size_t n = trace.size();
        // Sorted by bar: only the price and the regime name can break verify's rules.
        if (problem.empty()) {
            if (auto p = changeProblem(e.idx, std::nullopt, e.px, classifier, text, 1.0); !p.empty())
                problem = "bar " + std::to_string(e.idx) + ": " + p;
        }
        if (n > 0 && (classifier ? trace.regimeName(n - 1) == text : trace.value(n - 1) == e.value)) {
            ++repeats;
            continue;
        }
        if (classifier)
            trace.appendRegime(e.idx, e.ts, text, 1.0, e.px);
        else
            trace.appendSignal(e.idx, e.ts, static_cast<std::int32_t>(e.value), e.px);
        digest.add(e.idx, text, e.ts, e.px, 1.0);
    }
    out.repeatsDropped.push_back(repeats);
    out.invalid.push_back(std::move(problem));
    out.digests.push_back(digest.value());
    trace.type = naming::typeFor(trace.identity.kind, trace.identity.name);
    finishTrace(trace, 0, source, {});
    out.traces.push_back(std::move(trace));
    return out;
}

} // namespace sigscope::core::migration::detail
