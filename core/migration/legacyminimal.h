#pragma once

// Internal to core/migration: the reader of L5, the minimal shapes without names:
// {"123": 1} (bar index -> value) and [{"bar_idx": 123, "signal": 1}, ...].

#include "core/migration/legacycommon.h"

namespace sigscope::core::migration::detail {

// One entry of a dictionary or list before sorting by bar.
struct MinimalEntry
{
    std::int64_t idx = 0;
    bool text = false;
    std::int64_t value = 0;
    std::string valueText;
    std::string ts;
    double px = 0.0;
};

struct MinimalDocument
{
    std::vector<MinimalEntry> entries;
    std::size_t listItems = 0;           // items of a top-level list
    std::size_t listItemsWithoutBar = 0; // of them: neither bar_idx nor signal
};

// Receives the digit-keyed members of a top-level object and the items of a top-level list.
class MinimalReader
{
public:
    explicit MinimalReader(Failure& failure)
        : m_failure(failure)
    {
    }

    MinimalDocument document;

    // An item of the top-level list starts; true when it is an object to descend into.
    bool beginItem(bool object);
    void scalarItem();
    // A container opens inside an item.
    Open open(Field field, bool object);
    bool itemField(Field field, const Scalar& v);
    bool finishItem();
    bool dictEntry(const std::string& key, const Scalar& v);

private:
    bool failItem(std::string_view what);

    Failure& m_failure;
    MinimalEntry m_item;
    bool m_itemHasBar = false;
    bool m_itemHasSignal = false;
};

// A top-level list is L5 when it has items and each has bar_idx and signal.
[[nodiscard]] inline bool isMinimalList(const MinimalDocument& doc)
{
    return doc.listItems > 0 && doc.listItemsWithoutBar == 0;
}

ParsedSource mapMinimal(MinimalDocument& doc, const SourceFile& source);

} // namespace sigscope::core::migration::detail
