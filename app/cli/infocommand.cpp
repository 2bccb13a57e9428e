// `sigscope info DIR`: format version, kinds, types, trace counts and totals, from the indexes.
#include "app/cli/command.h"

#include "core/storage/storage.h"

#include <QCommandLineParser>

#include <algorithm>
#include <set>
#include <string>

namespace sigscope::cli {

namespace {

struct Totals
{
    std::int64_t traces = 0;
    std::int64_t changes = 0;
    std::int64_t bars = 0;
    void add(const Totals& other)
    {
        traces += other.traces;
        changes += other.changes;
        bars += other.bars;
    }
};

Totals totalsOf(const core::TypeIndex& index)
{
    Totals t;
    for (const auto& e : index.entries) {
        ++t.traces;
        t.changes += e.totalItems;
        // Upstream wrote the last change's index as total_bars (or 0): spec §5 takes the larger.
        t.bars += std::max(e.totalBars, e.lastIdx ? *e.lastIdx + 1 : 0);
    }
    return t;
}

QString totalsText(const Totals& t)
{
    return QStringLiteral("%1 traces, %2 changes, %3 bars").arg(t.traces).arg(t.changes).arg(t.bars);
}

} // namespace

int runInfo(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Summarises a storage folder (version 1, an upstream version-0 folder, or a Parquet workspace of the "
        "Python system, L6) from its indexes: format version, kinds, type folders, trace counts, changes and bars."));
    parser.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("The storage folder."));
    if (const auto code = parseCommandLine(parser, arguments, 1, 1))
        return *code;
    const QString dir = parser.positionalArguments().constFirst();

    try {
        const core::Storage storage = core::Storage::open(toPath(dir));
        std::vector<core::Finding> findings;
        const auto indexes = storage.readAllIndexes(&findings);

        QString out = QStringLiteral("storage: %1\n").arg(dir);
        if (storage.isWorkspace()) {
            std::set<std::string> runs;
            for (const auto& index : indexes)
                for (const auto& e : index.entries)
                    runs.insert(e.run.value_or(std::string()));
            out += QStringLiteral("format: L6, Parquet workspace of the Python system (read-only)\nruns: %1\n")
                       .arg(runs.size());
        } else {
            out += QStringLiteral("format version: %1\n").arg(storage.formatVersion());
        }
        Totals all;
        for (const core::Kind kind : {core::Kind::Signal, core::Kind::Classifier}) {
            Totals kindTotals;
            QString lines;
            for (const auto& index : indexes) {
                if (index.kind != kind)
                    continue;
                const Totals t = totalsOf(index);
                kindTotals.add(t);
                lines += QStringLiteral("  %1 %2\n").arg(QString::fromStdString(index.type), -24).arg(totalsText(t));
            }
            const auto folder = core::kindFolder(kind);
            out += QStringLiteral("%1: %2 types, %3\n")
                       .arg(QString::fromUtf8(folder.data(), qsizetype(folder.size())))
                       .arg(storage.types(kind).size())
                       .arg(totalsText(kindTotals))
                + lines;
            all.add(kindTotals);
        }
        out += QStringLiteral("total: %1\n").arg(totalsText(all));
        return printWithNotes(out, findings);
    } catch (const std::exception& e) {
        printError(QString::fromUtf8(e.what()));
        return kExitFailure;
    }
}

} // namespace sigscope::cli
