#pragma once

#include <Qt>

// Column and role numbers of the ui models, named in one place (no magic numbers in views).
namespace sigscope::ui {

namespace TreeColumn {
enum Column : int { Name, Symbol, Timeframe, Changes, Bars, Parameters, Count };
}

namespace TransitionsColumn {
enum Column : int { Bar, Time, Value, Held, Price, Confidence, Count };
}

namespace MigrationColumn {
enum Column : int { Source, Variant, Traces, Changes, Destination, Outcome, Reason, Count };
}

// What a row of the storage tree stands for. Variants: a group of identical variants below a
// type (ui/models/variantgroups.h), whose children are traces; it charts as its first member.
enum class NodeLevel : int { Kind, Type, Trace, Variants };

// Worst integrity finding attached to a node (a trace, or rolled up for a group).
enum class Integrity : int { Ok, Info, Warning, Error };

namespace Role {
enum : int {
    Sort = Qt::UserRole + 1, // sort value, separate from the display text (numbers stay numbers)
    Level,                   // NodeLevel as int
    TraceKind,               // core::Kind as int (every level)
    FilePath,                // trace: path relative to the storage root ('/' separated); variants: the first member's
    TypeName,                // type and trace nodes: the type folder
    FilterText,              // trace: lower-case fields the filter matches against, '\n' separated
    ComparedFilterText,      // trace: "name=value" fields only the filter's comparisons see (its metrics)
    TraceCount,              // group (and variants): number of traces below; trace: 1
    IntegrityLevel,          // Integrity as int
    IntegrityText,           // one line per finding: "hash-mismatch: <reason>"
    Orphan,                  // trace: true for a data file that no index lists
    RawValue,                // transitions: value as number (signal position or regime id)
    MigrationStatus,         // migration rows: core::migration::Status as int (every column)
    GroupName,               // kind and type nodes: the name without the trace count; variants: the title
};
}

} // namespace sigscope::ui
