#pragma once

#include "core/storage/storageformat.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sigscope::core {

// A configuration that cannot be used. The message names the file (when there is one), the
// key and the reason, e.g. "trading.yaml: execution.trace_settings.storage.type: unsupported
// storage type 'sqlite' (accepted: hierarchical)".
class TraceConfigError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// Settings of a Tracer, from code or from the trading system's configuration file:
//
//   execution:
//     enable_event_tracing: true
//     trace_settings:
//       storage: {type: hierarchical, base_dir: ./analytics_storage, run_id: null, format: json}
//       write_interval: 0      # checkpoint every N bars (0 = only on flush)
//       write_on_changes: 0    # checkpoint every N stored changes (0 = off)
struct TraceConfig
{
    static constexpr std::string_view kStorageType = "hierarchical";

    bool enabled = true; // from code: on; from a file: execution.enable_event_tracing (default off)
    std::filesystem::path baseDir = "./analytics_storage";
    std::optional<std::string> runId; // set: traces stay apart per run (identity field "run")
    // storage.format: json (version 1) or parquet (version 2: every write adds Parquet parts, so
    // checkpoints each add a part; newest wins). A parquet base_dir must be new or version 2.
    StorageFormat format = StorageFormat::Json;
    std::int64_t writeInterval = 0;
    std::int64_t writeOnChanges = 0;

    // Parses YAML or JSON text (JSON when it starts with '{'). sourceName prefixes messages.
    static TraceConfig fromYaml(std::string_view text, std::string_view sourceName = {});
    static TraceConfig fromJson(std::string_view text, std::string_view sourceName = {});
    static TraceConfig fromText(std::string_view text, std::string_view sourceName = {});
    // .json -> JSON, .yaml/.yml -> YAML, anything else by content. Throws TraceConfigError.
    static TraceConfig fromFile(const std::filesystem::path& file);
};

} // namespace sigscope::core
