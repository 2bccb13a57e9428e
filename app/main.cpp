// sigscope: a subcommand runs headless on QCoreApplication; anything else opens the GUI.
#include "app/cli/command.h"

#include <QCoreApplication>
#include <QMessageLogContext>
#include <QString>

#include <clocale>
#include <cstring>

#ifdef SIGSCOPE_WITH_GUI
#include "app/gui.h"

#include <QGuiApplication>
#endif

#include <memory>

namespace {

// Two lines Qt prints on every headless run that say nothing about the user's work: the offscreen
// platform's "does not support propagateSizeHints()" and the XDG_RUNTIME_DIR fallback. Every
// other message goes to Qt's own handler as before.
QtMessageHandler g_qtHandler = nullptr;

void filterHeadlessNoise(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    if (type == QtWarningMsg
        && (message.startsWith(QLatin1String("This plugin does not support propagateSizeHints"))
            || message.startsWith(QLatin1String("QStandardPaths: XDG_RUNTIME_DIR not set"))))
        return;
    if (g_qtHandler)
        g_qtHandler(type, context, message);
}

QString usage()
{
    QString text = QStringLiteral("Usage: sigscope [DIR] [options]        open the explorer (GUI)\n"
                                  "       sigscope <command> [options]    run a command headless\n\n"
                                  "Commands:\n");
    for (const auto& command : sigscope::cli::commands())
        text += QStringLiteral("  %1 %2\n").arg(QString::fromLatin1(command.name), -10).arg(QString::fromUtf8(command.summary));
    text += QStringLiteral("\nGlobal options:\n"
                           "  -h, --help       this help; `sigscope <command> --help` for a command\n"
                           "  -v, --version    the version\n");
    return text;
}

// Commands that draw need a QGuiApplication (fonts, painting); without a display it runs offscreen.
std::unique_ptr<QCoreApplication> makeApplication(const sigscope::cli::Command& command, int& argc, char* argv[])
{
#ifdef SIGSCOPE_WITH_GUI
    if (command.draws) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY")
            && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        auto app = std::make_unique<QGuiApplication>(argc, argv);
        std::setlocale(LC_NUMERIC, "C");
        return app;
    }
#else
    Q_UNUSED(command);
#endif
    auto app = std::make_unique<QCoreApplication>(argc, argv);
    // Qt adopts the user's locale for the C library; JSON numbers must keep their '.' (nlohmann
    // writes the C locale's decimal point into number texts), as Qt's documentation advises.
    std::setlocale(LC_NUMERIC, "C");
    return app;
}

} // namespace

int main(int argc, char* argv[])
{
    g_qtHandler = qInstallMessageHandler(filterHeadlessNoise);
    QCoreApplication::setOrganizationName(QStringLiteral("sigscope"));
    QCoreApplication::setApplicationName(QStringLiteral("sigscope"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SIGSCOPE_VERSION));

    if (argc >= 2) {
        const char* first = argv[1];
        for (const auto& command : sigscope::cli::commands()) {
            if (std::strcmp(first, command.name) == 0) {
                const auto app = makeApplication(command, argc, argv);
                QStringList arguments = QCoreApplication::arguments();
                arguments.removeAt(1);
                arguments[0] = QStringLiteral("sigscope ") + QString::fromLatin1(command.name);
                return command.run(arguments);
            }
        }
        if (std::strcmp(first, "--help") == 0 || std::strcmp(first, "-h") == 0) {
            sigscope::cli::printOut(usage());
            return sigscope::cli::kExitOk;
        }
        if (std::strcmp(first, "--version") == 0 || std::strcmp(first, "-v") == 0) {
            sigscope::cli::printOut(QStringLiteral("sigscope " SIGSCOPE_VERSION "\n"));
            return sigscope::cli::kExitOk;
        }
    }
#ifdef SIGSCOPE_WITH_GUI
    return sigscope::app::runGui(argc, argv);
#else
    if (argc >= 2) {
        sigscope::cli::printError(QStringLiteral("unknown command '%1' (this build has no GUI)\n").arg(QString::fromLocal8Bit(argv[1])) + usage());
        return sigscope::cli::kExitUsage;
    }
    sigscope::cli::printOut(usage());
    return sigscope::cli::kExitOk;
#endif
}
