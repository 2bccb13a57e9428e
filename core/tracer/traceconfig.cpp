#include "core/tracer/traceconfig.h"

#include "core/util/inputfile.h"
#include "core/util/jsonlimits.h"
#include "core/util/yamltext.h"

#include <nlohmann/json.hpp>

#include <initializer_list>

namespace sigscope::core {

namespace {

using Path = std::initializer_list<const char*>;

std::string keyName(Path path)
{
    std::string name;
    for (const char* part : path) {
        if (!name.empty())
            name += '.';
        name += part;
    }
    return name;
}

std::string prefixed(std::string_view source, const std::string& message)
{
    return withSource(source, message);
}

// The two file formats differ only in how a key is looked up and a scalar converted; the
// settings and their checks are shared (readConfig below).
class JsonSource
{
public:
    JsonSource(const nlohmann::json& root, std::string_view source)
        : m_root(root)
        , m_source(source)
    {
    }

    std::optional<bool> boolAt(Path path) const
    {
        const auto* v = find(path);
        if (!v)
            return std::nullopt;
        if (!v->is_boolean())
            fail(path, "expected true or false");
        return v->get<bool>();
    }
    std::optional<std::string> stringAt(Path path) const
    {
        const auto* v = find(path);
        if (!v)
            return std::nullopt;
        if (v->is_string())
            return v->get<std::string>();
        if (v->is_number_integer())
            return v->dump(); // run ids such as 20250611 are often written unquoted
        fail(path, "expected a string");
    }
    std::optional<std::int64_t> intAt(Path path) const
    {
        const auto* v = find(path);
        if (!v)
            return std::nullopt;
        if (v->is_boolean())
            return v->get<bool>() ? 1 : 0;
        if (!v->is_number_integer())
            fail(path, "expected an integer");
        return v->get<std::int64_t>();
    }
    [[noreturn]] void fail(Path path, const std::string& reason) const
    {
        throw TraceConfigError(prefixed(m_source, keyName(path) + ": " + reason));
    }

private:
    // Missing keys and explicit nulls both mean "use the default".
    const nlohmann::json* find(Path path) const
    {
        const nlohmann::json* node = &m_root;
        for (const char* part : path) {
            if (!node->is_object())
                return nullptr;
            auto it = node->find(part);
            if (it == node->end())
                return nullptr;
            node = &*it;
        }
        return node->is_null() ? nullptr : node;
    }

    const nlohmann::json& m_root;
    std::string_view m_source;
};

class YamlSource
{
public:
    YamlSource(const YAML::Node& root, std::string_view source)
        : m_root(root)
        , m_source(source)
    {
    }

    std::optional<bool> boolAt(Path path) const
    {
        const auto v = find(path);
        if (!v)
            return std::nullopt;
        bool value = false;
        if (!v->IsScalar() || !YAML::convert<bool>::decode(*v, value))
            fail(path, "expected true or false");
        return value;
    }
    std::optional<std::string> stringAt(Path path) const
    {
        const auto v = find(path);
        if (!v)
            return std::nullopt;
        if (!v->IsScalar())
            fail(path, "expected a string");
        return v->Scalar();
    }
    std::optional<std::int64_t> intAt(Path path) const
    {
        const auto v = find(path);
        if (!v)
            return std::nullopt;
        long long value = 0;
        bool flag = false;
        if (v->IsScalar() && YAML::convert<long long>::decode(*v, value))
            return static_cast<std::int64_t>(value);
        if (v->IsScalar() && YAML::convert<bool>::decode(*v, flag))
            return flag ? 1 : 0;
        fail(path, "expected an integer");
    }
    [[noreturn]] void fail(Path path, const std::string& reason) const
    {
        throw TraceConfigError(prefixed(m_source, keyName(path) + ": " + reason));
    }

private:
    std::optional<YAML::Node> find(Path path) const
    {
        // Lookups go through const nodes (operator[] on a non-const node inserts) and rebind
        // with reset(): Node::operator= would overwrite the referenced node instead.
        YAML::Node node;
        node.reset(m_root);
        for (const char* part : path) {
            if (!node.IsMap())
                return std::nullopt;
            const YAML::Node& current = node;
            const YAML::Node child = current[part];
            if (!child.IsDefined())
                return std::nullopt;
            node.reset(child);
        }
        if (node.IsNull())
            return std::nullopt;
        return node;
    }

    YAML::Node m_root;
    std::string_view m_source;
};

template<typename Source>
TraceConfig readConfig(const Source& src)
{
    TraceConfig config;
    // Like the trading system: tracing is off unless the file turns it on.
    config.enabled = src.boolAt({"execution", "enable_event_tracing"}).value_or(false);
    if (const auto type = src.stringAt({"execution", "trace_settings", "storage", "type"});
        type && *type != TraceConfig::kStorageType) {
        src.fail({"execution", "trace_settings", "storage", "type"},
                 "unsupported storage type '" + *type + "' (accepted: " + std::string(TraceConfig::kStorageType) + ")");
    }
    if (const auto dir = src.stringAt({"execution", "trace_settings", "storage", "base_dir"})) {
        if (dir->empty())
            src.fail({"execution", "trace_settings", "storage", "base_dir"}, "must not be empty");
        config.baseDir = *dir;
    }
    if (const auto format = src.stringAt({"execution", "trace_settings", "storage", "format"})) {
        const auto parsed = storageFormatFromName(*format);
        if (!parsed)
            src.fail({"execution", "trace_settings", "storage", "format"},
                     "unsupported storage format '" + *format + "' (accepted: json, parquet)");
        config.format = *parsed;
    }
    config.runId = src.stringAt({"execution", "trace_settings", "storage", "run_id"});
    if (config.runId && config.runId->empty())
        config.runId.reset();
    if (const auto n = src.intAt({"execution", "trace_settings", "write_interval"})) {
        if (*n < 0)
            src.fail({"execution", "trace_settings", "write_interval"}, "must be 0 or a positive number of bars");
        config.writeInterval = *n;
    }
    if (const auto n = src.intAt({"execution", "trace_settings", "write_on_changes"})) {
        if (*n < 0)
            src.fail({"execution", "trace_settings", "write_on_changes"}, "must be 0 or a positive number of changes");
        config.writeOnChanges = *n;
    }
    return config;
}

bool looksLikeJson(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    return first != std::string_view::npos && text[first] == '{';
}

} // namespace

TraceConfig TraceConfig::fromJson(std::string_view text, std::string_view sourceName)
{
    if (jsonNestingDepth(text) > kMaxJsonDepth)
        throw TraceConfigError(prefixed(sourceName, "not valid JSON: " + nestingTooDeepReason()));
    nlohmann::json root;
    try {
        root = nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::exception& e) {
        throw TraceConfigError(prefixed(sourceName, std::string("not valid JSON: ") + e.what()));
    }
    if (!root.is_object())
        throw TraceConfigError(prefixed(sourceName, "the configuration must be a JSON object"));
    return readConfig(JsonSource(root, sourceName));
}

TraceConfig TraceConfig::fromYaml(std::string_view text, std::string_view sourceName)
{
    YAML::Node root;
    try {
        root = loadYamlText(text, sourceName);
    } catch (const YamlTextError& e) {
        throw TraceConfigError(e.what());
    }
    if (!root.IsMap() && !root.IsNull())
        throw TraceConfigError(prefixed(sourceName, "the configuration must be a mapping"));
    try {
        return readConfig(YamlSource(root, sourceName));
    } catch (const YAML::Exception& e) {
        throw TraceConfigError(prefixed(sourceName, e.msg));
    }
}

TraceConfig TraceConfig::fromText(std::string_view text, std::string_view sourceName)
{
    return looksLikeJson(text) ? fromJson(text, sourceName) : fromYaml(text, sourceName);
}

TraceConfig TraceConfig::fromFile(const std::filesystem::path& file)
{
    std::string text;
    try {
        text = readInputFile(file);
    } catch (const InputFileError& e) {
        throw TraceConfigError(file.string() + ": " + e.what());
    }
    const std::string source = file.string();
    const std::string ext = file.extension().string();
    if (ext == ".json" || ext == ".JSON")
        return fromJson(text, source);
    if (ext == ".yaml" || ext == ".yml" || ext == ".YAML" || ext == ".YML")
        return fromYaml(text, source);
    return fromText(text, source);
}

} // namespace sigscope::core
