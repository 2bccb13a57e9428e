// `sigscope demo --into DIR [--bars N] [--variants N] [--seed S] [--format json|parquet]`
#include "app/cli/command.h"

#include "core/demo/demo.h"
#include "core/storage/storage.h"
#include "core/storage/storageformat.h"

#include <QCommandLineParser>

#include <cstdio>
#include <stdexcept>

#include <unistd.h>

namespace sigscope::cli {

namespace {

// Reads a whole non-negative number option; nullopt (after the usage message) when it is not one.
std::optional<std::uint64_t> numberOption(const QCommandLineParser& parser, const QCommandLineOption& option,
                                          const QStringList& arguments, std::uint64_t fallback, int* exitCode)
{
    if (!parser.isSet(option))
        return fallback;
    bool ok = false;
    const QString text = parser.value(option);
    const qulonglong value = text.toULongLong(&ok);
    if (!ok) {
        *exitCode = usageError(arguments, QStringLiteral("--%1 needs a whole number, not '%2'").arg(option.names().constFirst(), text));
        return std::nullopt;
    }
    return value;
}

} // namespace

int runDemo(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Writes a demo storage into DIR through the tracer: a seeded synthetic 1-minute market for SPY and QQQ "
        "(DIR/market/<SYMBOL>_1m.csv) and strategies over parameter grids with volatility and trend classifiers. "
        "The same seed gives the same files."));
    const QCommandLineOption into(QStringLiteral("into"), QStringLiteral("Storage folder to write (created when missing)."),
                                  QStringLiteral("DIR"));
    const QCommandLineOption bars(QStringLiteral("bars"), QStringLiteral("1-minute bars per symbol (default 20000)."),
                                  QStringLiteral("N"));
    const QCommandLineOption variants(QStringLiteral("variants"),
                                      QStringLiteral("Signal traces in all, strategies x parameters x symbols (default 200)."),
                                      QStringLiteral("N"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Random seed (default 42)."), QStringLiteral("S"));
    const QCommandLineOption format(QStringLiteral("format"),
                                    QStringLiteral("Storage format: json (version 1, the default) or parquet (version 2)."),
                                    QStringLiteral("FORMAT"), QStringLiteral("json"));
    parser.addOptions({into, bars, variants, seed, format});
    if (const auto code = parseCommandLine(parser, arguments, 0, 0))
        return *code;
    if (!parser.isSet(into) || parser.value(into).isEmpty())
        return usageError(arguments, QStringLiteral("--into DIR is required"));
    const auto storageFormat = core::storageFormatFromName(parser.value(format).toStdString());
    if (!storageFormat)
        return usageError(arguments, QStringLiteral("--format must be json or parquet, not '%1'").arg(parser.value(format)));

    core::DemoOptions options;
    int exitCode = kExitUsage;
    const auto barCount = numberOption(parser, bars, arguments, std::uint64_t(options.bars), &exitCode);
    if (!barCount)
        return exitCode;
    const auto variantCount = numberOption(parser, variants, arguments, std::uint64_t(options.variants), &exitCode);
    if (!variantCount)
        return exitCode;
    const auto seedValue = numberOption(parser, seed, arguments, options.seed, &exitCode);
    if (!seedValue)
        return exitCode;
    if (*barCount < 1 || *barCount > 100'000'000)
        return usageError(arguments, QStringLiteral("--bars must be between 1 and 100000000"));
    if (*variantCount > 1'000'000)
        return usageError(arguments, QStringLiteral("--variants must be at most 1000000"));
    options.bars = static_cast<std::int64_t>(*barCount);
    options.variants = static_cast<std::int64_t>(*variantCount);
    options.seed = *seedValue;

    try {
        // Progress only for people watching a terminal; scripts get the summary alone.
        core::ProgressCallback progress;
        if (::isatty(::fileno(stderr))) {
            progress = [last = std::uint64_t(1000)](const core::Progress& p) mutable {
                const std::uint64_t permille = p.total ? p.done * 1000 / p.total : 0;
                if (permille != last) {
                    last = permille;
                    std::fprintf(stderr, "\rgenerating: %llu.%llu%% (%s)", static_cast<unsigned long long>(permille / 10),
                                 static_cast<unsigned long long>(permille % 10), p.current.c_str());
                    if (p.done == p.total)
                        std::fputc('\n', stderr);
                    std::fflush(stderr);
                }
                return true;
            };
        }
        options.format = *storageFormat;
        const core::DemoResult result = core::generateDemo(toPath(parser.value(into)), options, progress);
        QString text = QString::fromStdString(result.text());
        if (options.format == core::StorageFormat::Parquet)
            text += QStringLiteral("format: version 2 (Parquet)\n");
        printOut(text);
        return kExitOk;
    } catch (const std::invalid_argument& e) {
        return usageError(arguments, QString::fromUtf8(e.what()));
    } catch (const std::exception& e) {
        printError(QString::fromUtf8(e.what()));
        return kExitFailure;
    }
}

} // namespace sigscope::cli
