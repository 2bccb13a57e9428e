// First load of a trace (issue 12): a fresh process (cold heap, nothing allocated before) loads
// the 1,000,000-change trace file once with core::loadTrace; the peer, in the same run and also
// in a fresh process each time, parses the same file with nlohmann's SAX parser (its fastest
// mode) behind a handler that only counts the changes, after reading the file into an
// uninitialised buffer: what the JSON library alone costs, with nothing built. Both timed inside
// the child from before the file is opened to the end of the parse (process start left out,
// the file cache warm). MB = 1e6 bytes of the file.
#include "bench/support/bench.h"
#include "core/storage/traceio.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <regex>

using namespace sigscope;
namespace fs = std::filesystem;

namespace {

// Counts the changes ("idx" keys); every other event is accepted and dropped.
struct CountingSax : nlohmann::json_sax<nlohmann::json>
{
    std::size_t changes = 0;
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return true; }
    bool key(string_t& key) override
    {
        changes += key == "idx";
        return true;
    }
    bool end_object() override { return true; }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override
    {
        throw std::runtime_error(e.what());
    }
};

std::size_t saxLoad(const char* path)
{
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw std::runtime_error(std::string("cannot open ") + path);
    const auto size = static_cast<std::size_t>(fs::file_size(path));
    std::unique_ptr<char[]> buffer(new char[size]); // not zero-filled
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::read(fd, buffer.get() + done, size - done);
        if (n <= 0)
            throw std::runtime_error(std::string("cannot read ") + path);
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
    CountingSax sax;
    nlohmann::json::sax_parse(buffer.get(), buffer.get() + size, &sax);
    return sax.changes;
}

// The child: one load, then "ms=<time> changes=<n>".
int child(const std::string& mode, const char* path)
{
    const auto start = bench::Clock::now();
    std::size_t changes = 0;
    if (mode == "ours")
        changes = core::loadTrace(path).size();
    else
        changes = saxLoad(path);
    const double ms = bench::msSince(start);
    std::printf("ms=%.3f changes=%zu\n", ms, changes);
    return 0;
}

struct Load
{
    double ms = 0;
    std::size_t changes = 0;
};

Load runChild(const char* self, const std::string& mode, const fs::path& file)
{
    const auto run = bench::runChild({self, "--child", mode, file.string()});
    static const std::regex line("^ms=([0-9.]+) changes=([0-9]+)\n");
    std::smatch match;
    if (run.exitCode != 0 || !std::regex_search(run.out, match, line))
        throw std::runtime_error(mode + " load failed: " + run.out);
    return {std::stod(match[1].str()), std::stoul(match[2].str())};
}

} // namespace

int main(int argc, char** argv)
{
    if (argc == 4 && std::strcmp(argv[1], "--child") == 0)
        return child(argv[2], argv[3]);
    const auto data = bench::dataDir(argc, argv);
    const char* runsEnv = std::getenv("SIGSCOPE_BENCH_RUNS");
    const int runs = runsEnv && *runsEnv ? std::max(1, std::atoi(runsEnv)) : 5;
    try {
        const auto file = bench::millionChangeTrace(data);
        const double mb = double(fs::file_size(file)) / 1e6;
        bench::note("first load: " + file.string() + ", " + std::to_string(mb) + " MB");
        bench::runChild({"/bin/cat", file.string()}, {}, true); // warm file cache for both
        std::vector<double> ours, sax;
        for (int i = 0; i < runs; ++i) { // interleaved: the machine's load falls on both alike
            const Load a = runChild("/proc/self/exe", "ours", file);
            const Load b = runChild("/proc/self/exe", "sax", file);
            if (a.changes != b.changes || a.changes != 1'000'000)
                throw std::runtime_error("the loaders disagree: " + std::to_string(a.changes) + " vs "
                                         + std::to_string(b.changes) + " changes");
            ours.push_back(mb / (a.ms / 1000.0));
            sax.push_back(mb / (b.ms / 1000.0));
        }
        bench::note("ours MB/s " + bench::spread(ours) + ", nlohmann SAX MB/s " + bench::spread(sax));
        bench::figure("load_first_mbps", bench::median(ours), "MB/s");
        bench::figure("load_first_nlohmann_sax_mbps", bench::median(sax), "MB/s");
        bench::ratio("load_first_vs_nlohmann_sax", bench::median(ours) / bench::median(sax));
    } catch (const std::exception& e) {
        bench::note(e.what());
        return 1;
    }
    return 0;
}
