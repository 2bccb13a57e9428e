#pragma once

// Internal to core/migration: the pieces every legacy reader shares (the SAX scalar, error
// wording, run names, the finishing of a mapped trace). Not part of the library's API.

#include "core/migration/legacy.h"

#include <cmath>
#include <cstring>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sigscope::core::migration::detail {

// A JSON scalar as the SAX parser delivers it.
struct Scalar
{
    enum class Type : std::uint8_t { Null, Bool, Int, TooLarge, Float, String };
    Type type = Type::Null;
    bool b = false;
    std::int64_t i = 0;
    double d = 0.0;
    std::string* s = nullptr;

    [[nodiscard]] bool isNumber() const { return type == Type::Int || type == Type::Float || type == Type::TooLarge; }
    // Integers, and floats without a fraction (Python sometimes writes 1.0 for 1).
    [[nodiscard]] std::optional<std::int64_t> integer() const
    {
        if (type == Type::Int)
            return i;
        if (type == Type::Float && std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15)
            return static_cast<std::int64_t>(d);
        return std::nullopt;
    }
    [[nodiscard]] double number() const { return type == Type::Int ? static_cast<double>(i) : d; }
};

// "is null", "is a string", ... for reasons like "change 3: idx is a string".
std::string_view typeWords(const Scalar& v);

bool isDigits(std::string_view s);

// The first reason a reader stops for. Shared by the detector and the reader it feeds, so that
// whoever finds the first problem words the file's reason.
struct Failure
{
    bool failed = false;
    std::string reason;

    // Always false: handlers return it to stop the parser.
    bool fail(std::string text)
    {
        if (!failed) {
            failed = true;
            reason = std::move(text);
        }
        return false;
    }
};

// Where the detector stands in the document. TopObject/TopArray are the detector's own; the
// others belong to the reader of the family that owns that part of the document.
enum class Ctx : std::uint8_t {
    TopObject,
    TopArray,
    Metadata,        // sparse: metadata object
    StratParams,     // sparse: metadata.strategy_parameters
    StratParamEntry, // sparse: one entry of it
    Changes,         // sparse: the changes list
    Change,          // sparse: one change
    ListItem,        // minimal: one {"bar_idx", "signal"} item
};

// The fields of a change or of a list item.
enum class Field : std::uint8_t { Other, Idx, Ts, Sym, Val, Strat, Px, Tf, Regime, Confidence, BarIdx, Signal, Timestamp, Price };
std::string fieldName(Field f);

// A frame of the detector's stack: objects and lists it descends into (skipped values are counted, not stacked).
struct Frame
{
    Ctx ctx;
    std::string key;             // the current key, outside changes and items
    Field field = Field::Other;  // the current key, inside a change or an item
};

// What a reader wants done with a container that opens inside its part of the document.
enum class Open : std::uint8_t {
    Skip,    // not needed: skip the whole value
    Capture, // keep its text (the reader gets it through captured())
    Stop,    // the reader failed (Failure holds the reason)
};

// "line 1, column 3812: unexpected end of input" from nlohmann's exception text.
std::string shortParseError(std::string_view what, std::string_view lastToken, bool atEnd);

// What a file names itself by: signals_<container>_<run>.json -> <container>.
std::string containerFromFileName(const std::filesystem::path& path);

struct RunInfo
{
    std::optional<std::string> runFolder; // nearest YYYYMMDD_HHMMSS folder
    std::optional<std::string> workflow;  // workspaces/<workflow>/<run>
};
RunInfo runInfo(const std::filesystem::path& file);

// The run of a trace: the run folder, else the metadata's run id, else the file stem.
std::optional<std::string> runFor(const RunInfo& info, const std::optional<std::string>& metadataRun,
                                  const SourceFile& source);

std::string jsonString(std::string_view text);

// Finishes a trace built from legacy changes: total_bars fixed up and the source recorded.
void finishTrace(Trace& trace, std::int64_t totalBars, const SourceFile& source,
                 std::vector<std::pair<std::string, std::string>> extras);

ParsedSource failedResult(ParsedSource::Result result, Variant variant, std::string reason);

// signals_*.json: the name of a tracer dump (legacy-formats.md L2).
bool namedAsDump(const SourceFile& source);
// A file without JSON text (empty, white space, binary): unrecognised, or a damaged dump (failed)
// when its name says it is one.
ParsedSource noJsonText(const SourceFile& source, std::string reason);

// verify's rules for one change (core/storage/verify.cpp), so that a migration never writes a
// trace that verify rejects: why the change cannot be stored ("px -1.5 is negative", "idx 5
// after 10 (bars go backwards)"), or "" when it can. `previousIdx` is the trace's last kept bar.
std::string changeProblem(std::int64_t idx, std::optional<std::int64_t> previousIdx, double px, bool regime,
                          std::string_view regimeName, double confidence);

// Parameters from captured JSON text; nullopt with `error` set when the text is no object.
std::optional<Parameters> parseParameters(const std::optional<std::string>& json, std::string& error,
                                          std::string_view where);

// Exact key match with the length known at compile time, so that the comparison is inlined.
template<std::size_t N>
inline bool isKey(std::string_view k, const char (&word)[N])
{
    return k.size() == N - 1 && std::memcmp(k.data(), word, N - 1) == 0;
}

inline Field fieldOf(std::string_view k)
{
    switch (k.size()) {
    case 2:
        if (isKey(k, "ts")) return Field::Ts;
        if (isKey(k, "px")) return Field::Px;
        if (isKey(k, "tf")) return Field::Tf;
        break;
    case 3:
        if (isKey(k, "idx")) return Field::Idx;
        if (isKey(k, "sym")) return Field::Sym;
        if (isKey(k, "val")) return Field::Val;
        break;
    case 5:
        if (isKey(k, "strat")) return Field::Strat;
        if (isKey(k, "price")) return Field::Price;
        break;
    case 6:
        if (isKey(k, "regime")) return Field::Regime;
        if (isKey(k, "signal")) return Field::Signal;
        break;
    case 7:
        if (isKey(k, "bar_idx")) return Field::BarIdx;
        break;
    case 9:
        if (isKey(k, "timestamp")) return Field::Timestamp;
        break;
    case 10:
        if (isKey(k, "confidence")) return Field::Confidence;
        break;
    default: break;
    }
    return Field::Other;
}

} // namespace sigscope::core::migration::detail
