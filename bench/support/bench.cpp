#include "bench/support/bench.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

namespace sigscope::bench {

double median(std::vector<double> values)
{
    if (values.empty())
        return 0.0;
    const std::size_t mid = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
    if (values.size() % 2 == 1)
        return values[mid];
    const double lower = *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
    return (lower + values[mid]) / 2.0;
}

void figure(std::string_view name, double value, std::string_view unit)
{
    std::printf("BENCH %.*s %.6g %.*s\n", static_cast<int>(name.size()), name.data(), value,
                static_cast<int>(unit.size()), unit.data());
    std::fflush(stdout);
}

void ratio(std::string_view name, double value)
{
    std::printf("RATIO %.*s %.4g\n", static_cast<int>(name.size()), name.data(), value);
    std::fflush(stdout);
}

void note(const std::string& text)
{
    std::cerr << text << '\n';
}

std::filesystem::path dataDir(int argc, char** argv)
{
    std::filesystem::path dir = "bench-data";
    if (argc > 1)
        dir = argv[1];
    else if (const char* env = std::getenv("SIGSCOPE_BENCH_DATA"); env && *env)
        dir = env;
    std::filesystem::create_directories(dir);
    return dir;
}

std::filesystem::path demoStorage(const std::filesystem::path& dataDir, const std::string& name,
                                  const core::DemoOptions& options)
{
    const auto dir = dataDir / name;
    const auto stampFile = dataDir / (name + ".stamp");
    std::ostringstream stamp;
    stamp << "bars=" << options.bars << " variants=" << options.variants << " seed=" << options.seed << " symbols=";
    for (const auto& s : options.symbols)
        stamp << s << ',';
    stamp << '\n';
    {
        std::ifstream in(stampFile);
        std::stringstream existing;
        existing << in.rdbuf();
        if (in && existing.str() == stamp.str() && std::filesystem::exists(dir / "storage.json"))
            return dir;
    }
    // Stale or half-written (interrupted) data: start again. Only our own folder is removed.
    std::filesystem::remove(stampFile);
    if (std::filesystem::exists(dir))
        removeTrees(dataDir, {dir});
    note("generating " + dir.string() + " (" + stamp.str().substr(0, stamp.str().size() - 1) + "), once");
    const auto start = Clock::now();
    const auto result = core::generateDemo(dir, options);
    note("  " + std::to_string(result.signalTraces + result.classifierTraces) + " traces, "
         + std::to_string(result.changes) + " changes in " + std::to_string(msSince(start) / 1000.0) + " s");
    std::ofstream(stampFile) << stamp.str();
    return dir;
}

core::DemoOptions tenThousandTraces()
{
    core::DemoOptions options;
    options.bars = 2'000;
    options.variants = 10'000;
    options.seed = 7;
    return options;
}

std::vector<DataFile> dataFiles(const std::filesystem::path& root)
{
    std::vector<DataFile> files;
    for (const auto& kind : {"signals", "classifiers"}) {
        if (!std::filesystem::is_directory(root / kind))
            continue;
        for (const auto& entry : std::filesystem::recursive_directory_iterator(root / kind)) {
            const auto& path = entry.path();
            if (entry.is_regular_file() && path.extension() == ".json" && path.filename() != "index.json")
                files.push_back({path, entry.file_size()});
        }
    }
    std::sort(files.begin(), files.end(), [](const DataFile& a, const DataFile& b) { return a.path < b.path; });
    return files;
}

namespace {

std::filesystem::path deletionStamp(const std::filesystem::path& dataDir)
{
    return dataDir / ".trees-deleted";
}

long long epochSeconds()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

} // namespace

void removeTrees(const std::filesystem::path& dataDir, const std::vector<std::filesystem::path>& trees)
{
    for (const auto& tree : trees)
        std::filesystem::remove_all(tree);
    const int fd = ::open(dataDir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::syncfs(fd);
        ::close(fd);
    }
    std::ofstream(deletionStamp(dataDir)) << epochSeconds() << "\n";
}

void waitForFreedInodes(const std::filesystem::path& dataDir)
{
    long long deletedAt = 0;
    std::ifstream(deletionStamp(dataDir)) >> deletedAt;
    const long long wait = deletedAt + 70 - epochSeconds();
    if (deletedAt > 0 && wait > 0 && wait <= 70) {
        note("waiting " + std::to_string(wait) + " s: generated trees were deleted just now");
        std::this_thread::sleep_for(std::chrono::seconds(wait));
    }
}

} // namespace sigscope::bench
