#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

// Helpers shared by the tests: where the real fixtures are, and the sigscope binary.
namespace sigscope::test {

// The small real fixtures kept in the repository (tests/data/fixtures, see its README).
// nullopt only when that folder is broken: tests that need it fail with fixturesMissingMessage().
std::optional<std::filesystem::path> fixturesDir();
QString fixturesMissingMessage();

// Large shared data that is not stored in the repository: $SIGSCOPE_FIXTURES, or
// ../shared/fixtures beside the source tree. nullopt when absent: tests that need it call
// QSKIP with sharedFixturesMissingMessage().
std::optional<std::filesystem::path> sharedFixturesDir();
QString sharedFixturesMissingMessage();

// Path of the built sigscope executable (for command-line tests).
QString sigscopeBinary();

// One run of the sigscope executable: exit code (-1 when it crashed or timed out) and output.
struct CommandRun
{
    int exitCode = -1;
    QString out;
    QString err;
};
CommandRun runSigscope(const QStringList& arguments, int timeoutMs = 120000);

// Reads a whole file as bytes (throws std::runtime_error naming the file on failure).
std::string readFile(const std::filesystem::path& path);
// Copies a folder tree (for fixtures that a test must not write next to).
void copyTree(const std::filesystem::path& from, const std::filesystem::path& to);
// Path (relative, '/' separated) -> XXH3 of the bytes (0 for a folder), for everything under root:
// equal before and after shows that not one byte of a folder changed.
std::map<std::string, std::uint64_t> hashTree(const std::filesystem::path& root);

} // namespace sigscope::test

// Fails the current test function when the in-repository fixtures are missing (they are part
// of the source tree, so their absence is a broken checkout, not a reason to skip).
#define SIGSCOPE_REQUIRE_FIXTURES(var)                                                                                 \
    const auto var##Opt = ::sigscope::test::fixturesDir();                                                             \
    if (!var##Opt)                                                                                                     \
        QFAIL(qPrintable(::sigscope::test::fixturesMissingMessage()));                                                 \
    const std::filesystem::path var = *var##Opt

// Skips the current test function when the large shared data is absent.
#define SIGSCOPE_REQUIRE_SHARED_FIXTURES(var)                                                                          \
    const auto var##Opt = ::sigscope::test::sharedFixturesDir();                                                       \
    if (!var##Opt)                                                                                                     \
        QSKIP(qPrintable(::sigscope::test::sharedFixturesMissingMessage()));                                           \
    const std::filesystem::path var = *var##Opt
