#include "core/storage/jsonsax.h"

#include "core/storage/storage.h"
#include "core/util/canonical.h"
#include "core/util/inputfile.h"

#include <charconv>

namespace sigscope::core::detail {

void RawCapture::beforeValue()
{
    if (m_stack.empty())
        return;
    Level& top = m_stack.back();
    if (!top.object) {
        if (top.count++ > 0)
            m_text.push_back(',');
    }
    // In an object the key already wrote its separator and ':'.
}

void RawCapture::string(std::string_view s)
{
    beforeValue();
    canonical::appendString(m_text, s);
    finishIfTop();
}

bool RawCapture::key(std::string_view k)
{
    Level& top = m_stack.back();
    if (!top.keys.emplace(k).second)
        return false;
    if (top.count++ > 0)
        m_text.push_back(',');
    canonical::appendString(m_text, k);
    m_text.push_back(':');
    return true;
}

std::string duplicateKeyReason(std::string_view key)
{
    std::string out = "duplicate key ";
    canonical::appendString(out, key);
    return out;
}

void RawCapture::endContainer(char closer)
{
    m_text.push_back(closer);
    m_stack.pop_back();
    finishIfTop();
}

bool isKnownMetadataKey(std::string_view k)
{
    return k == "strategy_name" || k == "classifier_name" || k == "strategy_type" || k == "classifier_type"
        || k == "symbol" || k == "timeframe" || k == "run" || k == "variant" || k == "total_bars"
        || k == "signal_changes" || k == "regime_changes" || k == "compression_ratio" || k == "created_at"
        || k == "file_hash" || k == "format_version";
}

void appendInt(std::string& out, std::int64_t value)
{
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, r.ptr);
}

void appendOptionalString(std::string& out, const std::optional<std::string>& value)
{
    if (value)
        canonical::appendString(out, *value);
    else
        out += "null";
}

TextPosition textPosition(std::string_view text, std::size_t charsRead)
{
    // nlohmann counts the offending character (or the end of input) as read.
    const std::size_t end = std::min(charsRead > 0 ? charsRead - 1 : 0, text.size());
    TextPosition pos;
    std::size_t lineStart = 0;
    for (std::size_t i = 0; i < end; ++i) {
        if (text[i] == '\n') {
            ++pos.line;
            lineStart = i + 1;
        }
    }
    pos.column = static_cast<std::int64_t>(end - lineStart) + 1;
    return pos;
}

std::string parseErrorReason(std::string_view what)
{
    // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error while ..."
    auto p = what.find("] ");
    if (p != std::string_view::npos)
        what.remove_prefix(p + 2);
    if (what.starts_with("parse error")) {
        p = what.find(": ");
        if (p != std::string_view::npos)
            what.remove_prefix(p + 2);
    }
    return std::string(what);
}

std::string readWholeFile(const std::filesystem::path& path)
{
    try {
        return readInputFile(path);
    } catch (const InputFileError& e) {
        throw StorageError(path, e.what());
    }
}

} // namespace sigscope::core::detail
