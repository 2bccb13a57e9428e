// The index journal (docs/format.md, "The index journal"): a write of one trace appends its
// entry to <type>/index.journal instead of rewriting index.json; readers apply it; a large
// journal, a batch write and a rebuild fold it into index.json; a torn or damaged line is
// handled without losing an entry.
#include "core/storage/indexio.h"
#include "core/storage/indexjournal.h"
#include "core/storage/storage.h"
#include "core/storage/verify.h"
#include "core/storage/writer.h"
#include "tests/support/testsupport.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace sigscope::core;
namespace fs = std::filesystem;

namespace {

Trace numbered(int n, int changes = 2)
{
    TraceIdentity id;
    id.name = "journal_sweep";
    id.parameters = Parameters{{"period", std::int64_t{n}}};
    id.symbol = "SPY";
    id.timeframe = "1m";
    Trace t(id, "sweep");
    t.metadata.totalBars = 100;
    t.metadata.createdAt = "2026-01-05T14:03:11.120000Z";
    for (int i = 0; i < changes; ++i)
        t.appendSignal(i * 3, "2024-03-26T13:30:00+00:00", i % 2 ? -1 : 1);
    return t;
}

std::string readText(const fs::path& p)
{
    return sigscope::test::readFile(p);
}

void appendRaw(const fs::path& p, const std::string& text)
{
    std::ofstream out(p, std::ios::binary | std::ios::app);
    out << text;
}

std::size_t lineCount(const std::string& text)
{
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

struct Fixture
{
    QTemporaryDir tmp;
    fs::path root = fs::path(tmp.path().toStdString()) / "store";
    fs::path dir = root / "signals/sweep";
    fs::path index = dir / "index.json";
    fs::path journal = dir / "index.journal";

    TypeIndex read(std::vector<Finding>* findings = nullptr) const
    {
        return Storage::open(root).readIndex(Kind::Signal, "sweep", findings);
    }
};

} // namespace

class TestIndexJournal : public QObject
{
    Q_OBJECT

private slots:
    void oneByOneAppendsAndLeavesTheIndex()
    {
        Fixture f;
        StorageWriter writer(f.root);
        const WriteResult first = writer.write(numbered(0)); // creates index.json, no journal
        QVERIFY(fs::exists(f.index));
        QVERIFY(!fs::exists(f.journal));
        const std::string indexBefore = readText(f.index);
        std::vector<std::string> expectedLines;
        for (int n = 1; n <= 5; ++n) {
            const WriteResult r = writer.write(numbered(n));
            expectedLines.push_back(
                detail::entryLine(detail::entryFor(numbered(n), "sweep", r.filePath, r.fileHash)));
        }
        QCOMPARE(readText(f.index), indexBefore); // not rewritten
        std::string expected;
        for (const auto& line : expectedLines)
            expected += line + "\n";
        QCOMPARE(readText(f.journal), expected);

        std::vector<Finding> findings;
        const TypeIndex ti = f.read(&findings);
        QVERIFY(findings.empty());
        QCOMPARE(ti.entries.size(), std::size_t{6});
        QCOMPARE(ti.entries.front().filePath, first.filePath);
        const VerifyResult v = verifyStorage(f.root);
        QVERIFY2(v.findings.empty(), v.findings.empty() ? "" : v.findings.front().message.c_str());
    }

    void journalEntryReplacesTheIndexEntry()
    {
        Fixture f;
        StorageWriter writer(f.root);
        writer.write(numbered(7, 2));
        writer.write(numbered(7, 6)); // same identity, more changes: its entry goes to the journal
        QCOMPARE(lineCount(readText(f.journal)), std::size_t{1});
        std::vector<Finding> findings;
        const TypeIndex ti = f.read(&findings);
        QVERIFY(findings.empty()); // not reported as a repeated entry
        QCOMPARE(ti.entries.size(), std::size_t{1});
        QCOMPARE(ti.entries.front().totalItems, std::int64_t{6});
    }

    void largeJournalIsFoldedIntoTheIndex()
    {
        Fixture f;
        StorageWriter writer(f.root);
        writer.write(numbered(0));
        int n = 1;
        while (!fs::exists(f.journal) || fs::file_size(f.journal) < detail::kJournalMinCompactBytes)
            writer.write(numbered(n++));
        const std::size_t before = f.read().entries.size();
        QCOMPARE(before, static_cast<std::size_t>(n));
        writer.write(numbered(n++)); // due: index.json rewritten with every entry, journal removed
        QVERIFY(!fs::exists(f.journal));
        const auto lines = detail::splitIndexLines(readText(f.index));
        QVERIFY(lines.has_value());
        QCOMPARE(lines->entries.size(), before + 1);
        QCOMPARE(f.read().entries.size(), before + 1);
        writer.write(numbered(n++)); // and the next write appends again
        QCOMPARE(lineCount(readText(f.journal)), std::size_t{1});
    }

    void batchAndRebuildFoldTheJournal()
    {
        Fixture f;
        StorageWriter writer(f.root);
        for (int n = 0; n < 4; ++n)
            writer.write(numbered(n));
        QVERIFY(fs::exists(f.journal));
        std::vector<Trace> batch{numbered(10), numbered(11)};
        writer.writeBatch(batch);
        QVERIFY(!fs::exists(f.journal));
        QCOMPARE(detail::splitIndexLines(readText(f.index))->entries.size(), std::size_t{6});

        writer.write(numbered(12));
        QVERIFY(fs::exists(f.journal));
        const RebuildResult r = rebuildIndexes(f.root);
        QCOMPARE(r.traces, std::size_t{7});
        QVERIFY(!fs::exists(f.journal));
        QCOMPARE(f.read().entries.size(), std::size_t{7});
    }

    void tornTailIsSkippedThenCut()
    {
        Fixture f;
        StorageWriter writer(f.root);
        writer.write(numbered(0));
        writer.write(numbered(1));
        const std::string whole = readText(f.journal);
        appendRaw(f.journal, "{\"type\": \"sweep\", \"name\": \"journal_sw"); // a killed append
        std::vector<Finding> findings;
        QCOMPARE(f.read(&findings).entries.size(), std::size_t{2});
        QVERIFY(findings.empty());
        const WriteResult r = writer.write(numbered(2));
        const std::string line = detail::entryLine(detail::entryFor(numbered(2), "sweep", r.filePath, r.fileHash));
        QCOMPARE(readText(f.journal), whole + line + "\n");
        QCOMPARE(f.read().entries.size(), std::size_t{3});
    }

    void damagedLineIsReportedAndBlocksTheFold()
    {
        Fixture f;
        StorageWriter writer(f.root);
        writer.write(numbered(0));
        writer.write(numbered(1));
        appendRaw(f.journal, "not an entry\n");
        writer.write(numbered(2));
        std::vector<Finding> findings;
        const TypeIndex ti = f.read(&findings);
        QCOMPARE(ti.entries.size(), std::size_t{3}); // the good lines around it still count
        QCOMPARE(findings.size(), std::size_t{1});
        QCOMPARE(findings.front().code, std::string("index-error"));
        QCOMPARE(findings.front().path, std::string("signals/sweep/index.journal"));
        QCOMPARE(findings.front().line, std::int64_t{2});

        const std::string indexBefore = readText(f.index), journalBefore = readText(f.journal);
        std::vector<Trace> batch{numbered(9)};
        bool threw = false;
        try {
            writer.writeBatch(batch);
        } catch (const StorageError& e) {
            threw = true;
            QCOMPARE(e.path(), fs::path("signals/sweep/index.journal"));
        }
        QVERIFY(threw);
        QCOMPARE(readText(f.index), indexBefore);
        QCOMPARE(readText(f.journal), journalBefore);
    }
};

QTEST_GUILESS_MAIN(TestIndexJournal)
#include "tst_index_journal.moc"
