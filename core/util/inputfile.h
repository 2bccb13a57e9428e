#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace sigscope::core {

// Why an input could not be opened or read, without the path (callers name the file in their own
// error type): "cannot open: No such file or directory", "is a folder, not a file", "not a regular file (FIFO)", ...
class InputFileError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// The one way core opens a file for reading. open(2) with O_NONBLOCK, so that a FIFO or a device
// never blocks the open, then fstat(2): anything but a regular file is refused before the first
// read, so no read can hang. Symbolic links are followed (reading through them is harmless;
// writes never follow them, see core/storage/indexio.h).
class InputFile
{
public:
    explicit InputFile(const std::filesystem::path& path); // throws InputFileError
    ~InputFile();
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;

    [[nodiscard]] int fd() const { return m_fd; }
    [[nodiscard]] std::uint64_t size() const { return m_size; } // at open time
    // The rest of the file (a file that grows meanwhile is read to its new end). Throws InputFileError.
    std::string readAll();
    // Reads into out[0, capacity) until the end of the file or a full buffer; the bytes read.
    // Throws InputFileError.
    std::size_t readInto(char* out, std::size_t capacity);

private:
    int m_fd = -1;
    std::uint64_t m_size = 0;
};

// The whole content of a regular file. Throws InputFileError.
std::string readInputFile(const std::filesystem::path& path);

// "FIFO", "socket", "folder", "character device", ... for a st_mode (file type bits).
std::string fileTypeName(unsigned mode);

} // namespace sigscope::core
