#pragma once

// Parquet workspaces of the Python system (legacy-formats.md L6; docs/format.md "L6"), read in
// place and never written: a workspace folder (`<workflow>_<hash8>/` with `traces/`), a folder of
// such workspaces (or one holding `workspaces/`), or one workspace's `traces/` folder. Every trace
// is `traces/<SYM>_<TF>/{signals,classifiers}/<type>/<stem>.parquet`. Listing reads no rows: the
// folder walk names the traces, the Parquet footers give counts and ranges (one DuckDB
// parquet_metadata query), the run's metadata.json its total_bars. Rows load per trace.

#include "core/model/trace.h"
#include "core/storage/storage.h"
#include "core/util/progress.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace sigscope::core {

enum class WorkspaceShape : std::uint8_t { None, Workspace, FolderOfWorkspaces, TracesFolder };

// One workspace under the opened root.
struct WorkspaceRun
{
    std::string run;                  // the workspace folder's name
    std::filesystem::path folder;     // the workspace folder (may be the root's parent for a traces/ root)
    std::filesystem::path traces;     // its traces/ folder
    std::string tracesRelative;       // traces/ relative to the root, '/' separated ("" when it is the root)
};

struct WorkspaceLayout
{
    WorkspaceShape shape = WorkspaceShape::None;
    std::vector<WorkspaceRun> runs; // sorted by run
};

// What `root` is, from its folders alone (no file is opened). A folder with storage.json or a
// signals/ or classifiers/ folder is a storage, never a workspace.
WorkspaceLayout detectWorkspaces(const std::filesystem::path& root);

// The reason every writing action gives for such a folder (StorageError puts the path before it):
// "a Parquet workspace of the Python system (L6), read-only; migrate it with sigscope migrate"
std::string workspaceReadOnlyReason();

// Every trace of the layout as index entries, grouped by kind and
// type; traces of different runs share a type's index and differ by run (file paths relative to
// the root the layout was detected for). Files that are not
// traces (a .parquet without the trace columns, a damaged one, a file at another depth) are left
// out with a finding.
struct WorkspaceListing
{
    std::vector<TypeIndex> indexes; // signals then classifiers, each by type; entries by filePath
    std::vector<Finding> findings;
    std::size_t traces = 0;
};
WorkspaceListing listWorkspace(const WorkspaceLayout& layout, const ProgressCallback& progress = {});

// The identity parts a trace file's path gives (`.../<ws>/traces/<SYM>_<TF>/<kind>/<type>/<stem>.parquet`);
// throws StorageError when the path has another shape.
struct WorkspaceTracePath
{
    Kind kind = Kind::Signal;
    std::string type;
    std::string name; // the stem without its leading "<SYM>_"
    std::string symbol;
    std::string timeframe;
    std::string run;
    std::filesystem::path workspace; // the workspace folder

    // kind, name, symbol, timeframe, run; parameters {} (legacy-formats.md L6 "Identity").
    [[nodiscard]] TraceIdentity identity() const;
};
WorkspaceTracePath workspaceTracePath(const std::filesystem::path& file);

// Loads one trace file's rows (idx, ts, val, px) through DuckDB: bar = idx as written, the time
// text as written, total_bars from the run's metadata.json (else the last idx). Throws
// StorageError naming the file and the reason.
Trace loadWorkspaceTrace(const std::filesystem::path& file);

// The run's total_bars from <workspace>/metadata.json, or 0 when absent or unreadable.
std::int64_t workspaceTotalBars(const std::filesystem::path& workspace);

} // namespace sigscope::core
