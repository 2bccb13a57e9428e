#pragma once

#include "core/util/progress.h"

#include <QStringList>

#include <filesystem>
#include <functional>
#include <optional>
#include <vector>

class QCommandLineParser;

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
    bool draws = false; // renders with QPainter: runs on a QGuiApplication (offscreen without a display)
};

const std::vector<Command>& commands();

// Helpers shared by the commands.
void printError(const QString& message);   // "sigscope: <message>" on stderr
void printOut(const QString& text);        // text on stdout, as UTF-8

// Adds --help, parses and checks the number of positional arguments. Returns the exit code
// when the command must stop here: 0 after printing the help, kExitUsage after printing the
// error and a hint to stderr. Otherwise nullopt: go on.
std::optional<int> parseCommandLine(QCommandLineParser& parser, const QStringList& arguments,
                                    qsizetype minPositional, qsizetype maxPositional);
// A usage error: "sigscope: <message>" and "Try '<command> --help'." on stderr; returns kExitUsage.
int usageError(const QStringList& arguments, const QString& message);

std::filesystem::path toPath(const QString& text);
QString fromPath(const std::filesystem::path& path);

// Prints text on stdout, then each finding as a line on stderr (notes that do not change the
// result, e.g. the upstream quirks of a version-0 folder); returns kExitOk.
int printWithNotes(const QString& text, const std::vector<core::Finding>& notes);

// One finding a line, "severity code path: message" (with ":line" after the path when known).
QString findingLine(const core::Finding& finding);

} // namespace sigscope::cli
