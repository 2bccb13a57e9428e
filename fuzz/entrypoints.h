#pragma once

// The code each fuzz target drives, shared with tests/core/tst_fuzz_replay.cpp so that a crash
// input kept in tests/data/fuzz/<target>/ is replayed through exactly the calls that found it.
//
// Each entry point returns the outcome the readers promise for any input: success or one of
// their documented errors (StorageError, std::invalid_argument, TraceConfigError, a migration
// result that is not Ok). Anything else escapes: another exception type, a broken property
// (abort via PropertyViolation) or a crash. Header-only so that the fuzz/ build and the test
// suite need no extra library.

#include "core/migration/legacy.h"
#include "core/model/parameters.h"
#include "core/storage/indexio.h"
#include "core/storage/storage.h"
#include "core/storage/traceio.h"
#include "core/tracer/traceconfig.h"
#include "core/util/canonical.h"

#include <array>
#include <nlohmann/json.hpp>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unistd.h>

namespace sigscope::fuzz {

// A property of the readers that an input broke (two readers disagree, a round trip changes
// the text). Not one of the documented errors: it escapes to the fuzzer or the test.
class PropertyViolation : public std::logic_error
{
public:
    using std::logic_error::logic_error;
};

struct Outcome
{
    bool ok = true;
    std::string error; // the documented error's message when !ok
};

inline Outcome failed(std::string message)
{
    return {false, std::move(message)};
}

// --- trace: the reader takes only what is JSON (nlohmann's acceptor as the judge), and what it
// takes must survive a write/read round trip.
inline Outcome traceReader(std::string_view bytes)
{
    using namespace sigscope::core;
    const std::filesystem::path name = "signals/fuzz/fuzz.json";
    std::string text;
    try {
        text = serializeTrace(parseTrace(bytes, name));
    } catch (const StorageError& e) {
        return failed(e.what());
    }
    if (bytes.find('\0') != std::string_view::npos || !nlohmann::json::accept(bytes))
        throw PropertyViolation("trace: parseTrace accepts what is not JSON");
    const std::string again = serializeTrace(parseTrace(text, name));
    if (again != text)
        throw PropertyViolation("trace: a written trace does not read back to the same text");
    return {};
}

// --- index: index.json of either kind, through the full parser and the line-layout splitter.
inline Outcome indexReader(std::string_view bytes)
{
    using namespace sigscope::core;
    const Kind kind =
        !bytes.empty() && (static_cast<unsigned char>(bytes.back()) & 1) ? Kind::Classifier : Kind::Signal;
    (void)detail::splitIndexLines(bytes);
    try {
        TypeIndex index = detail::parseIndex(bytes, kind, "signals/fuzz/index.json");
        // What was read can be written and read again to the same entries.
        detail::sortUnique(index.entries);
        const std::string text = detail::serializeIndex(index);
        TypeIndex again = detail::parseIndex(text, kind, "signals/fuzz/index.json");
        detail::sortUnique(again.entries);
        if (detail::serializeIndex(again) != text)
            throw PropertyViolation("index: a written index does not read back to the same text");
    } catch (const StorageError& e) {
        return failed(e.what());
    }
    return {};
}

// --- legacy: one file's bytes through the detector and the reader of its variant. The
// reader takes a path: the bytes go to a file in a private folder, named like a tmp/ dump of
// a run so that the run id and container come from the name as in a real migration.
class ScratchFolder
{
public:
    ScratchFolder()
    {
        const char* tmp = std::getenv("TMPDIR");
        std::filesystem::path base = tmp && *tmp ? tmp : "/tmp";
        if (std::filesystem::is_directory("/dev/shm"))
            base = "/dev/shm"; // the fuzzer writes this file at every execution
        m_root = base / ("sigscope-fuzz-" + std::to_string(::getpid()));
        const auto dir = m_root / "workspaces/tmp/20250301_120000";
        std::filesystem::create_directories(dir);
        m_file = dir / "signals_strategy_SPY_fuzz_20250301_120000.json";
    }
    ~ScratchFolder()
    {
        std::error_code ec;
        std::filesystem::remove_all(m_root, ec);
    }
    ScratchFolder(const ScratchFolder&) = delete;
    ScratchFolder& operator=(const ScratchFolder&) = delete;
    [[nodiscard]] const std::filesystem::path& file() const { return m_file; }

private:
    std::filesystem::path m_root;
    std::filesystem::path m_file;
};

inline const std::filesystem::path& legacyScratchFile()
{
    static const ScratchFolder folder;
    return folder.file();
}

inline Outcome legacyReader(std::string_view bytes)
{
    using namespace sigscope::core::migration;
    const auto& path = legacyScratchFile();
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out.flush())
            throw std::runtime_error("legacy: cannot write the scratch file " + path.string());
    }
    SourceFile source;
    source.path = path;
    source.displayPath = path.generic_string();
    source.sourcePath = "20250301_120000/" + path.filename().string();
    source.size = bytes.size();
    const ParsedSource parsed = readLegacyFile(source);
    if (parsed.result != ParsedSource::Result::Ok) {
        if (parsed.reason.empty())
            throw PropertyViolation("legacy: a result that is not Ok without a reason");
        return failed(parsed.reason);
    }
    if (parsed.digests.size() != parsed.traces.size())
        throw PropertyViolation("legacy: one digest per trace expected");
    for (const auto& trace : parsed.traces)
        (void)sigscope::core::serializeTrace(trace);
    return {};
}

// --- canonical: Parameters::fromJson (nested values kept as canonical text) and the number
// and string writers of core/util/canonical. Canonical text is a fixed point: parsing it and
// writing it again gives the same bytes.
inline Outcome canonicalJson(std::string_view bytes)
{
    using namespace sigscope::core;
    if (bytes.size() >= sizeof(double)) {
        double d = 0;
        std::memcpy(&d, bytes.data(), sizeof d);
        const std::string text = canonical::doubleText(d);
        if (std::isfinite(d)) {
            const double back = std::strtod(text.c_str(), nullptr);
            if (std::memcmp(&back, &d, sizeof d) != 0 &&
                !(d == 0.0 && back == 0.0 && std::signbit(d) == std::signbit(back)))
                throw PropertyViolation("canonical: " + text + " does not read back to the same double");
        } else if (text != "null") {
            throw PropertyViolation("canonical: a non-finite double written as " + text);
        }
    }
    std::string quoted;
    canonical::appendString(quoted, bytes);
    Parameters params;
    try {
        params = Parameters::fromJson(bytes);
    } catch (const std::invalid_argument& e) {
        return failed(e.what());
    }
    const std::string text = params.canonicalJson();
    if (Parameters::fromJson(text).canonicalJson() != text)
        throw PropertyViolation("canonical: canonical text is not a fixed point");
    return {};
}

// --- trace config: the tracer's YAML or JSON configuration (chosen by content, as fromFile
// does for a file with another extension), then both parsers directly.
inline Outcome traceConfig(std::string_view bytes)
{
    using sigscope::core::TraceConfig;
    using sigscope::core::TraceConfigError;
    Outcome outcome;
    try {
        (void)TraceConfig::fromText(bytes, "fuzz.yaml");
    } catch (const TraceConfigError& e) {
        outcome = failed(e.what());
    }
    try {
        (void)TraceConfig::fromJson(bytes, "fuzz.json");
    } catch (const TraceConfigError&) {
    }
    try {
        (void)TraceConfig::fromYaml(bytes, "fuzz.yaml");
    } catch (const TraceConfigError&) {
    }
    return outcome;
}

// Names as used for the fuzz target executables (fuzz_<name>) and tests/data/fuzz/<name>/.
struct Target
{
    std::string_view name;
    Outcome (*run)(std::string_view);
};
inline constexpr std::array<Target, 5> kTargets{{
    {"trace", &traceReader},
    {"index", &indexReader},
    {"legacy", &legacyReader},
    {"canonical", &canonicalJson},
    {"trace_config", &traceConfig},
}};

} // namespace sigscope::fuzz
