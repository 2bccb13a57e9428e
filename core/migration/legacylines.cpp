#include "core/migration/legacylines.h"

#include "core/storage/naming.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <unordered_map>

namespace sigscope::core::migration::detail {

namespace {

using Json = nlohmann::json;

std::optional<std::string> l4FieldError(const Json& line)
{
    if (!line.is_object())
        return std::string("not an object");
    static constexpr const char* required[] = {"t", "s", "v", "id"};
    for (const char* key : required)
        if (!line.contains(key))
            return std::string(key) + " is missing";
    if (!line["t"].is_number())
        return std::string("t is not a number");
    if (!line["s"].is_string())
        return std::string("s is not a string");
    if (!line["id"].is_string())
        return std::string("id is not a string");
    if (!line["v"].is_number_integer())
        return std::string("v is not an integer");
    return std::nullopt;
}

// Fills `doc`; a failure or an empty log comes back as the file's result.
std::optional<ParsedSource> readLines(std::istream& in, LinesDocument& doc)
{
    std::vector<LinesGroup>& groups = doc.groups;
    std::unordered_map<std::string, std::size_t> index;
    std::string line;
    std::int64_t lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        Json j;
        bool tooDeep = false;
        // nlohmann parses without recursion; the limit keeps deep values away from what follows.
        const auto depthCheck = [&tooDeep](int depth, Json::parse_event_t event, Json&) {
            // depth is that of the container a value opens in: 0 for the line's own object.
            const bool opens = event == Json::parse_event_t::object_start || event == Json::parse_event_t::array_start;
            if (opens && depth >= static_cast<int>(kMaxLegacyDepth))
                tooDeep = true;
            return !tooDeep;
        };
        try {
            j = Json::parse(line, depthCheck);
        } catch (const Json::parse_error& e) {
            std::string reason = shortParseError(e.what(), {}, e.byte >= line.size());
            if (auto p = reason.find("line 1, "); p == 0)
                reason.erase(0, 8);
            return failedResult(ParsedSource::Result::Failed, Variant::L4,
                                "line " + std::to_string(lineNo) + ", " + reason);
        }
        if (tooDeep)
            return failedResult(ParsedSource::Result::Failed, Variant::L4,
                                "line " + std::to_string(lineNo) + ": a value nested deeper than "
                                    + std::to_string(kMaxLegacyDepth) + " levels");
        if (auto err = l4FieldError(j))
            return failedResult(ParsedSource::Result::Failed, Variant::L4, "line " + std::to_string(lineNo) + ": " + *err);
        const std::string& sym = j["s"].get_ref<const std::string&>();
        const std::string& sid = j["id"].get_ref<const std::string&>();
        const std::int64_t v = j["v"].get<std::int64_t>();
        if (v < std::numeric_limits<std::int32_t>::min() || v > std::numeric_limits<std::int32_t>::max())
            return failedResult(ParsedSource::Result::Failed, Variant::L4,
                                "line " + std::to_string(lineNo) + ": v is out of range");
        const Json& t = j["t"];
        std::int64_t micros = 0;
        if (t.is_number_integer()) {
            micros = t.get<std::int64_t>() * 1000000;
        } else {
            const double secs = t.get<double>();
            if (!std::isfinite(secs) || std::fabs(secs) > 1e13)
                return failedResult(ParsedSource::Result::Failed, Variant::L4,
                                    "line " + std::to_string(lineNo) + ": t is out of range");
            micros = std::llround(secs * 1e6);
        }
        ++doc.changes;
        auto [it, inserted] = index.try_emplace(sym + '\x1f' + sid, groups.size());
        if (inserted) {
            LinesGroup g;
            g.sym = sym;
            g.id = sid;
            groups.push_back(std::move(g));
        }
        LinesGroup& g = groups[it->second];
        const auto value = static_cast<std::int32_t>(v);
        if (g.count == 0 || value != g.last) {
            TimeFormat format;
            format.zone = TimeFormat::Zone::Offset;
            format.fractionDigits = micros % 1000000 == 0 ? 0 : 6;
            g.trace.appendSignalAt(g.count, micros, format, value);
            g.digest.add(g.count, std::to_string(value), formatIsoTime(micros, format), 0.0, 1.0);
        }
        g.last = value;
        ++g.count;
    }
    if (in.bad())
        return failedResult(ParsedSource::Result::Failed, Variant::L4, "read failed");
    if (groups.empty())
        return failedResult(ParsedSource::Result::Unrecognised, Variant::L4, "no lines (nothing to migrate)");
    return std::nullopt;
}

ParsedSource mapLines(LinesDocument& doc, const SourceFile& source)
{
    ParsedSource out;
    out.variant = Variant::L4;
    out.changes = doc.changes;
    const auto run = runFor(runInfo(source.path), std::nullopt, source);
    for (LinesGroup& g : doc.groups) {
        Trace trace = std::move(g.trace);
        trace.identity.kind = Kind::Signal;
        trace.identity.name = naming::stripSymbolPrefix(g.id, g.sym);
        trace.identity.symbol = g.sym;
        trace.identity.run = run;
        trace.type = naming::typeFor(Kind::Signal, trace.identity.name);
        finishTrace(trace, g.count, source, {});
        out.traces.push_back(std::move(trace));
        out.digests.push_back(g.digest.value());
        out.repeatsDropped.push_back(0); // a log repeats values by design: only changes are kept
        out.invalid.emplace_back();
    }
    return out;
}


} // namespace

JsonLines jsonLinesKind(std::string_view head)
{
    const auto nl = head.find('\n');
    if (nl == std::string_view::npos && head.size() >= (1u << 16))
        return JsonLines::None;
    const auto first = head.substr(0, nl);
    const Json j = Json::parse(first, nullptr, false);
    if (!j.is_object())
        return JsonLines::None;
    if (j.contains("id") && j.contains("v") && j.contains("t") && j.contains("s"))
        return JsonLines::Signals;
    if (nl == std::string_view::npos)
        return JsonLines::None;
    const auto next = head.find_first_not_of(" \t\r\n", nl);
    return next != std::string_view::npos && head[next] == '{' ? JsonLines::Other : JsonLines::None;
}

ParsedSource readLinesFile(const SourceFile& source)
{
    std::vector<char> buffer(1 << 20);
    std::ifstream in;
    in.rdbuf()->pubsetbuf(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    in.open(source.path, std::ios::in | std::ios::binary);
    if (!in)
        return failedResult(ParsedSource::Result::Failed, Variant::L4, "cannot open for reading");
    LinesDocument doc;
    if (auto stopped = readLines(in, doc))
        return std::move(*stopped);
    return mapLines(doc, source);
}

} // namespace sigscope::core::migration::detail
