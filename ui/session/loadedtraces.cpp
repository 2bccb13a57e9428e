#include "ui/session/loadedtraces.h"

namespace sigscope::ui {

QString findingText(const core::Finding& finding)
{
    QString where = QString::fromStdString(finding.path);
    if (!where.isEmpty() && finding.line > 0)
        where += QLatin1Char(':') + QString::number(finding.line);
    const QString message = QString::fromStdString(finding.message);
    return where.isEmpty() ? message : where + QStringLiteral(": ") + message;
}

QString findingsText(const std::vector<core::Finding>& findings)
{
    QStringList lines;
    for (const auto& finding : findings)
        lines << findingText(finding);
    return lines.join(QLatin1Char('\n'));
}

} // namespace sigscope::ui
