#include "core/migration/legacyparquet.h"

#include "core/storage/storage.h"
#include "core/storage/workspace.h"

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

// One trace file of a workspace (read through core/storage/workspace.h), mapped like every legacy
// trace: repeats dropped, verify's rules checked, the source recorded.
ParsedSource mapWorkspaceTrace(const SourceFile& source)
{
    using R = ParsedSource::Result;
    Trace read;
    try {
        workspaceTracePath(source.path); // the identity comes from the path: say so when it cannot
    } catch (const StorageError&) {
        return failedResult(R::Failed, Variant::L6, "Parquet trace (L6) outside a workspace's "
                                                    "traces/<SYM>_<TF>/{signals,classifiers}/<type>/ folder: no identity");
    }
    try {
        read = loadWorkspaceTrace(source.path);
    } catch (const StorageError& e) {
        return failedResult(R::Failed, Variant::L6, e.reason());
    }
    ParsedSource out;
    out.variant = Variant::L6;
    out.changes = read.size();
    const bool classifier = read.kind() == Kind::Classifier;
    Trace trace(read.identity, read.type);
    trace.reserve(read.size());
    ChangeDigest digest;
    std::uint64_t repeats = 0;
    std::string problem;
    IsoTimeBuffer buffer;
    for (std::size_t i = 0; i < read.size(); ++i) {
        const std::string value = read.valueText(i);
        const std::string_view ts = read.timeText(i, buffer);
        const std::size_t n = trace.size();
        if (problem.empty()) {
            const auto previous = n ? std::optional(trace.bar(n - 1)) : std::nullopt;
            if (auto p = changeProblem(read.bar(i), previous, read.price(i), classifier, value, 1.0); !p.empty())
                problem = "row " + std::to_string(i + 1) + ": " + p;
        }
        if (n > 0 && (classifier ? trace.regimeName(n - 1) == value : trace.value(n - 1) == read.value(i))) {
            ++repeats;
            continue;
        }
        if (classifier)
            trace.appendRegime(read.bar(i), ts, value, 1.0, read.price(i));
        else
            trace.appendSignal(read.bar(i), ts, read.value(i), read.price(i));
        digest.add(read.bar(i), value, ts, read.price(i), 1.0);
    }
    out.repeatsDropped.push_back(repeats);
    out.invalid.push_back(std::move(problem));
    out.digests.push_back(digest.value());
    finishTrace(trace, read.metadata.totalBars, source, {});
    out.traces.push_back(std::move(trace));
    return out;
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
    return mapWorkspaceTrace(source);
}

} // namespace sigscope::core::migration::detail
