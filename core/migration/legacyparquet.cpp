#include "core/migration/legacyparquet.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace sigscope::core::migration::detail {

namespace {

// A footer larger than this is taken as damage (upstream footers are under 100 KB).
constexpr std::uint32_t kMaxFooter = std::uint32_t{64} << 20;

bool readAt(int fd, char* data, std::size_t size, std::uint64_t offset)
{
    while (size > 0) {
        const ssize_t got = ::pread(fd, data, size, static_cast<off_t>(offset));
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return false;
        data += got;
        size -= static_cast<std::size_t>(got);
        offset += static_cast<std::uint64_t>(got);
    }
    return true;
}

} // namespace

bool hasTraceColumns(std::string_view footer)
{
    // A schema element's name is a Thrift string: its length as one varint byte, then the bytes.
    for (const std::string_view column : kParquetTraceColumns) {
        std::string pattern(1, static_cast<char>(column.size()));
        pattern += column;
        if (footer.find(pattern) == std::string_view::npos)
            return false;
    }
    return true;
}

ParsedSource readParquetFile(int fd, const SourceFile& source)
{
    using R = ParsedSource::Result;
    // PAR1 <row groups> <footer> <footer length: 4 bytes, little endian> PAR1
    char tail[8];
    if (source.size < 12 || !readAt(fd, tail, sizeof tail, source.size - 8)
        || std::string_view(tail + 4, 4) != kParquetMagic)
        return failedResult(R::Failed, Variant::Unknown, "damaged Parquet file: no footer (truncated?)");
    const std::uint32_t length = static_cast<std::uint32_t>(static_cast<unsigned char>(tail[0]))
        | static_cast<std::uint32_t>(static_cast<unsigned char>(tail[1])) << 8
        | static_cast<std::uint32_t>(static_cast<unsigned char>(tail[2])) << 16
        | static_cast<std::uint32_t>(static_cast<unsigned char>(tail[3])) << 24;
    if (length == 0 || length > kMaxFooter || std::uint64_t{length} + 12 > source.size)
        return failedResult(R::Failed, Variant::Unknown,
                            "damaged Parquet file: footer length " + std::to_string(length) + " does not fit the file");
    const auto footer = std::make_unique_for_overwrite<char[]>(length);
    if (!readAt(fd, footer.get(), length, source.size - 8 - length))
        return failedResult(R::Failed, Variant::Unknown, std::string("read failed: ") + std::strerror(errno));
    if (!hasTraceColumns(std::string_view(footer.get(), length)))
        return failedResult(R::Unrecognised, Variant::Unknown,
                            "Parquet file without the trace columns idx, ts, sym, val, strat, px (not a trace)");
    return failedResult(R::Unrecognised, Variant::L6, "Parquet trace (L6), not supported by this version");
}

} // namespace sigscope::core::migration::detail
