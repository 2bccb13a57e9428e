#pragma once

#include "core/model/trace.h"

#include <QString>
#include <QStringList>
#include <cstdint>
#include <memory>
#include <vector>

// The words the lanes chart writes for a trace and for a signal value.
namespace sigscope::ui {

// "short" / "flat" / "long" for -1 / 0 / 1, else the number.
QString valueName(std::int32_t value);

// "1 bar", "n bars".
QString barsText(qint64 bars);

// "<symbol> <name>", or the name alone without a symbol.
QString traceName(const core::Trace& trace);

// labels[i] where given, else traceName() of trace i: one label per trace.
QStringList labelsOrNames(const QStringList& labels, const std::vector<std::shared_ptr<const core::Trace>>& traces);

} // namespace sigscope::ui
