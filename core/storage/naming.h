#pragma once

#include "core/model/identity.h"

#include <string>
#include <string_view>

// File and folder names of the storage (storage-format.md §3-§4). Pure functions: whatever a
// name holds, the results are safe single path components.
namespace sigscope::core::naming {

// Every character outside [A-Za-z0-9._-] becomes '_', runs of '_' collapse, leading dots go,
// the result is cut to maxBytes. Never empty ("unnamed"), never "." or "..".
std::string sanitize(std::string_view name, std::size_t maxBytes = 80);

// Type folder: explicit type (sanitised) if given, else the grid rule, else the keyword table.
std::string typeFor(Kind kind, std::string_view name, std::string_view explicitType = {});

// "<base>[_<part>...]" without hash and extension.
std::string fileStem(const TraceIdentity& identity);
// "<stem>_<hash8>.json", or with all 16 digits when longHash is set (collision rule).
std::string fileName(const TraceIdentity& identity, bool longHash = false);
// "<signals|classifiers>/<type>/<fileName>" relative to the storage root, '/' separated.
std::string relativePath(const TraceIdentity& identity, std::string_view type, bool longHash = false);

// "SPY_ma_crossover_5_20" with symbol "SPY" -> "ma_crossover_5_20".
std::string stripSymbolPrefix(std::string_view name, std::string_view symbol);

} // namespace sigscope::core::naming
