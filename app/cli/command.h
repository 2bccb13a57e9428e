#pragma once

#include <QStringList>

#include <functional>
#include <vector>

// A command-line subcommand: `sigscope <name> ...`. Each returns the process exit code:
// 0 success, 1 failure/damage found, 2 usage error (and what the command documents beyond).
namespace sigscope::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct Command
{
    const char* name;
    const char* summary;
    std::function<int(const QStringList& arguments)> run; // arguments[0] is "sigscope <name>"
};

const std::vector<Command>& commands();

// Helpers shared by the commands.
void printError(const QString& message);   // "sigscope: <message>" on stderr
void printOut(const QString& text);        // text on stdout, as UTF-8

} // namespace sigscope::cli
