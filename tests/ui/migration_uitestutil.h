#pragma once

// Helpers of the migration table tests: string lists under QT_NO_CAST_FROM_ASCII, and a
// column of a model read out as text.
#include <QAbstractItemModel>
#include <QStringList>

#include <initializer_list>

namespace sigscope::test::migration {

inline QStringList strings(std::initializer_list<const char*> texts)
{
    QStringList out;
    for (const char* text : texts)
        out << QString::fromUtf8(text);
    return out;
}

inline QStringList column(const QAbstractItemModel& model, int column, int role = Qt::DisplayRole)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.index(row, column).data(role).toString();
    return out;
}

} // namespace sigscope::test::migration
