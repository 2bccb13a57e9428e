#include "app/cli/selection.h"

#ifdef SIGSCOPE_WITH_GUI

#include "core/storage/trace_io.h"
#include "core/util/natural_order.h"
#include "ui/models/storagetreemodel.h"
#include "ui/models/tracefilterproxy.h"

#include <algorithm>
#include <set>
#include <string>

namespace sigscope::cli {

namespace {

bool filterMatches(const QList<QStringList>& alternatives, const QString& fields)
{
    return std::any_of(alternatives.cbegin(), alternatives.cend(),
                       [&fields](const QStringList& tokens) { return ui::TraceFilterProxy::matches(tokens, fields); });
}

// The tree's name for an entry, with the symbol added when the selection spans several
// (as the window labels its lanes).
void labelTraces(std::vector<SelectedTrace>& selected)
{
    std::set<std::string> symbols;
    for (const auto& s : selected)
        symbols.insert(s.entry->symbol.value_or(std::string()));
    for (auto& s : selected) {
        s.label = QString::fromStdString(s.entry->name);
        if (s.entry->variant)
            s.label += QStringLiteral(" #%1").arg(*s.entry->variant);
        if (symbols.size() > 1 && s.entry->symbol)
            s.label += QLatin1Char(' ') + QString::fromStdString(*s.entry->symbol);
    }
}

} // namespace

std::vector<SelectedTrace> selectTraces(const core::Storage& storage, const std::vector<core::TypeIndex>& indexes,
                                        const QString& select, const QString& classifiers,
                                        std::vector<core::StorageError>* loadErrors)
{
    const auto any = ui::TraceFilterProxy::alternatives(select);
    const auto regimes = ui::TraceFilterProxy::alternatives(classifiers);
    std::vector<SelectedTrace> selected;
    for (const auto& index : indexes) {
        for (const auto& entry : index.entries) {
            const QString fields = ui::StorageTreeModel::filterText(entry);
            if (filterMatches(any, fields) || (entry.kind == core::Kind::Classifier && filterMatches(regimes, fields)))
                selected.push_back({&entry, nullptr, {}});
        }
    }
    std::stable_sort(selected.begin(), selected.end(), [](const SelectedTrace& a, const SelectedTrace& b) {
        if (a.entry->kind != b.entry->kind)
            return a.entry->kind == core::Kind::Signal;
        return core::naturalLess(a.entry->filePath, b.entry->filePath);
    });
    std::vector<SelectedTrace> loaded;
    loaded.reserve(selected.size());
    for (auto& s : selected) {
        try {
            s.trace = std::make_shared<const core::Trace>(core::loadTrace(storage.absolutePath(*s.entry)));
            loaded.push_back(std::move(s));
        } catch (const core::StorageError& e) {
            if (!loadErrors)
                throw;
            loadErrors->push_back(e);
        }
    }
    selected = std::move(loaded);
    labelTraces(selected);
    return selected;
}

namespace {

std::optional<qint64> parseBar(const QString& text, bool* ok)
{
    *ok = true;
    if (text.isEmpty())
        return std::nullopt;
    const qint64 value = text.toLongLong(ok);
    *ok = *ok && value >= 0;
    return value;
}

} // namespace

QString parseBarRange(const QString& fromText, const QString& toText, std::optional<qint64>* from, std::optional<qint64>* to)
{
    bool ok = true;
    *from = parseBar(fromText, &ok);
    if (!ok)
        return QStringLiteral("--from wants a bar index (0 or more), not '%1'").arg(fromText);
    *to = parseBar(toText, &ok);
    if (!ok)
        return QStringLiteral("--to wants a bar index (0 or more), not '%1'").arg(toText);
    if (*from && *to && **to <= **from)
        return QStringLiteral("--to (%1) must be after --from (%2)").arg(**to).arg(**from);
    return {};
}

} // namespace sigscope::cli

#endif // SIGSCOPE_WITH_GUI
