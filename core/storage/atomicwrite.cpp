#include "core/storage/indexio.h"

// Writing files so that readers see the old content or the new, never a part: temporary files
// beside the target, fsync, rename(2); the folder checks that keep writes inside the storage;
// removing the temporary files of writers that died.

#include "core/util/inputfile.h"

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sigscope::core::detail {

namespace {

std::string errnoText(int err)
{
    return std::strerror(err);
}

// The writer's pid in ".<name>.tmp.<pid>.<n>", or 0 for any other name.
pid_t temporaryOwner(const std::string& name)
{
    if (name.size() < 8 || name.front() != '.')
        return 0;
    const auto tag = name.rfind(".tmp.");
    if (tag == std::string::npos || tag == 0)
        return 0;
    const std::string_view rest = std::string_view(name).substr(tag + 5);
    const auto dot = rest.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == rest.size())
        return 0;
    long long pid = 0;
    const auto r = std::from_chars(rest.data(), rest.data() + dot, pid);
    if (r.ptr != rest.data() + dot || pid <= 0)
        return 0;
    for (const char c : rest.substr(dot + 1))
        if (c < '0' || c > '9')
            return 0;
    return static_cast<pid_t>(pid);
}

bool processRunning(pid_t pid)
{
    return ::kill(pid, 0) == 0 || errno == EPERM;
}

} // namespace

void removeStaleTemporariesIn(const std::filesystem::path& dir, std::vector<std::filesystem::path>* removed)
{
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const pid_t owner = temporaryOwner(it->path().filename().string());
        if (owner == 0 || owner == ::getpid() || processRunning(owner))
            continue;
        std::error_code statEc;
        if (!it->is_regular_file(statEc) || it->is_symlink(statEc))
            continue;
        if (::unlink(it->path().c_str()) == 0 && removed)
            removed->push_back(it->path());
    }
}

namespace {

// Creates dir when asked and missing; refuses a symbolic link or anything but a folder there.
void checkOneFolder(const std::filesystem::path& dir, bool create)
{
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0) {
        const int err = errno;
        if (err == ENOENT && !create)
            return; // nothing there to write through
        if (err != ENOENT)
            throw StorageError(dir, "cannot inspect the folder: " + errnoText(err));
        if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
            throw StorageError(dir, "cannot create the folder: " + errnoText(errno));
        if (::lstat(dir.c_str(), &st) != 0)
            throw StorageError(dir, "cannot inspect the folder: " + errnoText(errno));
    }
    if (S_ISLNK(st.st_mode))
        throw StorageError(dir, "is a symbolic link; sigscope never writes through one (the kind and type folders "
                                "must be real folders inside the storage)");
    if (!S_ISDIR(st.st_mode))
        throw StorageError(dir, "is not a folder (" + fileTypeName(st.st_mode) + ")");
}

} // namespace

std::filesystem::path checkTypeFolderForWrite(const std::filesystem::path& root, Kind kind, const std::string& type,
                                              bool create)
{
    if (type.empty() || type == "." || type == ".." || type.find('/') != std::string::npos)
        throw StorageError(root / kindFolder(kind), "invalid type folder name '" + type + "'");
    const auto kindDir = root / kindFolder(kind);
    checkOneFolder(kindDir, create);
    auto typeDir = kindDir / type;
    checkOneFolder(typeDir, create);
    return typeDir;
}

void checkFolderForWrite(const std::filesystem::path& dir, bool create)
{
    checkOneFolder(dir, create);
}

void syncFolder(const std::filesystem::path& dir)
{
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        throw StorageError(dir, "cannot open the folder to sync it: " + errnoText(errno));
    if (::fsync(fd) != 0 && errno != EINVAL) {
        const int err = errno;
        ::close(fd);
        throw StorageError(dir, "fsync of the folder failed: " + errnoText(err));
    }
    ::close(fd);
}

namespace {

// Writes everything the producer hands over to fd; the producer's text never needs to be whole.
class FdSink
{
public:
    FdSink(int fd, const std::filesystem::path& path)
        : m_fd(fd)
        , m_path(path)
    {
    }
    void operator()(std::string_view text) const
    {
        const char* p = text.data();
        std::size_t left = text.size();
        while (left > 0) {
            const ssize_t n = ::write(m_fd, p, left);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                throw StorageError(m_path, "write failed: " + errnoText(errno));
            }
            p += n;
            left -= static_cast<std::size_t>(n);
        }
    }

private:
    int m_fd;
    const std::filesystem::path& m_path;
};

} // namespace

std::filesystem::path temporaryPathFor(const std::filesystem::path& path)
{
    static std::atomic<std::uint64_t> counter{0};
    const auto dir = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    // Hidden and without .json: never mistaken for a data file by a listing.
    return dir
        / ("." + path.filename().string() + ".tmp." + std::to_string(::getpid()) + "."
           + std::to_string(counter.fetch_add(1)));
}

namespace {

// Creates the temporary file, lets the producer fill it, then fsyncs it (durable now) or leaves
// it to the kernel's write-back (the caller syncs the file system once for a whole batch; starting
// the write-back here per file cost more CPU than it saved waiting).
std::filesystem::path writeTemporaryFile(const std::filesystem::path& path, const TextProducer& produce, bool fsyncNow)
{
    auto tmp = temporaryPathFor(path);
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        throw StorageError(path, "cannot create a temporary file: " + errnoText(errno));
    try {
        produce(FdSink(fd, path));
    } catch (...) {
        ::close(fd);
        ::unlink(tmp.c_str());
        throw;
    }
    if (fsyncNow && ::fsync(fd) != 0) {
        const int err = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        throw StorageError(path, "fsync failed: " + errnoText(err));
    }
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw StorageError(path, "close failed: " + errnoText(err));
    }
    return tmp;
}

} // namespace

void replaceFile(const std::filesystem::path& path, std::string_view content, bool syncDir)
{
    replaceFile(path, [content](const TextSink& sink) { sink(content); }, syncDir);
}

void replaceFile(const std::filesystem::path& path, const TextProducer& produce, bool syncDir)
{
    const auto tmp = writeTemporaryFile(path, produce, true);
    renameIntoPlace(tmp, path);
    if (syncDir)
        syncFolder(path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path());
}

std::filesystem::path writeUnsynced(const std::filesystem::path& path, const TextProducer& produce)
{
    return writeTemporaryFile(path, produce, false);
}

namespace {

// Opens path read-only and applies fsync(2) or syncfs(2) to it; StorageError naming path on failure.
void syncOpened(const std::filesystem::path& path, bool folder, int (*sync)(int), const char* what)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | (folder ? O_DIRECTORY : O_NOFOLLOW));
    if (fd < 0)
        throw StorageError(path, std::string("cannot open it to sync it: ") + errnoText(errno));
    if (sync(fd) != 0) {
        const int err = errno;
        ::close(fd);
        throw StorageError(path, std::string(what) + " failed: " + errnoText(err));
    }
    ::close(fd);
}

} // namespace

void syncFileSystem(const std::filesystem::path& dir)
{
    syncOpened(dir, true, ::syncfs, "syncfs");
}

void syncFile(const std::filesystem::path& file)
{
    syncOpened(file, false, ::fsync, "fsync");
}

void renameIntoPlace(const std::filesystem::path& temporary, const std::filesystem::path& path)
{
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(temporary.c_str());
        throw StorageError(path, "rename failed: " + errnoText(err));
    }
}

} // namespace sigscope::core::detail
