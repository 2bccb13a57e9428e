#pragma once

#include "core/analysis/metricstable.h"

#include <string>
#include <string_view>
#include <vector>

// The metrics CSV, one row per signal trace: what `sigscope metrics --csv` and the explorer's
// File > Export Data > Metrics write, from the same rows (core/analysis/metricstable.h).
namespace sigscope::core::csv {

// A metric's CSV text: the shortest text that reads back as the same double, "inf" / "-inf",
// empty when undefined (NaN); trades and flips as whole numbers.
std::string metricNumber(std::string_view name, double value);

// file_path,kind,type,name,symbol,timeframe,run, then metrics::metricNames(), then same_as, reason.
std::vector<std::string> metricsHeader();

// The header and one line per row: the index entry's identity, the metrics (empty cells for a
// row without metrics), same_as (the file_path of the first identical row) and reason.
std::string metrics(const std::vector<metrics::Row>& rows);

// --by-regime: file_path,kind,type,name,symbol,timeframe,run, classifier (its file_path), regime,
// the metrics, reason; one line per row and regime.
std::string metricsByRegime(const std::vector<metrics::RegimeRow>& rows);

} // namespace sigscope::core::csv
