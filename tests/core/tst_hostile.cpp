// Hostile and damaged inputs (issue 11): nesting far past any real file, FIFOs and other
// non-regular files where a file is expected, symbolic links that would lead writes out of the
// storage, file names that are not UTF-8, temporary files of killed writers, repeated keys, numbers
// beyond 64 bits and metadata that disagrees with its folder. Every case asserts the exact error
// or finding, in the library and through the command line.
#include "core/demo/demo.h"
#include "core/market/priceseries.h"
#include "core/model/parameters.h"
#include "core/storage/storage.h"
#include "core/storage/traceio.h"
#include "core/storage/verify.h"
#include "core/storage/writer.h"
#include "core/tracer/traceconfig.h"
#include "core/tracer/tracer.h"
#include "core/util/jsonlimits.h"
#include "core/util/jsonstream.h"
#include "core/util/utf8.h"
#include "tests/support/testsupport.h"

#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

using namespace sigscope::core;
namespace fs = std::filesystem;

namespace {

fs::path pathOf(const QTemporaryDir& dir)
{
    return fs::path(dir.path().toStdString());
}

void writeText(const fs::path& p, const std::string& text)
{
    std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

Trace signal(const std::string& name, int period)
{
    TraceIdentity id;
    id.name = name;
    id.parameters = Parameters{{"period", std::int64_t{period}}};
    id.symbol = "SPY";
    id.timeframe = "1m";
    Trace t(id, "rsi");
    t.metadata.totalBars = 100;
    t.metadata.createdAt = "2026-01-05T14:03:11.120000Z";
    t.appendSignal(2, "2024-03-26T13:32:00Z", 1);
    t.appendSignal(10, "2024-03-26T13:40:00Z", -1);
    return t;
}

// Arrays nested `levels` deep: "[[[...]]]".
std::string nested(std::size_t levels)
{
    return std::string(levels, '[') + std::string(levels, ']');
}

// A version-1 signal file whose parameters hold `value`.
std::string traceWithParameter(const std::string& value)
{
    return R"({"metadata": {"strategy_name": "rsi_14", "strategy_type": "rsi", "parameters": {"p": )" + value
        + R"(}, "symbol": null, "timeframe": null, "run": null, "total_bars": 10, "format_version": 1},
  "changes": [{"idx": 1, "val": 1}]})";
}

std::string loadError(const fs::path& file)
{
    try {
        loadTrace(file);
    } catch (const StorageError& e) {
        return e.what();
    }
    return "loaded";
}

std::string streamingError(const fs::path& file)
{
    try {
        loadTraceStreaming(file);
    } catch (const StorageError& e) {
        return e.what();
    }
    return "loaded";
}

std::string findingText(const Finding& f)
{
    return std::string(severityName(f.severity)) + " " + f.code + " " + f.path + ": " + f.message;
}

bool hasFinding(const std::vector<Finding>& findings, const std::string& text)
{
    for (const auto& f : findings)
        if (findingText(f) == text)
            return true;
    return false;
}

QByteArray listed(const std::vector<Finding>& findings)
{
    std::string out;
    for (const auto& f : findings)
        out += findingText(f) + "\n";
    return QByteArray::fromStdString(out);
}

// The pid of a process that has exited (and been reaped): no writer runs under it.
pid_t deadPid()
{
    const pid_t child = ::fork();
    if (child == 0)
        ::_exit(0);
    int status = 0;
    ::waitpid(child, &status, 0);
    return child;
}

struct CountingHandler // the least a jsonstream handler needs
{
    bool null() { return true; }
    bool boolean(bool) { return true; }
    bool number_integer(std::int64_t) { return true; }
    bool number_unsigned(std::uint64_t) { return true; }
    bool number_float(double, const std::string&) { return true; }
    bool string(std::string&) { return true; }
    bool key(std::string&) { return true; }
    bool start_object(std::size_t) { return true; }
    bool end_object() { return true; }
    bool start_array(std::size_t) { return true; }
    bool end_array() { return true; }
};

jsonstream::Result streamParse(const fs::path& file, bool* tooDeep)
{
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    jsonstream::Reader reader(fd, 64);
    CountingHandler h;
    const auto r = reader.parse(h);
    ::close(fd);
    *tooDeep = reader.depthExceeded();
    return r;
}

QByteArray describe(const sigscope::test::CommandRun& run)
{
    return (QStringLiteral("exit %1\nstdout:\n%2\nstderr:\n%3").arg(run.exitCode).arg(run.out, run.err)).toUtf8();
}

} // namespace

class TestHostile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // ---- 1. depth -------------------------------------------------------------------------

    void depthLimitIsOneConstant()
    {
        QCOMPARE(kMaxJsonDepth, std::size_t(256));
        QCOMPARE(nestingTooDeepReason(), std::string("nesting deeper than 256 levels"));
        QCOMPARE(jsonNestingDepth("{\"a\": \"[[[[\", \"b\": [{\"c\": \"\\\"]\"}]}"), std::size_t(3));
        // An upper bound: three block levels, a sequence entry, two flow levels.
        QCOMPARE(yamlNestingDepth("a:\n  b:\n    - [1, {c: 2}]\n"), std::size_t(6));
    }

    void deepParametersInATraceFile()
    {
        QTemporaryDir dir;
        const fs::path file = pathOf(dir) / "deep.json";
        writeText(file, traceWithParameter(nested(50'000)));
        const std::string expected = file.string() + ": nesting deeper than 256 levels";
        QCOMPARE(loadError(file), expected);
        QCOMPARE(streamingError(file), expected);

        // The limit counts every level: the file's object 1, metadata 2, parameters 3.
        writeText(file, traceWithParameter(nested(253)));
        QCOMPARE(loadTrace(file).identity.parameters.canonicalJson(), "{\"p\":" + nested(253) + "}");
        QCOMPARE(loadTraceStreaming(file).identity.parameters, loadTrace(file).identity.parameters);
        writeText(file, traceWithParameter(nested(254)));
        QCOMPARE(loadError(file), expected);
        QCOMPARE(streamingError(file), expected);

        // Deep in an unknown metadata key and in a change: the same rule.
        writeText(file, R"({"metadata": {"strategy_name": "s", "x": )" + nested(300) + R"(}, "changes": []})");
        QCOMPARE(loadError(file), expected);
        writeText(file, R"({"metadata": {"strategy_name": "s"}, "changes": [{"idx": 1, "val": 1, "y": )" + nested(300)
                            + "}]}");
        QCOMPARE(loadError(file), expected);
    }

    void deepParametersDirectly()
    {
        try {
            Parameters::fromJson("{\"p\":" + nested(50'000) + "}");
            QFAIL("no exception");
        } catch (const std::invalid_argument& e) {
            QCOMPARE(std::string(e.what()), std::string("nesting deeper than 256 levels"));
        }
        QCOMPARE(Parameters::fromJson("{\"p\":" + nested(255) + "}").canonicalJson(), "{\"p\":" + nested(255) + "}");
    }

    void deepIndexAndManifest()
    {
        QTemporaryDir dir;
        const fs::path root = pathOf(dir);
        StorageWriter(root).write(signal("rsi_14", 14));
        const fs::path index = root / "signals/rsi/index.json";
        writeText(index, R"({"type": "rsi", "files": [{"name": "x", "parameters": {"p": )" + nested(50'000)
                             + R"(}, "file_path": "signals/rsi/x.json"}]})");
        std::vector<Finding> findings;
        const TypeIndex read = Storage::open(root).readIndex(Kind::Signal, "rsi", &findings);
        QVERIFY(read.entries.empty());
        QCOMPARE(listed(findings), QByteArray("error index-error signals/rsi/index.json: nesting deeper than 256 levels\n"));

        writeText(root / "storage.json", R"({"format": "hierarchical-signal-storage", "x": )" + nested(50'000) + "}");
        try {
            Storage::open(root);
            QFAIL("no exception");
        } catch (const StorageError& e) {
            QCOMPARE(std::string(e.what()), (root / "storage.json").string() + ": nesting deeper than 256 levels");
        }
    }

    void deepConfiguration()
    {
        try {
            TraceConfig::fromJson("{\"execution\": " + nested(50'000) + "}", "trading.json");
            QFAIL("no exception");
        } catch (const TraceConfigError& e) {
            QCOMPARE(std::string(e.what()), std::string("trading.json: not valid JSON: nesting deeper than 256 levels"));
        }
        std::string block = "execution:\n";
        for (int i = 1; i < 400; ++i)
            block += std::string(static_cast<std::size_t>(i) * 2, ' ') + "k" + std::to_string(i) + ":\n";
        for (const std::string& yaml : {"execution: " + nested(50'000) + "\n", block, [] {
                                            std::string dashes;
                                            for (int i = 0; i < 3000; ++i)
                                                dashes += "- ";
                                            return dashes + "x\n";
                                        }(),
                                        std::string("a: ") + std::string(50'000, '{')}) {
            try {
                TraceConfig::fromYaml(yaml, "trading.yaml");
                QFAIL("no exception");
            } catch (const TraceConfigError& e) {
                QCOMPARE(std::string(e.what()), std::string("trading.yaml: not valid YAML: nesting deeper than 256 levels"));
            }
        }
        // A real configuration stays far below.
        const auto config = TraceConfig::fromYaml("execution:\n  enable_event_tracing: true\n  trace_settings:\n"
                                                  "    storage: {type: hierarchical, base_dir: ./x, run_id: null}\n");
        QVERIFY(config.enabled);
        QCOMPARE(config.baseDir, fs::path("./x"));
    }

    void streamingReaderStopsAtTheLimit()
    {
        QTemporaryDir dir;
        const fs::path file = pathOf(dir) / "deep.json";
        bool tooDeep = false;
        writeText(file, nested(256));
        QCOMPARE(streamParse(file, &tooDeep), jsonstream::Result::Ok);
        QVERIFY(!tooDeep);
        writeText(file, nested(257));
        QCOMPARE(streamParse(file, &tooDeep), jsonstream::Result::SyntaxError);
        QVERIFY(tooDeep);
        writeText(file, nested(50'000));
        QCOMPARE(streamParse(file, &tooDeep), jsonstream::Result::SyntaxError);
        QVERIFY(tooDeep);
    }

    void deepFileThroughTheCommandLine()
    {
        QTemporaryDir dir;
        const fs::path root = pathOf(dir);
        StorageWriter(root).write(signal("rsi_14", 14));
        const std::string rel = "signals/rsi/rsi_deep_00000000.json";
        writeText(root / rel, traceWithParameter(nested(50'000)));
        const QString storage = dir.path();

        auto run = sigscope::test::runSigscope({QStringLiteral("verify"), storage});
        QVERIFY2(run.exitCode == 1, describe(run).constData());
        QVERIFY2(run.out.contains(QString::fromStdString("error parse-error " + rel + ": nesting deeper than 256 levels")),
                 describe(run).constData());

        run = sigscope::test::runSigscope({QStringLiteral("index"), QStringLiteral("--rebuild"), storage});
        QVERIFY2(run.exitCode == 1, describe(run).constData());
        QVERIFY2(run.err.contains(QString::fromStdString(
                     rel + ": nesting deeper than 256 levels (left out of the index)")),
                 describe(run).constData());
        QVERIFY2(run.out.contains(QStringLiteral("rebuilt 1 indexes: 1 traces")), describe(run).constData());

        // An index entry nested as deep: info reports the index and carries on.
        writeText(root / "signals/rsi/index.json",
                  R"({"type": "rsi", "files": [{"name": "x", "parameters": {"p": )" + nested(50'000)
                      + R"(}, "file_path": "signals/rsi/x.json"}]})");
        run = sigscope::test::runSigscope({QStringLiteral("info"), storage});
        QVERIFY2(run.exitCode != -1, describe(run).constData());
        QVERIFY2(run.err.contains(QStringLiteral("nesting deeper than 256 levels")), describe(run).constData());
    }

    // ---- 2. FIFOs and other non-regular inputs --------------------------------------------

    void fifoInputsAreRefused()
    {
        QTemporaryDir dir;
        const fs::path root = pathOf(dir);
        StorageWriter(root).write(signal("rsi_14", 14));

        const fs::path fifo = root / "fifo.json";
        QCOMPARE(::mkfifo(fifo.c_str(), 0644), 0);
        QCOMPARE(loadError(fifo), fifo.string() + ": not a regular file (FIFO)");
        QCOMPARE(streamingError(fifo), fifo.string() + ": not a regular file (FIFO)");
        try {
            TraceConfig::fromFile(fifo);
            QFAIL("no exception");
        } catch (const TraceConfigError& e) {
            QCOMPARE(std::string(e.what()), fifo.string() + ": not a regular file (FIFO)");
        }

        const fs::path csvFifo = root / "SPY_1m.csv";
        QCOMPARE(::mkfifo(csvFifo.c_str(), 0644), 0);
        QCOMPARE(readMarketCsv(csvFifo).error.message, std::string("not a regular file (FIFO)"));

        // index.json as a FIFO: a finding, no hang.
        const fs::path index = root / "signals/rsi/index.json";
        fs::remove(index);
        QCOMPARE(::mkfifo(index.c_str(), 0644), 0);
        std::vector<Finding> findings;
        Storage::open(root).readIndex(Kind::Signal, "rsi", &findings);
        QCOMPARE(listed(findings), QByteArray("error index-error signals/rsi/index.json: not a regular file (FIFO)\n"));
        // ... and a writer refuses to touch the folder.
        try {
            StorageWriter(root).write(signal("rsi_15", 15));
            QFAIL("no exception");
        } catch (const StorageError& e) {
            QCOMPARE(std::string(e.what()), index.string() + ": not a regular file (FIFO)");
        }

        // storage.json as a FIFO.
        fs::remove(root / "storage.json");
        QCOMPARE(::mkfifo((root / "storage.json").c_str(), 0644), 0);
        try {
            Storage::open(root);
            QFAIL("no exception");
        } catch (const StorageError& e) {
            QCOMPARE(std::string(e.what()), (root / "storage.json").string() + ": not a regular file (FIFO)");
        }
        const auto run = sigscope::test::runSigscope({QStringLiteral("info"), dir.path()}, 20'000);
        QVERIFY2(run.exitCode == 1, describe(run).constData());
        QVERIFY2(run.err.contains(QStringLiteral("storage.json: not a regular file (FIFO)")), describe(run).constData());
    }

    void verifyReportsWhatIsNoDataFile()
    {
        QTemporaryDir dir;
        const fs::path root = pathOf(dir);
        StorageWriter(root).write(signal("rsi_14", 14));
        const fs::path type = root / "signals/rsi";
        QCOMPARE(::mkfifo((type / "pipe.json").c_str(), 0644), 0);
        fs::create_directory(type / "folder.json");
        fs::create_symlink(root / "nowhere.json", type / "dangling.json");
        const VerifyResult result = verifyStorage(root);
        QVERIFY(!result.clean());
        QCOMPARE(listed(result.findings),
                 QByteArray("error not-a-file signals/rsi/dangling.json: a dangling symbolic link, not a data file\n"
                            "error not-a-file signals/rsi/folder.json: a folder, not a data file\n"
                            "error not-a-file signals/rsi/pipe.json: not a regular file (FIFO)\n"));
        QCOMPARE(result.filesChecked, std::size_t(1));
    }

    // ---- 3. no write outside the storage --------------------------------------------------

    void symlinkedTypeFolderIsRefused()
    {
        QTemporaryDir dir;
        const fs::path root = pathOf(dir) / "storage";
        const fs::path outside = pathOf(dir) / "outside";
        StorageWriter(root).write(signal("rsi_14", 14));
        fs::create_directory(outside);
        // The type folder moved elsewhere and linked back.
        fs::rename(root / "signals/rsi", outside / "rsi");
        fs::create_symlink(outside / "rsi", root / "signals/rsi");
        const auto before = sigscope::test::readFile(outside / "rsi/index.json");
        const std::string expected = (root / "signals/rsi").string()
            + ": is a symbolic link; sigscope never writes through one (the kind and type folders must be real "
              "folders inside the storage)";
        try {
            StorageWriter(root).write(signal("rsi_15", 15));
            QFAIL("no exception");
        } catch (const StorageError& e) {
            QCOMPARE(std::string(e.what()), expected);
        }
        try {
            rebuildIndexes(root);
            QFAIL("no exception");
        } catch (const StorageError& e) {
            QCOMPARE(std::string(e.what()), expected);
        }
        QCOMPARE(sigscope::test::readFile(outside / "rsi/index.json"), before);
        std::size_t files = 0;
        for (const auto& e : fs::directory_iterator(outside / "rsi")) {
            Q_UNUSED(e);
            ++files;
        }
        QCOMPARE(files, std::size_t(3)); // index.json, .index.lock, the one trace: nothing new
        const auto run = sigscope::test::runSigscope({QStringLiteral("index"), QStringLiteral("--rebuild"),
                                                      QString::fromStdString(root.string())});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QString::fromStdString(expected)), describe(run).constData());
        // verify reads through it but says so.
        QVERIFY(hasFinding(verifyStorage(root).findings,
                           "warning symlinked-folder signals/rsi: the type folder is a symbolic link (read through it; "
                           "writes refuse it)"));
    }

    void symlinkedKindFolderIsRefused()
    {
        QTemporaryDir dir;
        const fs::path root = pathOf(dir) / "storage";
        const fs::path outside = pathOf(dir) / "outside";
        fs::create_directories(root);
        fs::create_directories(outside);
        fs::create_symlink(outside, root / "signals");
        try {
            StorageWriter(root).write(signal("rsi_14", 14));
            QFAIL("no exception");
        } catch (const StorageError& e) {
            QCOMPARE(std::string(e.what()),
                     (root / "signals").string()
                         + ": is a symbolic link; sigscope never writes through one (the kind and type folders must be "
                           "real folders inside the storage)");
        }
        QVERIFY(fs::is_empty(outside));
        // The demo refuses before it writes anything.
        try {
            DemoOptions options;
            options.bars = 50;
            options.variants = 2;
            generateDemo(root, options);
            QFAIL("no exception");
        } catch (const StorageError& e) {
            QVERIFY2(std::string(e.what()).starts_with((root / "signals").string() + ": is a symbolic link"), e.what());
        }
        QVERIFY(fs::is_empty(outside));
    }

    void tracerRefusesALinkedTypeFolder()
    {
        QTemporaryDir dir;
        const fs::path root = pathOf(dir) / "storage";
        const fs::path outside = pathOf(dir) / "outside";
        fs::create_directories(root / "signals");
        fs::create_directories(outside);
        fs::create_symlink(outside, root / "signals/rsi");
        TraceConfig config;
        config.baseDir = root;
        Tracer tracer(config);
        tracer.onBar("SPY", "1m");
        tracer.onSignal("SPY_rsi_14", "SPY", "long");
        try {
            tracer.flush();
            QFAIL("no exception");
        } catch (const StorageError& e) {
            QVERIFY2(std::string(e.what()).starts_with((root / "signals/rsi").string() + ": is a symbolic link"), e.what());
        }
        tracer.discard(); // nothing left for the destructor's flush
        QVERIFY(fs::is_empty(outside));
    }

    void danglingLockLinkIsNotFollowed()
    {
        QTemporaryDir dir;
        const fs::path root = pathOf(dir) / "storage";
        const fs::path target = pathOf(dir) / "created-through-the-link";
        fs::create_directories(root / "signals/rsi");
        fs::create_symlink(target, root / "signals/rsi/.index.lock");
        try {
            StorageWriter(root).write(signal("rsi_14", 14));
            QFAIL("no exception");
        } catch (const StorageError& e) {
            QCOMPARE(std::string(e.what()), (root / "signals/rsi/.index.lock").string()
                                                + ": the index lock is a symbolic link; not followed (remove it)");
        }
        QVERIFY(!fs::exists(fs::symlink_status(target)));
        QVERIFY(!fs::exists(root / "signals/rsi/index.json"));
    }

    // ---- 4. file names that are not UTF-8 -------------------------------------------------

    void nonUtf8NamesAreReportedAndSkipped()
    {
        QCOMPARE(escapeInvalidUtf8("bad\xff\xfe_é.json"), std::string("bad\\xff\\xfe_é.json"));
        QVERIFY(isValidUtf8("é😀"));
        QVERIFY(!isValidUtf8("\xc0\xaf"));

        QTemporaryDir dir;
        const fs::path root = pathOf(dir);
        const auto written = StorageWriter(root).write(signal("rsi_14", 14));
        fs::copy_file(root / written.filePath, root / "signals/rsi/bad\xff.json");
        const RebuildResult result = rebuildIndexes(root);
        QCOMPARE(result.traces, std::size_t(1));
        QCOMPARE(listed(result.findings),
                 QByteArray("error invalid-name signals/rsi/bad\\xff.json: the file name is not valid UTF-8 (left out of "
                            "the index)\n"));
        std::vector<Finding> findings;
        const TypeIndex index = Storage::open(root).readIndex(Kind::Signal, "rsi", &findings);
        QVERIFY2(findings.empty(), listed(findings).constData());
        QCOMPARE(index.entries.size(), std::size_t(1));
        QCOMPARE(index.entries.front().filePath, written.filePath);
        QVERIFY(hasFinding(verifyStorage(root).findings,
                           "error invalid-name signals/rsi/bad\\xff.json: the file name is not valid UTF-8 (left out of "
                           "the index)"));

        const auto run = sigscope::test::runSigscope({QStringLiteral("index"), QStringLiteral("--rebuild"), dir.path()});
        QVERIFY2(run.exitCode == 1, describe(run).constData());
        QVERIFY2(run.err.contains(QStringLiteral("invalid-name signals/rsi/bad\\xff.json")), describe(run).constData());
        const auto list = sigscope::test::runSigscope({QStringLiteral("index"), dir.path()});
        QVERIFY2(list.exitCode == 0, describe(list).constData());
        fs::remove(root / "signals/rsi/bad\xff.json"); // QTemporaryDir cannot remove a name that is not UTF-8
    }

    // ---- 5. temporary files of killed writers ---------------------------------------------

    void writerRemovesStaleTemporaries()
    {
        QTemporaryDir dir;
        const fs::path root = pathOf(dir);
        StorageWriter(root).write(signal("rsi_14", 14));
        const std::string dead = std::to_string(deadPid());
        const fs::path staleData = root / ("signals/rsi/.rsi_15_x.json.tmp." + dead + ".0");
        const fs::path staleIndex = root / ("signals/rsi/.index.json.tmp." + dead + ".3");
        const fs::path staleManifest = root / (".storage.json.tmp." + dead + ".1");
        const fs::path live = root / "signals/rsi/.rsi_16_x.json.tmp.1.0"; // pid 1 runs
        const fs::path notOurs = root / "signals/rsi/.notes.tmp"; // not the writer's pattern
        for (const auto& p : {staleData, staleIndex, staleManifest, live, notOurs})
            writeText(p, "partial");
        StorageWriter(root).write(signal("rsi_15", 15));
        QVERIFY(!fs::exists(staleData));
        QVERIFY(!fs::exists(staleIndex));
        QVERIFY(!fs::exists(staleManifest));
        QVERIFY(fs::exists(live));
        QVERIFY(fs::exists(notOurs));
        QVERIFY(verifyStorage(root).clean());
    }

    void demoRemovesItsStaleTemporaries()
    {
        QTemporaryDir dir;
        const fs::path root = pathOf(dir);
        fs::create_directories(root / "market");
        const std::string dead = std::to_string(deadPid());
        const fs::path staleCsv = root / ("market/.SPY_1m.csv.tmp." + dead + ".0");
        writeText(staleCsv, "bar_index,timestamp");
        DemoOptions options;
        options.bars = 50;
        options.variants = 2;
        options.symbols = {"SPY"};
        generateDemo(root, options);
        QVERIFY(!fs::exists(staleCsv));
        for (const auto& e : fs::recursive_directory_iterator(root))
            QVERIFY2(e.path().filename().string().find(".tmp.") == std::string::npos, e.path().c_str());
    }

    // ---- 6. accepted silently no more -----------------------------------------------------

    void repeatedKeysAreErrors_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("reason");
        const char* change = R"({"idx": 1, "val": 1})";
        auto file = [&](const std::string& meta, const std::string& changes, const std::string& tail = {}) {
            return QByteArray::fromStdString(R"({"metadata": {"strategy_name": "s", )" + meta + R"(}, "changes": [)"
                                             + changes + "]" + tail + "}");
        };
        QTest::newRow("metadata") << file(R"("run": "a", "run": "b")", change) << QByteArray(R"(metadata: duplicate key "run")");
        QTest::newRow("change") << file(R"("run": null)", R"({"idx": 1, "val": 1, "val": -1})")
                                << QByteArray(R"(change 1: duplicate key "val")");
        QTest::newRow("unknown change key") << file(R"("run": null)", R"({"idx": 1, "val": 1, "n": 1, "n": 1})")
                                            << QByteArray(R"(change 1: duplicate key "n")");
        QTest::newRow("parameters") << file(R"("parameters": {"a": 1, "a": 2})", change)
                                    << QByteArray(R"(metadata.parameters: duplicate key "a")");
        QTest::newRow("nested extra") << file(R"("source": {"x": {"k": 1, "k": 2}})", change)
                                      << QByteArray(R"(metadata.source: duplicate key "k")");
        QTest::newRow("top level") << file(R"("run": null)", change, R"(, "changes": [])")
                                   << QByteArray(R"(duplicate key "changes")");
        QTest::newRow("escaped") << file("\"a\\\"b\": 1, \"a\\u0022b\": 2", change)
                                 << QByteArray("metadata: duplicate key \"a\\\"b\"");
    }

    void repeatedKeysAreErrors()
    {
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, reason);
        QTemporaryDir dir;
        const fs::path file = pathOf(dir) / "t.json";
        writeText(file, text.toStdString());
        QCOMPARE(loadError(file), file.string() + ": " + reason.toStdString());
        QCOMPARE(streamingError(file), file.string() + ": " + reason.toStdString());
    }

    void totalBarsBeyondInt64()
    {
        QTemporaryDir dir;
        const fs::path file = pathOf(dir) / "t.json";
        for (const char* bars : {"9223372036854775808", "18446744073709551616", "1e30", "-1e30"}) {
            writeText(file, std::string(R"({"metadata": {"strategy_name": "s", "total_bars": )") + bars
                                + R"(}, "changes": []})");
            QCOMPARE(loadError(file), file.string() + ": metadata.total_bars is out of range (beyond 64-bit integers)");
        }
        writeText(file, R"({"metadata": {"strategy_name": "s", "total_bars": 9223372036854775807}, "changes": []})");
        QCOMPARE(loadTrace(file).metadata.totalBars, std::int64_t(9223372036854775807));

        // In an index entry: an error naming the entry, never a negative count.
        const fs::path root = pathOf(dir) / "storage";
        StorageWriter(root).write(signal("rsi_14", 14));
        for (const char* bars : {"1e30", "9223372036854775808"}) {
            writeText(root / "signals/rsi/index.json",
                      std::string(R"({"type": "rsi", "files": [{"name": "x", "total_bars": )") + bars
                          + R"(, "file_path": "signals/rsi/x.json"}]})");
            std::vector<Finding> findings;
            Storage::open(root).readIndex(Kind::Signal, "rsi", &findings);
            QCOMPARE(listed(findings), QByteArray("error index-error signals/rsi/index.json: entry 1: total_bars is out "
                                                  "of range (beyond 64-bit integers)\n"));
        }
    }

    void verifyChecksEveryMetadataField_data()
    {
        QTest::addColumn<QByteArray>("from");
        QTest::addColumn<QByteArray>("to");
        QTest::addColumn<QByteArray>("finding"); // "" when the file must stay clean
        QTest::newRow("as written") << QByteArray() << QByteArray() << QByteArray();
        QTest::newRow("type folder") << QByteArray(R"("strategy_type": "rsi")") << QByteArray(R"("strategy_type": "macd")")
                                     << QByteArray(R"(error type-mismatch F: metadata.strategy_type is "macd" but the file is in the type folder "rsi")");
        QTest::newRow("type null") << QByteArray(R"("strategy_type": "rsi")") << QByteArray(R"("strategy_type": null)")
                                   << QByteArray("error metadata-null F: metadata.strategy_type is null");
        QTest::newRow("format_version null") << QByteArray(R"("format_version": 1)") << QByteArray(R"("format_version": null)")
                                             << QByteArray("error metadata-null F: metadata.format_version is null");
        QTest::newRow("format_version missing") << QByteArray(",\n    \"format_version\": 1") << QByteArray()
                                                << QByteArray("error metadata-missing F: metadata.format_version is missing (the storage is version 1)");
        QTest::newRow("format_version newer") << QByteArray(R"("format_version": 1)") << QByteArray(R"("format_version": 2)")
                                              << QByteArray("error unsupported-version F: metadata.format_version 2 is newer than this program (version 1)");
        QTest::newRow("run missing") << QByteArray(",\n    \"run\": null") << QByteArray()
                                     << QByteArray("error metadata-missing F: metadata.run is missing");
        QTest::newRow("created_at null") << QByteArray(R"("created_at": "2026-01-05T14:03:11.120000Z")")
                                         << QByteArray(R"("created_at": null)")
                                         << QByteArray("error metadata-null F: metadata.created_at is null");
        QTest::newRow("created_at no time") << QByteArray(R"("created_at": "2026-01-05T14:03:11.120000Z")")
                                            << QByteArray(R"("created_at": "yesterday")")
                                            << QByteArray(R"(warning bad-time F: metadata.created_at "yesterday" is no valid time)");
        QTest::newRow("changes count") << QByteArray(R"("signal_changes": 2)") << QByteArray(R"("signal_changes": 5)")
                                       << QByteArray("warning count-mismatch F: metadata.signal_changes is 5, the file holds 2 changes");
        QTest::newRow("ratio") << QByteArray(R"("compression_ratio": 0.02)") << QByteArray(R"("compression_ratio": 0.5)")
                               << QByteArray("warning ratio-mismatch F: metadata.compression_ratio is 0.5, changes / total_bars is 0.02");
        QTest::newRow("ratio text") << QByteArray(R"("compression_ratio": 0.02)") << QByteArray(R"("compression_ratio": "0.02")")
                                    << QByteArray("error metadata-type F: metadata.compression_ratio has the wrong type");
    }

    void verifyChecksEveryMetadataField()
    {
        QFETCH(QByteArray, from);
        QFETCH(QByteArray, to);
        QFETCH(QByteArray, finding);
        QTemporaryDir dir;
        const fs::path root = pathOf(dir);
        const WriteResult written = StorageWriter(root).write(signal("rsi_14", 14));
        const fs::path file = root / written.filePath;
        if (!from.isEmpty()) {
            std::string text = sigscope::test::readFile(file);
            const auto pos = text.find(from.toStdString());
            QVERIFY2(pos != std::string::npos, from.constData());
            text.replace(pos, static_cast<std::size_t>(from.size()), to.toStdString());
            writeText(file, text);
        }
        const VerifyResult result = verifyStorage(root);
        std::string expected = finding.toStdString();
        if (const auto at = expected.find(" F: "); at != std::string::npos)
            expected.replace(at, 4, " " + written.filePath + ": ");
        QCOMPARE(listed(result.findings), QByteArray::fromStdString(expected.empty() ? "" : expected + "\n"));
    }
};

QTEST_GUILESS_MAIN(TestHostile)
#include "tst_hostile.moc"
