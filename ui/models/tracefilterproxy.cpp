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

namespace {

enum class Op { None, Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual };

// "fast_period>=10" -> key "fast_period", Op::GreaterEqual, value "10". A token without an
// operator, or with nothing on one side of it, is a plain substring token.
struct Comparison
{
    QStringView key;
    Op op = Op::None;
    QStringView value;
};

Comparison parseComparison(QStringView token)
{
    Comparison c;
    qsizetype at = -1;
    for (qsizetype i = 0; i < token.size(); ++i) {
        const QChar ch = token[i];
        if (ch == u'=' || ch == u'<' || ch == u'>' || ch == u'!') {
            at = i;
            break;
        }
    }
    if (at <= 0)
        return c;
    const QStringView rest = token.mid(at);
    struct Spelling
    {
        const char16_t* text;
        qsizetype length;
        Op op;
    };
    static constexpr Spelling spellings[] = {{u"==", 2, Op::Equal},     {u"!=", 2, Op::NotEqual},
                                             {u">=", 2, Op::GreaterEqual}, {u"<=", 2, Op::LessEqual},
                                             {u"=", 1, Op::Equal},      {u">", 1, Op::Greater},
                                             {u"<", 1, Op::Less}};
    for (const Spelling& s : spellings) {
        if (rest.startsWith(QStringView(s.text, s.length)) && rest.size() > s.length) {
            c.key = token.left(at);
            c.op = s.op;
            c.value = rest.mid(s.length);
            return c;
        }
    }
    return c;
}

// The "key=value" fields of a trace's parameters hold the value as displayed.
bool compare(const Comparison& c, QStringView field)
{
    if (field.size() <= c.key.size() || field[c.key.size()] != u'=' || !field.startsWith(c.key, Qt::CaseInsensitive))
        return false;
    const QStringView value = field.mid(c.key.size() + 1);
    bool fieldNumeric = false;
    bool tokenNumeric = false;
    const double a = value.toDouble(&fieldNumeric);
    const double b = c.value.toDouble(&tokenNumeric);
    const bool numeric = fieldNumeric && tokenNumeric;
    switch (c.op) {
    case Op::Equal: return numeric ? a == b : value.compare(c.value, Qt::CaseInsensitive) == 0;
    case Op::NotEqual: return numeric ? a != b : value.compare(c.value, Qt::CaseInsensitive) != 0;
    case Op::Less: return numeric && a < b;
    case Op::LessEqual: return numeric && a <= b;
    case Op::Greater: return numeric && a > b;
    case Op::GreaterEqual: return numeric && a >= b;
    case Op::None: break;
    }
    return false;
}

} // namespace

bool TraceFilterProxy::matches(const QStringList& tokens, const QString& newlineSeparatedFields)
{
    const QStringView fields(newlineSeparatedFields);
    for (const QString& token : tokens) {
        const Comparison comparison = parseComparison(token);
        bool found = false;
        for (const QStringView field : fields.tokenize(u'\n')) {
            if (comparison.op != Op::None ? compare(comparison, field) : field.contains(token, Qt::CaseInsensitive)) {
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
