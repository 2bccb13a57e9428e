// Verifying a storage: one damaged generated storage per finding code, and the real upstream
// folder, whose quirks are informational only.
#include "core/storage/naming.h"
#include "core/storage/storage.h"
#include "core/storage/traceio.h"
#include "core/storage/verify.h"
#include "core/storage/writer.h"
#include "tests/support/testsupport.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <set>

using namespace sigscope::core;
namespace fs = std::filesystem;

namespace {

Trace signal(const std::string& name, int period)
{
    TraceIdentity id;
    id.name = name;
    id.parameters = Parameters{{"period", std::int64_t{period}}};
    id.symbol = "SPY";
    id.timeframe = "1m";
    Trace t(id);
    t.metadata.totalBars = 100;
    t.metadata.createdAt = "2026-01-05T14:03:11.120000Z";
    t.appendSignal(2, "2024-03-26T13:32:00Z", 1);
    t.appendSignal(10, "2024-03-26T13:40:00Z", -1);
    return t;
}

Trace regimes()
{
    TraceIdentity id;
    id.kind = Kind::Classifier;
    id.name = "volatility_regime";
    Trace t(id);
    t.metadata.createdAt = "2026-01-05T14:03:11.120000Z";
    t.appendRegime(0, "2024-03-26T13:30:00Z", "low", 0.9);
    t.appendRegime(5, "2024-03-26T13:35:00Z", "high", 0.8);
    return t;
}

void writeText(const fs::path& p, const std::string& text)
{
    std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

void replaceIn(const fs::path& p, const std::string& from, const std::string& to)
{
    std::string text = sigscope::test::readFile(p);
    const auto pos = text.find(from);
    if (pos == std::string::npos)
        throw std::runtime_error("text not found in " + p.string() + ": " + from);
    text.replace(pos, from.size(), to);
    writeText(p, text);
}

const Finding* find(const VerifyResult& r, const std::string& code)
{
    for (const auto& f : r.findings)
        if (f.code == code)
            return &f;
    return nullptr;
}

} // namespace

class TestVerify : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanStorage()
    {
        QTemporaryDir tmp;
        const fs::path root(tmp.path().toStdString());
        StorageWriter w(root);
        w.write(signal("rsi_a", 1));
        w.write(regimes());
        const VerifyResult r = verifyStorage(root);
        QVERIFY(r.findings.empty());
        QVERIFY(r.clean());
        QCOMPARE(r.filesChecked, std::size_t(2));
        QCOMPARE(r.entriesChecked, std::size_t(2));
    }

    void damage_data()
    {
        QTest::addColumn<int>("damage");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("severity");
        QTest::addColumn<int>("line");
        const int error = int(Finding::Severity::Error), warning = int(Finding::Severity::Warning);
        const QString rsi = QStringLiteral("signals/rsi/");
        QTest::newRow("missing-file") << 0 << QStringLiteral("missing-file") << QStringLiteral("A") << error << 0;
        QTest::newRow("orphan-file") << 1 << QStringLiteral("orphan-file") << QStringLiteral("O") << warning << 0;
        QTest::newRow("hash-mismatch") << 2 << QStringLiteral("hash-mismatch") << QStringLiteral("A") << error << 0;
        QTest::newRow("non-monotonic") << 3 << QStringLiteral("non-monotonic") << QStringLiteral("B") << error << 0;
        QTest::newRow("repeated-value") << 4 << QStringLiteral("repeated-value") << QStringLiteral("B") << warning << 0;
        QTest::newRow("illegal-value") << 5 << QStringLiteral("illegal-value") << QStringLiteral("C") << error << 0;
        QTest::newRow("parse-error") << 6 << QStringLiteral("parse-error") << QStringLiteral("A") << error << 2;
        QTest::newRow("index-error") << 7 << QStringLiteral("index-error") << rsi + QStringLiteral("index.json")
                                     << error << 1;
    }
    void damage()
    {
        QFETCH(int, damage);
        QFETCH(QString, code);
        QFETCH(QString, path);
        QFETCH(int, severity);
        QFETCH(int, line);
        QTemporaryDir tmp;
        const fs::path root(tmp.path().toStdString());
        StorageWriter w(root);
        const Trace a = signal("rsi_a", 1);
        const std::string relA = w.write(a).filePath;
        Trace b = signal("rsi_b", 2);
        if (damage == 3) { // bars going backwards
            b = Trace(b.identity);
            b.appendSignal(10, "", 1);
            b.appendSignal(4, "", -1);
        } else if (damage == 4) {
            b.appendSignal(20, "", -1);
        }
        const std::string relB = w.write(b).filePath;
        Trace c = regimes();
        if (damage == 5)
            c.appendRegime(9, "", "low", 1.5);
        const std::string relC = w.write(c).filePath;
        const std::string relO = naming::relativePath(signal("rsi_orphan", 3).identity, "rsi");
        QVERIFY(verifyStorage(root).clean() || damage >= 3);

        switch (damage) {
        case 0: fs::remove(root / relA); break;
        case 1: writeText(root / relO, serializeTrace(signal("rsi_orphan", 3))); break;
        case 2: replaceIn(root / relA, "\"file_hash\": \"" + a.identity.hashHex(), "\"file_hash\": \"0000000000000000"); break;
        case 6: writeText(root / relA, "{\n  \"metadata\": {\"strategy_name\": "); break;
        case 7: writeText(root / "signals/rsi/index.json", "{\"type\": \"rsi\", \"files\": [{]}"); break;
        default: break;
        }
        const std::string expectedPath = path == QStringLiteral("A") ? relA
            : path == QStringLiteral("B")                            ? relB
            : path == QStringLiteral("C")                            ? relC
            : path == QStringLiteral("O")                            ? relO
                                                                     : path.toStdString();

        const VerifyResult r = verifyStorage(root);
        QVERIFY(!r.clean());
        const Finding* f = find(r, code.toStdString());
        QVERIFY2(f, qPrintable(code));
        QCOMPARE(f->path, expectedPath);
        QCOMPARE(int(f->severity), severity);
        QCOMPARE(f->line, std::int64_t(line));
        QVERIFY(!f->message.empty());
        // Only the damage is reported (a broken index also leaves its files unlisted).
        for (const auto& other : r.findings)
            QVERIFY2(other.code == f->code || (damage == 7 && other.code == "orphan-file"),
                     (other.code + " " + other.path + ": " + other.message).c_str());
    }

    void messagesNameTheProblem()
    {
        QTemporaryDir tmp;
        const fs::path root(tmp.path().toStdString());
        StorageWriter w(root);
        Trace b = signal("rsi_b", 2);
        b.appendSignal(20, "", -1);
        w.write(b);
        const VerifyResult r = verifyStorage(root);
        QCOMPARE(r.findings.size(), std::size_t(1));
        QCOMPARE(r.findings[0].message, std::string("change 3 repeats the value -1"));
    }

    void upstreamFixtureOnlyInfo()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        const VerifyResult r = verifyStorage(fixtures / "upstream/analytics_storage");
        QVERIFY(r.clean());
        QCOMPARE(r.filesChecked, std::size_t(3));
        QCOMPARE(r.entriesChecked, std::size_t(3));
        std::set<std::string> codes;
        for (const auto& f : r.findings) {
            QCOMPARE(f.severity, Finding::Severity::Info);
            QVERIFY2(f.code.starts_with("upstream-"), f.code.c_str());
            codes.insert(f.code);
        }
        QCOMPARE(codes, (std::set<std::string>{"upstream-md5-hash", "upstream-total-bars", "upstream-writer-relative-path"}));
    }

    // Verification on open: the snapshot's indexes, only changed files read, the rest from the cache.
    void verifyChangedReadsOnlyChangedFiles()
    {
        QTemporaryDir tmp, cacheDir;
        const fs::path root(tmp.path().toStdString());
        const fs::path cache = fs::path(cacheDir.path().toStdString()) / "verify" / "storage.json";
        StorageWriter w(root);
        const std::string relA = w.write(signal("rsi_a", 1)).filePath;
        Trace b = signal("rsi_b", 2);
        const std::string relB = w.write(b).filePath;
        const std::string relC = w.write(regimes()).filePath;
        const auto indexes = [&root]() { return Storage::open(root).readAllIndexes(); };
        const auto summary = [](const VerifyResult& r) {
            std::vector<std::string> lines;
            for (const auto& f : r.findings)
                lines.push_back(std::string(severityName(f.severity)) + " " + f.code + " " + f.path + ": " + f.message);
            return lines;
        };

        VerifyResult r = verifyChanged(root, indexes(), cache);
        QCOMPARE(summary(r), std::vector<std::string>{});
        QCOMPARE(r.filesChecked, std::size_t(3));
        QCOMPARE(r.filesRead, std::size_t(3));
        QCOMPARE(r.entriesChecked, std::size_t(3));
        QVERIFY(fs::is_regular_file(cache));
        QVERIFY(r.cacheError.empty());

        // Unchanged files: none read again.
        r = verifyChanged(root, indexes(), cache);
        QCOMPARE(summary(r), std::vector<std::string>{});
        QCOMPARE(r.filesChecked, std::size_t(3));
        QCOMPARE(r.filesRead, std::size_t(0));

        // A changed file (one change more than its index entry says): only it is read.
        b.appendSignal(20, "", -1);
        writeText(root / relB, serializeTrace(b));
        const std::vector<std::string> changed{
            "warning repeated-value " + relB + ": change 3 repeats the value -1",
            "warning index-error " + relB + ": index says 2 changes, the file holds 3"};
        r = verifyChanged(root, indexes(), cache);
        QCOMPARE(summary(r), changed);
        QCOMPARE(r.filesRead, std::size_t(1));
        // Its findings are remembered: the next open reads nothing and reports the same.
        r = verifyChanged(root, indexes(), cache);
        QCOMPARE(summary(r), changed);
        QCOMPARE(r.filesRead, std::size_t(0));

        // A deleted file: missing, the others from the cache.
        fs::remove(root / relC);
        r = verifyChanged(root, indexes(), cache);
        std::vector<std::string> deleted = changed; // signals/ before classifiers/
        deleted.push_back("error missing-file " + relC
                          + ": listed in classifiers/regime/index.json but the file does not exist");
        QCOMPARE(summary(r), deleted);
        QCOMPARE(r.filesChecked, std::size_t(2));
        QCOMPARE(r.filesRead, std::size_t(0));

        // Without a cache every file is read; verifyStorage finds the same.
        r = verifyChanged(root, indexes(), {});
        QCOMPARE(summary(r), deleted);
        QCOMPARE(r.filesRead, std::size_t(2));
        QCOMPARE(summary(verifyStorage(root)), deleted);
        QCOMPARE(relA.empty(), false);
    }

    // A damaged or foreign cache is no damage: every file is read again and the cache rewritten.
    void verifyChangedDamagedCache()
    {
        QTemporaryDir tmp, cacheDir;
        const fs::path root(tmp.path().toStdString());
        const fs::path cache = fs::path(cacheDir.path().toStdString()) / "cache.json";
        StorageWriter w(root);
        w.write(signal("rsi_a", 1));
        const auto indexes = Storage::open(root).readAllIndexes();
        QCOMPARE(verifyChanged(root, indexes, cache).filesRead, std::size_t(1));
        writeText(cache, "{\"sigscope_verify_cache\": 1, \"files\": [");
        QCOMPARE(verifyChanged(root, indexes, cache).filesRead, std::size_t(1));
        QCOMPARE(verifyChanged(root, indexes, cache).filesRead, std::size_t(0));
        // The cache of another storage folder is not used for this one.
        QTemporaryDir other;
        const fs::path otherRoot(other.path().toStdString());
        StorageWriter(otherRoot).write(signal("rsi_a", 1));
        QCOMPARE(verifyChanged(otherRoot, Storage::open(otherRoot).readAllIndexes(), cache).filesRead, std::size_t(1));
    }

    void cancel()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        const VerifyResult r = verifyStorage(fixtures / "upstream/analytics_storage", [](const Progress&) { return false; });
        QVERIFY(r.cancelled);
        QCOMPARE(r.filesChecked, std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestVerify)
#include "tst_verify.moc"
