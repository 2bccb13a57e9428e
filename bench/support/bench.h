#pragma once

#include "core/demo/demo.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

// Shared by the benchmark executables: how figures are printed, where generated data lives,
// and generated storages that several benchmarks reuse. No timing is asserted anywhere.
namespace sigscope::bench {

using Clock = std::chrono::steady_clock;

[[nodiscard]] inline double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Milliseconds taken by fn().
template<typename Fn>
double timeMs(Fn&& fn)
{
    const auto start = Clock::now();
    fn();
    return msSince(start);
}

// The best of `runs` timings: the figure least disturbed by other work on a shared machine.
template<typename Fn>
double bestMs(int runs, Fn&& fn)
{
    double best = 0;
    for (int i = 0; i < runs; ++i) {
        const double ms = timeMs(fn);
        if (i == 0 || ms < best)
            best = ms;
    }
    return best;
}

double median(std::vector<double> values);

// "BENCH <name> <value> <unit>" / "RATIO <name> <value>" on stdout, one line each, flushed.
void figure(std::string_view name, double value, std::string_view unit);
void ratio(std::string_view name, double value);
// Progress and context for people, on stderr.
void note(const std::string& text);

// The folder for generated data: argv[1], else $SIGSCOPE_BENCH_DATA, else ./bench-data. Created.
std::filesystem::path dataDir(int argc, char** argv);

// A demo storage generated once into dataDir/name and reused while the options are the same
// (a stamp file records them). Same seed -> same data, so every run measures the same files.
std::filesystem::path demoStorage(const std::filesystem::path& dataDir, const std::string& name,
                                  const core::DemoOptions& options);

// The 10,000-trace storage shared by the index and GUI benchmarks (issue 2 and 4).
core::DemoOptions tenThousandTraces();

// Deletes generated trees inside dataDir, syncs the file system and stamps the time. ext4 without
// a journal (this machine's disk) will not reuse a freed inode for 60 s (360 s while its inode
// table block is dirty, hence the sync) and scans past every such inode on each file creation:
// a benchmark that creates thousands of files right after thousands were deleted measures that
// scan. waitForFreedInodes() sleeps until 70 s after the last stamp (at most 70 s).
void removeTrees(const std::filesystem::path& dataDir, const std::vector<std::filesystem::path>& trees);
void waitForFreedInodes(const std::filesystem::path& dataDir);

// Every data file (*.json except index.json / storage.json) under root, sorted, with sizes.
struct DataFile
{
    std::filesystem::path path;
    std::uintmax_t bytes = 0;
};
std::vector<DataFile> dataFiles(const std::filesystem::path& root);

// A child process measured from outside: the wall time from just before the fork to the first
// line it prints on stdout (or to its exit when it prints none), and from rusage at its exit its
// whole CPU time (user + system) and peak resident memory.
struct ChildRun
{
    double firstLineMs = 0; // wall: fork -> first '\n' on stdout (exit when none)
    double exitMs = 0;      // wall: fork -> exit
    double cpuMs = 0;       // user + system of the child, whole run
    double maxRssMb = 0;    // peak resident set, MB (1e6 bytes)
    std::string out;        // all of its stdout
    int exitCode = -1;      // -1 when it did not exit normally
};
// Runs argv[0] (a path) with argv and the environment plus `env` ("NAME=value" entries, which
// win); stdin is /dev/null, stderr is inherited, stdout is read (or /dev/null with
// discardOutput, e.g. for `cat FILE`: reading the file, not a pipe). Throws std::runtime_error
// when it cannot start.
ChildRun runChild(const std::vector<std::string>& argv, const std::vector<std::string>& env = {},
                  bool discardOutput = false);

// A storage holding one signal trace of 1,000,000 changes (minute bars with times and prices, as
// a tracer writes them), generated once into dataDir/trace-1m and reused; returns the trace file.
// Shared by the first-load and the CSV export benchmarks. Its name is "bench_1m".
std::filesystem::path millionChangeTrace(const std::filesystem::path& dataDir);

// "median (min-max of n)" for notes.
std::string spread(const std::vector<double>& values, int precision = 1);

} // namespace sigscope::bench
