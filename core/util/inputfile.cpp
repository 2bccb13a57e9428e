#include "core/util/inputfile.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sigscope::core {

std::string fileTypeName(unsigned mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG: return "regular file";
    case S_IFDIR: return "folder";
    case S_IFIFO: return "FIFO";
    case S_IFSOCK: return "socket";
    case S_IFCHR: return "character device";
    case S_IFBLK: return "block device";
    case S_IFLNK: return "symbolic link";
    default: return "unknown file type";
    }
}

InputFile::InputFile(const std::filesystem::path& path)
{
    m_fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (m_fd < 0) {
        const int err = errno;
        throw InputFileError(std::string("cannot open: ") + std::strerror(err));
    }
    struct stat st {};
    if (::fstat(m_fd, &st) != 0) {
        const int err = errno;
        ::close(m_fd);
        m_fd = -1;
        throw InputFileError(std::string("cannot stat: ") + std::strerror(err));
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(m_fd);
        m_fd = -1;
        if (S_ISDIR(st.st_mode))
            throw InputFileError("is a folder, not a file");
        throw InputFileError("not a regular file (" + fileTypeName(st.st_mode) + ")");
    }
    // A regular file never blocks; reads then behave as without the flag.
    const int flags = ::fcntl(m_fd, F_GETFL);
    if (flags >= 0)
        ::fcntl(m_fd, F_SETFL, flags & ~O_NONBLOCK);
    m_size = static_cast<std::uint64_t>(st.st_size);
}

InputFile::~InputFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

std::string InputFile::readAll()
{
    // One spare byte sees a file that grew since fstat; then it is read in pieces to its end.
    std::string out(static_cast<std::size_t>(m_size) + 1, '\0');
    std::size_t got = 0;
    for (;;) {
        if (got == out.size())
            out.resize(out.size() + (std::size_t{1} << 16));
        const ssize_t n = ::read(m_fd, out.data() + got, out.size() - got);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw InputFileError(std::string("read failed: ") + std::strerror(errno));
        }
        if (n == 0)
            break;
        got += static_cast<std::size_t>(n);
    }
    out.resize(got);
    return out;
}

std::size_t InputFile::readInto(char* out, std::size_t capacity)
{
    std::size_t got = 0;
    while (got < capacity) {
        const ssize_t n = ::read(m_fd, out + got, capacity - got);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw InputFileError(std::string("read failed: ") + std::strerror(errno));
        }
        if (n == 0)
            break;
        got += static_cast<std::size_t>(n);
    }
    return got;
}

std::string readInputFile(const std::filesystem::path& path)
{
    InputFile file(path);
    return file.readAll();
}

} // namespace sigscope::core
