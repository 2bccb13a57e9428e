#include "core/migration/gridnames.h"

#include "core/storage/workspace.h"
#include "core/util/canonical.h"
#include "core/util/inputfile.h"
#include "core/util/yamltext.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <variant>

namespace sigscope::core::migration {

namespace {

namespace fs = std::filesystem;

std::string stripUnderscores(std::string_view text)
{
    std::string out;
    for (const char c : text)
        if (c != '_')
            out.push_back(c);
    return out;
}

bool allOf(std::string_view text, std::string_view allowed)
{
    return !text.empty() && text.find_first_not_of(allowed) == std::string_view::npos;
}

std::optional<std::int64_t> yamlInt(std::string_view text)
{
    std::string_view body = text;
    const bool negative = !body.empty() && body.front() == '-';
    if (!body.empty() && (body.front() == '-' || body.front() == '+'))
        body.remove_prefix(1);
    int base = 10;
    if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'b')) {
        base = body[1] == 'x' ? 16 : 2;
        body.remove_prefix(2);
        if (!allOf(body, base == 16 ? "0123456789abcdefABCDEF_" : "01_"))
            return std::nullopt;
    } else if (body.size() > 1 && body[0] == '0') {
        base = 8; // YAML 1.1: 012 is octal
        if (!allOf(body, "01234567_"))
            return std::nullopt;
    } else if (!allOf(body, "0123456789_") || body.front() == '_') {
        return std::nullopt;
    }
    const std::string digits = stripUnderscores(body);
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
    if (ec != std::errc() || end != digits.data() + digits.size())
        return std::nullopt;
    return negative ? -value : value;
}

std::optional<double> yamlFloat(std::string_view text)
{
    static constexpr std::array<std::string_view, 3> kInf = {".inf", ".Inf", ".INF"};
    static constexpr std::array<std::string_view, 3> kNan = {".nan", ".NaN", ".NAN"};
    std::string_view body = text;
    const bool negative = !body.empty() && body.front() == '-';
    if (!body.empty() && (body.front() == '-' || body.front() == '+'))
        body.remove_prefix(1);
    if (std::find(kInf.begin(), kInf.end(), body) != kInf.end())
        return negative ? -HUGE_VAL : HUGE_VAL;
    if (body.size() == text.size() && std::find(kNan.begin(), kNan.end(), body) != kNan.end())
        return std::nan("");
    // YAML 1.1 (PyYAML): a float has a '.'; an exponent needs its sign (1.0e-5, never 1e5).
    const auto dot = body.find('.');
    const auto e = body.find_first_of("eE");
    if (dot == std::string_view::npos || (e != std::string_view::npos && e < dot))
        return std::nullopt;
    const std::string_view mantissa = body.substr(0, e);
    if (!allOf(mantissa, "0123456789._") || mantissa.find('.', dot + 1) != std::string_view::npos
        || (dot == 0 && mantissa.size() == 1))
        return std::nullopt;
    if (e != std::string_view::npos) {
        const std::string_view exponent = body.substr(e + 1);
        if (exponent.size() < 2 || (exponent[0] != '-' && exponent[0] != '+') || !allOf(exponent.substr(1), "0123456789"))
            return std::nullopt;
    }
    const std::string clean = stripUnderscores(body);
    double value = 0.0;
    const auto [end, ec] = std::from_chars(clean.data(), clean.data() + clean.size(), value);
    if (ec != std::errc() || end != clean.data() + clean.size())
        return std::nullopt;
    return negative ? -value : value;
}

// A scalar as PyYAML resolves it (YAML 1.1): quoted text is a string, plain text null, a bool, an
// int, a float or a string.
ParamValue yamlScalar(const YAML::Node& node)
{
    const std::string& text = node.Scalar();
    if (node.Tag() != "?")
        return text; // quoted (tag "!") or explicitly tagged: taken as written
    static constexpr std::array<std::string_view, 4> kNull = {"", "~", "null", "Null"};
    static constexpr std::array<std::string_view, 9> kTrue = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"};
    static constexpr std::array<std::string_view, 9> kFalse = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"};
    if (std::find(kNull.begin(), kNull.end(), text) != kNull.end() || text == "NULL")
        return nullptr;
    if (std::find(kTrue.begin(), kTrue.end(), text) != kTrue.end())
        return true;
    if (std::find(kFalse.begin(), kFalse.end(), text) != kFalse.end())
        return false;
    if (const auto i = yamlInt(text))
        return *i;
    if (const auto d = yamlFloat(text))
        return *d;
    return text;
}

class Reader
{
public:
    explicit Reader(std::string_view source)
        : m_source(source)
    {
    }

    [[noreturn]] void fail(const YAML::Node& node, const std::string& where, const std::string& reason) const
    {
        const int line = node.Mark().line;
        throw GridConfigError(withSource(m_source, (line >= 0 ? "line " + std::to_string(line + 1) + ": " : std::string())
                                                       + where + ": " + reason));
    }

    void section(const YAML::Node& root, const char* key, Kind kind, GridConfig& out) const
    {
        const YAML::Node& list = static_cast<const YAML::Node&>(root)[key];
        if (!list.IsDefined() || list.IsNull())
            return;
        if (!list.IsSequence())
            fail(list, key, "expected a list of {type, name, params} entries");
        auto& names = kind == Kind::Classifier ? out.classifierNames : out.strategyNames;
        for (std::size_t i = 0; i < list.size(); ++i)
            entry(list[i], std::string(key) + "[" + std::to_string(i) + "]", kind, names);
    }

private:
    using Names = std::map<std::string, std::optional<Parameters>>;

    std::optional<std::string> text(const YAML::Node& entry, const std::string& where, const char* key) const
    {
        const YAML::Node& node = entry[key];
        if (!node.IsDefined() || node.IsNull())
            return std::nullopt;
        if (!node.IsScalar())
            fail(node, where + "." + key, "expected a string");
        return node.Scalar();
    }

    void entry(const YAML::Node& node, const std::string& where, Kind kind, Names& names) const
    {
        if (!node.IsMap())
            fail(node, where, "expected a mapping {type, name, params}");
        const auto type = text(node, where, "type");
        const auto name = text(node, where, "name");
        const YAML::Node& params = node["params"];
        if (params.IsDefined() && !params.IsNull() && !params.IsMap())
            fail(params, where + ".params", "expected a mapping");
        // List-valued params in key order: the combination's tokens; scalars are parameters too.
        Parameters scalars;
        std::vector<std::pair<std::string, std::vector<ParamValue>>> lists;
        if (params.IsMap()) {
            for (const auto& kv : params) {
                const std::string key = kv.first.Scalar();
                const YAML::Node& value = kv.second;
                if (value.IsSequence()) {
                    std::vector<ParamValue> values;
                    for (const auto& item : value) {
                        if (!item.IsScalar())
                            fail(item, where + ".params." + key, "a list or mapping inside a parameter's list");
                        values.push_back(yamlScalar(item));
                    }
                    lists.emplace_back(key, std::move(values));
                } else if (value.IsScalar() || value.IsNull()) {
                    scalars.set(key, value.IsNull() ? ParamValue(nullptr) : yamlScalar(value));
                } else {
                    fail(value, where + ".params." + key, "a mapping as a parameter value");
                }
            }
        }
        const auto has = [&](std::string_view key) {
            return std::any_of(lists.begin(), lists.end(), [&](const auto& l) { return l.first == key; })
                || scalars.find(key);
        };
        if (!name && !(type && has("fast_period") && has("slow_period")))
            return; // upstream names such an entry by no rule the spec knows: it generates no grid name
        expand(kind, name, *type, scalars, lists, names);
    }

    static void expand(Kind kind, const std::optional<std::string>& name, const std::string& type,
                       const Parameters& scalars,
                       const std::vector<std::pair<std::string, std::vector<ParamValue>>>& lists, Names& names)
    {
        for (const auto& l : lists)
            if (l.second.empty())
                return; // an empty list: no combination
        std::vector<std::size_t> at(lists.size(), 0);
        for (;;) {
            Parameters p = scalars;
            for (std::size_t k = 0; k < lists.size(); ++k)
                p.set(lists[k].first, lists[k].second[at[k]]);
            std::string generated;
            if (name) {
                generated = *name;
                for (std::size_t k = 0; k < lists.size(); ++k)
                    generated += "_" + gridToken(kind, lists[k].second[at[k]]);
            } else {
                generated = type + "_" + gridToken(kind, *p.find("fast_period")) + "_"
                    + gridToken(kind, *p.find("slow_period"));
            }
            auto [it, inserted] = names.emplace(generated, p);
            if (!inserted && it->second && !(*it->second == p))
                it->second.reset(); // two combinations, one name: not decodable
            // itertools.product: the last list varies fastest.
            std::size_t k = lists.size();
            while (k > 0 && ++at[k - 1] == lists[k - 1].second.size())
                at[--k] = 0;
            if (k == 0)
                return;
        }
    }

    std::string_view m_source;
};

std::string workspaceKey(const fs::path& folder)
{
    return folder.lexically_normal().generic_string();
}

} // namespace

std::string pythonStr(const ParamValue& value)
{
    return std::visit(
        [](const auto& v) -> std::string {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>)
                return "None";
            else if constexpr (std::is_same_v<T, bool>)
                return v ? "True" : "False";
            else if constexpr (std::is_same_v<T, std::int64_t>)
                return std::to_string(v);
            else if constexpr (std::is_same_v<T, double>) {
                if (std::isnan(v))
                    return "nan";
                if (std::isinf(v))
                    return v < 0 ? "-inf" : "inf";
                return canonical::doubleText(v);
            } else if constexpr (std::is_same_v<T, std::string>)
                return v;
            else
                return v.text;
        },
        value);
}

std::string gridToken(Kind kind, const ParamValue& value)
{
    std::string token = pythonStr(value);
    if (kind == Kind::Classifier)
        std::erase(token, '.');
    return token;
}

bool isGridType(std::string_view type)
{
    return type == "grid" || (type.size() > 5 && type.substr(type.size() - 5) == "_grid");
}

GridConfig gridConfigFromYaml(std::string_view text, std::string_view sourceName)
{
    YAML::Node root;
    try {
        root = loadYamlText(text, sourceName);
    } catch (const YamlTextError& e) {
        throw GridConfigError(e.what());
    }
    if (!root.IsMap())
        throw GridConfigError(withSource(sourceName, "not an upstream config: the document is not a mapping"));
    GridConfig out;
    out.file = std::string(sourceName);
    const Reader reader(sourceName);
    try {
        reader.section(root, "strategies", Kind::Signal, out);
        reader.section(root, "classifiers", Kind::Classifier, out);
    } catch (const YAML::Exception& e) {
        throw GridConfigError(withSource(sourceName, "line " + std::to_string(e.mark.line + 1) + ": " + e.msg));
    }
    if (out.size() == 0)
        throw GridConfigError(withSource(sourceName, "not an upstream config: no strategies: or classifiers: entry "
                                                     "generates a grid name"));
    return out;
}

GridConfig readGridConfig(const fs::path& file)
{
    std::string text;
    try {
        text = readInputFile(file);
    } catch (const InputFileError& e) {
        throw GridConfigError(file.string() + ": " + e.what());
    }
    return gridConfigFromYaml(text, file.string());
}

namespace {

struct GridTrace
{
    Kind kind = Kind::Signal;
    std::string name;
};

// Why `config` cannot name the traces, or "" when it generates every one unambiguously.
std::string coverageProblem(const GridConfig& config, const std::vector<GridTrace>& traces)
{
    for (const GridTrace& t : traces) {
        const auto& names = config.names(t.kind);
        const auto it = names.find(t.name);
        const std::string what = std::string(t.kind == Kind::Classifier ? "classifier " : "strategy ") + t.name;
        if (it == names.end())
            return config.file + " does not generate " + what;
        if (!it->second)
            return config.file + " generates " + what + " from two parameter sets";
    }
    return {};
}

Finding note(Finding::Severity severity, std::string code, std::string path, std::string message)
{
    Finding f;
    f.severity = severity;
    f.code = std::move(code);
    f.path = std::move(path);
    f.message = std::move(message);
    return f;
}

} // namespace

GridParameters::GridParameters(std::vector<GridConfig> configs, const std::vector<fs::path>& traceFiles)
    : m_configs(std::move(configs))
{
    if (m_configs.empty())
        return;
    std::map<std::string, std::vector<GridTrace>> workspaces;
    for (const fs::path& file : traceFiles) {
        WorkspaceTracePath place;
        try {
            place = workspaceTracePath(file);
        } catch (const StorageError&) {
            continue; // not an L6 trace: no grid name
        }
        auto& traces = workspaces[workspaceKey(place.workspace)];
        if (isGridType(place.type))
            traces.push_back({place.kind, place.name});
    }
    for (const auto& [workspace, traces] : workspaces) {
        if (traces.empty())
            continue;
        const std::string count = std::to_string(traces.size()) + " grid-named trace" + (traces.size() == 1 ? "" : "s");
        std::vector<std::size_t> covering;
        std::string firstProblem;
        for (std::size_t c = 0; c < m_configs.size(); ++c) {
            std::string problem = coverageProblem(m_configs[c], traces);
            if (problem.empty())
                covering.push_back(c);
            else if (firstProblem.empty())
                firstProblem = std::move(problem);
        }
        if (covering.empty()) {
            m_findings.push_back(note(Finding::Severity::Warning, "grid-parameters-missing", workspace,
                                      firstProblem + ": parameters of its " + count + " kept {}"));
            continue;
        }
        std::string disagreement;
        for (std::size_t k = 1; k < covering.size() && disagreement.empty(); ++k) {
            const GridConfig& a = m_configs[covering[0]];
            const GridConfig& b = m_configs[covering[k]];
            for (const GridTrace& t : traces) {
                if (*a.names(t.kind).at(t.name) != *b.names(t.kind).at(t.name)) {
                    disagreement = a.file + " and " + b.file + " give " + t.name + " other parameters";
                    break;
                }
            }
        }
        if (!disagreement.empty()) {
            m_findings.push_back(note(Finding::Severity::Warning, "grid-parameters-missing", workspace,
                                      disagreement + ": parameters of its " + count + " kept {}"));
            continue;
        }
        m_byWorkspace.emplace(workspace, covering.front());
        m_findings.push_back(note(Finding::Severity::Info, "grid-parameters", workspace,
                                  "parameters of its " + count + " from " + m_configs[covering.front()].file));
    }
}

const Parameters* GridParameters::find(const fs::path& workspace, Kind kind, const std::string& name) const
{
    const auto it = m_byWorkspace.find(workspaceKey(workspace));
    if (it == m_byWorkspace.end())
        return nullptr;
    const auto& names = m_configs[it->second].names(kind);
    const auto n = names.find(name);
    return n == names.end() || !n->second ? nullptr : &*n->second;
}

void GridParameters::apply(const fs::path& traceFile, TraceIdentity& identity) const
{
    if (m_byWorkspace.empty())
        return;
    WorkspaceTracePath place;
    try {
        place = workspaceTracePath(traceFile);
    } catch (const StorageError&) {
        return;
    }
    if (!isGridType(place.type))
        return;
    if (const Parameters* p = find(place.workspace, identity.kind, identity.name))
        identity.parameters = *p;
}

} // namespace sigscope::core::migration
