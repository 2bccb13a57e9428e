#include "core/storage/json_sax.h"

#include "core/storage/storage.h"
#include "core/util/canonical.h"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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

void RawCapture::key(std::string_view k)
{
    Level& top = m_stack.back();
    if (top.count++ > 0)
        m_text.push_back(',');
    canonical::appendString(m_text, k);
    m_text.push_back(':');
}

void RawCapture::endContainer(char closer)
{
    m_text.push_back(closer);
    m_stack.pop_back();
    finishIfTop();
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
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw StorageError(path, std::string("cannot open: ") + std::strerror(errno));
    struct stat st {};
    std::string out;
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        out.reserve(static_cast<std::size_t>(st.st_size));
    else if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        ::close(fd);
        throw StorageError(path, "is a folder, not a file");
    }
    char buf[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            const int err = errno;
            ::close(fd);
            throw StorageError(path, std::string("read failed: ") + std::strerror(err));
        }
        if (n == 0)
            break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
}

} // namespace sigscope::core::detail
