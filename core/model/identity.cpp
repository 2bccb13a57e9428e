#include "core/model/identity.h"

#include "core/util/canonical.h"

#include <xxhash.h>

namespace sigscope::core {

std::string_view kindName(Kind kind)
{
    return kind == Kind::Signal ? "signal" : "classifier";
}

std::string_view kindFolder(Kind kind)
{
    return kind == Kind::Signal ? "signals" : "classifiers";
}

std::optional<Kind> kindFromName(std::string_view name)
{
    if (name == "signal")
        return Kind::Signal;
    if (name == "classifier")
        return Kind::Classifier;
    return std::nullopt;
}

std::optional<Kind> kindFromFolder(std::string_view folder)
{
    if (folder == "signals")
        return Kind::Signal;
    if (folder == "classifiers")
        return Kind::Classifier;
    return std::nullopt;
}

namespace {
void appendOptional(std::string& out, const std::optional<std::string>& value)
{
    if (value)
        canonical::appendString(out, *value);
    else
        out += "null";
}
} // namespace

std::string TraceIdentity::canonicalJson() const
{
    std::string out = "{\"kind\":";
    canonical::appendString(out, kindName(kind));
    out += ",\"name\":";
    canonical::appendString(out, name);
    out += ",\"parameters\":";
    out += parameters.canonicalJson();
    out += ",\"run\":";
    appendOptional(out, run);
    out += ",\"symbol\":";
    appendOptional(out, symbol);
    out += ",\"timeframe\":";
    appendOptional(out, timeframe);
    if (variant) {
        out += ",\"variant\":";
        out += std::to_string(*variant);
    }
    out.push_back('}');
    return out;
}

std::uint64_t xxh3(std::string_view bytes)
{
    return XXH3_64bits(bytes.data(), bytes.size());
}

std::string hex16(std::uint64_t hash)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i) {
        out[static_cast<std::size_t>(i)] = digits[hash & 0xF];
        hash >>= 4;
    }
    return out;
}

std::uint64_t TraceIdentity::hash() const
{
    return xxh3(canonicalJson());
}

std::string TraceIdentity::hashHex() const
{
    return hex16(hash());
}

std::optional<std::string> symbolFromContainer(Kind kind, std::string_view name, std::string_view containerId)
{
    const std::string prefix = kind == Kind::Classifier ? "classifier_" : "strategy_";
    const std::string suffix = "_" + std::string(name);
    if (!containerId.starts_with(prefix) || !containerId.ends_with(suffix)
        || containerId.size() <= prefix.size() + suffix.size())
        return std::nullopt;
    return std::string(containerId.substr(prefix.size(), containerId.size() - prefix.size() - suffix.size()));
}

} // namespace sigscope::core
