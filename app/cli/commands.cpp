#include "app/cli/command.h"

#include <cstdio>

namespace sigscope::cli {

// Defined in the cli/*.cpp file of each command.

const std::vector<Command>& commands()
{
    static const std::vector<Command> table = {
    };
    return table;
}

void printError(const QString& message)
{
    std::fprintf(stderr, "sigscope: %s\n", message.toUtf8().constData());
    std::fflush(stderr);
}

void printOut(const QString& text)
{
    std::fputs(text.toUtf8().constData(), stdout);
    std::fflush(stdout);
}

} // namespace sigscope::cli
