// The streaming JSON reader (jsonstream.h) on the kinds of input it is given: read errors of the
// file descriptor, a legacy dump in a real file, a pipe.
#include "tests/core/json_stream_testutil.h"

#include <QTest>

using namespace sigscope::test::jsonstream;

class TestJsonStreamInput : public QObject
{
    Q_OBJECT

private slots:
    void readErrors();
    void legacyDumpFromFile();
    void pipeInput();
};

void TestJsonStreamInput::readErrors()
{
    // read(2) on a directory fails with EISDIR.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const int dirFd = ::open(QFile::encodeName(dir.path()).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    QVERIFY(dirFd >= 0);
    for (const std::size_t chunk : {std::size_t{7}, kDefaultChunk}) {
        const ReaderRun run = readFd(dirFd, chunk);
        QCOMPARE(QLatin1String(name(run.result)), QLatin1String("ReadError"));
        QCOMPARE(run.error, EISDIR);
        QCOMPARE(run.events, std::size_t{0});
        QCOMPARE(run.offset, std::uint64_t{0});
    }
    ::close(dirFd);

    // A descriptor that was open and is closed now, and -1: EBADF.
    const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    QVERIFY(fd >= 0);
    ::close(fd);
    for (const int badFd : {fd, -1}) {
        const ReaderRun run = readFd(badFd, kDefaultChunk);
        QCOMPARE(QLatin1String(name(run.result)), QLatin1String("ReadError"));
        QCOMPARE(run.error, EBADF);
        QCOMPARE(run.events, std::size_t{0});
    }

    // A write-only descriptor fails after nothing was read: EBADF as well.
    const int writeOnly = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    QVERIFY(writeOnly >= 0);
    const ReaderRun run = readFd(writeOnly, 64);
    ::close(writeOnly);
    QCOMPARE(QLatin1String(name(run.result)), QLatin1String("ReadError"));
    QCOMPARE(run.error, EBADF);

    // An empty regular file is a syntax error, not a read error.
    const ReaderRun empty = readBytes("", kDefaultChunk);
    QCOMPARE(QLatin1String(name(empty.result)), QLatin1String("SyntaxError"));
    QCOMPARE(empty.error, 0);
}

void TestJsonStreamInput::legacyDumpFromFile()
{
    // 12,000 changes (about 1.4 MB) cross the default 1 MiB chunk.
    const std::string doc = legacyDump(12000);
    QVERIFY(doc.size() > kDefaultChunk);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("legacy.json"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(doc.data(), qint64(doc.size())), qint64(doc.size()));
    }
    const NlohmannRun reference = parseNlohmann(doc);
    QVERIFY(reference.accepted);
    // metadata: 19 events; changes: "k:changes", "[", "]", "}" plus 14 per change.
    QCOMPARE(reference.events, std::size_t{19 + 4 + 12000 * 14});

    for (const std::size_t chunk : {std::size_t{4096}, kDefaultChunk}) {
        const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
        QVERIFY(fd >= 0);
        const ReaderRun run = readFd(fd, chunk);
        ::close(fd);
        QCOMPARE(QLatin1String(name(run.result)), QLatin1String("Ok"));
        QCOMPARE(run.events, reference.events);
        QCOMPARE(run.offset, std::uint64_t(doc.size()));
        QVERIFY(run.log == reference.log);
        const std::string head = lines({"{",
                                        "k:metadata",
                                        "{",
                                        "k:format",
                                        "s:l2",
                                        "k:version",
                                        "u:2",
                                        "k:symbol",
                                        "s:SPY",
                                        "k:source",
                                        R"(s:legacy \xc3\xa9xport)",
                                        "k:created",
                                        "s:2024-03-26T13:59:00+00:00",
                                        "k:tags",
                                        "[",
                                        "]",
                                        "k:extra",
                                        "null",
                                        "}",
                                        "k:changes",
                                        "["}) +
                                 changeLog(30, "2024-03-26T13:59:00+00:00", "u:1", "f:512.1|512.1") +
                                 changeLog(31, "2024-03-26T13:59:00+00:00", "i:-1", "f:513.2|513.2");
        QCOMPARE(q(run.log.substr(0, head.size())), q(head));
        const std::string tail = lines({"k:px", "f:611.1|611.10", "}", "]", "}"});
        QCOMPARE(q(run.log.substr(run.log.size() - tail.size())), q(tail));
    }
}

void TestJsonStreamInput::pipeInput()
{
    // Larger than a pipe's buffer, so the reader sees short reads and waits for the writer.
    const std::string doc = legacyDump(3000);
    const NlohmannRun reference = parseNlohmann(doc);
    QVERIFY(reference.accepted);
    for (const std::size_t chunk : {std::size_t{7}, std::size_t{4096}, kDefaultChunk}) {
        int fds[2];
        QCOMPARE(::pipe2(fds, O_CLOEXEC), 0);
        std::thread writer([&doc, fd = fds[1]] {
            std::size_t done = 0;
            while (done < doc.size()) {
                const ssize_t n = ::write(fd, doc.data() + done, std::min<std::size_t>(1000, doc.size() - done));
                if (n <= 0)
                    break;
                done += static_cast<std::size_t>(n);
            }
            ::close(fd);
        });
        const ReaderRun run = readFd(fds[0], chunk);
        writer.join();
        ::close(fds[0]);
        QCOMPARE(QLatin1String(name(run.result)), QLatin1String("Ok"));
        QCOMPARE(run.events, reference.events);
        QCOMPARE(run.offset, std::uint64_t(doc.size()));
        QVERIFY(run.log == reference.log);
    }
}

QTEST_GUILESS_MAIN(TestJsonStreamInput)
#include "tst_json_stream_input.moc"
