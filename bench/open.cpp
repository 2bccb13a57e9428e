// Opening a storage as a user does (issue 12): a fresh `sigscope DIR` process, the real
// executable with its default options (verification on), until the first paint of the populated
// tree, which --quit-after-first-paint reports. Wall time is measured from outside (fork to the
// reported line: process start, Qt and window creation included), CPU at the paint as the
// process reports it. Peers in the same run: the same process on an empty storage (what any
// open costs before the first index byte) and `cat` of the same index files (reading them).
// Each run gets fresh, empty settings and cache folders (XDG_CONFIG_HOME / XDG_CACHE_HOME):
// the first open of a storage; the file cache is warm (the files were read before).
// SIGSCOPE_BENCH_RUNS: runs per figure (default 5); SIGSCOPE_BENCH_OPEN_100K=0 leaves out the
// 100,000-trace storage (generated once, several minutes).
#include "bench/support/bench.h"

#include <algorithm>
#include <cstdlib>
#include <regex>

using namespace sigscope;
namespace fs = std::filesystem;

namespace {

struct OpenRuns
{
    std::vector<double> wallMs, cpuMs, rssMb;
    int traces = -1;
};

void openOnce(const fs::path& storage, const fs::path& envDir, OpenRuns& runs)
{
    fs::remove_all(envDir);
    fs::create_directories(envDir / "config");
    fs::create_directories(envDir / "cache");
    const auto run = bench::runChild({SIGSCOPE_BINARY, storage.string(), "--quit-after-first-paint"},
                                     {"XDG_CONFIG_HOME=" + (envDir / "config").string(),
                                      "XDG_CACHE_HOME=" + (envDir / "cache").string(), "QT_QPA_PLATFORM=offscreen"});
    static const std::regex line("^first-paint cpu_ms=([0-9.]+) traces=([0-9]+)\n");
    std::smatch match;
    if (run.exitCode != 0 || !std::regex_search(run.out, match, line))
        throw std::runtime_error("sigscope " + storage.string() + " --quit-after-first-paint failed (exit "
                                 + std::to_string(run.exitCode) + "): " + run.out);
    runs.wallMs.push_back(run.firstLineMs);
    runs.cpuMs.push_back(std::stod(match[1].str()));
    runs.rssMb.push_back(run.maxRssMb);
    runs.traces = std::stoi(match[2].str());
}

std::vector<std::string> indexFiles(const fs::path& storage)
{
    std::vector<std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(storage))
        if (entry.is_regular_file() && (entry.path().filename() == "index.json" || entry.path().filename() == "storage.json"))
            files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

double catMs(const std::vector<std::string>& files)
{
    std::vector<std::string> argv{"/bin/cat"};
    argv.insert(argv.end(), files.begin(), files.end());
    return bench::runChild(argv, {}, true).exitMs;
}

void measure(const fs::path& data, const std::string& label, const fs::path& storage, const fs::path& empty, int runCount)
{
    const auto files = indexFiles(storage);
    std::uintmax_t bytes = 0;
    for (const auto& f : files)
        bytes += fs::file_size(f);
    bench::note(label + ": " + std::to_string(files.size()) + " index files, " + std::to_string(bytes / 1000) + " kB");
    OpenRuns populated, none;
    std::vector<double> cat;
    catMs(files); // the file cache is warm for every figure
    // Interleaved, so that the machine's load falls on all three alike.
    for (int i = 0; i < runCount; ++i) {
        openOnce(storage, data / "open-env", populated);
        openOnce(empty, data / "open-env", none);
        cat.push_back(catMs(files));
    }
    fs::remove_all(data / "open-env");
    bench::note(label + ": " + std::to_string(populated.traces) + " traces in the tree; wall ms " + bench::spread(populated.wallMs)
                + ", cpu ms " + bench::spread(populated.cpuMs) + ", peak MB " + bench::spread(populated.rssMb));
    bench::note("empty storage: wall ms " + bench::spread(none.wallMs) + ", cpu ms " + bench::spread(none.cpuMs)
                + "; cat of the index files: ms " + bench::spread(cat, 2));
    bench::figure("open_" + label + "_painted_ms", bench::median(populated.wallMs), "ms");
    bench::figure("open_" + label + "_painted_cpu_ms", bench::median(populated.cpuMs), "ms");
    bench::figure("open_" + label + "_peak_mb", bench::median(populated.rssMb), "MB"); // whole run: verification included
    bench::figure("open_" + label + "_empty_storage_painted_ms", bench::median(none.wallMs), "ms");
    bench::figure("open_" + label + "_cat_indexes_ms", bench::median(cat), "ms");
    bench::ratio("open_" + label + "_painted_vs_empty_storage", bench::median(populated.wallMs) / bench::median(none.wallMs));
    bench::ratio("open_" + label + "_painted_vs_cat_indexes", bench::median(populated.wallMs) / bench::median(cat));
}

} // namespace

int main(int argc, char** argv)
{
    const auto data = bench::dataDir(argc, argv);
    const char* runsEnv = std::getenv("SIGSCOPE_BENCH_RUNS");
    const int runs = runsEnv && *runsEnv ? std::max(1, std::atoi(runsEnv)) : 5;

    const auto tenK = bench::demoStorage(data, "demo-10k", bench::tenThousandTraces());
    // The empty peer: a storage with only its manifest.
    const auto empty = data / "empty-storage";
    fs::create_directories(empty);
    fs::copy_file(tenK / "storage.json", empty / "storage.json", fs::copy_options::overwrite_existing);
    try {
        measure(data, "10k", tenK, empty, runs);
        const char* hundredK = std::getenv("SIGSCOPE_BENCH_OPEN_100K");
        if (!hundredK || std::string(hundredK) != "0") {
            auto options = bench::tenThousandTraces();
            options.variants = 100'000;
            const auto start = bench::Clock::now();
            const auto storage = bench::demoStorage(data, "demo-100k", options);
            bench::note("demo-100k ready in " + std::to_string(bench::msSince(start) / 1000.0) + " s");
            measure(data, "100k", storage, empty, runs);
        }
    } catch (const std::exception& e) {
        bench::note(e.what());
        return 1;
    }
    return 0;
}
