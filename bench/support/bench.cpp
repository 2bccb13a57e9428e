#include "bench/support/bench.h"

#include "core/storage/writer.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <cstring>
#include <iomanip>
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

std::filesystem::path millionChangeTrace(const std::filesystem::path& dataDir)
{
    const auto dir = dataDir / "trace-1m";
    const auto stampFile = dataDir / "trace-1m.stamp";
    const std::string stamp = "changes=1000000 seed=99 v1\n";
    {
        std::ifstream in(stampFile);
        std::stringstream existing;
        existing << in.rdbuf();
        if (in && existing.str() == stamp) {
            const auto files = dataFiles(dir);
            if (files.size() == 1)
                return files.front().path;
        }
    }
    std::filesystem::remove(stampFile);
    if (std::filesystem::exists(dir))
        removeTrees(dataDir, {dir});
    note("generating " + dir.string() + " (one trace of 1,000,000 changes), once");
    core::TraceIdentity id;
    id.kind = core::Kind::Signal;
    id.name = "bench_1m";
    id.symbol = "SPY";
    id.timeframe = "1m";
    id.parameters.set("period", std::int64_t{14});
    core::Trace trace(id, "bench");
    trace.reserve(1'000'000);
    std::uint64_t state = 99;
    std::int64_t bar = 0;
    std::int32_t value = 0;
    double price = 470.0;
    const core::TimeFormat format{};
    for (int i = 0; i < 1'000'000; ++i) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL; // LCG: same data every run
        bar += 1 + static_cast<std::int64_t>((state >> 33) % 6);
        value = (value + 2 + static_cast<std::int32_t>((state >> 40) % 2)) % 3;
        price += (static_cast<double>((state >> 20) % 2001) - 1000.0) / 100.0 * 0.01;
        trace.appendSignalAt(bar, (1704186000LL + bar * 60) * 1'000'000LL, format, value - 1, std::round(price * 100) / 100);
    }
    trace.metadata.totalBars = bar + 1;
    core::StorageWriter writer(dir);
    writer.write(trace);
    std::ofstream(stampFile) << stamp;
    return dataFiles(dir).front().path;
}

ChildRun runChild(const std::vector<std::string>& argv, const std::vector<std::string>& env, bool discardOutput)
{
    std::vector<std::string> environment;
    for (char** e = ::environ; *e; ++e) {
        const std::string entry(*e);
        const auto name = entry.substr(0, entry.find('=') + 1);
        const bool replaced = std::any_of(env.begin(), env.end(), [&](const std::string& v) { return v.rfind(name, 0) == 0; });
        if (!replaced)
            environment.push_back(entry);
    }
    environment.insert(environment.end(), env.begin(), env.end());
    std::vector<char*> args, envp;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    for (const auto& e : environment)
        envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);

    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0)
        throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (discardOutput)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    else
        posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 1);
    ChildRun run;
    const auto start = Clock::now();
    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, args[0], &actions, nullptr, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipeFds[1]);
    if (rc != 0) {
        ::close(pipeFds[0]);
        throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
    }
    bool sawLine = false;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(pipeFds[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        run.out.append(buffer, static_cast<std::size_t>(n));
        if (!sawLine && run.out.find('\n') != std::string::npos) {
            sawLine = true;
            run.firstLineMs = msSince(start);
        }
    }
    ::close(pipeFds[0]);
    int status = 0;
    rusage usage{};
    while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
    }
    run.exitMs = msSince(start);
    if (!sawLine)
        run.firstLineMs = run.exitMs;
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    const auto ms = [](const timeval& t) { return double(t.tv_sec) * 1e3 + double(t.tv_usec) / 1e3; };
    run.cpuMs = ms(usage.ru_utime) + ms(usage.ru_stime);
    run.maxRssMb = double(usage.ru_maxrss) * 1024.0 / 1e6;
    return run;
}

std::string spread(const std::vector<double>& values, int precision)
{
    if (values.empty())
        return "no runs";
    std::ostringstream text;
    text << std::fixed << std::setprecision(precision) << median(values) << " (" << *std::min_element(values.begin(), values.end())
         << "-" << *std::max_element(values.begin(), values.end()) << " of " << values.size() << ")";
    return text.str();
}

} // namespace sigscope::bench
