#pragma once

// The one way core parses YAML text (yaml-cpp; include only from core .cpp files). Shared by the
// tracer's config (core/tracer/traceconfig.cpp) and the grid configs (core/migration/gridnames.cpp).

#include <yaml-cpp/yaml.h>

#include <stdexcept>
#include <string>
#include <string_view>

namespace sigscope::core {

// "<source>: not valid YAML: line 3: <reason>" (no "<source>: " when source is empty).
class YamlTextError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// Parses text nested no deeper than kMaxJsonDepth (yaml-cpp recurses: deeper text is refused
// before it is parsed). Throws YamlTextError.
YAML::Node loadYamlText(std::string_view text, std::string_view source);

// "<source>: <message>", or the message alone when source is empty.
std::string withSource(std::string_view source, const std::string& message);

} // namespace sigscope::core
