#include "core/migration/legacycommon.h"

#include "core/util/canonical.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace sigscope::core::migration {

std::string_view variantName(Variant variant)
{
    switch (variant) {
    case Variant::L1: return "L1";
    case Variant::L2: return "L2";
    case Variant::L3: return "L3";
    case Variant::L4: return "L4";
    case Variant::L5: return "L5";
    case Variant::L6: return "L6";
    case Variant::Index: return "index";
    case Variant::Unknown: break;
    }
    return "";
}

bool isRunId(std::string_view text)
{
    if (text.size() != 15 || text[8] != '_')
        return false;
    for (std::size_t i = 0; i < text.size(); ++i)
        if (i != 8 && (text[i] < '0' || text[i] > '9'))
            return false;
    return true;
}

void ChangeDigest::add(std::int64_t idx, std::string_view value, std::string_view time, double price, double confidence)
{
    // A binary record: the numbers' bits (-0.0 counted as 0.0, as the trace stores no sign of a
    // zero price), then both texts with their lengths.
    auto appendRaw = [this](const auto& v) { m_buffer.append(reinterpret_cast<const char*>(&v), sizeof v); };
    m_buffer.clear();
    appendRaw(idx);
    appendRaw(price + 0.0);
    appendRaw(confidence + 0.0);
    appendRaw(static_cast<std::uint32_t>(value.size()));
    m_buffer += value;
    m_buffer += time;
    const std::uint64_t h = xxh3(m_buffer);
    // Order matters: the same changes in another order are other changes.
    m_hash = (m_hash ^ h) * 0x100000001b3ULL;
    m_hash ^= m_hash >> 29;
}

std::uint64_t traceDigest(const Trace& trace)
{
    ChangeDigest digest;
    IsoTimeBuffer time;
    char number[16];
    const bool classifier = trace.kind() == Kind::Classifier;
    for (std::size_t i = 0; i < trace.size(); ++i) {
        std::string_view value;
        if (classifier) {
            value = trace.regimeName(i);
        } else {
            const auto r = std::to_chars(number, number + sizeof number, trace.value(i));
            value = std::string_view(number, static_cast<std::size_t>(r.ptr - number));
        }
        digest.add(trace.bar(i), value, trace.timeText(i, time), trace.price(i), trace.confidence(i));
    }
    return digest.value();
}

namespace detail {

namespace {

// The byte that stopped the lexer when it cannot start any JSON text: a control character
// (nlohmann writes it as "<U+0000>"; it takes a NUL for the end of the input) or a byte >= 0x80
// outside a string. "0x89" for a PNG file.
std::optional<std::string> binaryByte(std::string_view lastToken)
{
    unsigned byte = 0;
    if (lastToken.size() >= 8 && lastToken.ends_with('>') && lastToken.substr(lastToken.size() - 8, 5) == "<U+00") {
        const std::string_view hex = lastToken.substr(lastToken.size() - 3, 2);
        if (std::from_chars(hex.data(), hex.data() + 2, byte, 16).ec != std::errc() || byte >= 0x20)
            return std::nullopt;
    } else if (!lastToken.empty() && static_cast<unsigned char>(lastToken.back()) >= 0x80) {
        byte = static_cast<unsigned char>(lastToken.back());
    } else {
        return std::nullopt;
    }
    char text[8];
    std::snprintf(text, sizeof text, "0x%02X", byte);
    return std::string(text);
}

std::string sourceJson(const SourceFile& source, const std::optional<std::string>& run)
{
    std::string out = "{\"path\":";
    canonical::appendString(out, source.sourcePath);
    out += ",\"run_id\":";
    if (run)
        canonical::appendString(out, *run);
    else
        out += "null";
    out += '}';
    return out;
}

} // namespace

std::string_view typeWords(const Scalar& v)
{
    switch (v.type) {
    case Scalar::Type::Null: return "is null";
    case Scalar::Type::Bool: return "is a boolean";
    case Scalar::Type::Int: return "is a number";
    case Scalar::Type::TooLarge: return "is too large";
    case Scalar::Type::Float: return "is a number with a fraction";
    case Scalar::Type::String: return "is a string";
    }
    return "has a wrong type";
}

bool isDigits(std::string_view s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "line 1, column 3812: unexpected end of input" from nlohmann's exception text.
std::string shortParseError(std::string_view what, std::string_view lastToken, bool atEnd)
{
    const std::string_view full = what;
    std::string where;
    if (auto p = what.find("at line "); p != std::string_view::npos) {
        auto rest = what.substr(p + 3);
        if (auto colon = rest.find(": "); colon != std::string_view::npos) {
            where = std::string(rest.substr(0, colon));
            what = rest.substr(colon + 2);
        }
    } else if (auto q = what.find("] "); q != std::string_view::npos) {
        what.remove_prefix(q + 2);
    }
    if (auto dash = what.find(" - "); dash != std::string_view::npos)
        what.remove_prefix(dash + 3);
    if (auto semi = what.find(';'); semi != std::string_view::npos)
        what = what.substr(0, semi);
    std::string reason(what);
    if (atEnd) // cut inside a string, number or literal: say what happened, not what the lexer saw
        reason = "unexpected end of input";
    else if (auto byte = binaryByte(lastToken))
        reason = "unexpected byte " + *byte + " (binary data, not JSON text)";
    else if (full.find("; expected end of input") != std::string_view::npos)
        reason = "more text after the end of the JSON document";
    else if (reason == "invalid literal" && !lastToken.empty()) {
        const char last = lastToken.back();
        if (last == 'N' || last == 'I')
            reason = "NaN or Infinity is not valid JSON (written by Python's json.dump)";
    }
    return where.empty() ? reason : where + ": " + reason;
}

// What a file names itself by: signals_<container>_<run>.json -> <container>.
std::string containerFromFileName(const std::filesystem::path& path)
{
    std::string stem = path.stem().string();
    if (!stem.starts_with("signals_"))
        return {};
    stem.erase(0, 8);
    if (!stem.starts_with("strategy_") && !stem.starts_with("classifier_"))
        return {};
    if (stem.size() > 16 && isRunId(std::string_view(stem).substr(stem.size() - 15)) && stem[stem.size() - 16] == '_')
        stem.erase(stem.size() - 16);
    return stem;
}

RunInfo runInfo(const std::filesystem::path& file)
{
    RunInfo info;
    std::filesystem::path dir = std::filesystem::absolute(file).parent_path();
    for (; !dir.empty() && dir.has_relative_path(); dir = dir.parent_path()) {
        const std::string name = dir.filename().string();
        if (isRunId(name)) {
            info.runFolder = name;
            const auto workflowDir = dir.parent_path();
            if (workflowDir.parent_path().filename() == "workspaces")
                info.workflow = workflowDir.filename().string();
            break;
        }
    }
    return info;
}

std::string jsonString(std::string_view text)
{
    std::string out;
    canonical::appendString(out, text);
    return out;
}

// Finishes a trace built from legacy changes: total_bars fixed up and the source recorded.
void finishTrace(Trace& trace, std::int64_t totalBars, const SourceFile& source,
                 std::vector<std::pair<std::string, std::string>> extras)
{
    trace.metadata.totalBars = totalBars;
    trace.metadata.totalBars = trace.effectiveTotalBars();
    trace.metadata.formatVersion = 1;
    extras.emplace_back("source", sourceJson(source, trace.identity.run));
    trace.metadata.extras = std::move(extras);
}

ParsedSource failedResult(ParsedSource::Result result, Variant variant, std::string reason)
{
    ParsedSource out;
    out.result = result;
    out.variant = variant;
    out.reason = std::move(reason);
    return out;
}

std::optional<Parameters> parseParameters(const std::optional<std::string>& json, std::string& error,
                                          std::string_view where)
{
    if (!json)
        return Parameters{};
    try {
        return Parameters::fromJson(*json);
    } catch (const std::exception& e) {
        error = std::string(where) + ": " + e.what();
        return std::nullopt;
    }
}

std::optional<std::string> runFor(const RunInfo& info, const std::optional<std::string>& metadataRun,
                                  const SourceFile& source)
{
    if (info.runFolder)
        return info.runFolder;
    if (metadataRun && !metadataRun->empty())
        return metadataRun;
    return source.path.stem().string();
}

std::string fieldName(Field f)
{
    switch (f) {
    case Field::Idx: return "idx";
    case Field::Ts: return "ts";
    case Field::Sym: return "sym";
    case Field::Val: return "val";
    case Field::Strat: return "strat";
    case Field::Px: return "px";
    case Field::Tf: return "tf";
    case Field::Regime: return "regime";
    case Field::Confidence: return "confidence";
    case Field::BarIdx: return "bar_idx";
    case Field::Signal: return "signal";
    case Field::Timestamp: return "timestamp";
    case Field::Price: return "price";
    case Field::Other: break;
    }
    return "value";
}

std::string changeProblem(std::int64_t idx, std::optional<std::int64_t> previousIdx, double px, bool regime,
                          std::string_view regimeName, double confidence)
{
    if (!std::isfinite(px))
        return "px is not finite";
    if (px < 0.0)
        return "px " + canonical::doubleText(px) + " is negative";
    if (regime && regimeName.empty())
        return "the regime name is empty";
    if (regime && !(confidence >= 0.0 && confidence <= 1.0))
        return "confidence " + canonical::doubleText(confidence) + " is outside [0, 1]";
    if (previousIdx && idx < *previousIdx)
        return "idx " + std::to_string(idx) + " after " + std::to_string(*previousIdx) + " (bars go backwards)";
    return {};
}

bool namedAsDump(const SourceFile& source)
{
    return source.path.extension() == ".json" && source.path.filename().string().starts_with("signals_");
}

ParsedSource noJsonText(const SourceFile& source, std::string reason)
{
    if (namedAsDump(source))
        return failedResult(ParsedSource::Result::Failed, Variant::Unknown, "damaged signal dump: " + reason);
    return failedResult(ParsedSource::Result::Unrecognised, Variant::Unknown, std::move(reason));
}

} // namespace detail

} // namespace sigscope::core::migration
