#include "ui/models/tracefilterproxy.h"

#include "core/util/naturalorder.h"
#include "ui/models/roles.h"

namespace sigscope::ui {

namespace {

QStringList toQStringList(const std::vector<std::string>& texts)
{
    QStringList list;
    list.reserve(qsizetype(texts.size()));
    for (const std::string& text : texts)
        list << QString::fromStdString(text);
    return list;
}

} // namespace

TraceFilterProxy::TraceFilterProxy(QObject* parent) : QSortFilterProxyModel(parent)
{
    setRecursiveFilteringEnabled(true);
    setSortRole(Role::Sort);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

QStringList TraceFilterProxy::tokenize(const QString& text)
{
    return toQStringList(core::query::tokenize(text.toStdString()));
}

bool TraceFilterProxy::matches(const QStringList& tokens, const QString& newlineSeparatedFields)
{
    std::vector<std::string> texts;
    texts.reserve(std::size_t(tokens.size()));
    for (const QString& token : tokens)
        texts.push_back(token.toStdString());
    return core::query::matchesAll(texts, newlineSeparatedFields.toStdString());
}

QList<QStringList> TraceFilterProxy::alternatives(const QString& text)
{
    QList<QStringList> result;
    for (const auto& tokens : core::query::Filter(text.toStdString()).alternatives())
        result << toQStringList(tokens);
    return result;
}

void TraceFilterProxy::setFilterText(const QString& text)
{
    core::query::Filter parsed(text.toStdString());
    if (parsed == m_filter)
        return;
    m_filter = std::move(parsed);
    invalidateRowsFilter();
    groupNamesChanged();
}

void TraceFilterProxy::refilter()
{
    if (m_filter.isEmpty())
        return;
    invalidateRowsFilter();
    groupNamesChanged();
}

int TraceFilterProxy::shownTraces(const QModelIndex& index) const
{
    if (index.data(Role::Level).toInt() == static_cast<int>(NodeLevel::Trace))
        return 1;
    const QModelIndex first = index.siblingAtColumn(0);
    int shown = 0;
    for (int row = 0; row < rowCount(first); ++row)
        shown += shownTraces(this->index(row, 0, first));
    return shown;
}

QVariant TraceFilterProxy::data(const QModelIndex& index, int role) const
{
    if (role == Qt::DisplayRole && index.column() == TreeColumn::Name && isFiltering()
        && index.data(Role::Level).toInt() != static_cast<int>(NodeLevel::Trace)) {
        return tr("%1 (%2 of %3)")
            .arg(index.data(Role::GroupName).toString())
            .arg(shownTraces(index))
            .arg(index.data(Role::TraceCount).toInt());
    }
    return QSortFilterProxyModel::data(index, role);
}

void TraceFilterProxy::groupNamesChanged()
{
    // The counts in the group names follow the filter; the rows themselves did not change.
    const auto changed = [this](const QModelIndex& parent) {
        if (const int rows = rowCount(parent); rows > 0)
            Q_EMIT dataChanged(index(0, TreeColumn::Name, parent), index(rows - 1, TreeColumn::Name, parent),
                               {Qt::DisplayRole});
    };
    changed({});
    for (int kind = 0; kind < rowCount(); ++kind) {
        const QModelIndex kindIndex = index(kind, 0);
        changed(kindIndex);
        // Groups of identical variants below the types.
        for (int type = 0; type < rowCount(kindIndex); ++type)
            changed(index(type, 0, kindIndex));
    }
}

bool TraceFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (m_filter.isEmpty())
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    // Groups are kept only through a matching trace below them (recursive filtering).
    if (index.data(Role::Level).toInt() != static_cast<int>(NodeLevel::Trace))
        return false;
    return m_filter.matches(index.data(Role::FilterText).toString().toStdString(),
                            index.data(Role::ComparedFilterText).toString().toStdString());
}

bool TraceFilterProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    // Signals stay above Classifiers whatever the sort column and order.
    if (left.data(Role::Level).toInt() == static_cast<int>(NodeLevel::Kind))
        return (left.row() < right.row()) == (sortOrder() == Qt::AscendingOrder);
    // Names and parameters in natural order: momentum_5 before momentum_10.
    const QVariant a = left.data(sortRole());
    const QVariant b = right.data(sortRole());
    if (a.typeId() == QMetaType::QString && b.typeId() == QMetaType::QString)
        return core::naturalLess(a.toString().toUtf8().toStdString(), b.toString().toUtf8().toStdString());
    return QSortFilterProxyModel::lessThan(left, right);
}

} // namespace sigscope::ui
