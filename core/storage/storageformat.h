#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace sigscope::core {

// The two formats sigscope writes: version 1 (one JSON file per trace) and version 2 (Parquet
// parts in a Hive layout, docs/format.md "Version 2 (Parquet)").
enum class StorageFormat : std::uint8_t { Json, Parquet };

// "json" / "parquet" and back (nullopt for any other text).
constexpr std::string_view storageFormatName(StorageFormat format)
{
    return format == StorageFormat::Parquet ? "parquet" : "json";
}
constexpr std::optional<StorageFormat> storageFormatFromName(std::string_view name)
{
    if (name == "json")
        return StorageFormat::Json;
    if (name == "parquet")
        return StorageFormat::Parquet;
    return std::nullopt;
}

} // namespace sigscope::core
