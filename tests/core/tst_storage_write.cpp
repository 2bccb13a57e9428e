// Writing a storage (storage-format.md §5-§8): file text, round trips, collision rule,
// unchanged detection, atomic failure, index upserts and concurrent writers.
#include "core/storage/naming.h"
#include "core/storage/storage.h"
#include "core/storage/traceio.h"
#include "core/storage/writer.h"
#include "tests/support/testsupport.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <csignal>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace sigscope::core;
namespace fs = std::filesystem;

namespace {

Trace specSignal()
{
    TraceIdentity id;
    id.kind = Kind::Signal;
    id.name = "ma_crossover_5_20";
    id.parameters = Parameters{{"fast_period", std::int64_t{5}}, {"slow_period", std::int64_t{20}}};
    id.symbol = "SPY";
    id.timeframe = "1m";
    Trace t(id, "ma_crossover");
    t.metadata.totalBars = 1000;
    t.metadata.createdAt = "2026-01-05T14:03:11.120000Z";
    t.metadata.extras = {{"workflow_id", "\"grid_v1\""}, {"source", R"({"path":"a/b.json","run_id":"20250611_171158"})"}};
    t.appendSignal(20, "2024-03-26T13:50:00+00:00", 1, 522.0);
    t.appendSignal(31, "2024-03-26T14:01:00+00:00", -1, 517.9);
    t.appendSignal(41, "2024-03-26T14:11:00+00:00", 0, 0.0);
    return t;
}

Trace specClassifier()
{
    TraceIdentity id;
    id.kind = Kind::Classifier;
    id.name = "volatility_regime";
    id.parameters = Parameters{{"window", 20.0}};
    id.symbol = "SPY";
    id.run = "20250615_163513";
    id.variant = 2;
    Trace t(id, "volatility");
    t.metadata.createdAt = "2026-01-05T14:03:11.120000Z";
    t.appendRegime(0, "2024-03-26T13:30:00", "low", 0.75);
    t.appendRegime(7, "2024-03-26T13:37:00", "high");
    return t;
}

Trace numbered(const std::string& name, int n, const std::string& type = {})
{
    TraceIdentity id;
    id.name = name;
    id.parameters = Parameters{{"period", std::int64_t{n}}};
    id.symbol = "SPY";
    id.timeframe = "1m";
    Trace t(id, type);
    t.metadata.totalBars = 100;
    t.metadata.createdAt = "2026-01-05T14:03:11.120000Z";
    t.appendSignal(0, "2024-03-26T13:30:00+00:00", 1);
    t.appendSignal(5 + n % 7, "2024-03-26T13:40:00+00:00", -1, 500.25);
    return t;
}

std::string readText(const fs::path& p)
{
    return sigscope::test::readFile(p);
}

fs::path tempRoot(QTemporaryDir& dir)
{
    return fs::path(dir.path().toStdString()) / "store";
}

} // namespace

class TestStorageWrite : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void goldenSignalFile()
    {
        const std::string expected = R"({
  "metadata": {
    "strategy_name": "ma_crossover_5_20",
    "strategy_type": "ma_crossover",
    "parameters": {"fast_period":5,"slow_period":20},
    "symbol": "SPY",
    "timeframe": "1m",
    "run": null,
    "total_bars": 1000,
    "signal_changes": 3,
    "compression_ratio": 0.003,
    "created_at": "2026-01-05T14:03:11.120000Z",
    "file_hash": "6e3cac966351ea9c",
    "format_version": 1,
    "workflow_id": "grid_v1",
    "source": {"path":"a/b.json","run_id":"20250611_171158"}
  },
  "changes": [
    {"idx": 20, "ts": "2024-03-26T13:50:00+00:00", "sym": "SPY", "val": 1, "strat": "SPY_ma_crossover_5_20", "px": 522.0},
    {"idx": 31, "ts": "2024-03-26T14:01:00+00:00", "sym": "SPY", "val": -1, "strat": "SPY_ma_crossover_5_20", "px": 517.9},
    {"idx": 41, "ts": "2024-03-26T14:11:00+00:00", "sym": "SPY", "val": 0, "strat": "SPY_ma_crossover_5_20", "px": 0.0}
  ]
}
)";
        QCOMPARE(serializeTrace(specSignal()), expected);
    }

    void goldenClassifierFile()
    {
        const std::string expected = R"({
  "metadata": {
    "classifier_name": "volatility_regime",
    "classifier_type": "volatility",
    "parameters": {"window":20.0},
    "symbol": "SPY",
    "timeframe": null,
    "run": "20250615_163513",
    "variant": 2,
    "total_bars": 8,
    "regime_changes": 2,
    "compression_ratio": 0.25,
    "created_at": "2026-01-05T14:03:11.120000Z",
    "file_hash": "312d0a25901c5b92",
    "format_version": 1
  },
  "changes": [
    {"idx": 0, "ts": "2024-03-26T13:30:00", "regime": "low", "confidence": 0.75, "previous_regime": null, "sym": "SPY"},
    {"idx": 7, "ts": "2024-03-26T13:37:00", "regime": "high", "confidence": 1.0, "previous_regime": "low", "sym": "SPY"}
  ]
}
)";
        // file_hash from `printf '%s' CANONICAL | xxhsum -H3`.
        QCOMPARE(serializeTrace(specClassifier()), expected);
    }

    void roundTrip_data()
    {
        QTest::addColumn<int>("which");
        QTest::newRow("signal") << 0;
        QTest::newRow("classifier") << 1;
        QTest::newRow("empty signal") << 2;
        QTest::newRow("hostile strings") << 3;
        QTest::newRow("classifier with prices") << 4;
    }
    void roundTrip()
    {
        QFETCH(int, which);
        Trace t;
        switch (which) {
        case 0: t = specSignal(); break;
        case 1: t = specClassifier(); break;
        case 2: t = Trace(TraceIdentity{Kind::Signal, "empty", {}, std::nullopt, std::nullopt, std::nullopt, {}}, "other"); break;
        case 4: {
            // A legacy classifier dump with prices: the format has no px for classifiers, so
            // it is written only where it is not 0 and must come back.
            t = specClassifier();
            t.appendRegime(9, "2024-03-26T13:39:00", "low", 0.5, 499.27);
            const std::string text = serializeTrace(t);
            QVERIFY(text.find("\"previous_regime\": \"high\", \"sym\": \"SPY\", \"px\": 499.27}") != std::string::npos);
            QCOMPARE(text.find("\"px\": 0.0"), std::string::npos);
            break;
        }
        default: {
            TraceIdentity id;
            id.name = "we\"ird\\na\nme é";
            id.parameters = Parameters{{"k\"ey", std::string("v\tal")}, {"nested", RawJson{R"({"a":[1,2.5,null]})"}}};
            id.symbol = "S/P";
            t = Trace(id, "other");
            t.metadata.extras = {{"z\"x", "[1,{\"b\":true}]"}};
            t.appendSignal(3, "not a time", 2);
            t.appendSignal(4, "", -3, 1e-05);
        }
        }
        const std::string text = serializeTrace(t);
        const Trace back = parseTrace(text, "x.json");
        QCOMPARE(back.identity, t.identity);
        QCOMPARE(back.type, t.type);
        QCOMPARE(back.metadata.extras, t.metadata.extras);
        QCOMPARE(back.metadata.createdAt, t.metadata.createdAt);
        QCOMPARE(back.metadata.storedHash, t.identity.hashHex());
        QCOMPARE(back.metadata.formatVersion, 1);
        QVERIFY(back.sameChanges(t));
        QCOMPARE(serializeTrace(back), text);

        // In pieces (as the writer streams a file): the same text, whatever the piece size.
        for (const std::size_t chunk : {std::size_t{1}, std::size_t{64}, std::size_t{1} << 20}) {
            std::string pieces;
            std::size_t calls = 0;
            serializeTrace(t, [&](std::string_view piece) { pieces += piece, ++calls; }, chunk);
            QCOMPARE(pieces, text);
            if (chunk == 1)
                QCOMPARE(calls, t.size() + 1); // after every change, then the end
        }
        // Read back streaming (as the migration checks large files): the same trace.
        QTemporaryDir tmp;
        const fs::path file = fs::path(tmp.path().toStdString()) / "signals/other/x.json";
        fs::create_directories(file.parent_path());
        writeFileAtomically(file, text);
        const Trace streamed = loadTraceStreaming(file);
        QCOMPARE(streamed.identity, t.identity);
        QCOMPARE(streamed.metadata, loadTrace(file).metadata);
        QVERIFY(streamed.sameChanges(t));
    }

    // Broken files read streaming fail with the very message of the whole-text reader.
    void streamingReadErrorsAsLoadTrace_data()
    {
        QTest::addColumn<std::string>("text");
        QTest::addColumn<std::string>("message");
        QTest::newRow("empty") << std::string() << std::string("the file is empty");
        QTest::newRow("truncated") << std::string("{\"metadata\": {\"strategy_name\": \"a\"}, \"changes\": [{\"idx\": 1")
                                   << std::string("line 1, column 59: syntax error while parsing object - unexpected end of input");
        QTest::newRow("val is a string")
            << std::string(R"({"metadata": {"strategy_name": "a"}, "changes": [{"idx": 1, "ts": null, "val": "x"}]})")
            << std::string("change 1: val is a string");
    }
    void streamingReadErrorsAsLoadTrace()
    {
        QFETCH(std::string, text);
        QFETCH(std::string, message);
        QTemporaryDir tmp;
        const fs::path file = fs::path(tmp.path().toStdString()) / "x.json";
        writeFileAtomically(file, text);
        std::string whole, streamed;
        try {
            (void)loadTrace(file);
        } catch (const StorageError& e) {
            whole = e.what();
        }
        try {
            (void)loadTraceStreaming(file);
        } catch (const StorageError& e) {
            streamed = e.what();
        }
        QVERIFY2(whole.find(message) != std::string::npos, whole.c_str());
        QCOMPARE(streamed, whole);
    }

    // The streaming reader reserves for signal_changes, capped by the file size: a wrong count
    // changes nothing and cannot exhaust memory.
    void streamingReserveIsCapped()
    {
        QTemporaryDir tmp;
        const fs::path file = fs::path(tmp.path().toStdString()) / "signals/ma_crossover/x.json";
        fs::create_directories(file.parent_path());
        const Trace t = specSignal();
        std::string text = serializeTrace(t);
        const std::string count = "\"signal_changes\": " + std::to_string(t.size());
        QVERIFY(text.find(count) != std::string::npos);
        text.replace(text.find(count), count.size(), "\"signal_changes\": 999999999999999");
        writeFileAtomically(file, text);
        const Trace back = loadTraceStreaming(file);
        QVERIFY(back.sameChanges(t));
        QVERIFY2(back.memoryBytes() <= 28 * (text.size() / 40 + 1), std::to_string(back.memoryBytes()).c_str());
    }

    // A SIGKILLed writer leaves ".<name>.tmp.<pid>.<n>" files; only those of dead processes go.
    void staleTemporariesRemoved()
    {
        QTemporaryDir tmp;
        const fs::path root = tempRoot(tmp);
        StorageWriter writer(root);
        const WriteResult r = writer.write(specSignal());
        const pid_t dead = ::fork();
        QVERIFY(dead >= 0);
        if (dead == 0)
            ::_exit(0);
        int status = 0;
        QCOMPARE(::waitpid(dead, &status, 0), dead);
        const fs::path type = root / "signals/ma_crossover";
        const std::string d = std::to_string(dead);
        const std::vector<fs::path> stale = {root / (".storage.json.tmp." + d + ".0"), type / (".a_1.json.tmp." + d + ".1"),
                                             type / (".index.json.tmp." + d + ".2")};
        const std::vector<fs::path> kept = {type / (".b_2.json.tmp." + std::to_string(::getpid()) + ".3"), // this process
                                            type / ".c_3.json.tmp.1.4", // pid 1 runs
                                            type / ".hidden", type / ("d.json.tmp." + d + ".5"),
                                            type / (".e.json.tmp." + d + ".x")};
        for (const auto& p : stale)
            writeFileAtomically(p, "partial");
        for (const auto& p : kept)
            writeFileAtomically(p, "keep");
        std::vector<fs::path> removed = removeStaleTemporaries(root);
        std::sort(removed.begin(), removed.end());
        std::vector<fs::path> expected = stale;
        std::sort(expected.begin(), expected.end());
        QCOMPARE(removed, expected);
        for (const auto& p : stale)
            QVERIFY(!fs::exists(p));
        for (const auto& p : kept)
            QVERIFY(fs::exists(p));
        QVERIFY(fs::exists(root / r.filePath));
        QVERIFY(fs::exists(type / "index.json"));
        QVERIFY(removeStaleTemporaries(root).empty());
    }

    void writeCreatesManifestIndexAndFile()
    {
        QTemporaryDir tmp;
        const fs::path root = tempRoot(tmp);
        StorageWriter writer(root, WriteOptions{"test 1.0"});
        const std::string manifest = readText(root / "storage.json");
        QVERIFY(manifest.starts_with("{\n  \"format\": \"hierarchical-signal-storage\",\n  \"format_version\": 1,\n"
                                     "  \"hash\": \"xxh3_64\",\n  \"created_at\": \""));
        QVERIFY(manifest.ends_with("\",\n  \"created_by\": \"test 1.0\"\n}\n"));

        const WriteResult r = writer.write(specSignal());
        QCOMPARE(r.filePath, std::string("signals/ma_crossover/ma_crossover_5_20_6e3cac96.json"));
        QCOMPARE(r.fileHash, std::string("6e3cac966351ea9c"));
        QVERIFY(!r.longHash);
        QVERIFY(!r.unchanged);
        QCOMPARE(readText(root / r.filePath), serializeTrace(specSignal()));

        const std::string index = readText(root / "signals/ma_crossover/index.json");
        const auto updated = index.find("\"updated_at\": \"");
        QVERIFY(updated != std::string::npos);
        const std::string indexNoTime =
            index.substr(0, index.rfind('\n', updated)) + index.substr(index.find('\n', updated));
        QCOMPARE(indexNoTime, std::string(R"({
  "type": "ma_crossover",
  "format_version": 1,
  "files": [
    {"type": "ma_crossover", "name": "ma_crossover_5_20", "parameters": {"fast_period":5,"slow_period":20}, "symbol": "SPY", "timeframe": "1m", "run": null, "total_items": 3, "total_bars": 1000, "compression_ratio": 0.003, "first_idx": 20, "last_idx": 41, "first_ts": "2024-03-26T13:50:00+00:00", "last_ts": "2024-03-26T14:11:00+00:00", "created_at": "2026-01-05T14:03:11.120000Z", "file_hash": "6e3cac966351ea9c", "changes_hash": "24c2d5d3a56fc187", "file_path": "signals/ma_crossover/ma_crossover_5_20_6e3cac96.json"}
  ]
}
)"));
        const Storage s = Storage::open(root);
        QCOMPARE(s.formatVersion(), 1);
        const TypeIndex ti = s.readIndex(Kind::Signal, "ma_crossover");
        QCOMPARE(ti.entries.size(), std::size_t(1));
        QCOMPARE(ti.entries[0].identity(), specSignal().identity);
    }

    void createdAtFilledWhenEmpty()
    {
        QTemporaryDir tmp;
        StorageWriter writer(tempRoot(tmp));
        Trace t = numbered("rsi_x", 1);
        const WriteResult r = writer.write(t);
        const Trace back = loadTrace(writer.root() / r.filePath);
        QCOMPARE(back.metadata.createdAt.size(), std::string("2026-01-05T14:03:11.120000Z").size());
        QVERIFY(back.metadata.createdAt.ends_with('Z'));
    }

    void collisionUsesLongHash()
    {
        QTemporaryDir tmp;
        const fs::path root = tempRoot(tmp);
        StorageWriter writer(root);
        const Trace mine = specSignal();
        // A file of another identity at my 8-digit name.
        Trace other = numbered("ma_crossover_5_20", 9, "ma_crossover");
        const std::string shortRel = naming::relativePath(mine.identity, "ma_crossover");
        fs::create_directories((root / shortRel).parent_path());
        const std::string otherText = serializeTrace(other);
        writeFileAtomically(root / shortRel, otherText);

        const WriteResult r = writer.write(mine);
        QVERIFY(r.longHash);
        QCOMPARE(r.filePath, std::string("signals/ma_crossover/ma_crossover_5_20_6e3cac966351ea9c.json"));
        QCOMPARE(readText(root / shortRel), otherText); // never overwritten
        QCOMPARE(loadTrace(root / r.filePath).identity, mine.identity);
        // Writing again finds its long-named file and leaves it alone.
        const WriteResult again = writer.write(mine);
        QVERIFY(again.longHash);
        QVERIFY(again.unchanged);
        QCOMPARE(again.filePath, r.filePath);
        // A third identity on the long name too: refused.
        writeFileAtomically(root / r.filePath, otherText);
        QVERIFY_THROWS_EXCEPTION(StorageError, writer.write(mine));
        QCOMPARE(readText(root / r.filePath), otherText);
    }

    void unchangedKeepsFileAndIndex()
    {
        QTemporaryDir tmp;
        const fs::path root = tempRoot(tmp);
        StorageWriter writer(root);
        Trace t = specSignal();
        t.metadata.createdAt.clear();
        const WriteResult first = writer.write(t);
        QVERIFY(!first.unchanged);
        const fs::path file = root / first.filePath;
        const fs::path index = root / "signals/ma_crossover/index.json";
        struct stat before {}, indexBefore {};
        ::stat(file.c_str(), &before);
        ::stat(index.c_str(), &indexBefore);
        const std::string text = readText(file), indexText = readText(index);
        ::usleep(20000);

        const WriteResult second = writer.write(t);
        QVERIFY(second.unchanged);
        QCOMPARE(second.filePath, first.filePath);
        struct stat after {}, indexAfter {};
        ::stat(file.c_str(), &after);
        ::stat(index.c_str(), &indexAfter);
        QCOMPARE(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
        QCOMPARE(after.st_ino, before.st_ino);
        QCOMPARE(indexAfter.st_ino, indexBefore.st_ino);
        QCOMPARE(readText(file), text);
        QCOMPARE(readText(index), indexText);

        // A changed value or changed metadata is written.
        Trace changed = t;
        changed.metadata.extras.push_back({"note", "\"x\""});
        QVERIFY(!writer.write(changed).unchanged);
        Trace moreBars = changed;
        moreBars.metadata.totalBars = 2000;
        QVERIFY(!writer.write(moreBars).unchanged);
        QCOMPARE(loadTrace(file).metadata.totalBars, std::int64_t(2000));
    }

    void indexSortedOneEntryPerFile()
    {
        QTemporaryDir tmp;
        const fs::path root = tempRoot(tmp);
        StorageWriter writer(root);
        for (int n : {5, 3, 9, 3, 1, 5})
            writer.write(numbered("rsi_fast", n));
        std::vector<Trace> batch;
        for (int n : {7, 3, 2})
            batch.push_back(numbered("rsi_fast", n));
        const auto results = writer.writeBatch(batch);
        QCOMPARE(results.size(), std::size_t(3));
        QVERIFY(results[1].unchanged);
        const TypeIndex ti = Storage::open(root).readIndex(Kind::Signal, "rsi");
        QCOMPARE(ti.entries.size(), std::size_t(6));
        for (std::size_t i = 1; i < ti.entries.size(); ++i)
            QVERIFY(ti.entries[i - 1].filePath < ti.entries[i].filePath);
        const std::string index = readText(root / "signals/rsi/index.json");
        std::size_t count = 0;
        for (auto p = index.find("\"file_path\""); p != std::string::npos; p = index.find("\"file_path\"", p + 1))
            ++count;
        QCOMPARE(count, std::size_t(6));
    }

    void batchEqualsOneByOne()
    {
        QTemporaryDir tmp;
        const fs::path a = fs::path(tmp.path().toStdString()) / "a";
        const fs::path b = fs::path(tmp.path().toStdString()) / "b";
        std::vector<Trace> traces = {specSignal(), specClassifier(), numbered("momentum_x", 1), numbered("momentum_x", 2),
                                     numbered("rsi_y", 3)};
        StorageWriter wa(a), wb(b);
        std::vector<WriteResult> one;
        for (const auto& t : traces)
            one.push_back(wa.write(t));
        int calls = 0;
        const auto batch = wb.writeBatch(traces, [&](const Progress&) { return ++calls > 0; });
        QVERIFY(calls >= 5);
        QCOMPARE(batch.size(), one.size());
        for (std::size_t i = 0; i < one.size(); ++i) {
            QCOMPARE(batch[i].filePath, one[i].filePath);
            QCOMPARE(readText(b / batch[i].filePath), readText(a / one[i].filePath));
        }
        const Storage sa = Storage::open(a), sb = Storage::open(b);
        QCOMPARE(sb.types(Kind::Signal), sa.types(Kind::Signal));
        for (const auto& type : sa.types(Kind::Signal))
            QCOMPARE(sb.readIndex(Kind::Signal, type).entries, sa.readIndex(Kind::Signal, type).entries);
    }

    void hostileNamesStayInside_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("type");
        QTest::newRow("dotdot") << QStringLiteral("../../x") << QString();
        QTest::newRow("slashes") << QStringLiteral("a/b\\c") << QStringLiteral("../../evil");
        QTest::newRow("long") << QString(400, QLatin1Char('m')) << QString();
        QTest::newRow("control") << QStringLiteral("a\x01\x02\nb") << QStringLiteral("/abs");
        QTest::newRow("hidden") << QStringLiteral(".hidden") << QStringLiteral("..");
        QTest::newRow("unicode") << QStringLiteral("mömentum_ü") << QString();
    }
    void hostileNamesStayInside()
    {
        QFETCH(QString, name);
        QFETCH(QString, type);
        QTemporaryDir tmp;
        const fs::path root = tempRoot(tmp);
        StorageWriter writer(root);
        TraceIdentity id;
        id.name = name.toStdString();
        Trace t(id, type.toStdString());
        t.appendSignal(0, "", 1);
        const WriteResult r = writer.write(t);
        const fs::path abs = fs::weakly_canonical(root / r.filePath);
        const std::string rootText = fs::weakly_canonical(root).string() + "/signals/";
        QVERIFY2(abs.string().starts_with(rootText), abs.c_str());
        const fs::path rel(r.filePath);
        QCOMPARE(std::distance(rel.begin(), rel.end()), std::ptrdiff_t(3));
        QCOMPARE(loadTrace(abs).identity, id);
        // Nothing outside the root.
        std::size_t outside = 0;
        for (const auto& e : fs::directory_iterator(tmp.path().toStdString()))
            outside += e.path().filename() != "store";
        QCOMPARE(outside, std::size_t(0));
    }

    void readOnlyFolderFailsCleanly()
    {
        if (::geteuid() == 0)
            QSKIP("running as root: permissions do not stop writes (see failedWriteKeepsPrevious)");
        QTemporaryDir tmp;
        const fs::path root = tempRoot(tmp);
        StorageWriter writer(root);
        Trace t = specSignal();
        const WriteResult r = writer.write(t);
        const std::string before = readText(root / r.filePath);
        const fs::path dir = root / "signals/ma_crossover";
        fs::permissions(dir, fs::perms::owner_read | fs::perms::owner_exec);
        t.appendSignal(50, "2024-03-26T14:20:00+00:00", 1);
        QVERIFY_THROWS_EXCEPTION(StorageError, writer.write(t));
        fs::permissions(dir, fs::perms::owner_all);
        QCOMPARE(readText(root / r.filePath), before);
    }

    // Limits the size of files this process may write, so a write fails even as root.
    void failedWriteKeepsPrevious_data()
    {
        QTest::addColumn<QString>("failingRow");
        QTest::newRow("data file write fails") << "data";
        QTest::newRow("journal append fails, data file restored") << "journal";
        QTest::newRow("index write fails, data file restored") << "index";
    }
    void failedWriteKeepsPrevious()
    {
        QFETCH(QString, failingRow);
        const std::string failing = failingRow.toStdString();
        QTemporaryDir tmp;
        const fs::path root = tempRoot(tmp);
        StorageWriter writer(root);
        std::vector<Trace> fillers;
        for (int n = 0; n < 40; ++n)
            fillers.push_back(numbered("ma_filler", n, "ma_crossover"));
        if (failing == "journal") // one by one: the entries go to the journal
            for (const auto& f : fillers)
                writer.write(f);
        else if (failing == "index") // in a batch: into index.json
            writer.writeBatch(fillers);
        Trace t = specSignal();
        const WriteResult r = writer.write(t);
        const std::string dataBefore = readText(root / r.filePath);
        const fs::path indexPath = root / "signals/ma_crossover/index.json";
        const fs::path journalPath = root / "signals/ma_crossover/index.journal";
        const std::string indexBefore = readText(indexPath);
        const std::string journalBefore = fs::exists(journalPath) ? readText(journalPath) : std::string();
        if (failing == "journal")
            QVERIFY(journalBefore.size() > 8000);
        if (failing == "index")
            QVERIFY(indexBefore.size() > 8000);

        // New version: bigger than the limit when the data file must fail, small otherwise.
        for (int i = 0; i < (failing == "data" ? 200 : 2); ++i)
            t.appendSignal(100 + i, "2024-03-26T15:00:00+00:00", i % 2 ? 1 : -1);
        const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit old {};
        ::getrlimit(RLIMIT_FSIZE, &old);
        rlimit limited = old;
        limited.rlim_cur = 4000;
        ::setrlimit(RLIMIT_FSIZE, &limited);
        bool threw = false;
        try {
            if (failing == "index")
                writer.writeBatch(std::span<const Trace>(&t, 1));
            else
                writer.write(t);
        } catch (const StorageError& e) {
            threw = true;
            const std::string named = failing == "data"      ? r.filePath
                                      : failing == "journal" ? std::string("index.journal")
                                                             : std::string("index.json");
            QVERIFY2(std::string(e.what()).find(named) != std::string::npos, e.what());
        }
        ::setrlimit(RLIMIT_FSIZE, &old);
        std::signal(SIGXFSZ, oldHandler);
        QVERIFY(threw);
        QCOMPARE(readText(root / r.filePath), dataBefore);
        QCOMPARE(readText(indexPath), indexBefore);
        QCOMPARE(fs::exists(journalPath) ? readText(journalPath) : std::string(), journalBefore);
        // No temporary files left behind.
        for (const auto& e : fs::directory_iterator(root / "signals/ma_crossover"))
            QVERIFY2(e.path().filename().string().find(".tmp.") == std::string::npos, e.path().c_str());
    }

    void fourProcessesWriteAtOnce()
    {
        QTemporaryDir tmp;
        const fs::path root = tempRoot(tmp);
        constexpr int kProcesses = 4, kPerProcess = 250;
        std::vector<pid_t> children;
        for (int p = 0; p < kProcesses; ++p) {
            const pid_t pid = ::fork();
            QVERIFY(pid >= 0);
            if (pid == 0) {
                int code = 0;
                try {
                    StorageWriter writer(root);
                    for (int i = 0; i < kPerProcess; ++i)
                        writer.write(numbered("momentum_p" + std::to_string(p), i));
                } catch (...) {
                    code = 1;
                }
                ::_exit(code);
            }
            children.push_back(pid);
        }
        for (const pid_t pid : children) {
            int status = 0;
            QCOMPARE(::waitpid(pid, &status, 0), pid);
            QVERIFY(WIFEXITED(status));
            QCOMPARE(WEXITSTATUS(status), 0);
        }
        const Storage s = Storage::open(root);
        QCOMPARE(s.types(Kind::Signal), std::vector<std::string>{"momentum"});
        std::vector<Finding> findings;
        const TypeIndex ti = s.readIndex(Kind::Signal, "momentum", &findings);
        QVERIFY(findings.empty());
        QCOMPARE(ti.entries.size(), std::size_t(kProcesses * kPerProcess));
        for (const auto& e : ti.entries) {
            const Trace t = loadTrace(s.absolutePath(e));
            QCOMPARE(t.identity, e.identity());
            QCOMPARE(t.size(), std::size_t(2));
        }
    }

    void writeFileAtomicallyReplaces()
    {
        QTemporaryDir tmp;
        const fs::path p = fs::path(tmp.path().toStdString()) / "f.txt";
        writeFileAtomically(p, "one");
        writeFileAtomically(p, "two");
        QCOMPARE(readText(p), std::string("two"));
        QVERIFY_THROWS_EXCEPTION(StorageError, writeFileAtomically(fs::path(tmp.path().toStdString()) / "no/such/f", "x"));
        std::size_t files = 0;
        for ([[maybe_unused]] const auto& e : fs::directory_iterator(tmp.path().toStdString()))
            ++files;
        QCOMPARE(files, std::size_t(1));
    }
};

QTEST_GUILESS_MAIN(TestStorageWrite)
#include "tst_storage_write.moc"
