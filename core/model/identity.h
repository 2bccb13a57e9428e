#pragma once

#include "core/model/parameters.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sigscope::core {

enum class Kind : std::uint8_t { Signal, Classifier };

std::string_view kindName(Kind kind);   // "signal" / "classifier"
std::string_view kindFolder(Kind kind); // "signals" / "classifiers"
std::optional<Kind> kindFromName(std::string_view name);
std::optional<Kind> kindFromFolder(std::string_view folder);

// The identity of a trace (storage-format.md §2). Two traces with equal identity are the same
// trace; the hash of the canonical identity text names the file.
struct TraceIdentity
{
    Kind kind = Kind::Signal;
    std::string name;
    Parameters parameters;
    std::optional<std::string> symbol;
    std::optional<std::string> timeframe;
    std::optional<std::string> run;
    std::optional<std::int64_t> variant; // only when two traces of one run disagree (2, 3, ...)

    // {"kind":..,"name":..,"parameters":..,"run":..,"symbol":..,"timeframe":..[,"variant":..]}
    [[nodiscard]] std::string canonicalJson() const;
    [[nodiscard]] std::uint64_t hash() const;
    [[nodiscard]] std::string hashHex() const; // 16 lower-case hex digits

    bool operator==(const TraceIdentity&) const = default;
};

// The symbol an upstream container id names: "strategy_<SYM>_<name>" for a signal,
// "classifier_<SYM>_<name>" for a classifier (upstream lost the symbol field, storage-format.md
// §5 and the version-0 quirks); nullopt when the id has another shape.
std::optional<std::string> symbolFromContainer(Kind kind, std::string_view name, std::string_view containerId);

// XXH3-64 with seed 0 of arbitrary bytes, and its 16-digit form.
std::uint64_t xxh3(std::string_view bytes);
std::string hex16(std::uint64_t hash);

} // namespace sigscope::core
