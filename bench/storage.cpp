// Reading side (issue 2): opening the indexes of a 10,000-trace storage, loading trace files
// (our streaming parser vs a plain nlohmann DOM parse of the same files) and the memory held
// per change once loaded.
#include "bench/support/bench.h"
#include "core/storage/storage.h"
#include "core/storage/traceio.h"

#include <nlohmann/json.hpp>

#include <fstream>

using namespace sigscope;

namespace {

// The baseline's file read: one sized read, so the comparison is about parsing.
std::string readAll(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::string text(std::filesystem::file_size(path), '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    return text;
}

} // namespace

int main(int argc, char** argv)
{
    const auto data = bench::dataDir(argc, argv);

    // 1. Indexes of the 10,000-trace storage (warm file cache, best of 5).
    const auto tenK = bench::demoStorage(data, "demo-10k", bench::tenThousandTraces());
    std::size_t entries = 0;
    const double openMs = bench::bestMs(5, [&] {
        const auto storage = core::Storage::open(tenK);
        entries = 0;
        for (const auto& index : storage.readAllIndexes())
            entries += index.entries.size();
    });
    bench::note("index: " + std::to_string(entries) + " entries");
    bench::figure("open_index_10000_traces", openMs, "ms");

    // 2. Loading: large realistic files (300,000 bars of demo strategies and classifiers,
    // about 150 MB in 32 files of 0.1 to 12 MB), warm file cache, best of 2.
    core::DemoOptions bigOptions;
    bigOptions.bars = 300'000;
    bigOptions.variants = 24;
    bigOptions.seed = 11;
    const auto big = bench::demoStorage(data, "demo-300k-bars", bigOptions);
    const auto files = bench::dataFiles(big);
    double totalMB = 0;
    for (const auto& f : files)
        totalMB += double(f.bytes) / 1e6;
    bench::note("load: " + std::to_string(files.size()) + " files, " + std::to_string(totalMB) + " MB");

    std::size_t changes = 0, heldBytes = 0;
    const double oursMs = bench::bestMs(2, [&] {
        changes = heldBytes = 0;
        for (const auto& f : files) {
            const auto trace = core::loadTrace(f.path);
            changes += trace.size();
            heldBytes += trace.memoryBytes();
        }
    });
    std::size_t domItems = 0;
    const double domMs = bench::bestMs(2, [&] {
        domItems = 0;
        for (const auto& f : files) {
            const auto json = nlohmann::json::parse(readAll(f.path));
            domItems += json.at("changes").size();
        }
    });
    if (domItems != changes) {
        bench::note("load: our parser and the DOM disagree on the number of changes");
        return 1;
    }
    const double oursMBps = totalMB / (oursMs / 1000.0);
    const double domMBps = totalMB / (domMs / 1000.0);
    bench::figure("load_traces_ours", oursMBps, "MB/s");
    bench::figure("load_traces_nlohmann_dom", domMBps, "MB/s");
    bench::ratio("load_traces_ours_vs_dom", oursMBps / domMBps);

    // 3. Memory held per change by the loaded traces (Trace::memoryBytes counts capacity).
    bench::note("memory: " + std::to_string(changes) + " changes held in " + std::to_string(heldBytes) + " bytes");
    bench::figure("bytes_per_change_held", double(heldBytes) / double(changes), "bytes");
    return 0;
}
