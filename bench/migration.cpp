// Legacy migration (issue 3): throughput in MB/s of legacy JSON migrated into a storage (read,
// map, write, read back), against reading + DOM-parsing the same files with plain nlohmann on
// the same number of threads, and the peak memory against the largest file.
//
// The tree is generated (deterministic) into <data>/legacy-v2-<MB>mb: thousands of L2 dumps plus
// four large single-strategy dumps. Size: SIGSCOPE_BENCH_MIGRATION_MB (default 1024, the issue's
// figure: 13,643 files of which four are 65 MB; generating it takes about a minute once, the
// measurement about two). Threads: SIGSCOPE_BENCH_MIGRATION_JOBS (default: hardware threads);
// runs: SIGSCOPE_BENCH_MIGRATION_RUNS (default 3, the median is reported).
#include "bench/support/bench.h"
#include "core/migration/migration.h"

#include <nlohmann/json.hpp>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace sigscope;
namespace fs = std::filesystem;

namespace {

struct Rng
{
    std::uint64_t state;
    std::uint64_t next()
    {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    }
    int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
};

// "2024-03-26T13:59:00+00:00" for minute bar `idx` from 2024-03-26 13:30 UTC (no weekends: enough here).
void appendTime(std::string& out, std::int64_t idx)
{
    const std::int64_t minutes = 13 * 60 + 30 + idx;
    const std::int64_t day = 26 + minutes / (24 * 60);
    const std::int64_t m = minutes % (24 * 60);
    char buf[40];
    // March has 31 days; days beyond roll into a plausible but simple date text.
    const std::int64_t month = 3 + (day - 1) / 31;
    const std::int64_t dom = (day - 1) % 31 + 1;
    std::snprintf(buf, sizeof buf, "2024-%02lld-%02lldT%02lld:%02lld:00+00:00", static_cast<long long>(1 + (month - 1) % 12),
                  static_cast<long long>(dom), static_cast<long long>(m / 60), static_cast<long long>(m % 60));
    out += buf;
}

// One L2 dump of `changes` changes of one strategy, written the tracer's way.
void writeDump(const fs::path& path, const std::string& strategy, std::size_t changes, Rng& rng, bool classifier)
{
    static const char* regimes[] = {"\"trending_up\"", "\"trending_down\"", "\"ranging\"", "\"uncertainty\""};
    std::ofstream out(path, std::ios::binary);
    std::string text;
    text.reserve(1 << 20);
    text += "{\n  \"metadata\": {\n    \"run_id\": \"strategy_SPY_" + strategy + "\",\n    \"total_bars\": 0,\n"
            "    \"total_changes\": " + std::to_string(changes) + ",\n    \"strategies\": {\"SPY_SPY_" + strategy
        + "\": {\"strategy_id\": \"SPY_SPY_" + strategy + "\", \"metadata\": {}}}\n  },\n  \"changes\": [\n";
    std::int64_t idx = 30;
    int last = 2;
    for (std::size_t i = 0; i < changes; ++i) {
        int v = rng.below(3) - 1;
        if (v == last)
            v = v == 1 ? -1 : v + 1;
        last = v;
        text += "    {\"idx\": " + std::to_string(idx) + ", \"ts\": \"";
        appendTime(text, idx);
        text += "\", \"sym\": \"SPY\", \"val\": ";
        text += classifier ? regimes[v + 1 + (i % 2)] : std::to_string(v);
        text += ", \"strat\": \"SPY_" + strategy + "\", \"px\": ";
        // Classifier dumps carry px 0.0 (as every real one does): the storage's classifier
        // changes have no price, so a non-zero one would be reported as failed by validation.
        if (classifier || rng.below(4) == 0)
            text += "0.0";
        else
            text += std::to_string(400 + rng.below(20000) / 100) + "." + std::to_string(10 + rng.below(90));
        text += i + 1 < changes ? "},\n" : "}\n";
        idx += 1 + rng.below(20);
        if (text.size() > (1u << 20) - 512) {
            out.write(text.data(), static_cast<std::streamsize>(text.size()));
            text.clear();
        }
    }
    text += "  ]\n}\n";
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

struct Tree
{
    fs::path root;
    std::vector<fs::path> files;
    std::uint64_t bytes = 0;
    std::uint64_t largest = 0;
};

Tree generate(const fs::path& data, std::uint64_t megabytes)
{
    Tree tree;
    tree.root = data / ("legacy-v2-" + std::to_string(megabytes) + "mb");
    const fs::path stamp = tree.root / ".complete";
    const std::uint64_t target = megabytes << 20;
    const std::uint64_t largeSize = std::min<std::uint64_t>(60u << 20, target / 5);
    const int largeFiles = megabytes >= 1024 ? 4 : 2;
    if (!fs::exists(stamp)) {
        fs::remove_all(tree.root);
        bench::note("generating " + std::to_string(megabytes) + " MB of legacy dumps into " + tree.root.string());
        Rng rng{0x5eed5eedULL + megabytes};
        std::uint64_t written = 0;
        int run = 0;
        int file = 0;
        for (int i = 0; i < largeFiles; ++i) {
            const fs::path dir = tree.root / "workspaces/big/20250701_000000";
            fs::create_directories(dir);
            const std::string strat = "ultimate_oscillator_grid_" + std::to_string(i);
            const fs::path path = dir / ("signals_strategy_SPY_" + strat + "_20250701_000000.json");
            writeDump(path, strat, static_cast<std::size_t>(largeSize / 125), rng, false);
            written += fs::file_size(path);
        }
        while (written < target) {
            const std::string runId = "202506" + std::to_string(10 + run / 1000 % 20) + "_" + std::to_string(100000 + run % 1000);
            const fs::path dir = tree.root / "workspaces/tmp" / runId;
            fs::create_directories(dir);
            for (int k = 0; k < 500 && written < target; ++k, ++file) {
                const bool classifier = file % 12 == 0;
                const std::string strat = (classifier ? "volatility_regime_grid_" : "rsi_bands_grid_") + std::to_string(file);
                const fs::path path = dir / ("signals_" + std::string(classifier ? "classifier" : "strategy") + "_SPY_" + strat
                                             + "_" + runId + ".json");
                writeDump(path, strat, 100 + static_cast<std::size_t>(rng.below(700)), rng, classifier);
                written += fs::file_size(path);
            }
            ++run;
        }
        std::ofstream(stamp) << "ok\n";
    }
    for (const auto& e : fs::recursive_directory_iterator(tree.root)) {
        if (!e.is_regular_file() || e.path().extension() != ".json")
            continue;
        tree.files.push_back(e.path());
        const auto size = e.file_size();
        tree.bytes += size;
        tree.largest = std::max<std::uint64_t>(tree.largest, size);
    }
    std::sort(tree.files.begin(), tree.files.end());
    return tree;
}

// One migration in a child process, so that its peak memory is its own (ru_maxrss of the child:
// what it inherited plus what it allocated) and no run inherits another's heap.
struct ChildRun
{
    double ms = 0;
    double peakRssMb = 0;
    std::uint64_t migrated = 0, traces = 0, changes = 0, failed = 0;
};

ChildRun migrateInChild(const fs::path& source, const fs::path& dest, const core::migration::MigrationOptions& options)
{
    int fds[2];
    if (::pipe(fds) != 0)
        throw std::runtime_error("pipe failed");
    const pid_t pid = ::fork();
    if (pid < 0)
        throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::close(fds[0]);
        ChildRun out;
        core::migration::MigrationReport report;
        out.ms = bench::timeMs([&] { report = core::migration::migrate({source}, dest, options); });
        out.migrated = report.totals.migrated;
        out.traces = report.totals.tracesWritten;
        out.changes = report.totals.changesWritten;
        out.failed = report.totals.failed;
        const bool sent = ::write(fds[1], &out, sizeof out) == static_cast<ssize_t>(sizeof out);
        ::_exit(sent ? 0 : 1);
    }
    ::close(fds[1]);
    ChildRun out;
    const bool received = ::read(fds[0], &out, sizeof out) == static_cast<ssize_t>(sizeof out);
    ::close(fds[0]);
    int status = 0;
    rusage usage{};
    if (::wait4(pid, &status, 0, &usage) != pid || !received || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error("the migration child failed");
    out.peakRssMb = static_cast<double>(usage.ru_maxrss) / 1024.0;
    return out;
}

double peakRssMb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0; // KiB on Linux
}

std::uint64_t envNumber(const char* name, std::uint64_t fallback)
{
    const char* value = std::getenv(name);
    if (!value || !*value)
        return fallback;
    const long long n = std::atoll(value);
    return n > 0 ? static_cast<std::uint64_t>(n) : fallback;
}

} // namespace

int main(int argc, char** argv)
{
    const fs::path data = bench::dataDir(argc, argv);
    const std::uint64_t megabytes = envNumber("SIGSCOPE_BENCH_MIGRATION_MB", 1024);
    const auto jobs = static_cast<unsigned>(envNumber("SIGSCOPE_BENCH_MIGRATION_JOBS", std::max(1u, std::thread::hardware_concurrency())));
    const Tree tree = generate(data, megabytes);
    const double mb = static_cast<double>(tree.bytes) / 1e6;
    bench::note("tree: " + std::to_string(tree.files.size()) + " files, " + std::to_string(tree.bytes >> 20) + " MiB, largest "
                + std::to_string(tree.largest >> 20) + " MiB; " + std::to_string(jobs) + " threads");
    const double rssBefore = peakRssMb();

    // 1. Full migration into an empty storage: read, map, write (atomic, synced), read back.
    // Several runs, each into a folder of its own (the median is reported): deleting a tree of
    // thousands of files and creating one again at once makes ext4 without a journal skip the
    // recently freed inodes one by one, which measures the file system, not the migration.
    const int runs = static_cast<int>(envNumber("SIGSCOPE_BENCH_MIGRATION_RUNS", 3));
    std::vector<fs::path> dests;
    for (int r = 0; r < runs; ++r) {
        dests.push_back(data / ("migrated-" + std::to_string(megabytes) + "mb-" + std::to_string(r + 1)));
        if (fs::exists(dests.back()))
            bench::removeTrees(data, {dests.back()});
    }
    bench::waitForFreedInodes(data);
    core::migration::MigrationOptions options;
    options.jobs = jobs;
    std::vector<double> migrateTimes;
    double rssMigration = 0;
    ChildRun run;
    for (const fs::path& dest : dests) {
        run = migrateInChild(tree.root, dest, options);
        migrateTimes.push_back(run.ms);
        rssMigration = std::max(rssMigration, run.peakRssMb);
        bench::note("run " + std::to_string(migrateTimes.size()) + ": " + std::to_string(mb / (run.ms / 1000.0))
                    + " MB/s, peak RSS " + std::to_string(run.peakRssMb) + " MB");
        if (run.failed > 0)
            break;
    }
    const double migrateMs = bench::median(migrateTimes);
    bench::note("migrated: " + std::to_string(run.migrated) + " files, " + std::to_string(run.traces) + " traces, "
                + std::to_string(run.changes) + " changes, failed " + std::to_string(run.failed));
    const int failed = static_cast<int>(run.failed);

    // 2. Dry run over the same tree (read + map + plan against the now full storage: all unchanged).
    options.dryRun = true;
    const double dryMs = migrateInChild(tree.root, dests.front(), options).ms;
    bench::removeTrees(data, dests);

    // 3. Baseline: read each file whole and DOM-parse it with nlohmann, same thread count; the
    // median of as many runs.
    std::atomic<std::uint64_t> values{0};
    std::vector<double> baselineTimes;
    for (int r = 0; r < runs; ++r) {
        std::atomic<std::size_t> next{0};
        baselineTimes.push_back(bench::timeMs([&] {
            std::vector<std::thread> threads;
            for (unsigned t = 0; t < jobs; ++t) {
                threads.emplace_back([&] {
                    for (std::size_t i = next++; i < tree.files.size(); i = next++) {
                        std::ifstream in(tree.files[i], std::ios::binary);
                        std::string text(fs::file_size(tree.files[i]), '\0');
                        in.read(text.data(), static_cast<std::streamsize>(text.size()));
                        const auto doc = nlohmann::json::parse(text);
                        values += doc["changes"].size();
                    }
                });
            }
            for (auto& t : threads)
                t.join();
        }));
    }
    const double baselineMs = bench::median(baselineTimes);
    const double rssBaseline = peakRssMb();

    const double migrateMbs = mb / (migrateMs / 1000.0);
    const double dryMbs = mb / (dryMs / 1000.0);
    const double baselineMbs = mb / (baselineMs / 1000.0);
    bench::figure("migration_input", mb, "MB");
    bench::figure("migration_files", static_cast<double>(tree.files.size()), "files");
    bench::figure("migration_largest_file", static_cast<double>(tree.largest) / 1e6, "MB");
    bench::figure("migration_throughput", migrateMbs, "MB/s");
    bench::figure("migration_dry_run_throughput", dryMbs, "MB/s");
    bench::figure("nlohmann_dom_read_parse_throughput", baselineMbs, "MB/s");
    bench::ratio("migration_vs_nlohmann_dom", migrateMbs / baselineMbs);
    bench::ratio("migration_dry_run_vs_nlohmann_dom", dryMbs / baselineMbs);
    bench::figure("migration_peak_rss", rssMigration, "MB");
    bench::figure("nlohmann_dom_peak_rss", rssBaseline, "MB");
    bench::ratio("migration_peak_rss_vs_largest_file", rssMigration / (static_cast<double>(tree.largest) / (1 << 20)));
    bench::note("rss before migration " + std::to_string(rssBefore) + " MB; baseline counted "
                + std::to_string(values.load()) + " changes");
    return failed == 0 ? 0 : 1;
}
