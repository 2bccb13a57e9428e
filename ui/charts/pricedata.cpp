#include "ui/charts/pricedata.h"

namespace sigscope::ui {

namespace {

QString describe(const core::Finding& finding)
{
    QString text = QString::fromStdString(finding.path);
    if (finding.line > 0)
        text += QLatin1Char(':') + QString::number(finding.line);
    return text + QStringLiteral(": ") + QString::fromStdString(finding.message);
}

} // namespace

PriceLoadResult loadPriceSeries(const QString& csvPath)
{
    auto parsed = core::readMarketCsv(std::filesystem::path(csvPath.toStdString()));
    PriceLoadResult result;
    for (const auto& warning : parsed.warnings)
        result.warnings << describe(warning);
    if (!parsed.ok) {
        result.error = describe(parsed.error);
        return result;
    }
    result.series = std::make_shared<const PriceSeries>(std::move(parsed.series));
    return result;
}

QString findMarketCsv(const QString& storageRoot, const QString& symbol, const QString& timeframe)
{
    const auto found = core::findMarketCsv(std::filesystem::path(storageRoot.toStdString()), symbol.toStdString(),
                                           timeframe.toStdString());
    return found ? QString::fromStdString(found->string()) : QString();
}

} // namespace sigscope::ui
