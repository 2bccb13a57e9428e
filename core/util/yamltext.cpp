#include "core/util/yamltext.h"

#include "core/util/jsonlimits.h"

namespace sigscope::core {

std::string withSource(std::string_view source, const std::string& message)
{
    return source.empty() ? message : std::string(source) + ": " + message;
}

YAML::Node loadYamlText(std::string_view text, std::string_view source)
{
    if (yamlNestingDepth(text) > kMaxJsonDepth)
        throw YamlTextError(withSource(source, "not valid YAML: " + nestingTooDeepReason()));
    try {
        return YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        throw YamlTextError(withSource(source, "not valid YAML: line " + std::to_string(e.mark.line + 1) + ": " + e.msg));
    }
}

} // namespace sigscope::core
