#pragma once

#include "core/model/trace.h"
#include "core/util/progress.h"

#include <QString>
#include <QStringList>
#include <memory>
#include <vector>

namespace sigscope::ui {

// Traces delivered by StorageSession::loadTraces, in the order they were asked for.
struct LoadedTraces
{
    enum class Purpose { Lanes, Overview };
    Purpose purpose = Purpose::Lanes;
    QStringList paths; // relative to the root, one per trace
    std::vector<std::shared_ptr<const core::Trace>> traces;
    // Traces that did not load: code "load-failed", the path relative to the root, the line when
    // known and the reason.
    std::vector<core::Finding> failures;
    bool cancelled = false; // the request was superseded or cancelled: paths and traces are partial
};

// One line for people: "<path>:<line>: <message>", without the parts that are unknown.
QString findingText(const core::Finding& finding);
// The findings one a line.
QString findingsText(const std::vector<core::Finding>& findings);

} // namespace sigscope::ui
