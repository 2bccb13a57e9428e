#include "core/util/progress.h"

namespace sigscope::core {

std::string_view severityName(Finding::Severity severity)
{
    switch (severity) {
    case Finding::Severity::Info: return "info";
    case Finding::Severity::Warning: return "warning";
    case Finding::Severity::Error: return "error";
    }
    return "error";
}

} // namespace sigscope::core
