// A sweep of 1,000,000 small-trace variants stored as version 2 (issue 13, "Benchmark"): one
// moving-average-like signal per (fast, slow) pair over one shared market of minute bars, about
// 16 changes each, generated deterministically and written once into dataDir/sweep-1m with
// ParquetStorageWriter in batches (as copyStorage does). Figures, each against a peer of the
// same run where there is one:
//   - bytes on disk per change, against version 1 (JSON) of the same traces, whose size is
//     estimated from the first 2,000 variants written with StorageWriter (data files + indexes);
//   - files created;
//   - writer throughput (changes/s) of 100,000 variants written into a scratch folder each run;
//   - a fresh `sigscope DIR --quit-after-first-paint` (as bench/open.cpp: fresh settings and
//     cache, warm file cache) to the populated tree;
//   - loading 10,000 variants for the overview (core::loadTraces, what the explorer's job runs);
//   - `sigscope sql DIR "select count(*) from changes"` against the same count in plain DuckDB
//     (this program started again as `--plain-count DIR`: a fresh process, read_parquet with
//     hive_partitioning over the same files).
// SIGSCOPE_BENCH_RUNS: runs per process figure (default 5). SIGSCOPE_SWEEP_VARIANTS: another number
// of variants (e.g. 100000 for short iterations; its storage is dataDir/sweep-<N>); SIGSCOPE_BINARY
// (the environment variable): another sigscope to measure, e.g. a copy built from main, in the
// same run as this one.
#include "bench/support/bench.h"
#include "core/sql/database.h"
#include "core/storage/parquetstorage.h"
#include "core/storage/parquetwriter.h"
#include "core/storage/storage.h"
#include "core/storage/traceio.h"
#include "core/storage/writer.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <regex>

using namespace sigscope;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kBatch = 100'000; // variants per write: one part per batch
constexpr std::int64_t kBars = 4'000;

std::size_t variantCount()
{
    const char* text = std::getenv("SIGSCOPE_SWEEP_VARIANTS");
    const long long n = text && *text ? std::atoll(text) : 0;
    return n > 0 ? static_cast<std::size_t>(n) : 1'000'000;
}

std::string sigscopeBinary()
{
    const char* text = std::getenv("SIGSCOPE_BINARY");
    return text && *text ? text : SIGSCOPE_BINARY;
}

std::uint64_t mix(std::uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// The shared market: minute bars from 2024-01-02T14:30:00Z, a random walk in cents.
struct Market
{
    std::vector<std::int64_t> times;
    std::vector<double> prices;
    core::TimeFormat format{'T', 0, core::TimeFormat::Zone::Z, 0};
};

Market market()
{
    Market m;
    const std::int64_t start = core::parseIsoTime("2024-01-02T14:30:00Z")->utcMicros;
    std::int64_t cents = 47'500;
    for (std::int64_t b = 0; b < kBars; ++b) {
        m.times.push_back(start + b * 60'000'000);
        cents += static_cast<std::int64_t>(mix(static_cast<std::uint64_t>(b)) % 41) - 20;
        m.prices.push_back(static_cast<double>(cents) / 100.0);
    }
    return m;
}

// Variant v: fast = 1 + v % 1000, slow = 1001 + v / 1000; its changes come every 60 to 440 bars,
// cycling long, flat, short, flat.
core::Trace variant(std::size_t v, const Market& m)
{
    core::TraceIdentity id;
    id.name = "ma_sweep";
    id.parameters.set("fast_period", core::ParamValue(static_cast<std::int64_t>(1 + v % 1000)));
    id.parameters.set("slow_period", core::ParamValue(static_cast<std::int64_t>(1001 + v / 1000)));
    id.symbol = "SPY";
    id.timeframe = "1m";
    id.run = "sweep-1m";
    core::Trace t(std::move(id), "ma_crossover");
    t.metadata.totalBars = kBars;
    t.metadata.createdAt = "2026-01-05T00:00:00.000000Z";
    std::uint64_t r = mix(v + 1'000'003);
    static constexpr std::int32_t cycle[] = {1, 0, -1, 0};
    int step = 0;
    for (std::int64_t bar = static_cast<std::int64_t>(r % 60); bar < kBars; step = (step + 1) % 4) {
        const auto b = static_cast<std::size_t>(bar);
        t.appendSignalAt(bar, m.times[b], m.format, cycle[step], m.prices[b]);
        r = mix(r);
        bar += 60 + static_cast<std::int64_t>(r % 381);
    }
    return t;
}

std::vector<core::Trace> variants(std::size_t from, std::size_t to, const Market& m)
{
    std::vector<core::Trace> out;
    out.reserve(to - from);
    for (std::size_t v = from; v < to; ++v)
        out.push_back(variant(v, m));
    return out;
}

struct Written
{
    std::size_t changes = 0;
    double writeMs = 0;
};

// Writes variants [0, count) into root, batch by batch; the time is the writer's alone.
Written writeSweep(const fs::path& root, std::size_t count, const Market& m)
{
    Written w;
    core::ParquetStorageWriter writer(root);
    for (std::size_t from = 0; from < count; from += kBatch) {
        const auto batch = variants(from, std::min(count, from + kBatch), m);
        const auto start = bench::Clock::now();
        w.changes += writer.write(batch).changes;
        w.writeMs += bench::msSince(start);
    }
    return w;
}

std::uintmax_t treeBytes(const fs::path& root, std::size_t* files = nullptr)
{
    std::uintmax_t bytes = 0;
    std::size_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(root))
        if (e.is_regular_file()) {
            bytes += e.file_size();
            ++n;
        }
    if (files)
        *files = n;
    return bytes;
}

fs::path sweepStorage(const fs::path& data, const Market& m)
{
    const std::size_t count = variantCount();
    const std::string name = count == 1'000'000 ? "sweep-1m" : "sweep-" + std::to_string(count);
    const fs::path root = data / name, stamp = data / (name + ".stamp");
    const std::string wanted = "sweep1m v2 variants=" + std::to_string(count) + " bars=4000 batch=100000\n";
    std::string old;
    if (std::ifstream in(stamp); in)
        std::getline(in, old, '\0');
    if (old == wanted && fs::exists(root / "storage.json"))
        return root;
    bench::removeTrees(data, {root});
    bench::note("generating the " + std::to_string(count) + "-variant sweep (once)…");
    const Written w = writeSweep(root, count, m);
    bench::note("written: " + std::to_string(w.changes) + " changes in " + std::to_string(w.writeMs / 1000) + " s of writing");
    std::ofstream(stamp) << wanted;
    return root;
}

double v1BytesPerChange(const fs::path& data, const Market& m)
{
    const fs::path root = data / "sweep-v1-sample";
    fs::remove_all(root);
    const auto sample = variants(0, 2'000, m);
    core::StorageWriter(root).writeBatch(sample);
    std::size_t changes = 0;
    for (const auto& t : sample)
        changes += t.size();
    const double perChange = double(treeBytes(root)) / double(changes);
    fs::remove_all(root);
    return perChange;
}

struct ProcessRuns
{
    std::vector<double> wallMs;
    std::string out;
};

ProcessRuns runs(int count, const std::vector<std::string>& argv, const std::vector<std::string>& env = {})
{
    ProcessRuns r;
    for (int i = 0; i < count; ++i) {
        const auto run = bench::runChild(argv, env);
        if (run.exitCode != 0)
            throw std::runtime_error(argv[0] + " failed (exit " + std::to_string(run.exitCode) + "): " + run.out);
        r.wallMs.push_back(run.exitMs);
        r.out = run.out;
    }
    return r;
}

double openMs(const fs::path& data, const fs::path& root, int count, int& traces)
{
    std::vector<double> wall;
    const fs::path env = data / "sweep-open-env";
    for (int i = 0; i < count; ++i) {
        fs::remove_all(env);
        fs::create_directories(env / "config");
        fs::create_directories(env / "cache");
        const auto run = bench::runChild({sigscopeBinary(), root.string(), "--quit-after-first-paint"},
                                         {"XDG_CONFIG_HOME=" + (env / "config").string(),
                                          "XDG_CACHE_HOME=" + (env / "cache").string(), "QT_QPA_PLATFORM=offscreen"});
        static const std::regex line("^first-paint cpu_ms=([0-9.]+) traces=([0-9]+)\n");
        std::smatch match;
        if (run.exitCode != 0 || !std::regex_search(run.out, match, line))
            throw std::runtime_error("sigscope --quit-after-first-paint failed (exit " + std::to_string(run.exitCode) + "): " + run.out);
        wall.push_back(run.firstLineMs);
        traces = std::stoi(match[2].str());
    }
    fs::remove_all(env);
    bench::note("open to a populated tree: wall ms " + bench::spread(wall));
    return bench::median(wall);
}

double overviewMs(const fs::path& root, std::size_t& changes)
{
    const core::Storage storage = core::Storage::open(root);
    std::vector<fs::path> paths;
    for (const auto& index : storage.readAllIndexes())
        for (const auto& entry : index.entries) {
            if (paths.size() == 10'000)
                break;
            paths.push_back(storage.absolutePath(entry));
        }
    return bench::bestMs(3, [&] {
        changes = 0;
        for (const auto& t : core::loadParquetTraces(paths))
            changes += t.size();
    });
}

int plainCount(const std::string& root)
{
    core::sql::Database db;
    const auto table = db.query("SELECT count(*) FROM read_parquet(" + core::sql::literal(root + "/changes/**/*.parquet")
                                + ", hive_partitioning = true)");
    std::cout << table.text(0, 0) << '\n';
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc == 3 && std::string(argv[1]) == "--plain-count")
        return plainCount(argv[2]);
    const auto data = bench::dataDir(argc, argv);
    const char* runsEnv = std::getenv("SIGSCOPE_BENCH_RUNS");
    const int count = runsEnv && *runsEnv ? std::max(1, std::atoi(runsEnv)) : 5;
    try {
        const Market m = market();
        const fs::path root = sweepStorage(data, m);

        std::size_t files = 0;
        const std::uintmax_t bytes = treeBytes(root, &files);
        const core::Storage storage = core::Storage::open(root);
        std::size_t changes = 0, traces = 0;
        for (const auto& index : storage.readAllIndexes())
            for (const auto& entry : index.entries) {
                changes += static_cast<std::size_t>(entry.totalItems);
                ++traces;
            }
        bench::note(std::to_string(traces) + " traces, " + std::to_string(changes) + " changes, " + std::to_string(files)
                    + " files, " + std::to_string(bytes) + " bytes");
        const double v1 = v1BytesPerChange(data, m);
        bench::figure("sweep1m_bytes_per_change", double(bytes) / double(changes), "B");
        bench::figure("sweep1m_v1_json_bytes_per_change_estimated", v1, "B");
        bench::figure("sweep1m_v1_json_bytes_estimated", v1 * double(changes) / 1e6, "MB");
        bench::ratio("sweep1m_bytes_vs_v1_json", double(bytes) / (v1 * double(changes)));
        bench::figure("sweep1m_files", double(files), "files");

        const fs::path scratch = data / "sweep-write-scratch";
        fs::remove_all(scratch);
        std::vector<double> rates;
        for (int i = 0; i < std::min(count, 3); ++i) {
            const Written w = writeSweep(scratch, kBatch, m);
            rates.push_back(double(w.changes) / (w.writeMs / 1000.0));
            if (i == 0)
                bench::note("writer: 100,000 variants take " + std::to_string(double(treeBytes(scratch)) / double(w.changes))
                            + " bytes per change");
            fs::remove_all(scratch);
        }
        bench::note("writer: changes/s " + bench::spread(rates, 0));
        bench::figure("sweep1m_writer_changes_per_s", bench::median(rates), "changes/s");

        int shown = 0;
        const double open = openMs(data, root, count, shown);
        bench::note("tree: " + std::to_string(shown) + " traces");
        bench::figure("sweep1m_open_painted_ms", open, "ms");

        std::size_t overviewChanges = 0;
        bench::figure("sweep1m_load_10k_variants_ms", overviewMs(root, overviewChanges), "ms");
        bench::note("10,000 variants: " + std::to_string(overviewChanges) + " changes");

        const std::string query = "select count(*) from changes";
        const auto ours = runs(count, {sigscopeBinary(), "sql", root.string(), query});
        const auto plain = runs(count, {argv[0], "--plain-count", root.string()});
        bench::note("sql: " + bench::spread(ours.wallMs) + " ms; plain DuckDB: " + bench::spread(plain.wallMs) + " ms; "
                    + "answers " + ours.out.substr(0, ours.out.find('\n')) + " / " + plain.out.substr(0, plain.out.find('\n')));
        bench::figure("sweep1m_sql_count_changes_ms", bench::median(ours.wallMs), "ms");
        bench::figure("sweep1m_plain_duckdb_count_changes_ms", bench::median(plain.wallMs), "ms");
        bench::ratio("sweep1m_sql_count_vs_plain_duckdb", bench::median(ours.wallMs) / bench::median(plain.wallMs));
    } catch (const std::exception& e) {
        bench::note(e.what());
        return 1;
    }
    return 0;
}
