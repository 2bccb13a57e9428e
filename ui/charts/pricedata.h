#pragma once

#include "core/market/priceseries.h"

#include <QString>
#include <QStringList>

#include <memory>

// Qt face of the market data: the chart takes an immutable PriceSeries snapshot. Loading reads
// the disk, so call it from a background job, never from the GUI thread.
namespace sigscope::ui {

using PriceSeries = core::PriceSeries;

struct PriceLoadResult
{
    std::shared_ptr<const PriceSeries> series; // null on failure
    QString error;                             // "<file>:<line>: <reason>" when series is null
    QStringList warnings;
};

PriceLoadResult loadPriceSeries(const QString& csvPath);

// <storageRoot>/market/<SYMBOL>_<tf>.csv, or an empty string when that file does not exist.
QString findMarketCsv(const QString& storageRoot, const QString& symbol, const QString& timeframe);

} // namespace sigscope::ui
