#include "core/storage/traceio.h"

// Loading data files: the file into a padded buffer (read, or mapped for loadTraceStreaming), the
// reader (tracereader.cpp, simdjson On-Demand) and what the path settles. The metadata facts for
// verify are read in tracemetadata.cpp, the text of a trace written in tracewrite.cpp.

#include "core/storage/naming.h"
#include "core/storage/parquetstorage.h"
#include "core/storage/storage.h"
#include "core/storage/tracereader.h"
#include "core/storage/workspace.h"
#include "core/util/inputfile.h"

#include <cerrno>
#include <cstring>
#include <optional>
#include <sys/mman.h>
#include <unistd.h>

namespace sigscope::core {

namespace {

// The type folder a trace read from `path` belongs to, when the file says none.
std::string typeFromPath(const Trace& trace, const std::filesystem::path& path)
{
    const auto parent = path.parent_path();
    if (!parent.empty() && parent.parent_path().filename() == kindFolder(trace.kind()))
        return parent.filename().string();
    return naming::typeFor(trace.kind(), trace.identity.name);
}

// Upstream (version 0) wrote "UNKNOWN" or no symbol at all; its container id still names the
// symbol ("strategy_SPY_<name>"), so the chart, tree and details can all say SPY.
void settleUpstreamSymbol(Trace& trace)
{
    if (trace.metadata.formatVersion != 0 || (trace.identity.symbol && *trace.identity.symbol != "UNKNOWN"))
        return;
    for (const auto& [key, raw] : trace.metadata.extras) {
        if (key != "container_id" || raw.size() < 2 || raw.front() != '"' || raw.back() != '"'
            || raw.find('\\') != std::string::npos)
            continue;
        if (auto symbol = symbolFromContainer(trace.kind(), trace.identity.name, std::string_view(raw).substr(1, raw.size() - 2)))
            trace.identity.symbol = std::move(symbol);
    }
}

// What the file does not say, settled as every reader settles it.
Trace settled(Trace trace, const std::filesystem::path& path)
{
    if (trace.type.empty())
        trace.type = typeFromPath(trace, path);
    settleUpstreamSymbol(trace);
    return trace;
}

} // namespace

Trace parseTrace(std::string_view text, const std::filesystem::path& pathForMessages)
{
    const detail::PaddedText padded = detail::paddedCopy(text);
    return settled(detail::readTraceText(padded.data.get(), padded.size, padded.capacity, pathForMessages),
                   pathForMessages);
}

Trace loadTrace(const std::filesystem::path& file)
{
    if (isParquetTracePath(file))
        return loadParquetTrace(file);
    if (file.extension() == ".parquet")
        return loadWorkspaceTrace(file);
    const detail::PaddedText text = detail::readPaddedFile(file);
    return settled(detail::readTraceText(text.data.get(), text.size, text.capacity, file), file);
}

Trace loadTraceStreaming(const std::filesystem::path& file)
{
    if (isParquetTracePath(file))
        return loadParquetTrace(file);
    if (file.extension() == ".parquet")
        return loadWorkspaceTrace(file);
    std::optional<InputFile> input;
    try {
        input.emplace(file);
    } catch (const InputFileError& e) {
        throw StorageError(file, e.what());
    }
    // The file mapped, not copied: its pages stay the page cache's (reclaimable), so a large
    // trace costs its columns and the parser's buffers only. The padding simdjson may read past
    // the end is the mapping's last page when it has room, else an anonymous page mapped after it.
    const auto size = static_cast<std::size_t>(input->size());
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t fileSpan = (size + page - 1) / page * page;
    const std::size_t span = fileSpan - size >= detail::tracePadding() ? fileSpan : fileSpan + page;
    if (size == 0)
        return loadTrace(file); // nothing to map: the reader words it
    void* area = ::mmap(nullptr, span, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED)
        throw StorageError(file, std::string("cannot map: ") + std::strerror(errno));
    struct Unmap
    {
        void* p;
        std::size_t n;
        ~Unmap() { ::munmap(p, n); }
    } unmap{area, span};
    if (::mmap(area, fileSpan, PROT_READ, MAP_PRIVATE | MAP_FIXED, input->fd(), 0) == MAP_FAILED)
        throw StorageError(file, std::string("cannot map: ") + std::strerror(errno));
    ::madvise(area, fileSpan, MADV_SEQUENTIAL);
    return settled(detail::readTraceText(static_cast<const char*>(area), size, span, file), file);
}

} // namespace sigscope::core
