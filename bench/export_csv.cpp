// CSV export of a 1,000,000-change trace (issue 12) as a user runs it: a fresh
// `sigscope export DIR --select bench_1m --out FILE.csv` process, wall time to its exit (process
// start, loading the trace, writing and fsyncing the CSV included). Peer in the same run: `cat`
// of the trace file, a fresh process reading it once (the file cache warm for both). Context in
// one process: the write alone (csv::writeChanges of the loaded trace) and, for comparison, the
// whole text built as one string first with today's formatter (csv::changes + writeFile), and
// the former export: a vector of strings per row, each field escaped, one string, one write.
#include "bench/support/bench.h"
#include "core/export/csv.h"
#include "core/storage/traceio.h"

#include <array>
#include <charconv>
#include <cstdlib>

using namespace sigscope;
namespace fs = std::filesystem;

namespace {

// The CSV export as it was before it was streamed (signals: bar,time,value,price).
std::string formerChanges(const core::Trace& trace)
{
    std::string out = "bar,time,value,price\n";
    std::vector<std::string> fields;
    for (std::size_t i = 0; i < trace.size(); ++i) {
        fields.clear();
        fields.push_back(std::to_string(trace.bar(i)));
        fields.push_back(trace.timeText(i));
        fields.push_back(trace.valueText(i));
        std::array<char, 32> buffer{};
        const auto end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), trace.price(i)).ptr;
        fields.emplace_back(buffer.data(), end);
        for (std::size_t f = 0; f < fields.size(); ++f) {
            if (f > 0)
                out += ',';
            out += core::csv::escapeField(fields[f]);
        }
        out += '\n';
    }
    return out;
}

} // namespace

int main(int argc, char** argv)
{
    const auto data = bench::dataDir(argc, argv);
    const char* runsEnv = std::getenv("SIGSCOPE_BENCH_RUNS");
    const int runs = runsEnv && *runsEnv ? std::max(1, std::atoi(runsEnv)) : 5;
    try {
        const auto file = bench::millionChangeTrace(data);
        const auto storage = data / "trace-1m";
        const auto out = data / "export-1m.csv";
        bench::note("export: " + file.string() + ", " + std::to_string(double(fs::file_size(file)) / 1e6) + " MB");
        bench::runChild({"/bin/cat", file.string()}, {}, true); // warm file cache
        std::vector<double> exportS, exportCpuS, catS;
        for (int i = 0; i < runs; ++i) {
            const auto run = bench::runChild({SIGSCOPE_BINARY, "export", storage.string(), "--select", "bench_1m", "--out",
                                              out.string()});
            if (run.exitCode != 0)
                throw std::runtime_error("sigscope export failed: " + run.out);
            exportS.push_back(run.exitMs / 1000.0);
            exportCpuS.push_back(run.cpuMs / 1000.0);
            catS.push_back(bench::runChild({"/bin/cat", file.string()}, {}, true).exitMs / 1000.0);
        }
        const double csvMb = double(fs::file_size(out)) / 1e6;
        bench::note("export: " + std::to_string(csvMb) + " MB of CSV; wall s " + bench::spread(exportS, 3) + ", cpu s "
                    + bench::spread(exportCpuS, 3) + "; cat of the trace s " + bench::spread(catS, 3));

        const auto trace = core::loadTrace(file);
        if (formerChanges(trace) != core::csv::changes(trace))
            throw std::runtime_error("the former and the current CSV differ");
        std::vector<double> streamed, whole, former;
        for (int i = 0; i < runs; ++i) {
            streamed.push_back(bench::timeMs([&] { core::csv::writeChanges(out, trace); }) / 1000.0);
            whole.push_back(bench::timeMs([&] { core::csv::writeFile(out, core::csv::changes(trace)); }) / 1000.0);
            former.push_back(bench::timeMs([&] { core::csv::writeFile(out, formerChanges(trace)); }) / 1000.0);
        }
        fs::remove(out);
        bench::note("in one process: streamed write s " + bench::spread(streamed, 3) + ", one string then write s "
                    + bench::spread(whole, 3) + ", the former export s " + bench::spread(former, 3));
        bench::figure("export_csv_1M_s", bench::median(exportS), "s");
        bench::figure("export_csv_1M_cpu_s", bench::median(exportCpuS), "s");
        bench::figure("export_csv_1M_cat_trace_s", bench::median(catS), "s");
        bench::figure("export_csv_1M_write_only_s", bench::median(streamed), "s");
        bench::figure("export_csv_1M_one_string_write_s", bench::median(whole), "s");
        bench::figure("export_csv_1M_former_write_s", bench::median(former), "s");
        bench::ratio("export_csv_1M_write_vs_former", bench::median(streamed) / bench::median(former));
        bench::ratio("export_csv_1M_vs_cat_trace", bench::median(exportS) / bench::median(catS));
    } catch (const std::exception& e) {
        bench::note(e.what());
        return 1;
    }
    return 0;
}
