#pragma once

#include "core/query/filter.h"

#include <QSortFilterProxyModel>
#include <QStringList>

namespace sigscope::ui {

// The filter box over the storage tree: the grammar of core::query::Filter ("rsi 14",
// "period>=10", "a | b") applied to each trace row's Role::FilterText. Groups stay visible while
// any trace below them matches (recursive filtering); sorting uses Role::Sort so numbers sort as
// numbers, and names sort in natural order.
class TraceFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit TraceFilterProxy(QObject* parent = nullptr);

    void setFilterText(const QString& text);
    [[nodiscard]] bool isFiltering() const { return !m_filter.isEmpty(); }
    [[nodiscard]] const core::query::Filter& filter() const { return m_filter; }
    // Filters again after values only comparisons see changed (a trace's metrics arrived).
    void refilter();

    // Qt spellings of core::query::tokenize, matchesAll and Filter::alternatives.
    static QStringList tokenize(const QString& text);
    static bool matches(const QStringList& tokens, const QString& newlineSeparatedFields);
    static QList<QStringList> alternatives(const QString& text);

    // While filtering, a group's name counts what is shown of it: "Signals (40 of 200)".
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    // Traces below a proxy index that the filter lets through.
    [[nodiscard]] int shownTraces(const QModelIndex& index) const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    void groupNamesChanged();

    core::query::Filter m_filter;
};

} // namespace sigscope::ui
