#include "ui/charts/tracenames.h"

#include <QLatin1Char>

namespace sigscope::ui {

QString valueName(std::int32_t value)
{
    switch (value) {
    case -1:
        return QStringLiteral("short");
    case 0:
        return QStringLiteral("flat");
    case 1:
        return QStringLiteral("long");
    default:
        return QString::number(value);
    }
}

QString traceName(const core::Trace& trace)
{
    QString name = QString::fromStdString(trace.identity.name);
    if (trace.identity.symbol)
        name = QString::fromStdString(*trace.identity.symbol) + QLatin1Char(' ') + name;
    return name;
}

QStringList labelsOrNames(const QStringList& labels, const std::vector<std::shared_ptr<const core::Trace>>& traces)
{
    QStringList out;
    for (std::size_t i = 0; i < traces.size(); ++i) {
        const auto j = static_cast<qsizetype>(i);
        out << (j < labels.size() ? labels[j] : traceName(*traces[i]));
    }
    return out;
}

QString barsText(qint64 bars)
{
    return bars == 1 || bars == -1 ? QStringLiteral("%1 bar").arg(bars) : QStringLiteral("%1 bars").arg(bars);
}

} // namespace sigscope::ui
