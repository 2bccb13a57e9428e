#include "ui/models/tracefilterproxy.h"

#include "core/util/natural_order.h"
#include "ui/models/roles.h"

#include <QRegularExpression>

#include <algorithm>

namespace sigscope::ui {

TraceFilterProxy::TraceFilterProxy(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setRecursiveFilteringEnabled(true);
    setSortRole(Role::Sort);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

QStringList TraceFilterProxy::tokenize(const QString& text)
{
    static const QRegularExpression whitespace(QStringLiteral("\\s+"));
    return text.toLower().split(whitespace, Qt::SkipEmptyParts);
}

bool TraceFilterProxy::matches(const QStringList& tokens, const QString& newlineSeparatedFields)
{
    const QStringView fields(newlineSeparatedFields);
    for (const QString& token : tokens) {
        bool found = false;
        for (const QStringView field : fields.tokenize(u'\n')) {
            if (field.contains(token, Qt::CaseInsensitive)) {
                found = true;
                break;
            }
        }
        if (!found)
            return false;
    }
    return true;
}

QList<QStringList> TraceFilterProxy::alternatives(const QString& text)
{
    QList<QStringList> result;
    for (const QString& part : text.split(QLatin1Char('|'))) {
        QStringList tokens = tokenize(part);
        if (!tokens.isEmpty())
            result << tokens;
    }
    return result;
}

void TraceFilterProxy::setFilterText(const QString& text)
{
    QList<QStringList> parsed = alternatives(text);
    if (parsed == m_alternatives)
        return;
    m_alternatives = std::move(parsed);
    invalidateRowsFilter();
}

bool TraceFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (m_alternatives.isEmpty())
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    // Groups are kept only through a matching trace below them (recursive filtering).
    if (index.data(Role::Level).toInt() != static_cast<int>(NodeLevel::Trace))
        return false;
    const QString fields = index.data(Role::FilterText).toString();
    return std::any_of(m_alternatives.cbegin(), m_alternatives.cend(),
                       [&fields](const QStringList& tokens) { return matches(tokens, fields); });
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
