#pragma once

#include <QSortFilterProxyModel>
#include <QStringList>

namespace sigscope::ui {

// Filter box semantics for the storage tree: the text is split on whitespace and every token
// must occur (case-insensitively) in one of a trace's fields: name, type, kind, symbol,
// timeframe, parameter keys or values. "rsi 14" keeps RSI traces with a 14. A token with an
// operator compares a parameter: "period=14" (exactly 14; "th=0.50" equals 0.5), "period!=14",
// "fast_period>=10", "slow_period<50" (numbers only).
// "|" separates alternatives: "rsi 14 | trend" keeps what matches either side. Groups stay
// visible while any trace below them matches (recursive filtering); sorting uses Role::Sort
// so numbers sort as numbers.
class TraceFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit TraceFilterProxy(QObject* parent = nullptr);

    void setFilterText(const QString& text);
    [[nodiscard]] bool isFiltering() const { return !m_alternatives.isEmpty(); }

    // Pure token logic, shared with tests and `sigscope export`: every token is a substring of one
    // of the fields, or a comparison that one "key=value" field satisfies.
    static QStringList tokenize(const QString& text);
    static bool matches(const QStringList& tokens, const QString& newlineSeparatedFields);
    // The alternatives of a filter text, each a token list; empty ones dropped.
    static QList<QStringList> alternatives(const QString& text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    QList<QStringList> m_alternatives;
};

} // namespace sigscope::ui
