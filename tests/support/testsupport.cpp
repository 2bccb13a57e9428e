#include "tests/support/testsupport.h"

#include "core/model/identity.h"

#include <QProcess>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace sigscope::test {

std::optional<std::filesystem::path> fixturesDir()
{
    const std::filesystem::path dir = SIGSCOPE_FIXTURES_IN_REPO;
    std::error_code ec;
    if (std::filesystem::is_directory(dir / "legacy-tmp", ec) && std::filesystem::is_directory(dir / "upstream", ec))
        return std::filesystem::canonical(dir);
    return std::nullopt;
}

QString fixturesMissingMessage()
{
    return QStringLiteral("the real fixtures of the source tree are missing: expected legacy-tmp/ and upstream/ in ")
        + QStringLiteral(SIGSCOPE_FIXTURES_IN_REPO);
}

std::optional<std::filesystem::path> sharedFixturesDir()
{
    std::filesystem::path dir;
    if (const char* env = std::getenv("SIGSCOPE_FIXTURES"); env && *env)
        dir = env;
    else
        dir = SIGSCOPE_FIXTURES_DEFAULT;
    std::error_code ec;
    if (std::filesystem::is_directory(dir, ec))
        return std::filesystem::canonical(dir);
    return std::nullopt;
}

QString sharedFixturesMissingMessage()
{
    return QStringLiteral("large shared data not found (set SIGSCOPE_FIXTURES, default ../shared/fixtures beside "
                          "the source tree): skipping this test");
}

QString sigscopeBinary()
{
    return QStringLiteral(SIGSCOPE_BINARY);
}

CommandRun runSigscope(const QStringList& arguments, int timeoutMs)
{
    QProcess process;
    process.start(sigscopeBinary(), arguments);
    CommandRun run;
    if (!process.waitForFinished(timeoutMs) || process.exitStatus() != QProcess::NormalExit) {
        run.err = QStringLiteral("did not finish: ") + process.errorString();
        return run;
    }
    run.exitCode = process.exitCode();
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

std::string readFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read " + path.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void copyTree(const std::filesystem::path& from, const std::filesystem::path& to)
{
    std::filesystem::create_directories(to);
    std::filesystem::copy(from, to,
                          std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
    // Fixtures are read-only; copies must be writable for the tests that change them.
    for (const auto& e : std::filesystem::recursive_directory_iterator(to))
        std::filesystem::permissions(e.path(), std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
    std::filesystem::permissions(to, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
}

std::map<std::string, std::uint64_t> hashTree(const std::filesystem::path& root)
{
    std::map<std::string, std::uint64_t> out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(root))
        out[std::filesystem::relative(e.path(), root).generic_string()] =
            e.is_regular_file() ? core::xxh3(readFile(e.path())) : 0;
    return out;
}

} // namespace sigscope::test
