#include "core/migration/legacy.h"

#include "core/migration/legacydetect.h"
#include "core/migration/legacylines.h"
#include "core/migration/legacyparquet.h"
#include "core/util/inputfile.h"
#include "core/util/jsonstream.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>

// The entry of the legacy readers: Parquet is told by its magic (legacyparquet.h), JSON lines
// from their first lines (legacylines.h); every other file is one JSON document streamed through the variant detector
// (legacydetect.h), which hands its parts to the reader of their family.
namespace sigscope::core::migration {

using detail::failedResult;

namespace {

// The document through nlohmann's SAX parser: used when the streaming reader gave up on the
// text, so that a broken file is reported in nlohmann's words with its line and column.
ParsedSource readWithNlohmann(const SourceFile& source)
{
    using R = ParsedSource::Result;
    std::vector<char> buffer(1 << 20);
    std::ifstream in;
    in.rdbuf()->pubsetbuf(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    in.open(source.path, std::ios::in | std::ios::binary);
    if (!in)
        return failedResult(R::Failed, Variant::Unknown, "cannot open for reading");
    detail::VariantDetector sax(source.size);
    bool ok = false;
    try {
        ok = nlohmann::json::sax_parse(in, &sax);
    } catch (const std::exception& e) {
        return failedResult(R::Failed, Variant::Unknown, e.what());
    }
    if (in.bad())
        return failedResult(R::Failed, Variant::Unknown, "read failed");
    return ok ? sax.classify(source) : sax.stopped(source);
}

// What a file of another extension usually is in a results folder, for the report.
std::string describeOther(const std::filesystem::path& path)
{
    const std::string ext = path.extension().string();
    if (ext == ".yaml" || ext == ".yml")
        return "a config file";
    if (ext == ".duckdb" || ext == ".sql")
        return "an analytics database or query";
    if (ext == ".csv")
        return "a CSV file";
    return ext.empty() ? std::string("no extension") : "a " + ext + " file";
}

} // namespace

ParsedSource readLegacyFile(const SourceFile& source)
{
    using R = ParsedSource::Result;
    // Regular files only (a FIFO or device named like a dump would block the read forever).
    std::optional<InputFile> input;
    try {
        input.emplace(source.path);
    } catch (const InputFileError& e) {
        return failedResult(R::Failed, Variant::Unknown, e.what());
    }
    const InputFile& file = *input;
    if (source.otherExtension)
        return failedResult(R::Skipped, Variant::Unknown,
                            "not a .json, .jsonl or .parquet file (" + describeOther(source.path) + "): not read");
    ::posix_fadvise(file.fd(), 0, 0, POSIX_FADV_SEQUENTIAL);

    constexpr std::size_t headSize = 1 << 16;
    const auto headBuffer = std::make_unique_for_overwrite<char[]>(headSize);
    ssize_t got = 0;
    do
        got = ::pread(file.fd(), headBuffer.get(), headSize, 0);
    while (got < 0 && errno == EINTR);
    if (got < 0)
        return failedResult(R::Failed, Variant::Unknown, std::string("read failed: ") + std::strerror(errno));
    const std::string_view head(headBuffer.get(), static_cast<std::size_t>(got));
    if (head.empty())
        return detail::noJsonText(source, "empty file");
    if (head.starts_with(detail::kParquetMagic))
        return detail::readParquetFile(file.fd(), source);
    const auto firstChar = head.find_first_not_of(" \t\r\n");
    if (firstChar == std::string_view::npos && head.size() < headSize)
        return detail::noJsonText(source, "no JSON value (only white space)");
    if (firstChar != std::string_view::npos && head[firstChar] == '{') {
        switch (detail::jsonLinesKind(head.substr(firstChar))) {
        case detail::JsonLines::Signals: return detail::readLinesFile(source);
        case detail::JsonLines::Other:
            return failedResult(R::Unrecognised, Variant::Unknown, "JSON lines, not a signal dump");
        case detail::JsonLines::None: break;
        }
    }

    detail::VariantDetector sax(source.size);
    jsonstream::Reader reader(file.fd());
    switch (reader.parse(sax)) {
    case jsonstream::Result::Ok: return sax.classify(source);
    case jsonstream::Result::Stopped: return sax.stopped(source);
    case jsonstream::Result::ReadError:
        return failedResult(R::Failed, Variant::Unknown, std::string("read failed: ") + std::strerror(reader.error()));
    case jsonstream::Result::SyntaxError: break;
    }
    return readWithNlohmann(source);
}

} // namespace sigscope::core::migration
