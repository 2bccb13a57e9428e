#pragma once

#include <QString>
#include <QStringList>

#include <filesystem>
#include <optional>
#include <string>

// Helpers shared by the tests: where the real fixtures are, and the sigscope binary.
namespace sigscope::test {

// ../shared/fixtures beside the source tree, or $SIGSCOPE_FIXTURES. nullopt when absent:
// tests that need it call QSKIP with fixturesMissingMessage().
std::optional<std::filesystem::path> fixturesDir();
QString fixturesMissingMessage();

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

} // namespace sigscope::test

// Skips the current test function when the fixtures are absent.
#define SIGSCOPE_REQUIRE_FIXTURES(var)                                                                                 \
    const auto var##Opt = ::sigscope::test::fixturesDir();                                                             \
    if (!var##Opt)                                                                                                     \
        QSKIP(qPrintable(::sigscope::test::fixturesMissingMessage()));                                                 \
    const std::filesystem::path var = *var##Opt
