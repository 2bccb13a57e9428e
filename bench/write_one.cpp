// Writing traces one by one into a folder that already holds 10,000 (issue 12): what a tracer
// that checkpoints during a sweep pays. A copy of a 10,000-trace storage (one type folder,
// generated once) gets rounds of single StorageWriter::write calls of new traces of the same
// type; the figure is their marginal rate. Peer in the same run, interleaved with the rounds:
// the fsync limit of that folder, a loop of create + write + fsync + close of small files of
// the same size as a trace file in the same type folder.
#include "bench/support/bench.h"
#include "core/storage/writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace sigscope;
namespace fs = std::filesystem;

namespace {

constexpr int kBaseTraces = 10'000;
constexpr int kPerRound = 150;

core::Trace sweepTrace(std::int64_t period)
{
    core::TraceIdentity id;
    id.kind = core::Kind::Signal;
    id.name = "sweep";
    id.symbol = "SPY";
    id.timeframe = "1m";
    id.parameters.set("period", period);
    core::Trace trace(id, "bench");
    const core::TimeFormat format{};
    for (std::int64_t i = 0; i < 40; ++i) {
        const std::int64_t bar = i * 50 + period % 37;
        trace.appendSignalAt(bar, (1704186000LL + bar * 60) * 1'000'000LL, format, static_cast<std::int32_t>((i + period) % 3) - 1,
                             470.0 + double(i) * 0.25);
    }
    trace.metadata.totalBars = 2'000;
    return trace;
}

// The 10,000-trace storage, generated once (stamped) into dataDir/write-base-10k.
fs::path baseStorage(const fs::path& data)
{
    const auto dir = data / "write-base-10k";
    const auto stampFile = data / "write-base-10k.stamp";
    const std::string stamp = "traces=10000 changes=40 v1\n";
    std::ifstream in(stampFile);
    std::stringstream existing;
    existing << in.rdbuf();
    if (in && existing.str() == stamp && fs::exists(dir / "storage.json"))
        return dir;
    fs::remove(stampFile);
    if (fs::exists(dir))
        bench::removeTrees(data, {dir});
    bench::note("generating " + dir.string() + " (10,000 traces in one type folder), once");
    std::vector<core::Trace> traces;
    for (int i = 0; i < kBaseTraces; ++i)
        traces.push_back(sweepTrace(i));
    core::StorageWriter(dir).writeBatch(traces);
    std::ofstream(stampFile) << stamp;
    return dir;
}

// Files per second of create + write + fsync + close in folder.
double fsyncRate(const fs::path& folder, std::size_t bytes, int round)
{
    const std::string content(bytes, 'x');
    std::vector<fs::path> written;
    const double ms = bench::timeMs([&] {
        for (int i = 0; i < kPerRound; ++i) {
            const auto path = folder / (".fsync-peer-" + std::to_string(round) + "-" + std::to_string(i));
            const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
            if (fd < 0 || ::write(fd, content.data(), content.size()) != static_cast<ssize_t>(content.size())
                || ::fsync(fd) != 0)
                throw std::runtime_error("fsync peer: cannot write " + path.string());
            ::close(fd);
            written.push_back(path);
        }
    });
    for (const auto& path : written)
        fs::remove(path);
    return kPerRound / (ms / 1000.0);
}

} // namespace

int main(int argc, char** argv)
{
    const auto data = bench::dataDir(argc, argv);
    const char* runsEnv = std::getenv("SIGSCOPE_BENCH_RUNS");
    const int rounds = runsEnv && *runsEnv ? std::max(1, std::atoi(runsEnv)) : 5;
    try {
        const auto base = baseStorage(data);
        const auto scratch = data / "write-one-run";
        if (fs::exists(scratch))
            bench::removeTrees(data, {scratch});
        bench::waitForFreedInodes(data);
        fs::copy(base, scratch, fs::copy_options::recursive);
        core::StorageWriter writer(scratch);
        const auto first = writer.write(sweepTrace(1'000'000)); // where the type's files go
        const auto typeFolder = (scratch / first.filePath).parent_path();
        const auto traceBytes = static_cast<std::size_t>(fs::file_size(scratch / first.filePath));
        std::vector<double> ours, peer;
        std::int64_t next = 1'000'001;
        for (int round = 0; round < rounds; ++round) {
            const double ms = bench::timeMs([&] {
                for (int i = 0; i < kPerRound; ++i)
                    writer.write(sweepTrace(next++));
            });
            ours.push_back(kPerRound / (ms / 1000.0));
            peer.push_back(fsyncRate(typeFolder, traceBytes, round));
        }
        bench::removeTrees(data, {scratch});
        bench::note("one by one at " + std::to_string(kBaseTraces) + "+ traces (" + std::to_string(kPerRound)
                    + " per round, " + std::to_string(traceBytes) + "-byte files): traces/s " + bench::spread(ours)
                    + "; fsync limit files/s " + bench::spread(peer));
        bench::figure("write_one_by_one_at_10k_per_s", bench::median(ours), "traces/s");
        bench::figure("write_one_by_one_fsync_limit_per_s", bench::median(peer), "files/s");
        bench::ratio("write_one_by_one_at_10k_vs_fsync_limit", bench::median(ours) / bench::median(peer));
    } catch (const std::exception& e) {
        bench::note(e.what());
        return 1;
    }
    return 0;
}
