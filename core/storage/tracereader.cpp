#include "core/storage/tracereader.h"

// The data file reader: one walk over simdjson's On-Demand API that builds the Trace and words
// every content error; nlohmann is asked only on the error path, for the line, column and reason
// of a syntax error (its wording, which the messages have always used). The walk is in
// tracewalker.cpp; loading and the path-derived settling are in traceio.cpp.

#include "core/storage/storage.h"
#include "core/storage/tracewalker.h"
#include "core/util/inputfile.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <simdjson.h>

namespace sigscope::core::detail {

namespace {

using tracewalk::ChangeFields;
using tracewalk::WalkFailure;
using tracewalk::Walker;
namespace od = simdjson::ondemand;

// nlohmann's SAX interface, doing nothing but remembering where and why the text stops being
// JSON: the error path's locator.
struct SyntaxLocator
{
    using json = nlohmann::json;
    std::optional<std::size_t> position;
    std::string reason;
    bool null() { return true; }
    bool boolean(bool) { return true; }
    bool number_integer(json::number_integer_t) { return true; }
    bool number_unsigned(json::number_unsigned_t) { return true; }
    bool number_float(json::number_float_t, const json::string_t&) { return true; }
    bool string(json::string_t&) { return true; }
    bool binary(json::binary_t&) { return true; }
    bool start_object(std::size_t) { return true; }
    bool start_array(std::size_t) { return true; }
    bool end_object() { return true; }
    bool end_array() { return true; }
    bool key(json::string_t&) { return true; }
    template<class Exception>
    bool parse_error(std::size_t at, const std::string&, const Exception& ex)
    {
        position = at;
        reason = parseErrorReason(ex.what());
        return false;
    }
};

std::string located(std::string_view text, std::size_t charsRead, const std::string& reason, std::int64_t& line)
{
    const auto pos = textPosition(text, charsRead);
    line = pos.line;
    return "line " + std::to_string(pos.line) + ", column " + std::to_string(pos.column) + ": " + reason;
}

// The error a failed walk reports, as the file's readers always have: the first problem in the
// text's order, a syntax error with its line, column and nlohmann's wording.
// The walk over text[0, n) alone, with a parser of its own: the content error it meets first, if
// any ends before n.
std::optional<WalkFailure> contentErrorBefore(std::string_view text, std::size_t n)
{
    // Closed with the brackets it leaves open: On-Demand checks the root's last bracket first.
    std::string closed(text.substr(0, n));
    std::string open;
    bool inString = false;
    for (std::size_t i = 0; i < n; ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            open.push_back(c == '{' ? '}' : ']');
        } else if ((c == '}' || c == ']') && !open.empty()) {
            open.pop_back();
        }
    }
    if (inString)
        closed.push_back('"');
    closed.append(open.rbegin(), open.rend());
    const PaddedText prefix = paddedCopy(closed);
    od::parser parser;
    Walker walker(prefix.data.get(), prefix.size);
    try {
        od::document d;
        const std::size_t bom = closed.starts_with("\xef\xbb\xbf") ? 3 : 0;
        if (parser.iterate(prefix.data.get() + bom, prefix.size - bom, prefix.capacity - bom).get(d) == simdjson::SUCCESS)
            walker.run(d);
    } catch (const WalkFailure& f) {
        if (!f.reason.empty() && f.end < n)
            return f;
    } catch (const StorageError&) {
    }
    return std::nullopt;
}

[[noreturn]] void report(std::string_view text, WalkFailure f, const std::filesystem::path& path)
{
    SyntaxLocator locator;
    nlohmann::json::sax_parse(text.data(), text.data() + text.size(), &locator);
    if (f.reason.empty() && locator.position) {
        // simdjson refused the text before reaching the place (its first stage sees the whole
        // text): a content error before the syntax error still comes first. Walk the text up to
        // the syntax error, or up to the string it is in.
        const std::size_t at = std::min(*locator.position, text.size());
        std::optional<WalkFailure> earlier = contentErrorBefore(text, at);
        const std::size_t quote = text.substr(0, at).rfind('"');
        if (!earlier && quote != std::string_view::npos && quote > 0)
            earlier = contentErrorBefore(text, quote);
        if (earlier)
            f = std::move(*earlier);
    }
    const bool contentFirst = !f.reason.empty() && (!locator.position || *locator.position > f.end);
    if (contentFirst)
        throw StorageError(path, f.reason);
    std::int64_t line = 0;
    if (locator.position) {
        std::string message = located(text, *locator.position, locator.reason, line);
        throw StorageError(path, std::move(message), line);
    }
    // nlohmann stops at a NUL byte as at the end of the text; JSON does not.
    if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
        std::string message = located(text, nul + 1, "syntax error - unexpected NUL byte", line);
        throw StorageError(path, std::move(message), line);
    }
    // JSON to nlohmann, not to simdjson (a number beyond doubles, say): simdjson's reason.
    std::string message = located(text, f.begin + 1, simdjson::error_message(f.code), line);
    throw StorageError(path, std::move(message), line);
}

} // namespace

Trace readTraceText(const char* data, std::size_t size, std::size_t capacity, const std::filesystem::path& path)
{
    const std::string_view text(data, size);
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
        throw StorageError(path, "the file is empty");
    // A parser per call: its buffers are as large as the file, and a thread-local one would keep
    // the largest file's for the thread's life. Small files reuse this thread's.
    constexpr std::size_t kKeptCapacity = std::size_t{1} << 22;
    thread_local od::parser small;
    std::optional<od::parser> large;
    od::parser& parser = size <= kKeptCapacity ? small : large.emplace(size);
    Walker walker(data, size);
    try {
        // A UTF-8 byte order mark is skipped (as nlohmann does); offsets still count it.
        const std::size_t bom = text.starts_with("\xef\xbb\xbf") ? 3 : 0;
        auto doc = parser.iterate(data + bom, size - bom, capacity - bom);
        od::document d;
        if (const auto e = std::move(doc).get(d))
            throw WalkFailure{{}, 0, 0, e};
        walker.run(d);
    } catch (const WalkFailure& f) {
        report(text, f, path);
    }
    if (!walker.sawMetadata)
        throw StorageError(path, "no metadata object");
    if (!walker.kindKnown)
        throw StorageError(path, "metadata has neither strategy_name nor classifier_name");
    if (!walker.sawChanges)
        throw StorageError(path, "no changes array");
    Trace trace = std::move(walker.trace);
    const bool signal = trace.kind() == Kind::Signal;
    // Changes read before the metadata told the kind: checked and appended now, in order.
    for (std::size_t i = 0; i < walker.pending.size(); ++i) {
        const ChangeFields& c = walker.pending[i];
        if (signal && !c.hasVal)
            throw StorageError(path, "change " + std::to_string(i + 1)
                                         + (c.hasRegime ? ": val is a string" : ": val is missing"));
        if (!signal && !c.hasRegime)
            throw StorageError(path, "change " + std::to_string(i + 1) + ": regime is missing");
    }
    for (const ChangeFields& c : walker.pending) {
        const std::string_view ts = c.hasTs ? c.ts : std::string_view();
        if (signal)
            trace.appendSignal(c.idx, ts, static_cast<std::int32_t>(c.val), c.price);
        else
            trace.appendRegime(c.idx, ts, c.regime, c.confidence, c.price);
    }
    if (!walker.sawFormatVersion)
        trace.metadata.formatVersion = 0;
    trace.shrinkToFit();
    return trace;
}

std::size_t tracePadding()
{
    return simdjson::SIMDJSON_PADDING;
}

PaddedText paddedCopy(std::string_view text)
{
    PaddedText out;
    out.size = text.size();
    out.capacity = text.size() + simdjson::SIMDJSON_PADDING;
    out.data = std::make_unique_for_overwrite<char[]>(out.capacity);
    std::memcpy(out.data.get(), text.data(), text.size());
    std::memset(out.data.get() + out.size, 0, simdjson::SIMDJSON_PADDING);
    return out;
}

// One read(2) into a buffer of the file's size plus the padding, allocated without zero-filling;
// only the padding is written. (Not mmap: a file shorter than its stat size, or one truncated
// while mapped, would fault; read(2) just returns less.)
PaddedText readPaddedFile(const std::filesystem::path& path)
{
    try {
        InputFile file(path);
        const auto size = static_cast<std::size_t>(file.size());
        PaddedText out;
        out.capacity = size + simdjson::SIMDJSON_PADDING;
        out.data = std::make_unique_for_overwrite<char[]>(out.capacity);
        out.size = file.readInto(out.data.get(), size + 1); // one spare byte sees a file that grew
        if (out.size > size) { // grown since fstat: read to its new end
            std::string all(out.data.get(), out.size);
            all += file.readAll();
            return paddedCopy(all);
        }
        std::memset(out.data.get() + out.size, 0, out.capacity - out.size);
        return out;
    } catch (const InputFileError& e) {
        throw StorageError(path, e.what());
    }
}

} // namespace sigscope::core::detail
