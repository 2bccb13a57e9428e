#pragma once

// Parameters of a grid-named L6 trace, recovered from the upstream YAML config that named it
// (legacy-formats.md L6 "Parameter names of a grid name"; docs/format.md "L6"). The upstream
// topology names every combination of a `strategies:` / `classifiers:` entry
// `{type, name, params}` `<name>_<v1>_…_<vn>` (the list-valued params in YAML key order); this
// generates the same names and maps each to its parameter set. A config is used for a workspace
// only when it generates every grid name of that workspace.

#include "core/model/identity.h"
#include "core/model/parameters.h"
#include "core/util/progress.h"

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sigscope::core::migration {

// A config that cannot be read: "<file>: line 12: strategies[3].params.rsi_period: a list inside a list".
class GridConfigError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// A scalar as Python's str() writes it after PyYAML read it: 7, 1.0, 0.0005, -100, 1e-05, True, None.
std::string pythonStr(const ParamValue& value);
// The token of a value in a grid name: strategies str(v), classifiers str(v) without its dots.
std::string gridToken(Kind kind, const ParamValue& value);

// Every name one config generates, per kind, with its parameters (list params take the
// combination's value, scalar params their value). A name two combinations generate with other
// parameters (a classifier's 0.10 and 1.0 both give "01") is ambiguous: nullopt.
struct GridConfig
{
    std::string file; // for messages
    std::map<std::string, std::optional<Parameters>> strategyNames;
    std::map<std::string, std::optional<Parameters>> classifierNames;

    [[nodiscard]] const std::map<std::string, std::optional<Parameters>>& names(Kind kind) const
    {
        return kind == Kind::Classifier ? classifierNames : strategyNames;
    }
    [[nodiscard]] std::size_t size() const { return strategyNames.size() + classifierNames.size(); }
};

// Parses the YAML text of an upstream config (sourceName prefixes messages). Throws GridConfigError.
GridConfig gridConfigFromYaml(std::string_view text, std::string_view sourceName);
GridConfig readGridConfig(const std::filesystem::path& file);

// A trace of a workspace whose type folder is a grid (`<…>_grid`, or `grid`): its name was made
// by the topology from a config entry, so a config can give its parameters.
bool isGridType(std::string_view type);

// The configs' parameters for the grid-named traces of L6 workspaces. A workspace takes the
// configs that generate every grid name in it; when several do they must agree on every one.
class GridParameters
{
public:
    GridParameters() = default;
    // `traceFiles`: paths of L6 trace files (others are ignored), grouped here by workspace.
    GridParameters(std::vector<GridConfig> configs, const std::vector<std::filesystem::path>& traceFiles);

    [[nodiscard]] bool empty() const { return m_byWorkspace.empty() && m_findings.empty(); }
    // The parameters of a trace of an accepted workspace, else nullptr (keep {}).
    [[nodiscard]] const Parameters* find(const std::filesystem::path& workspace, Kind kind, const std::string& name) const;
    // Sets identity.parameters of a trace file's identity when its workspace was accepted.
    void apply(const std::filesystem::path& traceFile, TraceIdentity& identity) const;
    // One per workspace: "grid-parameters" (info: which config) or "grid-parameters-missing"
    // (warning: "<config> does not generate rsi_grid_7_20_75 (…): parameters kept {}").
    [[nodiscard]] const std::vector<Finding>& findings() const { return m_findings; }

private:
    std::vector<GridConfig> m_configs;
    std::map<std::string, std::size_t> m_byWorkspace; // workspace folder (generic, lexically normal) -> config
    std::vector<Finding> m_findings;
};

} // namespace sigscope::core::migration
